"""Pure scoring: the result of one exigence, the score figures and the blocking gaps of a référentiel.

Credit per outcome (a claim without its required evidence never counts as fully met):
conforme 1; partiellement conforme and preuves manquantes 1/2; non conforme, sans réponse
and non applicable non justifié 0; non applicable justifié is excluded from every figure.

Figures are exact. Weights are scaled once to integers (:class:`Poids`), counted per level,
principle and outcome in integers (:class:`Tally`), and each figure becomes a single
Fraction at the end.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import compress
from typing import Protocol

from cens_eval.outcome import Regle, explain, outcome
from cens_eval.questionnaire import Reponse
from cens_eval.referentiel import Exigence
from cens_eval.results import CREDIT, MET, Blocage, Exclusion, ResultatExigence, Score
from cens_eval.vocabulary import (
    PRINCIPE_LABELS,
    RESULTAT_LABELS,
    Niveau,
    Portee,
    Principe,
    Resultat,
)

RESULTATS: tuple[Resultat, ...] = tuple(Resultat)
"""Outcomes in their reporting order; an outcome's position is its code in a :class:`Tally`."""
CODE: dict[Resultat, int] = {res: i for i, res in enumerate(RESULTATS)}
_HALVES = tuple(int(CREDIT[res] * 2) for res in RESULTATS)
_EXCLUDED = CODE[Resultat.NON_APPLICABLE_JUSTIFIE]
_PRINCIPES = tuple(Principe)
_NIVEAUX = tuple(Niveau)
_WIDTH = len(RESULTATS)


def slot(niveau: Niveau, principe: Principe) -> int:
    """Where a (level, principle) pair starts in a :class:`Tally`; add the outcome's code."""
    return (_NIVEAUX.index(niveau) * len(_PRINCIPES) + _PRINCIPES.index(principe)) * _WIDTH


@dataclass(frozen=True, slots=True)
class Poids:
    """The weights of a sequence of exigences, scaled to integers and grouped by value.

    Most référentiels use one or two weights: counting per group keeps the per-exigence work
    in C (``compress``, ``Counter``) rather than in a Python loop.
    """

    scale: int
    """Every weight was multiplied by this to be an integer."""
    groups: tuple[tuple[int, tuple[bool, ...] | None], ...]
    """Each scaled weight, with which exigences have it (None: all of them)."""
    count: int

    @classmethod
    def of(cls, poids: Sequence[Decimal], scale: int | None = None) -> Poids:
        """Group the weights of a sequence of exigences; ``scale`` defaults to the smallest."""
        if scale is None:
            scale = weight_scale(poids)
        scaled = [int(p * scale) for p in poids]
        values = sorted(set(scaled))
        if len(values) <= 1:
            return cls(scale, tuple((v, None) for v in values), len(scaled))
        return cls(scale, tuple((v, tuple(w == v for w in scaled)) for v in values), len(scaled))


def weight_scale(poids: Iterable[Decimal]) -> int:
    """The smallest factor that makes every weight an integer."""
    return math.lcm(1, *(Fraction(p).denominator for p in poids))


def effective_level(exigence: Exigence, as_of: dt.date) -> Niveau:
    """A préconisation past its mandatory date is an exigence."""
    due = exigence.obligatoire_a_partir_du
    if exigence.niveau is Niveau.PRECONISATION and due is not None and due <= as_of:
        return Niveau.EXIGENCE
    return exigence.niveau


@dataclass(frozen=True, slots=True)
class Tally:
    """Weight and count of the exigences per (level, principle, outcome), weights scaled to integers."""

    scale: int
    poids: tuple[int, ...]
    effectifs: tuple[int, ...]

    @classmethod
    def count(cls, poids: Poids, slots: Iterable[int], codes: Iterable[int]) -> Tally:
        """Add up exigences given as parallel (slot, outcome code) sequences, weighted by ``poids``."""
        cells = list(map(operator.add, slots, codes))
        if len(cells) != poids.count:
            raise ValueError("une case par exigence pondérée attendue")
        weights = [0] * (len(_NIVEAUX) * len(_PRINCIPES) * _WIDTH)
        effectifs = [0] * len(weights)
        for weight, chosen in poids.groups:
            counted = Counter(cells if chosen is None else compress(cells, chosen))
            for cell, n in counted.items():
                effectifs[cell] += n
                weights[cell] += n * weight
        return cls(poids.scale, tuple(weights), tuple(effectifs))

    def figure(
        self, niveau: Niveau, principe: Principe | None
    ) -> tuple[Fraction, Fraction, dict[Resultat, int]]:
        """Points and total weight (exact), and the count per outcome, of one figure."""
        principes = _PRINCIPES if principe is None else (principe,)
        points = total = 0
        counts = [0] * _WIDTH
        for p in principes:
            base = slot(niveau, p)
            for code in range(_WIDTH):
                weight = self.poids[base + code]
                counts[code] += self.effectifs[base + code]
                if code != _EXCLUDED:
                    total += weight
                    points += weight * _HALVES[code]
        effectifs = {RESULTATS[c]: n for c, n in enumerate(counts) if n}
        return Fraction(points, 2 * self.scale), Fraction(total, self.scale), effectifs


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


def assess(
    referentiel_id: str,
    regle: Regle,
    portee: Portee,
    reponse: Reponse | None,
    niveau_effectif: Niveau,
    resultat: Resultat | None = None,
) -> ResultatExigence:
    """The result of one in-scope exigence, with its explanation.

    ``resultat`` is the outcome when the engine already has it; otherwise it is decided here.
    """
    if resultat is None:
        resultat = outcome(regle, reponse)
    exigence = regle.exigence
    explication, manquantes = explain(regle, portee, niveau_effectif, reponse, resultat)
    return ResultatExigence.model_construct(
        referentiel=referentiel_id,
        id=exigence.id,
        libelle=exigence.libelle,
        principe=exigence.principe,
        niveau=exigence.niveau,
        niveau_effectif=niveau_effectif,
        poids=exigence.poids,
        portee=portee,
        statut_declare=reponse.statut if reponse else None,
        resultat=resultat,
        satisfaite=resultat in MET,
        preuves_fournies=sorted({p.attendue for p in reponse.preuves}) if reponse else [],
        preuves_manquantes=manquantes,
        explication=explication,
        engagement=reponse.engagement if reponse else None,
    )


def score_figures(
    results: Sequence[Counted],
    hors_perimetre: Sequence[tuple[Exclusion, Niveau, Principe]] = (),
    tally: Tally | None = None,
) -> list[Score]:
    """Every figure of a référentiel: per level, the whole référentiel then each principle.

    A figure is the weighted share of credit over the counted exigences. ``tally`` is the
    engine's count of the same results, when it has one.
    """
    if tally is None:
        tally = Tally.count(
            Poids.of([r.poids for r in results]),
            (slot(r.niveau_effectif, r.principe) for r in results),
            (CODE[r.resultat] for r in results),
        )
    keys = [(n, p) for n in _NIVEAUX for p in (None, *_PRINCIPES)]
    ids: dict[tuple[Niveau, Principe | None], list[str]] = {key: [] for key in keys}
    excluded: dict[tuple[Niveau, Principe | None], list[Exclusion]] = {key: [] for key in keys}
    for r in results:
        own = ((r.niveau_effectif, None), (r.niveau_effectif, r.principe))
        if r.resultat is Resultat.NON_APPLICABLE_JUSTIFIE:
            for key in own:
                excluded[key].append(
                    Exclusion.model_construct(id=r.id, raison="non applicable justifié")
                )
        else:
            for key in own:
                ids[key].append(r.id)
    outside: dict[tuple[Niveau, Principe | None], list[Exclusion]] = {key: [] for key in keys}
    for exclusion, niveau, principe in hors_perimetre:
        outside[(niveau, None)].append(exclusion)
        outside[(niveau, principe)].append(exclusion)
    return [
        _figure(tally, n, p, ids[(n, p)], [*excluded[(n, p)], *outside[(n, p)]]) for n, p in keys
    ]


def _figure(
    tally: Tally,
    niveau: Niveau,
    principe: Principe | None,
    counted: list[str],
    exclues: list[Exclusion],
) -> Score:
    points, total, effectifs = tally.figure(niveau, principe)
    score = points / total * 100 if total else None
    scope = PRINCIPE_LABELS[principe] if principe else "ensemble du référentiel"
    kind = "exigences obligatoires" if niveau is Niveau.EXIGENCE else "préconisations"
    if score is None:
        explication = f"{scope}, {kind} : aucune exigence comptée"
    else:
        detail = ", ".join(f"{n} {RESULTAT_LABELS[res].lower()}" for res, n in effectifs.items())
        explication = (
            f"{scope}, {kind} : {len(counted)} comptée(s) ({detail}) ; "
            f"{_num(points)} points sur {_num(total)} (poids), conforme = 1, partiel ou preuves manquantes = 1/2"
        )
    return Score.model_construct(
        principe=principe,
        niveau=niveau,
        score=score,
        points=points,
        poids_total=total,
        comptees=counted,
        exclues=exclues,
        effectifs=effectifs,
        explication=explication,
    )


def _num(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.2f}".rstrip("0")


def blocking(results: list[ResultatExigence]) -> list[Blocage]:
    """Every mandatory exigence (at the evaluation date) that is not met."""
    return [
        Blocage.model_construct(
            id=r.id, libelle=r.libelle, resultat=r.resultat, raison=" ; ".join(r.explication)
        )
        for r in results
        if r.niveau_effectif is Niveau.EXIGENCE and not r.satisfaite
    ]
