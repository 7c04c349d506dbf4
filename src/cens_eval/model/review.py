"""The evaluator's review, as data: avis, opinions, the review file and the reviewed dossier."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from cens_eval.model.base import Identifiant, Model, Nombre, Texte
from cens_eval.model.dossier import Dossier, Empreinte, ScoreDossier
from cens_eval.model.vocabulary import Niveau, Principe, Resultat, Statut

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class Avis(StrEnum):
    """The evaluator's avis on one exigence."""

    VALIDE = "valide"
    NON_VALIDE = "non_valide"
    COMPLEMENT_DEMANDE = "complement_demande"


class Opinion(StrEnum):
    """The four opinions of the commission."""

    FAVORABLE = "favorable"
    FAVORABLE_RESERVES_NON_SUSPENSIVES = "favorable_reserves_non_suspensives"
    FAVORABLE_RESERVES_SUSPENSIVES = "favorable_reserves_suspensives"
    DEFAVORABLE = "defavorable"


AVIS_LABELS: dict[Avis, str] = {
    Avis.VALIDE: "Validé",
    Avis.NON_VALIDE: "Non validé",
    Avis.COMPLEMENT_DEMANDE: "Complément demandé",
}

OPINION_LABELS: dict[Opinion, str] = {
    Opinion.FAVORABLE: "Favorable",
    Opinion.FAVORABLE_RESERVES_NON_SUSPENSIVES: "Favorable avec réserves non suspensives",
    Opinion.FAVORABLE_RESERVES_SUSPENSIVES: "Favorable avec réserves suspensives",
    Opinion.DEFAVORABLE: "Défavorable",
}


class Evaluateur(Model):
    """Who reviews."""

    nom: Texte
    organisme: Texte | None = None
    contact: Texte | None = None


class AvisExigence(Model):
    """The evaluator's avis on one exigence; any avis other than validé needs a commentaire."""

    avis: Avis | None = None
    commentaire: Texte | None = None


class DecisionFinale(Model):
    """An opinion the evaluator records instead of the proposed one, with its written reason."""

    opinion: Opinion
    motif: Texte


class Revue(Model):
    """A review file: the evaluator, the dossier reviewed (by hash) and the avis per exigence."""

    evaluateur: Evaluateur
    dossier_sha256: Sha256
    """SHA-256 of the ``dossier.json`` reviewed: a review never applies to another dossier."""
    date: dt.date | None = None
    avis: dict[Identifiant, dict[Identifiant, AvisExigence]] = Field(default_factory=dict)
    """Avis by référentiel id, then by exigence id."""
    decision_finale: DecisionFinale | None = None


class ExigenceRevue(Model):
    """One exigence as declared and as assessed."""

    referentiel: str
    id: str
    libelle: str
    principe: Principe
    niveau_effectif: Niveau
    statut_declare: Statut | None
    resultat_declare: Resultat
    avis: Avis | None
    commentaire: str | None
    resultat_evalue: Resultat
    accord: bool
    sur_declaration: bool
    """Declared conforme, assessed otherwise."""


class Accord(Model):
    """Agreement between the éditeur's outcomes and the evaluator's, over reviewed exigences."""

    exigences: int
    concordantes: int
    pourcentage: Nombre | None
    kappa: Nombre | None
    """Cohen's kappa on the outcome categories, rounded to 3 decimals; None when undefined."""
    kappa_exact: str | None
    explication: str


class ReferentielRevu(Model):
    """Declared and assessed figures of one référentiel."""

    id: str
    version: str
    scores_declares: list[ScoreDossier]
    scores_evalues: list[ScoreDossier]
    exigences: list[ExigenceRevue]


class SectionRevue(Model):
    """The review section of a reviewed dossier."""

    fichier: Empreinte
    """The review file applied, as carried in the reviewed dossier folder."""
    evaluateur: Evaluateur
    date: dt.date | None
    dossier_sha256: str
    referentiels: list[ReferentielRevu]
    accord: Accord
    sur_declarations: list[ExigenceRevue]
    sans_avis: list[str]
    opinion_proposee: Opinion
    motifs: list[str]
    decision_finale: DecisionFinale | None
    opinion_retenue: Opinion


class DossierRevu(Dossier):
    """A dossier with the evaluator's review."""

    revue: SectionRevue
