"""Orchestration of the engine: référentiels + questionnaire at a date → Evaluation (pure).

The engine runs once per questionnaire and must be fast, since evaluators score dossiers by
the thousand. Everything that depends only on a référentiel, the profil and the date — which
exigences are in scope, their effective level and weight — is prepared once and reused
(:class:`_Layout`); per questionnaire, the engine decides each exigence's outcome, counts
the figures and names the blocking gaps. The detailed results, with their explanations, are
written out from that when they are first read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import compress

from cens_eval.applicability import describe, referentiel_applies, scope
from cens_eval.condition import leaves
from cens_eval.outcome import Regle, outcomes
from cens_eval.profil import Profil
from cens_eval.questionnaire import Questionnaire, Reponse
from cens_eval.referentiel import Referentiel
from cens_eval.results import (
    MET,
    Blocage,
    CategorieEcheance,
    Echeance,
    Evaluation,
    Exclusion,
    ResultatExigence,
    ResultatReferentiel,
    Score,
)
from cens_eval.scoring import (
    CODE,
    Poids,
    Tally,
    assess,
    blocking,
    effective_level,
    score_figures,
    slot,
    weight_scale,
)
from cens_eval.vocabulary import Niveau, Portee, Principe, Resultat, Verdict

_UNMET = frozenset(Resultat) - MET


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
    echeances: list[Echeance] = []
    for ref in chosen:
        if referentiel_applies(ref, questionnaire.profil):
            result, due = _evaluate_one(ref, questionnaire, as_of)
            results.append(result)
            echeances += due
        else:
            condition = describe(ref.applicable_si) if ref.applicable_si else ""
            skipped.append(
                Exclusion.model_construct(
                    id=ref.id, raison=f"ne s'applique pas au profil ({condition})"
                )
            )
    echeances.sort(key=lambda e: (e.date, e.referentiel, e.exigence, e.categorie))
    return Evaluation.model_construct(
        as_of=as_of, referentiels=results, referentiels_non_applicables=skipped, echeances=echeances
    )


def _evaluate_one(
    ref: Referentiel, questionnaire: Questionnaire, as_of: dt.date
) -> tuple[ResultatReferentiel, list[Echeance]]:
    layout = _layout(ref, questionnaire.profil, as_of)
    answers = questionnaire.reponses.get(ref.id, {})
    reponses = list(map(answers.get, layout.ids))
    resultats = outcomes(layout.regles, reponses)
    tally = Tally.count(layout.poids, layout.slots, map(CODE.__getitem__, resultats))
    unmet = list(compress(range(len(resultats)), map(_UNMET.__contains__, resultats)))
    mandatory = layout.mandatory
    blocages = [layout.ids[i] for i in unmet if mandatory[i]]
    if blocages:
        verdict = Verdict.NON_CONFORME
        explication = (
            f"{len(blocages)} exigence(s) obligatoire(s) sur {layout.mandatory_count} non "
            "satisfaite(s) : " + ", ".join(blocages)
        )
    else:
        verdict = Verdict.CONFORME
        explication = {
            0: "aucune exigence obligatoire applicable",
            1: "l'unique exigence obligatoire applicable est satisfaite",
        }.get(
            layout.mandatory_count,
            f"les {layout.mandatory_count} exigences obligatoires applicables sont satisfaites",
        )
    details = _Details(ref.id, layout, reponses, resultats, tally)
    result = ResultatReferentiel.of(
        details,
        id=ref.id,
        version=ref.version,
        titre=ref.titre,
        verdict=verdict,
        explication=explication,
    )
    return result, _echeances(ref.id, layout, unmet, reponses, as_of)


def _echeances(
    referentiel_id: str,
    layout: _Layout,
    unmet: list[int],
    reponses: list[Reponse | None],
    as_of: dt.date,
) -> list[Echeance]:
    """Préconisations not met that become mandatory within a year, and overdue engagements."""
    soon = layout.due_soon
    echeances = [
        Echeance.model_construct(
            categorie=CategorieEcheance.PRECONISATION_BIENTOT_OBLIGATOIRE,
            referentiel=referentiel_id,
            exigence=layout.ids[i],
            libelle=layout.regles[i].exigence.libelle,
            date=soon[i],
            explication=f"préconisation non satisfaite, obligatoire à partir du {soon[i]:%d/%m/%Y}",
        )
        for i in (unmet if soon else ())
        if i in soon
    ]
    for i in unmet:
        reponse = reponses[i]
        engagement = reponse.engagement if reponse is not None else None
        if engagement is not None and engagement.echeance < as_of:
            echeances.append(
                Echeance.model_construct(
                    categorie=CategorieEcheance.ENGAGEMENT_EN_RETARD,
                    referentiel=referentiel_id,
                    exigence=layout.ids[i],
                    libelle=layout.regles[i].exigence.libelle,
                    date=engagement.echeance,
                    explication=f"engagement « {engagement.action} » dépassé depuis le "
                    f"{engagement.echeance:%d/%m/%Y}",
                )
            )
    return echeances


@dataclass(frozen=True, slots=True)
class _Details:
    """One référentiel's compact result, and how to write it out in full."""

    referentiel_id: str
    layout: _Layout
    reponses: list[Reponse | None]
    """The answer to each in-scope exigence (None: not answered)."""
    resultats: list[Resultat]
    tally: Tally

    def exigences(self) -> list[ResultatExigence]:
        layout = self.layout
        return [
            assess(self.referentiel_id, regle, portee, reponse, niveau, resultat)
            for regle, portee, niveau, reponse, resultat in zip(
                layout.regles,
                layout.portees,
                layout.niveaux,
                self.reponses,
                self.resultats,
                strict=True,
            )
        ]

    def hors_perimetre(self) -> list[Exclusion]:
        return [exclusion for exclusion, _, _ in self.layout.outside]

    def scores(self, exigences: list[ResultatExigence]) -> list[Score]:
        return score_figures(exigences, self.layout.outside, self.tally)

    def bloquantes(self, exigences: list[ResultatExigence]) -> list[Blocage]:
        return blocking(exigences)


@dataclass(frozen=True, slots=True)
class _Layout:
    """What a référentiel asks of one profil at one date: the same for every such questionnaire."""

    regles: tuple[Regle, ...]
    """In-scope exigences, in the référentiel's order."""
    ids: tuple[str, ...]
    portees: tuple[Portee, ...]
    niveaux: tuple[Niveau, ...]
    """Effective levels at the date."""
    mandatory: tuple[bool, ...]
    mandatory_count: int
    slots: tuple[int, ...]
    """Where each exigence counts in a Tally (its level and principle)."""
    poids: Poids
    outside: tuple[tuple[Exclusion, Niveau, Principe], ...]
    """Exigences out of scope, why, and where they would have counted."""
    due_soon: dict[int, dt.date]
    """In-scope préconisations that become mandatory within a year after the date."""


@dataclass
class _Prepared:
    """A référentiel's rules and the profil questions it depends on, with its layouts."""

    referentiel: Referentiel
    regles: tuple[Regle, ...]
    questions: tuple[str, ...]
    scale: int
    conditions: dict[str, str]
    layouts: dict[tuple[object, ...], _Layout] = field(default_factory=dict)


_PREPARED: dict[int, _Prepared] = {}
_MAX_CACHED = 64


def _prepared(ref: Referentiel) -> _Prepared:
    """Rules of a référentiel, prepared once (référentiels are immutable)."""
    cached = _PREPARED.get(id(ref))
    if cached is not None and cached.referentiel is ref:
        return cached
    if len(_PREPARED) >= _MAX_CACHED:
        _PREPARED.clear()
    conditions = {e.id: e.applicable_si for e in ref.exigences if e.applicable_si is not None}
    questions = sorted(
        {question for c in conditions.values() for _, question, _ in leaves(c)}
        | ({q for _, q, _ in leaves(ref.applicable_si)} if ref.applicable_si else set())
    )
    prepared = _Prepared(
        referentiel=ref,
        regles=tuple(Regle.of(e) for e in ref.exigences),
        questions=tuple(questions),
        scale=weight_scale(e.poids for e in ref.exigences),
        conditions={i: describe(c) for i, c in conditions.items()},
    )
    _PREPARED[id(ref)] = prepared
    return prepared


def _layout(ref: Referentiel, profil: Profil, as_of: dt.date) -> _Layout:
    prepared = _prepared(ref)
    # Only the answers the conditions read matter; keep their types (True is not 1).
    key = (as_of, *((type(v), v) for v in map(profil.get, prepared.questions)))
    layout = prepared.layouts.get(key)
    if layout is None:
        if len(prepared.layouts) >= _MAX_CACHED:
            prepared.layouts.clear()
        layout = prepared.layouts[key] = _lay_out(prepared, profil, as_of)
    return layout


def _lay_out(prepared: _Prepared, profil: Profil, as_of: dt.date) -> _Layout:
    horizon = _one_year_after(as_of)
    inside: list[tuple[Regle, Portee, Niveau]] = []
    outside: list[tuple[Exclusion, Niveau, Principe]] = []
    for regle in prepared.regles:
        exigence = regle.exigence
        niveau = effective_level(exigence, as_of)
        portee = scope(exigence, profil)
        if portee is Portee.HORS_PERIMETRE:
            raison = f"hors périmètre : condition {prepared.conditions[exigence.id]} fausse pour le profil"
            outside.append(
                (
                    Exclusion.model_construct(id=exigence.id, raison=raison),
                    niveau,
                    exigence.principe,
                )
            )
        else:
            inside.append((regle, portee, niveau))
    mandatory = tuple(niveau is Niveau.EXIGENCE for _, _, niveau in inside)
    return _Layout(
        regles=tuple(regle for regle, _, _ in inside),
        ids=tuple(regle.id for regle, _, _ in inside),
        portees=tuple(portee for _, portee, _ in inside),
        niveaux=tuple(niveau for _, _, niveau in inside),
        mandatory=mandatory,
        mandatory_count=sum(mandatory),
        slots=tuple(slot(niveau, r.exigence.principe) for r, _, niveau in inside),
        poids=Poids.of([r.exigence.poids for r, _, _ in inside], prepared.scale),
        outside=tuple(outside),
        due_soon={
            i: due
            for i, (regle, _, _) in enumerate(inside)
            if (due := regle.exigence.obligatoire_a_partir_du) is not None
            and as_of < due <= horizon
        },
    )


def _one_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)
