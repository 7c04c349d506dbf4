"""The two cells of a questionnaire workbook that hold an answer taken from another exigence.

« Reprise de » names each source on its own line, ``référentiel exigence`` (``ia-sante
CE-IA-17``); « Reprise confirmée » says oui or non: once for every source, or one per line in
the order of the sources. Written by :func:`reprise_cells`, read back exactly by
:func:`parse_reprise_cells` (no openpyxl here).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cens_eval.model.questionnaire import Reprise
from cens_eval.model.questionnaire_sheets import BOOLEAN_WORDS

EXAMPLE = "ia-sante CE-IA-17"


def reprise_cells(reprises: Sequence[Reprise], ask: bool = False) -> tuple[str | None, str | None]:
    """The « Reprise de » and « Reprise confirmée » cells of an answer's reprises.

    Args:
        reprises: the sources, in order, as written in the questionnaire.
        ask: write « non » for sources not confirmed (a pre-fill to confirm), rather than
            leaving the cell empty (which reads the same).
    """
    if not reprises:
        return None, None
    sources = "\n".join(f"{r.referentiel} {r.exigence}" for r in reprises)
    marks = ["oui" if r.confirmee else "non" for r in reprises]
    if len(set(marks)) > 1:
        return sources, "\n".join(marks)
    if marks[0] == "oui":
        return sources, "oui"
    return sources, "non" if ask else None


@dataclass
class RepriseCells:
    """The reprises read from the two cells, and why each cell could not be read."""

    reprises: list[dict[str, Any]] = field(default_factory=list)
    source_problems: list[str] = field(default_factory=list)
    """Problems of the « Reprise de » cell."""
    confirmee_problems: list[str] = field(default_factory=list)
    """Problems of the « Reprise confirmée » cell."""


def parse_reprise_cells(sources: str | None, confirmee: Any) -> RepriseCells:
    """Read the « Reprise de » cell (text) and the « Reprise confirmée » cell (as stored).

    A source line is two words, référentiel then exigence; a confirmation is oui or non (or
    true/false, vrai/faux, a spreadsheet boolean): one for all the sources, or one per source.
    An empty confirmation is non. A confirmation without any source is refused, never ignored.
    """
    cell = RepriseCells()
    named: list[tuple[str, str]] = []
    for line in (sources or "").split("\n"):
        words = line.split()
        if not words:
            continue
        if len(words) != 2:
            shown = " ".join(words)
            shown = shown if len(shown) <= 80 else f"{shown[:77]}…"
            cell.source_problems.append(
                f"reprise illisible « {shown} » : attendu « référentiel exigence » "
                f"(ex. {EXAMPLE}), une par ligne"
            )
            continue
        named.append((words[0], words[1]))
    marks = _marks(confirmee, cell)
    if cell.source_problems or cell.confirmee_problems:
        return cell
    if not named:
        if marks:
            cell.confirmee_problems.append(
                "« Reprise confirmée » remplie sans « Reprise de » : nommer la réponse reprise "
                f"(ex. {EXAMPLE}), ou vider la cellule"
            )
        return cell
    if len(marks) == 1:
        marks *= len(named)
    elif not marks:
        marks = [False] * len(named)
    elif len(marks) != len(named):
        cell.confirmee_problems.append(
            f"{len(marks)} réponses oui/non pour {len(named)} reprises : écrire oui ou non une "
            "seule fois pour toutes, ou une par ligne dans l'ordre de « Reprise de »"
        )
        return cell
    cell.reprises = [
        {"referentiel": ref, "exigence": exigence, "confirmee": mark}
        for (ref, exigence), mark in zip(named, marks, strict=True)
    ]
    return cell


def _marks(confirmee: Any, cell: RepriseCells) -> list[bool]:
    """The oui/non of the confirmation cell, one per line (empty when the cell is)."""
    if confirmee is None:
        return []
    if isinstance(confirmee, bool):
        return [confirmee]
    if not isinstance(confirmee, str):
        cell.confirmee_problems.append(f"« {confirmee} » : écrire oui ou non")
        return []
    marks = []
    for line in confirmee.split("\n"):
        typed = " ".join(line.split())
        if not typed:
            continue
        mark = BOOLEAN_WORDS.get(typed.casefold())
        if mark is None:
            shown = typed if len(typed) <= 40 else f"{typed[:39]}…"
            cell.confirmee_problems.append(f"« {shown} » : écrire oui ou non")
        else:
            marks.append(mark)
    return marks
