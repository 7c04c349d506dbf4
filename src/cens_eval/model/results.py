"""Frozen result models: the contract between the engine, the review and the dossier.

Results are plain values, built once by the engine, immutable, and they round-trip through
their own JSON (``Evaluation.model_validate_json(e.model_dump_json()) == e``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from pydantic import Field

from cens_eval.model.base import Model
from cens_eval.model.fidelity import fidelity_counts, reconstituted
from cens_eval.model.questionnaire import Engagement
from cens_eval.model.vocabulary import (
    Fidelite,
    Niveau,
    Portee,
    Principe,
    Resultat,
    Statut,
    Verdict,
)


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


class Echeance(Model):
    """A date the éditeur must act on."""

    categorie: CategorieEcheance
    referentiel: str
    exigence: str
    libelle: str
    date: dt.date
    explication: str


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
    referentiels: list[ResultatReferentiel]
    referentiels_non_applicables: list[Exclusion] = Field(default_factory=list)
    echeances: list[Echeance]

    @property
    def conforme(self) -> bool:
        """True when every référentiel evaluated is conforme."""
        return all(r.verdict is Verdict.CONFORME for r in self.referentiels)
