"""Frozen result models: the contract between the engine, the review and the dossier.

The engine makes its results with ``model_construct``: they are derived from inputs already
validated, with types checked statically and their output checked by the tests (golden
dossier, published schema), so validating them again would only cost time at every run.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from typing import Protocol

from pydantic import Field, PrivateAttr, computed_field

from cens_eval.models import Model
from cens_eval.questionnaire import Engagement
from cens_eval.vocabulary import Niveau, Portee, Principe, Resultat, Statut, Verdict

CREDIT: dict[Resultat, Fraction] = {
    Resultat.CONFORME: Fraction(1),
    Resultat.PARTIELLEMENT_CONFORME: Fraction(1, 2),
    Resultat.PREUVES_MANQUANTES: Fraction(1, 2),
    Resultat.NON_CONFORME: Fraction(0),
    Resultat.SANS_REPONSE: Fraction(0),
    Resultat.NON_APPLICABLE_NON_JUSTIFIE: Fraction(0),
    Resultat.NON_APPLICABLE_JUSTIFIE: Fraction(0),
}
"""Credit per outcome; a claim without its required evidence never counts as fully met."""

MET = frozenset({Resultat.CONFORME, Resultat.NON_APPLICABLE_JUSTIFIE})
"""Outcomes that satisfy an exigence."""


class ResultatExigence(Model):
    """Outcome of one in-scope exigence, with what produced it."""

    referentiel: str
    id: str
    libelle: str
    principe: Principe
    niveau: Niveau
    niveau_effectif: Niveau
    poids: Decimal
    portee: Portee
    statut_declare: Statut | None
    resultat: Resultat
    satisfaite: bool
    preuves_fournies: list[str]
    preuves_manquantes: list[str]
    explication: list[str]
    engagement: Engagement | None = None

    @property
    def credit(self) -> Fraction:
        """Share of the weight earned: 1, 1/2 or 0 (non applicable justifié is excluded from scores)."""
        return CREDIT[self.resultat]


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


class Details(Protocol):
    """The engine's compact result for one référentiel, turned into detailed results on demand."""

    def exigences(self) -> list[ResultatExigence]:
        """The result of every in-scope exigence, with its explanation."""

    def hors_perimetre(self) -> list[Exclusion]:
        """The exigences left out by the profil, and why."""

    def scores(self, exigences: list[ResultatExigence]) -> list[Score]:
        """Every score figure, from the engine's count and the detailed results."""

    def bloquantes(self, exigences: list[ResultatExigence]) -> list[Blocage]:
        """The mandatory exigences not met."""


class ResultatReferentiel(Model):
    """Everything evaluated for one référentiel.

    The verdict is decided when the engine runs; the per-exigence results, their explanations
    and the score figures are written out from the engine's compact result on first access
    (and then kept). Made only by the engine (:meth:`of`).
    """

    id: str
    version: str
    titre: str
    verdict: Verdict
    explication: str
    _details: Details | None = PrivateAttr(default=None)

    @classmethod
    def of(
        cls,
        details: Details,
        *,
        id: str,
        version: str,
        titre: str,
        verdict: Verdict,
        explication: str,
    ) -> ResultatReferentiel:
        """A result whose details are written out from ``details`` when first read."""
        result = cls.model_construct(
            id=id, version=version, titre=titre, verdict=verdict, explication=explication
        )
        result._details = details
        return result

    def _engine(self) -> Details:
        if self._details is None:  # pragma: no cover - only the engine makes results
            raise ValueError("résultat de référentiel sans détail du moteur")
        return self._details

    @computed_field  # type: ignore[prop-decorator]
    @cached_property
    def exigences(self) -> list[ResultatExigence]:
        """The result of every in-scope exigence, in the référentiel's order."""
        return self._engine().exigences()

    @computed_field  # type: ignore[prop-decorator]
    @cached_property
    def hors_perimetre(self) -> list[Exclusion]:
        """Exigences whose condition is false for the profil."""
        return self._engine().hors_perimetre()

    @computed_field  # type: ignore[prop-decorator]
    @cached_property
    def scores(self) -> list[Score]:
        """Every figure: per level, the whole référentiel then each principle."""
        return self._engine().scores(self.exigences)

    @computed_field  # type: ignore[prop-decorator]
    @cached_property
    def bloquantes(self) -> list[Blocage]:
        """The mandatory exigences not met, which make the verdict non conforme."""
        return self._engine().bloquantes(self.exigences)

    def __eq__(self, other: object) -> bool:
        """Equal when everything a reader sees is equal, details included."""
        if not isinstance(other, ResultatReferentiel):
            return NotImplemented
        return self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]

    def score(self, niveau: Niveau, principe: Principe | None = None) -> Score:
        """The figure for one level and principle (None: the whole référentiel)."""
        return next(s for s in self.scores if s.niveau is niveau and s.principe is principe)


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
