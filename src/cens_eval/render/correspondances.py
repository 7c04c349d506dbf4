"""The correspondences between référentiels as text lines and as JSON data."""

from __future__ import annotations

from typing import Any

from cens_eval.model.correspondances import (
    CHOIX_DU_PROJET,
    RELATION_SYMBOLS,
    CorrespondancesReferentiels,
    Lien,
    Relation,
)

_COUNT_LABELS = {
    Relation.EQUIVALENTE: ("équivalence", "équivalences"),
    Relation.INCLUSE: ("inclusion", "inclusions"),
    Relation.ENGLOBANTE: ("englobement", "englobements"),
    Relation.RECOUPEMENT: ("recoupement", "recoupements"),
}


def _source(lien: Lien) -> str:
    if isinstance(lien.source, str):
        return CHOIX_DU_PROJET
    return f"{lien.source.titre}, {lien.source.localisation}" + (
        f" ({lien.source.url})" if lien.source.url else ""
    )


def reprise_possible(lien: Lien) -> bool:
    """Whether one exigence of the link may take its answer from the other (not a partial link)."""
    return lien.relation is not Relation.RECOUPEMENT


def correspondances_text(corr: CorrespondancesReferentiels, fichier: str) -> list[str]:
    """The links grouped by pair of référentiels, each with its relation, reason and source."""
    versions = ", ".join(f"{r.id} {r.version}" for r in corr.referentiels)
    lines = [corr.titre, f"{fichier} — référentiels : {versions}", ""]
    groups: dict[tuple[str, str], list[Lien]] = {}
    for lien in corr.liens:
        pair = (lien.exigence.referentiel, lien.comparee_a.referentiel)
        groups.setdefault(tuple(sorted(pair)), []).append(lien)  # type: ignore[arg-type]
    for (a, b), liens in sorted(groups.items()):
        lines.append(f"{a} ↔ {b} ({len(liens)} lien{'s' if len(liens) > 1 else ''})")
        for lien in liens:
            lines += [
                f"  {RELATION_SYMBOLS[lien.relation]} {lien.lu()}",
                f"      {lien.justification}",
                f"      source : {_source(lien)}",
            ]
        lines.append("")
    counts = {r: sum(1 for lien in corr.liens if lien.relation is r) for r in Relation}
    parts = [f"{n} {_COUNT_LABELS[r][n > 1]}" for r, n in counts.items() if n]
    reuse = sum(1 for lien in corr.liens if reprise_possible(lien))
    lines.append(
        f"{len(corr.liens)} liens vérifiés ({', '.join(parts)}) ; {reuse} permettent de reprendre "
        "une réponse, les recoupements ne font que la pré-remplir."
    )
    return lines


def correspondances_data(corr: CorrespondancesReferentiels) -> dict[str, Any]:
    """The checked file as JSON data, with the count of links per relation."""
    data = corr.model_dump(mode="json", exclude_none=True)
    data["par_relation"] = {
        r.value: sum(1 for lien in corr.liens if lien.relation is r) for r in Relation
    }
    return data
