"""Pure readiness rules: what a verdict must not hide, and what stands before a submission.

Two questions, two functions, one module:

- :func:`preparation` — how complete the dossier is, shown beside every verdict (overdue
  engagements, unanswered exigences, every mandatory preuve the dossier does not hold);
- :func:`readiness` — what the éditeur must still do before submitting. A declared gap
  (non conforme, partiellement conforme) is an honest answer: it needs its justification, not
  the preuves of a conformity it does not claim, so only the preuves of a claim (conforme, non
  applicable) are asked here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cens_eval.model.questionnaire import Questionnaire
from cens_eval.model.results import (
    CategorieEcheance,
    Echeance,
    EtatPreparation,
    Evaluation,
    PointPreparation,
    ResultatReferentiel,
)
from cens_eval.model.vocabulary import Resultat


@dataclass(frozen=True)
class Finding:
    """One thing to fix before submitting, tied to an exigence."""

    referentiel: str
    exigence: str
    message: str
    champ: tuple[str, ...] = ("statut",)
    """The field of the answer to fix (``statut``, ``preuves``…): where to point the éditeur."""


def preparation(
    referentiels: Sequence[ResultatReferentiel], echeances: Sequence[Echeance]
) -> EtatPreparation:
    """Overdue engagements, unanswered exigences and missing mandatory preuves, each named.

    Args:
        referentiels: the results of the référentiels evaluated.
        echeances: the échéances of the evaluation (its overdue engagements are taken).
    """
    sans_reponse: list[PointPreparation] = []
    preuves: list[PointPreparation] = []
    for ref in referentiels:
        for r in ref.exigences:
            if r.resultat is Resultat.SANS_REPONSE:
                sans_reponse.append(
                    PointPreparation(
                        referentiel=ref.id,
                        exigence=r.id,
                        libelle=r.libelle,
                        detail="aucune réponse",
                    )
                )
            elif r.preuves_manquantes:
                preuves.append(
                    PointPreparation(
                        referentiel=ref.id,
                        exigence=r.id,
                        libelle=r.libelle,
                        detail=f"preuve obligatoire manquante : {', '.join(r.preuves_manquantes)}",
                        preuves=r.preuves_manquantes,
                    )
                )
    depasses = [
        PointPreparation(
            referentiel=e.referentiel,
            exigence=e.exigence,
            libelle=e.libelle,
            detail=e.explication,
            date=e.date,
        )
        for e in echeances
        if e.categorie is CategorieEcheance.ENGAGEMENT_EN_RETARD
    ]
    return EtatPreparation(
        engagements_depasses=depasses, sans_reponse=sans_reponse, preuves_manquantes=preuves
    )


def readiness(evaluation: Evaluation) -> list[Finding]:
    """What the éditeur must still do before submitting, by exigence.

    Missing answers, the missing mandatory preuves of a claim (conforme, non applicable) and
    overdue engagements. A declared gap is not asked for the
    preuves of conformity. Missing justifications and evidence files not found are reported by
    the loader (``LoadedQuestionnaire.gaps``).
    """
    findings: list[Finding] = []
    for ref in evaluation.referentiels:
        for r in ref.exigences:
            if r.resultat is Resultat.SANS_REPONSE:
                findings.append(Finding(ref.id, r.id, "réponse manquante"))
            elif r.resultat is Resultat.PREUVES_MANQUANTES or (
                r.resultat is Resultat.NON_APPLICABLE_NON_JUSTIFIE and r.preuves_manquantes
            ):  # only a claim (conforme, non applicable) is asked for its preuves
                missing = ", ".join(r.preuves_manquantes)
                findings.append(
                    Finding(ref.id, r.id, f"preuve obligatoire manquante : {missing}", ("preuves",))
                )
    for e in evaluation.echeances:
        if e.categorie is CategorieEcheance.ENGAGEMENT_EN_RETARD:
            findings.append(
                Finding(e.referentiel, e.exigence, e.explication, ("engagement", "echeance"))
            )
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
