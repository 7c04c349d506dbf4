"""Load a phase-in calendar (YAML or JSON) and check it against the référentiels evaluated."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from cens_eval.errors import LoadError, Problem
from cens_eval.loader.files import read_document
from cens_eval.loader.messages import problem_at, problems_from_validation
from cens_eval.model.calendrier import Calendrier
from cens_eval.model.referentiel import Referentiel
from cens_eval.model.vocabulary import Niveau


@dataclass(frozen=True)
class LoadedCalendrier:
    """A checked calendar, its file and the SHA-256 of its bytes."""

    calendrier: Calendrier
    path: Path
    sha256: str
    warnings: list[Problem]
    """Passages for référentiels that are not evaluated: ignored, and said so."""


def load_calendrier(path: Path | str, referentiels: Sequence[Referentiel]) -> LoadedCalendrier:
    """Load a calendar and check its passages against the référentiels evaluated.

    Each passage names an exigence of the référentiel version it is listed under, and that
    exigence is a préconisation (an exigence is mandatory already). Passages for a référentiel
    version that is not evaluated are ignored, with a warning.

    Args:
        path: the calendar file.
        referentiels: the référentiels the questionnaire answers.

    Raises:
        LoadError: with every located problem of the file.
    """
    path = Path(path)
    doc, digest = read_document(path)
    try:
        calendrier = Calendrier.model_validate(doc.data)
    except ValidationError as exc:
        raise LoadError(problems_from_validation(doc, exc)) from None
    by_key = {(r.id, r.version): r for r in referentiels}
    problems: list[Problem] = []
    warnings: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for i, block in enumerate(calendrier.referentiels):
        loc = ("referentiels", i)
        key = (block.id, block.version)
        if key in seen:
            problems.append(
                problem_at(doc, (*loc, "id"), f"référentiel {block.id} {block.version} déjà listé")
            )
            continue
        seen.add(key)
        ref = by_key.get(key)
        if ref is None:
            warnings.append(
                problem_at(
                    doc,
                    (*loc, "id"),
                    f"référentiel {block.id} {block.version} non évalué : passages ignorés",
                    warning=True,
                )
            )
            continue
        named: set[str] = set()
        for j, passage in enumerate(block.passages):
            where = (*loc, "passages", j, "exigence")
            exigence = ref.exigence(passage.exigence)
            if passage.exigence in named:
                problems.append(problem_at(doc, where, f"exigence {passage.exigence} déjà datée"))
            elif exigence is None:
                ids = [e.id for e in ref.exigences]
                close = difflib.get_close_matches(passage.exigence, ids, n=1)
                hint = f" (voulez-vous dire {close[0]} ?)" if close else ""
                problems.append(
                    problem_at(
                        doc,
                        where,
                        f"exigence {passage.exigence} inconnue dans {ref.id} {ref.version}{hint}",
                    )
                )
            elif exigence.niveau is not Niveau.PRECONISATION:
                problems.append(
                    problem_at(
                        doc,
                        where,
                        f"{passage.exigence} est déjà obligatoire : seule une préconisation "
                        "devient obligatoire à une date",
                    )
                )
            named.add(passage.exigence)
    if problems:
        raise LoadError(problems)
    return LoadedCalendrier(calendrier, path, digest, warnings)
