"""Read a dossier folder, apply a review to a verified one, verify a reviewed one (reads via the loader)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cens_eval.constants import REVIEW_DIR
from cens_eval.dossier.verify import verify_dossier
from cens_eval.errors import IntegrityError, LoadError, Problem
from cens_eval.loader.dossier import REVUE_JSON, read_dossier, read_reviewed
from cens_eval.loader.evidence import sha256_file
from cens_eval.loader.review import LoadedReview, load_review
from cens_eval.model.dossier import Dossier, Empreinte
from cens_eval.model.review import DossierRevu
from cens_eval.render import REVIEW_FILE_NAMES, Format, render
from cens_eval.review.assess import apply_review, validated_gaps


@dataclass(frozen=True)
class DossierFolder:
    """A dossier folder as read (not verified: see :func:`~cens_eval.verify_dossier`)."""

    folder: Path
    dossier: Dossier
    sha256: str
    """SHA-256 of its ``dossier.json``: the identity a review names (``dossier_sha256``)."""
    reviewed: DossierRevu | None
    """The reviewed dossier (``revue.json``) when the folder is a reviewed copy, else None."""


def read_dossier_folder(folder: Path | str) -> DossierFolder:
    """Read a dossier folder: its ``dossier.json``, that file's SHA-256, and its review if any.

    Raises:
        LoadError: the folder holds no readable dossier, or an unreadable ``revue.json``.
    """
    path = Path(folder)
    dossier, raw = read_dossier(path)
    reviewed = read_reviewed(path)[0] if os.path.lexists(path / REVUE_JSON) else None
    return DossierFolder(path, dossier, hashlib.sha256(raw).hexdigest(), reviewed)


@dataclass(frozen=True)
class ReviewOutcome:
    """A review applied to a dossier folder."""

    dossier: DossierRevu
    review: LoadedReview
    dossier_dir: Path
    warnings: list[Problem]
    """Exigences without avis, declarations validé without a mandatory preuve (located)."""


def review_dossier(dossier_dir: Path | str, review_path: Path | str) -> ReviewOutcome:
    """Verify a dossier, load the review that names it, and apply it.

    Args:
        dossier_dir: the dossier folder (as ``evaluate -o`` writes it).
        review_path: the review file (YAML, JSON or XLSX, as ``review init`` writes it, filled).

    Returns:
        The reviewed dossier (render it with :func:`~cens_eval.render`), the review as read, and
        the warnings to show the evaluator.

    Raises:
        IntegrityError: the dossier was changed since it was produced.
        LoadError: the dossier or the review cannot be read, or the review is invalid.
    """
    folder = Path(dossier_dir)
    verification = verify_dossier(folder)
    if not verification.intact:
        raise IntegrityError(verification.problems)
    dossier, raw = read_dossier(folder)
    loaded = load_review(review_path, dossier, hashlib.sha256(raw).hexdigest())
    source = Empreinte(fichier=f"{REVIEW_DIR}/{loaded.path.name}", sha256=loaded.sha256)
    try:
        reviewed = apply_review(dossier, loaded.revue, source)
    except ValueError as exc:  # pragma: no cover - the reader refuses these, located
        raise LoadError.at(str(loaded.path), "", str(exc)) from None
    gaps = [
        loaded.problem(("avis", ref, exigence, "avis"), why, warning=True)
        for ref, exigence, why in validated_gaps(dossier, loaded.revue)
    ]
    return ReviewOutcome(reviewed, loaded, folder, [*loaded.warnings, *gaps])


def verify_review(folder: Path) -> list[Problem]:
    """Problems of a reviewed dossier folder's review part (the dossier part is verified apart)."""
    recorded, raw = read_reviewed(folder)
    source = folder / recorded.revue.fichier.fichier
    if not source.is_file() or sha256_file(source)[0] != recorded.revue.fichier.sha256:
        return [Problem(str(source), "", "fichier de revue absent ou modifié")]
    dossier, dossier_raw = read_dossier(folder)
    loaded = load_review(source, dossier, hashlib.sha256(dossier_raw).hexdigest())
    rebuilt = apply_review(dossier, loaded.revue, recorded.revue.fichier)
    if render(rebuilt, Format.JSON) != raw:
        return [
            Problem(
                str(folder / REVIEW_FILE_NAMES[Format.JSON]),
                "",
                "ne correspond pas à la revue réappliquée : fichier modifié",
            )
        ]
    return []
