"""A référentiel written as a grid (XLSX or CSV, one row per exigence) in the canonical layout.

The grid and its mapping (:func:`~cens_eval.model.grid.canonical_mapping`) read back, through
``referentiels import``, into an equal référentiel: what a cell could not hold exactly is
refused (:class:`GridExportError`), never written otherwise.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from decimal import Decimal

from openpyxl import Workbook

from cens_eval.constants import MAX_CELL_CHARS
from cens_eval.errors import CensEvalError
from cens_eval.model.fidelity import FIDELITE_LABELS
from cens_eval.model.grid import (
    CANONICAL_HEADERS,
    CANONICAL_NIVEAUX,
    CANONICAL_SHEET,
    GRID_FIELDS,
    Correspondance,
    appui_cell,
    canonical_mapping,
    choix_line,
    piece_problem,
    preuve_piece,
    word,
)
from cens_eval.model.questionnaire_sheets import unwritable_character
from cens_eval.model.referentiel import Exigence, Referentiel
from cens_eval.model.vocabulary import PRINCIPE_LABELS
from cens_eval.render.xlsx_cells import FORMULA_PREFIXES, table, workbook_bytes
from cens_eval.render.yaml_data import model_data, yaml_text

Cell = str | Decimal | dt.date | None


class GridExportError(CensEvalError):
    """Values of a référentiel that a grid cell cannot hold and give back the same.

    Attributes:
        refusals: (exigence id, French reason) of each value refused.
    """

    def __init__(self, refusals: list[tuple[str, str]]) -> None:
        self.refusals = refusals
        super().__init__("; ".join(f"Exigence {i} › {why}" for i, why in refusals))


def grid_rows(ref: Referentiel) -> list[dict[str, Cell]]:
    """The value of each canonical column, row by row (texts, numbers and dates)."""
    niveaux = {niveau: text for text, niveau in CANONICAL_NIVEAUX.items()}
    rows = []
    for e in ref.exigences:
        na = e.non_applicable
        row: dict[str, Cell] = {
            "id": e.id,
            "section": _section(ref, e.section),
            "libelle": e.libelle,
            "enonce": e.enonce,
            "principe": PRINCIPE_LABELS[e.principe],
            "niveau": niveaux[e.niveau],
            "obligatoire_a_partir_du": e.obligatoire_a_partir_du,
            "applicable_si": _condition(e),
            "preuves": "\n".join(preuve_piece(p) for p in e.preuves) or None,
            "non_applicable_conditions": na.conditions if na else None,
            "non_applicable_preuves": "\n".join(preuve_piece(p) for p in na.preuves)
            if na
            else None,
            "non_applicable_hors_profil": ("oui" if na.exige_hors_profil else "non")
            if na
            else None,
            "poids": e.poids,
            "source_document": e.source.document,
            "source_localisation": e.source.localisation,
            "source_appuie": appui_cell(e.source.appuie.niveau, e.source.appuie.preuves)
            if e.source.appuie
            else None,
            "fidelite": FIDELITE_LABELS[e.fidelite],
            "choix_du_projet": "\n".join(
                choix_line(c.porte_sur, c.raison) for c in e.choix_du_projet
            )
            or None,
            "theme": e.theme,
            "theme_exception": e.theme_exception,
            "remplace": e.remplace,
            "age_max": e.age_max,
            "note": e.note,
        }
        rows.append(row)
    return rows


def _section(ref: Referentiel, section_id: str | None) -> str | None:
    """The section's title when it reads back as this section, else its id."""
    if section_id is None:
        return None
    titre = next(s.titre for s in ref.sections if s.id == section_id)
    same_title = [s for s in ref.sections if word(s.titre) == word(titre)]
    if len(same_title) == 1 and all(s.id != titre for s in ref.sections):
        return titre
    return section_id


def _condition(e: Exigence) -> str | None:
    if e.applicable_si is None:
        return None
    data = e.applicable_si.model_dump(by_alias=True, mode="json")
    return json.dumps(data, ensure_ascii=False)


def refusals(ref: Referentiel, *, csv_cells: bool = False) -> list[tuple[str, str]]:
    """What the grid of ``ref`` could not hold exactly: (exigence id, why) each.

    Args:
        ref: the référentiel to write.
        csv_cells: also refuse a text a spreadsheet would run as a formula (a CSV cell has no
            type: ``=…`` opened in a spreadsheet is a formula; a workbook keeps it as text).
    """
    refused: list[tuple[str, str]] = []
    for e, row in zip(ref.exigences, grid_rows(ref), strict=True):
        for p in [*e.preuves, *(e.non_applicable.preuves if e.non_applicable else [])]:
            why = piece_problem(p, "\n")
            if why:
                refused.append((e.id, why))
        refused += [
            (e.id, f"choix du projet « {c.porte_sur} » : raison sur plusieurs lignes")
            for c in e.choix_du_projet
            if "\n" in c.raison
        ]
        for field, value in row.items():
            if not isinstance(value, str):
                continue
            header = CANONICAL_HEADERS[field]
            why = unwritable_character(value)
            if why:
                refused.append((e.id, f"{header} : {why}"))
            if len(value) > MAX_CELL_CHARS:
                refused.append((e.id, f"{header} : plus de {MAX_CELL_CHARS} caractères"))
            if csv_cells and value.startswith(FORMULA_PREFIXES):
                refused.append(
                    (
                        e.id,
                        f"{header} : commence par « {value[0]} », lu comme une formule par un "
                        "tableur (exporter en .xlsx)",
                    )
                )
    return refused


def render_grid_xlsx(ref: Referentiel) -> bytes:
    """The grid as a workbook: one sheet, a header row, one row per exigence.

    Raises:
        GridExportError: a value no cell can hold exactly.
    """
    refused = refusals(ref)
    if refused:
        raise GridExportError(refused)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = CANONICAL_SHEET
    columns = [(CANONICAL_HEADERS[f], _WIDTHS.get(f, 18)) for f in GRID_FIELDS]
    table(ws, columns, ([row[f] for f in GRID_FIELDS] for row in grid_rows(ref)))
    return workbook_bytes(wb, _stamp(ref))


def render_grid_csv(ref: Referentiel, separator: str = ",") -> bytes:
    """The grid as CSV (UTF-8 with BOM, as spreadsheets expect): a header line, one line per exigence.

    Raises:
        GridExportError: a value no cell can hold exactly, or a spreadsheet would run.
    """
    refused = refusals(ref, csv_cells=True)
    if refused:
        raise GridExportError(refused)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow([CANONICAL_HEADERS[f] for f in GRID_FIELDS])
    for row in grid_rows(ref):
        writer.writerow([_csv(row[f]) for f in GRID_FIELDS])
    return buffer.getvalue().encode("utf-8-sig")


def _csv(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def render_mapping(mapping: Correspondance, comments: Sequence[str] = ()) -> bytes:
    """A mapping file as YAML."""
    return yaml_text(model_data(mapping), comments).encode("utf-8")


def export_mapping(ref: Referentiel, grid_name: str) -> bytes:
    """The mapping that reads the exported grid ``grid_name`` of ``ref`` back into ``ref``."""
    return render_mapping(
        canonical_mapping(ref),
        [
            f"Correspondance de la grille {grid_name} ({ref.id} {ref.version}), écrite par",
            "« cens-eval referentiels export » : la grille ne porte que les exigences ;",
            "l'en-tête du référentiel est ici. Relire la grille :",
            f"  cens-eval referentiels import {grid_name} --mapping <ce fichier> -o {ref.id}.yaml",
        ],
    )


def _stamp(ref: Referentiel) -> dt.datetime:
    """The date written in the workbook's properties: the référentiel's, never the clock's."""
    day = ref.date_publication or ref.date_arrete or dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day)


_WIDTHS = {
    "id": 14,
    "libelle": 40,
    "enonce": 80,
    "preuves": 60,
    "non_applicable_conditions": 40,
    "non_applicable_preuves": 50,
    "note": 60,
    "applicable_si": 40,
    "choix_du_projet": 40,
}
