"""Build the dossier from an evaluation (pure): sorted, labelled and rounded once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from cens_eval.model.display import rounded
from cens_eval.model.dossier import (
    Dossier,
    Empreinte,
    EngagementDossier,
    ExigenceDossier,
    Outil,
    PieceManifeste,
    PreuveDossier,
    ReferentielUtilise,
    ResultatDossier,
    ScoreDossier,
    SourceDossier,
)
from cens_eval.model.profil import VocabulaireProfil
from cens_eval.model.questionnaire import (
    PreuveFournie,
    Questionnaire,
)
from cens_eval.model.referentiel import Exigence, Referentiel, Source
from cens_eval.model.results import (
    Evaluation,
    ResultatReferentiel,
    Score,
)
from cens_eval.model.versions import FORMAT_VERSION
from cens_eval.model.vocabulary import (
    NIVEAU_LABELS,
    PRINCIPE_LABELS,
    TypePreuve,
)


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
    vocabulaire: VocabulaireProfil | None = None,
    format_version: int = FORMAT_VERSION,
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
        vocabulaire: the profil vocabulary: the dossier shows each answer with its question.
        format_version: the dossier format to write (an earlier one only to verify an earlier
            dossier: :mod:`cens_eval.model.versions`).
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
        version_format=format_version,
        outil=Outil(version=tool_version),
        version_regles=evaluation.version_regles,
        as_of=evaluation.as_of,
        genere_le=generated_at or dt.datetime.combine(evaluation.as_of, dt.time(), tzinfo=dt.UTC),
        editeur=questionnaire.editeur,
        solution=questionnaire.solution,
        profil=dict(sorted(questionnaire.profil.items())),
        questions_profil={
            key: question.libelle
            for key in sorted(questionnaire.profil)
            if vocabulaire and (question := vocabulaire.question(key))
        },
        conforme=evaluation.conforme,
        valide_jusqu_au=evaluation.valide_jusqu_au,
        preparation=evaluation.preparation,
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
    sources = {s.id: s for s in ref.sources}  # validation checked every exigence's source id
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
                fidelite=r.fidelite,
                source=_source(exigence, sources[exigence.source.document]),
                choix_du_projet=exigence.choix_du_projet,
                statut_declare=r.statut_declare,
                justification=reponse.justification if reponse else None,
                preuves=preuves,
                preuves_manquantes=r.preuves_manquantes,
                libelles_preuves_manquantes={
                    x: expected.libelle
                    for x in r.preuves_manquantes
                    if (expected := exigence.preuve(x)) is not None
                },
                resultat=r.resultat,
                satisfaite=r.satisfaite,
                bloquante=r.id in blocking,
                explication=r.explication,
                engagement=r.engagement,
                ages=r.ages,
                reprises=r.reprises,
                valide_jusqu_au=r.valide_jusqu_au,
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
        par_fidelite=result.par_fidelite(),
        bloquantes_reconstituees=result.bloquantes_reconstituees(),
        hors_perimetre=result.hors_perimetre,
        exigences=exigences,
    )


def _source(exigence: Exigence, document: Source) -> SourceDossier:
    """The exigence's place in its source, with the document's title and address."""
    return SourceDossier(
        document=document.id,
        titre=document.titre,
        url=str(document.url),
        localisation=exigence.source.localisation,
        consulte_le=document.consulte_le,
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
        date=p.date,
        periode=p.periode,
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
