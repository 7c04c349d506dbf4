"""Apply a review to a verified dossier folder, and verify a reviewed folder (reads via the loader)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from cens_eval.constants import REVIEW_DIR
from cens_eval.dossier.verify import verify_dossier
from cens_eval.errors import IntegrityError, Problem
from cens_eval.loader.dossier import read_dossier, read_reviewed
from cens_eval.loader.evidence import sha256_file
from cens_eval.loader.review import LoadedReview, load_review
from cens_eval.model.dossier import Empreinte
from cens_eval.model.review import DossierRevu
from cens_eval.render import REVIEW_FILE_NAMES, Format, render
from cens_eval.review.assess import apply_review


@dataclass(frozen=True)
class ReviewOutcome:
    """A review applied to a dossier folder."""

    dossier: DossierRevu
    review: LoadedReview
    dossier_dir: Path


def review_dossier(dossier_dir: Path | str, review_path: Path | str) -> ReviewOutcome:
    """Verify a dossier, load the review that names it, and apply it.

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
    return ReviewOutcome(apply_review(dossier, loaded.revue, source), loaded, folder)


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
