"""Evidence files named by a questionnaire: relative, inside its folder, regular files, bounded; hashed."""

from __future__ import annotations

import hashlib
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cens_eval.constants import HASH_CHUNK_BYTES, MAX_EVIDENCE_BYTES
from cens_eval.model.questionnaire import chemin_normal


@dataclass(frozen=True, order=True)
class PieceJointe:
    """One evidence file of the manifest: path relative to the questionnaire, size and SHA-256."""

    chemin: str
    taille: int
    sha256: str


_DRIVE = re.compile(r"^[A-Za-z]:")


def check_evidence_path(base: Path, rel: str) -> str | None:
    """Why an evidence path is refused, or None when it names a regular file inside ``base``.

    The file must also be at most :data:`~cens_eval.constants.MAX_EVIDENCE_BYTES` long.
    """
    if any(ord(c) < 32 for c in rel):
        return "chemin refusé : caractère de contrôle dans le nom de fichier"
    chemin = chemin_normal(rel)
    parts = chemin.split("/")
    if chemin.startswith("/") or _DRIVE.match(chemin):
        return f"chemin absolu refusé : « {rel} » (indiquer un chemin relatif au questionnaire)"
    if ".." in parts:
        return f"chemin refusé : « {rel} » sort du dossier du questionnaire"
    full = base.joinpath(*parts)
    try:
        full.lstat()
    except OSError:
        return f"fichier de preuve introuvable : « {rel} »"
    try:
        root = base.resolve()
        resolved = full.resolve(strict=True)
    except (OSError, RuntimeError):  # a dangling link, or a loop of links
        return f"lien refusé : « {rel} » ne mène à aucun fichier"
    if not resolved.is_relative_to(root):
        return f"lien refusé : « {rel} » mène hors du dossier du questionnaire"
    try:
        status = resolved.stat()
    except OSError:
        return f"fichier de preuve introuvable : « {rel} »"
    if not stat.S_ISREG(status.st_mode):
        return f"« {rel} » n'est pas un fichier ordinaire"
    if status.st_size > MAX_EVIDENCE_BYTES:
        limit = MAX_EVIDENCE_BYTES // (1024 * 1024)
        return f"fichier trop volumineux : « {rel} » (plus de {limit} Mo)"
    return None


class Digest(Protocol):
    """What :func:`read_chunks` feeds: a ``hashlib`` object."""

    def update(self, data: bytes, /) -> None:  # noqa: D102
        ...


def read_chunks(path: Path, digest: Digest | None = None) -> Iterator[bytes]:
    """The bytes of a file in chunks of a fixed size (memory stays constant), also fed to ``digest``.

    A copy written from these chunks is exactly what was hashed.

    Raises:
        OSError: the file cannot be read.
    """
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK_BYTES):
            if digest is not None:
                digest.update(chunk)
            yield chunk


def sha256_file(path: Path) -> tuple[str, int]:
    """SHA-256 (hex) and size of a file, read in chunks: memory stays constant whatever its size.

    Raises:
        OSError: the file cannot be read.
    """
    digest = hashlib.sha256()
    size = sum(len(chunk) for chunk in read_chunks(path, digest))
    return digest.hexdigest(), size


def hash_file(base: Path, rel: str) -> PieceJointe:
    """Size and SHA-256 of an evidence file already checked by :func:`check_evidence_path`."""
    chemin = chemin_normal(rel)
    sha256, size = sha256_file(base.joinpath(*chemin.split("/")))
    return PieceJointe(chemin=chemin, taille=size, sha256=sha256)
