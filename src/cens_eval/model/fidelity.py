"""How close an exigence is to the official text: French labels, counts, and the gaps it affects."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from cens_eval.model.vocabulary import Fidelite

FIDELITE_LABELS: dict[Fidelite, str] = {
    Fidelite.OFFICIEL: "officiel",
    Fidelite.PARAPHRASE: "paraphrasé",
    Fidelite.RECONSTITUE: "reconstitué",
}

FIDELITE_DEFINITIONS: dict[Fidelite, str] = {
    Fidelite.OFFICIEL: "identifiant ou contenu lu dans une source officielle",
    Fidelite.PARAPHRASE: "sujet rapporté par une source secondaire",
    Fidelite.RECONSTITUE: "déduit des principes du CENS par cens-eval, faute de texte officiel public",
}


COUNTS_TITLE = "Fidélité au texte officiel des exigences évaluées"
"""What the counts per label are about, wherever they are shown beside a verdict."""


def fidelity_counts(labels: Iterable[Fidelite]) -> dict[Fidelite, int]:
    """How many exigences carry each label, every label present (0 included), in a fixed order."""
    counted = Counter(labels)
    return {f: counted[f] for f in Fidelite}


def counts_text(counts: Mapping[Fidelite, int]) -> str:
    """The counts as people read them: ``officiel 10 · paraphrasé 3 · reconstitué 8``."""
    return " · ".join(f"{FIDELITE_LABELS[f]} {counts.get(f, 0)}" for f in Fidelite)


def reconstituted(items: Iterable[tuple[str, Fidelite]]) -> list[str]:
    """The ids, in order, of the items (id, label) that rest on an exigence cens-eval reconstituted."""
    return [item_id for item_id, fidelite in items if fidelite is Fidelite.RECONSTITUE]


def reconstituted_caveat(gaps: Sequence[tuple[str, Fidelite]]) -> str | None:
    """The sentence saying how many blocking gaps rest on reconstituted exigences, or None.

    The one wording of this warning: the verdict's explanation and every renderer use it.

    Args:
        gaps: the blocking gaps (exigence id, fidelity label), in order.

    Returns:
        e.g. « 2 écarts bloquants, dont 2 sur des exigences reconstituées par cens-eval
        (ETH.12, ETH.30) : à confirmer avec le texte officiel »; None when no gap rests on one.
    """
    ids = reconstituted(gaps)
    if not ids:
        return None
    count = "1 écart bloquant" if len(gaps) == 1 else f"{len(gaps)} écarts bloquants"
    which = "une exigence reconstituée" if len(ids) == 1 else "des exigences reconstituées"
    return (
        f"{count}, dont {len(ids)} sur {which} par cens-eval ({', '.join(ids)}) : "
        "à confirmer avec le texte officiel"
    )
