"""The batch summary workbook: one row per submission, and what the batch shows at a glance.

Sheets: submissions (with links to each folder and its PDF), failures and over-declarations
per exigence, means per principle for each référentiel (never mixed), scores, errors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from cens_eval.model.batch import Integrite, LigneDossier, SyntheseLot
from cens_eval.model.review import OPINION_LABELS, Opinion
from cens_eval.model.vocabulary import PRINCIPE_LABELS, VERDICT_LABELS, Verdict
from cens_eval.render.batch_time import add_time_sheets
from cens_eval.render.calibration import calibration_sheet
from cens_eval.render.xlsx_cells import table, workbook_bytes

INTEGRITE_LABELS = {
    Integrite.INTACT: "intact",
    Integrite.MODIFIE: "MODIFIÉ",
    Integrite.ILLISIBLE: "ILLISIBLE",
    Integrite.ERREUR: "ERREUR",
}
IGNORED = ("ignoré", "pas un dossier cens-eval : ce dossier.json n'a pas été vérifié")
ALERT = PatternFill("solid", fgColor="FFC7CE")
LINK = Font(color="1F4E79", underline="single")
CHART_ROWS = 20
"""Rows between two charts of the Principes sheet."""
CHARTS_PER_PAGE = 2
"""Charts printed on each page after the table of the Principes sheet."""


def render_batch_xlsx(
    synthese: SyntheseLot, generated_at: dt.datetime, links: Mapping[str, str] | None = None
) -> bytes:
    """The summary workbook; ``generated_at`` dates the file so that equal batches give equal bytes.

    Args:
        synthese: the batch summary.
        generated_at: the date written in the workbook's properties.
        links: for each row's ``chemin``, its folder relative to the workbook (``lot/medilink``):
            the Dossier and PDF columns then link to the folder and to its PDF. Without it, the
            Dossier column shows ``chemin`` and nothing is linked.
    """
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Dossiers"
    _dossiers(ws, synthese, links or {})
    _exigences(wb.create_sheet("Exigences"), synthese)
    _over(wb.create_sheet("Sur-déclarations"), synthese)
    _principes(wb.create_sheet("Principes"), synthese)
    _scores(wb.create_sheet("Scores"), synthese, links or {})
    _erreurs(wb.create_sheet("Erreurs"), synthese)
    add_time_sheets(wb, synthese, links or {})
    calibration_sheet(wb, synthese)
    return workbook_bytes(wb, generated_at)


def _table(ws: Worksheet, columns: Sequence[tuple[str, int]], rows: list[list[object]]) -> int:
    """:func:`table`: rows as tall as their text, the header included, ready to print."""
    return table(ws, columns, rows)


def _referentiels(s: SyntheseLot) -> list[str]:
    return sorted({ref for d in s.dossiers for ref in (*d.verdicts, *d.verdicts_evalues)})


def _verdict(value: str | None) -> str | None:
    return VERDICT_LABELS[Verdict(value)] if value else None


def _opinion(value: Opinion | None) -> str | None:
    return OPINION_LABELS[value] if value else None


def _dossiers(ws: Worksheet, s: SyntheseLot, links: Mapping[str, str]) -> None:
    refs = _referentiels(s)
    columns = [("Dossier", 34), ("PDF", 24), ("Intégrité", 11), ("Éditeur", 24), ("SIREN", 12)]
    columns += [("Solution", 22), ("Version", 9), ("Date d'évaluation", 12)]
    columns += [("Évaluateur", 20), ("Date de la revue", 12), ("Avis proposé", 24)]
    columns += [("Avis final retenu", 24), ("Accord (%)", 9)]
    columns += [("Conclusion déclarée", 14), ("Écarts bloquants déclarés", 11)]
    for ref in refs:
        columns += [(f"{ref} — verdict déclaré", 16), (f"{ref} — verdict évalué", 16)]
    columns += [("Regroupement", 50), ("Raison", 50), ("Vérification", 50), ("Signé par", 50)]
    rows: list[list[object]] = []
    for d in s.dossiers:
        conclusion = None if d.conforme is None else ("CONFORME" if d.conforme else "NON CONFORME")
        values: list[object] = [links.get(d.chemin, d.chemin), d.pdf]
        values += [INTEGRITE_LABELS[d.integrite], d.editeur, d.siren, d.solution, d.version]
        values += [d.date_evaluation, d.evaluateur, d.date_revue, _opinion(d.opinion_proposee)]
        values += [_final(d), d.accord, conclusion, d.bloquantes]
        for ref in refs:
            values += [_verdict(d.verdicts.get(ref)), _verdict(d.verdicts_evalues.get(ref))]
        values += [d.regroupement, d.raison, d.verification, d.signe_par]
        rows.append(values)
    _table(ws, columns, rows)
    for row, d in enumerate(s.dossiers, start=2):
        if d.integrite is not Integrite.INTACT:
            ws.cell(row=row, column=3).fill = ALERT
        folder = links.get(d.chemin)
        if folder is None:
            continue
        ws.cell(row=row, column=1).hyperlink = folder
        ws.cell(row=row, column=1).font = LINK
        if d.pdf:
            pdf = ws.cell(row=row, column=2)
            pdf.hyperlink = f"{folder}/{d.pdf}"
            pdf.font = LINK


def _final(d: LigneDossier) -> str | None:
    if d.opinion_retenue is not None:
        return OPINION_LABELS[d.opinion_retenue]
    if d.opinion_proposee is not None:
        return "aucun : exigence(s) sans avis"
    return None


def _exigences(ws: Worksheet, s: SyntheseLot) -> None:
    columns = [("Référentiel", 22), ("Exigence", 12), ("Libellé", 60), ("Dossiers concernés", 11)]
    columns += [("Non satisfaite", 11), ("Taux d'échec (%)", 11), ("Déclarée non applicable", 13)]
    rows: list[list[object]] = [
        [
            e.referentiel,
            e.exigence,
            e.libelle,
            e.dossiers,
            e.non_satisfaite,
            e.taux_echec,
            e.non_applicable,
        ]
        for e in s.exigences
    ]
    _table(ws, columns, rows)


def _over(ws: Worksheet, s: SyntheseLot) -> None:
    columns = [("Référentiel", 22), ("Exigence", 12), ("Libellé", 60), ("Dossiers revus", 11)]
    columns += [("Sur-déclarations", 14), ("Taux (%)", 10)]
    rows: list[list[object]] = [
        [e.referentiel, e.exigence, e.libelle, e.revues, e.sur_declarations, e.taux]
        for e in s.sur_declarations
    ]
    empty = "aucune sur-déclaration dans les dossiers revus"
    _table(ws, columns, rows or [["", "", empty, None, None, None]])


def _principes(ws: Worksheet, s: SyntheseLot) -> None:
    columns = [("Référentiel", 24), ("Principe", 20), ("Obligatoires — moyenne (%)", 14)]
    columns += [("Préconisations — moyenne (%)", 14), ("Dossiers", 10)]
    rows: list[list[object]] = [
        [m.referentiel, PRINCIPE_LABELS[m.principe], m.obligatoires, m.preconisations, m.dossiers]
        for m in s.moyennes
    ]
    last = _table(ws, columns, rows)
    top = last + 3  # the charts print below the table, on pages of their own
    first = 2
    for index, ref in enumerate(dict.fromkeys(m.referentiel for m in s.moyennes)):
        count = sum(1 for m in s.moyennes if m.referentiel == ref)
        chart = BarChart()
        chart.type = "col"
        chart.title = f"{ref} : score moyen par principe"
        chart.y_axis.title = "%"
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
        data = Reference(ws, min_col=3, max_col=4, min_row=first, max_row=first + count - 1)
        chart.add_data(data, titles_from_data=False)
        for series, title in zip(chart.series, ("Obligatoires", "Préconisations"), strict=True):
            series.tx = SeriesLabel(v=title)
        chart.set_categories(Reference(ws, min_col=2, min_row=first, max_row=first + count - 1))
        chart.width, chart.height = 18, 9
        anchor = top + index * CHART_ROWS
        ws.add_chart(chart, f"A{anchor}")
        if index % CHARTS_PER_PAGE == 0:
            ws.row_breaks.append(Break(id=anchor - 1))
        first += count


def _scores(ws: Worksheet, s: SyntheseLot, links: Mapping[str, str]) -> None:
    columns = [("Dossier", 34), ("Référentiel", 24), ("Principe", 20)]
    columns += [("Obligatoires (%)", 12), ("Préconisations (%)", 12)]
    rows: list[list[object]] = [
        [
            links.get(d.chemin, d.chemin),
            x.referentiel,
            PRINCIPE_LABELS[x.principe],
            x.obligatoires,
            x.preconisations,
        ]
        for d in s.dossiers
        for x in d.scores
    ]
    _table(ws, columns, rows)


def _erreurs(ws: Worksheet, s: SyntheseLot) -> None:
    rows: list[list[object]] = [
        [d.chemin, INTEGRITE_LABELS[d.integrite], d.raison] for d in s.echecs
    ]
    rows += [[path, *IGNORED] for path in s.ignores]
    table(
        ws,
        [("Dossier", 40), ("Intégrité", 12), ("Raison", 100)],
        rows or [["aucune erreur", "", ""]],
    )
