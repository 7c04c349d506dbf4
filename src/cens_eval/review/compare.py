"""Compare independent reviews of a verified dossier (reads via the loader; see :mod:`.agreement`)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cens_eval.errors import IntegrityError, LoadError, Problem
from cens_eval.loader.dossier import read_dossier
from cens_eval.loader.review import LoadedReview, load_review
from cens_eval.model.comparison import Comparaison
from cens_eval.model.dossier import Dossier, Empreinte
from cens_eval.review.agreement import compare_reviews
from cens_eval.review.assess import apply_review
from cens_eval.review.seal import verify_dossier


@dataclass(frozen=True)
class ComparisonOutcome:
    """Reviews of one dossier compared."""

    comparaison: Comparaison
    dossier: Dossier
    warnings: list[Problem]
    """Exigences without avis in a review, one evaluator named in two reviews (located)."""
    reviews: tuple[LoadedReview, ...] = ()
    """The reviews as read, in the order given."""


def compare_dossier_reviews(
    dossier_dir: Path | str, review_paths: Sequence[Path | str]
) -> ComparisonOutcome:
    """Verify a dossier (or a reviewed copy), load two or more reviews of it, and compare them.

    Args:
        dossier_dir: the dossier folder the reviews name by the SHA-256 of its ``dossier.json``.
        review_paths: the review files (YAML, JSON or XLSX), at least two, in the order in which
            they are numbered.

    Raises:
        IntegrityError: the dossier was changed since it was produced.
        LoadError: the dossier cannot be read, or a review is invalid, names another dossier,
            or is given twice (every problem of every review at once).
        ValueError: fewer than two reviews.
    """
    if len(review_paths) < 2:
        raise ValueError("au moins deux revues sont nécessaires pour les comparer")
    folder = Path(dossier_dir)
    verification = verify_dossier(folder)
    if not verification.intact:
        raise IntegrityError(verification.problems)
    dossier, raw = read_dossier(folder)
    digest = hashlib.sha256(raw).hexdigest()
    loaded: list[LoadedReview] = []
    problems: list[Problem] = []
    for path in review_paths:
        try:
            loaded.append(load_review(path, dossier, digest))
        except LoadError as exc:
            problems += exc.problems
    problems += _repeated(loaded)
    if problems:
        raise LoadError(problems)
    reviewed = [
        apply_review(dossier, one.revue, Empreinte(fichier=str(one.path), sha256=one.sha256))
        for one in loaded
    ]
    warnings = [
        Problem(
            str(one.path),
            "",
            f"{len(one.sans_avis)} exigence(s) sans avis, non comparée(s) : "
            + ", ".join(one.sans_avis),
            warning=True,
        )
        for one in loaded
        if one.sans_avis
    ]
    warnings += _same_evaluator(loaded)
    return ComparisonOutcome(compare_reviews(reviewed), dossier, warnings, tuple(loaded))


def _repeated(loaded: Sequence[LoadedReview]) -> list[Problem]:
    """The same review file given twice (same bytes): comparing it with itself measures nothing."""
    seen: dict[str, Path] = {}
    problems = []
    for one in loaded:
        if one.sha256 in seen:
            problems.append(
                Problem(
                    str(one.path),
                    "",
                    f"même fichier de revue que {seen[one.sha256]} (même SHA-256) : "
                    "une revue ne se compare pas à elle-même",
                )
            )
        else:
            seen[one.sha256] = one.path
    return problems


def _same_evaluator(loaded: Sequence[LoadedReview]) -> list[Problem]:
    """A warning for each review signed by an evaluator already named in an earlier one."""
    seen: dict[str, Path] = {}
    warnings = []
    for one in loaded:
        name = one.revue.evaluateur.nom
        if name.casefold() in seen:
            warnings.append(
                one.problem(
                    ("evaluateur", "nom"),
                    f"même évaluateur ({name}) que {seen[name.casefold()]} : des revues "
                    "indépendantes sont faites par des évaluateurs différents",
                    warning=True,
                )
            )
        else:
            seen[name.casefold()] = one.path
    return warnings
