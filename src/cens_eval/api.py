"""Convenience entry points of the public API: paths in, validated models out."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from cens_eval.loader.dossier import read_dossier as _read_dossier_json
from cens_eval.loader.locate import default_referentiels_dir
from cens_eval.loader.questionnaire import LoadedQuestionnaire
from cens_eval.loader.questionnaire import load_questionnaire as _load_questionnaire
from cens_eval.loader.referentiels import load_catalogue, load_profil_vocabulary
from cens_eval.loader.referentiels import load_referentiel as _load_referentiel
from cens_eval.loader.review import LoadedReview
from cens_eval.loader.review import load_review as _load_review
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.referentiel import Referentiel

if TYPE_CHECKING:
    from collections.abc import Sequence

    from cens_eval.model.calendrier import Calendrier
    from cens_eval.model.signalement import Rapport, Registre
    from cens_eval.review.apply import DossierFolder


def load_referentiels(directory: Path | str | None = None) -> Catalogue:
    """Load a référentiels folder (default: ``$CENS_EVAL_REFERENTIELS``, ``./referentiels`` or the packaged one).

    Raises:
        LoadError: with every located problem of every file.
    """
    return load_catalogue(directory if directory is not None else default_referentiels_dir())


def load_referentiel(path: Path | str, profil_vocabulary: Path | str | None = None) -> Referentiel:
    """Load one référentiel file, checking its conditions against the profil vocabulary.

    Args:
        path: the référentiel YAML or JSON file.
        profil_vocabulary: the ``profil.yaml`` to check against (default: the one beside ``path``).

    Raises:
        LoadError: with every located problem of the file.
    """
    vocabulary = Path(profil_vocabulary) if profil_vocabulary else Path(path).parent / "profil.yaml"
    return _load_referentiel(path, load_profil_vocabulary(vocabulary))


def load_questionnaire(
    path: Path | str, referentiels: Catalogue | None = None
) -> LoadedQuestionnaire:
    """Load a questionnaire (YAML, JSON or XLSX) and check it against the référentiels.

    Args:
        path: the questionnaire file; evidence paths are relative to its folder.
        referentiels: the loaded référentiels (default: :func:`load_referentiels`).

    Returns:
        The questionnaire with its référentiels, evidence manifest, SHA-256, warnings and the
        points that are not ready (``gaps``: evaluated, never refused).

    Raises:
        LoadError: with every located problem of the file.
    """
    return _load_questionnaire(path, referentiels or load_referentiels())


def load_review(path: Path | str, dossier_dir: Path | str) -> LoadedReview:
    """Load an evaluator's review of the dossier in ``dossier_dir`` (YAML, JSON or XLSX).

    The review must name that dossier by the SHA-256 of its ``dossier.json``; avis other than
    validé need a commentaire. Exigences left without avis are listed in the result.

    Raises:
        LoadError: with every located problem of the review, or of the dossier.
    """
    dossier, raw = _read_dossier_json(Path(dossier_dir))
    return _load_review(path, dossier, hashlib.sha256(raw).hexdigest())


def read_dossier(folder: Path | str) -> DossierFolder:
    """Read a dossier folder: its record, the SHA-256 of its ``dossier.json``, its review if any.

    The SHA-256 is what a review names (``dossier_sha256``). Nothing is verified here: use
    :func:`~cens_eval.verify_dossier` (``review_dossier`` verifies before applying a review).

    Raises:
        LoadError: the folder holds no readable dossier, or an unreadable ``revue.json``.
    """
    from cens_eval.review.apply import read_dossier_folder  # verification code: on demand

    return read_dossier_folder(folder)


def import_grid(
    grid: Path | str, mapping: Path | str, profil_vocabulary: Path | str | None = None
) -> Referentiel:
    """Read an authority's grid (``.xlsx`` or ``.csv``, one row per exigence) into a référentiel.

    Args:
        grid: the grid file.
        mapping: its mapping file (YAML or JSON, schema ``schemas/correspondance-grille.schema.json``):
            which column holds which field, the words the grid uses, the référentiel's header.
        profil_vocabulary: the ``profil.yaml`` the conditions are checked against (default: the
            one of :func:`load_referentiels`' default folder).

    Raises:
        LoadError: with every located problem of the mapping, or else of the grid
            (``grille.xlsx:Exigences!C12``, ``grille.csv:12``).
    """
    from cens_eval.loader.grid import import_grid as _import_grid

    vocabulary = (
        Path(profil_vocabulary) if profil_vocabulary else default_referentiels_dir() / "profil.yaml"
    )
    return _import_grid(grid, mapping, load_profil_vocabulary(vocabulary))


def load_calendrier(path: Path | str, referentiels: Sequence[Referentiel]) -> Calendrier:
    """Load a phase-in calendar, checked against the référentiels evaluated.

    Pass the result to :func:`~cens_eval.evaluate` (``calendrier=``): a préconisation it dates
    is mandatory from that date. Passages for other référentiels are ignored.

    Raises:
        LoadError: with every located problem of the file.
    """
    from cens_eval.loader.calendrier import load_calendrier as _load_calendrier

    return _load_calendrier(path, referentiels).calendrier


def load_signalements(path: Path | str, referentiels: Catalogue | None = None) -> Registre:
    """Load an éthicovigilance register (YAML or JSON), checked against the référentiels.

    Exigences named by a signalement must exist in ``referentiels`` (default: those of
    :func:`load_referentiels`); the path of each signalement through the four steps must be
    possible, and no published text may hold personal data.

    Raises:
        LoadError: with every located problem of the file.
    """
    from cens_eval.loader.signalements import load_signalements as _load

    return _load(path, referentiels or load_referentiels()).registre


def report_signalements(registre: Registre, referentiels: Catalogue | None = None) -> Rapport:
    """The report on a register: counts by step, principle, référentiel, exigence and solution.

    Exigences are named with their labels from ``referentiels`` (default: :func:`load_referentiels`).
    """
    from cens_eval.engine.signalements import report

    catalogue = referentiels or load_referentiels()
    labels = {(r.id, e.id): e.libelle for r in catalogue.referentiels for e in r.exigences}
    return report(registre, labels)


def journal_signalements(registre: Registre, fmt: Literal["pdf", "html"] = "pdf") -> bytes:
    """The public activity journal of a register: published cases only, anonymised, by date."""
    from cens_eval.engine.signalements import published
    from cens_eval.render.signalements import journal_html, journal_pdf, latest_date

    cases, day = published(registre), latest_date(registre)
    return journal_pdf(cases, day) if fmt == "pdf" else journal_html(cases, day)
