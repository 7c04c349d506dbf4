"""The arbitration section of ``revue.pdf``: both evaluators, their agreement, the decisions.

Shown only for an arbitrated dossier (independent reviews settled by an arbitre); any other
reviewed dossier's PDF is unchanged.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak

from cens_eval.model.arbitration import DossierArbitre, SectionArbitrage
from cens_eval.model.review import OPINION_LABELS, DossierRevu
from cens_eval.model.vocabulary import NIVEAU_LABELS, RESULTAT_LABELS
from cens_eval.render.comparison_text import avis_text, kappa_text, number
from cens_eval.render.pdf_kit import LIGHT, WIDTH, cell, date_fr, heading, markup, para, table


def arbitration_story(d: DossierRevu) -> list[Any]:
    """The section's flowables; none for a dossier reviewed by one evaluator."""
    if not isinstance(d, DossierArbitre):
        return []
    a = d.revue.arbitrage
    return [
        CondPageBreak(6 * cm),
        heading("Double revue et arbitrage", "h1", 0),
        para(
            markup(
                f"{len(a.revues)} évaluateurs ont revu ce dossier indépendamment ; leurs "
                f"désaccords ont été tranchés par {a.arbitre.nom} le {date_fr(a.date)}. La revue "
                "finale retient les résultats communs aux évaluateurs et les résultats arbitrés."
            )
        ),
        table(_reviews(a), [1.6 * cm, 4.6 * cm, 2.4 * cm, WIDTH - 8.6 * cm]),
        heading("Accord entre évaluateurs", "h2", 1),
        table(
            _agreement(a), [3.6 * cm, WIDTH - 3.6 * cm], [("BACKGROUND", (0, 0), (0, -1), LIGHT)], 0
        ),
        heading("Décisions de l'arbitre", "h2", 1),
        table(_decisions(a), [2.9 * cm, 6.2 * cm, 3 * cm, WIDTH - 12.1 * cm])
        if a.decisions
        else para(markup("Aucun désaccord à trancher.")),
    ]


def _reviews(a: SectionArbitrage) -> list[list[Any]]:
    rows: list[list[Any]] = [["Revue", "Évaluateur", "Date", "Fichier et avis proposé"]]
    for r in a.revues:
        role = ", ".join(x for x in (r.fonction, r.organisme) if x)
        rows.append(
            [
                f"R{r.numero}",
                r.evaluateur + (f" ({role})" if role else ""),
                date_fr(r.date),
                f"{r.fichier.fichier} — {OPINION_LABELS[r.opinion_proposee]}",
            ]
        )
    return rows


def _agreement(a: SectionArbitrage) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [
            f"R{p.revues[0]} / R{p.revues[1]}",
            f"{number(p.pourcentage, ' %')} ({p.concordantes}/{p.exigences}) ; kappa de Cohen : "
            f"{kappa_text(p.kappa)}",
        ]
        for p in a.paires
    ]
    if a.collectif is not None:
        k = a.collectif
        rows.append(
            [
                "Tous",
                f"unanimité {number(k.pourcentage, ' %')} ({k.unanimes}/{k.exigences}) ; kappa de "
                f"Fleiss : {kappa_text(k.kappa)}",
            ]
        )
    rows.append(
        ["Exigences comparées", f"{a.comparees} sur {a.exigences} (avis dans chaque revue)"]
    )
    return rows


def _decisions(a: SectionArbitrage) -> list[list[Any]]:
    rows: list[list[Any]] = [["Exigence", "Avis des évaluateurs", "Résultat arbitré", "Motif"]]
    for e in a.decisions:
        said = "<br/>".join(markup(f"R{x.revue} ({x.evaluateur}) : {avis_text(x)}") for x in e.avis)
        rows.append(
            [
                cell(
                    f"<b>{markup(e.referentiel)}</b><br/>{markup(e.id)}<br/>"
                    f"{markup(NIVEAU_LABELS[e.niveau_effectif])}"
                ),
                cell(said),
                RESULTAT_LABELS[e.resultat_arbitre],
                f"{e.motif} ({a.arbitre.nom})",
            ]
        )
    return rows
