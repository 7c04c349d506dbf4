"""Helpers shared by commands: the catalogue to use and output of JSON to the terminal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cens_eval.errors import Problem

if TYPE_CHECKING:
    from cens_eval.catalogue import Catalogue


def catalogue(ctx: click.Context) -> Catalogue:
    """Load the référentiels folder chosen on the command line (or the default one)."""
    from cens_eval.loader.locate import default_referentiels_dir
    from cens_eval.loader.referentiels import load_catalogue

    folder: Path | None = ctx.find_root().obj
    return load_catalogue(folder or default_referentiels_dir())


def echo_json(data: Any) -> None:
    """Print data as indented, key-ordered JSON."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False))


def echo_problems(problems: list[Problem]) -> None:
    """Print located problems (warnings included) on standard error, one per line."""
    for problem in problems:
        click.echo(str(problem), err=True)
