"""Pure orientation: which référentiels a profil calls for, and which profil questions they need."""

from __future__ import annotations

from collections.abc import Sequence

from cens_eval.errors import CensEvalError
from cens_eval.model.applicability import referentiel_applies
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.condition import leaves
from cens_eval.model.profil import Profil
from cens_eval.model.referentiel import Referentiel


def referentiels_for(
    catalogue: Catalogue, profil: Profil, wanted: Sequence[str] = ()
) -> list[Referentiel]:
    """The latest version of each référentiel named in ``wanted``, or of each one the profil calls for.

    Raises:
        CensEvalError: a named référentiel is unknown, or none applies to the profil.
    """
    if wanted:
        refs = []
        for ref_id in wanted:
            versions = catalogue.versions(ref_id)
            ref = catalogue.get(ref_id, versions[-1]) if versions else None
            if ref is None:
                known = ", ".join(catalogue.ids())
                raise CensEvalError(f"référentiel inconnu : {ref_id} (disponibles : {known})")
            refs.append(ref)
        return refs
    latest = {r.id: r for r in catalogue.referentiels if referentiel_applies(r, profil)}
    if not latest:
        raise CensEvalError("aucun référentiel ne s'applique à ce profil")
    return list(latest.values())  # the catalogue is sorted by version within an id


def unanswered(profil: Profil, referentiels: Sequence[Referentiel]) -> list[str]:
    """Profil questions the référentiels' conditions rely on that the profil does not answer."""
    needed: set[str] = set()
    for ref in referentiels:
        for condition in (ref.applicable_si, *(e.applicable_si for e in ref.exigences)):
            if condition is not None:
                needed.update(q for _, q, _ in leaves(condition))
    return sorted(needed - set(profil))
