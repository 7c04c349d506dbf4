"""Verify a dossier folder: every recorded hash, then a re-evaluation that must give the same bytes."""

from __future__ import annotations

import hashlib
import json
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from cens_eval.catalogue import Catalogue
from cens_eval.constants import MAX_TEXT_FILE_BYTES
from cens_eval.dossier import Dossier
from cens_eval.errors import Problem
from cens_eval.evaluation import Preparation
from cens_eval.loader.dossier import DOSSIER_JSON, file_problem, read_dossier
from cens_eval.loader.evidence import sha256_file
from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.loader.referentiels import load_catalogue
from cens_eval.pipeline import QUESTIONNAIRE_DIR, REFERENTIELS_DIR, evaluate_to_dossier
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
    _, rebuilt = evaluate_to_dossier(
        loaded,
        catalogue,
        as_of=recorded.as_of,
        generated_at=recorded.genere_le,
        version_outil=recorded.outil.version,
        preparation=shared.preparation,
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
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return None  # not produced (evaluate --formats)
    except OSError as exc:
        return f"illisible ({exc.strerror})"
    if not stat.S_ISREG(mode):
        return "n'est pas un fichier ordinaire : fichier refusé"
    data = render(rebuilt, fmt)
    if path.stat().st_size != len(data) or path.read_bytes() != data:
        return "ne correspond pas au dossier réévalué : fichier modifié"
    return None


_FORMAT_HEAD = re.compile(
    rb'\A\s*\{\s*"format"\s*:\s*"%s"' % re.escape(Dossier.model_fields["format"].default.encode())
)
"""How every ``dossier.json`` cens-eval writes begins: its format marker comes first."""


def is_dossier_folder(folder: Path) -> bool:
    """Whether a folder holding a ``dossier.json`` is a cens-eval dossier, intact or not.

    It is when its ``dossier.json`` opens with the format marker (``"format":
    "cens-eval/dossier"``), or when it carries the folders of a dossier's inputs
    (``questionnaire/`` and ``referentiels/``). Anything else (a questionnaire that happens to
    be named ``dossier.json``) is not a dossier. Only the first bytes of a regular file are read.
    """
    if all((folder / name).is_dir() for name in (QUESTIONNAIRE_DIR, REFERENTIELS_DIR)):
        return True
    path = folder / DOSSIER_JSON
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return False
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return bool(_FORMAT_HEAD.match(head.removeprefix(b"\xef\xbb\xbf")))


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
        files = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
        if any(p.stat().st_size > MAX_TEXT_FILE_BYTES for p in files):
            return load_catalogue(folder)  # refused with its located message; nothing to share
        key = tuple((p.name, sha256_file(p)[0]) for p in files)
        cached = self._catalogues.get(key)
        if cached is None:
            if len(self._catalogues) >= self._taille:
                self._catalogues.clear()
            cached = self._catalogues[key] = load_catalogue(folder)
        return cached
