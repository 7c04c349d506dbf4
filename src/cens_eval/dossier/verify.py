"""Verify a dossier folder: every recorded hash, then a re-evaluation that must give the same bytes."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from cens_eval.constants import QUESTIONNAIRE_DIR, REFERENTIELS_DIR
from cens_eval.dossier.pipeline import evaluate_to_dossier
from cens_eval.engine.evaluation import Preparation
from cens_eval.errors import LoadError, Problem
from cens_eval.loader.calendrier import load_calendrier
from cens_eval.loader.dossier import (
    DOSSIER_JSON,
    file_problem,
    read_dossier,
    read_rendered,
)
from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.loader.referentiels import folder_fingerprint, load_catalogue
from cens_eval.loader.signalements import load_extract
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.dossier import Dossier
from cens_eval.render import FILE_NAMES, Format, render


@dataclass(frozen=True)
class Verification:
    """Result of verifying one dossier folder."""

    directory: Path
    problems: list[Problem] = field(default_factory=list)
    dossier: Dossier = field(kw_only=True)
    """The record read from ``dossier.json`` (to be trusted only when :attr:`intact`)."""
    sha256: str = field(kw_only=True)
    """SHA-256 of ``dossier.json``: the dossier's identity, the one a review names."""

    @property
    def intact(self) -> bool:
        """True when nothing was changed and the re-evaluation gives the same dossier."""
        return not self.problems


RENDERED = (Format.XLSX, Format.PDF)
"""Files rendered from ``dossier.json`` that a dossier folder may carry: each must be re-rendered
byte for byte (both renderers date their output from the dossier, so equal dossiers give equal bytes)."""


def verify_dossier(directory: Path | str, shared: SharedWork | None = None) -> Verification:
    """Check a dossier folder against its own records.

    Every recorded file (questionnaire, profil vocabulary, référentiels, evidence) must have
    its recorded SHA-256; then the questionnaire is evaluated again against the dossier's own
    copies of the référentiels, at the recorded date, and must give ``dossier.json`` byte for
    byte, and ``dossier.xlsx`` and ``dossier.pdf`` when present. ``shared`` carries what
    earlier verifications loaded and prepared (a batch passes one; none is kept otherwise).

    Raises:
        LoadError: the dossier cannot be read at all (missing or malformed ``dossier.json``).
    """
    folder = Path(directory)
    recorded, raw = read_dossier(folder)
    problems: list[Problem] = []

    def check(rel: str, sha256: str, size: int | None = None) -> None:
        why = file_problem(folder, rel, sha256, size)
        if why:
            problems.append(Problem(str(folder / rel), "", why))

    check(recorded.questionnaire.fichier, recorded.questionnaire.sha256)
    check(recorded.vocabulaire_profil.fichier, recorded.vocabulaire_profil.sha256)
    for ref in recorded.referentiels:
        check(ref.fichier, ref.sha256)
    if recorded.calendrier is not None:
        check(recorded.calendrier.fichier, recorded.calendrier.sha256)
    if recorded.signalements is not None:
        check(recorded.signalements.fichier.fichier, recorded.signalements.fichier.sha256)
    for piece in recorded.manifeste:
        check(f"{QUESTIONNAIRE_DIR}/{piece.chemin}", piece.sha256, piece.taille)
    if not problems:
        problems = _reevaluation_problems(folder, recorded, raw, shared or SharedWork())
    return Verification(folder, problems, dossier=recorded, sha256=hashlib.sha256(raw).hexdigest())


def _reevaluation_problems(
    folder: Path, recorded: Dossier, raw: bytes, shared: SharedWork
) -> list[Problem]:
    """Evaluate the dossier's own inputs again: ``dossier.json`` and each rendered file must match."""
    catalogue = shared.catalogue(folder / REFERENTIELS_DIR)
    loaded = load_questionnaire(folder / recorded.questionnaire.fichier, catalogue)
    calendrier = None
    if recorded.calendrier is not None:  # the same calendar as the evaluation, from the folder
        calendrier = load_calendrier(folder / recorded.calendrier.fichier, loaded.referentiels)
    signalements = None
    if recorded.signalements is not None:  # the extract the dossier was made with
        extract = load_extract(folder / recorded.signalements.fichier.fichier)
        signalements = (extract, recorded.signalements.registre_sha256)
    _, rebuilt = evaluate_to_dossier(
        loaded,
        catalogue,
        as_of=recorded.as_of,
        generated_at=recorded.genere_le,
        tool_version=recorded.outil.version,
        preparation=shared.preparation,
        calendrier=calendrier,
        signalements=signalements,
    )
    rebuilt_json = render(rebuilt, Format.JSON)
    if rebuilt_json != raw:
        return [Problem(str(folder / DOSSIER_JSON), "", _difference(raw, rebuilt_json))]
    problems = []
    for fmt in RENDERED:
        path = folder / FILE_NAMES[fmt]
        why = _rendered_problem(path, rebuilt, fmt)
        if why:
            problems.append(Problem(str(path), "", why))
    return problems


def _rendered_problem(path: Path, rebuilt: Dossier, fmt: Format) -> str | None:
    """Why a rendered file of the dossier differs from its re-rendering; None when equal or absent."""
    try:
        data = read_rendered(path)
    except LoadError as exc:
        return "; ".join(p.message for p in exc.problems)
    if data is not None and data != render(rebuilt, fmt):
        return "ne correspond pas au dossier réévalué : fichier modifié"
    return None


def _difference(recorded: bytes, rebuilt: bytes) -> str:
    try:
        old, new = json.loads(recorded), json.loads(rebuilt)
    except ValueError:
        return "contenu différent de la réévaluation"
    keys = [k for k in new if old.get(k) != new.get(k)] + [k for k in old if k not in new]
    if not keys:
        return "mise en forme différente de celle produite par cens-eval : fichier modifié"
    return f"contenu différent de la réévaluation (sections : {', '.join(keys)}) : fichier modifié"


class SharedWork:
    """Work that dossiers verified one after the other can share, owned by the caller.

    A batch verifies many dossiers made against the same référentiels: their folders are loaded
    once per content (not once per dossier), and the engine's périmètres are kept across them.
    Bounded: at most ``taille`` référentiel folders are kept.
    """

    def __init__(self, taille: int = 16) -> None:
        self._taille = taille
        self._catalogues: dict[tuple[tuple[str, str], ...], Catalogue] = {}
        self.preparation = Preparation()

    def catalogue(self, folder: Path) -> Catalogue:
        """The référentiels of a dossier folder; byte-identical copies share one load."""
        key = folder_fingerprint(folder)
        if key is None:
            return load_catalogue(folder)  # refused with its located message; nothing to share
        cached = self._catalogues.get(key)
        if cached is None:
            if len(self._catalogues) >= self._taille:
                self._catalogues.clear()
            cached = self._catalogues[key] = load_catalogue(folder)
        return cached
