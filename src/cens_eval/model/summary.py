"""Plain-data summaries of référentiels for listings (counts by level, principle and fidelity)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from cens_eval.model.referentiel import Referentiel
from cens_eval.model.vocabulary import Fidelite, Niveau, Principe


def referentiel_summary(ref: Referentiel) -> dict[str, Any]:
    """Id, version, title and counts of a référentiel, in a stable order."""
    niveaux = Counter(e.niveau for e in ref.exigences)
    principes = Counter(e.principe for e in ref.exigences)
    fidelites = Counter(e.fidelite for e in ref.exigences)
    return {
        "id": ref.id,
        "version": ref.version,
        "titre": ref.titre,
        "type": ref.type.value,
        "statut": ref.statut.value,
        "exigences": len(ref.exigences),
        "par_niveau": {n.value: niveaux[n] for n in Niveau},
        "par_principe": {p.value: principes[p] for p in Principe},
        "par_fidelite": {f.value: fidelites[f] for f in Fidelite},
    }
