"""``cens-eval evaluate FILE``: verdicts, per-principle table, blocking gaps, échéances, and the dossier."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cens_eval.cli.context import (
    catalogue,
    catalogue_inputs,
    echo,
    echo_json,
    echo_problems,
    questionnaire_inputs,
)
from cens_eval.cli.signing import read_signer, signer_options
from cens_eval.errors import Problem
from cens_eval.render import Format
from cens_eval.render.terminal import printable
from cens_eval.service.output import Folder, check_outputs

AS_OF = click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date d'évaluation AAAA-MM-JJ (par défaut : aujourd'hui).",
)
REPORTS_DIR = Path("reports")

if TYPE_CHECKING:
    from cens_eval.loader.questionnaire import LoadedQuestionnaire


def parse_formats(value: str) -> list[Format]:
    """The formats named by ``--formats``; JSON is always required."""
    chosen = []
    for item in (v.strip() for v in value.split(",") if v.strip()):
        try:
            chosen.append(Format(item))
        except ValueError:
            raise click.BadParameter(
                printable(f"format inconnu « {item} » (json, xlsx, pdf)"), param_hint="'--formats'"
            ) from None
    if Format.JSON not in chosen:
        raise click.BadParameter(
            "le format json (dossier canonique) est toujours produit : l'ajouter à la liste",
            param_hint="'--formats'",
        )
    return chosen


@click.command("evaluate")
@click.argument("file", type=click.Path(path_type=Path))
@AS_OF
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Dossier à écrire (dossier de sortie).",
)
@click.option(
    "--dossier",
    "default_dossier",
    is_flag=True,
    help="Écrire le dossier sous reports/<nom du questionnaire>.",
)
@click.option("--formats", default="json,xlsx,pdf", show_default=True, help="Fichiers du dossier.")
@click.option(
    "--generated-at",
    type=click.DateTime(),
    default=None,
    help="Date de génération inscrite (défaut : la date d'évaluation).",
)
@click.option("--force", is_flag=True, help="Remplacer un dossier existant.")
@click.option(
    "--calendrier",
    "calendrier_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Calendrier de passage à l'obligation (YAML ou JSON), appliqué aux référentiels.",
)
@click.option(
    "--signalements",
    "signalements_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Registre d'éthicovigilance : les signalements sur la solution sont montrés (jamais notés).",
)
@signer_options("dossier.pdf et le manifeste du dossier (avec -o)")
@click.pass_context
def evaluate_cmd(
    ctx: click.Context,
    file: Path,
    as_of: dt.datetime | None,
    fmt: str,
    output: Path | None,
    default_dossier: bool,
    formats: str,
    generated_at: dt.datetime | None,
    force: bool,
    calendrier_file: Path | None,
    signalements_file: Path | None,
    signer_file: Path | None,
    password_env: str | None,
) -> int:
    """Évaluer un questionnaire : code 0 si conforme, 1 si non conforme, 2 si entrée invalide."""
    from cens_eval.engine.evaluation import evaluate
    from cens_eval.loader.questionnaire import load_questionnaire
    from cens_eval.render.text import render_text

    chosen = parse_formats(formats)
    if output is None and default_dossier:
        output = REPORTS_DIR / (file.parent.name if file.stem == "questionnaire" else file.stem)
    if signer_file is not None and output is None:
        raise click.UsageError("--signer signe le dossier écrit : donner aussi -o DOSSIER")
    if output is not None:  # refused early on what is known before reading; again once read
        inputs = [file, calendrier_file, signalements_file, signer_file]
        check_outputs([Folder(output)], inputs, force=force)
    signer = read_signer(signer_file, password_env)
    cat = catalogue(ctx)
    loaded = load_questionnaire(file, cat)
    echo_problems(loaded.warnings)
    echo_problems([dataclasses.replace(p, warning=True) for p in loaded.gaps])  # not ready
    calendrier = None
    if calendrier_file is not None:
        from cens_eval.loader.calendrier import load_calendrier

        calendrier = load_calendrier(calendrier_file, loaded.referentiels)
        echo_problems(calendrier.warnings)
    echo_problems(_to_reconfirm(file, loaded))
    registre = None
    if signalements_file is not None:
        from cens_eval.loader.signalements import load_signalements

        register = load_signalements(signalements_file, cat, today=dt.date.today())
        echo_problems(register.warnings)
        registre = (register.registre, register.sha256)
    if output is not None:
        read = [*questionnaire_inputs(loaded), calendrier_file, signalements_file]
        check_outputs([Folder(output)], [*read, *catalogue_inputs(cat)], force=force)
    day = as_of.date() if as_of else dt.date.today()
    stamp = generated_at.replace(tzinfo=generated_at.tzinfo or dt.UTC) if generated_at else None
    if output is None:
        from cens_eval.errors import LoadError
        from cens_eval.loader.questionnaire import dated_after

        future = dated_after(loaded, day)
        if future:
            raise LoadError(future)
        evaluation = evaluate(
            loaded.questionnaire,
            loaded.referentiels,
            as_of=day,
            calendrier=calendrier.calendrier if calendrier else None,
            vocabulaire=cat.vocabulaire,
        )
    else:
        from cens_eval.service.operations import produce_dossier

        produced = produce_dossier(
            loaded,
            cat,
            as_of=day,
            generated_at=stamp,
            formats=chosen,
            calendrier=calendrier,
            signalements=registre,
        )
        evaluation = produced.evaluation
    if fmt == "json":
        echo_json(evaluation.model_dump(mode="json"))
    else:
        echo(*render_text(evaluation))
        if registre is not None:
            from cens_eval.engine.signalements import concerning
            from cens_eval.render.signalements import signalements_text

            q = loaded.questionnaire
            echo(*signalements_text(concerning(registre[0], q.editeur.nom, q.solution.nom)))
    if output is not None:
        from cens_eval.service.operations import write_dossier

        write_dossier(output, produced, force=force, signer=signer)
        echo(f"Dossier écrit dans {output} ({', '.join(produced.rendered)}).", err=fmt == "json")
        if signer is not None:
            from cens_eval.service.signing import signed_message

            echo(signed_message(signer, review=False), err=fmt == "json")
    return 0 if evaluation.conforme else 1


def _to_reconfirm(file: Path, loaded: LoadedQuestionnaire) -> list[Problem]:
    """The answers still to reconfirm after a migration: shown, never refused."""
    from cens_eval.engine.readiness import to_reconfirm

    return [
        Problem(
            str(file),
            loaded.where(("reponses", f.referentiel, f.exigence, "a_reconfirmer")),
            f"{f.referentiel} › Exigence {f.exigence}: {f.message}",
            warning=True,
        )
        for f in to_reconfirm(loaded.questionnaire)
    ]
