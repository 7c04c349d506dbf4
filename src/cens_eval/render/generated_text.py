"""Which words of a dossier its user wrote, so that the documents' typography never alters them.

From format 2 on, the dossier's and the review's PDF and workbook print the texts cens-eval
writes with typographic apostrophes (:func:`cens_eval.render.typography.apostrophes`); every elided word
found in a text the éditeur or the evaluator wrote (names, justifications, declarations,
engagements, comments, motifs…) keeps its straight apostrophe wherever it is printed. The
référentiel's texts and cens-eval's explanations are written by the project: they get the
typographic apostrophe in the documents, and stay unchanged in ``dossier.json``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from typing import Any

from pydantic import BaseModel

from cens_eval.model.dossier import Dossier
from cens_eval.render.typography import elisions

GENERATED_FIELDS = frozenset(
    {
        "libelle",
        "libelle_attendu",
        "libelles_preuves_manquantes",
        "enonce",
        "titre",
        "localisation",
        "raison",
        "explication",
        "explication_evaluee",
        "questions_profil",
        "motifs",
        "avertissements",
        "etape",
    }
)
"""Fields of a dossier (and of its review) whose texts the référentiels or cens-eval wrote.

Every other text counts as the user's: a field missing here only keeps more straight
apostrophes, it never alters what a user wrote.
"""

KEPT: ContextVar[frozenset[str] | None] = ContextVar("kept_elisions", default=None)
"""While a document is laid out: the user's elided words (None: no typographic apostrophes)."""


def user_elisions(*models: BaseModel) -> frozenset[str]:
    """Every elided word (``l'équipe``) in a text of the models that is not the project's.

    Args:
        models: a dossier (with its review), a signalements report, signalements…
    """
    found: set[str] = set()

    def visit(value: Any, generated: bool) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                visit(item, generated or key in GENERATED_FIELDS)
        elif isinstance(value, list):
            for item in value:
                visit(item, generated)
        elif isinstance(value, str) and not generated:
            found.update(elisions(value))

    for model in models:
        visit(model.model_dump(mode="json"), False)
    return frozenset(found)


@contextmanager
def keeping(words: frozenset[str]) -> Iterator[None]:
    """While a document is laid out: typographic apostrophes, except in these words."""
    token = KEPT.set(words)
    try:
        yield
    finally:
        KEPT.reset(token)


def typographic(dossier: Dossier) -> AbstractContextManager[None]:
    """While laying out the dossier's document: typographic apostrophes, from format 2 on.

    Format 1 (cens-eval 0.1.0) printed straight apostrophes, and its documents are
    reproduced byte for byte.
    """
    if dossier.version_format < 2:
        return nullcontext()
    return keeping(user_elisions(dossier))
