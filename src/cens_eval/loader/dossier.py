"""Read a submitted dossier folder: its ``dossier.json`` (untrusted) and the hashes of its files."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from cens_eval.constants import (
    MAX_DOSSIER_JSON_BYTES,
    MAX_RENDERED_BYTES,
    QUESTIONNAIRE_DIR,
    REFERENTIELS_DIR,
    REVIEW_DIR,
)
from cens_eval.errors import LoadError
from cens_eval.loader.document import Document
from cens_eval.loader.evidence import check_evidence_path, hash_file
from cens_eval.loader.files import read_bytes
from cens_eval.loader.jsonsafe import parse_json
from cens_eval.loader.messages import problem_at, problems_from_validation
from cens_eval.loader.yamlsafe import decode
from cens_eval.model.arbitration import DossierArbitre
from cens_eval.model.base import Model
from cens_eval.model.dossier import Dossier
from cens_eval.model.review import DossierRevu
from cens_eval.model.seal import HISTORY_DIR, Sceau

DOSSIER_JSON = "dossier.json"
REVUE_JSON = "revue.json"
M = TypeVar("M", bound=Dossier)
N = TypeVar("N", bound=Model)


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


def read_rendered(path: Path) -> bytes | None:
    """The bytes of a file rendered into a dossier (``dossier.xlsx``, ``dossier.pdf``); None if absent.

    Raises:
        LoadError: it is not a regular file, cannot be read, or is larger than the limit.
    """
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return None  # not produced (evaluate --formats)
    except OSError as exc:
        raise LoadError.at(str(path), "", f"illisible ({exc.strerror})") from None
    if not stat.S_ISREG(mode):
        raise LoadError.at(str(path), "", "n'est pas un fichier ordinaire : fichier refusé")
    return read_bytes(path, MAX_RENDERED_BYTES)


def read_dossier(directory: Path) -> tuple[Dossier, bytes]:
    """The dossier recorded in a folder, and the exact bytes of its ``dossier.json``."""
    dossier, raw, _ = _read(directory, DOSSIER_JSON, Dossier)
    return dossier, raw


def read_reviewed(directory: Path) -> tuple[DossierRevu, bytes]:
    """The reviewed dossier recorded in a folder (``revue.json``), and its exact bytes.

    The review file it names must be a file of the folder's ``revue/`` subfolder: a record
    naming any other place is refused, so that nothing outside the dossier is ever read for it.
    """
    reviewed, raw, doc = _read(directory, REVUE_JSON, DossierRevu, _reviewed_model)
    why = _review_file_problem(directory, reviewed.revue.fichier.fichier)
    if why:
        raise LoadError([problem_at(doc, ("revue", "fichier", "fichier"), why)])
    return reviewed, raw


REVIEW_PARTS = ("revue.json", "revue.pdf", "revue.xlsx")
"""The files of a reviewed copy's current review at its root (with ``revue/`` and ``historique/``)."""


def is_review_part(rel: str) -> bool:
    """Whether a file of a folder belongs to its review part (current review or history)."""
    return rel in REVIEW_PARTS or rel.startswith((f"{REVIEW_DIR}/", f"{HISTORY_DIR}/"))


def reviewed_parts(folder: Path) -> bool:
    """Whether a folder carries a review part (it is a reviewed copy, intact or not)."""
    return any(os.path.lexists(folder / name) for name in (*REVIEW_PARTS, REVIEW_DIR, HISTORY_DIR))


def folder_files(folder: Path) -> set[str]:
    """Every file of a folder, by its path in it (``a/b.pdf``); hidden files and folders left out.

    Links are listed, never followed: a seal names them, and their check refuses them.
    """
    found = set()
    for current, subfolders, files in os.walk(folder):
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        base = Path(current).relative_to(folder)
        for name in files:
            if not name.startswith("."):
                found.add((base / name).as_posix())
        for name in subfolders:
            if (Path(current) / name).is_symlink():
                found.add((base / name).as_posix())
    return found


def carried_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """The regular files of a folder a copy carries over, by path: (file, SHA-256).

    Links and hidden files are left out; hashes are streamed (constant memory).
    """
    carried = {}
    for rel in sorted(folder_files(folder)):
        path = folder.joinpath(*rel.split("/"))
        if path.is_file() and not path.is_symlink():
            carried[rel] = (path, hash_file(folder, rel).sha256)
    return carried


def read_seal(directory: Path, rel: str) -> Sceau | None:
    """The seal at ``rel`` in a folder (:mod:`cens_eval.model.seal`); None when there is none.

    Raises:
        LoadError: it is not a regular file of the folder, or not a readable seal.
    """
    if not os.path.lexists(directory.joinpath(*rel.split("/"))):
        return None
    refused = _path_problem(directory, rel)
    if refused:
        raise LoadError.at(str(directory / rel), "", refused)
    sceau, _, _ = _read(directory, rel, Sceau)
    return sceau


def _reviewed_model(data: object) -> type[DossierRevu]:
    """An arbitrated dossier's ``revue.json`` carries ``revue.arbitrage``; any other, not."""
    revue = data.get("revue") if isinstance(data, dict) else None
    return DossierArbitre if isinstance(revue, dict) and "arbitrage" in revue else DossierRevu


def _read(
    directory: Path, name: str, model: type[N], pick: Callable[[object], type[N]] | None = None
) -> tuple[N, bytes, Document]:
    if not directory.is_dir():
        raise LoadError.at(str(directory), "", "dossier introuvable (un répertoire est attendu)")
    path = directory / name
    raw = read_bytes(path, MAX_DOSSIER_JSON_BYTES, str(path))
    doc = parse_json(decode(raw, str(path)), str(path))
    chosen = pick(doc.data) if pick else model
    try:
        return chosen.model_validate(doc.data), raw, doc
    except ValidationError as exc:
        raise LoadError(problems_from_validation(doc, exc)) from None


def _review_file_problem(directory: Path, rel: str) -> str | None:
    """Why the review file named by a reviewed dossier is refused, or None.

    It must be ``revue/NAME``; once it exists, it must be a regular file that no link takes
    out of the folder (a missing file is left to the verification, which says so).
    """
    name = rel.removeprefix(f"{REVIEW_DIR}/")
    if name == rel or name in ("", ".", "..") or "/" in name or "\\" in name:
        return (
            f"« {rel} » refusé : le fichier de revue doit se trouver dans le sous-dossier "
            f"{REVIEW_DIR}/ du dossier revu"
        )
    if not os.path.lexists(directory / REVIEW_DIR / name):
        return None
    return _path_problem(directory, rel)


def file_problem(directory: Path, rel: str, sha256: str, size: int | None = None) -> str | None:
    """Why a file recorded in the dossier does not match it, or None when it does."""
    refused = _path_problem(directory, rel)
    if refused:
        return refused
    actual = hash_file(directory, rel)
    if size is not None and actual.taille != size:
        return f"taille {actual.taille} octets au lieu de {size} : fichier modifié"
    if actual.sha256 != sha256:
        return "empreinte SHA-256 différente de celle du dossier : fichier modifié"
    return None


def _path_problem(directory: Path, rel: str) -> str | None:
    """The evidence path rules (inside, no escaping link, regular file), worded for a dossier."""
    refused = check_evidence_path(directory, rel)
    if refused is None:
        return None
    for evidence_words, dossier_words in _WORDING:
        refused = refused.replace(evidence_words, dossier_words)
    return refused


_WORDING = (
    ("fichier de preuve introuvable", "fichier absent"),
    ("du questionnaire", "du dossier"),
    ("au questionnaire", "au dossier"),
)


@dataclass(frozen=True)
class FoundDossiers:
    """What a search for dossiers found."""

    dossiers: list[Path]
    """Dossier folders, intact or not, sorted."""
    ignored: list[Path]
    """Folders holding a ``dossier.json`` that was read and is not a cens-eval dossier, sorted."""
    unreadable: list[tuple[Path, str]] = field(default_factory=list)
    """Folders whose ``dossier.json`` (or whose list of files) could not be read, with why, sorted:
    never taken for foreign, since what they hold is unknown."""


def search_dossiers(roots: Iterable[Path | str]) -> FoundDossiers:
    """Every dossier folder under the given folders, the folders skipped, those that cannot be read.

    A folder holding a ``dossier.json`` is a dossier when :func:`is_dossier_folder` says so
    (format marker first, or the folders of a dossier's inputs). Otherwise its ``dossier.json``
    is read within the limits of a dossier: a JSON object whose ``format`` is cens-eval's is a
    dossier too; any other JSON is ignored (not a dossier); a file that cannot be read (not a
    regular file, too large, badly encoded, nested too deep, not JSON) is *unreadable*, with the
    reason. Folders inside a dossier are not classified; hidden folders are not searched; a
    folder whose files cannot be listed is unreadable.
    """
    found: set[Path] = set()
    ignored: set[Path] = set()
    unreadable: dict[Path, str] = {}

    def unlisted(exc: OSError) -> None:
        folder = Path(exc.filename) if exc.filename else None
        if folder is not None and not any(p in found for p in (folder, *folder.parents)):
            unreadable[folder] = f"{folder}: contenu illisible ({exc.strerror or exc})"

    for root in map(Path, roots):
        for current, subfolders, files in os.walk(root, onerror=unlisted):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            folder = Path(current)
            if DOSSIER_JSON not in files or any(p in found for p in folder.parents):
                continue
            if is_dossier_folder(folder):
                found.add(folder)
                continue
            why = _not_a_dossier(folder / DOSSIER_JSON)
            if why is None:
                found.add(folder)
            elif why:
                unreadable[folder] = why
            else:
                ignored.add(folder)
    return FoundDossiers(
        sorted(found),
        sorted(ignored - found),
        sorted((f, why) for f, why in unreadable.items() if f not in found),
    )


def _not_a_dossier(path: Path) -> str | None:
    """Read a ``dossier.json`` that does not open with the format marker, within a dossier's limits.

    Returns:
        None when it is a cens-eval dossier after all (its ``format`` is cens-eval's), ``""``
        when it is readable JSON of something else, else why it cannot be read.
    """
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return f"{path}: n'est pas un fichier ordinaire (lien, tube ou périphérique) : refusé"
        raw = read_bytes(path, MAX_DOSSIER_JSON_BYTES, str(path))
        doc = parse_json(decode(raw, str(path)), str(path))
    except LoadError as exc:
        return str(exc.problems[0]) if exc.problems else f"{path}: illisible"
    except OSError as exc:
        return f"{path}: lecture impossible ({exc.strerror or exc})"
    marker = Dossier.model_fields["format"].default
    if isinstance(doc.data, dict) and doc.data.get("format") == marker:
        return None
    return ""


def find_dossiers(roots: Iterable[Path | str]) -> list[Path]:
    """Every dossier folder under the given folders, sorted (see :func:`search_dossiers`)."""
    return search_dossiers(roots).dossiers
