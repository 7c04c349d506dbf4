"""Plain-data summaries of référentiels for listings (counts by level, principle and fidelity)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from cens_eval.model.fidelity import fidelity_counts
from cens_eval.model.referentiel import EnTete, Referentiel
from cens_eval.model.vocabulary import Niveau, Principe


def publication_text(ref: EnTete) -> str:
    """When the version was published, saying which date it is (Journal officiel or arrêté)."""
    published, signed = ref.date_publication, ref.date_arrete
    if published and signed:
        return f"{published:%d/%m/%Y} (Journal officiel ; arrêté du {signed:%d/%m/%Y})"
    if published:
        return f"{published:%d/%m/%Y}"
    if signed:
        return f"arrêté du {signed:%d/%m/%Y} (date au Journal officiel non trouvée)"
    return "inconnue"


def last_source_check(ref: Referentiel) -> dt.date | None:
    """When the project last read one of the référentiel's sources (None: never recorded)."""
    return max((s.consulte_le for s in ref.sources if s.consulte_le), default=None)


def referentiel_summary(ref: Referentiel) -> dict[str, Any]:
    """Id, version, title and counts of a référentiel, in a stable order (JSON-ready values)."""
    niveaux = Counter(e.niveau for e in ref.exigences)
    principes = Counter(e.principe for e in ref.exigences)
    checked = last_source_check(ref)
    return {
        "id": ref.id,
        "version": ref.version,
        "titre": ref.titre,
        "type": ref.type.value,
        "statut": ref.statut.value,
        "exigences": len(ref.exigences),
        "par_niveau": {n.value: niveaux[n] for n in Niveau},
        "par_principe": {p.value: principes[p] for p in Principe},
        "par_fidelite": {
            f.value: n for f, n in fidelity_counts(e.fidelite for e in ref.exigences).items()
        },
        "sources_verifiees_le": checked.isoformat() if checked else None,
    }
