"""Helpers shared by commands: the catalogue to use, and every output to the terminal.

Commands print through :func:`echo`, :func:`echo_json` and :func:`echo_problems` only: texts
read from inputs (an éditeur's name, a justification, a référentiel's wording) reach the
terminal with their control and bidirectional characters shown as escapes, never raw.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cens_eval.errors import Problem
from cens_eval.render.terminal import printable, printable_json

if TYPE_CHECKING:
    from cens_eval.loader.questionnaire import LoadedQuestionnaire
    from cens_eval.model.catalogue import Catalogue


def catalogue(ctx: click.Context) -> Catalogue:
    """Load the référentiels folder chosen on the command line (or the default one)."""
    from cens_eval.loader.locate import default_referentiels_dir
    from cens_eval.loader.referentiels import load_catalogue

    folder: Path | None = ctx.find_root().obj
    return load_catalogue(folder or default_referentiels_dir())


def catalogue_inputs(cat: Catalogue) -> list[Path]:
    """Every file the catalogue read: its référentiels and its profil vocabulary (no output may be one)."""
    return [*cat.fichiers.values(), *([cat.vocabulaire_fichier] if cat.vocabulaire_fichier else [])]


def questionnaire_inputs(loaded: LoadedQuestionnaire) -> list[Path]:
    """The questionnaire file and every evidence file it names (no output may be one)."""
    base = loaded.path.parent
    return [loaded.path, *(base.joinpath(*p.chemin.split("/")) for p in loaded.pieces)]


def echo(*lines: str, err: bool = False) -> None:
    """Print each line, control and bidirectional characters shown as escapes.

    A line break inside a line (an input's text on two lines) is escaped too: an input can
    neither rewrite the screen nor add a line of its own.

    Args:
        lines: the lines to print, each followed by a line break.
        err: print on standard error.
    """
    for line in lines:
        click.echo(printable(line), err=err)


def echo_json(data: Any) -> None:
    """Print data as indented JSON (keys in their order), safe on a terminal and still valid."""
    click.echo(printable_json(json.dumps(data, ensure_ascii=False, indent=2)))


def echo_problems(problems: list[Problem]) -> None:
    """Print located problems (warnings included) on standard error, one per line."""
    echo(*(str(problem) for problem in problems), err=True)
