"""Atomic, exclusive writes of outputs, and the clean-up of what killed runs left behind.

Every output (a file, or a dossier folder: see ``service.folder``) is written in full in a
*staging folder* beside its target, ``.NAME.XXXXXXXX.tmp/``, then published by one rename:
readers see the whole output or nothing.

- **Never replaced without ``--force``, even by a concurrent run.** Checking that the target is
  absent and then renaming would let two runs both see it absent and both succeed, the second
  silently replacing the first. Publishing therefore *claims* the name with a kernel operation
  that fails when anything exists there, whoever put it there: ``os.link`` for a file (or, on a
  file system without hard links, ``O_CREAT | O_EXCL`` then a rename onto the claimed name),
  ``os.mkdir`` for a folder, then a rename onto the claimed, still empty folder. Of two runs,
  exactly one claims the name; the other stops with « existe déjà ».
- **Symbolic links are followed**, as the shell's ``>`` does: ``-o LIEN`` writes (with ``--force``,
  replaces) the file or folder the link points to, and the link stays as it was.
- **Killed runs are cleaned up by the next run on the same target.** The staging folder holds a
  lock file (``LOCK_FILE``, with the writer's pid) on which its writer keeps an exclusive ``flock``
  while it lives; the kernel releases it when the process ends, however it ends (even
  ``kill -9``), and pids reused or from another container do not matter. The next run removes
  every staging folder of its target whose lock it can take. A folder without that lock file, or
  with an empty one (a writer between creating and locking it), is not taken as a leftover.
- **No output is an input.** :func:`check_outputs`, called by every command before it writes
  anything, compares every output with every input and with every other output: real paths
  (links resolved), and for files also the device and inode (hard links). An output that is,
  contains or lies inside an input is refused, ``--force`` or not, and nothing is written.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cens_eval.errors import OutputError

STAGING_SUFFIX = ".tmp"
LOCK_FILE = "cens-eval.lock"
NEW = "nouveau"
"""The new output, inside the staging folder."""
OLD = "ancien"
"""The output being replaced (a dossier folder), inside the staging folder until the swap is done."""

_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS}


def real_target(path: Path) -> Path:
    """The absolute path written for ``path``: symbolic links followed, as the shell does."""
    return Path(os.path.realpath(path))


def exists_message(shown: Path) -> str:
    """The refusal of an output that exists, when ``--force`` was not given."""
    return f"{shown} existe déjà (ajouter --force pour le remplacer)"


@dataclass(frozen=True)
class Folder:
    """A folder for :func:`check_outputs`: an output folder, or an input folder kept untouched."""

    path: Path


Place = Path | Folder | None
"""A file, a folder, or nothing (an optional path not given)."""


def check_outputs(outputs: Iterable[Place], inputs: Iterable[Place], *, force: bool) -> None:
    """Refuse, before anything is written, outputs that would overwrite or change an input.

    Every output is compared with every input and with every other output, by real path (symbolic
    links resolved) and, for two existing files, by device and inode (hard links): an output may
    not be an input, lie inside an input folder, or be a folder holding an input; two outputs may
    not be one file. Each output must also be writable as such: absent, or (with ``force``) a
    file, or a folder written by cens-eval.

    Raises:
        OutputError: the first conflict found, naming both paths.
    """
    outs = [p for p in outputs if p is not None]
    ins = [p for p in inputs if p is not None]
    for index, out in enumerate(outs):
        for other in outs[:index]:
            if _overlap(out, other):
                raise OutputError(
                    f"{_shown(other)} et {_shown(out)} désignent le même emplacement de sortie : "
                    "en choisir deux différents (rien n'a été écrit)"
                )
        for source in ins:
            why = _overlap(out, source)
            if why:
                raise OutputError(f"{_shown(out)} {why} {_shown(source)} : {_NOTHING_WRITTEN}")
    for out in outs:
        if isinstance(out, Folder):
            check_folder_target(out.path, force=force)
        else:
            _check_file_target(real_target(out), out, force=force)


_NOTHING_WRITTEN = (
    "une sortie ne remplace ni ne modifie jamais une entrée, même avec --force ; "
    "choisir une autre sortie (rien n'a été écrit)"
)


def _shown(place: Path | Folder) -> Path:
    return place.path if isinstance(place, Folder) else place


def _overlap(out: Path | Folder, other: Path | Folder) -> str | None:
    """How output ``out`` would overwrite or change ``other`` (an input or another output)."""
    a, b = real_target(_shown(out)), real_target(_shown(other))
    if a == b or _same_file(a, b):
        return "est aussi l'entrée"
    if isinstance(other, Folder) and a.is_relative_to(b):
        return "serait écrit dans le dossier lu"
    if isinstance(out, Folder) and b.is_relative_to(a):
        return "est un dossier de sortie qui contient l'entrée"
    return None


def _same_file(a: Path, b: Path) -> bool:
    """Whether two existing paths are one file (hard links: same device and inode)."""
    try:
        first, second = os.stat(a), os.stat(b)
    except OSError:
        return False
    return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)


def check_folder_target(out_dir: Path, *, force: bool) -> None:
    """Refuse an output folder that exists (without ``force``) or is not a cens-eval dossier."""
    target = real_target(out_dir)
    try:
        if os.path.lexists(target):
            check_replaceable(target, out_dir, force=force)
    except OSError as exc:
        raise OutputError(f"{out_dir} : lecture impossible ({exc.strerror})") from None


MARKER = "dossier.json"
"""The file every dossier folder holds: only such a folder is ever replaced."""


def check_replaceable(target: Path, shown: Path, *, force: bool) -> None:
    """Refuse replacing ``target``: without ``force``, or when it is not a cens-eval dossier."""
    if not target.is_dir():
        raise OutputError(f"{shown} existe et n'est pas un dossier")
    if not force:
        raise OutputError(exists_message(shown))
    if any(target.iterdir()) and not (target / MARKER).is_file():
        raise OutputError(
            f"{shown} n'est pas un dossier produit par cens-eval : il ne sera pas remplacé"
        )


def write_atomic(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write ``data`` to ``path`` all at once; an existing file is kept unless ``force``.

    If ``path`` is a symbolic link, the file it points to is written and the link is kept.

    Raises:
        OutputError: ``path`` exists (without ``force``, even if a concurrent run created it
            meanwhile), is not a file, or could not be written.
    """
    target = real_target(path)
    _check_file_target(target, path, force=force)
    try:
        with staging(target) as box:
            new = box / NEW
            with new.open("xb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            _publish_file(new, target, path, force=force)
    except OSError as exc:
        raise OutputError(f"{path} : écriture impossible ({exc.strerror})") from None


def _check_file_target(target: Path, shown: Path, *, force: bool) -> None:
    if not os.path.lexists(target):
        return
    if not force:
        raise OutputError(exists_message(shown))
    if not target.is_file():
        raise OutputError(f"{shown} existe et n'est pas un fichier")


def _publish_file(new: Path, target: Path, shown: Path, *, force: bool) -> None:
    """Put the complete file ``new`` at ``target``: replaced only with ``force``."""
    if force:
        os.replace(new, target)
        return
    try:
        os.link(new, target)  # fails if anything exists at target, even created a moment ago
    except FileExistsError:
        raise OutputError(exists_message(shown)) from None
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        try:  # no hard links here (FAT, some network shares): claim the name, then rename onto it
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            raise OutputError(exists_message(shown)) from None
        os.replace(new, target)


@contextlib.contextmanager
def staging(target: Path) -> Iterator[Path]:
    """A new staging folder beside ``target``, locked while this run lives, removed on exit.

    Stale staging folders of ``target`` (left by killed runs) are removed first. The caller
    writes the new output in it (under ``NEW``) and publishes it before leaving the block.

    Args:
        target: the output's absolute path, symbolic links followed (see :func:`real_target`).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(target)
    box = Path(
        tempfile.mkdtemp(prefix=f".{target.name}.", suffix=STAGING_SUFFIX, dir=target.parent)
    )
    lock = -1
    try:
        lock = os.open(box / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        with contextlib.suppress(OSError):  # no locks on this file system: never taken as stale
            fcntl.flock(lock, fcntl.LOCK_EX)
        os.write(lock, f"{os.getpid()}\n".encode())
        yield box
    finally:
        shutil.rmtree(box, ignore_errors=True)  # before the lock is released
        if lock >= 0:
            os.close(lock)


def remove_stale(target: Path) -> None:
    """Remove the staging folders of ``target`` whose writer is dead (see the module's notes).

    A dead writer killed while replacing a dossier folder, after moving the old one aside and
    before putting the new one in place, left no folder at ``target``: the old one is put back.
    """
    name = re.compile(re.escape(f".{target.name}.") + r"[A-Za-z0-9_]+" + re.escape(STAGING_SUFFIX))
    try:
        entries = [e for e in os.scandir(target.parent) if name.fullmatch(e.name)]
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            _remove_if_dead(Path(entry.path), target)


def _remove_if_dead(box: Path, target: Path) -> None:
    try:
        lock = os.open(box / LOCK_FILE, os.O_RDWR | os.O_NOFOLLOW)
    except OSError:
        return  # not a staging folder of ours, or removed meanwhile
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return  # its writer is alive
        if not os.read(lock, 64).strip():
            return  # its writer has not locked it yet
        with contextlib.suppress(OSError):
            if (box / OLD).is_dir() and not os.path.lexists(target):
                os.rename(box / OLD, target)
        shutil.rmtree(box, ignore_errors=True)
    finally:
        os.close(lock)
