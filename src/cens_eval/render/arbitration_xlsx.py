"""The « Arbitrage » sheet of ``revue.xlsx``: both evaluators, their agreement, the decisions.

Added only for an arbitrated dossier; any other reviewed dossier's workbook is unchanged.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from cens_eval.model.arbitration import DossierArbitre, SectionArbitrage
from cens_eval.model.review import OPINION_LABELS, DossierRevu
from cens_eval.model.vocabulary import NIVEAU_LABELS, RESULTAT_LABELS
from cens_eval.render.comparison_text import avis_text, kappa_text, number
from cens_eval.render.xlsx_cells import BOLD, TEXT_FORMAT, WRAP, fit_rows, header, print_setup, put

SHEET_ARBITRAGE = "Arbitrage"


def arbitration_sheet(wb: Workbook, d: DossierRevu, index: int) -> None:
    """Add the « Arbitrage » sheet at ``index`` for an arbitrated dossier; nothing otherwise."""
    if not isinstance(d, DossierArbitre):
        return
    a = d.revue.arbitrage
    ws = wb.create_sheet(SHEET_ARBITRAGE, index=index)
    put(ws, 1, 1, "Double revue et arbitrage").font = Font(bold=True, size=14)
    row = _facts(ws, a, 3)
    _decisions(ws, a, row + 2)
    for col, width in zip("ABCDEFG", (24, 14, 30, 30, 26, 50, 22), strict=True):
        ws.column_dimensions[col].width = width
    fit_rows(ws)
    print_setup(ws, landscape=True)


def _facts(ws: Worksheet, a: SectionArbitrage, top: int) -> int:
    rows: list[tuple[str, object]] = [
        (
            f"R{r.numero}",
            f"{r.evaluateur}, le {r.date:%d/%m/%Y} — {r.fichier.fichier} — avis proposé : "
            f"{OPINION_LABELS[r.opinion_proposee]}",
        )
        for r in a.revues
    ]
    rows += [
        (
            f"Accord R{p.revues[0]} / R{p.revues[1]}",
            f"{number(p.pourcentage, ' %')} ({p.concordantes}/{p.exigences}) ; kappa de Cohen : "
            f"{kappa_text(p.kappa)}",
        )
        for p in a.paires
    ]
    if a.collectif is not None:
        k = a.collectif
        rows.append(("Accord de tous", f"kappa de Fleiss : {kappa_text(k.kappa)}"))
    rows += [
        ("Arbitre", a.arbitre.nom),
        ("Date de l'arbitrage", a.date),
        ("Fichier d'arbitrage", f"{a.fichier.fichier} (SHA-256 {a.fichier.sha256})"),
    ]
    for row, (label, value) in enumerate(rows, start=top):
        put(ws, row, 1, label).font = BOLD
        cell = put(ws, row, 2, value)
        if isinstance(value, str):
            cell.number_format = TEXT_FORMAT
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=7)
    return top + len(rows) - 1


def _decisions(ws: Worksheet, a: SectionArbitrage, top: int) -> None:
    titles = ["Référentiel", "Exigence", "Libellé", "Niveau", "Résultat arbitré", "Motif"]
    titles += [f"R{r.numero} — {r.evaluateur}" for r in a.revues]
    for col, title in enumerate(titles, start=1):
        header(ws, top, col, title)
    for row, e in enumerate(a.decisions, start=top + 1):
        said = [avis_text(x) for x in e.avis]
        values = [
            e.referentiel,
            e.id,
            e.libelle,
            NIVEAU_LABELS[e.niveau_effectif],
            RESULTAT_LABELS[e.resultat_arbitre],
            e.motif,
            *said,
        ]
        for col, value in enumerate(values, start=1):
            put(ws, row, col, value).alignment = WRAP
