"""``cens-eval batch DIR… -o FILE.xlsx [--json FILE]``."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
from pathlib import Path

import click

from cens_eval.cli.signing import AC_OPTION, read_roots
from cens_eval.loader.dossier import DOSSIER_JSON, search_dossiers
from cens_eval.model.batch import Integrite
from cens_eval.render.terminal import printable
from cens_eval.review.batch import DOSSIER_TIMEOUT, score_batch
from cens_eval.service.output import Folder, check_outputs, write_atomic

FAILURE_LABELS = {
    Integrite.MODIFIE: "modifié",
    Integrite.ILLISIBLE: "illisible",
    Integrite.ERREUR: "erreur",
}
"""How each failed verification is named on the terminal."""


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
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDES",
    default=DOSSIER_TIMEOUT,
    show_default=True,
    help="Durée maximale de la vérification d'un dossier, en secondes ; au-delà, le dossier est noté en erreur.",
)
@click.option(
    "--generated-at",
    type=click.DateTime(),
    default=None,
    help="Date inscrite dans le classeur (défaut : maintenant).",
)
@click.option(
    "--expire-sous",
    type=click.IntRange(min=0),
    metavar="JOURS",
    default=None,
    help="Signaler les preuves qui expirent dans les JOURS jours suivant la date d'évaluation de chaque dossier (jour limite compris).",
)
@click.option("--force", is_flag=True, help="Remplacer les fichiers existants.")
@AC_OPTION
def batch(
    folders: tuple[Path, ...],
    output: Path,
    json_output: Path | None,
    jobs: int | None,
    timeout: float,
    generated_at: dt.datetime | None,
    expire_sous: int | None,
    force: bool,
    ac_file: Path | None,
) -> int:
    """Vérifier et noter tous les dossiers trouvés (code 1 si l'un d'eux est modifié ou illisible)."""
    if output.suffix.lower() != ".xlsx":
        raise click.UsageError("la synthèse doit finir par .xlsx")
    for target in (output, json_output):
        if target is not None and target.exists() and not force:
            raise click.UsageError(f"{target} existe déjà (ajouter --force pour le remplacer)")
    missing = [str(f) for f in folders if not f.exists()]
    if missing:
        raise click.UsageError(f"dossier introuvable : {', '.join(missing)}")
    roots = read_roots(ac_file)
    search = search_dossiers(folders)
    for folder in search.ignored:
        click.echo(
            printable(
                f"{folder / DOSSIER_JSON}: avertissement : ignoré, ce n'est pas un dossier cens-eval "
                "(dossier.json sans le format « cens-eval/dossier », "
                "ni sous-dossiers questionnaire/ et referentiels/)"
            ),
            err=True,
        )
    found = search.dossiers
    if not found and not search.unreadable:
        raise click.UsageError("aucun dossier cens-eval trouvé")
    read = [*found, *(folder for folder, _ in search.unreadable)]
    check_outputs([output, json_output], [Folder(f) for f in read], force=force)
    score = functools.partial(
        score_batch,
        found,
        workers=jobs,
        timeout=timeout,
        ignored=search.ignored,
        unreadable=search.unreadable,
        expire_sous=expire_sous,
        roots=roots,
    )
    if sys.stderr.isatty():
        with click.progressbar(length=len(found), label="Dossiers", file=sys.stderr) as bar:
            synthese = score(on_progress=bar.update)
    else:
        synthese = score()
    from cens_eval.render.batch_xlsx import render_batch_xlsx
    from cens_eval.render.calibration import calibration_lines

    stamp = generated_at or dt.datetime.now(dt.UTC)
    links = _links([row.chemin for row in synthese.dossiers], output)
    write_atomic(output, render_batch_xlsx(synthese, stamp, links), force=force)
    if json_output is not None:
        text = json.dumps(synthese.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
        write_atomic(json_output, text.encode(), force=force)
    for row in synthese.echecs:
        label = FAILURE_LABELS[row.integrite]
        click.echo(printable(f"{row.chemin}: {label} : {row.raison}"), err=True)
    from cens_eval.render.batch_time import time_lines

    for line in time_lines(synthese):
        click.echo(printable(line))
    failed = len(synthese.echecs)
    counts = f"{len(synthese.dossiers)} dossier(s) : {len(synthese.dossiers) - failed} intact(s), {failed} en échec"
    merged = sum(len(row.copies) for row in synthese.dossiers)
    if merged:
        counts += f", {merged} copie(s) ou jumeau(x) regroupé(s)"
    if synthese.ignores:
        counts += f", {len(synthese.ignores)} ignoré(s)"
    click.echo(printable(f"{counts}. Synthèse : {output}"))
    for line in calibration_lines(synthese):
        click.echo(printable(line))
    return 1 if failed else 0


def _links(folders: list[str], output: Path) -> dict[str, str]:
    """Each dossier folder relative to the workbook's folder, with ``/`` (for its hyperlinks)."""
    base = os.path.abspath(output.parent)
    links = {}
    for folder in folders:
        try:
            links[folder] = Path(os.path.relpath(os.path.abspath(folder), base)).as_posix()
        except ValueError:  # another drive (Windows): no relative path, no link
            continue
    return links
