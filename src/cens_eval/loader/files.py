"""Read one input file within bounds and parse it by its extension."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from cens_eval.constants import MAX_TEXT_FILE_BYTES
from cens_eval.errors import LoadError
from cens_eval.loader.document import Document
from cens_eval.loader.jsonsafe import parse_json
from cens_eval.loader.yamlsafe import decode, parse_yaml

TEXT_SUFFIXES = (".yaml", ".yml", ".json")


def read_bytes(path: Path, limit: int, display: str | None = None) -> bytes:
    """Read a regular file of at most ``limit`` bytes, or raise a located LoadError."""
    name = display or str(path)
    try:
        if not path.is_file():
            what = "introuvable" if not path.exists() else "n'est pas un fichier ordinaire"
            raise LoadError.at(name, "", f"fichier {what}")
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise LoadError.at(name, "", f"lecture impossible : {exc.strerror}") from None
    if len(raw) > limit:
        raise LoadError.at(
            name, "", f"fichier trop volumineux (plus de {limit // (1024 * 1024)} Mo)"
        )
    return raw


def read_document(path: Path, display: str | None = None) -> tuple[Document, str]:
    """Parse a YAML or JSON file; returns the document and the SHA-256 of its bytes."""
    name = display or str(path)
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        raise LoadError.at(name, "", "extension inconnue : .yaml, .yml ou .json attendu")
    raw = read_bytes(path, MAX_TEXT_FILE_BYTES, name)
    return parse_document(raw, name, suffix), hashlib.sha256(raw).hexdigest()


def parse_document(raw: bytes, name: str, suffix: str) -> Document:
    """Parse the bytes of a YAML or JSON file (``suffix``) whose top level must be a mapping."""
    text = decode(raw, name)
    doc = parse_json(text, name) if suffix == ".json" else parse_yaml(text, name)
    if not isinstance(doc.data, dict):
        raise LoadError.at(name, "1", "le document doit être un objet (clé: valeur)")
    return doc


OTHER_WORKBOOKS = {
    ".xlsm": "avec macros",
    ".xltm": "avec macros",
    ".xls": "Excel 97-2003",
    ".xlsb": "Excel binaire",
    ".ods": "OpenDocument (LibreOffice)",
    ".fods": "OpenDocument (LibreOffice)",
    ".numbers": "Numbers",
}
"""Spreadsheet files that are not read, with what they are."""


def other_workbook(suffix: str) -> str | None:
    """Why a spreadsheet of another format is refused, with the advice to save it as .xlsx.

    Args:
        suffix: the file's extension, lower case (``.ods``).

    Returns:
        The French message, or None for any other extension.
    """
    kind = OTHER_WORKBOOKS.get(suffix)
    if kind is None:
        return None
    return (
        f"classeur {suffix} ({kind}) refusé : enregistrez-le au format .xlsx "
        "(Classeur Excel, sans macros) puis relancez"
    )


def read_form(
    path: Path, read_workbook: Callable[[Path], tuple[Document, str]]
) -> tuple[Document, str]:
    """Parse a file an éditeur or an evaluator fills: YAML, JSON, or an .xlsx read by ``read_workbook``.

    Macro-enabled and legacy workbooks are refused by name, before anything is opened.
    """
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return read_document(path)
    if suffix == ".xlsx":
        return read_workbook(path)
    refused = other_workbook(suffix)
    if refused is not None:
        raise LoadError.at(str(path), "", refused)
    raise LoadError.at(str(path), "", "extension inconnue : .yaml, .json ou .xlsx attendu")
