"""``cens-eval dossier verify DIR`` and ``dossier export DIR --format oscal -o FILE``."""

from __future__ import annotations

from pathlib import Path

import click

from cens_eval.cli.context import echo
from cens_eval.errors import IntegrityError


@click.group("dossier")
def dossier() -> None:
    """Vérifier un dossier de conformité, l'exporter (OSCAL)."""


@dossier.command()
@click.argument("directory", type=click.Path(path_type=Path))
def verify(directory: Path) -> None:
    """Vérifier l'intégrité d'un dossier ou d'une copie revue (0 intact, 1 modifié, 2 illisible)."""
    from cens_eval.review.seal import verify_dossier

    result = verify_dossier(directory)
    echo(*(f"{directory} : {note}" for note in result.notes))
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
    import hashlib
    import os

    from cens_eval.cli.output import Folder, check_outputs, write_atomic
    from cens_eval.loader.dossier import REVUE_JSON, read_dossier, read_reviewed
    from cens_eval.render.oscal_results import render_assessment_results
    from cens_eval.review.seal import verify_dossier

    if output.suffix.lower() != ".json":
        raise click.UsageError("les résultats OSCAL s'écrivent dans un fichier .json")
    check_outputs([output], [Folder(directory)], force=force)
    result = verify_dossier(directory)
    if not result.intact:
        raise IntegrityError(result.problems)
    _, raw = read_dossier(directory)
    dossier_sha256 = hashlib.sha256(raw).hexdigest()
    reviewed = os.path.lexists(directory / REVUE_JSON)
    if reviewed:
        revue, revue_raw = read_reviewed(directory)
        data = render_assessment_results(
            revue, dossier_sha256, hashlib.sha256(revue_raw).hexdigest()
        )
    else:
        data = render_assessment_results(read_dossier(directory)[0], dossier_sha256)
    write_atomic(output, data, force=force)
    what = "dossier revu" if reviewed else "dossier"
    echo(f"{output} écrit : résultats d'évaluation OSCAL du {what} {directory}.")
