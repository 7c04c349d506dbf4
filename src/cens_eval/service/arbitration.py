"""The arbitration operations: its template, and the arbitrated copy of a dossier, written atomically."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from cens_eval.render import Format
from cens_eval.render.arbitration_yaml import render_arbitration_yaml
from cens_eval.review.arbitrate import (
    ArbitrationOutcome,
    arbitrate_dossier,
    arbitrated_folder_files,
)
from cens_eval.review.compare import ComparisonOutcome, compare_dossier_reviews
from cens_eval.service.operations import write_review_folder
from cens_eval.service.signing import Signer

__all__ = [
    "arbitrate_dossier",
    "arbitration_template",
    "write_arbitrated_dossier",
]


def arbitration_template(
    dossier_dir: Path | str, review_paths: Sequence[Path | str], arbitre: str | None = None
) -> tuple[bytes, ComparisonOutcome]:
    """The arbitration file to fill for independent reviews of a dossier, and their comparison.

    It lists every disagreement (and every exigence some review leaves without avis) with
    what each evaluator said, for the arbitre to decide.

    Raises:
        IntegrityError: the dossier was changed since it was produced.
        LoadError: a review is invalid.
        ValueError: fewer than two reviews.
    """
    compared = compare_dossier_reviews(dossier_dir, review_paths)
    data = render_arbitration_yaml(compared.comparaison, arbitre).encode()
    return data, compared


def write_arbitrated_dossier(
    out_dir: Path | str,
    outcome: ArbitrationOutcome,
    formats: Iterable[Format] = tuple(Format),
    *,
    force: bool = False,
    signer: Signer | None = None,
) -> tuple[str, ...]:
    """Write the arbitrated copy of a dossier, atomically.

    It holds the dossier as it was, the final review's renderings, the arbitration file,
    each independent review, and their seal. With ``signer`` (the arbitre, see
    :func:`cens_eval.service.signing.load_signer`), ``revue.pdf`` and the review's manifest,
    which covers every independent review and the arbitration file, are signed first, as
    :func:`cens_eval.service.operations.write_reviewed_dossier` signs a single review.

    Returns:
        The names of the review's renderings written (``revue.json``…), sorted.

    Raises:
        OutputError: the folder exists (without ``force``), is not a dossier, a source changed
            meanwhile, or the disk refused a write.
    """
    files, copies = arbitrated_folder_files(outcome, formats)
    return write_review_folder(out_dir, files, copies, outcome.dossier, signer, force=force)
