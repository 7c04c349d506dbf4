"""The command tree: the root group and its sub-commands, registered in one place."""

from __future__ import annotations

from pathlib import Path

import click

from cens_eval.cli.batch import batch
from cens_eval.cli.dossier import dossier
from cens_eval.cli.evaluate import evaluate_cmd
from cens_eval.cli.questionnaire import questionnaire
from cens_eval.cli.referentiels import referentiels
from cens_eval.cli.review import review


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--referentiels",
    "referentiels_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DOSSIER",
    default=None,
    help="Dossier des référentiels (par défaut : $CENS_EVAL_REFERENTIELS, ./referentiels, ou ceux fournis).",
)
@click.version_option(package_name="cens-eval", message="cens-eval %(version)s")
@click.pass_context
def root(ctx: click.Context, referentiels_dir: Path | None) -> None:
    """Évaluer une solution numérique en santé au regard des référentiels éthiques du CENS."""
    ctx.obj = referentiels_dir


root.add_command(referentiels)
root.add_command(evaluate_cmd)
root.add_command(questionnaire)
root.add_command(dossier)
root.add_command(review)
root.add_command(batch)
