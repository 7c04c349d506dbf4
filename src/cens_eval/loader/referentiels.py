"""Load the profil vocabulary, référentiels and a whole référentiels folder, with located errors."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from cens_eval.catalogue import Catalogue
from cens_eval.condition import Condition, Loc, leaves
from cens_eval.constants import PROFIL_FILE
from cens_eval.errors import LoadError, Problem
from cens_eval.loader.document import Document
from cens_eval.loader.files import TEXT_SUFFIXES, read_document
from cens_eval.loader.messages import problem_at, problems_from_validation
from cens_eval.profil import VocabulaireProfil
from cens_eval.referentiel import Referentiel, reference_problems


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
    problems: list[Problem] = []
    for loc, condition in _raw_conditions(doc.data):
        problems += _condition_problems(doc, loc, condition, vocabulaire)
    try:
        ref = Referentiel.model_validate(doc.data)
    except ValidationError as exc:
        raise LoadError(problems + problems_from_validation(doc, exc)) from None
    problems += [problem_at(doc, loc, msg) for loc, msg in reference_problems(ref)]
    if problems:
        raise LoadError(problems)
    return ref, digest


_CONDITION: TypeAdapter[Condition] = TypeAdapter(Condition)


def _raw_conditions(data: dict[str, Any]) -> list[tuple[Loc, Condition]]:
    """The well-formed conditions of a référentiel, even when the rest of it is invalid."""
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
            found.append((loc, _CONDITION.validate_python(value)))
        except ValidationError:
            continue  # reported by the model validation
    return found


def _condition_problems(
    doc: Document, loc: Loc, condition: Condition, vocabulaire: VocabulaireProfil
) -> list[Problem]:
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
    """Load ``profil.yaml`` and every référentiel file of a folder; all problems at once."""
    folder = Path(directory)
    vocabulaire, vocabulaire_sha256 = _load_profil_vocabulary(folder / PROFIL_FILE)
    files = sorted(
        p for p in folder.iterdir() if p.suffix.lower() in TEXT_SUFFIXES and p.name != PROFIL_FILE
    )
    problems: list[Problem] = []
    loaded: list[tuple[Referentiel, str, Path]] = []
    for path in files:
        try:
            ref, digest = _load_referentiel(path, vocabulaire)
        except LoadError as exc:
            problems += exc.problems
            continue
        clash = next((p for r, _, p in loaded if (r.id, r.version) == (ref.id, ref.version)), None)
        if clash is not None:
            problems.append(
                Problem(
                    str(path), "", f"référentiel {ref.id} {ref.version} déjà défini dans {clash}"
                )
            )
            continue
        loaded.append((ref, digest, path))
    if not loaded and not problems:
        problems.append(Problem(str(folder), "", "aucun référentiel dans ce dossier"))
    if problems:
        raise LoadError(problems)
    loaded.sort(key=lambda item: (item[0].id, item[0].version))
    return Catalogue(
        vocabulaire=vocabulaire,
        referentiels=tuple(r for r, _, _ in loaded),
        sha256={(r.id, r.version): d for r, d, _ in loaded},
        fichiers={(r.id, r.version): p for r, _, p in loaded},
        vocabulaire_fichier=folder / PROFIL_FILE,
        vocabulaire_sha256=vocabulaire_sha256,
    )


def _hint(question_id: str, vocabulaire: VocabulaireProfil) -> str:
    ids = [q.id for q in vocabulaire.questions]
    close = difflib.get_close_matches(question_id, ids, n=1)
    return f" (voulez-vous dire {close[0]} ?)" if close else f" (connues : {', '.join(ids)})"
