"""The batch summary, as data: one row per submission, failures per exigence, means per principle."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from cens_eval.model.base import Model
from cens_eval.model.calibration import CalibrationPaire, ExigenceDisputee
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
    """A principle's score in one référentiel (weighted, rounded once)."""

    referentiel: str
    """The référentiel's id and version (``teleconsultation 1.5.1``): scores are never mixed."""
    principe: Principe
    obligatoires: Decimal | None
    preconisations: Decimal | None


class MoyennePrincipe(ScorePrincipe):
    """The mean of a principle's score in one référentiel over the intact submissions."""

    dossiers: int
    """Intact submissions evaluated against this référentiel."""


class PreuveARenouveler(Model):
    """A dated preuve still valid at the dossier's evaluation date, and when it expires."""

    referentiel: str
    """The référentiel's id and version."""
    exigence: str
    preuve: str
    """The expected preuve's id."""
    datee_du: dt.date
    age_max: str
    """Its maximum age (ISO 8601 duration)."""
    valable_jusqu_au: dt.date
    """Its last valid day."""
    jours_restants: int
    """Days from the dossier's evaluation date to its last valid day (0: expires that day)."""


class LigneDossier(Model):
    """One submission of the batch: a dossier folder, with the copies of it merged into its row."""

    chemin: str
    integrite: Integrite
    raison: str | None = None
    dossier_sha256: str | None = None
    """SHA-256 of its ``dossier.json``: copies of one dossier share it, and a review names it."""
    contenu_sha256: str | None = None
    """SHA-256 of the dossier without the questionnaire file's name and hash: the YAML and XLSX
    twins of one questionnaire share it."""
    editeur: str | None = None
    siren: str | None = None
    solution: str | None = None
    version: str | None = None
    date_evaluation: dt.date | None = None
    questionnaire: str | None = None
    """The questionnaire file, as kept in the dossier (``questionnaire/questionnaire.xlsx``)."""
    referentiels: list[str] = Field(default_factory=list)
    conforme: bool | None = None
    verdicts: dict[str, str] = Field(default_factory=dict)
    """Declared verdict by référentiel (``id version``)."""
    bloquantes: int | None = None
    scores: list[ScorePrincipe] = Field(default_factory=list)
    pdf: str | None = None
    """The PDF to read in the folder: ``revue.pdf`` for a reviewed copy, else ``dossier.pdf``."""
    evaluateur: str | None = None
    date_revue: dt.date | None = None
    verdicts_evalues: dict[str, str] = Field(default_factory=dict)
    """Assessed verdict by référentiel (``id version``), for a reviewed copy."""
    opinion_proposee: Opinion | None = None
    opinion_retenue: Opinion | None = None
    accord: Decimal | None = None
    copies: list[str] = Field(default_factory=list)
    """Other folders of the same submission, merged into this row."""
    regroupement: str | None = None
    """What this row stands for, in French: reviewed copy, twins, copies merged."""
    verification: str | None = None
    """What its verification noted besides integrity: made by an earlier version, and the
    outcomes today's rules would move (``dossier verify`` prints the same lines)."""
    preuves_a_renouveler: list[PreuveARenouveler] = Field(default_factory=list)
    """Its preuves that expire within the days asked (``--expire-sous``) of its evaluation date,
    soonest first (empty when not asked)."""
    signe_par: str | None = None
    """Who signed the folder (dossier, review), each with the verdict on their signatures."""


class StatExigence(Model):
    """How often one exigence is unmet or claimed non applicable across the intact submissions."""

    referentiel: str
    exigence: str
    libelle: str
    dossiers: int
    non_satisfaite: int
    non_applicable: int
    taux_echec: Decimal
    """Percentage of the submissions where it applies that leave it unmet."""


class StatSurDeclaration(Model):
    """How often the evaluators found one exigence over-declared, across the reviewed submissions."""

    referentiel: str
    exigence: str
    libelle: str
    revues: int
    """Reviewed submissions where it is in scope."""
    sur_declarations: int
    taux: Decimal
    """Percentage of those reviews that found it over-declared."""


class EvolutionLot(Model):
    """Two submissions of one solution in the batch, the older linked to the newer, and what changed."""

    ancien: str
    """The older submission's folder."""
    nouveau: str
    version_ancienne: str
    version_nouvelle: str
    date_ancienne: dt.date
    date_nouvelle: dt.date
    identiques: bool | None = None
    """Whether nothing changed (None: the comparison failed, see ``raison``)."""
    changements: dict[str, int] = Field(default_factory=dict)
    """How many exigences changed, by class (``ameliore``, ``degrade``…), in the classes' order."""
    verdicts: list[str] = Field(default_factory=list)
    """Each verdict that changed, in words, with the exigences that changed it."""
    raison: str | None = None
    """Why the two could not be compared."""


class SyntheseLot(Model):
    """The batch summary."""

    dossiers: list[LigneDossier]
    exigences: list[StatExigence]
    moyennes: list[MoyennePrincipe]
    """Mean of each principle's score per référentiel over the intact submissions."""
    sur_declarations: list[StatSurDeclaration] = Field(default_factory=list)
    """Exigences over-declared at least once, most often first."""
    ignores: list[str] = Field(default_factory=list)
    """Folders holding a ``dossier.json`` that is not a cens-eval dossier: skipped."""
    expire_sous: int | None = None
    """The days asked: preuves expiring within them of each evaluation date are listed."""
    evolutions: list[EvolutionLot] = Field(default_factory=list)
    """Successive submissions of one solution (same éditeur, SIREN and solution), older first."""
    calibration: list[CalibrationPaire] = Field(default_factory=list)
    """Each pair of evaluators over the arbitrated dossiers both reviewed (double review)."""
    disputees: list[ExigenceDisputee] = Field(default_factory=list)
    """Exigences evaluators assessed differently in some arbitrated dossier, most often first."""

    @property
    def echecs(self) -> list[LigneDossier]:
        """Dossiers that failed verification, could not be read, or whose verification did not finish."""
        return [d for d in self.dossiers if d.integrite is not Integrite.INTACT]
