"""Write a dossier folder atomically: everything goes to a hidden temporary folder, then one rename."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from cens_eval.cli.output import umask
from cens_eval.errors import OutputError

MARKER = "dossier.json"


def check_target(out_dir: Path, *, force: bool) -> None:
    """Refuse early an output folder that exists (without --force) or is not a dossier."""
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise OutputError(f"{out_dir} existe et n'est pas un dossier")
    if not force:
        raise OutputError(f"{out_dir} existe déjà (ajouter --force pour le remplacer)")
    if any(out_dir.iterdir()) and not (out_dir / MARKER).is_file():
        raise OutputError(
            f"{out_dir} n'est pas un dossier produit par cens-eval : il ne sera pas remplacé"
        )


def write_dossier_dir(
    out_dir: Path,
    files: dict[str, bytes],
    copies: dict[str, tuple[Path, str]],
    *,
    force: bool,
) -> None:
    """Write generated ``files`` and ``copies`` (source, expected SHA-256) under ``out_dir``.

    The folder appears complete or not at all; an existing dossier is replaced only with
    ``force``, and only once the new one is fully written.
    """
    check_target(out_dir, force=force)
    parent = out_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=parent))
        os.chmod(tmp, 0o777 & ~umask())  # mkdtemp makes it private; the dossier is not
    except OSError as exc:
        raise OutputError(f"{out_dir} : écriture impossible ({exc.strerror})") from None
    try:
        for rel, data in files.items():
            _write(tmp, rel, data)
        for rel, (source, sha256) in copies.items():
            data = source.read_bytes()
            if hashlib.sha256(data).hexdigest() != sha256:
                raise OutputError(
                    f"{source} a changé pendant la production du dossier : relancer la commande"
                )
            _write(tmp, rel, data)
        _swap(tmp, out_dir)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(f"{out_dir} : écriture impossible ({exc.strerror})") from None
        raise


def _write(root: Path, rel: str, data: bytes) -> None:
    target = root.joinpath(*PurePosixPath(rel).parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _swap(tmp: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        os.replace(tmp, out_dir)
        return
    backup = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".old", dir=out_dir.parent))
    os.rmdir(backup)
    os.replace(out_dir, backup)
    try:
        os.replace(tmp, out_dir)
    except OSError:
        os.replace(backup, out_dir)
        raise
    with contextlib.suppress(OSError):
        shutil.rmtree(backup)
