"""The outcome of one exigence from the éditeur's answer, and the words that explain it (pure).

The rule lives in :func:`outcomes`, and only there: the engine calls it for every exigence of
every questionnaire, the explanation is written afterwards from the outcome it returned.

Outcomes: no answer → sans réponse; non applicable → justifié when a justification and every
mandatory preuve of the ``non_applicable`` block are given; conforme → non conforme when a
measured value is outside its threshold, preuves manquantes when a mandatory preuve is
missing, conforme otherwise; partiellement conforme and non conforme as declared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cens_eval.questionnaire import PreuveFournie, Reponse
from cens_eval.referentiel import Exigence, PreuveAttendue
from cens_eval.vocabulary import Niveau, Portee, Resultat, Statut, TypePreuve


@dataclass(frozen=True, slots=True)
class Regle:
    """An exigence reduced to what its outcome depends on, prepared once per référentiel."""

    exigence: Exigence
    id: str
    requises: tuple[str, ...]
    """Mandatory preuves of a conforme claim."""
    requises_na: tuple[str, ...]
    """Mandatory preuves of a non applicable claim (from the ``non_applicable`` block)."""
    seuils: tuple[PreuveAttendue, ...]
    """Measured preuves with a threshold."""

    @classmethod
    def of(cls, exigence: Exigence) -> Regle:
        """Prepare the rule of one exigence."""
        na = exigence.non_applicable.preuves if exigence.non_applicable else []
        return cls(
            exigence=exigence,
            id=exigence.id,
            requises=tuple(p.id for p in exigence.preuves if p.obligatoire),
            requises_na=tuple(p.id for p in na if p.obligatoire),
            seuils=tuple(
                p for p in exigence.preuves if p.type is TypePreuve.MESURE and p.seuil is not None
            ),
        )


def outcome(regle: Regle, reponse: Reponse | None) -> Resultat:
    """The outcome of one in-scope exigence, from the éditeur's answer (None: not answered)."""
    return outcomes((regle,), (reponse,))[0]


def outcomes(regles: Sequence[Regle], reponses: Sequence[Reponse | None]) -> list[Resultat]:
    """The outcome of each in-scope exigence, from the answer at the same position.

    One loop for a whole référentiel: the engine runs it for every questionnaire. Members and
    helpers are bound to local names, which Python reads faster than globals and attributes.
    """
    conforme, partiel, non_conforme, non_applicable = (
        Statut.CONFORME,
        Statut.PARTIELLEMENT_CONFORME,
        Statut.NON_CONFORME,
        Statut.NON_APPLICABLE,
    )
    met, partial, unmet, unproved, unanswered, excused, unexcused = (
        Resultat.CONFORME,
        Resultat.PARTIELLEMENT_CONFORME,
        Resultat.NON_CONFORME,
        Resultat.PREUVES_MANQUANTES,
        Resultat.SANS_REPONSE,
        Resultat.NON_APPLICABLE_JUSTIFIE,
        Resultat.NON_APPLICABLE_NON_JUSTIFIE,
    )
    results: list[Resultat] = []
    append, lacks, failed = results.append, _lacks, thresholds_failed
    for regle, reponse in zip(regles, reponses, strict=True):
        if reponse is None:
            append(unanswered)
            continue
        statut = reponse.statut
        if statut is conforme:
            if regle.seuils and failed(regle.seuils, reponse.preuves):
                append(unmet)
            elif regle.requises and lacks(regle.requises, reponse.preuves):
                append(unproved)
            else:
                append(met)
        elif statut is partiel:
            append(partial)
        elif statut is non_conforme:
            append(unmet)
        elif statut is non_applicable:
            if not reponse.justification or (
                regle.requises_na and lacks(regle.requises_na, reponse.preuves)
            ):
                append(unexcused)
            else:
                append(excused)
        else:
            append(unanswered)
    return results


def _lacks(required: Sequence[str], given: Sequence[PreuveFournie]) -> bool:
    """Whether a required preuve is not given (lists are short: a few items each)."""
    for wanted in required:
        for p in given:
            if p.attendue == wanted:
                break
        else:
            return True
    return False


def missing(required: Sequence[str], given: Sequence[PreuveFournie]) -> list[str]:
    """The required preuve ids that no given preuve answers, in their order."""
    provided = {p.attendue for p in given}
    return [r for r in required if r not in provided]


def thresholds_failed(
    seuils: Sequence[PreuveAttendue], given: Sequence[PreuveFournie]
) -> list[str]:
    """Each measured value outside its threshold, in words."""
    failures = []
    for attendue in seuils:
        seuil = attendue.seuil
        if seuil is None:  # pragma: no cover - Regle keeps only preuves with a threshold
            continue
        for fournie in given:
            valeur = fournie.valeur
            if fournie.attendue != attendue.id or valeur is None:
                continue
            unite = attendue.unite
            if seuil.min is not None and valeur < seuil.min:
                failures.append(f"{attendue.id} = {valeur} {unite}, sous le seuil de {seuil.min}")
            if seuil.max is not None and valeur > seuil.max:
                failures.append(
                    f"{attendue.id} = {valeur} {unite}, au-dessus du seuil de {seuil.max}"
                )
    return failures


def explain(
    regle: Regle,
    portee: Portee,
    niveau_effectif: Niveau,
    reponse: Reponse | None,
    resultat: Resultat,
) -> tuple[list[str], list[str]]:
    """Why an exigence got its outcome, as sentences, and the mandatory preuves missing."""
    exigence = regle.exigence
    explication: list[str] = []
    if portee is Portee.NON_APPLICABLE_A_JUSTIFIER:
        explication.append(
            "le profil place cette exigence hors du cas visé : elle doit être déclarée non applicable, avec sa preuve"
        )
    if niveau_effectif is not exigence.niveau:
        explication.append(
            f"préconisation devenue obligatoire le {exigence.obligatoire_a_partir_du:%d/%m/%Y}"
        )
    if reponse is None or reponse.statut is None:
        return [*explication, "aucune réponse"], []
    if reponse.statut is Statut.NON_APPLICABLE:
        manquantes = missing(regle.requises_na, reponse.preuves)
        if not reponse.justification:
            explication.append("déclarée non applicable sans justification")
        elif manquantes:
            explication.append(
                f"déclarée non applicable, preuve exigée manquante : {', '.join(manquantes)}"
            )
        else:
            proved = " et prouvée" if exigence.non_applicable else ""
            explication.append(f"déclarée non applicable, justifiée{proved}")
        return explication, manquantes
    manquantes = missing(regle.requises, reponse.preuves)
    if resultat is Resultat.CONFORME:
        explication.append("déclarée conforme avec toutes les preuves obligatoires")
    elif resultat is Resultat.PREUVES_MANQUANTES:
        explication.append(
            f"déclarée conforme, preuve obligatoire manquante : {', '.join(manquantes)}"
        )
    elif reponse.statut is Statut.CONFORME:
        below = thresholds_failed(regle.seuils, reponse.preuves)
        explication.append("déclarée conforme mais " + " ; ".join(below))
    elif resultat is Resultat.PARTIELLEMENT_CONFORME:
        explication.append("déclarée partiellement conforme par l'éditeur")
    else:
        explication.append("déclarée non conforme par l'éditeur")
    return explication, manquantes
