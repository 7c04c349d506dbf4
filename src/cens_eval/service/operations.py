"""The user-level operations, shared by the command line, the web application and the library.

Each takes what the user gave (loaded inputs, a folder, a review as a file or as data) and
returns bytes or writes them with the atomic writers of :mod:`cens_eval.service.folder`; each
raises the library's typed errors (``LoadError``, ``IntegrityError``, ``OutputError``) with
located problems. The shells only parse their input, call one operation and present the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cens_eval.dossier.pipeline import dossier_files, dossier_inputs, evaluate_to_dossier
from cens_eval.errors import IntegrityError
from cens_eval.loader.calendrier import LoadedCalendrier
from cens_eval.loader.questionnaire import LoadedQuestionnaire
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.dossier import Dossier
from cens_eval.model.results import Evaluation
from cens_eval.model.review import DossierRevu
from cens_eval.model.signalement import ExtraitRegistre, Registre
from cens_eval.render import FILE_NAMES, Format, render
from cens_eval.review.apply import (
    ReviewOutcome,
    read_dossier_folder,
    review_dossier,
    reviewed_folder_files,
)
from cens_eval.review.seal import verify_dossier
from cens_eval.service.folder import write_dossier_dir
from cens_eval.service.signing import Signer, sign_dossier_files, sign_review_files

__all__ = [
    "ProducedDossier",
    "ReviewTemplate",
    "produce_dossier",
    "review_dossier",
    "review_template",
    "write_dossier",
    "write_reviewed_dossier",
]


@dataclass(frozen=True)
class ProducedDossier:
    """A dossier produced in memory: what :func:`write_dossier` writes as its folder."""

    evaluation: Evaluation
    dossier: Dossier
    files: dict[str, bytes]
    """Generated files by their place in the folder: renderings, register extract, seal."""
    copies: dict[str, tuple[Path, str]]
    """Input files carried by the folder, by their place in it: (source file, SHA-256)."""
    rendered: tuple[str, ...]
    """The names of the renderings (``dossier.json``, ``dossier.pdf``…), sorted."""


def produce_dossier(
    loaded: LoadedQuestionnaire,
    catalogue: Catalogue,
    *,
    as_of: dt.date | None = None,
    generated_at: dt.datetime | None = None,
    formats: Sequence[Format] = tuple(Format),
    calendrier: LoadedCalendrier | None = None,
    signalements: tuple[Registre | ExtraitRegistre, str] | None = None,
) -> ProducedDossier:
    """Evaluate a loaded questionnaire and produce its dossier: evaluation, files and copies.

    Args:
        loaded: the questionnaire as :func:`~cens_eval.load_questionnaire` returns it.
        catalogue: the référentiels it was loaded with.
        as_of: the evaluation date (default: today, as ``cens-eval evaluate``).
        generated_at: the generation time recorded (default: the evaluation date).
        formats: the renderings; JSON (the canonical dossier) is always among them.
        calendrier: a phase-in calendar, honoured and carried by the folder.
        signalements: a register and its SHA-256: the cases about the solution are recorded.

    Raises:
        ValueError: ``formats`` lacks JSON.
    """
    if Format.JSON not in formats:
        raise ValueError("le format json (dossier canonique) est toujours produit")
    evaluation, dossier = evaluate_to_dossier(
        loaded,
        catalogue,
        as_of=as_of,
        generated_at=generated_at,
        calendrier=calendrier,
        signalements=signalements,
    )
    rendered = {FILE_NAMES[f]: render(dossier, f) for f in formats}
    copies = dossier_inputs(loaded, catalogue, calendrier)
    files = dossier_files(dossier, rendered, signalements[0] if signalements else None, copies)
    return ProducedDossier(evaluation, dossier, files, copies, tuple(sorted(rendered)))


def write_dossier(
    out_dir: Path | str,
    produced: ProducedDossier,
    *,
    force: bool = False,
    signer: Signer | None = None,
) -> None:
    """Write a produced dossier's folder, atomically: complete or not at all.

    An existing dossier is replaced only with ``force`` (and only a cens-eval dossier). With a
    ``signer`` (:func:`cens_eval.service.signing.load_signer`), ``dossier.pdf`` and the manifest
    are signed first.

    Raises:
        OutputError: the folder exists (without ``force``), is not a dossier, an input changed
            meanwhile, or the disk refused a write.
    """
    files = produced.files if signer is None else sign_dossier_files(produced.files, signer)
    write_dossier_dir(Path(out_dir), files, produced.copies, force=force)


@dataclass(frozen=True)
class ReviewTemplate:
    """The review template of a verified dossier, to be filled by the evaluator."""

    data: bytes
    exigences: int
    """How many exigences it asks an avis on."""
    inchangees: int | None = None
    """How many are unchanged since the previous review (None: no previous review given)."""


def review_template(
    dossier_dir: Path | str,
    fmt: Literal["yaml", "xlsx"] = "yaml",
    evaluateur: str | None = None,
    *,
    precedent: Path | str | None = None,
) -> ReviewTemplate:
    """The review template (YAML or XLSX) of a dossier folder, once verified intact.

    ``evaluateur``: the evaluator's name, filled in: each of the independent reviews of a
    dossier starts from its own template. With ``precedent`` (the previous reviewed dossier of
    the same solution, verified too), each exigence unchanged since that review is marked, its
    previous avis suggested.

    Raises:
        IntegrityError: the dossier was changed since it was produced.
        LoadError: the folder holds no readable dossier; ``precedent`` is not a reviewed copy of
            the same solution, or was altered.
    """
    verification = verify_dossier(dossier_dir)
    if not verification.intact:
        raise IntegrityError(verification.problems)
    found = read_dossier_folder(dossier_dir)
    prior = None
    if precedent is not None:
        from cens_eval.review.precedent import follow_previous

        prior = follow_previous(precedent, dossier_dir)
    if fmt == "xlsx":
        from cens_eval.render.review_xlsx import render_review_xlsx

        data = render_review_xlsx(found.dossier, found.sha256, prior, evaluateur)
    else:
        from cens_eval.render.review_yaml import render_review_yaml

        data = render_review_yaml(found.dossier, found.sha256, prior, evaluateur).encode()
    count = sum(len(r.exigences) for r in found.dossier.resultats)
    return ReviewTemplate(data, count, prior.inchangees if prior else None)


def write_reviewed_dossier(
    out_dir: Path | str,
    outcome: ReviewOutcome,
    formats: Iterable[Format] = tuple(Format),
    *,
    force: bool = False,
    signer: Signer | None = None,
) -> tuple[str, ...]:
    """Write the reviewed copy of a review applied by :func:`review_dossier`, atomically.

    The copy holds the dossier as it was, the review's renderings (``revue.json``…), the review
    file, its seal, and any earlier review under ``historique/``.

    Returns:
        The names of the review's renderings written (``revue.json``…), sorted.

    Raises:
        OutputError: the folder exists (without ``force``), is not a dossier, a source changed
            meanwhile, or the disk refused a write.
    """
    files, copies = reviewed_folder_files(outcome, formats)
    return write_review_folder(out_dir, files, copies, outcome.dossier, signer, force=force)


def write_review_folder(
    out_dir: Path | str,
    files: dict[str, bytes],
    copies: dict[str, tuple[Path, str]],
    dossier: DossierRevu,
    signer: Signer | None,
    *,
    force: bool,
) -> tuple[str, ...]:
    """Write a reviewed (or arbitrated) copy, its review signed first when a signer is given.

    Returns:
        The names of the review's renderings written (``revue.json``…), sorted.
    """
    if signer is not None:
        files = sign_review_files(files, dossier, signer)
    write_dossier_dir(Path(out_dir), files, copies, force=force)
    return tuple(sorted(f for f in files if "/" not in f))


def oscal_results(dossier_dir: Path | str) -> tuple[bytes, bool]:
    """A verified dossier (or reviewed copy) as OSCAL assessment results, and whether reviewed.

    Raises:
        IntegrityError: the folder was changed since it was produced.
        LoadError: it cannot be read.
    """
    import hashlib

    from cens_eval.loader.dossier import read_dossier, read_reviewed, reviewed_parts
    from cens_eval.render.oscal_results import render_assessment_results

    folder = Path(dossier_dir)
    verification = verify_dossier(folder)
    if not verification.intact:
        raise IntegrityError(verification.problems)
    dossier, raw = read_dossier(folder)
    dossier_sha256 = hashlib.sha256(raw).hexdigest()
    if reviewed_parts(folder):
        revue, revue_raw = read_reviewed(folder)
        revue_sha256 = hashlib.sha256(revue_raw).hexdigest()
        return render_assessment_results(revue, dossier_sha256, revue_sha256), True
    return render_assessment_results(dossier, dossier_sha256), False
