"""Frozen result models: the contract between the engine, the review and the dossier.

Results are plain values, built once by the engine, immutable, and they round-trip through
their own JSON (``Evaluation.model_validate_json(e.model_dump_json()) == e``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Annotated

from pydantic import Field, Strict

from cens_eval.model.base import Model
from cens_eval.model.fidelity import fidelity_counts, reconstituted
from cens_eval.model.questionnaire import Engagement, Reprise
from cens_eval.model.vocabulary import (
    Fidelite,
    Niveau,
    Portee,
    Principe,
    Resultat,
    Statut,
    Verdict,
)


class AgePreuve(Model):
    """A given preuve with a maximum age, and its age at the evaluation date."""

    attendue: str
    datee_du: dt.date
    """Its ``date``, else the end of the period it covers."""
    age_max: str
    """The maximum age (ISO 8601 duration)."""
    valable_jusqu_au: dt.date
    """Its last valid day."""
    expiree: bool
    """Past its last valid day at the evaluation date: counted as missing."""


class ResultatExigence(Model):
    """Outcome of one in-scope exigence, with what produced it."""

    referentiel: str
    id: str
    libelle: str
    principe: Principe
    niveau: Niveau
    niveau_effectif: Niveau
    poids: Decimal
    fidelite: Fidelite
    """How close the exigence is to the official text (officiel, paraphrasé, reconstitué)."""
    portee: Portee
    statut_declare: Statut | None
    resultat: Resultat
    satisfaite: bool
    preuves_fournies: list[str]
    preuves_manquantes: list[str]
    explication: list[str]
    engagement: Engagement | None = None
    ages: list[AgePreuve] = Field(default_factory=list)
    """The given preuves whose age was read (rules v2 on), expired ones included."""
    reprises: list[Reprise] = Field(default_factory=list)
    """Where its answer is taken from (the source used first; ``confirmee``: counted)."""

    @property
    def valide_jusqu_au(self) -> dt.date | None:
        """The last day its preuves still valid stay so (None: no dated preuve with an age)."""
        days = [a.valable_jusqu_au for a in self.ages if not a.expiree]
        return min(days) if days else None


class Exclusion(Model):
    """An exigence left out of a figure, and why."""

    id: str
    raison: str


class Score(Model):
    """One score figure: a principle (or the whole référentiel) at one level."""

    principe: Principe | None
    """None for the whole référentiel."""
    niveau: Niveau
    score: Fraction | None
    """Percentage in [0, 100], exact; None when no exigence is counted."""
    points: Fraction
    poids_total: Fraction
    comptees: list[str]
    exclues: list[Exclusion]
    effectifs: dict[Resultat, int]
    explication: str


class Blocage(Model):
    """A mandatory exigence that is not met, which makes the verdict non conforme."""

    id: str
    libelle: str
    resultat: Resultat
    raison: str
    fidelite: Fidelite
    """How close the exigence is to the official text: a reconstituted one is to be confirmed."""


class CategorieEcheance(StrEnum):
    """Kinds of upcoming or overdue dates."""

    PRECONISATION_BIENTOT_OBLIGATOIRE = "preconisation_bientot_obligatoire"
    ENGAGEMENT_EN_RETARD = "engagement_en_retard"
    ENGAGEMENT_A_VENIR = "engagement_a_venir"
    PREUVE_A_RENOUVELER = "preuve_a_renouveler"
    PREUVE_EXPIREE = "preuve_expiree"


ECHEANCE_LABELS: dict[CategorieEcheance, str] = {
    CategorieEcheance.PRECONISATION_BIENTOT_OBLIGATOIRE: "Préconisation bientôt obligatoire",
    CategorieEcheance.ENGAGEMENT_EN_RETARD: "Engagement en retard",
    CategorieEcheance.ENGAGEMENT_A_VENIR: "Engagement à venir",
    CategorieEcheance.PREUVE_A_RENOUVELER: "Preuve à renouveler",
    CategorieEcheance.PREUVE_EXPIREE: "Preuve expirée",
}
"""The label of each kind of échéance, as every output shows it."""


class Echeance(Model):
    """A date the éditeur must act on."""

    categorie: CategorieEcheance
    referentiel: str
    exigence: str
    libelle: str
    date: dt.date
    explication: str


class PointPreparation(Model):
    """One exigence that keeps a dossier from being complete, and what is missing."""

    referentiel: str
    exigence: str
    libelle: str
    detail: str
    """What is missing, in words (the engagement and its date, the preuves' ids…)."""
    preuves: list[str] = Field(default_factory=list)
    """For a missing preuve: the ids of the mandatory preuves not given."""
    date: dt.date | None = None
    """For an overdue engagement: the date it was due."""


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


class EtatPreparation(Model):
    """How complete the dossier is, beside its verdicts: what a verdict must not hide.

    Computed once by the engine from the results (:func:`cens_eval.engine.readiness.preparation`)
    and shown beside every verdict: an engagement past its date, an in-scope exigence without
    an answer, a mandatory preuve the référentiel asks and the dossier does not hold — whatever
    the declared statut, a declared gap included (``questionnaire check`` does not ask the
    preuves of conformity of a declared gap, but the dossier still says they are absent).
    """

    engagements_depasses: list[PointPreparation]
    sans_reponse: list[PointPreparation]
    preuves_manquantes: list[PointPreparation]

    @property
    def complet(self) -> bool:
        """True when nothing is overdue, unanswered or missing."""
        return not (self.engagements_depasses or self.sans_reponse or self.preuves_manquantes)

    def du_referentiel(self, referentiel: str) -> EtatPreparation:
        """The points of one référentiel only."""
        return EtatPreparation(
            engagements_depasses=[
                p for p in self.engagements_depasses if p.referentiel == referentiel
            ],
            sans_reponse=[p for p in self.sans_reponse if p.referentiel == referentiel],
            preuves_manquantes=[p for p in self.preuves_manquantes if p.referentiel == referentiel],
        )

    def resume(self) -> str:
        """The counts in words (« 1 engagement dépassé, 3 preuves obligatoires manquantes »).

        Empty when the dossier is complete; only the non-zero counts are named.
        """
        preuves = sum(len(p.preuves) for p in self.preuves_manquantes)
        parts = [
            _plural(len(self.engagements_depasses), "engagement dépassé", "engagements dépassés"),
            _plural(len(self.sans_reponse), "exigence sans réponse", "exigences sans réponse"),
            _plural(preuves, "preuve obligatoire manquante", "preuves obligatoires manquantes"),
        ]
        return ", ".join(p for p in parts if not p.startswith("0 "))


class ResultatReferentiel(Model):
    """Everything evaluated for one référentiel."""

    id: str
    version: str
    titre: str
    verdict: Verdict
    explication: str
    exigences: list[ResultatExigence]
    """The result of every in-scope exigence, in the référentiel's order."""
    hors_perimetre: list[Exclusion]
    """Exigences whose condition is false for the profil."""
    scores: list[Score]
    """Every figure: per level, the whole référentiel then each principle."""
    bloquantes: list[Blocage]
    """The mandatory exigences not met, which make the verdict non conforme."""

    def score(self, niveau: Niveau, principe: Principe | None = None) -> Score:
        """The figure for one level and principle (None: the whole référentiel)."""
        return next(s for s in self.scores if s.niveau is niveau and s.principe is principe)

    def par_fidelite(self) -> dict[Fidelite, int]:
        """How many in-scope exigences carry each fidelity label."""
        return fidelity_counts(r.fidelite for r in self.exigences)

    def bloquantes_reconstituees(self) -> list[str]:
        """The blocking gaps that rest on an exigence reconstituted by cens-eval."""
        return reconstituted((b.id, b.fidelite) for b in self.bloquantes)


class Evaluation(Model):
    """The result of evaluating a questionnaire at a date."""

    as_of: dt.date
    version_regles: Annotated[int, Strict(), Field(ge=1)]
    """The rules version the outcomes were decided under (:mod:`cens_eval.model.versions`)."""
    referentiels: list[ResultatReferentiel]
    referentiels_non_applicables: list[Exclusion] = Field(default_factory=list)
    echeances: list[Echeance]
    preparation: EtatPreparation
    """What the verdicts must not hide: overdue engagements, missing answers and preuves."""

    @property
    def valide_jusqu_au(self) -> dt.date | None:
        """The earliest last valid day of a dated preuve still valid (None: none)."""
        days = [d for r in self.referentiels for e in r.exigences if (d := e.valide_jusqu_au)]
        return min(days) if days else None

    @property
    def conforme(self) -> bool:
        """True when every référentiel evaluated is conforme."""
        return all(r.verdict is Verdict.CONFORME for r in self.referentiels)
