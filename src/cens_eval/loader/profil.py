"""Load an éditeur's profil answers from a file (a mapping, or a questionnaire's ``profil``)."""

from __future__ import annotations

from pathlib import Path

from cens_eval.errors import LoadError
from cens_eval.loader.files import read_document
from cens_eval.loader.messages import problem_at
from cens_eval.model.profil import Profil, VocabulaireProfil


def load_profil(path: Path | str, vocabulaire: VocabulaireProfil) -> Profil:
    """Read profil answers, checking every question and value against the vocabulary."""
    doc, _ = read_document(Path(path))
    answers = (
        doc.data.get("profil", doc.data) if isinstance(doc.data.get("profil"), dict) else doc.data
    )
    prefix: tuple[str, ...] = ("profil",) if answers is not doc.data else ()
    problems = []
    profil: Profil = {}
    for key, written in answers.items():
        value = vocabulaire.read(str(key), written)
        refusal = vocabulaire.refusal(str(key), value)
        if refusal:
            problems.append(problem_at(doc, (*prefix, key), refusal))
            continue
        profil[str(key)] = value
    if problems:
        raise LoadError(problems)
    return profil
