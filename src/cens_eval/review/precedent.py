"""A dossier to review, followed from the previous reviewed dossier of the same solution.

The evaluator who reviewed version 4.2 of a solution receives 4.3: each exigence unchanged since
the review of 4.2 (same outcome, same declaration, justification, engagement and preuves, dates
included, as the diff of the two verified dossiers says) is marked, with the avis it was given,
so that the evaluator focuses on what changed. The previous avis is a suggestion, never a
given: the new review still asks an avis on every exigence.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from cens_eval.engine.evolution import not_comparable
from cens_eval.errors import CensEvalError, LoadError
from cens_eval.loader.dossier import read_dossier, read_reviewed, reviewed_parts
from cens_eval.model.dossier import ExigenceDossier
from cens_eval.model.evolution import NatureEvolution, RevueAnterieure, SuiviExigence
from cens_eval.review.batch_evolution import version_key as _version_key
from cens_eval.review.evolution import diff_dossiers


def follow_previous(precedent: Path | str, dossier_dir: Path | str) -> RevueAnterieure:
    """Each exigence of the dossier in ``dossier_dir`` as it stands since the reviewed ``precedent``.

    Both folders are verified (:func:`diff_dossiers`): an altered one is refused, and so is a
    dossier of another solution.

    Raises:
        LoadError: ``precedent`` is not a reviewed copy, either folder cannot be read or was
            altered, or the two are not two submissions of one solution.
    """
    folder = Path(precedent)
    if not folder.is_dir() or not reviewed_parts(folder):
        raise LoadError.at(
            str(precedent),
            "",
            "le dossier précédent doit être une copie revue (écrite par « review apply ») : "
            "aucune revue.json",
        )
    evolution = diff_dossiers(precedent, dossier_dir)
    previous = read_reviewed(folder)[0]
    current = read_dossier(Path(dossier_dir))[0]
    changed = {
        (c.referentiel, c.id): c
        for c in evolution.exigences
        if c.nature is not NatureEvolution.RETIRE
    }
    before = {(r.id, e.id): e for r in previous.resultats for e in r.exigences}
    avis = {(e.referentiel, e.id): e for r in previous.revue.referentiels for e in r.exigences}
    followed = []
    for r in current.resultats:
        for e in r.exigences:
            change = changed.get((r.id, e.id))
            old_id = change.ancien_id if change is not None and change.ancien_id else e.id
            old = before.get((r.id, old_id))
            given = avis.get((r.id, old_id))
            unchanged = change is None and old is not None and _same(old, e)
            followed.append(
                SuiviExigence(
                    referentiel=r.id,
                    id=e.id,
                    inchangee=unchanged,
                    nature=change.nature if change is not None else None,
                    causes=change.causes if change is not None else [],
                    avis=given.avis if given else None,
                    commentaire=given.commentaire if given else None,
                    resultat_evalue=given.resultat_evalue if given else None,
                )
            )
    return RevueAnterieure(
        dossier=str(precedent),
        solution_version=previous.solution.version,
        as_of=previous.as_of,
        evaluateur=previous.revue.evaluateur.nom,
        date_revue=previous.revue.date,
        exigences=followed,
    )


def _same(old: ExigenceDossier, new: ExigenceDossier) -> bool:
    """Same outcome and same answer: declaration, justification, engagement, preuves and dates."""
    return (
        old.resultat == new.resultat
        and old.statut_declare == new.statut_declare
        and old.justification == new.justification
        and old.engagement == new.engagement
        and [p.model_dump() for p in old.preuves] == [p.model_dump() for p in new.preuves]
    )


def previous_submission(folder: Path, candidates: Iterable[Path]) -> Path | None:
    """The latest earlier submission of the same solution among ``candidates``, or None.

    Earlier: an earlier evaluation date, or the same date and an earlier solution version. Only
    the folders' ``dossier.json`` are read here (one that cannot be read is passed over); the
    comparison itself verifies both (:func:`diff_dossiers`). A copy of the same dossier (its
    reviewed copy) is never its own predecessor; among copies of one, a reviewed one is chosen.
    """
    current, raw = read_dossier(folder)
    here = (current.as_of, _version_key(current.solution.version))
    best: tuple[tuple[object, ...], Path] | None = None
    for candidate in candidates:
        if candidate.resolve() == folder.resolve():
            continue
        try:
            other, other_raw = read_dossier(candidate)
        except (CensEvalError, OSError, ValueError):
            continue
        when = (other.as_of, _version_key(other.solution.version))
        if other_raw == raw or not_comparable(other, current) is not None or not when < here:
            continue
        rank = (*when, reviewed_parts(candidate), candidate.name)
        if best is None or rank > best[0]:
            best = (rank, candidate)
    return best[1] if best else None
