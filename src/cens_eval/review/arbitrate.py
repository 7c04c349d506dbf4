"""Arbitrate independent reviews of a verified dossier (reads via the loader; see :mod:`.arbitration`)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cens_eval.constants import REVIEW_DIR
from cens_eval.errors import Problem
from cens_eval.loader.arbitration import LoadedArbitration, load_arbitration
from cens_eval.loader.dossier import read_dossier
from cens_eval.loader.review import LoadedReview
from cens_eval.model.arbitration import DossierArbitre
from cens_eval.model.dossier import Empreinte
from cens_eval.render import REVIEW_FILE_NAMES, Format, render
from cens_eval.review.arbitration import apply_arbitration, disputed, evaluator_dir
from cens_eval.review.compare import compare_dossier_reviews
from cens_eval.review.seal import earlier_reviews, reviewed_copy


@dataclass(frozen=True)
class ArbitrationOutcome:
    """Independent reviews of a dossier arbitrated: the final reviewed dossier and its sources."""

    dossier: DossierArbitre
    arbitration: LoadedArbitration
    reviews: list[LoadedReview]
    dossier_dir: Path
    warnings: list[Problem]
    """The comparison's warnings (exigences without avis, one evaluator named twice)."""


def arbitrate_dossier(
    dossier_dir: Path | str,
    review_paths: Sequence[Path | str],
    arbitration_path: Path | str,
    today: dt.date | None = None,
) -> ArbitrationOutcome:
    """Verify a dossier (or a reviewed copy), compare its independent reviews, apply the arbitration.

    Args:
        dossier_dir: the dossier folder the reviews and the arbitration name by hash.
        review_paths: the independent review files, at least two, in the order they are numbered.
        arbitration_path: the arbitration file (YAML or JSON) deciding every disagreement.
        today: the caller's date; an arbitration dated after it is a warning.

    Raises:
        IntegrityError: the dossier was changed since it was produced.
        LoadError: a review or the arbitration is invalid (every located problem at once).
        ValueError: fewer than two reviews.
    """
    folder = Path(dossier_dir)
    compared = compare_dossier_reviews(folder, review_paths)  # verifies the dossier first
    loaded = compared.reviews
    dossier, raw = read_dossier(folder)
    digest = hashlib.sha256(raw).hexdigest()
    arbitration = load_arbitration(
        arbitration_path, dossier, digest, *disputed(compared.comparaison)
    )
    sources = [
        Empreinte(
            fichier=f"{evaluator_dir(i, one.revue.evaluateur.nom)}/{one.path.name}",
            sha256=one.sha256,
        )
        for i, one in enumerate(loaded, start=1)
    ]
    reviewed = apply_arbitration(
        dossier,
        [(one.revue, source) for one, source in zip(loaded, sources, strict=True)],
        arbitration.arbitrage,
        Empreinte(fichier=f"{REVIEW_DIR}/{arbitration.path.name}", sha256=arbitration.sha256),
        historique=earlier_reviews(folder),
    )
    warnings = list(compared.warnings)
    if today is not None and arbitration.arbitrage.date > today:
        warnings.append(
            arbitration.problem(
                ("date",),
                f"date d'arbitrage {arbitration.arbitrage.date:%d/%m/%Y} postérieure à "
                f"aujourd'hui ({today:%d/%m/%Y}) : à vérifier",
                warning=True,
            )
        )
    if reviewed.revue.sans_avis:
        warnings.append(
            Problem(
                str(arbitration.path),
                "",
                f"{len(reviewed.revue.sans_avis)} exigence(s) sans avis dans la revue finale, "
                "pas d'avis final possible : " + ", ".join(reviewed.revue.sans_avis),
                warning=True,
            )
        )
    return ArbitrationOutcome(reviewed, arbitration, list(loaded), folder, warnings)


def arbitrated_folder_files(
    outcome: ArbitrationOutcome, formats: Iterable[Format] = tuple(Format)
) -> tuple[dict[str, bytes], dict[str, tuple[Path, str]]]:
    """The files of the arbitrated copy: generated (sealed) and copied (source, SHA-256).

    Each independent review goes to ``revue/evaluateurs/N-<nom>/``, the arbitration file to
    ``revue/``; the review's seal covers them all.
    """
    rendered = {REVIEW_FILE_NAMES[f]: render(outcome.dossier, f) for f in formats}
    arbitration = outcome.arbitration
    extra = {
        revue.fichier.fichier: (one.path, one.sha256)
        for revue, one in zip(outcome.dossier.revue.arbitrage.revues, outcome.reviews, strict=True)
    }
    files, copies = reviewed_copy(
        outcome.dossier,
        rendered,
        outcome.dossier_dir,
        (arbitration.path, arbitration.sha256),
        also={rel: sha256 for rel, (_, sha256) in extra.items()},
    )
    return files, {**copies, **extra}


__all__ = ["ArbitrationOutcome", "arbitrate_dossier", "arbitrated_folder_files"]
