"""The review workbook an evaluator fills: instructions, the éditeur's declaration locked, avis open."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from cens_eval.model.dossier import Dossier, ResultatDossier
from cens_eval.model.evolution import RevueAnterieure
from cens_eval.model.questionnaire_sheets import SHEET_INSTRUCTIONS, sheet_title
from cens_eval.model.review import AVIS_LABELS, OPINION_LABELS, RESULTATS_EVALUABLES
from cens_eval.model.review_sheets import (
    COLUMN_LETTER,
    COLUMNS,
    EVALUATEUR_COLUMNS,
    EVALUATEUR_FIELDS,
    INSTRUCTIONS,
    READ_ONLY_COLUMNS,
    SHEET_EVALUATEUR,
)
from cens_eval.model.vocabulary import NIVEAU_LABELS, RESULTAT_LABELS, STATUT_LABELS
from cens_eval.render.preuves import preuve_text
from cens_eval.render.review_precedent import mark_text, previous_text
from cens_eval.render.xlsx_cells import (
    DATE_FORMAT,
    LOCKED_FILL,
    TEXT_FORMAT,
    UNLOCKED,
    WRAP,
    date_validation,
    dropdown,
    fit_rows,
    header,
    print_setup,
    protect,
    put,
    workbook_bytes,
)


def render_review_xlsx(
    dossier: Dossier,
    dossier_sha256: str,
    prior: RevueAnterieure | None = None,
    evaluateur: str | None = None,
) -> bytes:
    """A review workbook for a dossier: instructions, evaluator sheet, one sheet per référentiel.

    With ``prior`` (the previous reviewed dossier), a last column says, for each exigence,
    whether it is unchanged since and the avis it was given then. ``evaluateur``: the
    evaluator's name, filled in (one template per evaluator).
    """
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_INSTRUCTIONS
    _instructions(ws, dossier, prior)
    _evaluateur(wb.create_sheet(SHEET_EVALUATEUR), dossier_sha256, evaluateur)
    for result in dossier.resultats:
        _avis(wb.create_sheet(sheet_title(result.id)), result, prior)
    for sheet in wb.worksheets:
        fit_rows(sheet)
        print_setup(sheet, title_rows=None if sheet is ws else 1)
    return workbook_bytes(wb, dossier.genere_le)


def _instructions(ws: Worksheet, dossier: Dossier, prior: RevueAnterieure | None) -> None:
    solution = f"{dossier.solution.nom} {dossier.solution.version}"
    about = f"Dossier de {dossier.editeur.nom} — {solution}, évalué au {dossier.as_of:%d/%m/%Y}."
    previous = [previous_text(prior)] if prior else []
    for row, line in enumerate([INSTRUCTIONS[0], about, *previous, *INSTRUCTIONS[1:]], start=1):
        put(ws, row, 1, line)
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 120
    protect(ws)


def _evaluateur(ws: Worksheet, dossier_sha256: str, nom: str | None) -> None:
    for col, (_, title, width) in enumerate(EVALUATEUR_COLUMNS, start=1):
        header(ws, 1, col, title)
        ws.column_dimensions[chr(ord("A") + col - 1)].width = width
    opinions = dropdown(
        list(OPINION_LABELS.values()),
        "Avis final",
        "Choisissez l'un des quatre avis de la liste.",
        "Seulement une fois chaque exigence revue ; le motif est obligatoire.",
    )
    dates = date_validation(
        "Date de la revue", "Obligatoire : la date de la revue, qui date aussi sa validation."
    )
    ws.add_data_validation(opinions)
    ws.add_data_validation(dates)
    for row, (loc, label, editable) in enumerate(EVALUATEUR_FIELDS, start=2):
        put(ws, row, 1, ".".join(loc)).fill = LOCKED_FILL
        put(ws, row, 2, label).fill = LOCKED_FILL
        value = {("dossier_sha256",): dossier_sha256, ("evaluateur", "nom"): nom}.get(loc)
        cell = put(ws, row, 3, value)
        cell.alignment = WRAP
        if editable:
            cell.protection = UNLOCKED
        else:
            cell.fill = LOCKED_FILL
        if loc == ("decision_finale", "opinion"):
            opinions.add(cell)
        elif loc == ("date",):
            dates.add(cell)
        cell.number_format = DATE_FORMAT if loc == ("date",) else TEXT_FORMAT
    ws.freeze_panes = "A2"
    protect(ws)


def _avis(ws: Worksheet, result: ResultatDossier, prior: RevueAnterieure | None) -> None:
    shown = COLUMNS if prior is not None else COLUMNS[:-1]
    for col, (_, title, width) in enumerate(shown, start=1):
        header(ws, 1, col, title)
        ws.column_dimensions[chr(ord("A") + col - 1)].width = width
    avis = dropdown(
        list(AVIS_LABELS.values()),
        "Avis de l'évaluateur",
        "Choisissez Validé, Non validé ou Complément demandé.",
        "Validé confirme le résultat déclaré ; Non validé le rejette ; Complément demandé attend une preuve.",
    )
    outcomes = dropdown(
        [RESULTAT_LABELS[r] for r in RESULTATS_EVALUABLES],
        "Résultat évalué",
        "Choisissez un résultat de la liste (seulement avec l'avis Non validé).",
        "Avec Non validé : le résultat que vous retenez à la place du résultat déclaré.",
    )
    ws.add_data_validation(avis)
    ws.add_data_validation(outcomes)
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
        ]
        marked = prior is not None
        if prior is not None:  # the last column: how the exigence stands since the last review
            values += [None] * (len(COLUMNS) - 1 - len(values))
            values.append(mark_text(prior, prior.suivi(result.id, e.id)))
        for col in range(1, len(shown) + 1):
            kept = col <= READ_ONLY_COLUMNS or (marked and col == len(COLUMNS))
            cell = put(ws, row, col, values[col - 1] if kept else None)
            cell.alignment = WRAP
            if kept:
                cell.fill = LOCKED_FILL
            else:
                cell.protection = UNLOCKED
        avis.add(f"{COLUMN_LETTER['avis']}{row}")
        outcomes.add(f"{COLUMN_LETTER['resultat_evalue']}{row}")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{COLUMN_LETTER[shown[-1][0]]}{max(row, 2)}"
    protect(ws)
