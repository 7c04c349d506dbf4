"""A reviewed dossier as a workbook: the « Revue » sheet first, then the dossier's own sheets."""

from __future__ import annotations

from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from cens_eval.model.review import AVIS_LABELS, OPINION_LABELS, DossierRevu, ExigenceRevue
from cens_eval.model.vocabulary import (
    NIVEAU_LABELS,
    PRINCIPE_LABELS,
    RESULTAT_LABELS,
    VERDICT_LABELS,
    Niveau,
    Principe,
)
from cens_eval.render.arbitration_xlsx import arbitration_sheet
from cens_eval.render.generated_text import typographic
from cens_eval.render.xlsx import build_workbook
from cens_eval.render.xlsx_cells import (
    BOLD,
    TEXT_FORMAT,
    WRAP,
    fit_rows,
    header,
    numbers_left,
    print_setup,
    put,
    workbook_bytes,
)

SHEET_REVUE = "Revue"


def render_review_report_xlsx(dossier: DossierRevu) -> bytes:
    """The reviewed dossier workbook: the review, then every sheet of the éditeur's dossier."""
    with typographic(dossier):
        return _workbook(dossier)


def _workbook(dossier: DossierRevu) -> bytes:
    wb = build_workbook(dossier)
    ws = wb.create_sheet(SHEET_REVUE, index=0)
    arbitration_sheet(wb, dossier, index=1)
    wb.active = 0
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = sheet is ws
    row = _summary(ws, dossier)
    row = _verdicts(ws, dossier, row + 2)
    row = _scores(ws, dossier, row + 2)
    _exigences(ws, [e for r in dossier.revue.referentiels for e in r.exigences], row + 2)
    if dossier.version_format >= 2:  # format 1 is reproduced as 0.1.0 wrote it
        _printable(ws)
    fit_rows(ws)
    print_setup(ws, landscape=True)
    return workbook_bytes(wb, dossier.genere_le)


def _printable(ws: Worksheet) -> None:
    """The sheet as it prints without a cell over its neighbour.

    The title spans the width of the summary's values and wraps; each label of the summary
    wraps in its column (« Empreinte du dossier (SHA-256 de dossier.json) » ran under the
    hash); numbers are aligned on the left, away from the text on their right.
    """
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=8)
    ws.cell(row=1, column=1).alignment = WRAP
    for row in range(2, ws.max_row + 1):
        label = ws.cell(row=row, column=1)
        if label.font.b and not label.alignment.wrap_text:
            label.alignment = WRAP
    numbers_left(ws)


def _summary(ws: Worksheet, d: DossierRevu) -> int:
    revue = d.revue
    ev, accord, final = revue.evaluateur, revue.accord, revue.decision_finale
    if final is not None:
        retained, motif = OPINION_LABELS[final.opinion], final.motif
    elif revue.opinion_retenue is not None:
        retained, motif = (
            OPINION_LABELS[revue.opinion_retenue],
            "l'évaluateur retient l'avis proposé",
        )
    else:
        retained, motif = "aucun", f"{len(revue.sans_avis)} exigence(s) sans avis"
    rows: list[tuple[str, object]] = [
        ("Évaluateur", ev.nom),
        ("Fonction", ev.fonction),
        ("Organisme", ev.organisme),
        ("Contact", ev.contact),
        ("Date de la revue", revue.date),
        ("Éditeur", d.editeur.nom),
        ("SIREN", d.editeur.siren),
        ("Solution", f"{d.solution.nom} {d.solution.version}"),
        ("Date d'évaluation du dossier", d.as_of),
        ("Empreinte du dossier (SHA-256 de dossier.json)", revue.dossier_sha256),
        ("Fichier de revue", f"{revue.fichier.fichier} (SHA-256 {revue.fichier.sha256})"),
        ("Conclusion après revue", "CONFORME" if revue.conforme_evalue else "NON CONFORME"),
        ("Avis proposé", OPINION_LABELS[revue.opinion_proposee]),
        ("Motifs", "\n".join(revue.motifs)),
        ("Avis final retenu", retained),
        ("Motif de l'avis final", motif),
        ("Accord (%)", accord.pourcentage),
        ("Kappa de Cohen", accord.kappa if accord.kappa is not None else "indéfini"),
        ("Accord — détail", accord.explication),
        (
            "Sur-déclarations",
            ", ".join(f"{e.referentiel} {e.id}" for e in revue.sur_declarations) or "aucune",
        ),
        ("Sans avis", ", ".join(revue.sans_avis) or "aucune"),
        ("Points d'attention", "\n".join(revue.avertissements) or "aucun"),
        (
            "Validation",
            f"{ev.nom}, le {revue.date:%d/%m/%Y} (mention « lu et approuvé » et signature : revue.pdf)",
        ),
    ]
    put(
        ws, 1, 1, f"Revue d'évaluation éthique — {d.solution.nom} {d.solution.version}"
    ).font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 30
    for col in "BCDEFGHIJK":
        ws.column_dimensions[col].width = 22
    for row, (label, value) in enumerate(rows, start=2):
        put(ws, row, 1, label).font = BOLD
        cell = put(ws, row, 2, value)
        cell.alignment = WRAP
        if isinstance(value, str):  # a SIREN or a version stays text
            cell.number_format = TEXT_FORMAT
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=8)
    return len(rows) + 1


def _verdicts(ws: Worksheet, d: DossierRevu, top: int) -> int:
    titles = [
        "Référentiel",
        "Version",
        "Verdict déclaré",
        "Verdict évalué",
        "Écarts bloquants évalués",
    ]
    for col, title in enumerate(titles, start=1):
        header(ws, top, col, title)
    row = top
    for r in d.revue.referentiels:
        row += 1
        values = [
            r.id,
            r.version,
            VERDICT_LABELS[r.verdict_declare],
            VERDICT_LABELS[r.verdict_evalue],
            ", ".join(r.bloquantes_evaluees) or "aucun",
        ]
        for col, value in enumerate(values, start=1):
            put(ws, row, col, value).alignment = WRAP
    return row


def _scores(ws: Worksheet, d: DossierRevu, top: int) -> int:
    titles = ["Référentiel", "Principe", "Obligatoires déclaré (%)", "Obligatoires évalué (%)"]
    titles += ["Préconisations déclaré (%)", "Préconisations évalué (%)"]
    for col, title in enumerate(titles, start=1):
        header(ws, top, col, title)
    row = top
    for r in d.revue.referentiels:
        for principe in (*Principe, None):
            row += 1
            values: list[object] = [r.id, PRINCIPE_LABELS[principe] if principe else "Ensemble"]
            for niveau in Niveau:
                for scores in (r.scores_declares, r.scores_evalues):
                    score = next(s for s in scores if s.niveau is niveau and s.principe is principe)
                    values.append(score.score if score.score is not None else "—")
            for col, value in enumerate(values, start=1):
                put(ws, row, col, value)
    return row


def _exigences(ws: Worksheet, exigences: list[ExigenceRevue], top: int) -> None:
    titles = ["Référentiel", "Exigence", "Libellé", "Niveau", "Résultat déclaré", "Avis"]
    titles += [
        "Résultat évalué",
        "Commentaire",
        "Bloquante après revue",
        "Accord",
        "Sur-déclaration",
    ]
    for col, title in enumerate(titles, start=1):
        header(ws, top, col, title)
    for row, e in enumerate(exigences, start=top + 1):
        values: list[object] = [
            e.referentiel,
            e.id,
            e.libelle,
            NIVEAU_LABELS[e.niveau_effectif],
            RESULTAT_LABELS[e.resultat_declare],
            AVIS_LABELS[e.avis] if e.avis else "Sans avis",
            RESULTAT_LABELS[e.resultat_evalue],
            e.commentaire,
            "oui" if e.bloquante_evaluee else "non",
            "oui" if e.accord else "non",
            "oui" if e.sur_declaration else "non",
        ]
        for col, value in enumerate(values, start=1):
            put(ws, row, col, value).alignment = WRAP
