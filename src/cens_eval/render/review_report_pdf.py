"""A reviewed dossier as a PDF: the review right after the cover, then the whole dossier."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import cm

from cens_eval.model.review import (
    AVIS_LABELS,
    OPINION_LABELS,
    DossierRevu,
    ExigenceRevue,
    Opinion,
    ReferentielRevu,
)
from cens_eval.model.vocabulary import PRINCIPE_LABELS, RESULTAT_LABELS, Niveau, Principe
from cens_eval.render.pdf import render_pdf
from cens_eval.render.pdf_kit import (
    GREEN,
    ORANGE,
    RED,
    WIDTH,
    coloured,
    date_fr,
    markup,
    para,
    score_text,
    table,
    table_or,
)

OPINION_COLOURS = {
    Opinion.FAVORABLE: GREEN,
    Opinion.FAVORABLE_RESERVES_NON_SUSPENSIVES: GREEN,
    Opinion.FAVORABLE_RESERVES_SUSPENSIVES: ORANGE,
    Opinion.DEFAVORABLE: RED,
}


def render_review_report_pdf(dossier: DossierRevu) -> bytes:
    """The reviewed dossier as a PDF; the same review always gives the same bytes."""
    return render_pdf(dossier, review_story(dossier))


def review_story(d: DossierRevu) -> list[Any]:
    """The review section: opinion and reasons, agreement, over-declarations, figures, disagreements."""
    r = d.revue
    who = r.evaluateur.nom + (f", {r.evaluateur.organisme}" if r.evaluateur.organisme else "")
    final = r.decision_finale
    accord = r.accord
    facts: list[list[Any]] = [
        ["Évaluateur", who],
        ["Date de la revue", date_fr(r.date) if r.date else "non indiquée"],
        [
            "Avis proposé",
            para(
                coloured(OPINION_LABELS[r.opinion_proposee], OPINION_COLOURS[r.opinion_proposee]),
                "cellule",
            ),
        ],
        ["Motifs", "\n".join(r.motifs)],
        [
            "Avis final retenu",
            para(
                coloured(OPINION_LABELS[r.opinion_retenue], OPINION_COLOURS[r.opinion_retenue]),
                "cellule",
            ),
        ],
        ["Motif de l'avis final", final.motif if final else "identique à l'avis proposé"],
        [
            "Accord éditeur / évaluateur",
            f"{score_text(accord.pourcentage)} ; kappa de Cohen : {_kappa(accord.kappa)}",
        ],
        ["Détail de l'accord", accord.explication],
        ["Exigences sans avis", ", ".join(r.sans_avis) or "aucune"],
    ]
    story: list[Any] = [
        para(markup("Revue de l'évaluateur"), "h1"),
        table(facts, [4.5 * cm, WIDTH - 4.5 * cm], header=0),
    ]
    story.append(para(markup("Sur-déclarations (déclaré conforme, évalué autrement)"), "h2"))
    rows: list[list[Any]] = [["Exigence", "Libellé", "Avis", "Commentaire", "Résultat évalué"]]
    rows += [_row(e) for e in r.sur_declarations]
    story.append(
        table_or(
            rows, [2.6 * cm, 4.6 * cm, 2.6 * cm, 4.6 * cm, 2.6 * cm], "Aucune sur-déclaration."
        )
    )
    for ref in r.referentiels:
        story += _figures(ref)
    return story


def _kappa(value: object) -> str:
    return "indéfini" if value is None else str(value).replace(".", ",")


def _row(e: ExigenceRevue) -> list[Any]:
    avis = AVIS_LABELS[e.avis] if e.avis else "Sans avis"
    return [
        f"{e.referentiel} {e.id}",
        e.libelle,
        avis,
        e.commentaire or "",
        RESULTAT_LABELS[e.resultat_evalue],
    ]


def _figures(ref: ReferentielRevu) -> list[Any]:
    rows: list[list[Any]] = [
        ["Principe", "Obligatoires déclaré", "évalué", "Préconisations déclaré", "évalué"]
    ]
    for principe in (*Principe, None):
        row: list[Any] = [PRINCIPE_LABELS[principe] if principe else "Ensemble"]
        for niveau in Niveau:
            for scores in (ref.scores_declares, ref.scores_evalues):
                score = next(s for s in scores if s.niveau is niveau and s.principe is principe)
                row.append(score_text(score.score))
        rows.append(row)
    story: list[Any] = [
        para(markup(f"{ref.id} {ref.version} — scores déclarés et évalués"), "h2"),
        table(rows, [4.2 * cm, 3.2 * cm, 2.6 * cm, 3.6 * cm, 2.6 * cm]),
    ]
    disagreements = [["Exigence", "Libellé", "Avis", "Commentaire", "Résultat évalué"]]
    disagreements += [_row(e) for e in ref.exigences if not e.accord]
    story.append(para(markup("Désaccords entre le résultat déclaré et le résultat évalué"), "h3"))
    story.append(
        table_or(
            disagreements, [2.6 * cm, 4.6 * cm, 2.6 * cm, 4.6 * cm, 2.6 * cm], "Aucun désaccord."
        )
    )
    return story
