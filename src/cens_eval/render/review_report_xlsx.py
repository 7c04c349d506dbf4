"""A reviewed dossier as a workbook: the dossier's sheets plus a « Revue » sheet."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from cens_eval.model.review import AVIS_LABELS, OPINION_LABELS, DossierRevu, ExigenceRevue
from cens_eval.model.vocabulary import (
    NIVEAU_LABELS,
    PRINCIPE_LABELS,
    RESULTAT_LABELS,
    Niveau,
    Principe,
)
from cens_eval.render.xlsx import build_workbook
from cens_eval.render.xlsx_cells import BOLD, WRAP, header, put, workbook_bytes

SHEET_REVUE = "Revue"


def render_review_report_xlsx(dossier: DossierRevu) -> bytes:
    """The reviewed dossier workbook: every dossier sheet, then the review."""
    wb = build_workbook(dossier)
    ws = wb.create_sheet(SHEET_REVUE, index=1)
    row = _summary(ws, dossier)
    row = _scores(ws, dossier, row + 2)
    _exigences(ws, [e for r in dossier.revue.referentiels for e in r.exigences], row + 2)
    return workbook_bytes(wb, dossier.genere_le)


def _summary(ws: Worksheet, d: DossierRevu) -> int:
    revue = d.revue
    accord = revue.accord
    rows: list[tuple[str, object]] = [
        (
            "Évaluateur",
            revue.evaluateur.nom
            + (f" ({revue.evaluateur.organisme})" if revue.evaluateur.organisme else ""),
        ),
        ("Date de la revue", revue.date),
        ("Avis proposé", OPINION_LABELS[revue.opinion_proposee]),
        ("Motifs", "\n".join(revue.motifs)),
        ("Avis final retenu", OPINION_LABELS[revue.opinion_retenue]),
        (
            "Motif de l'avis final",
            revue.decision_finale.motif if revue.decision_finale else "identique à l'avis proposé",
        ),
        ("Accord (%)", accord.pourcentage),
        ("Kappa de Cohen", accord.kappa if accord.kappa is not None else "indéfini"),
        ("Accord — détail", accord.explication),
        (
            "Sur-déclarations",
            ", ".join(f"{e.referentiel} {e.id}" for e in revue.sur_declarations) or "aucune",
        ),
        ("Sans avis", ", ".join(revue.sans_avis) or "aucune"),
    ]
    ws.column_dimensions["A"].width = 26
    for col in "BCDEFGHI":
        ws.column_dimensions[col].width = 22
    for row, (label, value) in enumerate(rows, start=1):
        put(ws, row, 1, label).font = BOLD
        put(ws, row, 2, value).alignment = WRAP
    return len(rows)


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
    titles = [
        "Référentiel",
        "Exigence",
        "Libellé",
        "Niveau",
        "Résultat déclaré",
        "Avis",
        "Commentaire",
    ]
    titles += ["Résultat évalué", "Accord", "Sur-déclaration"]
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
            e.commentaire,
            RESULTAT_LABELS[e.resultat_evalue],
            "oui" if e.accord else "non",
            "oui" if e.sur_declaration else "non",
        ]
        for col, value in enumerate(values, start=1):
            put(ws, row, col, value).alignment = WRAP
