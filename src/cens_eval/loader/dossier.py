"""Read a submitted dossier folder: its ``dossier.json`` (untrusted) and the hashes of its files."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from cens_eval.constants import MAX_DOSSIER_JSON_BYTES
from cens_eval.dossier import Dossier
from cens_eval.errors import LoadError
from cens_eval.loader.evidence import check_evidence_path, hash_file
from cens_eval.loader.files import read_bytes
from cens_eval.loader.jsonsafe import parse_json
from cens_eval.loader.messages import problems_from_validation
from cens_eval.loader.yamlsafe import decode
from cens_eval.review import DossierRevu

DOSSIER_JSON = "dossier.json"
REVUE_JSON = "revue.json"
M = TypeVar("M", bound=Dossier)


def read_dossier(directory: Path) -> tuple[Dossier, bytes]:
    """The dossier recorded in a folder, and the exact bytes of its ``dossier.json``."""
    return _read(directory, DOSSIER_JSON, Dossier)


def read_reviewed(directory: Path) -> tuple[DossierRevu, bytes]:
    """The reviewed dossier recorded in a folder (``revue.json``), and its exact bytes."""
    return _read(directory, REVUE_JSON, DossierRevu)


def _read(directory: Path, name: str, model: type[M]) -> tuple[M, bytes]:
    if not directory.is_dir():
        raise LoadError.at(str(directory), "", "dossier introuvable (un répertoire est attendu)")
    path = directory / name
    raw = read_bytes(path, MAX_DOSSIER_JSON_BYTES, str(path))
    doc = parse_json(decode(raw, str(path)), str(path))
    try:
        return model.model_validate(doc.data), raw
    except ValidationError as exc:
        raise LoadError(problems_from_validation(doc, exc)) from None


def file_problem(directory: Path, rel: str, sha256: str, size: int | None = None) -> str | None:
    """Why a file recorded in the dossier does not match it, or None when it does."""
    refused = check_evidence_path(directory, rel)
    if refused:
        return refused.replace("fichier de preuve introuvable", "fichier absent")
    actual = hash_file(directory, rel)
    if size is not None and actual.taille != size:
        return f"taille {actual.taille} octets au lieu de {size} : fichier modifié"
    if actual.sha256 != sha256:
        return "empreinte SHA-256 différente de celle du dossier : fichier modifié"
    return None
