"""Calibration of evaluators across a batch, as data: how far each pair agrees, where they differ.

Only arbitrated dossiers count: there, two or more evaluators reviewed the same dossier
independently, and each one's assessed outcome of every exigence is known.
"""

from __future__ import annotations

from decimal import Decimal

from cens_eval.model.base import Model
from cens_eval.model.comparison import Kappa


class ExigenceDisputee(Model):
    """An exigence the evaluators assessed differently in some dossiers."""

    referentiel: str
    exigence: str
    libelle: str
    dossiers: int
    """Arbitrated dossiers where it was compared (an avis in each review)."""
    desaccords: int
    """Of those, the dossiers where the evaluators gave it different outcomes."""


class CalibrationPaire(Model):
    """One pair of evaluators over the dossiers both reviewed: agreement and Cohen's kappa."""

    evaluateurs: tuple[str, str]
    dossiers: int
    exigences: int
    """Exigences compared, summed over those dossiers."""
    concordantes: int
    pourcentage: Decimal | None
    kappa: Kappa | None
    """Over every exigence compared, pooled; None when undefined."""
    disputees: list[ExigenceDisputee]
    """The exigences this pair disputes, most often first."""
