"""Verify a dossier folder: every recorded hash, then a re-evaluation that must give the same bytes."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from cens_eval.catalogue import Catalogue
from cens_eval.constants import MAX_TEXT_FILE_BYTES
from cens_eval.errors import Problem
from cens_eval.loader.dossier import DOSSIER_JSON, file_problem, read_dossier
from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.loader.referentiels import load_catalogue
from cens_eval.pipeline import QUESTIONNAIRE_DIR, REFERENTIELS_DIR, evaluate_to_dossier
from cens_eval.render import FILE_NAMES, Format, render


@dataclass(frozen=True)
class Verification:
    """Result of verifying one dossier folder."""

    directory: Path
    problems: list[Problem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        """True when nothing was changed and the re-evaluation gives the same dossier."""
        return not self.problems


def verify_dossier(directory: Path | str) -> Verification:
    """Check a dossier folder against its own records.

    Every recorded file (questionnaire, profil vocabulary, référentiels, evidence) must have
    its recorded SHA-256; then the questionnaire is evaluated again against the dossier's own
    copies of the référentiels, at the recorded date, and must give ``dossier.json`` byte for
    byte (and ``dossier.pdf`` when present).

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
    for piece in recorded.manifeste:
        check(f"{QUESTIONNAIRE_DIR}/{piece.chemin}", piece.sha256, piece.taille)
    if problems:
        return Verification(folder, problems)

    catalogue = _catalogue(folder / REFERENTIELS_DIR)
    loaded = load_questionnaire(folder / recorded.questionnaire.fichier, catalogue)
    _, rebuilt = evaluate_to_dossier(
        loaded,
        catalogue,
        as_of=recorded.as_of,
        generated_at=recorded.genere_le,
        version_outil=recorded.outil.version,
    )
    rebuilt_json = render(rebuilt, Format.JSON)
    if rebuilt_json != raw:
        problems.append(Problem(str(folder / DOSSIER_JSON), "", _difference(raw, rebuilt_json)))
        return Verification(folder, problems)
    pdf = folder / FILE_NAMES[Format.PDF]
    if pdf.is_file() and pdf.read_bytes() != render(rebuilt, Format.PDF):
        problems.append(
            Problem(str(pdf), "", "ne correspond pas au dossier réévalué : fichier modifié")
        )
    return Verification(folder, problems)


def _difference(recorded: bytes, rebuilt: bytes) -> str:
    try:
        old, new = json.loads(recorded), json.loads(rebuilt)
    except ValueError:
        return "contenu différent de la réévaluation"
    keys = [k for k in new if old.get(k) != new.get(k)] + [k for k in old if k not in new]
    if not keys:
        return "mise en forme différente de celle produite par cens-eval : fichier modifié"
    return f"contenu différent de la réévaluation (sections : {', '.join(keys)}) : fichier modifié"


_CATALOGUES: dict[tuple[tuple[str, str], ...], Catalogue] = {}


def _catalogue(folder: Path) -> Catalogue:
    """The référentiels of a dossier folder; dossiers carrying byte-identical copies share one load.

    A batch verifies many dossiers made against the same référentiels: parsing them once per
    content, not once per dossier, is most of the batch's time.
    """
    files = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    if any(p.stat().st_size > MAX_TEXT_FILE_BYTES for p in files):
        return load_catalogue(folder)  # refused with its located message; nothing to share
    key = tuple((p.name, _digest(p)) for p in files)
    cached = _CATALOGUES.get(key)
    if cached is None:
        if len(_CATALOGUES) >= 16:
            _CATALOGUES.clear()
        cached = _CATALOGUES[key] = load_catalogue(folder)
    return cached


def _digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
