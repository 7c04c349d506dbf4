"""Two or more independent reviews of one dossier compared, as data (``review compare``).

Each review gives every exigence an assessed outcome (:func:`~cens_eval.model.review.assessed_outcome`);
the evaluators agree on an exigence when they give it the same outcome. Agreement is measured
over the exigences that have an avis in every review; the others are listed, not compared.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from cens_eval.model.base import Model, Nombre
from cens_eval.model.dossier import Empreinte
from cens_eval.model.review import Avis, Opinion
from cens_eval.model.vocabulary import Niveau, Resultat

Z_95 = "1.96"
"""The normal quantile of a two-sided 95 % confidence interval, as written in the output."""


class RevueComparee(Model):
    """One of the reviews compared, numbered in the order given."""

    numero: int
    evaluateur: str
    fonction: str | None
    organisme: str | None
    date: dt.date
    fichier: Empreinte
    """The review file as given (its path) and the SHA-256 of its bytes."""
    opinion_proposee: Opinion
    """The opinion its assessed outcomes lead to (the same rule as ``review apply``)."""


class Kappa(Model):
    """A kappa: its exact value, its value rounded, and a 95 % confidence interval."""

    exact: str
    """The exact value as a fraction (``361/433``)."""
    valeur: Nombre
    """Rounded half-up to 3 decimals."""
    ic_bas: Nombre
    ic_haut: Nombre
    """The 95 % interval, kappa ± 1.96 standard errors, bounded to [-1, 1], rounded once."""
    erreur_type: Nombre
    """The large-sample standard error, rounded to 4 decimals (the interval uses it unrounded)."""
    methode: str
    """How the standard error is computed (in French, with its reference)."""


class AccordPaire(Model):
    """Agreement of two evaluators: observed, and Cohen's kappa."""

    revues: tuple[int, int]
    evaluateurs: tuple[str, str]
    exigences: int
    concordantes: int
    pourcentage: Nombre | None
    kappa: Kappa | None
    """None when undefined: no exigence compared, or one and the same outcome everywhere."""
    explication: str


class AccordCollectif(Model):
    """Agreement of three or more evaluators: unanimity, and Fleiss' kappa."""

    evaluateurs: int
    exigences: int
    unanimes: int
    pourcentage: Nombre | None
    """Share of the exigences compared on which every evaluator gives the same outcome."""
    accord_moyen: Nombre | None
    """Fleiss' mean observed agreement (share of agreeing pairs of evaluators), in %."""
    kappa: Kappa | None
    explication: str


class AvisEvaluateur(Model):
    """What one evaluator says of an exigence."""

    revue: int
    evaluateur: str
    avis: Avis | None
    resultat_evalue: Resultat
    commentaire: str | None


class Desaccord(Model):
    """An exigence the evaluators assess differently, with each one's avis and comment."""

    referentiel: str
    id: str
    libelle: str
    niveau_effectif: Niveau
    resultat_declare: Resultat
    avis: list[AvisEvaluateur]


class NonComparee(Model):
    """An exigence left out of the agreement: some review gives it no avis."""

    referentiel: str
    id: str
    niveau_effectif: Niveau
    sans_avis: list[int]
    """The reviews (by number) without an avis on it."""


class Comparaison(Model):
    """Independent reviews of one dossier compared: agreement, and where they differ."""

    format: Literal["cens-eval/comparaison"] = "cens-eval/comparaison"
    version_format: Literal[1] = 1
    editeur: str
    solution: str
    as_of: dt.date
    dossier_sha256: str
    revues: list[RevueComparee]
    exigences: int
    """Exigences of the dossier (in scope)."""
    comparees: int
    """Exigences with an avis in every review: those the agreement is measured on."""
    paires: list[AccordPaire]
    """Every pair of evaluators, in the order the reviews were given."""
    collectif: AccordCollectif | None
    """With three reviews or more."""
    desaccords: list[Desaccord]
    """Mandatory exigences first (at the evaluation date), then préconisations, in dossier order."""
    non_comparees: list[NonComparee]
