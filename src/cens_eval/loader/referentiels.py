"""Load the profil vocabulary, référentiels and a whole référentiels folder, with located errors."""

from __future__ import annotations

import difflib
import functools
import hashlib
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from cens_eval.constants import CORRESPONDANCES_FILE, MAX_TEXT_FILE_BYTES, PROFIL_FILE
from cens_eval.errors import LoadError, Problem
from cens_eval.loader.document import Document
from cens_eval.loader.evidence import sha256_file
from cens_eval.loader.files import TEXT_SUFFIXES, parse_document, read_bytes, read_document
from cens_eval.loader.messages import problem_at, problems_from_validation
from cens_eval.loader.yamlsafe import top_level_texts
from cens_eval.model.catalogue import Catalogue, Cle
from cens_eval.model.condition import Condition, Loc, leaves
from cens_eval.model.profil import VocabulaireProfil
from cens_eval.model.referentiel import Referentiel, reference_problems


def load_profil_vocabulary(path: Path | str) -> VocabulaireProfil:
    """Load the shared profil vocabulary (``profil.yaml``)."""
    return _load_profil_vocabulary(Path(path))[0]


def _load_profil_vocabulary(path: Path) -> tuple[VocabulaireProfil, str]:
    doc, digest = read_document(path)
    try:
        vocabulaire = VocabulaireProfil.model_validate(doc.data)
    except ValidationError as exc:
        raise LoadError(problems_from_validation(doc, exc)) from None
    seen: set[str] = set()
    problems = []
    for i, q in enumerate(vocabulaire.questions):
        if q.id in seen:
            problems.append(problem_at(doc, ("questions", i, "id"), f"question {q.id} en double"))
        seen.add(q.id)
    if problems:
        raise LoadError(problems)
    return vocabulaire, digest


def load_referentiel(path: Path | str, vocabulaire: VocabulaireProfil) -> Referentiel:
    """Load one référentiel and check it against the profil vocabulary."""
    return _load_referentiel(Path(path), vocabulaire)[0]


def _load_referentiel(path: Path, vocabulaire: VocabulaireProfil) -> tuple[Referentiel, str]:
    doc, digest = read_document(path)
    return checked_referentiel(doc, vocabulaire), digest


def checked_referentiel(doc: Document, vocabulaire: VocabulaireProfil) -> Referentiel:
    """A référentiel validated, with its conditions checked against the profil vocabulary."""
    problems: list[Problem] = []
    try:
        ref = Referentiel.model_validate(doc.data)
    except ValidationError as exc:
        for loc, condition in _raw_conditions(doc.data):
            problems += condition_problems(doc, loc, condition, vocabulaire)
        raise LoadError(problems + problems_from_validation(doc, exc)) from None
    conditions: list[tuple[Loc, Condition | None]] = [
        (("applicable_si",), ref.applicable_si),
        *(
            (("exigences", i, "applicable_si"), e.applicable_si)
            for i, e in enumerate(ref.exigences)
        ),
    ]
    for loc, written in conditions:
        if written is not None:
            problems += condition_problems(doc, loc, written, vocabulaire)
    problems += [problem_at(doc, loc, msg) for loc, msg in reference_problems(ref)]
    if problems:
        raise LoadError(problems)
    return ref


def _raw_conditions(data: Any) -> list[tuple[Loc, Condition]]:
    """The well-formed conditions of a référentiel whose validation failed elsewhere."""
    if not isinstance(data, dict):
        return []
    raw: list[tuple[Loc, Any]] = [(("applicable_si",), data.get("applicable_si"))]
    exigences = data.get("exigences")
    if isinstance(exigences, list):
        raw += [
            (("exigences", i, "applicable_si"), e.get("applicable_si"))
            for i, e in enumerate(exigences)
            if isinstance(e, dict)
        ]
    found = []
    for loc, value in raw:
        if value is None:
            continue
        try:
            found.append((loc, _condition_adapter().validate_python(value)))
        except ValidationError:
            continue  # reported by the model validation
    return found


@functools.cache
def _condition_adapter() -> TypeAdapter[Condition]:
    return TypeAdapter(Condition)


def condition_problems(
    doc: Document, loc: Loc, condition: Condition, vocabulaire: VocabulaireProfil
) -> list[Problem]:
    """Questions a condition asks that the profil vocabulary lacks, or values it does not offer."""
    problems = []
    for leaf_loc, question_id, values in leaves(condition, loc):
        if vocabulaire.question(question_id) is None:
            problems.append(
                problem_at(
                    doc,
                    leaf_loc,
                    f"question de profil inconnue « {question_id} »{_hint(question_id, vocabulaire)}",
                )
            )
            continue
        problems += [
            problem_at(doc, leaf_loc, refusal)
            for value in values
            if (refusal := vocabulaire.refusal(question_id, value))
        ]
    return problems


def load_catalogue(directory: Path | str) -> Catalogue:
    """The référentiels of a folder and its ``profil.yaml``; all problems found at once.

    Every file is read and hashed now. A file whose id and version can be read from its first
    lines is parsed and checked when its référentiel is first asked for; any other file is
    parsed now, so that its problems are reported now.
    """
    folder = Path(directory)
    vocabulaire, vocabulaire_sha256 = _load_profil_vocabulary(folder / PROFIL_FILE)
    files = sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in TEXT_SUFFIXES and p.name not in (PROFIL_FILE, CORRESPONDANCES_FILE)
    )
    problems: list[Problem] = []
    contents: dict[Cle, tuple[Path, bytes]] = {}
    digests: dict[Cle, str] = {}
    read_now: dict[Cle, Referentiel] = {}
    for path in files:
        try:
            raw = read_bytes(path, MAX_TEXT_FILE_BYTES)
            key = _header(raw) if path.suffix.lower() != ".json" else None
            ref = None
            if key is None:
                ref = checked_referentiel(
                    parse_document(raw, str(path), path.suffix.lower()), vocabulaire
                )
                key = (ref.id, ref.version)
        except LoadError as exc:
            problems += exc.problems
            continue
        if key in contents:
            problems.append(
                Problem(
                    str(path),
                    "",
                    f"référentiel {key[0]} {key[1]} déjà défini dans {contents[key][0]}",
                )
            )
            continue
        contents[key] = (path, raw)
        digests[key] = hashlib.sha256(raw).hexdigest()
        if ref is not None:
            read_now[key] = ref
    if not contents and not problems:
        problems.append(Problem(str(folder), "", "aucun référentiel dans ce dossier"))
    if problems:
        raise LoadError(problems)

    def read(key: Cle) -> Referentiel:
        path, raw = contents[key]
        ref = checked_referentiel(parse_document(raw, str(path), path.suffix.lower()), vocabulaire)
        if (ref.id, ref.version) != key:  # pragma: no cover - _header reads what the model reads
            raise LoadError.at(str(path), "", "identifiant ou version illisible")
        return ref

    return Catalogue(
        vocabulaire,
        {key: path for key, (path, _) in contents.items()},
        digests,
        read,
        vocabulaire_fichier=folder / PROFIL_FILE,
        vocabulaire_sha256=vocabulaire_sha256,
        deja_lus=read_now,
    )


def _header(raw: bytes) -> Cle | None:
    """The id and version of a YAML référentiel, read from its first lines; None if unreadable.

    None sends the file to a full parse, which says what is wrong with it.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    found = top_level_texts(text, ("id", "version"))
    return (found["id"], found["version"]) if found is not None else None


def _hint(question_id: str, vocabulaire: VocabulaireProfil) -> str:
    ids = [q.id for q in vocabulaire.questions]
    close = difflib.get_close_matches(question_id, ids, n=1)
    return f" (voulez-vous dire {close[0]} ?)" if close else f" (connues : {', '.join(ids)})"


def folder_fingerprint(folder: Path) -> tuple[tuple[str, str], ...] | None:
    """Each file of a référentiels folder with its SHA-256: equal for byte-identical copies.

    None when a file is too large to be a référentiel (loading it reports why).
    """
    files = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    if any(p.stat().st_size > MAX_TEXT_FILE_BYTES for p in files):
        return None
    return tuple((p.name, sha256_file(p)[0]) for p in files)
