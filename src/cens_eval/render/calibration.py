"""Calibration of evaluators in the batch summary: text lines and the « Calibration » sheet.

Both appear only when the batch holds arbitrated dossiers (independent reviews compared);
any other batch summary is unchanged.
"""

from __future__ import annotations

from openpyxl import Workbook

from cens_eval.model.batch import SyntheseLot
from cens_eval.render.comparison_text import kappa_text, number
from cens_eval.render.xlsx_cells import fit_rows, header, print_setup, put

SHEET_CALIBRATION = "Calibration"
SHOWN = 5
"""Exigences most disputed shown per pair in the text summary (the sheet lists them all)."""


def calibration_lines(s: SyntheseLot) -> list[str]:
    """The calibration of evaluators, one string per line; none without arbitrated dossiers."""
    if not s.calibration:
        return []
    lines = ["Calibration des évaluateurs (dossiers en double revue) :"]
    for p in s.calibration:
        a, b = p.evaluateurs
        lines.append(
            f"  {a} / {b} : {p.dossiers} dossier(s), accord {number(p.pourcentage, ' %')} "
            f"({p.concordantes}/{p.exigences}) ; kappa de Cohen : {kappa_text(p.kappa)}"
        )
        if p.disputees:
            lines.append(
                "    exigences les plus disputées : "
                + ", ".join(
                    f"{e.referentiel} {e.exigence} ({e.desaccords}/{e.dossiers})"
                    for e in p.disputees[:SHOWN]
                )
            )
    return lines


def calibration_sheet(wb: Workbook, s: SyntheseLot) -> None:
    """Add the « Calibration » sheet: each pair's agreement, then the exigences disputed."""
    if not s.calibration:
        return
    ws = wb.create_sheet(SHEET_CALIBRATION)
    columns = [("Évaluateur A", 22), ("Évaluateur B", 22), ("Dossiers", 10), ("Exigences", 10)]
    columns += [("Concordantes", 12), ("Accord (%)", 10), ("Kappa de Cohen", 12)]
    columns += [("Kappa exact", 14), ("IC 95 % bas", 10), ("IC 95 % haut", 10)]
    for col, (title, width) in enumerate(columns, start=1):
        header(ws, 1, col, title)
        ws.column_dimensions[chr(ord("A") + col - 1)].width = width
    row = 1
    for row, p in enumerate(s.calibration, start=2):
        k = p.kappa
        values: list[object] = [*p.evaluateurs, p.dossiers, p.exigences, p.concordantes]
        values += [p.pourcentage, k.valeur if k else "indéfini", k.exact if k else None]
        values += [k.ic_bas if k else None, k.ic_haut if k else None]
        for col, value in enumerate(values, start=1):
            put(ws, row, col, value)
    top = row + 2
    titles = ["Évaluateurs", "Référentiel", "Exigence", "Libellé", "Dossiers comparés"]
    titles.append("Désaccords")
    for col, title in enumerate(titles, start=1):
        header(ws, top, col, title)
    listed = [("Tous", e) for e in s.disputees]
    listed += [(" / ".join(p.evaluateurs), e) for p in s.calibration for e in p.disputees]
    for row, (who, e) in enumerate(listed, start=top + 1):
        values = [who, e.referentiel, e.exigence, e.libelle, e.dossiers, e.desaccords]
        for col, value in enumerate(values, start=1):
            put(ws, row, col, value)
    ws.freeze_panes = "A2"
    fit_rows(ws)
    print_setup(ws, landscape=True)
