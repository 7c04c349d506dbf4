"""The dossier view model: everything a renderer needs, sorted, labelled and rounded once (pure)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Annotated, Literal

from pydantic import Field, Strict

from cens_eval.condition import Valeur
from cens_eval.constants import MAX_EVIDENCE_BYTES, MAX_YAML_NODES
from cens_eval.display import rounded
from cens_eval.models import Model, Nombre, Poids
from cens_eval.questionnaire import Editeur, Engagement, PreuveFournie, Questionnaire, Solution
from cens_eval.referentiel import Referentiel
from cens_eval.results import Blocage, Echeance, Evaluation, Exclusion, ResultatReferentiel, Score
from cens_eval.vocabulary import (
    NIVEAU_LABELS,
    PRINCIPE_LABELS,
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
    statut_declare: Statut | None
    justification: str | None
    preuves: list[PreuveDossier]
    preuves_manquantes: list[str]
    resultat: Resultat
    satisfaite: bool
    bloquante: bool
    explication: list[str]
    engagement: Engagement | None


class ResultatDossier(Model):
    """The evaluation of one référentiel in the dossier."""

    id: str
    version: str
    titre: str
    verdict: Verdict
    explication: str
    scores: list[ScoreDossier]
    bloquantes: list[Blocage]
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


class Dossier(Model):
    """The conformity dossier: the canonical record an évaluateur receives."""

    format: Literal["cens-eval/dossier"] = "cens-eval/dossier"
    version_format: Literal[1] = 1
    outil: Outil
    as_of: dt.date
    genere_le: dt.datetime
    editeur: Editeur
    solution: Solution
    profil: dict[str, Valeur]
    conforme: bool
    questionnaire: Empreinte
    vocabulaire_profil: Empreinte
    referentiels: list[ReferentielUtilise]
    resultats: list[ResultatDossier]
    referentiels_non_applicables: list[Exclusion]
    echeances: list[Echeance]
    engagements: list[EngagementDossier]
    manifeste: list[PieceManifeste]

    def resultat(self, referentiel_id: str) -> ResultatDossier:
        """The results of one référentiel."""
        return next(r for r in self.resultats if r.id == referentiel_id)


@dataclass(frozen=True)
class Provenance:
    """Where the inputs came from: file names and hashes, as recorded in the dossier."""

    questionnaire: Empreinte
    vocabulaire_profil: Empreinte
    referentiels: dict[tuple[str, str], Empreinte]
    manifeste: Sequence[PieceManifeste]


def build_dossier(
    questionnaire: Questionnaire,
    referentiels: Sequence[Referentiel],
    evaluation: Evaluation,
    provenance: Provenance,
    *,
    tool_version: str,
    generated_at: dt.datetime | None = None,
) -> Dossier:
    """Assemble the dossier from an evaluation and its inputs (no I/O, no clock).

    Args:
        questionnaire: the éditeur's answers.
        referentiels: the référentiels the questionnaire answers.
        evaluation: the engine's result for them.
        provenance: file names and SHA-256 of the inputs, and the evidence manifest.
        tool_version: version of cens-eval recorded in the dossier.
        generated_at: generation time; defaults to midnight UTC of the evaluation date so that
            two runs on the same inputs give the same bytes.
    """
    by_id = {r.id: r for r in referentiels}
    resultats = [
        _resultat(result, by_id[result.id], questionnaire) for result in evaluation.referentiels
    ]
    engagements = sorted(
        (
            EngagementDossier(
                referentiel=r.id,
                exigence=e.id,
                libelle=e.libelle,
                action=e.engagement.action,
                echeance=e.engagement.echeance,
                en_retard=e.engagement.echeance < evaluation.as_of and not e.satisfaite,
            )
            for r in resultats
            for e in r.exigences
            if e.engagement is not None
        ),
        key=lambda g: (g.echeance, g.referentiel, g.exigence),
    )
    used = sorted(referentiels, key=lambda r: (r.id, r.version))
    return Dossier(
        outil=Outil(version=tool_version),
        as_of=evaluation.as_of,
        genere_le=generated_at or dt.datetime.combine(evaluation.as_of, dt.time(), tzinfo=dt.UTC),
        editeur=questionnaire.editeur,
        solution=questionnaire.solution,
        profil=dict(sorted(questionnaire.profil.items())),
        conforme=evaluation.conforme,
        questionnaire=provenance.questionnaire,
        vocabulaire_profil=provenance.vocabulaire_profil,
        referentiels=[
            ReferentielUtilise(
                id=r.id,
                version=r.version,
                titre=r.titre,
                statut=r.statut,
                fichier=provenance.referentiels[(r.id, r.version)].fichier,
                sha256=provenance.referentiels[(r.id, r.version)].sha256,
            )
            for r in used
        ],
        resultats=resultats,
        referentiels_non_applicables=evaluation.referentiels_non_applicables,
        echeances=evaluation.echeances,
        engagements=engagements,
        manifeste=sorted(provenance.manifeste, key=lambda p: p.chemin),
    )


def _resultat(
    result: ResultatReferentiel, ref: Referentiel, questionnaire: Questionnaire
) -> ResultatDossier:
    blocking = {b.id for b in result.bloquantes}
    by_id = {e.id: e for e in ref.exigences}
    exigences = []
    for r in result.exigences:
        exigence = by_id[r.id]
        reponse = questionnaire.reponse(ref.id, r.id)
        preuves = []
        for p in reponse.preuves if reponse else []:
            attendue = exigence.preuve(p.attendue)
            preuves.append(
                _preuve(
                    p, attendue.libelle if attendue else "", attendue.type if attendue else None
                )
            )
        exigences.append(
            ExigenceDossier(
                id=r.id,
                libelle=r.libelle,
                enonce=exigence.enonce,
                section=exigence.section,
                principe=r.principe,
                niveau=r.niveau,
                niveau_effectif=r.niveau_effectif,
                poids=r.poids,
                statut_declare=r.statut_declare,
                justification=reponse.justification if reponse else None,
                preuves=preuves,
                preuves_manquantes=r.preuves_manquantes,
                resultat=r.resultat,
                satisfaite=r.satisfaite,
                bloquante=r.id in blocking,
                explication=r.explication,
                engagement=r.engagement,
            )
        )
    return ResultatDossier(
        id=result.id,
        version=result.version,
        titre=result.titre,
        verdict=result.verdict,
        explication=result.explication,
        scores=[score_dossier(s) for s in result.scores],
        bloquantes=result.bloquantes,
        hors_perimetre=result.hors_perimetre,
        exigences=exigences,
    )


def _preuve(p: PreuveFournie, libelle: str, kind: TypePreuve | None) -> PreuveDossier:
    return PreuveDossier(
        attendue=p.attendue,
        libelle_attendu=libelle,
        type=kind,
        fichier=p.fichier,
        url=str(p.url) if p.url is not None else None,
        declaration=p.declaration,
        valeur=p.valeur,
    )


def score_dossier(s: Score) -> ScoreDossier:
    """A score figure ready to show: rounded once, exact value kept."""
    label = PRINCIPE_LABELS[s.principe] if s.principe else "Ensemble"
    return ScoreDossier(
        principe=s.principe,
        libelle=f"{label} — {NIVEAU_LABELS[s.niveau].lower()}s",
        niveau=s.niveau,
        score=rounded(s.score),
        score_exact=_fraction(s.score),
        comptees=s.comptees,
        exclues=s.exclues,
        effectifs=s.effectifs,
        explication=s.explication,
    )


def _fraction(value: Fraction | None) -> str | None:
    if value is None:
        return None
    return (
        str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    )
