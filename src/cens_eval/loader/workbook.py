"""Read a filled questionnaire workbook (untrusted XLSX) into the same data as its YAML twin.

The guards and the table reading (columns by header, rows by key, nothing given twice) are in
:mod:`cens_eval.loader.xlsx_sheet`; this module knows the questionnaire's sheets.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from cens_eval.errors import LoadError
from cens_eval.loader.document import Document
from cens_eval.loader.xlsx_sheet import (
    Loc,
    Row,
    Table,
    WorkbookReader,
    cell_text,
    open_workbook,
    reading,
)
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.migration import A_RECONFIRMER_COLUMNS, SHEET_A_RECONFIRMER
from cens_eval.model.questionnaire_sheets import (
    ANSWER_COLUMNS,
    BOOLEAN_WORDS,
    COLUMNS,
    IDENTITE_COLUMNS,
    IDENTITE_FIELDS,
    OPTIONAL_COLUMNS,
    PROFIL_COLUMNS,
    REFERENTIELS_COLUMNS,
    SHEET_IDENTITE,
    SHEET_INSTRUCTIONS,
    SHEET_PROFIL,
    SHEET_REFERENTIELS,
    STATUT_BY_LABEL,
    Columns,
    parse_preuves,
    sheet_title,
)
from cens_eval.model.reprise_cells import parse_reprise_cells
from cens_eval.model.vocabulary import STATUT_LABELS, TypePreuve


def read_questionnaire_workbook(path: Path, catalogue: Catalogue) -> tuple[Document, str]:
    """Parse a questionnaire workbook; returns a document whose locations are cells."""
    wb, digest = open_workbook(path)
    reader = _QuestionnaireReader(str(path), wb, catalogue)
    with reading(path, wb):
        data = reader.read()
    if reader.problems:
        raise LoadError(reader.problems)
    return Document(str(path), data, None, reader.cells), digest


def _table(
    sheet: str,
    columns: Columns,
    read: set[str],
    duplicate: str,
    optional: frozenset[str] = frozenset(),
) -> Table:
    titles = [(k, title) for k, title, _ in columns]
    return Table(sheet, titles, read, columns[0][0], duplicate, optional)


_IDENTITE = _table(SHEET_IDENTITE, IDENTITE_COLUMNS, {"valeur"}, "champ {key} déjà donné en {cell}")
_PROFIL = _table(SHEET_PROFIL, PROFIL_COLUMNS, {"reponse"}, "question {key} déjà donnée en {cell}")
_REFERENTIELS = _table(
    SHEET_REFERENTIELS, REFERENTIELS_COLUMNS, {"version"}, "référentiel {key} déjà donné en {cell}"
)
_FIELDS = {f"{section}.{field}": (section, field) for section, field, _ in IDENTITE_FIELDS}


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
        sheets = self._referentiels(data)
        if sheets is not None:  # else which sheets are the référentiels' is not known
            known = {SHEET_INSTRUCTIONS, SHEET_IDENTITE, SHEET_PROFIL, SHEET_REFERENTIELS}
            self.check_sheets(known | set(sheets) | {SHEET_A_RECONFIRMER})
        if SHEET_A_RECONFIRMER in self.wb.sheetnames:
            self._a_reconfirmer(data)
        return data

    def _a_reconfirmer(self, data: dict[str, Any]) -> None:
        """Marks of the answers still to reconfirm (a deleted row is a confirmed answer)."""
        spec = _table(
            SHEET_A_RECONFIRMER,
            A_RECONFIRMER_COLUMNS,
            {"referentiel", "exigence", "changements"},
            "ligne {key} déjà donnée en {cell}",
        )
        first: dict[tuple[str, str], str] = {}
        for row in self.table(spec) or []:
            values = [cell_text(row.get(k)) for k in ("referentiel", "exigence", "changements")]
            missing = [
                k
                for k, v in zip(("referentiel", "exigence", "changements"), values, strict=True)
                if v is None
            ]
            if missing:
                self.problem(
                    row.where(missing[0]),
                    "ligne incomplète : indiquer référentiel, exigence et ce qui a changé, "
                    "ou supprimer la ligne une fois la réponse vérifiée",
                )
                continue
            ref_id, exigence_id, text = (str(v) for v in values)
            if (ref_id, exigence_id) in first:
                self.problem(
                    row.where("exigence"),
                    f"exigence {exigence_id} déjà à reconfirmer en {first[(ref_id, exigence_id)]}",
                )
                continue
            first[(ref_id, exigence_id)] = row.where("exigence")
            loc: Loc = ("reponses", ref_id, exigence_id)
            self.cells.setdefault(loc, row.where("exigence"))
            self.cells[(*loc, "a_reconfirmer")] = row.where("changements")
            marks = [line.strip() for line in text.split("\n") if line.strip()]
            answers = data["reponses"].setdefault(ref_id, {})
            answers.setdefault(exigence_id, {})["a_reconfirmer"] = marks

    def _identite(self, data: dict[str, Any]) -> None:
        for section in ("editeur", "solution"):
            self.cells[(section,)] = f"{SHEET_IDENTITE}!A1"
        for row in self.table(_IDENTITE) or []:
            place = _FIELDS.get(row.key)
            if place is None:
                known = ", ".join(_FIELDS)
                self.problem(row.where("champ"), f"champ inconnu « {row.key} » (attendu : {known})")
                continue
            section, field = place
            self.cells[place] = row.where("valeur")
            value = cell_text(self._identite_text(row, field))
            if value is not None:
                data[section][field] = value

    def _identite_text(self, row: Row, field: str) -> Any:
        """A SIREN or a version typed as a number is read only when exact (else refused)."""
        if field == "siren":
            return self.exact_text(row, "valeur", "SIREN", digits=9)
        if field == "version":
            return self.exact_text(row, "valeur", "version")
        return row.get("valeur")

    def _profil(self, data: dict[str, Any]) -> None:
        self.cells[("profil",)] = f"{SHEET_PROFIL}!A1"
        for row in self.table(_PROFIL) or []:
            where = row.where("reponse")
            self.cells[("profil", row.key)] = where
            answer = row.get("reponse")
            if answer is None:
                self.problem(where, f"réponse manquante à la question de profil {row.key}")
                continue
            question = self.catalogue.vocabulaire.question(row.key)
            boolean = question is not None and question.type.value == "booleen"
            if isinstance(answer, str):  # as listed, whatever the case and spacing typed
                typed = " ".join(answer.split()).casefold()
                if boolean:
                    answer = BOOLEAN_WORDS.get(typed, answer)
                elif question is not None:
                    ids = {c.id.casefold(): c.id for c in question.choix}
                    answer = ids.get(typed, answer)
            data["profil"][row.key] = answer

    def _referentiels(self, data: dict[str, Any]) -> list[str] | None:
        """Read the Référentiels sheet and each référentiel's sheet; returns those sheets."""
        rows = self.table(_REFERENTIELS)
        if rows is None:
            return None
        sheets = []
        for index, row in enumerate(rows):
            self.cells[("referentiels", index)] = row.where("id")
            self.cells[("referentiels", index, "version")] = row.where("version")
            version = cell_text(self.exact_text(row, "version", "version du référentiel"))
            data["referentiels"].append(
                {"id": row.key, "version": "" if version is None else version}
            )
            sheets.append(sheet_title(row.key))
            answers = self._answers(row.key, str(version or ""))
            if answers:
                data["reponses"][row.key] = answers
        return sheets

    def _answers(self, ref_id: str, version: str) -> dict[str, Any]:
        duplicate = "exigence {key} déjà donnée en {cell}"
        spec = _table(
            sheet_title(ref_id), COLUMNS, set(ANSWER_COLUMNS), duplicate, OPTIONAL_COLUMNS
        )
        ref = self.catalogue.get(ref_id, version)
        answers: dict[str, Any] = {}
        for row in self.table(spec) or []:
            loc: Loc = ("reponses", ref_id, row.key)
            self.cells[loc] = row.where("id")
            for key in ("statut", "justification", "preuves"):
                self.cells[(*loc, key)] = row.where(key)
            self.cells[(*loc, "engagement")] = row.where("engagement_action")
            self.cells[(*loc, "engagement", "action")] = row.where("engagement_action")
            self.cells[(*loc, "engagement", "echeance")] = row.where("engagement_echeance")
            answer = self._answer(row, ref.exigence(row.key) if ref else None, loc)
            if answer:
                answers[row.key] = answer
        return answers

    def _answer(self, row: Row, exigence: Any, loc: Loc) -> dict[str, Any]:
        answer: dict[str, Any] = {}
        statut = row.get("statut")
        if statut is not None:
            typed = " ".join(str(statut).split())
            known = STATUT_BY_LABEL.get(typed.casefold())
            if known is None:  # said with the labels of the dropdown, which the éditeur sees
                labels = ", ".join(f"« {label} »" for label in STATUT_LABELS.values())
                where = f"{loc[1]} › Exigence {row.key} › statut"
                message = f"{where}: « {typed} » n'est pas un statut ; choisir {labels}"
                self.problem(row.where("statut"), message)
            else:
                answer["statut"] = known
        if row.get("justification") is not None:
            answer["justification"] = cell_text(row.get("justification"))
        preuves = row.get("preuves")
        if preuves is not None:
            answer["preuves"] = self._preuves(str(cell_text(preuves)), exigence, row, loc)
        action = cell_text(row.get("engagement_action"))
        echeance = self.date(row.where("engagement_echeance"), row.get("engagement_echeance"))
        if action is not None or echeance is not None:
            answer["engagement"] = {
                k: v for k, v in (("action", action), ("echeance", echeance)) if v is not None
            }
        self._reprise(row, loc, answer)
        return answer

    def _reprise(self, row: Row, loc: Loc, answer: dict[str, Any]) -> None:
        """The answers this one takes from others (« Reprise de », « Reprise confirmée »)."""
        sources, confirmee = row.get("reprise"), row.get("reprise_confirmee")
        if sources is None and confirmee is None:  # also a workbook written before 0.2.0
            return
        where = row.where("reprise") if "reprise" in row.letters else row.where("id")
        confirmed_at = row.where("reprise_confirmee") if confirmee is not None else where
        text = cell_text(sources)
        cell = parse_reprise_cells(None if text is None else str(text), cell_text(confirmee))
        prefix = f"{loc[1]} › Exigence {row.key} › reprise: "
        for message in cell.source_problems:
            self.problem(where, prefix + message)
        for message in cell.confirmee_problems:
            self.problem(confirmed_at, prefix + message)
        if cell.reprises:  # one source is a mapping, as in YAML (its messages say « › reprise »)
            answer["reprise"] = cell.reprises[0] if len(cell.reprises) == 1 else cell.reprises
            self.cells[(*loc, "reprise")] = where
            for index in range(len(cell.reprises)):
                self.cells[(*loc, "reprise", index)] = where
                self.cells[(*loc, "reprise", index, "confirmee")] = confirmed_at

    def _preuves(self, text: str, exigence: Any, row: Row, loc: Loc) -> list[dict[str, Any]]:
        def kind_of(attendue: str) -> Any:
            expected = exigence.preuve(attendue) if exigence else None
            return expected.type if expected else None

        where = row.where("preuves")
        cell = parse_preuves(text, kind_of)
        for message in cell.problems:
            self.problem(where, message)
        for preuve in cell.preuves:
            _sworn_statement_as_text(preuve, kind_of(preuve["attendue"]), text)
        for index in range(len(cell.preuves)):
            self.cells[(*loc, "preuves", index)] = where
        return cell.preuves


_FILE_NAME = re.compile(r"\S+|.*\.[A-Za-z0-9]{1,5}")
"""What a file name typed in a cell looks like: one word, or anything ending in an extension."""


def _sworn_statement_as_text(preuve: dict[str, Any], kind: TypePreuve | None, text: str) -> None:
    """A statement typed as text for an attestation sur l'honneur is its text, not a file name.

    The cell reads an unquoted part as a path for this kind of preuve; a sentence (several words,
    no extension) is the statement itself, read as a declaration so that the check asks for the
    signed file instead of looking for a file named like the sentence. A part written
    ``fichier "…"`` stays a path.
    """
    fichier = preuve.get("fichier")
    if kind is not TypePreuve.ATTESTATION_SUR_L_HONNEUR or not isinstance(fichier, str):
        return
    quoted = fichier.replace('"', '""')
    labelled = f'fichier "{quoted}"' in text
    if not labelled and not _FILE_NAME.fullmatch(fichier) and "declaration" not in preuve:
        preuve["declaration"] = preuve.pop("fichier")
