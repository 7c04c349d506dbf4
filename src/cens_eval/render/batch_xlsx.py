"""The batch summary workbook: a row per dossier, failures per exigence, principles, errors."""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from cens_eval.model.batch import Integrite, SyntheseLot
from cens_eval.model.review import OPINION_LABELS
from cens_eval.model.vocabulary import PRINCIPE_LABELS, Principe
from cens_eval.render.xlsx_cells import table, workbook_bytes

INTEGRITE_LABELS = {
    Integrite.INTACT: "intact",
    Integrite.MODIFIE: "MODIFIÉ",
    Integrite.ILLISIBLE: "ILLISIBLE",
    Integrite.ERREUR: "ERREUR",
}
IGNORED = ("ignoré", "pas un dossier cens-eval : ce dossier.json n'a pas été vérifié")
ALERT = PatternFill("solid", fgColor="FFC7CE")


def render_batch_xlsx(synthese: SyntheseLot, generated_at: dt.datetime) -> bytes:
    """The summary workbook; ``generated_at`` dates the file so that equal batches give equal bytes."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Dossiers"
    _dossiers(ws, synthese)
    _exigences(wb.create_sheet("Exigences"), synthese)
    _principes(wb.create_sheet("Principes"), synthese)
    _erreurs(wb.create_sheet("Erreurs"), synthese)
    return workbook_bytes(wb, generated_at)


def _dossiers(ws: Worksheet, s: SyntheseLot) -> None:
    columns = [
        ("Dossier", 40),
        ("Intégrité", 12),
        ("Éditeur", 26),
        ("Solution", 24),
        ("Référentiels", 30),
    ]
    columns += [("Verdict", 14), ("Écarts bloquants", 10)]
    for p in Principe:
        columns += [
            (f"{PRINCIPE_LABELS[p]} — obligatoires (%)", 14),
            (f"{PRINCIPE_LABELS[p]} — préconisations (%)", 14),
        ]
    columns += [("Avis proposé", 26), ("Avis retenu", 26), ("Accord (%)", 10), ("Raison", 60)]
    rows = []
    for d in s.dossiers:
        verdict = "" if d.conforme is None else ("CONFORME" if d.conforme else "NON CONFORME")
        values: list[object] = [d.chemin, INTEGRITE_LABELS[d.integrite], d.editeur, d.solution]
        values += [", ".join(d.referentiels), verdict, d.bloquantes]
        for p in Principe:
            score = next((x for x in d.scores if x.principe is p), None)
            values += [
                score.obligatoires if score else None,
                score.preconisations if score else None,
            ]
        values += [
            OPINION_LABELS[d.opinion_proposee] if d.opinion_proposee else None,
            OPINION_LABELS[d.opinion_retenue] if d.opinion_retenue else None,
            d.accord,
            d.raison,
        ]
        rows.append(values)
    table(ws, columns, rows)
    for row, d in enumerate(s.dossiers, start=2):
        if d.integrite is not Integrite.INTACT:
            ws.cell(row=row, column=2).fill = ALERT


def _exigences(ws: Worksheet, s: SyntheseLot) -> None:
    columns = [("Référentiel", 22), ("Exigence", 12), ("Libellé", 60), ("Dossiers concernés", 12)]
    columns += [("Non satisfaite", 12), ("Taux d'échec (%)", 12), ("Déclarée non applicable", 14)]
    rows = [
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
    table(ws, columns, rows)


def _principes(ws: Worksheet, s: SyntheseLot) -> None:
    columns = [
        ("Principe", 24),
        ("Obligatoires, moyenne (%)", 16),
        ("Préconisations, moyenne (%)", 16),
    ]
    last = table(
        ws,
        columns,
        [[PRINCIPE_LABELS[m.principe], m.obligatoires, m.preconisations] for m in s.moyennes],
    )
    chart = BarChart()
    chart.type = "col"
    chart.title = "Score moyen par principe (dossiers intacts)"
    chart.y_axis.title = "%"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
    chart.add_data(
        Reference(ws, min_col=2, max_col=3, min_row=1, max_row=last), titles_from_data=True
    )
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
    chart.width, chart.height = 18, 9
    ws.add_chart(chart, "E2")


def _erreurs(ws: Worksheet, s: SyntheseLot) -> None:
    rows = [[d.chemin, INTEGRITE_LABELS[d.integrite], d.raison] for d in s.echecs]
    rows += [[path, *IGNORED] for path in s.ignores]
    table(
        ws,
        [("Dossier", 40), ("Intégrité", 12), ("Raison", 100)],
        rows or [["aucune erreur", "", ""]],
    )
