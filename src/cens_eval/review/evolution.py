"""Compare two sealed dossiers of one solution: both verified first, then every change explained."""

from __future__ import annotations

from pathlib import Path

from cens_eval.constants import REFERENTIELS_DIR
from cens_eval.engine.evolution import compare_dossiers, not_comparable, side
from cens_eval.errors import LoadError, Problem
from cens_eval.loader.referentiels import load_catalogue
from cens_eval.model.evolution import EvolutionDossier
from cens_eval.review.seal import verify_dossier


def diff_dossiers(ancien: Path | str, nouveau: Path | str) -> EvolutionDossier:
    """What changed from the dossier folder ``ancien`` to ``nouveau``, each change with its causes.

    Both folders are verified first (seal, hashes, re-evaluation; a reviewed copy's review too):
    a dossier changed after it was sealed is never compared.

    Raises:
        LoadError: a folder cannot be read, was altered after its seal, or the two dossiers are
            not two submissions of one solution (éditeur, SIREN and solution differ).
    """
    checks = [verify_dossier(folder) for folder in (ancien, nouveau)]
    altered = [
        Problem(p.file, p.where, f"dossier altéré, comparaison refusée : {p.message}")
        for check in checks
        for p in check.problems
    ]
    if altered:
        raise LoadError(altered)
    before, after = checks[0].dossier, checks[1].dossier
    why = not_comparable(before, after)
    if why is not None:
        raise LoadError.at(str(nouveau), "", f"{why} (comparé à {ancien})")
    catalogues = [load_catalogue(check.directory / REFERENTIELS_DIR) for check in checks]
    refs = tuple(
        {
            (r.id, r.version): ref
            for r in check.dossier.referentiels
            if (ref := cat.get(r.id, r.version))
        }
        for check, cat in zip(checks, catalogues, strict=True)
    )
    return compare_dossiers(
        before,
        after,
        (refs[0], refs[1]),
        (side(before, str(ancien), checks[0].sha256), side(after, str(nouveau), checks[1].sha256)),
    )
