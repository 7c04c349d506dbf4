"""Pure pre-submission lint: what still stands between a questionnaire and a submission."""

from __future__ import annotations

from dataclasses import dataclass

from cens_eval.model.questionnaire import Questionnaire
from cens_eval.model.results import CategorieEcheance, Evaluation
from cens_eval.model.vocabulary import Resultat


@dataclass(frozen=True)
class Finding:
    """One thing to fix before submitting, tied to an exigence."""

    referentiel: str
    exigence: str
    message: str


def readiness(evaluation: Evaluation) -> list[Finding]:
    """Missing answers, missing required preuves, unjustified non-applicable claims, overdue engagements.

    Missing justifications of other statuses are reported by the loader (``strict=False``).
    """
    findings: list[Finding] = []
    for ref in evaluation.referentiels:
        for r in ref.exigences:
            if r.resultat is Resultat.SANS_REPONSE:
                findings.append(Finding(ref.id, r.id, "réponse manquante"))
            elif r.preuves_manquantes:
                findings.append(
                    Finding(
                        ref.id,
                        r.id,
                        f"preuve obligatoire manquante : {', '.join(r.preuves_manquantes)}",
                    )
                )
            elif r.resultat is Resultat.NON_APPLICABLE_NON_JUSTIFIE:
                findings.append(Finding(ref.id, r.id, "non applicable sans justification"))
    for e in evaluation.echeances:
        if e.categorie is CategorieEcheance.ENGAGEMENT_EN_RETARD:
            findings.append(Finding(e.referentiel, e.exigence, e.explication))
    return findings


def to_reconfirm(questionnaire: Questionnaire) -> list[Finding]:
    """Every answer still marked « à reconfirmer » (after a migration), with what changed.

    The answer counts as given; it stands between the questionnaire and a submission until the
    éditeur confirms it by removing the mark.
    """
    return [
        Finding(
            referentiel_id,
            exigence_id,
            f"réponse à reconfirmer ({'; '.join(reponse.a_reconfirmer)}) : la vérifier, puis "
            "retirer la marque (clé a_reconfirmer, ou ligne de la feuille « À reconfirmer »)",
        )
        for referentiel_id, answers in questionnaire.reponses.items()
        for exigence_id, reponse in answers.items()
        if reponse.a_reconfirmer
    ]
