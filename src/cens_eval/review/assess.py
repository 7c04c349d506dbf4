"""The evaluator's review (pure): assessed outcomes, agreement with the éditeur, proposed opinion.

An avis confirms or rejects the éditeur's declared outcome (:func:`assessed_outcome`); an
exigence left without avis is treated as complément demandé, and listed. Verdicts, blocking
gaps and scores are drawn from the assessed outcomes by the scoring table, as the engine draws
them from the declared ones. Agreement and Cohen's kappa compare declared and assessed outcomes
over the exigences that have an avis.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from cens_eval.dossier.build import score_dossier
from cens_eval.engine.scoring import bareme, score_figures
from cens_eval.engine.verdict import explain, is_blocking, verdict_of
from cens_eval.model.display import rounded
from cens_eval.model.dossier import Dossier, Empreinte, ExigenceDossier, ScoreDossier
from cens_eval.model.review import (
    Accord,
    Avis,
    AvisExigence,
    DossierRevu,
    ExigenceRevue,
    Opinion,
    ReferentielRevu,
    Revue,
    RevuePrecedente,
    SectionRevue,
    assessed_outcome,
)
from cens_eval.model.versions import FORMAT_VERSION, REGLES, Regles
from cens_eval.model.vocabulary import RESULTAT_LABELS, Niveau, Principe, Resultat, Statut, Verdict


def propose_opinion(reviewed: Sequence[ExigenceRevue]) -> tuple[Opinion, list[str]]:
    """The commission's opinion the assessed outcomes lead to, with its reasons.

    Défavorable when a mandatory exigence the evaluator has judged (validé or non validé) is
    not met; favorable avec réserves suspensives when a mandatory exigence awaits a complément
    or an avis; favorable avec réserves non suspensives when every mandatory exigence is met
    but some préconisation is not; favorable otherwise.
    """
    mandatory = [e for e in reviewed if e.niveau_effectif is Niveau.EXIGENCE]
    recommended = [e for e in reviewed if e.niveau_effectif is Niveau.PRECONISATION]
    judged = (Avis.VALIDE, Avis.NON_VALIDE)
    unmet = [e for e in mandatory if e.avis in judged and not e.satisfaite_evaluee]
    asked = [e for e in mandatory if e.avis is Avis.COMPLEMENT_DEMANDE]
    silent = [e for e in mandatory if e.avis is None]
    reserves = [e for e in recommended if not e.satisfaite_evaluee]
    motifs = []
    if unmet:
        motifs.append(f"exigence(s) obligatoire(s) non satisfaite(s) après revue : {_ids(unmet)}")
    if asked:
        motifs.append(f"complément demandé sur exigence(s) obligatoire(s) : {_ids(asked)}")
    if silent:
        motifs.append(f"exigence(s) obligatoire(s) sans avis : {_ids(silent)}")
    if reserves:
        motifs.append(f"préconisation(s) non satisfaite(s) après revue : {_ids(reserves)}")
    if unmet:
        return Opinion.DEFAVORABLE, motifs
    if asked or silent:
        return Opinion.FAVORABLE_RESERVES_SUSPENSIVES, motifs
    if reserves:
        return Opinion.FAVORABLE_RESERVES_NON_SUSPENSIVES, motifs
    return Opinion.FAVORABLE, ["toutes les exigences applicables sont satisfaites après revue"]


def _ids(items: Sequence[ExigenceRevue]) -> str:
    """Exigence ids grouped by référentiel: ``teleconsultation ETH.08, ETH.12 ; ia-sante CE-IA-03``."""
    by_ref: dict[str, list[str]] = {}
    for e in items:
        by_ref.setdefault(e.referentiel, []).append(e.id)
    return " ; ".join(f"{ref} {', '.join(ids)}" for ref, ids in by_ref.items())


def cohen_kappa(
    pairs: Sequence[tuple[Resultat, Resultat]],
) -> tuple[Fraction | None, Fraction | None]:
    """Observed agreement and Cohen's kappa of two raters over the same items (exact).

    Kappa is None when undefined: no item, or chance agreement of 1 (both raters used one
    and the same category for every item).
    """
    n = len(pairs)
    if n == 0:
        return None, None
    observed = Fraction(sum(1 for a, b in pairs if a is b), n)
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    chance = sum((Fraction(first[k], n) * Fraction(second[k], n) for k in first), Fraction(0))
    if chance == 1:
        return observed, None
    return observed, (observed - chance) / (1 - chance)


def validated_gaps(dossier: Dossier, revue: Revue) -> list[tuple[str, str, str]]:
    """Each claim validé although a mandatory preuve of it is missing: (référentiel, exigence, why).

    The avis keeps the declared outcome (preuves manquantes for a conforme claim, non applicable
    non justifié for a non-applicability without its proof): the warning names the preuve, so
    that the evaluator knows the validation did not supply it. A declared gap (non conforme,
    partiellement conforme under rules v2) is not a claim: its missing preuve is part of it.
    """
    admitted = {None, Statut.NON_CONFORME}
    if not REGLES[dossier.version_regles].partiel_valide_averti:
        admitted.add(Statut.PARTIELLEMENT_CONFORME)
    gaps = []
    for result in dossier.resultats:
        given = revue.avis.get(result.id, {})
        for e in result.exigences:
            entry = given.get(e.id)
            if entry is None or entry.avis is not Avis.VALIDE or not e.preuves_manquantes:
                continue
            if e.statut_declare in admitted:
                continue  # an admitted gap: the missing preuve is part of it
            missing = ", ".join(f"« {p} »" for p in e.preuves_manquantes)
            gaps.append(
                (
                    result.id,
                    e.id,
                    f"validé alors que la preuve obligatoire {missing} manque : le résultat "
                    f"retenu reste le résultat déclaré, « {RESULTAT_LABELS[e.resultat]} »",
                )
            )
    return gaps


def apply_review(
    dossier: Dossier,
    revue: Revue,
    fichier: Empreinte,
    *,
    historique: Sequence[RevuePrecedente] = (),
    format_version: int = FORMAT_VERSION,
) -> DossierRevu:
    """The dossier with the evaluator's review: assessed outcomes, verdicts, scores, opinion.

    Args:
        dossier: the verified dossier.
        revue: the evaluator's avis (as checked by the review's reader).
        fichier: name and SHA-256 of the review file, recorded in the result.
        historique: the reviews of this dossier before this one, oldest first.
        format_version: the format to write (an earlier one only to verify an earlier review).
        The assessed scores follow the rules version the dossier records.

    Raises:
        ValueError: a non validé names no outcome where one is needed, or a final opinion is
            given while an exigence has no avis (the review's reader refuses both, located).
    """
    referentiels: list[ReferentielRevu] = []
    everything: list[ExigenceRevue] = []
    for result in dossier.resultats:
        avis = revue.avis.get(result.id, {})
        reviewed = [_review_one(result.id, e, avis.get(e.id)) for e in result.exigences]
        everything += reviewed
        blocking = [e.id for e in reviewed if e.bloquante_evaluee]
        mandatory = sum(1 for e in reviewed if e.niveau_effectif is Niveau.EXIGENCE)
        referentiels.append(
            ReferentielRevu(
                id=result.id,
                version=result.version,
                titre=result.titre,
                verdict_declare=result.verdict,
                verdict_evalue=verdict_of(blocking),
                explication_evaluee=explain(
                    blocking, mandatory, after_review=True, regles=dossier.version_regles
                ),
                bloquantes_evaluees=blocking,
                scores_declares=result.scores,
                scores_evalues=_assessed_scores(
                    result.exigences, reviewed, REGLES[dossier.version_regles]
                ),
                exigences=reviewed,
            )
        )
    sans_avis = [f"{e.referentiel} {e.id}" for e in everything if e.avis is None]
    if revue.decision_finale is not None and sans_avis:
        raise ValueError("avis final impossible : exigence(s) sans avis : " + ", ".join(sans_avis))
    opinion, motifs = propose_opinion(everything)
    final = revue.decision_finale
    return DossierRevu(
        **{**dict(dossier), "version_format": format_version},
        revue=SectionRevue(
            fichier=fichier,
            evaluateur=revue.evaluateur,
            date=revue.date,
            dossier_sha256=revue.dossier_sha256,
            referentiels=referentiels,
            conforme_evalue=all(r.verdict_evalue is Verdict.CONFORME for r in referentiels),
            accord=_agreement(everything),
            sur_declarations=[e for e in everything if e.sur_declaration],
            sans_avis=sans_avis,
            avertissements=[f"{r} {e} {why}" for r, e, why in validated_gaps(dossier, revue)],
            opinion_proposee=opinion,
            motifs=motifs,
            decision_finale=final,
            opinion_retenue=final.opinion if final else (None if sans_avis else opinion),
            historique=list(historique),
        ),
    )


def _favour(resultat: Resultat) -> tuple[bool, Fraction]:
    """How favourable an outcome is, by the scoring table: met first, then credit."""
    rule = bareme()
    met = rule.satisfait(resultat)
    credit = rule.credit(resultat)
    return met, credit if credit is not None else Fraction(int(met))


def _review_one(referentiel: str, e: ExigenceDossier, given: AvisExigence | None) -> ExigenceRevue:
    avis = given.avis if given else None
    assessed = assessed_outcome(
        e.resultat, e.statut_declare, avis, given.resultat if given else None
    )
    met = bareme().satisfait(assessed)
    return ExigenceRevue(
        referentiel=referentiel,
        id=e.id,
        libelle=e.libelle,
        principe=e.principe,
        niveau_effectif=e.niveau_effectif,
        statut_declare=e.statut_declare,
        resultat_declare=e.resultat,
        avis=avis,
        commentaire=given.commentaire if given else None,
        resultat_evalue=assessed,
        satisfaite_evaluee=met,
        bloquante_evaluee=is_blocking(e.niveau_effectif, met),
        accord=assessed is e.resultat,
        sur_declaration=_favour(assessed) < _favour(e.resultat),
    )


@dataclass(frozen=True)
class _Assessed:
    """An exigence of the dossier with the evaluator's outcome, as a score figure counts it."""

    id: str
    principe: Principe
    niveau_effectif: Niveau
    poids: Decimal
    resultat: Resultat


def _assessed_scores(
    exigences: Sequence[ExigenceDossier], reviewed: Sequence[ExigenceRevue], regles: Regles
) -> list[ScoreDossier]:
    assessed = [
        _Assessed(e.id, e.principe, e.niveau_effectif, e.poids, r.resultat_evalue)
        for e, r in zip(exigences, reviewed, strict=True)
    ]
    return [score_dossier(s) for s in score_figures(assessed, regles=regles)]


def _agreement(reviewed: Sequence[ExigenceRevue]) -> Accord:
    pairs = [(e.resultat_declare, e.resultat_evalue) for e in reviewed if e.avis is not None]
    observed, kappa = cohen_kappa(pairs)
    agreeing = sum(1 for a, b in pairs if a is b)
    if observed is None:
        explication = "aucune exigence n'a d'avis"
    else:
        explication = (
            f"{agreeing} résultat(s) évalué(s) identique(s) au résultat déclaré sur {len(pairs)} "
            "exigence(s) ayant un avis ; kappa de Cohen sur les catégories de résultat"
            + (
                ""
                if kappa is not None
                else " indéfini (une seule catégorie utilisée par les deux parties)"
            )
        )
    return Accord(
        exigences=len(pairs),
        concordantes=agreeing,
        pourcentage=rounded(observed * 100) if observed is not None else None,
        kappa=rounded(kappa, 3) if kappa is not None else None,
        kappa_exact=f"{kappa.numerator}/{kappa.denominator}" if kappa is not None else None,
        explication=explication,
    )
