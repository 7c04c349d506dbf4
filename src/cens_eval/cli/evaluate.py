"""``cens-eval evaluate FILE``: verdicts, per-principle table, blocking gaps and échéances."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from cens_eval.cli.context import catalogue, echo_problems
from cens_eval.evaluation import evaluate
from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.render.text import render_text

AS_OF = click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date d'évaluation AAAA-MM-JJ (par défaut : aujourd'hui).",
)


@click.command("evaluate")
@click.argument("file", type=click.Path(path_type=Path))
@AS_OF
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def evaluate_cmd(ctx: click.Context, file: Path, as_of: dt.datetime | None, fmt: str) -> int:
    """Évaluer un questionnaire : code 0 si conforme, 1 si non conforme, 2 si entrée invalide."""
    loaded = load_questionnaire(file, catalogue(ctx))
    echo_problems(loaded.warnings)
    day = as_of.date() if as_of else dt.date.today()
    evaluation = evaluate(loaded.questionnaire, loaded.referentiels, as_of=day)
    if fmt == "json":
        click.echo(json.dumps(evaluation.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(evaluation), nl=False)
    return 0 if evaluation.conforme else 1
