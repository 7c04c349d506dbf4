"""The batch summary, as data: one row per dossier, failures per exigence, means per principle."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from cens_eval.model.base import Model
from cens_eval.model.review import Opinion
from cens_eval.model.vocabulary import Principe


class Integrite(StrEnum):
    """What the verification of a dossier found."""

    INTACT = "intact"
    MODIFIE = "modifie"
    ILLISIBLE = "illisible"
    ERREUR = "erreur"
    """The verification did not finish: its worker stopped, or outlasted the time limit."""


class ScorePrincipe(Model):
    """A principle's score over every référentiel of a dossier (weighted, rounded once)."""

    principe: Principe
    obligatoires: Decimal | None
    preconisations: Decimal | None


class LigneDossier(Model):
    """One dossier of the batch."""

    chemin: str
    integrite: Integrite
    raison: str | None = None
    dossier_sha256: str | None = None
    """SHA-256 of its ``dossier.json``: copies of one dossier share it, and a review names it."""
    editeur: str | None = None
    solution: str | None = None
    referentiels: list[str] = Field(default_factory=list)
    conforme: bool | None = None
    verdicts: dict[str, str] = Field(default_factory=dict)
    bloquantes: int | None = None
    scores: list[ScorePrincipe] = Field(default_factory=list)
    opinion_proposee: Opinion | None = None
    opinion_retenue: Opinion | None = None
    accord: Decimal | None = None


class StatExigence(Model):
    """How often one exigence is unmet or claimed non applicable across the intact dossiers."""

    referentiel: str
    exigence: str
    libelle: str
    dossiers: int
    non_satisfaite: int
    non_applicable: int
    taux_echec: Decimal
    """Percentage of the dossiers where it applies that leave it unmet."""


class SyntheseLot(Model):
    """The batch summary."""

    dossiers: list[LigneDossier]
    exigences: list[StatExigence]
    moyennes: list[ScorePrincipe]
    """Mean of each principle's score over the intact dossiers."""
    ignores: list[str] = Field(default_factory=list)
    """Folders holding a ``dossier.json`` that is not a cens-eval dossier: skipped."""

    @property
    def echecs(self) -> list[LigneDossier]:
        """Dossiers that failed verification, could not be read, or whose verification did not finish."""
        return [d for d in self.dossiers if d.integrite is not Integrite.INTACT]
