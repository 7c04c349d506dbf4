"""The command tree: the root group and its sub-commands, registered in one place.

A sub-command's module is imported only when that command runs (or shows its own help): a
command line that starts quickly is one that does not build every other command first.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

import click

from cens_eval.cli.i18n import FRENCH, french_command

COMMANDS: dict[str, tuple[str, str, str]] = {
    "batch": (
        "cens_eval.cli.batch",
        "batch",
        "Vérifier et noter tous les dossiers trouvés (code 1 si l'un d'eux est modifié ou illisible).",
    ),
    "dossier": (
        "cens_eval.cli.dossier",
        "dossier",
        "Vérifier un dossier de conformité, l'exporter (OSCAL).",
    ),
    "evaluate": (
        "cens_eval.cli.evaluate",
        "evaluate_cmd",
        "Évaluer un questionnaire : code 0 si conforme, 1 si non conforme, 2 si entrée invalide.",
    ),
    "questionnaire": (
        "cens_eval.cli.questionnaire",
        "questionnaire",
        "Préparer et vérifier un questionnaire d'auto-évaluation.",
    ),
    "referentiels": (
        "cens_eval.cli.referentiels",
        "referentiels",
        "Lister, afficher, valider, importer, exporter et comparer les référentiels.",
    ),
    "review": (
        "cens_eval.cli.review",
        "review",
        "Revoir un dossier soumis, exigence par exigence.",
    ),
    "serve": (
        "cens_eval.cli.serve",
        "serve",
        "Lancer l'application web locale (éditeur et évaluateur) sur 127.0.0.1.",
    ),
    "signalements": (
        "cens_eval.cli.signalements",
        "signalements",
        "Vérifier un registre d'éthicovigilance, en tirer un rapport et le journal d'activité.",
    ),
}
"""Each command's module, the click object in it, and the first paragraph of its help."""


class _LazyGroup(click.Group):
    """A group whose commands are imported when used; their summaries come from ``COMMANDS``."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        command = getattr(import_module(entry[0]), entry[1])
        assert isinstance(command, click.Command)
        return french_command(command)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [
            (name, click.Command(name, help=COMMANDS[name][2]).get_short_help_str(limit))
            for name in self.list_commands(ctx)
        ]
        with formatter.section(FRENCH["Commands"]):
            formatter.write_dl(rows)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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


french_command(root)
