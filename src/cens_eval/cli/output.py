"""Atomic writes: a temporary file beside the target, then a rename; never a half-written output."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from cens_eval.errors import OutputError


def write_atomic(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write ``data`` to ``path`` all at once; an existing file is kept unless ``force``."""
    if path.exists() and not force:
        raise OutputError(f"{path} existe déjà (ajouter --force pour le remplacer)")
    if path.exists() and not path.is_file():
        raise OutputError(f"{path} existe et n'est pas un fichier")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        os.fchmod(fd, 0o666 & ~umask())  # mkstemp makes it private; the output is not
    except OSError as exc:
        raise OutputError(f"{path} : écriture impossible ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"{path} : écriture impossible ({exc.strerror})") from None
        raise


def umask() -> int:
    """The process's file-creation mask (read without changing it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
