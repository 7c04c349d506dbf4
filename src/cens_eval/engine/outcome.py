"""The outcome of one exigence from the éditeur's answer, with its reason (pure).

The rule lives in :func:`decide`, and only there: it returns the outcome together with the
words that explain it and the preuves that are missing, so the explanation is written from
the decision and never decided a second time.

Outcomes (rules of :data:`~cens_eval.model.versions.REGLES_EN_VIGUEUR`; the differences of
earlier versions are named there): no answer → sans réponse; non applicable → justifié when a
justification and every mandatory preuve of the ``non_applicable`` block are given; an exigence
the profil places outside its case (``non_applicable_a_justifier``) answered otherwise → non
applicable non justifié; a measured value outside its threshold → non conforme, whatever the
declared status; conforme → preuves manquantes when a mandatory preuve is missing, conforme
otherwise; partiellement conforme and non conforme as declared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from cens_eval.model.duree import ajouter, duree_texte
from cens_eval.model.questionnaire import PreuveFournie, Reponse
from cens_eval.model.referentiel import Exigence, PreuveAttendue
from cens_eval.model.versions import REGLES_EN_VIGUEUR, Regles
from cens_eval.model.vocabulary import Portee, Resultat, Statut, TypePreuve


@dataclass(frozen=True)
class Regle:
    """An exigence reduced to what its outcome depends on, prepared once per référentiel."""

    exigence: Exigence
    requises: tuple[str, ...]
    """Mandatory preuves of a conforme claim."""
    requises_na: tuple[str, ...]
    """Mandatory preuves of a non applicable claim (from the ``non_applicable`` block)."""
    seuils: tuple[PreuveAttendue, ...]
    """Measured preuves with a threshold."""
    ages: tuple[tuple[str, str], ...] = ()
    """Expected preuves with a maximum age: (preuve id, ISO 8601 duration)."""

    @property
    def id(self) -> str:
        """The exigence's id."""
        return self.exigence.id

    @classmethod
    def of(cls, exigence: Exigence) -> Regle:
        """Prepare the rule of one exigence."""
        na = exigence.non_applicable.preuves if exigence.non_applicable else []
        limits = ((p.id, exigence.age_max_de(p.id)) for p in [*exigence.preuves, *na])
        return cls(
            exigence=exigence,
            requises=tuple(p.id for p in exigence.preuves if p.obligatoire),
            requises_na=tuple(p.id for p in na if p.obligatoire),
            seuils=tuple(
                p for p in exigence.preuves if p.type is TypePreuve.MESURE and p.seuil is not None
            ),
            ages=tuple((i, age) for i, age in limits if age is not None),
        )


@dataclass(frozen=True)
class Decision:
    """An outcome and why."""

    resultat: Resultat
    raison: str
    """The answer, preuve or measure that produced the outcome, in words."""
    preuves_manquantes: tuple[str, ...] = ()
    """Mandatory preuves the answer does not give (for a declared gap too: shown, not asked)."""
    datees: tuple[PreuveDatee, ...] = ()
    """The given preuves whose age was read (a maximum age and a date), expired ones included."""
    non_datees: tuple[str, ...] = ()
    """Given preuves with a maximum age but no date: counted, their age unknown."""


@dataclass(frozen=True)
class PreuveDatee:
    """A given preuve with a maximum age, and its age at the evaluation date."""

    attendue: str
    datee_du: dt.date
    """Its ``date``, else the end of the period it covers."""
    age_max: str
    valable_jusqu_au: dt.date
    """Its last valid day (``datee_du`` plus ``age_max``)."""
    expiree: bool
    """True when the evaluation date is past its last valid day: it counts as missing."""


def dated(
    regle: Regle, given: Sequence[PreuveFournie], as_of: dt.date
) -> tuple[list[PreuveFournie], tuple[PreuveDatee, ...], tuple[str, ...]]:
    """The preuves still valid at ``as_of``, the dated ones with their age, the undated ids."""
    limits = dict(regle.ages)
    kept: list[PreuveFournie] = []
    datees: list[PreuveDatee] = []
    undated: list[str] = []
    for preuve in given:
        age = limits.get(preuve.attendue)
        day = preuve.datee_du
        if age is None:
            kept.append(preuve)
            continue
        if day is None:
            undated.append(preuve.attendue)
            kept.append(preuve)
            continue
        last = ajouter(day, age)
        datees.append(PreuveDatee(preuve.attendue, day, age, last, as_of > last))
        if as_of <= last:
            kept.append(preuve)
    return kept, tuple(datees), tuple(undated)


def age_words(p: PreuveDatee) -> str:
    """One dated preuve's age in words, for the explanations."""
    head = (
        f"preuve {p.attendue} datée du {p.datee_du:%d/%m/%Y}, âge maximal {duree_texte(p.age_max)}"
    )
    if p.expiree:
        return f"{head} : expirée depuis le {p.valable_jusqu_au + dt.timedelta(days=1):%d/%m/%Y}, comptée comme manquante"
    return f"{head} : valable jusqu'au {p.valable_jusqu_au:%d/%m/%Y}"


def decide(
    regle: Regle,
    reponse: Reponse | None,
    portee: Portee = Portee.APPLICABLE,
    regles: Regles = REGLES_EN_VIGUEUR,
    as_of: dt.date | None = None,
) -> Decision:
    """The outcome of one in-scope exigence, from the éditeur's answer (None: not answered).

    With the rules' ``age_des_preuves`` and an evaluation date ``as_of``, a preuve older than
    its maximum age counts as not given.
    """
    if reponse is None or reponse.statut is None:
        return Decision(Resultat.SANS_REPONSE, "aucune réponse")
    if not (regles.age_des_preuves and as_of is not None and regle.ages):
        return _decide(regle, reponse, portee, regles)
    kept, datees, undated = dated(regle, reponse.preuves, as_of)
    decision = _decide(regle, reponse.model_copy(update={"preuves": kept}), portee, regles)
    return Decision(
        decision.resultat, decision.raison, decision.preuves_manquantes, datees, undated
    )


def _decide(regle: Regle, reponse: Reponse, portee: Portee, regles: Regles) -> Decision:
    statut = reponse.statut
    if statut is None:  # pragma: no cover - decide answers an unanswered exigence first
        return Decision(Resultat.SANS_REPONSE, "aucune réponse")
    if (
        portee is Portee.NON_APPLICABLE_A_JUSTIFIER
        and statut is not Statut.NON_APPLICABLE
        and regles.reponse_hors_profil_non_justifiee
    ):
        return Decision(
            Resultat.NON_APPLICABLE_NON_JUSTIFIE,
            f"déclarée {STATUT_WORDS[statut]} : hors du cas visé, seule une déclaration de "
            "non-applicabilité avec sa preuve y répond",
            missing(regle.requises_na, reponse.preuves),
        )
    if statut is Statut.NON_APPLICABLE:
        manquantes = missing(regle.requises_na, reponse.preuves)
        if not reponse.justification:
            return Decision(
                Resultat.NON_APPLICABLE_NON_JUSTIFIE,
                "déclarée non applicable sans justification",
                manquantes,
            )
        if manquantes:
            return Decision(
                Resultat.NON_APPLICABLE_NON_JUSTIFIE,
                f"déclarée non applicable, preuve exigée manquante : {', '.join(manquantes)}",
                manquantes,
            )
        proved = " et prouvée" if regle.exigence.non_applicable else ""
        return Decision(
            Resultat.NON_APPLICABLE_JUSTIFIE, f"déclarée non applicable, justifiée{proved}"
        )
    # A declared gap keeps the list of what the dossier does not hold (shown beside the
    # verdict); the pre-submission check does not ask it of an honest gap (engine.readiness).
    manquantes = missing(regle.requises, reponse.preuves)
    below = thresholds_failed(regle.seuils, reponse.preuves)
    if below and (statut is Statut.CONFORME or regles.seuil_pour_tout_statut):
        return Decision(
            Resultat.NON_CONFORME,
            f"déclarée {STATUT_WORDS[statut]} mais " + " ; ".join(below),
            manquantes,
        )
    if statut is Statut.PARTIELLEMENT_CONFORME:
        return Decision(
            Resultat.PARTIELLEMENT_CONFORME,
            "déclarée partiellement conforme par l'éditeur",
            manquantes,
        )
    if statut is Statut.NON_CONFORME:
        return Decision(Resultat.NON_CONFORME, "déclarée non conforme par l'éditeur", manquantes)
    if manquantes:
        return Decision(
            Resultat.PREUVES_MANQUANTES,
            f"déclarée conforme, preuve obligatoire manquante : {', '.join(manquantes)}",
            manquantes,
        )
    return Decision(Resultat.CONFORME, "déclarée conforme avec toutes les preuves obligatoires")


STATUT_WORDS = {
    Statut.CONFORME: "conforme",
    Statut.PARTIELLEMENT_CONFORME: "partiellement conforme",
    Statut.NON_CONFORME: "non conforme",
    Statut.NON_APPLICABLE: "non applicable",
}
"""A declared status as the explanations word it."""


def missing(required: Sequence[str], given: Sequence[PreuveFournie]) -> tuple[str, ...]:
    """The required preuve ids that no given preuve answers, in their order."""
    provided = {p.attendue for p in given}
    return tuple(r for r in required if r not in provided)


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
