"""Verifications kept while a dossier folder is unchanged: a page view does not re-verify it.

Verifying a dossier re-hashes its evidence and re-renders its files (seconds for a large one).
A long-running shell (the web application) asks for the same folder's verification at every
page view; :class:`VerificationCache` answers from memory while the folder is what it was.

"What it was" is its *state*: the SHA-256 of ``dossier.json`` (the dossier's identity) and of
every small record (``revue.json``, the seals), and for every other file its path, size,
modification and change times and inode. Any write to any file of the folder — through
cens-eval or not — changes its change time (which no user-level tool can set back), so a
changed folder is always verified again. Owned by its caller, bounded, safe across threads.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cens_eval.dossier.verify import SharedWork, Verification
from cens_eval.review.seal import verify_dossier

HASHED = 1024 * 1024
"""Files up to this size (the records, the seals) are hashed; larger ones are described by stat."""


def folder_state(folder: Path, hashed: int = HASHED, skip: frozenset[str] = frozenset()) -> str:
    """A digest of everything a verification of ``folder`` reads (see the module's notes).

    Args:
        folder: the folder.
        hashed: files up to this size are hashed, larger ones described by stat only.
        skip: names of subfolders of ``folder`` left out.
    """
    digest = hashlib.sha256()
    for base, dirs, files in os.walk(folder, followlinks=False):
        if skip and Path(base) == folder:
            dirs[:] = [d for d in dirs if d not in skip]
        dirs.sort()
        for name in sorted(files):
            path = Path(base, name)
            rel = path.relative_to(folder).as_posix()
            try:
                info = path.lstat()
            except OSError:
                continue
            digest.update(f"{rel}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}".encode())
            digest.update(f"\0{info.st_ino}\0{info.st_mode}\n".encode())
            if info.st_size <= hashed and path.is_file() and not path.is_symlink():
                try:
                    digest.update(hashlib.sha256(path.read_bytes()).digest())
                except OSError:
                    continue
    return digest.hexdigest()


class VerificationCache:
    """The verifications of dossier folders, by folder and state; at most ``size`` kept."""

    def __init__(self, size: int = 32, roots: Sequence[Any] = ()) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[Path, str], Verification] = OrderedDict()
        self._lock = threading.Lock()
        self._shared = SharedWork(roots=roots)  # signatures checked against these roots
        self.verified = 0
        """How many verifications were actually run (the others were answered from memory)."""

    def verify(self, folder: Path | str) -> Verification:
        """:func:`~cens_eval.verify_dossier` of ``folder``, run again only if it changed.

        Raises:
            LoadError: the folder holds no readable dossier (never kept: asked again, re-read).
        """
        path = Path(folder).resolve()
        key = (path, folder_state(path))
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
        with self._lock:  # one verification at a time: they share the référentiels loaded
            verification = verify_dossier(path, self._shared)
            self.verified += 1
            self._entries[key] = verification
            for stale in [k for k in self._entries if k[0] == path and k != key]:
                del self._entries[stale]
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return verification
