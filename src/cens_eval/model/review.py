"""The evaluator's review, as data: avis, opinions, the review file and the reviewed dossier.

An *avis* confirms or rejects the outcome the éditeur's declaration gives an exigence (its
*résultat déclaré*): validé keeps it (partiellement conforme or non applicable justifié
included), non validé replaces it by the outcome the evaluator gives (or, when none is given,
by non conforme — non applicable non justifié for a claim of non-applicability), complément
demandé leaves the exigence awaiting evidence (preuves manquantes). The rule lives here, in
:func:`assessed_outcome`, read by the review's reader and by its application.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import Field, Strict

from cens_eval.model.base import Identifiant, Model, Nombre, Texte
from cens_eval.model.dossier import Dossier, Empreinte, ScoreDossier
from cens_eval.model.vocabulary import Niveau, Principe, Resultat, Statut, Verdict

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class Avis(StrEnum):
    """The evaluator's avis on the éditeur's declared outcome of one exigence."""

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

RESULTATS_EVALUABLES: tuple[Resultat, ...] = (
    Resultat.CONFORME,
    Resultat.PARTIELLEMENT_CONFORME,
    Resultat.NON_CONFORME,
    Resultat.NON_APPLICABLE_JUSTIFIE,
    Resultat.NON_APPLICABLE_NON_JUSTIFIE,
)
"""The outcomes an evaluator may give with a non validé (awaiting evidence is complément demandé)."""


def rejected_outcome(declared: Resultat, statut: Statut | None) -> Resultat | None:
    """The outcome a non validé gives when the evaluator names none; None when it must be named.

    Rejecting a claim of non-applicability makes it non applicable non justifié; rejecting any
    other declaration makes the exigence non conforme. When that is already the declared
    outcome (an éditeur who declared non conforme), the evaluator must say which outcome holds.
    """
    claims_na = statut is Statut.NON_APPLICABLE
    outcome = Resultat.NON_APPLICABLE_NON_JUSTIFIE if claims_na else Resultat.NON_CONFORME
    return None if outcome is declared else outcome


def assessed_outcome(
    declared: Resultat, statut: Statut | None, avis: Avis | None, resultat: Resultat | None = None
) -> Resultat:
    """The outcome the evaluator's avis gives to an exigence.

    Args:
        declared: the outcome of the éditeur's declaration (the dossier's ``resultat``).
        statut: the statut the éditeur declared.
        avis: the evaluator's avis (None: no avis yet, treated as complément demandé).
        resultat: with non validé, the outcome the evaluator gives.

    Raises:
        ValueError: a non validé names no outcome where one is needed (see :func:`rejected_outcome`).
    """
    if avis is Avis.VALIDE:
        return declared
    if avis is Avis.NON_VALIDE:
        outcome = resultat or rejected_outcome(declared, statut)
        if outcome is None:
            raise ValueError("non validé : le résultat évalué doit être indiqué")
        return outcome
    return Resultat.PREUVES_MANQUANTES


class Evaluateur(Model):
    """Who reviews and signs the review."""

    nom: Texte
    organisme: Texte | None = None
    fonction: Texte | None = None
    """The evaluator's role (expert, rapporteur of the commission…)."""
    contact: Texte | None = None


class AvisExigence(Model):
    """The evaluator's avis on one exigence.

    Validé needs nothing more; non validé needs the assessed outcome (``resultat``) or a
    commentaire; complément demandé needs a commentaire saying what is asked.
    """

    avis: Avis | None = None
    resultat: Resultat | None = None
    """With non validé only: the outcome the evaluator holds (see :data:`RESULTATS_EVALUABLES`)."""
    commentaire: Texte | None = None


class DecisionFinale(Model):
    """The opinion the evaluator retains, with its written reason."""

    opinion: Opinion
    motif: Texte


class Revue(Model):
    """A review file: the evaluator, the date, the dossier reviewed (by hash) and the avis."""

    evaluateur: Evaluateur
    dossier_sha256: Sha256
    """SHA-256 of the ``dossier.json`` reviewed: a review never applies to another dossier."""
    date: dt.date
    """The review's date, which is also the date of the evaluator's sign-off."""
    avis: dict[Identifiant, dict[Identifiant, AvisExigence]] = Field(default_factory=dict)
    """Avis by référentiel id, then by exigence id."""
    decision_finale: DecisionFinale | None = None
    """Only once every exigence has an avis."""


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
    satisfaite_evaluee: bool
    """Whether the assessed outcome meets the exigence (the scoring table says)."""
    bloquante_evaluee: bool
    """A mandatory exigence the assessed outcome leaves unmet."""
    accord: bool
    """The assessed outcome is the declared one."""
    sur_declaration: bool
    """The assessed outcome is less favourable than the declared one."""


class Accord(Model):
    """Agreement between declared and assessed outcomes, over the exigences that have an avis."""

    exigences: int
    concordantes: int
    pourcentage: Nombre | None
    kappa: Nombre | None
    """Cohen's kappa on the outcome categories, rounded to 3 decimals; None when undefined."""
    kappa_exact: str | None
    explication: str


class ReferentielRevu(Model):
    """Declared and assessed figures and verdicts of one référentiel."""

    id: str
    version: str
    titre: str
    verdict_declare: Verdict
    verdict_evalue: Verdict
    explication_evaluee: str
    bloquantes_evaluees: list[str]
    """Ids of the mandatory exigences the assessed outcomes leave unmet."""
    scores_declares: list[ScoreDossier]
    scores_evalues: list[ScoreDossier]
    exigences: list[ExigenceRevue]


class RevuePrecedente(Model):
    """An earlier review of the same dossier, kept in the reviewed copy's ``historique/``."""

    numero: Annotated[int, Strict(), Field(ge=1, le=1_000)]
    evaluateur: str
    date: dt.date
    opinion_retenue: Opinion | None
    fichier: Empreinte
    """Its ``revue.json`` in the folder (``historique/N/revue.json``) and that file's SHA-256."""


class SectionRevue(Model):
    """The review section of a reviewed dossier."""

    fichier: Empreinte
    """The review file applied, as carried in the reviewed dossier folder."""
    evaluateur: Evaluateur
    date: dt.date
    dossier_sha256: str
    referentiels: list[ReferentielRevu]
    conforme_evalue: bool
    accord: Accord
    sur_declarations: list[ExigenceRevue]
    sans_avis: list[str]
    avertissements: list[str]
    """Points the evaluator should see: a declaration validé although a mandatory preuve is missing."""
    opinion_proposee: Opinion
    motifs: list[str]
    decision_finale: DecisionFinale | None
    opinion_retenue: Opinion | None
    """The final opinion, or the proposed one when every exigence has an avis and none is
    given; None while an exigence lacks an avis."""
    historique: list[RevuePrecedente] = Field(default_factory=list)
    """The reviews before this one, oldest first (absent from format 1); the last is the one
    this review follows, bound by its SHA-256 in the review's seal."""


class DossierRevu(Dossier):
    """A dossier with the evaluator's review."""

    revue: SectionRevue
