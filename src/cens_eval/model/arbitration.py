"""Independent reviews arbitrated, as data (``review arbitrate``).

Two or more evaluators review one dossier independently; where their assessed outcomes differ,
a named arbitre decides the outcome, with a motif. The *arbitration file* says so; the final
review takes every agreed outcome as the evaluators gave it and every disputed one as the
arbitre decided it, and the proposed opinion is computed on those outcomes.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from cens_eval.model.base import Identifiant, Model, Texte
from cens_eval.model.comparison import (
    AccordCollectif,
    AccordPaire,
    AvisEvaluateur,
    NonComparee,
    RevueComparee,
)
from cens_eval.model.dossier import Empreinte
from cens_eval.model.review import DecisionFinale, DossierRevu, Evaluateur, SectionRevue, Sha256
from cens_eval.model.vocabulary import Niveau, Resultat

EVALUATORS_DIR = "revue/evaluateurs"
"""Where a reviewed copy keeps each independent review file: ``revue/evaluateurs/1-<nom>/``."""


class DecisionArbitre(Model):
    """The arbitre's decision on one exigence: the outcome held, and why."""

    resultat: Resultat
    motif: Texte


class Arbitrage(Model):
    """An arbitration file: the arbitre, the date, the dossier (by hash) and the decisions."""

    arbitre: Evaluateur
    dossier_sha256: Sha256
    date: dt.date
    """The arbitration's date, which is also the date of the final review's sign-off."""
    decisions: dict[Identifiant, dict[Identifiant, DecisionArbitre]] = Field(default_factory=dict)
    """By référentiel id, then by exigence id: every disagreement, and any exigence some
    review left without avis that the arbitre settles."""
    decision_finale: DecisionFinale | None = None


class ExigenceArbitree(Model):
    """One exigence the arbitre settled: what each evaluator said, what was decided."""

    referentiel: str
    id: str
    libelle: str
    niveau_effectif: Niveau
    resultat_declare: Resultat
    avis: list[AvisEvaluateur]
    """Each evaluator's avis (without avis: ``avis`` None, outcome preuves manquantes)."""
    desaccord: bool
    """The evaluators gave different outcomes (else some review had no avis on it)."""
    resultat_arbitre: Resultat
    motif: str


class SectionArbitrage(Model):
    """The arbitration part of a reviewed dossier: the reviews, their agreement, the decisions."""

    fichier: Empreinte
    """The arbitration file, as carried in the reviewed copy (``revue/…``)."""
    arbitre: Evaluateur
    date: dt.date
    revues: list[RevueComparee]
    """Each independent review, its file as carried in ``revue/evaluateurs/``."""
    exigences: int
    comparees: int
    paires: list[AccordPaire]
    collectif: AccordCollectif | None
    decisions: list[ExigenceArbitree]
    """Mandatory exigences first, then préconisations, in dossier order."""
    non_comparees: list[NonComparee]
    """Exigences some review leaves without avis: left out of the agreement."""


class SectionRevueArbitree(SectionRevue):
    """The review section of an arbitrated dossier: the final review, and its arbitration."""

    arbitrage: SectionArbitrage


class DossierArbitre(DossierRevu):
    """A dossier with the final review of an arbitration between independent reviews.

    Its ``revue`` is the final review: the arbitre signs it, its outcomes are the agreed
    ones and the arbitrated ones, and its ``arbitrage`` says who said what and who decided.
    """

    revue: SectionRevueArbitree
