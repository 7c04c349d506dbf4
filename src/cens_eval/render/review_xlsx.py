"""The review workbook an evaluator fills: the éditeur's declaration locked, avis and commentaire open."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cens_eval.model.dossier import Dossier, ResultatDossier
from cens_eval.model.questionnaire_sheets import sheet_title
from cens_eval.model.review import AVIS_LABELS, OPINION_LABELS
from cens_eval.model.review_sheets import (
    COLUMN_LETTER,
    COLUMNS,
    EVALUATEUR_COLUMNS,
    EVALUATEUR_FIELDS,
    READ_ONLY_COLUMNS,
    SHEET_EVALUATEUR,
)
from cens_eval.model.vocabulary import NIVEAU_LABELS, RESULTAT_LABELS, STATUT_LABELS
from cens_eval.render.preuves import preuve_text
from cens_eval.render.xlsx_cells import (
    LOCKED_FILL,
    UNLOCKED,
    WRAP,
    header,
    protect,
    put,
    workbook_bytes,
)


def render_review_xlsx(dossier: Dossier, dossier_sha256: str) -> bytes:
    """A review workbook for a dossier: evaluator sheet, then one sheet per référentiel."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_EVALUATEUR
    _evaluateur(ws, dossier_sha256)
    for result in dossier.resultats:
        _avis(wb.create_sheet(sheet_title(result.id)), result)
    return workbook_bytes(wb, dossier.genere_le)


def _evaluateur(ws: Worksheet, dossier_sha256: str) -> None:
    for col, (_, title, width) in enumerate(EVALUATEUR_COLUMNS, start=1):
        header(ws, 1, col, title)
        ws.column_dimensions[chr(ord("A") + col - 1)].width = width
    opinions = DataValidation(
        type="list", formula1='"' + ",".join(OPINION_LABELS.values()) + '"', allow_blank=True
    )
    ws.add_data_validation(opinions)
    for row, (loc, label, editable) in enumerate(EVALUATEUR_FIELDS, start=2):
        put(ws, row, 1, ".".join(loc)).fill = LOCKED_FILL
        put(ws, row, 2, label).fill = LOCKED_FILL
        value = dossier_sha256 if loc == ("dossier_sha256",) else None
        cell = put(ws, row, 3, value)
        cell.alignment = WRAP
        if editable:
            cell.protection = UNLOCKED
        else:
            cell.fill = LOCKED_FILL
        if loc == ("decision_finale", "opinion"):
            opinions.add(cell)
    ws.freeze_panes = "A2"
    protect(ws)


def _avis(ws: Worksheet, result: ResultatDossier) -> None:
    for col, (_, title, width) in enumerate(COLUMNS, start=1):
        header(ws, 1, col, title)
        ws.column_dimensions[chr(ord("A") + col - 1)].width = width
    choices = DataValidation(
        type="list", formula1='"' + ",".join(AVIS_LABELS.values()) + '"', allow_blank=True
    )
    choices.error = "Choisissez un avis dans la liste."
    ws.add_data_validation(choices)
    row = 1
    for row, e in enumerate(result.exigences, start=2):
        values = [
            e.id,
            e.libelle,
            NIVEAU_LABELS[e.niveau_effectif],
            STATUT_LABELS[e.statut_declare] if e.statut_declare else "Sans réponse",
            RESULTAT_LABELS[e.resultat],
            e.justification,
            "\n".join(preuve_text(p) for p in e.preuves) or None,
            None,
            None,
        ]
        for col, value in enumerate(values, start=1):
            cell = put(ws, row, col, value)
            cell.alignment = WRAP
            if col <= READ_ONLY_COLUMNS:
                cell.fill = LOCKED_FILL
            else:
                cell.protection = UNLOCKED
        choices.add(f"{COLUMN_LETTER['avis']}{row}")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{COLUMN_LETTER['commentaire']}{max(row, 2)}"
    protect(ws)
