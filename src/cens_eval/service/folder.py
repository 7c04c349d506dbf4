"""Write a dossier folder atomically and exclusively (the rules are in ``service.output``'s notes)."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from cens_eval.errors import OutputError
from cens_eval.loader.evidence import read_chunks
from cens_eval.service.output import (
    NEW,
    OLD,
    check_replaceable,
    real_target,
    staging,
)
from cens_eval.service.output import check_folder_target as check_target

__all__ = ["check_target", "write_dossier_dir"]


def write_dossier_dir(
    out_dir: Path,
    files: dict[str, bytes],
    copies: dict[str, tuple[Path, str]],
    *,
    force: bool,
) -> None:
    """Write generated ``files`` and ``copies`` (source, expected SHA-256) under ``out_dir``.

    The folder appears complete or not at all. An existing dossier is replaced only with
    ``force``, and only once the new one is fully written; without ``force`` nothing is ever
    replaced, even a dossier a concurrent run has just written. If ``out_dir`` is a symbolic
    link, the folder it points to is written (or replaced) and the link is kept.

    Raises:
        OutputError: the folder exists (without ``force``), is not a dossier, a source changed
            meanwhile, or the disk refused a write.
    """
    check_target(out_dir, force=force)
    target = real_target(out_dir)
    try:
        with staging(target) as box:
            new = box / NEW
            new.mkdir()
            for rel, data in files.items():
                _write(new, rel, data)
            for rel, (source, sha256) in copies.items():
                digest = hashlib.sha256()
                _write(new, rel, read_chunks(source, digest))  # constant memory
                if digest.hexdigest() != sha256:
                    raise OutputError(
                        f"{source} a changé pendant la production du dossier : relancer la commande"
                    )
            _publish(box, target, out_dir, force=force)
    except OSError as exc:
        raise OutputError(f"{out_dir} : écriture impossible ({exc.strerror})") from None


def _write(root: Path, rel: str, data: bytes | Iterable[bytes]) -> None:
    target = root.joinpath(*PurePosixPath(rel).parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("xb") as handle:
        handle.writelines([data] if isinstance(data, bytes) else data)
        handle.flush()
        os.fsync(handle.fileno())


def _publish(box: Path, target: Path, shown: Path, *, force: bool) -> None:
    """Put the complete folder ``box/NEW`` at ``target``, never over another run's output.

    ``os.mkdir`` claims the name (it fails if anything is there, whoever put it there), then
    the new folder is renamed onto the claimed, empty folder: a rename may replace an empty
    folder, never a full one. With ``force``, an existing dossier is first moved aside into
    the staging folder, removed with it (or put back if the new one cannot take its place).
    """
    claimed = True
    try:
        os.mkdir(target)
    except FileExistsError:
        check_replaceable(target, shown, force=force)
        os.rename(target, box / OLD)
        claimed = False
    try:
        os.rename(box / NEW, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            if claimed:
                os.rmdir(target)
            else:
                os.rename(box / OLD, target)
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
            raise OutputError(
                f"{shown} vient d'être écrit par une autre exécution : il n'est pas remplacé"
            ) from None
        raise
