"""``cens-eval batch DIR… -o FILE.xlsx [--json FILE]``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from cens_eval.cli.output import write_atomic


@click.command("batch")
@click.argument("folders", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Synthèse .xlsx à écrire.",
)
@click.option(
    "--json",
    "json_output",
    type=click.Path(path_type=Path),
    default=None,
    help="Synthèse JSON à écrire.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processus en parallèle (défaut : tous les cœurs).",
)
@click.option(
    "--generated-at",
    type=click.DateTime(),
    default=None,
    help="Date inscrite dans le classeur (défaut : maintenant).",
)
@click.option("--force", is_flag=True, help="Remplacer les fichiers existants.")
def batch(
    folders: tuple[Path, ...],
    output: Path,
    json_output: Path | None,
    jobs: int | None,
    generated_at: dt.datetime | None,
    force: bool,
) -> int:
    """Vérifier et noter tous les dossiers trouvés (code 1 si l'un d'eux échoue à la vérification)."""
    from cens_eval.batch import Integrite, find_dossiers, score_batch

    if output.suffix.lower() != ".xlsx":
        raise click.UsageError("la synthèse doit finir par .xlsx")
    for target in (output, json_output):
        if target is not None and target.exists() and not force:
            raise click.UsageError(f"{target} existe déjà (ajouter --force pour le remplacer)")
    missing = [str(f) for f in folders if not f.exists()]
    if missing:
        raise click.UsageError(f"dossier introuvable : {', '.join(missing)}")
    found = find_dossiers(folders)
    if not found:
        raise click.UsageError("aucun dossier (dossier.json) trouvé")
    if sys.stderr.isatty():
        with click.progressbar(length=len(found), label="Dossiers", file=sys.stderr) as bar:
            synthese = score_batch(found, workers=jobs, on_progress=bar.update)
    else:
        synthese = score_batch(found, workers=jobs)
    from cens_eval.render.batch_xlsx import render_batch_xlsx

    stamp = generated_at or dt.datetime.now(dt.UTC)
    write_atomic(output, render_batch_xlsx(synthese, stamp), force=force)
    if json_output is not None:
        text = json.dumps(synthese.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
        write_atomic(json_output, text.encode(), force=force)
    for row in synthese.echecs:
        label = "illisible" if row.integrite is Integrite.ILLISIBLE else "modifié"
        click.echo(f"{row.chemin}: {label} : {row.raison}", err=True)
    intact = len(found) - len(synthese.echecs)
    click.echo(
        f"{len(found)} dossier(s) : {intact} intact(s), {len(synthese.echecs)} en échec. Synthèse : {output}"
    )
    return 1 if synthese.echecs else 0
