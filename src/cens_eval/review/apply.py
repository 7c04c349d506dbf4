"""Read a dossier folder, apply a review to a verified one (reads via the loader)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from cens_eval.constants import REVIEW_DIR
from cens_eval.errors import IntegrityError, LoadError, Problem
from cens_eval.loader.dossier import REVUE_JSON, read_dossier, read_reviewed
from cens_eval.loader.review import LoadedReview, load_review
from cens_eval.model.dossier import Dossier, Empreinte
from cens_eval.model.review import DossierRevu
from cens_eval.render import REVIEW_FILE_NAMES, Format, render
from cens_eval.render.yaml_data import yaml_text
from cens_eval.review.assess import apply_review, validated_gaps
from cens_eval.review.seal import earlier_reviews, reviewed_copy, verify_dossier


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
    review_bytes: bytes | None = None
    """The review file's bytes when the review was given as data (no file on disk)."""


REVIEW_DATA_SUFFIXES = (".yaml", ".yml")


def review_dossier(
    dossier_dir: Path | str,
    review: Path | str | Mapping[str, Any],
    today: dt.date | None = None,
    *,
    name: str = "revue.yaml",
) -> ReviewOutcome:
    """Verify a dossier (or a reviewed copy), load the review that names it, and apply it.

    Args:
        dossier_dir: the dossier folder (as ``evaluate -o`` writes it), or a reviewed copy:
            its review is then kept as the last of the new review's history.
        review: the review file (YAML, JSON or XLSX, as ``review init`` writes it, filled), or
            the review as data (the mapping such a file holds): it is then written as YAML
            under ``name`` into the reviewed copy, and problems name ``name``.
        today: the caller's date; a review dated after it is a warning (none when omitted).
        name: the review file's name, when the review is given as data (``.yaml``).

    Returns:
        The reviewed dossier (render it with :func:`~cens_eval.render`), the review as read, and
        the warnings to show the evaluator.

    Raises:
        IntegrityError: the dossier (or the reviewed copy) was changed since it was produced.
        LoadError: the dossier or the review cannot be read, or the review is invalid.
    """
    if isinstance(review, Mapping):
        return _review_data(Path(dossier_dir), review, today, name)
    return _review_file(Path(dossier_dir), Path(review), today)


def _review_data(
    folder: Path, data: Mapping[str, Any], today: dt.date | None, name: str
) -> ReviewOutcome:
    """Apply a review given as data: read from a private scratch file named ``name``."""
    if PurePath(name).name != name or not name.lower().endswith(REVIEW_DATA_SUFFIXES):
        raise ValueError(f"nom de revue invalide : {name!r} (un nom de fichier .yaml attendu)")
    raw = yaml_text(dict(data)).encode()
    with tempfile.TemporaryDirectory(prefix="cens-eval-revue-") as scratch:
        path = Path(scratch) / name

        def shown(problems: Iterable[Problem]) -> list[Problem]:
            return [dataclasses.replace(p, file=p.file.replace(str(path), name)) for p in problems]

        path.write_bytes(raw)
        try:
            outcome = _review_file(folder, path, today)
        except LoadError as exc:
            raise LoadError(shown(exc.problems)) from None
    loaded = dataclasses.replace(outcome.review, path=Path(name))
    return dataclasses.replace(
        outcome, review=loaded, warnings=shown(outcome.warnings), review_bytes=raw
    )


def _review_file(folder: Path, review_path: Path, today: dt.date | None) -> ReviewOutcome:
    verification = verify_dossier(folder)
    if not verification.intact:
        raise IntegrityError(verification.problems)
    dossier, raw = read_dossier(folder)
    loaded = load_review(review_path, dossier, hashlib.sha256(raw).hexdigest(), today)
    source = Empreinte(fichier=f"{REVIEW_DIR}/{loaded.path.name}", sha256=loaded.sha256)
    try:
        reviewed = apply_review(dossier, loaded.revue, source, historique=earlier_reviews(folder))
    except ValueError as exc:  # pragma: no cover - the reader refuses these, located
        raise LoadError.at(str(loaded.path), "", str(exc)) from None
    gaps = [
        loaded.problem(("avis", ref, exigence, "avis"), why, warning=True)
        for ref, exigence, why in validated_gaps(dossier, loaded.revue)
    ]
    return ReviewOutcome(reviewed, loaded, folder, [*loaded.warnings, *gaps])


def reviewed_folder_files(
    outcome: ReviewOutcome, formats: Iterable[Format] = tuple(Format)
) -> tuple[dict[str, bytes], dict[str, tuple[Path, str]]]:
    """The files of the reviewed copy of ``outcome``: generated (sealed) and copied (source, SHA-256)."""
    rendered = {REVIEW_FILE_NAMES[f]: render(outcome.dossier, f) for f in formats}
    files, copies = reviewed_copy(
        outcome.dossier,
        rendered,
        outcome.dossier_dir,
        (outcome.review.path, outcome.review.sha256),
    )
    if outcome.review_bytes is not None:  # given as data: written, not copied
        applied = f"{REVIEW_DIR}/{outcome.review.path.name}"
        del copies[applied]
        files[applied] = outcome.review_bytes
    return files, copies
