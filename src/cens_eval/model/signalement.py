"""Éthicovigilance, as data: signalements and their path through the four steps of instruction.

A signalement reports, anonymously, a negative experience with a digital-health solution that
raises an ethical question. It goes through four steps (the CENS éthicovigilance platform):
*recueil* (the report is received), *validation et instruction* (a committee rules whether the
question is ethical and appoints two rapporteurs), *contact avec l'éditeur* (the éditeur is asked
and answers), *publication* (the response, validated by the éditeur, is published in the activity
journal). The reporter is known only by category: never a name or a contact.

Signalements never change a score: they are shown beside the exigences they concern.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field

from cens_eval.model.base import Identifiant, Model, Texte
from cens_eval.model.vocabulary import Principe


class Declarant(StrEnum):
    """Who reported, by category only."""

    PATIENT = "patient"
    PROFESSIONNEL_DE_SANTE = "professionnel_de_sante"
    AIDANT = "aidant"
    ASSOCIATION = "association"
    AUTRE = "autre"


DECLARANT_LABELS: dict[Declarant, str] = {
    Declarant.PATIENT: "Patient",
    Declarant.PROFESSIONNEL_DE_SANTE: "Professionnel de santé",
    Declarant.AIDANT: "Aidant",
    Declarant.ASSOCIATION: "Association",
    Declarant.AUTRE: "Autre",
}


class Etape(StrEnum):
    """Where a signalement stands: the last step it reached."""

    RECUEIL = "recueil"
    NON_RECEVABLE = "non_recevable"
    INSTRUCTION = "instruction"
    CONTACT_EDITEUR = "contact_editeur"
    PUBLICATION = "publication"


ETAPE_LABELS: dict[Etape, str] = {
    Etape.RECUEIL: "Recueil",
    Etape.NON_RECEVABLE: "Non recevable",
    Etape.INSTRUCTION: "Validation et instruction",
    Etape.CONTACT_EDITEUR: "Contact avec l'éditeur",
    Etape.PUBLICATION: "Publication",
}


class SolutionVisee(Model):
    """The solution a signalement concerns."""

    editeur: Texte
    solution: Texte
    version: Texte | None = None


class ExigenceVisee(Model):
    """An exigence a signalement concerns."""

    referentiel: Identifiant
    exigence: Identifiant


class Recevabilite(Model):
    """The committee's decision: is the question an ethical one?"""

    date: dt.date
    recevable: bool
    motif: Texte | None = None
    """Why, when the signalement is not recevable."""


class Instruction(Model):
    """The two rapporteurs the committee appointed."""

    date: dt.date
    rapporteurs: list[Annotated[str, Field(min_length=1, max_length=200)]]


class ContactEditeur(Model):
    """The éditeur asked for information, and its answer."""

    date_demande: dt.date
    date_reponse: dt.date | None = None
    reponse: Texte | None = None


class Anonymisation(Model):
    """A person's confirmation that the published texts identify no one.

    The privacy screen (:mod:`cens_eval.model.signalement_privacy`) catches what has a
    recognisable shape; no screen is complete, so nothing is published without this.
    """

    verifiee_par: Annotated[str, Field(min_length=1, max_length=200)]
    """Who checked the anonymisation (a name or a role code, kept in the register only)."""
    verifiee_le: dt.date
    """When: after the éditeur's answer, no later than the publication."""


class Publication(Model):
    """The response built with the éditeur and published in the activity journal."""

    date: dt.date
    actions: list[Texte] = Field(default_factory=list)
    """The actions proposed to the éditeur."""
    reponse: Texte
    """The published response, validated by the éditeur."""
    validee_par_editeur: bool
    anonymisation: Anonymisation | None = None
    """Who checked that the published texts identify no one, and when (required to publish)."""


class EvolutionReferentiel(Model):
    """A change to a référentiel that the signalement suggests."""

    referentiel: Identifiant
    nature: Literal["creer", "modifier"]
    exigence: Identifiant | None = None
    """The exigence to amend (``modifier``)."""
    description: Texte


NATURE_LABELS: dict[str, str] = {"creer": "nouvelle exigence", "modifier": "exigence à modifier"}
"""What each kind of proposed change is called in a report."""


class Signalement(Model):
    """One signalement and its history."""

    id: Identifiant
    recu_le: dt.date
    declarant: Declarant
    solution: SolutionVisee
    faits: Texte
    """The account of the facts, as the reporter gave it (anonymised)."""
    principes: list[Principe] = Field(default_factory=list)
    exigences: list[ExigenceVisee] = Field(default_factory=list)
    recevabilite: Recevabilite | None = None
    instruction: Instruction | None = None
    contact_editeur: ContactEditeur | None = None
    publication: Publication | None = None
    evolutions: list[EvolutionReferentiel] = Field(default_factory=list)

    @property
    def etape(self) -> Etape:
        """The last step reached."""
        if self.publication is not None:
            return Etape.PUBLICATION
        if self.contact_editeur is not None:
            return Etape.CONTACT_EDITEUR
        if self.recevabilite is None:
            return Etape.RECUEIL
        return Etape.INSTRUCTION if self.recevabilite.recevable else Etape.NON_RECEVABLE


class Registre(Model):
    """A register of signalements."""

    signalements: list[Signalement] = Field(default_factory=list)


EXTRACT_FORMAT = "cens-eval/extrait-signalements"


class SignalementExtrait(Model):
    """A signalement as the éditeur's dossier carries it: where it stands, never what was told.

    Every case about the solution, published or not, with its id, the declarant's category, the
    step reached and the date of each step, its principles and exigences; once published, the
    published response (the same text as the public journal). Never the account of the facts,
    the committee's reasons, the rapporteurs, the éditeur's answer or the proposed changes: those
    stay with the committee.
    """

    id: Identifiant
    solution: SolutionVisee
    declarant: Declarant
    etape: Etape
    recu_le: dt.date
    decide_le: dt.date | None = None
    """The committee's decision on recevabilité."""
    instruit_le: dt.date | None = None
    editeur_sollicite_le: dt.date | None = None
    editeur_a_repondu_le: dt.date | None = None
    publie_le: dt.date | None = None
    principes: list[Principe] = Field(default_factory=list)
    exigences: list[ExigenceVisee] = Field(default_factory=list)
    reponse_publiee: Texte | None = None


class ExtraitRegistre(Model):
    """The extract of a register a dossier folder keeps: the cases about its solution."""

    format: Literal["cens-eval/extrait-signalements"]
    version_format: Literal[1] = 1
    signalements: list[SignalementExtrait] = Field(default_factory=list)


class CompteExigence(Model):
    """How many signalements concern one exigence."""

    referentiel: str
    exigence: str
    libelle: str | None
    signalements: int


class CompteSolution(Model):
    """How many signalements concern one solution."""

    editeur: str
    solution: str
    signalements: int


class Duree(Model):
    """How long one step takes, in days, over the signalements that went through it."""

    etape: str
    signalements: int
    mediane: Decimal | None
    pire: int | None


class Rapport(Model):
    """What a register says: where signalements stand and what they concern."""

    total: int
    par_etape: dict[Etape, int]
    par_principe: dict[Principe, int]
    par_referentiel: dict[str, int]
    par_exigence: list[CompteExigence]
    """Most concerned first: where the référentiels may need updating."""
    par_solution: list[CompteSolution]
    durees: list[Duree]
    sans_exigence: list[str]
    """Signalements that concern no exigence: a gap the référentiels may need to fill."""
    evolutions: list[tuple[str, EvolutionReferentiel]]
    """Each proposed change to a référentiel, with the signalement that suggests it."""
