"""The rows of a grid (XLSX or CSV): each exigence's cells, by the columns its mapping names.

A workbook is read with the questionnaire's defences (:mod:`cens_eval.loader.xlsx_sheet`); a CSV
file as UTF-8 text within the same bounds, its problems located by line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cens_eval.constants import MAX_CELL_CHARS, MAX_TEXT_FILE_BYTES
from cens_eval.errors import Problem
from cens_eval.loader.files import read_bytes
from cens_eval.loader.xlsx_sheet import (
    Table,
    WorkbookReader,
    column_letter,
    open_workbook,
    reading,
    shown,
)
from cens_eval.loader.yamlsafe import decode
from cens_eval.model.base import stripped
from cens_eval.model.grid import (
    Correspondance,
    id_key,
    word,
)

Loc = tuple[str | int, ...]

_DATE_FIELDS = ("obligatoire_a_partir_du",)


@dataclass(frozen=True)
class Spec:
    """The grid's columns, from the mapping: each by the word of its header."""

    columns: list[tuple[str, str]]
    """(column key, header as the mapping writes it), read or ignored."""
    read: frozenset[str]
    key: str
    of_field: dict[str, str]
    """The column key holding each mapped field."""

    @classmethod
    def of(cls, mapping: Correspondance) -> Spec:
        """The columns a mapping names, read or ignored."""
        of_field: dict[str, str] = {}
        titles: dict[str, str] = {}
        for field, header in mapping.colonnes.model_dump(exclude_none=True).items():
            of_field[field] = word(header)
            titles.setdefault(word(header), header)
        read = frozenset(titles)
        for header in mapping.colonnes_ignorees:
            titles.setdefault(word(header), header)
        return cls(list(titles.items()), read, of_field["id"], of_field)


@dataclass(frozen=True)
class Line:
    """One exigence row: its id, the value of each column read, and where each cell is."""

    key: str
    values: dict[str, Any]
    cells: dict[str, str]
    row: str


def xlsx_lines(
    path: Path, mapping: Correspondance, spec: Spec
) -> tuple[list[Line] | None, list[Problem]]:
    """The rows of a workbook grid, and the problems found (refused cells, missing headers)."""
    wb, _ = open_workbook(path)
    reader = WorkbookReader(str(path), wb)
    lines: list[Line] | None = None
    with reading(path, wb):
        sheet = mapping.grille.feuille
        if sheet is None and len(wb.sheetnames) == 1:
            sheet = wb.sheetnames[0]
        if sheet is None:
            names = ", ".join(
                f"« {title} »" + ("" if wb[title].sheet_state == "visible" else " (masquée)")
                for title in wb.sheetnames
            )
            reader.problem(
                "",
                f"classeur de {len(wb.sheetnames)} feuilles ({names}) : indiquer la feuille à "
                "lire (grille.feuille dans la correspondance)",
            )
        else:
            duplicate = "exigence {key} déjà donnée en {cell}"
            rows = reader.table(Table(sheet, spec.columns, spec.read, spec.key, duplicate))
            if rows is not None:
                dates = {spec.of_field[f] for f in _DATE_FIELDS if f in spec.of_field}
                lines = []
                for row in rows:
                    key = reader.exact_key(row, "identifiant")
                    if key is None:
                        continue
                    values = dict(row.values)
                    for column in dates & values.keys():
                        values[column] = reader.date(row.where(column), values[column])
                    cells = {column: row.where(column) for column in spec.read}
                    lines.append(Line(key, values, cells, row.where(spec.key)))
    if lines is not None:
        lines = _distinct(lines, reader.problems, str(path), lambda at: at.partition("!")[2])
    return lines, reader.problems


def csv_lines(
    path: Path, mapping: Correspondance, spec: Spec
) -> tuple[list[Line] | None, list[Problem]]:
    """The rows of a CSV grid; the same refusals as a workbook's table, located by line."""
    name = str(path)
    text = decode(read_bytes(path, MAX_TEXT_FILE_BYTES, name), name)
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=mapping.grille.separateur, strict=True
    )
    start = 1
    try:
        for record in reader:
            records.append((start, record))
            start = reader.line_num + 1
    except csv.Error:
        why = "fichier CSV mal formé (guillemet non fermé ou mal placé)"
        return None, [Problem(name, str(start), why)]
    problems: list[Problem] = []
    if not records or records[0][0] != 1:
        return None, [Problem(name, "1", "en-têtes de colonnes attendus en ligne 1")]
    columns = _csv_header(name, records[0][1], spec, problems)
    if columns is None:
        return None, problems
    lines: list[Line] = []
    first: dict[str, int] = {}
    for number, record in records[1:]:
        where = str(number)
        values: dict[str, Any] = {}
        for index, cell in enumerate(record):
            column = columns.get(index)
            if len(cell) > MAX_CELL_CHARS:
                problems.append(
                    Problem(
                        name, where, f"cellule trop longue (plus de {MAX_CELL_CHARS} caractères)"
                    )
                )
                continue
            value = stripped(cell) or None
            if column is None:
                if value is not None:
                    problems.append(
                        Problem(
                            name,
                            where,
                            f"colonne {index + 1} : valeur dans une colonne sans en-tête : "
                            "elle ne serait pas lue",
                        )
                    )
            elif column in spec.read:
                values[column] = value
        if all(v is None for v in values.values()):
            continue
        key = values.pop(spec.key, None)
        if key is None:
            title = dict(spec.columns)[spec.key]
            problems.append(
                Problem(
                    name,
                    where,
                    f"ligne remplie sans « {title} » : la renseigner ou vider la ligne",
                )
            )
            continue
        if key in first:
            problems.append(
                Problem(name, where, f"exigence {key} déjà donnée en ligne {first[key]}")
            )
            continue
        first[key] = number
        cells = {column: where for column in spec.read}
        lines.append(Line(key, values, cells, where))
    return _distinct(lines, problems, name, lambda at: f"ligne {at}"), problems


def _distinct(
    lines: list[Line], problems: list[Problem], name: str, place: Callable[[str], str]
) -> list[Line]:
    """The lines whose ids a reader tells apart; the others refused, naming both cells.

    ``EX.01`` and ``ex.01`` (or ``EX. 01``, ``ÉX.01``) are one id to a person reading the grid:
    the second is refused rather than imported as another exigence.
    """
    first: dict[str, Line] = {}
    kept = []
    for line in lines:
        same = first.setdefault(id_key(line.key), line)
        if same is line:
            kept.append(line)
            continue
        problems.append(
            Problem(
                name,
                line.row,
                f"identifiant {line.key} confondu avec {same.key} déjà donné en "
                f"{place(same.row)} (seuls la casse, les accents ou les espaces diffèrent)",
            )
        )
    return kept


def _csv_header(
    name: str, header: list[str], spec: Spec, problems: list[Problem]
) -> dict[int, str] | None:
    """Column key of each position of the header line; None once unknown, repeated or missing."""
    keys = {key for key, _ in spec.columns}
    titles = dict(spec.columns)
    found: dict[str, int] = {}
    before = len(problems)
    for index, cell in enumerate(header):
        text = stripped(cell)
        if not text:
            continue
        key = word(text)
        if key not in keys:
            problems.append(Problem(name, "1", f"colonne « {shown(text)} » inconnue"))
        elif key in found:
            problems.append(
                Problem(
                    name,
                    "1",
                    f"colonne « {titles[key]} » déjà en colonne {column_letter(found[key] + 1)}",
                )
            )
        else:
            found[key] = index
    for key in sorted(spec.read - found.keys()):
        problems.append(Problem(name, "1", f"en-tête « {titles[key]} » introuvable en ligne 1"))
    if len(problems) > before:
        return None
    return {index: key for key, index in found.items()}
