"""The conformity dossier as an Excel workbook (French): synthèse, one sheet per référentiel, preuves, plan d'action."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from cens_eval.model.dossier import (
    Dossier,
    ExigenceDossier,
    ResultatDossier,
    SignalementsDossier,
    SourceDossier,
)
from cens_eval.model.fidelity import FIDELITE_LABELS
from cens_eval.model.results import CategorieEcheance
from cens_eval.model.signalement import DECLARANT_LABELS, ETAPE_LABELS
from cens_eval.model.vocabulary import (
    NIVEAU_LABELS,
    PRINCIPE_LABELS,
    RESULTAT_LABELS,
    STATUT_LABELS,
    VERDICT_LABELS,
    Fidelite,
    Niveau,
    Principe,
    Resultat,
    Verdict,
)
from cens_eval.render.generated_text import typographic
from cens_eval.render.preuves import preuve_text
from cens_eval.render.xlsx_cells import (
    BOLD,
    TEXT_FORMAT,
    WRAP,
    fit_rows,
    header,
    naive_utc,
    numbers_left,
    print_setup,
    put,
    table,
    workbook_bytes,
)

SHEET_SYNTHESE = "Synthèse"
SHEET_PREUVES = "Preuves"
SHEET_PLAN = "Plan d'action"
SHEET_ECHEANCES = "Échéances"
GREEN, GREY_BLUE, AMBER, RED = "C6EFCE", "DDEBF7", "FFEB9C", "FFC7CE"
RESULTAT_COLOURS: dict[Resultat, str] = {
    Resultat.CONFORME: GREEN,
    Resultat.NON_APPLICABLE_JUSTIFIE: GREY_BLUE,
    Resultat.PARTIELLEMENT_CONFORME: AMBER,
    Resultat.PREUVES_MANQUANTES: AMBER,
    Resultat.NON_CONFORME: RED,
    Resultat.SANS_REPONSE: RED,
    Resultat.NON_APPLICABLE_NON_JUSTIFIE: RED,
}
ECHEANCE_LABELS: dict[CategorieEcheance, str] = {
    CategorieEcheance.PRECONISATION_BIENTOT_OBLIGATOIRE: "Préconisation bientôt obligatoire",
    CategorieEcheance.ENGAGEMENT_EN_RETARD: "Engagement en retard",
    CategorieEcheance.ENGAGEMENT_A_VENIR: "Engagement à venir",
    CategorieEcheance.PREUVE_A_RENOUVELER: "Preuve à renouveler",
    CategorieEcheance.PREUVE_EXPIREE: "Preuve expirée",
}
EXIGENCE_COLUMNS = (
    ("Exigence", 11),
    ("Libellé", 30),
    ("Principe", 14),
    ("Niveau", 12),
    ("Niveau effectif", 12),
    ("Poids", 7),
    ("Fidélité", 11),
    ("Source", 34),
    ("Choix du projet", 26),
    ("Statut déclaré", 15),
    ("Résultat", 16),
    ("Satisfaite", 10),
    ("Bloquante", 10),
    ("Justification", 44),
    ("Preuves fournies", 40),
    ("Preuves manquantes", 18),
    ("Explication", 44),
    ("Engagement — action", 30),
    ("Engagement — échéance", 12),
)
"""Columns of a référentiel's sheet: (title, width), narrow enough to print one page wide."""
PREUVES_COLUMNS = (("Élément", 24), ("Chemin", 50), ("Taille (octets)", 14), ("SHA-256", 70))
PLAN_COLUMNS = (
    ("Référentiel", 18),
    ("Exigence", 14),
    ("Libellé", 50),
    ("Niveau effectif", 14),
    ("Résultat", 22),
    ("Engagement — action", 50),
    ("Engagement — échéance", 14),
    ("En retard", 10),
)
ECHEANCE_COLUMNS = (
    ("Date", 12),
    ("Catégorie", 32),
    ("Référentiel", 18),
    ("Exigence", 14),
    ("Libellé", 50),
    ("Explication", 70),
)
FIDELITE_COLOURS: dict[Fidelite, str | None] = {
    Fidelite.OFFICIEL: None,
    Fidelite.PARAPHRASE: None,
    Fidelite.RECONSTITUE: AMBER,
}
"""A reconstituted exigence stands out: a verdict resting on it is to be confirmed."""
SYNTHESE_COLUMNS = (
    "Référentiel",
    "Version",
    "Verdict",
    "Préparation",
    "Exigences bloquantes",
    "dont sur des exigences reconstituées (à confirmer)",
    *(f"Exigences « {FIDELITE_LABELS[f]} »" for f in Fidelite),
    "Explication",
)
SCORE_COLUMNS = ("Obligatoires (%)", "n", "Préconisations (%)", "n")
EXPLICATION_WIDTH = 30
CHART_ROWS = 16
"""Rows between two charts of the Synthèse sheet (a chart is about 15 rows high)."""
CHARTS_PER_PAGE = 2


def render_xlsx(dossier: Dossier) -> bytes:
    """Render a conformity dossier as an Excel workbook.

    The cells depend on the dossier only (no clock); the document properties and the
    archive's entry dates are set to ``dossier.genere_le``, so equal dossiers give equal bytes.

    Args:
        dossier: the dossier view model, already sorted, labelled and rounded.

    Returns:
        The ``.xlsx`` file's bytes.
    """
    with typographic(dossier):
        return workbook_bytes(build_workbook(dossier), dossier.genere_le)


def build_workbook(dossier: Dossier) -> Workbook:
    """The dossier workbook, before saving (a reviewed dossier adds its own sheet)."""
    wb = Workbook()
    synthese = wb.active
    assert synthese is not None
    synthese.title = SHEET_SYNTHESE
    _synthese(synthese, dossier)
    printable = dossier.version_format >= 2  # format 1 is reproduced as 0.1.0 wrote it
    if printable:
        numbers_left(synthese)
    for resultat in dossier.resultats:
        _exigences(wb.create_sheet(resultat.id[:31]), resultat, linked=not printable)
    _preuves(wb.create_sheet(SHEET_PREUVES), dossier)
    _plan(wb.create_sheet(SHEET_PLAN), dossier)
    _echeances(wb.create_sheet(SHEET_ECHEANCES), dossier)
    if dossier.signalements is not None:
        _signalements(wb.create_sheet("Signalements"), dossier.signalements)
    return wb


def _yes(flag: bool) -> str:
    return "oui" if flag else "non"


def _synthese(ws: Worksheet, dossier: Dossier) -> None:
    put(ws, 1, 1, "Dossier de conformité CENS").font = Font(bold=True, size=14)
    conclusion = Verdict.CONFORME if dossier.conforme else Verdict.NON_CONFORME
    identite: list[tuple[str, object]] = [
        ("Éditeur", dossier.editeur.nom),
        ("SIREN", dossier.editeur.siren),
        ("Solution", f"{dossier.solution.nom} {dossier.solution.version}"),
        ("Date d'évaluation", dossier.as_of),
        *([("Valable jusqu'au", dossier.valide_jusqu_au)] if dossier.valide_jusqu_au else []),
        ("Généré le (UTC)", naive_utc(dossier.genere_le)),
        ("Outil", dossier.outil_texte()),
        ("Conclusion", VERDICT_LABELS[conclusion]),
        ("Préparation", _preparation(dossier, None)),
    ]
    for row, (label, value) in enumerate(identite, start=3):
        put(ws, row, 1, label).font = BOLD
        cell = put(ws, row, 2, value)
        cell.alignment = Alignment(horizontal="left")
        if isinstance(value, str):  # a SIREN or a version stays text, leading zero included
            cell.number_format = TEXT_FORMAT
    row = 3 + len(identite) + 1
    for col, title in enumerate(SYNTHESE_COLUMNS, start=1):
        header(ws, row, col, title)
    for r in dossier.resultats:
        row += 1
        values = (
            r.id,
            r.version,
            VERDICT_LABELS[r.verdict],
            _preparation(dossier, r.id),
            len(r.bloquantes),
            ", ".join(r.bloquantes_reconstituees) or None,
            *r.par_fidelite.values(),
            r.explication,
        )
        for col, value in enumerate(values, start=1):
            put(ws, row, col, value).alignment = WRAP
    for skipped in dossier.referentiels_non_applicables:
        row += 1
        put(ws, row, 1, skipped.id).alignment = WRAP
        put(ws, row, 3, "Non applicable")
        put(ws, row, len(SYNTHESE_COLUMNS), skipped.raison).alignment = WRAP
    ws.column_dimensions["A"].width = 26
    for col in range(2, max(2 + 4 * len(dossier.resultats), len(SYNTHESE_COLUMNS) + 1)):
        ws.column_dimensions[get_column_letter(col)].width = 16
    for col in (SYNTHESE_COLUMNS.index("Préparation"), len(SYNTHESE_COLUMNS) - 1):
        ws.column_dimensions[get_column_letter(col + 1)].width = EXPLICATION_WIDTH
    charts = _principes(ws, dossier.resultats, row + 2)
    fit_rows(ws, 3)
    print_setup(ws, landscape=True, gridlines=False)
    for anchor in charts[::CHARTS_PER_PAGE]:  # each pair of charts on a page of its own
        ws.row_breaks.append(Break(id=anchor - 1))


def _preparation(dossier: Dossier, referentiel: str | None) -> str:
    """What the verdict must not hide, in words, for the dossier or one référentiel."""
    etat = (
        dossier.preparation
        if referentiel is None
        else dossier.preparation.du_referentiel(referentiel)
    )
    return etat.resume() or "complet"


def _principes(ws: Worksheet, resultats: Sequence[ResultatDossier], top: int) -> list[int]:
    """The per-principle table (two header rows from ``top``) and one bar chart per référentiel.

    Returns:
        The row of each chart's top, below the table.
    """
    header(ws, top + 1, 1, "Principe")
    labels = [*(PRINCIPE_LABELS[p] for p in Principe), "Ensemble"]
    for row, label in enumerate(labels, start=top + 2):
        put(ws, row, 1, label).font = BOLD
    for index, r in enumerate(resultats):
        first = 2 + 4 * index
        header(ws, top, first, r.id)
        ws.merge_cells(start_row=top, start_column=first, end_row=top, end_column=first + 3)
        for offset, title in enumerate(SCORE_COLUMNS):
            header(ws, top + 1, first + offset, title)
        scores = {(s.principe, s.niveau): s for s in r.scores}
        for row, principe in enumerate([*Principe, None], start=top + 2):
            for offset, niveau in ((0, Niveau.EXIGENCE), (2, Niveau.PRECONISATION)):
                score = scores.get((principe, niveau))
                if score is not None and score.score is not None:
                    put(ws, row, first + offset, score.score).number_format = "0.0"
                else:
                    put(ws, row, first + offset, "—")
                put(ws, row, first + offset + 1, len(score.comptees) if score else 0)
        _chart(ws, r.id, top, first, top + 10 + CHART_ROWS * index)
    return [top + 10 + CHART_ROWS * index for index in range(len(resultats))]


def _chart(ws: Worksheet, referentiel: str, top: int, first: int, anchor_row: int) -> None:
    """Bar chart of mandatory vs recommended scores per principle (Ensemble left out)."""
    chart = BarChart()
    chart.type = "col"
    chart.title = f"{referentiel} — scores par principe (%)"
    chart.y_axis.title = "%"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
    chart.x_axis.delete = chart.y_axis.delete = False
    last = top + 1 + len(Principe)
    for col in (first, first + 2):
        chart.add_data(
            Reference(ws, min_col=col, min_row=top + 1, max_row=last), titles_from_data=True
        )
    chart.set_categories(Reference(ws, min_col=1, min_row=top + 2, max_row=last))
    chart.width, chart.height = 18, 7.5
    ws.add_chart(chart, f"A{anchor_row}")


def _exigences(ws: Worksheet, resultat: ResultatDossier, *, linked: bool = True) -> None:
    """One référentiel's sheet: a row per exigence in scope.

    ``linked`` makes each Source cell a hyperlink to its address (format 1); LibreOffice prints
    a linked cell on one line cut at its border, so from format 2 on the address is only in the
    cell's text, which wraps like every other.
    """
    table(ws, EXIGENCE_COLUMNS, (_exigence_row(e) for e in resultat.exigences))
    titles = [title for title, _ in EXIGENCE_COLUMNS]
    result_col, fidelite_col = titles.index("Résultat") + 1, titles.index("Fidélité") + 1
    source_col = titles.index("Source") + 1
    for row, e in enumerate(resultat.exigences, start=2):
        fill = PatternFill("solid", fgColor=RESULTAT_COLOURS[e.resultat])
        for col in (1, result_col):
            ws.cell(row=row, column=col).fill = fill
        colour = FIDELITE_COLOURS[e.fidelite]
        if colour:
            ws.cell(row=row, column=fidelite_col).fill = PatternFill("solid", fgColor=colour)
        if e.source.lien and linked:
            ws.cell(row=row, column=source_col).hyperlink = e.source.lien


def _exigence_row(e: ExigenceDossier) -> list[object]:
    return [
        e.id,
        e.libelle,
        PRINCIPE_LABELS[e.principe],
        NIVEAU_LABELS[e.niveau],
        NIVEAU_LABELS[e.niveau_effectif],
        e.poids,
        FIDELITE_LABELS[e.fidelite],
        _source(e.source),
        "\n".join(f"{c.porte_sur} : {c.raison}" for c in e.choix_du_projet) or None,
        STATUT_LABELS[e.statut_declare] if e.statut_declare else None,
        RESULTAT_LABELS[e.resultat],
        _yes(e.satisfaite),
        _yes(e.bloquante),
        e.justification,
        "\n".join(preuve_text(p) for p in e.preuves) or None,
        "\n".join(e.preuves_manquantes) or None,
        "\n".join(e.explication) or None,
        e.engagement.action if e.engagement else None,
        e.engagement.echeance if e.engagement else None,
    ]


def _source(source: SourceDossier) -> str:
    """Title, place in the document and address of a source, one a line (and when it was read)."""
    lines = [f"{source.titre} — {source.localisation}", source.url]
    if source.consulte_le:
        lines.append(f"consultée le {source.consulte_le:%d/%m/%Y}")
    return "\n".join(lines)


def _preuves(ws: Worksheet, dossier: Dossier) -> None:
    rows: list[list[object]] = [
        ["Pièce justificative", p.chemin, p.taille, p.sha256] for p in dossier.manifeste
    ]
    rows.append(
        ["Questionnaire", dossier.questionnaire.fichier, None, dossier.questionnaire.sha256]
    )
    vocabulaire = dossier.vocabulaire_profil
    rows.append(["Vocabulaire du profil", vocabulaire.fichier, None, vocabulaire.sha256])
    rows += [
        [f"Référentiel {r.id} {r.version}", r.fichier, None, r.sha256] for r in dossier.referentiels
    ]
    table(ws, PREUVES_COLUMNS, rows)


def _plan(ws: Worksheet, dossier: Dossier) -> None:
    """Every unsatisfied exigence, mandatory ones first, then préconisations."""
    retard = {(g.referentiel, g.exigence): g.en_retard for g in dossier.engagements}
    gaps = [(r.id, e) for r in dossier.resultats for e in r.exigences if not e.satisfaite]
    gaps.sort(key=lambda gap: gap[1].niveau_effectif is not Niveau.EXIGENCE)
    rows = [
        [
            ref,
            e.id,
            e.libelle,
            NIVEAU_LABELS[e.niveau_effectif],
            RESULTAT_LABELS[e.resultat],
            e.engagement.action if e.engagement else None,
            e.engagement.echeance if e.engagement else None,
            _yes(retard[(ref, e.id)]) if (ref, e.id) in retard else None,
        ]
        for ref, e in gaps
    ]
    table(ws, PLAN_COLUMNS, rows)


def _echeances(ws: Worksheet, dossier: Dossier) -> None:
    rows = [
        [e.date, ECHEANCE_LABELS[e.categorie], e.referentiel, e.exigence, e.libelle, e.explication]
        for e in dossier.echeances
    ]
    if table(ws, ECHEANCE_COLUMNS, rows) == 1:  # header only
        put(ws, 2, 1, "Aucune échéance.")


SIGNALEMENT_COLUMNS = [
    ("Signalement", 16),
    ("Reçu le", 12),
    ("Déclarant", 20),
    ("Étape", 24),
    ("Exigences concernées", 36),
    ("Publié le", 12),
    ("Réponse publiée", 70),
]


def _signalements(ws: Worksheet, section: SignalementsDossier) -> None:
    """The éthicovigilance signalements about the solution: shown, never scored."""
    rows = [
        [
            s.id,
            s.recu_le,
            DECLARANT_LABELS[s.declarant],
            ETAPE_LABELS[s.etape],
            ", ".join(f"{e.referentiel} {e.exigence}" for e in s.exigences) or "aucune",
            s.publie_le,
            s.reponse_publiee or "",
        ]
        for s in section.signalements
    ]
    if table(ws, SIGNALEMENT_COLUMNS, rows) == 1:  # header only
        put(ws, 2, 1, "Aucun signalement sur la solution.")
