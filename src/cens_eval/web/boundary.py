"""The one place where a refused request becomes a French answer: its problems and HTTP status.

Handlers raise (a :class:`~cens_eval.web.forms.FormError` for a posted value, the library's
errors for a file); each blueprint shows the problems on the page of the field concerned, and
the application catches whatever a blueprint does not. Bad input is never an internal error.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import render_template

from cens_eval.errors import CensEvalError, IntegrityError, LoadError
from cens_eval.web.forms import FormError
from cens_eval.web.workspace import ConflictError

REFUSALS = (FormError, CensEvalError)
"""What a handler raises for input it refuses."""


def problems(exc: Exception) -> list[str]:
    """Every problem of a refusal, one French line each."""
    if isinstance(exc, FormError):
        return list(exc.problems)
    if isinstance(exc, LoadError | IntegrityError):
        return [str(p) for p in exc.problems]
    return [str(exc)]


def status(exc: Exception) -> int:
    """409 when the questionnaire changed since the page was loaded, 400 for any other refusal."""
    return 409 if isinstance(exc, ConflictError) else 400


def refused(exc: Exception, page: Callable[[list[str]], str] | None = None) -> tuple[str, int]:
    """The answer to a refusal: ``page`` with the problems, or the error page.

    Args:
        exc: the refusal.
        page: renders the page the request came from, the problems shown at its form; when it
            cannot be built (the dossier it shows is unreadable…), the error page is shown.
    """
    found = problems(exc)
    if page is not None:
        try:
            return page(found), status(exc)
        except REFUSALS as again:
            found = [*found, *(p for p in problems(again) if p not in found)]
    return render_template(
        "erreur.html", title="Requête refusée", message="Erreur : à corriger", problems=found
    ), status(exc)
