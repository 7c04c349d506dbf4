"""Read an authority's grid (XLSX or CSV, one row per exigence) into a référentiel, with its mapping.

The mapping (:class:`~cens_eval.model.grid.Correspondance`) says where each field is. A workbook
is read with the questionnaire's defences (:mod:`cens_eval.loader.xlsx_sheet`: size and zip-bomb
limits, no macros, defusedxml, formulas refused and never evaluated, columns found by their
header, nothing given twice); a CSV file is read as UTF-8 text within the same bounds. Every
problem is located (``grille.xlsx:Exigences!C12``, ``grille.csv:12``) and all are reported at
once; ids are kept verbatim; a word, a condition or a preuve that cannot be read is refused,
never guessed. The référentiel built is then checked as any référentiel file is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cens_eval.errors import LoadError, Problem
from cens_eval.loader.document import Document
from cens_eval.loader.files import other_workbook, read_document
from cens_eval.loader.grid_rows import Line, Spec, csv_lines, xlsx_lines
from cens_eval.loader.messages import problem_at, problems_from_validation
from cens_eval.loader.referentiels import checked_referentiel, condition_problems
from cens_eval.loader.xlsx_sheet import (
    cell_text,
    shown,
)
from cens_eval.loader.yamlsafe import parse_yaml
from cens_eval.model.grid import (
    Correspondance,
    known_words,
    parse_preuves,
    word,
)
from cens_eval.model.grid import appui as read_appui
from cens_eval.model.grid import (
    choix_du_projet as parse_choix,
)
from cens_eval.model.profil import VocabulaireProfil
from cens_eval.model.questionnaire_sheets import BOOLEAN_WORDS
from cens_eval.model.referentiel import Referentiel

Loc = tuple[str | int, ...]

GRID_SUFFIXES = (".xlsx", ".csv")
"""The grid files ``referentiels import`` reads."""

_DATE_FIELDS = ("obligatoire_a_partir_du",)
_TEXT_FIELDS = ("libelle", "enonce", "theme", "theme_exception", "remplace", "note", "age_max")
_PLACE: dict[str, Loc] = {
    "non_applicable_conditions": ("non_applicable", "conditions"),
    "non_applicable_preuves": ("non_applicable", "preuves"),
    "non_applicable_hors_profil": ("non_applicable", "exige_hors_profil"),
    "source_document": ("source", "document"),
    "source_localisation": ("source", "localisation"),
    "source_appuie": ("source", "appuie"),
}
"""Where a column's value goes in an exigence, when not under its own name."""


def load_mapping(path: Path | str, vocabulaire: VocabulaireProfil) -> Correspondance:
    """Load a grid mapping file (YAML or JSON), checked against the profil vocabulary.

    Raises:
        LoadError: with every located problem of the mapping file.
    """
    doc, _ = read_document(Path(path))
    try:
        mapping = Correspondance.model_validate(doc.data)
    except ValidationError as exc:
        raise LoadError(problems_from_validation(doc, exc)) from None
    problems = _mapping_problems(doc, mapping, vocabulaire)
    if problems:
        raise LoadError(problems)
    return mapping


def _mapping_problems(
    doc: Document, mapping: Correspondance, vocabulaire: VocabulaireProfil
) -> list[Problem]:
    header = mapping.referentiel
    problems: list[Problem] = []
    for key, ids in (
        ("sources", [s.id for s in header.sources]),
        ("sections", [s.id for s in header.sections]),
    ):
        for i, item in enumerate(ids):
            if item in ids[:i]:
                problems.append(
                    problem_at(doc, ("referentiel", key, i, "id"), f"identifiant {item} en double")
                )
    source = mapping.constantes.source
    if source is not None and source.document not in {s.id for s in header.sources}:
        problems.append(
            problem_at(
                doc,
                ("constantes", "source", "document"),
                f"source {source.document} inconnue (déclarer referentiel.sources)",
            )
        )
    section = mapping.constantes.section
    if section is not None and section not in {s.id for s in header.sections}:
        problems.append(
            problem_at(
                doc,
                ("constantes", "section"),
                f"section {section} inconnue (déclarer referentiel.sections)",
            )
        )
    conditions: list[tuple[Loc, Any]] = [(("referentiel", "applicable_si"), header.applicable_si)]
    conditions += [
        (("valeurs", "applicable_si", text), condition)
        for text, condition in mapping.valeurs.applicable_si.items()
    ]
    for loc, condition in conditions:
        if condition is not None:
            problems += condition_problems(doc, loc, condition, vocabulaire)
    return problems


def import_grid(
    grid: Path | str, mapping: Path | str, vocabulaire: VocabulaireProfil
) -> Referentiel:
    """Read a grid (``.xlsx`` or ``.csv``) with its mapping into a checked référentiel.

    Args:
        grid: the grid file.
        mapping: the mapping file (YAML or JSON).
        vocabulaire: the profil vocabulary the référentiel's conditions are checked against.

    Raises:
        LoadError: with every located problem of the mapping, or else of the grid.
    """
    correspondance = load_mapping(mapping, vocabulaire)
    return build_referentiel(Path(grid), correspondance, vocabulaire)


def build_referentiel(
    grid: Path, mapping: Correspondance, vocabulaire: VocabulaireProfil
) -> Referentiel:
    """The référentiel a grid holds, read with an already loaded mapping.

    Raises:
        LoadError: with every located problem of the grid.
    """
    spec = Spec.of(mapping)
    suffix = grid.suffix.lower()
    if suffix == ".xlsx":
        lines, problems = xlsx_lines(grid, mapping, spec)
    elif suffix == ".csv":
        lines, problems = csv_lines(grid, mapping, spec)
    elif (other := other_workbook(suffix)) is not None:
        raise LoadError.at(str(grid), "", other)
    else:
        raise LoadError.at(str(grid), "", "extension inconnue : .xlsx ou .csv attendu")
    if lines is None or (not lines and problems):  # every row refused: nothing more to say
        raise LoadError(problems)
    if not lines:
        raise LoadError.at(str(grid), "", "aucune exigence dans la grille (aucune ligne remplie)")
    builder = _Builder(mapping, spec)
    data: dict[str, Any] = {
        **mapping.referentiel.model_dump(by_alias=True, exclude_none=True),
        "exigences": [builder.exigence(i, line) for i, line in enumerate(lines)],
    }
    doc = Document(str(grid), data, None, builder.cells)
    refused = [problem_at(doc, loc, message) for loc, message in builder.refused]
    seen = {(p.where, p.message.split(": ")[0]) for p in refused}
    try:
        ref = checked_referentiel(doc, vocabulaire)
    except LoadError as exc:  # one problem per cell: a word refused is not refused twice
        problems += refused + [
            p for p in exc.problems if (p.where, p.message.split(": ")[0]) not in seen
        ]
        raise LoadError(problems) from None
    problems += refused
    if problems:
        raise LoadError(problems)
    return ref


class _Builder:
    """Turns grid rows into exigence data, noting where each value came from and what it refused."""

    def __init__(self, mapping: Correspondance, spec: Spec) -> None:
        self.mapping, self.spec = mapping, spec
        self.cells: dict[Loc, str] = {}
        self.refused: list[tuple[Loc, str]] = []
        self.words = {f: known_words(mapping, f) for f in ("niveau", "principe", "fidelite")}

    def exigence(self, index: int, line: Line) -> dict[str, Any]:
        base: Loc = ("exigences", index)
        self.cells[base] = line.row
        self.cells[(*base, "id")] = line.row
        for field, column in self.spec.of_field.items():
            place = _PLACE.get(field, (field,))
            self.cells.setdefault((*base, *place), line.cells[column])
            self.cells.setdefault((*base, place[0]), line.cells[column])
        e: dict[str, Any] = {"id": line.key}
        for field in _TEXT_FIELDS:
            self._put(e, field, self._cell(line, field))
        for field in ("niveau", "principe", "fidelite"):
            self._put(e, field, self._word(line, field, base) or self._constant(field))
        self._put(e, "section", self._section(line, base) or self.mapping.constantes.section)
        self._put(e, "obligatoire_a_partir_du", self._cell(line, "obligatoire_a_partir_du"))
        self._put(e, "poids", self._cell(line, "poids") or self.mapping.constantes.poids)
        if self._cell(line, "applicable_si") is not None:
            condition = self._condition(line, base)
            if condition is not None:
                e["applicable_si"] = condition
        preuves = self._cell(line, "preuves")
        if preuves is not None:
            e["preuves"] = self._preuves(str(preuves), self.mapping.preuves, (*base, "preuves"))
        self._put(e, "non_applicable", self._non_applicable(line, base))
        self._put(e, "source", self._source(line))
        choix = self._cell(line, "choix_du_projet")
        if choix is not None:
            e["choix_du_projet"], refused = parse_choix(str(choix))
            self.refused += [((*base, "choix_du_projet"), why) for why in refused]
        return e

    @staticmethod
    def _put(e: dict[str, Any], field: str, value: Any) -> None:
        if value is not None:
            e[field] = value

    def _cell(self, line: Line, field: str) -> Any:
        column = self.spec.of_field.get(field)
        return None if column is None else cell_text(line.values.get(column))

    def _constant(self, field: str) -> Any:
        return getattr(self.mapping.constantes, field)

    def _word(self, line: Line, field: str, base: Loc) -> Any:
        value = self._cell(line, field)
        if value is None:
            return None
        member = self.words[field].get(word(str(value)))
        if member is None:
            expected = ", ".join(sorted({str(w) for w in getattr(self.mapping.valeurs, field)}))
            hint = f"mots de la correspondance : {expected} ; " if expected else ""
            self.refused.append(
                (
                    (*base, field),
                    f"« {shown(str(value))} » inconnu ({hint}ou les valeurs et libellés de "
                    f"{field}, par exemple {_examples(field)})",
                )
            )
            return str(value)
        return member

    def _section(self, line: Line, base: Loc) -> Any:
        value = self._cell(line, "section")
        if value is None:
            return None
        sections = self.mapping.referentiel.sections
        by_id = next((s.id for s in sections if s.id == str(value)), None)
        titled = [s.id for s in sections if word(s.titre) == word(str(value))]
        if by_id is not None:
            return by_id
        if len(titled) == 1:
            return titled[0]
        why = "titre de plusieurs sections" if titled else "ni identifiant ni titre d'une section"
        self.refused.append(
            (
                (*base, "section"),
                f"section « {shown(str(value))} » : {why} déclarée dans la correspondance "
                "(referentiel.sections)",
            )
        )
        return str(value)

    def _condition(self, line: Line, base: Loc) -> Any:
        text = str(self._cell(line, "applicable_si"))
        words = {word(k): v for k, v in self.mapping.valeurs.applicable_si.items()}
        if word(text) in words:
            condition = words[word(text)]
            return None if condition is None else condition.model_dump(by_alias=True)
        loc = (*base, "applicable_si")
        if not text.startswith("{"):
            known = ", ".join(self.mapping.valeurs.applicable_si) or "aucun"
            self.refused.append(
                (
                    loc,
                    f"condition « {shown(text)} » inconnue (mots de la correspondance : {known} ; "
                    "ou une condition écrite {question: …, equals: …})",
                )
            )
            return None
        try:
            parsed = parse_yaml(text, "condition").data
        except LoadError as exc:
            why = "; ".join(p.message for p in exc.problems)
            self.refused.append((loc, f"condition illisible : {why}"))
            return None
        return parsed

    def _preuves(self, text: str, regle: Any, loc: Loc) -> list[dict[str, Any]]:
        preuves, refused = parse_preuves(text, regle)
        self.refused += [(loc, why) for why in refused]
        return preuves

    def _non_applicable(self, line: Line, base: Loc) -> dict[str, Any] | None:
        conditions = self._cell(line, "non_applicable_conditions")
        preuves = self._cell(line, "non_applicable_preuves")
        hors_profil = self._cell(line, "non_applicable_hors_profil")
        if conditions is None and preuves is None and hors_profil is None:
            return None
        na: dict[str, Any] = {}
        self._put(na, "conditions", conditions)
        loc = (*base, "non_applicable", "preuves")
        na["preuves"] = self._preuves(
            "" if preuves is None else str(preuves), self.mapping.preuves_non_applicable, loc
        )
        if hors_profil is not None:
            flag = hors_profil if isinstance(hors_profil, bool) else None
            flag = BOOLEAN_WORDS.get(str(hors_profil).casefold(), flag)
            if flag is None:
                self.refused.append(
                    ((*base, "non_applicable", "exige_hors_profil"), "oui ou non attendu")
                )
            else:
                na["exige_hors_profil"] = flag
        return na

    def _source(self, line: Line) -> dict[str, Any] | None:
        constant = self.mapping.constantes.source
        document = self._cell(line, "source_document")
        localisation = self._cell(line, "source_localisation")
        appuie = self._cell(line, "source_appuie")
        if constant is not None:
            document = document or constant.document
            localisation = localisation or constant.localisation.replace("{id}", line.key)
        if document is None and localisation is None:
            return None
        source = {k: v for k, v in (("document", document), ("localisation", localisation)) if v}
        if appuie is not None:
            source["appuie"] = read_appui(str(appuie))
        return source


def _examples(field: str) -> str:
    return {
        "niveau": "exigence, Préconisation",
        "principe": "autonomie, Justice et équité",
        "fidelite": "officiel, Reconstitué",
    }[field]
