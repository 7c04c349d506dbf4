"""The dossier model: everything a renderer needs, sorted, labelled and rounded once."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, Strict

from cens_eval.constants import MAX_EVIDENCE_BYTES, MAX_YAML_NODES
from cens_eval.model.base import Model, Nombre, Poids
from cens_eval.model.condition import Valeur
from cens_eval.model.questionnaire import (
    Editeur,
    Engagement,
    Periode,
    Reprise,
    Solution,
)
from cens_eval.model.referentiel import ChoixProjet
from cens_eval.model.results import (
    AgePreuve,
    Blocage,
    Echeance,
    EtatPreparation,
    Exclusion,
)
from cens_eval.model.signalement import Declarant, Etape, ExigenceVisee
from cens_eval.model.versions import FORMAT_VERSION
from cens_eval.model.vocabulary import (
    Fidelite,
    Niveau,
    Principe,
    Resultat,
    Statut,
    StatutReferentiel,
    TypePreuve,
    Verdict,
)

Effectif = Annotated[int, Strict(), Field(ge=0, le=MAX_YAML_NODES)]
"""A count of exigences (no référentiel document holds more values than this); ``true`` is not 1."""


class Empreinte(Model):
    """A file of the dossier and the SHA-256 of its bytes."""

    fichier: str
    sha256: str


class PieceManifeste(Model):
    """One evidence file: path relative to the questionnaire, size and SHA-256."""

    chemin: str
    taille: Annotated[int, Strict(), Field(ge=0, le=MAX_EVIDENCE_BYTES)]
    sha256: str


class ReferentielUtilise(Model):
    """A référentiel used for the evaluation, identified by content."""

    id: str
    version: str
    titre: str
    statut: StatutReferentiel
    fichier: str
    sha256: str


class PreuveDossier(Model):
    """A preuve as declared by the éditeur, with what it was expected to prove."""

    attendue: str
    libelle_attendu: str
    type: TypePreuve | None
    fichier: str | None = None
    url: str | None = None
    declaration: str | None = None
    valeur: Nombre | None = None
    date: dt.date | None = None
    """The day the preuve was produced, as the éditeur dated it (format 2 on)."""
    periode: Periode | None = None
    """The period it covers, as the éditeur gave it (format 2 on)."""


class ScoreDossier(Model):
    """A score figure ready to show: rounded once, exact value kept."""

    principe: Principe | None
    libelle: str
    niveau: Niveau
    score: Nombre | None
    """Percentage rounded half-up to one decimal; None when nothing is counted."""
    score_exact: str | None
    """The exact fraction, e.g. ``100/3``."""
    comptees: list[str]
    exclues: list[Exclusion]
    effectifs: dict[Resultat, Effectif]
    explication: str


class SourceDossier(Model):
    """Where an exigence comes from: the document (title, address) and the place inside it."""

    document: str
    """The source's id in the référentiel."""
    titre: str
    url: str
    localisation: str
    consulte_le: dt.date | None
    """When the project last read the source to check the exigence (None: not recorded)."""

    @property
    def lien(self) -> str | None:
        """The address when readers may follow it (a web address), else None: shown, not linked."""
        return self.url if self.url.lower().startswith(("https://", "http://")) else None


class ExigenceDossier(Model):
    """One in-scope exigence: the référentiel's words, the éditeur's declaration and the outcome."""

    id: str
    libelle: str
    enonce: str
    section: str | None
    principe: Principe
    niveau: Niveau
    niveau_effectif: Niveau
    poids: Poids
    fidelite: Fidelite
    """How close the exigence is to the official text (officiel, paraphrasé, reconstitué)."""
    source: SourceDossier
    choix_du_projet: list[ChoixProjet]
    """Level, weight, principle… that no source gives and the project chose, with why."""
    statut_declare: Statut | None
    justification: str | None
    preuves: list[PreuveDossier]
    preuves_manquantes: list[str]
    libelles_preuves_manquantes: dict[str, str] = Field(default_factory=dict)
    """The référentiel's label of each missing preuve, by id."""
    resultat: Resultat
    satisfaite: bool
    bloquante: bool
    explication: list[str]
    engagement: Engagement | None
    ages: list[AgePreuve] = Field(default_factory=list)
    """The given preuves whose age was read, expired ones included (format 2 on)."""
    valide_jusqu_au: dt.date | None = None
    """The last day its dated preuves stay valid (None: no dated preuve with an age; format 2 on)."""
    reprises: list[Reprise] = Field(default_factory=list)
    """Where its answer is taken from, by reference (the source used first; ``confirmee``:
    counted); written in dossier.json only when not empty."""


class ResultatDossier(Model):
    """The evaluation of one référentiel in the dossier."""

    id: str
    version: str
    titre: str
    verdict: Verdict
    explication: str
    scores: list[ScoreDossier]
    bloquantes: list[Blocage]
    par_fidelite: dict[Fidelite, Effectif]
    """How many in-scope exigences carry each fidelity label."""
    bloquantes_reconstituees: list[str]
    """The blocking gaps that rest on an exigence reconstituted by cens-eval (to confirm)."""
    hors_perimetre: list[Exclusion]
    exigences: list[ExigenceDossier]


class EngagementDossier(Model):
    """A commitment of the éditeur, with whether it is overdue at the evaluation date."""

    referentiel: str
    exigence: str
    libelle: str
    action: str
    echeance: dt.date
    en_retard: bool


class Outil(Model):
    """The tool that produced the dossier."""

    nom: Literal["cens-eval"] = "cens-eval"
    version: str


class SignalementDossier(Model):
    """A signalement about the solution, as the dossier shows it (no account of the facts)."""

    id: str
    recu_le: dt.date
    etape: Etape
    declarant: Declarant
    principes: list[Principe]
    exigences: list[ExigenceVisee]
    publie_le: dt.date | None = None
    reponse_publiee: str | None = None


class SignalementsDossier(Model):
    """The éthicovigilance signalements about the solution: shown, never scored."""

    fichier: Empreinte
    """The extract of the register kept in the dossier folder (only this solution's cases)."""
    registre_sha256: str
    """SHA-256 of the register the extract was taken from."""
    signalements: list[SignalementDossier]

    def sur(self, referentiel: str, exigence: str) -> list[SignalementDossier]:
        """The signalements that concern one exigence."""
        return [
            s
            for s in self.signalements
            if any(e.referentiel == referentiel and e.exigence == exigence for e in s.exigences)
        ]


class Dossier(Model):
    """The conformity dossier: the canonical record an évaluateur receives."""

    format: Literal["cens-eval/dossier"] = "cens-eval/dossier"
    version_format: Literal[1, 2] = FORMAT_VERSION
    outil: Outil
    version_regles: Annotated[int, Strict(), Field(ge=1, le=1_000)] = 1
    """The rules version its outcomes were decided under (absent from format 1: rules 1)."""
    as_of: dt.date
    genere_le: dt.datetime
    editeur: Editeur
    solution: Solution
    profil: dict[str, Valeur]
    questions_profil: dict[str, str] = Field(default_factory=dict)
    """The question each profil answer replies to, as the éditeur read it."""
    conforme: bool
    valide_jusqu_au: dt.date | None = None
    """Until when the dossier stays valid: the earliest last valid day of a dated preuve still
    valid (None: no dated preuve with a maximum age; format 2 on)."""
    preparation: EtatPreparation
    """What the verdicts must not hide (overdue engagements, missing answers and preuves)."""
    questionnaire: Empreinte
    vocabulaire_profil: Empreinte
    referentiels: list[ReferentielUtilise]
    calendrier: Empreinte | None = None
    """The phase-in calendar the evaluation honoured, copied in the dossier folder (None: none)."""
    signalements: SignalementsDossier | None = None
    """The signalements about the solution found in the register given (None: no register)."""
    resultats: list[ResultatDossier]
    referentiels_non_applicables: list[Exclusion]
    echeances: list[Echeance]
    engagements: list[EngagementDossier]
    manifeste: list[PieceManifeste]

    def outil_texte(self) -> str:
        """The tool as documents name it: ``cens-eval 0.2.0 (format 2, règles v2)``.

        Format 1 (cens-eval 0.1.0) named the tool alone; its documents are reproduced as they were.
        """
        tool = f"{self.outil.nom} {self.outil.version}"
        if self.version_format == 1:
            return tool
        return f"{tool} (format {self.version_format}, règles v{self.version_regles})"

    def resultat(self, referentiel_id: str) -> ResultatDossier:
        """The results of one référentiel."""
        return next(r for r in self.resultats if r.id == referentiel_id)
