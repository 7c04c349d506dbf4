"""What the correspondence file lets one answer do for another exigence (pure).

An exigence A may take the answer of an exigence B through a *full* link — A équivalente à B,
or A incluse dans B (B asks all A asks): whoever meets B meets A. Any other link between them —
a recoupement, or B incluse dans A — is *partial*: B's answer only pre-fills A's, and counts
once the éditeur confirms it holds for A.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from cens_eval.model.correspondances import (
    RELATION_LABELS,
    CorrespondancesReferentiels,
    Lien,
    Relation,
)
from cens_eval.model.vocabulary import Statut


@dataclass(frozen=True)
class LienReprise:
    """A link read from the exigence taking an answer (cible) to the one giving it (source)."""

    lien: Lien
    complete: bool
    """A full link: the source's answer counts for the cible without confirmation."""
    relation: str
    """The relation read from the cible: « équivalente à », « incluse dans »…"""


_REVERSED = {
    Relation.EQUIVALENTE: Relation.EQUIVALENTE,
    Relation.INCLUSE: Relation.ENGLOBANTE,
    Relation.ENGLOBANTE: Relation.INCLUSE,
    Relation.RECOUPEMENT: Relation.RECOUPEMENT,
}
_FULL = (Relation.EQUIVALENTE, Relation.INCLUSE)
"""Relations, read from the cible, through which the source's answer counts for the cible."""


def lien_reprise(
    corr: CorrespondancesReferentiels, cible: tuple[str, str], source: tuple[str, str]
) -> LienReprise | None:
    """The link between two exigences read from the cible, or None when the file has none."""
    for lien in corr.liens:
        a = (lien.exigence.referentiel, lien.exigence.exigence)
        b = (lien.comparee_a.referentiel, lien.comparee_a.exigence)
        if (a, b) in ((cible, source), (source, cible)):
            relation = lien.relation if a == cible else _REVERSED[lien.relation]
            return LienReprise(lien, relation in _FULL, RELATION_LABELS[relation])
    return None


@dataclass(frozen=True)
class RepriseProposee:
    """An answer ``questionnaire init`` writes by reference: the cible, its source, the link."""

    cible: tuple[str, str]
    source: tuple[str, str]
    lien: LienReprise


def reprises_proposees(
    corr: CorrespondancesReferentiels, en_perimetre: Sequence[tuple[str, str]]
) -> list[RepriseProposee]:
    """Which in-scope exigences may take their answer from another, for a new questionnaire.

    Full links first, then partial ones (to pre-fill): each exigence, in the order given,
    takes from the first exigence of another référentiel it is so linked to — provided it
    gives no answer itself and its source takes none, so that every answer is written once.
    """
    chosen: dict[tuple[str, str], RepriseProposee] = {}
    sources: set[tuple[str, str]] = set()
    for complete in (True, False):
        for cible in en_perimetre:
            if cible in chosen or cible in sources:
                continue
            for source in en_perimetre:
                if source[0] == cible[0] or source in chosen:
                    continue
                found = lien_reprise(corr, cible, source)
                if found is not None and found.complete is complete:
                    chosen[cible] = RepriseProposee(cible, source, found)
                    sources.add(source)
                    break
    return [chosen[key] for key in en_perimetre if key in chosen]


T = TypeVar("T")

STATUT_RANK: dict[Statut | None, int] = {
    None: 0,
    Statut.NON_CONFORME: 1,
    Statut.PARTIELLEMENT_CONFORME: 2,
    Statut.NON_APPLICABLE: 3,
    Statut.CONFORME: 4,
}
"""How restrictive a statut is (lower: more): with several sources, the lowest wins."""


def plus_restrictive(items: Sequence[T], statut: Callable[[T], Statut | None]) -> T:
    """The item whose statut is the most restrictive (the first one on a tie)."""
    return min(items, key=lambda item: STATUT_RANK[statut(item)])
