"""Dossiers over time in a batch: preuves soon to expire, and successive submissions linked.

A batch may hold several submissions of one solution (same éditeur, SIREN and solution): each
is linked to the next one, older first, with what changed between them (:func:`diff_dossiers`,
both verified again). Dates are the dossiers' own evaluation dates, never the clock.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from pathlib import Path

from cens_eval.errors import CensEvalError
from cens_eval.model.batch import EvolutionLot, Integrite, LigneDossier, PreuveARenouveler
from cens_eval.model.dossier import Dossier
from cens_eval.model.evolution import EvolutionDossier, NatureEvolution
from cens_eval.model.vocabulary import VERDICT_LABELS
from cens_eval.review.evolution import diff_dossiers


def dated_preuves(d: Dossier) -> list[PreuveARenouveler]:
    """Every dated preuve with a maximum age still valid at the dossier's date, soonest first."""
    found = [
        PreuveARenouveler(
            referentiel=f"{r.id} {r.version}",
            exigence=e.id,
            preuve=a.attendue,
            datee_du=a.datee_du,
            age_max=a.age_max,
            valable_jusqu_au=a.valable_jusqu_au,
            jours_restants=(a.valable_jusqu_au - d.as_of).days,
        )
        for r in d.resultats
        for e in r.exigences
        for a in e.ages
        if not a.expiree
    ]
    return sorted(found, key=lambda p: (p.valable_jusqu_au, p.referentiel, p.exigence, p.preuve))


def expiring_within(preuves: Sequence[PreuveARenouveler], days: int) -> list[PreuveARenouveler]:
    """The preuves whose last valid day is at most ``days`` days after the evaluation date.

    The boundary is included: with 30 days, a preuve valid until the 30th day after the
    evaluation date is listed; one valid a day longer is not.
    """
    return [p for p in preuves if p.jours_restants <= days]


def evolution_summary(evolution: EvolutionDossier) -> tuple[dict[str, int], list[str]]:
    """How many exigences changed per class (in the classes' order), and the verdicts that changed."""
    counts = {
        nature.value: n
        for nature in NatureEvolution
        if (n := sum(1 for c in evolution.exigences if c.nature is nature))
    }
    verdicts = [
        f"{v.referentiel} : {VERDICT_LABELS[v.avant] if v.avant else '—'} → "
        f"{VERDICT_LABELS[v.apres] if v.apres else '—'}"
        + (f" ({', '.join(v.exigences)})" if v.exigences else "")
        for v in evolution.verdicts
    ]
    return counts, verdicts


def link_submissions(rows: Sequence[LigneDossier]) -> list[EvolutionLot]:
    """Link the intact submissions of one solution, each to the next, with what changed.

    Submissions are ordered by evaluation date, then solution version, then folder. Two
    submissions that cannot be compared (one altered since the batch read it…) are still
    linked, with why.
    """
    groups: dict[tuple[str | None, str | None, str | None], list[LigneDossier]] = {}
    for row in rows:
        if row.integrite is Integrite.INTACT and row.date_evaluation is not None:
            groups.setdefault((row.editeur, row.siren, row.solution), []).append(row)
    links = []
    for members in groups.values():
        members.sort(key=lambda r: (r.date_evaluation, version_key(r.version), r.chemin))
        for older, newer in itertools.pairwise(members):
            links.append(_link(older, newer))
    return sorted(links, key=lambda link: (Path(link.ancien), Path(link.nouveau)))


def _link(older: LigneDossier, newer: LigneDossier) -> EvolutionLot:
    assert older.date_evaluation is not None and newer.date_evaluation is not None
    link = EvolutionLot(
        ancien=older.chemin,
        nouveau=newer.chemin,
        version_ancienne=older.version or "",
        version_nouvelle=newer.version or "",
        date_ancienne=older.date_evaluation,
        date_nouvelle=newer.date_evaluation,
    )
    try:
        evolution = diff_dossiers(older.chemin, newer.chemin)
    except (CensEvalError, OSError, ValueError) as exc:
        text = str(exc).splitlines()
        return link.model_copy(update={"raison": text[0] if text else type(exc).__name__})
    except Exception as exc:  # a bug, not the dossiers' fault: the link says so, the batch goes on
        why = f"défaut interne de cens-eval pendant la comparaison ({type(exc).__name__}) : à signaler"
        return link.model_copy(update={"raison": why})
    counts, verdicts = evolution_summary(evolution)
    return link.model_copy(
        update={"identiques": evolution.identiques, "changements": counts, "verdicts": verdicts}
    )


def version_key(version: str | None) -> tuple[tuple[int, int | str], ...]:
    """A solution version ordered naturally: 4.10 after 4.9."""
    parts = re.findall(r"\d+|[^\d.]+", version or "")
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


__all__ = [
    "dated_preuves",
    "evolution_summary",
    "expiring_within",
    "link_submissions",
    "version_key",
]
