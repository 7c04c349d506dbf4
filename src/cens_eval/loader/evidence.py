"""Evidence files named by a questionnaire: relative, inside its folder, regular files; hashed."""

from __future__ import annotations

import hashlib
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


@dataclass(frozen=True, order=True)
class PieceJointe:
    """One evidence file of the manifest: path relative to the questionnaire, size and SHA-256."""

    chemin: str
    taille: int
    sha256: str


_DRIVE = re.compile(r"^[A-Za-z]:")


def normalise(rel: str) -> str:
    """Spreadsheet users type Windows separators; paths are stored with ``/``."""
    return rel.replace("\\", "/")


def check_evidence_path(base: Path, rel: str) -> str | None:
    """Why an evidence path is refused, or None when it names a regular file inside ``base``."""
    if any(ord(c) < 32 for c in rel):
        return "chemin refusé : caractère de contrôle dans le nom de fichier"
    path = PurePosixPath(normalise(rel))
    if path.is_absolute() or _DRIVE.match(rel):
        return f"chemin absolu refusé : « {rel} » (indiquer un chemin relatif au questionnaire)"
    if ".." in path.parts:
        return f"chemin refusé : « {rel} » sort du dossier du questionnaire"
    full = base.joinpath(*path.parts)
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
        mode = resolved.stat().st_mode
    except OSError:
        return f"fichier de preuve introuvable : « {rel} »"
    if not stat.S_ISREG(mode):
        return f"« {rel} » n'est pas un fichier ordinaire"
    return None


def hash_file(base: Path, rel: str) -> PieceJointe:
    """Size and SHA-256 of an evidence file already checked by :func:`check_evidence_path`."""
    full = base.joinpath(*PurePosixPath(normalise(rel)).parts)
    digest = hashlib.sha256()
    size = 0
    with full.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return PieceJointe(chemin=normalise(rel), taille=size, sha256=digest.hexdigest())
