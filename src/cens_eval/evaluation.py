"""Orchestration of the engine: référentiels + questionnaire at a date → Evaluation (pure)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from cens_eval.applicability import Portee, describe, referentiel_applies, scope
from cens_eval.questionnaire import Questionnaire
from cens_eval.referentiel import Referentiel
from cens_eval.results import (
    CategorieEcheance,
    Echeance,
    Evaluation,
    Exclusion,
    ResultatExigence,
    ResultatReferentiel,
)
from cens_eval.scoring import assess, blocking, effective_level, score_figures
from cens_eval.vocabulary import Niveau, Principe, Verdict


def evaluate(
    questionnaire: Questionnaire, referentiels: Sequence[Referentiel], *, as_of: dt.date
) -> Evaluation:
    """Evaluate a questionnaire against the référentiels it answers, at the date ``as_of``.

    Args:
        questionnaire: the éditeur's profil and answers.
        referentiels: the référentiels named by the questionnaire (others are ignored).
        as_of: the evaluation date; it decides which préconisations are already mandatory.

    Returns:
        The outcome of every in-scope exigence, scores, verdicts and échéances.
    """
    wanted = {(r.id, r.version) for r in questionnaire.referentiels}
    chosen = sorted((r for r in referentiels if (r.id, r.version) in wanted), key=lambda r: r.id)
    results: list[ResultatReferentiel] = []
    skipped: list[Exclusion] = []
    for ref in chosen:
        if referentiel_applies(ref, questionnaire.profil):
            results.append(_evaluate_one(ref, questionnaire, as_of))
        else:
            condition = describe(ref.applicable_si) if ref.applicable_si else ""
            skipped.append(
                Exclusion(id=ref.id, raison=f"ne s'applique pas au profil ({condition})")
            )
    echeances = _echeances(chosen, results, as_of)
    return Evaluation(
        as_of=as_of, referentiels=results, referentiels_non_applicables=skipped, echeances=echeances
    )


def _evaluate_one(
    ref: Referentiel, questionnaire: Questionnaire, as_of: dt.date
) -> ResultatReferentiel:
    assessed: list[ResultatExigence] = []
    out_of_scope: list[tuple[Exclusion, Niveau, Principe]] = []
    for exigence in ref.exigences:
        portee = scope(exigence, questionnaire.profil)
        if portee is Portee.HORS_PERIMETRE:
            condition = _described(ref, exigence.id)
            exclusion = Exclusion(
                id=exigence.id,
                raison=f"hors périmètre : condition {condition} fausse pour le profil",
            )
            out_of_scope.append((exclusion, effective_level(exigence, as_of), exigence.principe))
            continue
        reponse = questionnaire.reponse(ref.id, exigence.id)
        assessed.append(assess(ref.id, exigence, portee, reponse, as_of))
    scores = score_figures(assessed, out_of_scope)
    blocages = blocking(assessed)
    mandatory = sum(1 for r in assessed if r.niveau_effectif is Niveau.EXIGENCE)
    if blocages:
        verdict = Verdict.NON_CONFORME
        explication = (
            f"{len(blocages)} exigence(s) obligatoire(s) sur {mandatory} non satisfaite(s) : "
            + ", ".join(b.id for b in blocages)
        )
    else:
        verdict = Verdict.CONFORME
        explication = {
            0: "aucune exigence obligatoire applicable",
            1: "l'unique exigence obligatoire applicable est satisfaite",
        }.get(mandatory, f"les {mandatory} exigences obligatoires applicables sont satisfaites")
    return ResultatReferentiel(
        id=ref.id,
        version=ref.version,
        titre=ref.titre,
        verdict=verdict,
        explication=explication,
        exigences=assessed,
        hors_perimetre=[x for x, _, _ in out_of_scope],
        scores=scores,
        bloquantes=blocages,
    )


def _echeances(
    refs: Sequence[Referentiel], results: Sequence[ResultatReferentiel], as_of: dt.date
) -> list[Echeance]:
    horizon = _one_year_after(as_of)
    due_dates = {(ref.id, e.id): e.obligatoire_a_partir_du for ref in refs for e in ref.exigences}
    echeances: list[Echeance] = []
    for result in results:
        for r in result.exigences:
            if r.satisfaite:
                continue
            due = due_dates.get((result.id, r.id))
            if due is not None and as_of < due <= horizon:
                echeances.append(
                    Echeance(
                        categorie=CategorieEcheance.PRECONISATION_BIENTOT_OBLIGATOIRE,
                        referentiel=result.id,
                        exigence=r.id,
                        libelle=r.libelle,
                        date=due,
                        explication=f"préconisation non satisfaite, obligatoire à partir du {due:%d/%m/%Y}",
                    )
                )
            if r.engagement is not None and r.engagement.echeance < as_of:
                echeances.append(
                    Echeance(
                        categorie=CategorieEcheance.ENGAGEMENT_EN_RETARD,
                        referentiel=result.id,
                        exigence=r.id,
                        libelle=r.libelle,
                        date=r.engagement.echeance,
                        explication=f"engagement « {r.engagement.action} » dépassé depuis le "
                        f"{r.engagement.echeance:%d/%m/%Y}",
                    )
                )
    return sorted(echeances, key=lambda e: (e.date, e.referentiel, e.exigence, e.categorie))


def _one_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


_DESCRIPTIONS: dict[int, tuple[Referentiel, dict[str, str]]] = {}


def _described(ref: Referentiel, exigence_id: str) -> str:
    """The exigence's condition in words, computed once per référentiel (they are immutable)."""
    cached = _DESCRIPTIONS.get(id(ref))
    if cached is None or cached[0] is not ref:
        if len(_DESCRIPTIONS) > 64:
            _DESCRIPTIONS.clear()
        words = {
            e.id: describe(e.applicable_si) for e in ref.exigences if e.applicable_si is not None
        }
        cached = _DESCRIPTIONS[id(ref)] = (ref, words)
    return cached[1].get(exigence_id, "")
