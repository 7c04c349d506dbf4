"""Read a filled questionnaire workbook (untrusted XLSX) into the same data as its YAML twin.

Guards: size on disk and uncompressed (zip bomb), no macros, XML parsed through defusedxml
(openpyxl uses it when installed), formulas refused (never evaluated), cells bounded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cens_eval.catalogue import Catalogue
from cens_eval.constants import MAX_CELL_CHARS, MAX_WORKBOOK_BYTES, MAX_WORKBOOK_UNCOMPRESSED_BYTES
from cens_eval.errors import LoadError, Problem
from cens_eval.loader.document import Document
from cens_eval.loader.files import read_bytes
from cens_eval.vocabulary import TypePreuve
from cens_eval.workbook_layout import (
    BOOLEAN_WORDS,
    COLUMN_INDEX,
    COLUMN_LETTER,
    COLUMNS,
    IDENTITE_FIELDS,
    SHEET_IDENTITE,
    SHEET_PROFIL,
    SHEET_REFERENTIELS,
    STATUT_BY_LABEL,
)

Loc = tuple[str | int, ...]
_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")


def open_workbook(path: Path) -> tuple[Any, str]:
    """Open an untrusted workbook read-only after the container checks; returns it and its SHA-256."""
    name = str(path)
    raw = read_bytes(path, MAX_WORKBOOK_BYTES, name)
    _check_container(path, name)
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise LoadError.at(name, "", "defusedxml est requis pour lire un classeur")
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many types on a malformed archive
        raise LoadError.at(name, "", "classeur illisible (archive ou XML invalide)") from None
    return wb, hashlib.sha256(raw).hexdigest()


@contextmanager
def reading(path: Path, wb: Any) -> Iterator[None]:
    """Read an open workbook, then close it; any parser failure becomes a refusal of the file.

    openpyxl parses sheets lazily, so a malformed part surfaces only while reading, as any of
    its many exception types.
    """
    try:
        yield
    except LoadError:
        raise
    except Exception:  # untrusted archive: every parser failure is an input problem
        raise LoadError.at(str(path), "", "classeur illisible (archive ou XML invalide)") from None
    finally:
        wb.close()


def read_questionnaire_workbook(path: Path, catalogue: Catalogue) -> tuple[Document, str]:
    """Parse a questionnaire workbook; returns a document whose locations are cells."""
    wb, digest = open_workbook(path)
    reader = _QuestionnaireReader(str(path), wb, catalogue)
    with reading(path, wb):
        data = reader.read()
    if reader.problems:
        raise LoadError(reader.problems)
    return Document(str(path), data, None, reader.cells), digest


def _check_container(path: Path, name: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise LoadError.at(name, "", "ce fichier n'est pas un classeur .xlsx valide") from None
    if any(info.filename.lower().endswith("vbaproject.bin") for info in infos):
        raise LoadError.at(name, "", "classeur refusé : il contient des macros")
    if sum(info.file_size for info in infos) > MAX_WORKBOOK_UNCOMPRESSED_BYTES:
        raise LoadError.at(name, "", "classeur refusé : contenu décompressé trop volumineux")


class WorkbookReader:
    """Reads cells of an open workbook, refusing formulas and oversized cells, with their place."""

    def __init__(self, name: str, wb: Any) -> None:
        self.name, self.wb = name, wb
        self.problems: list[Problem] = []
        self.cells: dict[Loc, str] = {}

    def problem(self, where: str, message: str) -> None:
        """Record a problem at a cell."""
        self.problems.append(Problem(self.name, where, message))

    def sheet_rows(self, title: str, width: int) -> list[tuple[Any, ...]] | None:
        """Values of rows 2.. of a sheet (``width`` columns), or None when the sheet is missing."""
        if title not in self.wb.sheetnames:
            self.problem("", f"feuille « {title} » absente du classeur")
            return None
        rows = []
        for row in self.wb[title].iter_rows(min_row=2, max_col=width):
            values = []
            for cell in row:
                values.append(self.value(title, cell))
            rows.append(tuple(values))
        return rows

    def value(self, title: str, cell: Any) -> Any:
        """One cell's value: stripped text, or None; a formula is refused."""
        if getattr(cell, "value", None) is None:
            return None
        ref = f"{title}!{cell.coordinate}"
        if cell.data_type == "f":
            self.problem(ref, "formule refusée : saisir une valeur")
            return None
        value = cell.value
        if isinstance(value, str):
            if len(value) > MAX_CELL_CHARS:
                self.problem(ref, f"cellule trop longue (plus de {MAX_CELL_CHARS} caractères)")
                return None
            value = value.strip() or None
        return value


class _QuestionnaireReader(WorkbookReader):
    def __init__(self, name: str, wb: Any, catalogue: Catalogue) -> None:
        super().__init__(name, wb)
        self.catalogue = catalogue

    def read(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "editeur": {},
            "solution": {},
            "referentiels": [],
            "profil": {},
            "reponses": {},
        }
        self._identite(data)
        self._profil(data)
        self._referentiels(data)
        return data

    def _identite(self, data: dict[str, Any]) -> None:
        rows = self.sheet_rows(SHEET_IDENTITE, 3)
        if rows is None:
            return
        by_key = {row[0]: (i, row) for i, row in enumerate(rows, start=2) if row and row[0]}
        for section, field, _ in IDENTITE_FIELDS:
            found = by_key.get(f"{section}.{field}")
            if found is None:
                continue
            row_number, row = found
            value = row[2] if len(row) > 2 else None
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = str(int(value)) if float(value).is_integer() else str(value)
            self.cells[(section, field)] = f"{SHEET_IDENTITE}!C{row_number}"
            self.cells.setdefault((section,), f"{SHEET_IDENTITE}!A{row_number}")
            if value is not None:
                data[section][field] = value

    def _profil(self, data: dict[str, Any]) -> None:
        rows = self.sheet_rows(SHEET_PROFIL, 3)
        if rows is None:
            return
        self.cells[("profil",)] = f"{SHEET_PROFIL}!A1"
        for i, row in enumerate(rows, start=2):
            if not row or not row[0]:
                continue
            question_id, answer = str(row[0]), row[2] if len(row) > 2 else None
            where = f"{SHEET_PROFIL}!C{i}"
            self.cells[("profil", question_id)] = where
            question = self.catalogue.vocabulaire.question(question_id)
            if answer is None:
                self.problem(where, f"réponse manquante à la question de profil {question_id}")
                continue
            if question is not None and question.type.value == "booleen":
                word = str(answer).casefold() if not isinstance(answer, bool) else None
                answer = BOOLEAN_WORDS.get(word, answer) if word is not None else answer
            data["profil"][question_id] = answer

    def _referentiels(self, data: dict[str, Any]) -> None:
        rows = self.sheet_rows(SHEET_REFERENTIELS, 3)
        if rows is None:
            return
        for i, row in enumerate(rows, start=2):
            if not row or not row[0]:
                continue
            index = len(data["referentiels"])
            self.cells[("referentiels", index)] = f"{SHEET_REFERENTIELS}!A{i}"
            self.cells[("referentiels", index, "version")] = f"{SHEET_REFERENTIELS}!B{i}"
            ref_id, version = (
                str(row[0]),
                str(row[1]) if len(row) > 1 and row[1] is not None else "",
            )
            data["referentiels"].append({"id": ref_id, "version": version})
            answers = self._answers(ref_id, version)
            if answers:
                data["reponses"][ref_id] = answers

    def _answers(self, ref_id: str, version: str) -> dict[str, Any]:
        title = ref_id[:31]
        rows = self.sheet_rows(title, len(COLUMNS))
        ref = self.catalogue.get(ref_id, version)
        answers: dict[str, Any] = {}
        for i, row in enumerate(rows or [], start=2):
            exigence_id = row[COLUMN_INDEX["id"]] if row else None
            if not exigence_id:
                continue
            exigence_id = str(exigence_id)
            loc: Loc = ("reponses", ref_id, exigence_id)
            for key in ("statut", "justification", "preuves"):
                self.cells[(*loc, key)] = f"{title}!{COLUMN_LETTER[key]}{i}"
            self.cells[loc] = f"{title}!A{i}"
            self.cells[(*loc, "engagement")] = f"{title}!{COLUMN_LETTER['engagement_action']}{i}"
            self.cells[(*loc, "engagement", "action")] = (
                f"{title}!{COLUMN_LETTER['engagement_action']}{i}"
            )
            self.cells[(*loc, "engagement", "echeance")] = (
                f"{title}!{COLUMN_LETTER['engagement_echeance']}{i}"
            )
            answer = self._answer(row, ref, exigence_id, title, i, loc)
            if answer:
                answers[exigence_id] = answer
        return answers

    def _answer(
        self, row: tuple[Any, ...], ref: Any, exigence_id: str, title: str, i: int, loc: Loc
    ) -> dict[str, Any]:
        def col(key: str) -> Any:
            index = COLUMN_INDEX[key]
            return row[index] if index < len(row) else None

        answer: dict[str, Any] = {}
        statut = col("statut")
        if statut is not None:
            answer["statut"] = STATUT_BY_LABEL.get(str(statut).casefold(), str(statut))
        if col("justification") is not None:
            answer["justification"] = str(col("justification"))
        preuves_text = col("preuves")
        if preuves_text is not None:
            exigence = ref.exigence(exigence_id) if ref else None
            answer["preuves"] = self._preuves(
                str(preuves_text), exigence, f"{title}!{COLUMN_LETTER['preuves']}{i}", loc
            )
        action, echeance = col("engagement_action"), col("engagement_echeance")
        if action is not None or echeance is not None:
            if isinstance(echeance, dt.datetime):
                echeance = echeance.date().isoformat()
            elif isinstance(echeance, dt.date):
                echeance = echeance.isoformat()
            answer["engagement"] = {
                k: v for k, v in (("action", action), ("echeance", echeance)) if v is not None
            }
        return answer

    def _preuves(self, text: str, exigence: Any, where: str, loc: Loc) -> list[dict[str, Any]]:
        preuves = []
        for index, line in enumerate(line for line in text.splitlines() if line.strip()):
            self.cells[(*loc, "preuves", index)] = where
            attendue, sep, rest = line.partition(":")
            if not sep or not attendue.strip() or not rest.strip():
                self.problem(
                    where,
                    f"preuve illisible « {line.strip()} » (attendu « identifiant : fichier, URL ou valeur »)",
                )
                continue
            attendue = attendue.strip()
            expected = exigence.preuve(attendue) if exigence else None
            kind = expected.type if expected else None
            preuve: dict[str, Any] = {"attendue": attendue}
            for part in (p.strip() for p in rest.split("|")):
                if kind is TypePreuve.MESURE and _NUMBER.match(part) and "valeur" not in preuve:
                    preuve["valeur"] = part.replace(",", ".")
                elif part.startswith(("http://", "https://")):
                    preuve["url"] = part
                elif kind is TypePreuve.DECLARATION:
                    preuve["declaration"] = part
                else:
                    preuve["fichier"] = part
            preuves.append(preuve)
        return preuves
