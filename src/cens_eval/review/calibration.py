"""Calibration of evaluators across a batch (pure): agreement per pair, exigences most disputed.

An arbitrated dossier records, for every exigence its reviews compared, each evaluator's
assessed outcome (:func:`voices`). Pooling those over the dossiers a pair of evaluators both
reviewed gives the pair's agreement and Cohen's kappa (with its interval, as ``review
compare``); counting the exigences they assessed differently shows where a commission's
readers need aligning.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from fractions import Fraction

from cens_eval.model.arbitration import SectionRevueArbitree
from cens_eval.model.calibration import CalibrationPaire, ExigenceDisputee
from cens_eval.model.display import rounded
from cens_eval.model.review import SectionRevue
from cens_eval.model.vocabulary import Resultat
from cens_eval.review.agreement import COHEN_METHOD, cohen_variance, kappa_with_interval
from cens_eval.review.assess import cohen_kappa

Voices = tuple[tuple[str, Resultat], ...]
"""Each evaluator's assessed outcome of one exigence: (name, outcome), in review order."""
Observed = tuple[str, str, str, Voices]
"""(référentiel, exigence, libellé, voices) of one exigence compared in one dossier."""
_Key = tuple[str, str]


def voices(section: SectionRevue) -> dict[_Key, Voices]:
    """Each compared exigence's outcome per evaluator, for an arbitrated review; else nothing.

    Exigences some review leaves without avis are not compared, hence not listed.
    """
    if not isinstance(section, SectionRevueArbitree):
        return {}
    a = section.arbitrage
    names = [r.evaluateur for r in a.revues]
    left = {(n.referentiel, n.id) for n in a.non_comparees}
    disputed = {(d.referentiel, d.id): d for d in a.decisions if d.desaccord}
    found: dict[_Key, Voices] = {}
    for ref in section.referentiels:
        for e in ref.exigences:
            key = (ref.id, e.id)
            if key in left:
                continue
            if key in disputed:
                found[key] = tuple((x.evaluateur, x.resultat_evalue) for x in disputed[key].avis)
            else:  # compared and agreed: every evaluator gave the final outcome
                found[key] = tuple((name, e.resultat_evalue) for name in names)
    return found


def calibrate(
    dossiers: Sequence[Sequence[Observed]],
) -> tuple[list[CalibrationPaire], list[ExigenceDisputee]]:
    """Each pair of evaluators' agreement, and the exigences most often disputed.

    A pair's agreement pools the dossiers both reviewed; the exigences disputed count every
    dossier (most often first, as the pair's own).

    Args:
        dossiers: for each arbitrated dossier (counted once), its compared exigences.
    """
    pairs: dict[_Key, list[tuple[Resultat, Resultat]]] = {}
    shared: dict[_Key, int] = {}
    by_pair: dict[_Key, dict[_Key, list[int]]] = {}
    overall: dict[_Key, list[int]] = {}
    labels: dict[_Key, str] = {}
    for observed in dossiers:
        met: set[_Key] = set()
        for ref, exigence, libelle, said in observed:
            key = (ref, exigence)
            labels.setdefault(key, libelle)
            _count(overall, key, len({outcome for _, outcome in said}) > 1)
            for first, second in itertools.combinations(said, 2):
                if first[0].casefold() == second[0].casefold():
                    continue  # one evaluator named twice: not a pair
                (a, x), (b, y) = sorted((first, second), key=lambda v: v[0].casefold())
                pairs.setdefault((a, b), []).append((x, y))
                _count(by_pair.setdefault((a, b), {}), key, x is not y)
                met.add((a, b))
        for pair in met:
            shared[pair] = shared.get(pair, 0) + 1
    calibration = [
        _pair(names, outcomes, shared[names], _disputed(by_pair[names], labels))
        for names, outcomes in sorted(pairs.items(), key=lambda p: [n.casefold() for n in p[0]])
    ]
    return calibration, _disputed(overall, labels)


def _count(tally: dict[_Key, list[int]], key: _Key, differ: bool) -> None:
    counts = tally.setdefault(key, [0, 0])
    counts[0] += 1
    counts[1] += differ


def _disputed(tally: dict[_Key, list[int]], labels: dict[_Key, str]) -> list[ExigenceDisputee]:
    found = [
        ExigenceDisputee(
            referentiel=ref,
            exigence=exigence,
            libelle=labels[(ref, exigence)],
            dossiers=n,
            desaccords=d,
        )
        for (ref, exigence), (n, d) in tally.items()
        if d
    ]
    found.sort(
        key=lambda e: (
            -e.desaccords,
            Fraction(-e.desaccords, e.dossiers),
            e.referentiel,
            e.exigence,
        )
    )
    return found


def _pair(
    names: _Key,
    outcomes: Sequence[tuple[Resultat, Resultat]],
    dossiers: int,
    disputees: list[ExigenceDisputee],
) -> CalibrationPaire:
    observed, kappa = cohen_kappa(outcomes)
    variance = cohen_variance(outcomes)
    return CalibrationPaire(
        evaluateurs=names,
        dossiers=dossiers,
        exigences=len(outcomes),
        concordantes=sum(1 for x, y in outcomes if x is y),
        pourcentage=rounded(observed * 100) if observed is not None else None,
        kappa=(
            kappa_with_interval(kappa, variance, COHEN_METHOD)
            if kappa is not None and variance is not None
            else None
        ),
        disputees=disputees,
    )
