"""The scoring rule, in one table, and the score figures of a référentiel (pure).

:data:`BAREME` says, for each outcome, the share of its weight it earns (or that it is left out
of every figure) and whether it satisfies the exigence. The engine, the evaluator's assessed
scores, the batch summary and every explanation read it, and only it: changing one credit
changes every figure and every sentence that states the rule.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Protocol

from cens_eval.model.calendrier import Calendrier
from cens_eval.model.referentiel import Exigence, Referentiel
from cens_eval.model.results import Exclusion, Score
from cens_eval.model.versions import REGLES_EN_VIGUEUR, Regles
from cens_eval.model.vocabulary import PRINCIPE_LABELS, RESULTAT_LABELS, Niveau, Principe, Resultat


@dataclass(frozen=True)
class Ligne:
    """What one outcome is worth."""

    credit: Fraction | None
    """Share of the exigence's weight earned; None: left out of every figure."""
    satisfait: bool
    """Whether the exigence is met (a mandatory one that is not blocks the verdict)."""


@dataclass(frozen=True)
class Bareme:
    """The scoring rule: one :class:`Ligne` per outcome."""

    lignes: Mapping[Resultat, Ligne]

    def credit(self, resultat: Resultat) -> Fraction | None:
        """The share of its weight an outcome earns; None when it is left out of the figures."""
        return self.lignes[resultat].credit

    def satisfait(self, resultat: Resultat) -> bool:
        """Whether an outcome meets the exigence."""
        return self.lignes[resultat].satisfait

    def texte(self) -> str:
        """The rule in words, as every explanation states it."""
        by_credit: dict[Fraction, list[str]] = {}
        excluded: list[str] = []
        for resultat, ligne in self.lignes.items():
            label = RESULTAT_LABELS[resultat].lower()
            if ligne.credit is None:
                excluded.append(label)
            else:
                by_credit.setdefault(ligne.credit, []).append(label)
        parts = [
            f"{_either(labels)} = {_fraction(credit)}"
            for credit, labels in sorted(by_credit.items(), reverse=True)
        ]
        if excluded:
            parts.append(f"{_either(excluded)} : exclu des scores")
        return " ; ".join(parts)


BAREME = Bareme(
    {
        Resultat.CONFORME: Ligne(Fraction(1), satisfait=True),
        Resultat.PARTIELLEMENT_CONFORME: Ligne(Fraction(1, 2), satisfait=False),
        Resultat.PREUVES_MANQUANTES: Ligne(Fraction(1, 2), satisfait=False),
        Resultat.NON_CONFORME: Ligne(Fraction(0), satisfait=False),
        Resultat.SANS_REPONSE: Ligne(Fraction(0), satisfait=False),
        Resultat.NON_APPLICABLE_NON_JUSTIFIE: Ligne(Fraction(0), satisfait=False),
        Resultat.NON_APPLICABLE_JUSTIFIE: Ligne(None, satisfait=True),
    }
)
"""The rule in force. A claim without its required evidence never counts as fully met."""


def bareme() -> Bareme:
    """The rule in force (read at each use, so that one table governs every consumer)."""
    return BAREME


class Counted(Protocol):
    """What a figure needs of an exigence's result."""

    @property
    def id(self) -> str: ...  # noqa: D102
    @property
    def principe(self) -> Principe: ...  # noqa: D102
    @property
    def niveau_effectif(self) -> Niveau: ...  # noqa: D102
    @property
    def poids(self) -> Decimal: ...  # noqa: D102
    @property
    def resultat(self) -> Resultat: ...  # noqa: D102


def points(counted: Iterable[Counted]) -> tuple[Fraction, Fraction]:
    """Points earned and total weight of the exigences the rule counts (exact).

    Exigences are first counted by (weight, outcome): a référentiel uses few distinct weights,
    so each figure is a handful of exact products.
    """
    rule = bareme()
    earned = total = Fraction(0)
    for (poids, resultat), n in Counter((r.poids, r.resultat) for r in counted).items():
        credit = rule.credit(resultat)
        if credit is not None:
            weight = Fraction(poids) * n
            earned += weight * credit
            total += weight
    return earned, total


def percentage(counted: Iterable[Counted]) -> Fraction | None:
    """The weighted share of credit, in percent; None when nothing is counted."""
    earned, total = points(counted)
    return earned / total * 100 if total else None


def effective_level(niveau: Niveau, due: dt.date | None, as_of: dt.date) -> Niveau:
    """A préconisation past its mandatory date is an exigence (the date: :func:`obligation_date`)."""
    if niveau is Niveau.PRECONISATION and due is not None and due <= as_of:
        return Niveau.EXIGENCE
    return niveau


def obligation_date(
    ref: Referentiel, exigence: Exigence, calendrier: Calendrier | None = None
) -> dt.date | None:
    """The date from which a préconisation is mandatory: a phase-in calendar's, else the référentiel's."""
    if calendrier is not None:
        day = calendrier.date(ref.id, ref.version, exigence.id)
        if day is not None:
            return day
    return exigence.obligatoire_a_partir_du


def score_figures(
    results: Sequence[Counted],
    hors_perimetre: Sequence[tuple[Exclusion, Niveau, Principe]] = (),
    regles: Regles = REGLES_EN_VIGUEUR,
) -> list[Score]:
    """Every figure of a référentiel: per level, the whole référentiel then each principle."""
    keys = [(niveau, principe) for niveau in Niveau for principe in (None, *Principe)]
    chosen: dict[tuple[Niveau, Principe | None], list[Counted]] = {key: [] for key in keys}
    for r in results:
        chosen[(r.niveau_effectif, None)].append(r)
        chosen[(r.niveau_effectif, r.principe)].append(r)
    outside: dict[tuple[Niveau, Principe | None], list[Exclusion]] = {key: [] for key in keys}
    for exclusion, niveau, principe in hors_perimetre:
        outside[(niveau, None)].append(exclusion)
        outside[(niveau, principe)].append(exclusion)
    return [_figure(chosen[key], outside[key], *key, regles) for key in keys]


def _figure(
    results: list[Counted],
    outside: list[Exclusion],
    niveau: Niveau,
    principe: Principe | None,
    regles: Regles,
) -> Score:
    rule = bareme()
    counted = [r for r in results if rule.credit(r.resultat) is not None]
    excluded = [
        Exclusion(id=r.id, raison=RESULTAT_LABELS[r.resultat].lower())
        for r in results
        if rule.credit(r.resultat) is None
    ]
    earned, total = points(counted)
    effectifs: dict[Resultat, int] = {}
    for r in results:
        effectifs[r.resultat] = effectifs.get(r.resultat, 0) + 1
    effectifs = {res: effectifs[res] for res in Resultat if res in effectifs}
    scope = PRINCIPE_LABELS[principe] if principe else "ensemble du référentiel"
    kind = "exigences obligatoires" if niveau is Niveau.EXIGENCE else "préconisations"
    if regles.version == 1:  # rules v1 listed the excluded outcomes among the counted ones
        shown = effectifs
    else:
        shown = {res: n for res, n in effectifs.items() if rule.credit(res) is not None}
    detail = ", ".join(f"{n} {RESULTAT_LABELS[res].lower()}" for res, n in shown.items())
    if not total:
        explication = f"{scope}, {kind} : aucune exigence comptée"
    else:
        explication = f"{scope}, {kind} : {len(counted)} comptée(s) ({detail})"
    if excluded and regles.version > 1:
        explication += f" ; {len(excluded)} exclue(s) des scores ({_excluded_words(excluded)})"
    if total:
        explication += f" ; {_number(earned)} points sur {_number(total)} (poids) ; {rule.texte()}"
    return Score(
        principe=principe,
        niveau=niveau,
        score=earned / total * 100 if total else None,
        points=earned,
        poids_total=total,
        comptees=[r.id for r in counted],
        exclues=[*excluded, *outside],
        effectifs=effectifs,
        explication=explication,
    )


def _excluded_words(excluded: list[Exclusion]) -> str:
    by_reason: dict[str, list[str]] = {}
    for e in excluded:
        by_reason.setdefault(e.raison, []).append(e.id)
    return " ; ".join(f"{reason} : {', '.join(ids)}" for reason, ids in by_reason.items())


def _either(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} ou {labels[-1]}"


def _fraction(value: Fraction) -> str:
    return (
        str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    )


def _number(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.2f}".rstrip("0")
