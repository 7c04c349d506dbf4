"""``cens-eval dossier verify DIR``."""

from __future__ import annotations

from pathlib import Path

import click

from cens_eval.cli.context import echo
from cens_eval.errors import IntegrityError


@click.group("dossier")
def dossier() -> None:
    """Vérifier un dossier de conformité."""


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
