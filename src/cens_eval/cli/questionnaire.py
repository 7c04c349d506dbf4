"""``cens-eval questionnaire init | check``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cens_eval.cli.context import catalogue, echo, echo_problems
from cens_eval.cli.evaluate import AS_OF
from cens_eval.cli.output import write_atomic
from cens_eval.errors import LoadError, Problem
from cens_eval.render.terminal import printable

if TYPE_CHECKING:
    from cens_eval.model.profil import Profil, VocabulaireProfil


@click.group()
def questionnaire() -> None:
    """Préparer et vérifier un questionnaire d'auto-évaluation."""


@questionnaire.command()
@click.option(
    "--profil",
    "profil_file",
    type=click.Path(path_type=Path),
    help="Fichier de profil (YAML ou JSON).",
)
@click.option(
    "--referentiel",
    "wanted",
    multiple=True,
    help="Référentiel à inclure (répétable) ; par défaut, tous ceux qui s'appliquent au profil.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Fichier .yaml ou .xlsx à écrire.",
)
@click.option("--force", is_flag=True, help="Remplacer le fichier s'il existe.")
@click.pass_context
def init(
    ctx: click.Context, profil_file: Path | None, wanted: tuple[str, ...], output: Path, force: bool
) -> None:
    """Écrire un questionnaire vierge ne contenant que les exigences applicables au profil."""
    from cens_eval.engine.orientation import referentiels_for, unanswered
    from cens_eval.loader.profil import load_profil

    suffix = output.suffix.lower()
    if suffix not in (".yaml", ".yml", ".xlsx"):
        raise click.UsageError("le fichier de sortie doit finir par .yaml, .yml ou .xlsx")
    cat = catalogue(ctx)
    if profil_file is not None:
        profil = load_profil(profil_file, cat.vocabulaire)
    elif sys.stdin.isatty():
        profil = _ask_profil(cat.vocabulaire)
    else:
        raise click.UsageError(
            "indiquer --profil FICHIER (ou lancer la commande dans un terminal pour répondre aux questions)"
        )
    refs = referentiels_for(cat, profil, wanted)
    missing = unanswered(profil, refs)
    if missing:
        source = str(profil_file or "profil")
        raise LoadError(
            [Problem(source, "", f"question de profil sans réponse : {q}") for q in missing]
        )
    if suffix == ".xlsx":
        from cens_eval.render.questionnaire_xlsx import render_questionnaire_xlsx

        data = render_questionnaire_xlsx(profil, refs, cat.vocabulaire)
    else:
        from cens_eval.render.questionnaire_yaml import render_questionnaire_yaml

        data = render_questionnaire_yaml(profil, refs, cat.vocabulaire).encode()
    write_atomic(output, data, force=force)
    counts = ", ".join(f"{r.id} {r.version}" for r in refs)
    echo(f"{output} écrit ({counts}).")


def _ask_profil(vocabulaire: VocabulaireProfil) -> Profil:
    from cens_eval.model.profil import TypeQuestion

    profil: Profil = {}
    for question in vocabulaire.questions:
        text = printable(question.libelle)  # ids are plain (letters, digits, . _ -): texts are not
        if question.type is TypeQuestion.BOOLEEN:
            answer = click.prompt(text, type=click.Choice(["oui", "non"]), default="non")
            profil[question.id] = answer == "oui"
        else:
            choices = [c.id for c in question.choix]
            profil[question.id] = click.prompt(text, type=click.Choice(choices))
    return profil


@questionnaire.command()
@click.argument("file", type=click.Path(path_type=Path))
@AS_OF
@click.pass_context
def check(ctx: click.Context, file: Path, as_of: dt.datetime | None) -> int:
    """Vérifier qu'un questionnaire est prêt à être soumis (code 0 prêt, 1 pas prêt)."""
    from cens_eval.engine.evaluation import evaluate
    from cens_eval.engine.readiness import readiness
    from cens_eval.loader.questionnaire import load_questionnaire

    loaded = load_questionnaire(file, catalogue(ctx), strict=False)
    echo_problems(loaded.warnings)
    day = as_of.date() if as_of else dt.date.today()
    evaluation = evaluate(loaded.questionnaire, loaded.referentiels, as_of=day)
    problems = list(loaded.gaps)
    for finding in readiness(evaluation):
        where = loaded.where(("reponses", finding.referentiel, finding.exigence))
        problems.append(
            Problem(
                str(file),
                where,
                f"{finding.referentiel} › Exigence {finding.exigence}: {finding.message}",
            )
        )
    problems.sort(key=lambda p: (int(p.where) if p.where.isdigit() else 0, p.where, p.message))
    echo_problems(problems)
    if problems:
        echo(f"{file} : pas prêt ({len(problems)} point(s) à corriger).")
        return 1
    echo(f"{file} : prêt à être soumis.")
    return 0


@questionnaire.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Classeur .xlsx à écrire.",
)
@click.option("--force", is_flag=True, help="Remplacer le fichier s'il existe.")
@click.pass_context
def convert(ctx: click.Context, file: Path, output: Path, force: bool) -> None:
    """Convertir un questionnaire rempli (YAML ou JSON) en classeur Excel, réponses comprises."""
    if output.suffix.lower() != ".xlsx":
        raise click.UsageError("le fichier de sortie doit finir par .xlsx")
    from cens_eval.loader.questionnaire import load_questionnaire

    cat = catalogue(ctx)
    loaded = load_questionnaire(file, cat, strict=False)
    echo_problems(loaded.warnings)
    from cens_eval.loader.messages import problem_at
    from cens_eval.render.questionnaire_xlsx import UnwritableText, render_questionnaire_xlsx

    q = loaded.questionnaire
    try:
        data = render_questionnaire_xlsx(q.profil, loaded.referentiels, cat.vocabulaire, q)
    except UnwritableText as exc:  # located in the questionnaire, like any other refusal
        raise LoadError([problem_at(loaded.document, loc, why) for loc, why in exc.texts]) from None
    write_atomic(output, data, force=force)
    echo(f"{output} écrit.")
