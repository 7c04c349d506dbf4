"""``cens-eval dossier verify DIR``, ``dossier diff ANCIEN NOUVEAU`` and ``dossier export DIR --format oscal``."""

from __future__ import annotations

from pathlib import Path

import click

from cens_eval.cli.context import echo, echo_json
from cens_eval.cli.signing import AC_OPTION, read_roots, signature_lines
from cens_eval.errors import IntegrityError


@click.group("dossier")
def dossier() -> None:
    """Vérifier un dossier de conformité, l'exporter (OSCAL)."""


@dossier.command()
@click.argument("directory", type=click.Path(path_type=Path))
@AC_OPTION
def verify(directory: Path, ac_file: Path | None) -> None:
    """Vérifier l'intégrité d'un dossier ou d'une copie revue (0 intact, 1 modifié, 2 illisible)."""
    from cens_eval.review.seal import verify_dossier

    result = verify_dossier(directory, roots=read_roots(ac_file))
    echo(*(f"{directory} : {note}" for note in result.notes))
    echo(*signature_lines(directory, result.signatures))
    if not result.intact:
        raise IntegrityError(result.problems)
    if result.reproduced:
        echo(f"{directory} : dossier intact (empreintes et réévaluation identiques).")
    else:
        echo(f"{directory} : dossier intact (empreintes, résultats, scores et verdicts vérifiés).")


@dossier.command()
@click.argument("directory", metavar="DOSSIER", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["oscal"]),
    required=True,
    help="oscal : résultats d'évaluation OSCAL 1.2.1 (assessment results, JSON).",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="Fichier .json à écrire."
)
@click.option("--force", is_flag=True, help="Remplacer le fichier s'il existe.")
def export(directory: Path, fmt: str, output: Path, force: bool) -> None:
    """Exporter un dossier vérifié (ou une copie revue) hors de son dossier (0 ; 1 modifié ; 2)."""
    from cens_eval.service.operations import oscal_results
    from cens_eval.service.output import Folder, check_outputs, write_atomic

    if output.suffix.lower() != ".json":
        raise click.UsageError("les résultats OSCAL s'écrivent dans un fichier .json")
    check_outputs([output], [Folder(directory)], force=force)
    data, reviewed = oscal_results(directory)
    write_atomic(output, data, force=force)
    what = "dossier revu" if reviewed else "dossier"
    echo(f"{output} écrit : résultats d'évaluation OSCAL du {what} {directory}.")


@dossier.command()
@click.argument("ancien", type=click.Path(path_type=Path))
@click.argument("nouveau", type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Écrire l'évolution dans un classeur .xlsx.",
)
@click.option("--force", is_flag=True, help="Remplacer le classeur s'il existe.")
def diff(ancien: Path, nouveau: Path, fmt: str, output: Path | None, force: bool) -> int:
    """Comparer deux dossiers d'une solution (0 identiques, 1 différents, 2 illisible ou altéré)."""
    from cens_eval.render.evolution_dossier import evolution_text, evolution_xlsx
    from cens_eval.review.evolution import diff_dossiers
    from cens_eval.service.output import Folder, check_outputs, write_atomic

    if output is not None:
        if output.suffix.lower() != ".xlsx":
            raise click.BadParameter("le classeur doit avoir l'extension .xlsx", param_hint="-o")
        check_outputs([output], [Folder(ancien), Folder(nouveau)], force=force)
    evolution = diff_dossiers(ancien, nouveau)
    if fmt == "json":
        echo_json(evolution.model_dump(mode="json"))
    else:
        echo(*evolution_text(evolution))
    if output is not None:
        write_atomic(output, evolution_xlsx(evolution), force=force)
        echo(f"Évolution écrite dans {output}.", err=fmt == "json")
    return 0 if evolution.identiques else 1
