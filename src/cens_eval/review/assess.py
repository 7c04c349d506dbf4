"""The evaluator's review (pure): assessed outcomes, agreement with the éditeur, proposed opinion.

An *avis* says whether the evaluator holds the exigence satisfied: validé (met), non validé
(not met) or complément demandé (evidence still awaited). An exigence left without avis is
treated as complément demandé, and listed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from cens_eval.dossier.build import score_dossier
from cens_eval.engine.scoring import score_figures
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
    SectionRevue,
)
from cens_eval.model.vocabulary import Niveau, Principe, Resultat, Statut


def assessed_outcome(declared: Resultat, statut: Statut | None, avis: Avis | None) -> Resultat:
    """The outcome the evaluator's avis gives to an exigence."""
    claims_na = statut is Statut.NON_APPLICABLE
    if avis is Avis.VALIDE:
        return Resultat.NON_APPLICABLE_JUSTIFIE if claims_na else Resultat.CONFORME
    if avis is Avis.NON_VALIDE:
        return Resultat.NON_APPLICABLE_NON_JUSTIFIE if claims_na else Resultat.NON_CONFORME
    return Resultat.PREUVES_MANQUANTES


def propose_opinion(reviewed: Sequence[ExigenceRevue]) -> tuple[Opinion, list[str]]:
    """The commission's opinion the avis lead to, with its reasons.

    Défavorable when a mandatory exigence is non validé; favorable avec réserves suspensives
    when a mandatory exigence awaits a complément (or has no avis); favorable avec réserves
    non suspensives when every mandatory exigence is validé but some préconisation is not;
    favorable otherwise.
    """
    mandatory = [e for e in reviewed if e.niveau_effectif is Niveau.EXIGENCE]
    recommended = [e for e in reviewed if e.niveau_effectif is Niveau.PRECONISATION]
    refused = [e for e in mandatory if e.avis is Avis.NON_VALIDE]
    pending = [e for e in mandatory if e.avis is not Avis.VALIDE and e.avis is not Avis.NON_VALIDE]
    reserves = [e for e in recommended if e.avis is not Avis.VALIDE]
    motifs = []
    if refused:
        motifs.append(f"exigence(s) obligatoire(s) non validée(s) : {_ids(refused)}")
    if pending:
        motifs.append(f"complément demandé sur exigence(s) obligatoire(s) : {_ids(pending)}")
    if reserves:
        motifs.append(f"préconisation(s) non validée(s) : {_ids(reserves)}")
    if refused:
        return Opinion.DEFAVORABLE, motifs
    if pending:
        return Opinion.FAVORABLE_RESERVES_SUSPENSIVES, motifs
    if reserves:
        return Opinion.FAVORABLE_RESERVES_NON_SUSPENSIVES, motifs
    return Opinion.FAVORABLE, ["toutes les exigences applicables sont validées"]


def _ids(items: Sequence[ExigenceRevue]) -> str:
    return ", ".join(f"{e.referentiel} {e.id}" for e in items)


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


def apply_review(dossier: Dossier, revue: Revue, fichier: Empreinte) -> DossierRevu:
    """The dossier with the evaluator's review: assessed outcomes, scores, agreement, opinion.

    Args:
        dossier: the verified dossier.
        revue: the evaluator's avis.
        fichier: name and SHA-256 of the review file, recorded in the result.
    """
    referentiels: list[ReferentielRevu] = []
    everything: list[ExigenceRevue] = []
    for result in dossier.resultats:
        avis = revue.avis.get(result.id, {})
        reviewed = [_review_one(result.id, e, avis.get(e.id)) for e in result.exigences]
        everything += reviewed
        referentiels.append(
            ReferentielRevu(
                id=result.id,
                version=result.version,
                scores_declares=result.scores,
                scores_evalues=_assessed_scores(result.exigences, reviewed),
                exigences=reviewed,
            )
        )
    opinion, motifs = propose_opinion(everything)
    return DossierRevu(
        **dict(dossier),
        revue=SectionRevue(
            fichier=fichier,
            evaluateur=revue.evaluateur,
            date=revue.date,
            dossier_sha256=revue.dossier_sha256,
            referentiels=referentiels,
            accord=_agreement(everything),
            sur_declarations=[e for e in everything if e.sur_declaration],
            sans_avis=[f"{e.referentiel} {e.id}" for e in everything if e.avis is None],
            opinion_proposee=opinion,
            motifs=motifs,
            decision_finale=revue.decision_finale,
            opinion_retenue=revue.decision_finale.opinion if revue.decision_finale else opinion,
        ),
    )


def _review_one(referentiel: str, e: ExigenceDossier, given: AvisExigence | None) -> ExigenceRevue:
    avis = given.avis if given else None
    assessed = assessed_outcome(e.resultat, e.statut_declare, avis)
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
        accord=assessed is e.resultat,
        sur_declaration=e.statut_declare is Statut.CONFORME and assessed is not Resultat.CONFORME,
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
    exigences: Sequence[ExigenceDossier], reviewed: Sequence[ExigenceRevue]
) -> list[ScoreDossier]:
    assessed = [
        _Assessed(e.id, e.principe, e.niveau_effectif, e.poids, r.resultat_evalue)
        for e, r in zip(exigences, reviewed, strict=True)
    ]
    return [score_dossier(s) for s in score_figures(assessed)]


def _agreement(reviewed: Sequence[ExigenceRevue]) -> Accord:
    pairs = [(e.resultat_declare, e.resultat_evalue) for e in reviewed]
    observed, kappa = cohen_kappa(pairs)
    agreeing = sum(1 for a, b in pairs if a is b)
    if observed is None:
        explication = "aucune exigence revue"
    else:
        explication = (
            f"{agreeing} résultat(s) identique(s) sur {len(pairs)} ; kappa de Cohen sur les catégories de résultat"
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
