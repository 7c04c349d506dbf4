"""``cens-eval questionnaire init | check | convert | migrate``."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cens_eval.cli.context import (
    catalogue,
    catalogue_inputs,
    echo,
    echo_problems,
    questionnaire_inputs,
)
from cens_eval.cli.evaluate import AS_OF
from cens_eval.errors import LoadError, Problem
from cens_eval.render.terminal import printable
from cens_eval.service.output import check_outputs, write_atomic

if TYPE_CHECKING:
    from cens_eval.loader.questionnaire import LoadedQuestionnaire
    from cens_eval.model.catalogue import Catalogue
    from cens_eval.model.migration import Migration
    from cens_eval.model.profil import Profil, VocabulaireProfil
    from cens_eval.model.referentiel import Referentiel


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
    default=None,
    help="Fichier .yaml ou .xlsx à écrire.",
)
@click.option(
    "--modele-profil",
    "profil_template",
    type=click.Path(path_type=Path),
    default=None,
    help="Écrire un modèle de profil à remplir (YAML, chaque question avec son aide), "
    "à donner ensuite à --profil.",
)
@click.option("--force", is_flag=True, help="Remplacer le fichier s'il existe.")
@click.pass_context
def init(
    ctx: click.Context,
    profil_file: Path | None,
    wanted: tuple[str, ...],
    output: Path | None,
    profil_template: Path | None,
    force: bool,
) -> None:
    """Écrire un questionnaire vierge ne contenant que les exigences applicables au profil.

    Le profil (les questions d'orientation) est lu dans --profil FICHIER, ou demandé question
    par question dans un terminal. --modele-profil FICHIER écrit un profil à remplir.
    """
    from cens_eval.engine.orientation import referentiels_for, unanswered
    from cens_eval.loader.profil import load_profil

    cat = catalogue(ctx)
    if profil_template is not None:
        from cens_eval.render.questionnaire_yaml import render_profil_yaml

        if output is not None or profil_file is not None:
            raise click.UsageError("--modele-profil s'emploie seul (sans -o ni --profil)")
        check_outputs([profil_template], catalogue_inputs(cat), force=force)
        write_atomic(profil_template, render_profil_yaml(cat.vocabulaire).encode(), force=force)
        echo(
            f"{profil_template} écrit : répondre à chaque question, puis "
            f"cens-eval questionnaire init --profil {profil_template} -o questionnaire.yaml"
        )
        return
    if output is None:
        raise click.UsageError("indiquer le fichier à écrire : -o questionnaire.yaml (ou .xlsx)")
    suffix = output.suffix.lower()
    if suffix not in (".yaml", ".yml", ".xlsx"):
        raise click.UsageError("le fichier de sortie doit finir par .yaml, .yml ou .xlsx")
    check_outputs([output], [profil_file, *catalogue_inputs(cat)], force=force)
    if profil_file is not None:
        profil = load_profil(profil_file, cat.vocabulaire)
    elif sys.stdin.isatty():
        profil = _ask_profil(cat.vocabulaire)
    else:
        raise click.UsageError(NO_TERMINAL)
    refs = referentiels_for(cat, profil, wanted)
    missing = unanswered(profil, refs)
    if missing:
        source = str(profil_file or "profil")
        raise LoadError(
            [Problem(source, "", f"question de profil sans réponse : {q}") for q in missing]
        )
    from cens_eval.loader.reprises import proposed_reprises
    from cens_eval.render.reprises import saving_text

    reprises = proposed_reprises(cat, profil, refs)
    reprises_line = saving_text(reprises, profil, refs)
    if suffix == ".xlsx":
        from cens_eval.render.questionnaire_xlsx import render_questionnaire_xlsx

        data = render_questionnaire_xlsx(profil, refs, cat.vocabulaire, reprises=reprises)
    else:
        from cens_eval.render.questionnaire_yaml import render_questionnaire_yaml

        data = render_questionnaire_yaml(profil, refs, cat.vocabulaire, reprises).encode()
    write_atomic(output, data, force=force)
    counts = ", ".join(f"{r.id} {r.version}" for r in refs)
    echo(f"{output} écrit ({counts}).")
    if reprises_line:
        echo(reprises_line)


NO_TERMINAL = (
    "pas de terminal pour poser les questions du profil. Deux façons de continuer : "
    "(1) cens-eval questionnaire init --modele-profil profil.yaml écrit un profil à remplir "
    "(chaque question avec son aide et ses réponses possibles) ; "
    "(2) cens-eval questionnaire init --profil profil.yaml -o questionnaire.yaml lit un profil "
    "déjà rempli (YAML ou JSON, une ligne « question: réponse » par question, "
    "par exemple « utilise_ia: true », ou la section profil d'un questionnaire)"
)
"""What to do when the profil can neither be read from a file nor asked."""


def _ask_profil(vocabulaire: VocabulaireProfil) -> Profil:
    """Ask each profil question, its help text shown before it, in a terminal."""
    from cens_eval.model.profil import TypeQuestion

    echo("Profil de la solution : répondre à chaque question (Entrée garde la valeur proposée).")
    profil: Profil = {}
    for number, question in enumerate(vocabulaire.questions, start=1):
        echo("")
        if question.aide:
            echo(f"  Aide : {question.aide}")
        if question.type is TypeQuestion.CHOIX:
            for choix in question.choix:
                echo(f"  - {choix.id} : {choix.libelle}")
        # ids are plain (letters, digits, . _ -): texts are not
        text = printable(f"{number}/{len(vocabulaire.questions)} {question.libelle}")
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
    from cens_eval.engine.readiness import readiness, to_reconfirm
    from cens_eval.loader.questionnaire import load_questionnaire

    cat = catalogue(ctx)
    loaded = load_questionnaire(file, cat, identity_as_gaps=True)
    echo_problems(loaded.warnings)
    day = as_of.date() if as_of else dt.date.today()
    evaluation = evaluate(
        loaded.questionnaire, loaded.referentiels, as_of=day, vocabulaire=cat.vocabulaire
    )
    problems = list(loaded.gaps)
    for finding in readiness(evaluation):
        where = loaded.where(("reponses", finding.referentiel, finding.exigence, *finding.champ))
        problems.append(
            Problem(
                str(file),
                where,
                f"{finding.referentiel} › Exigence {finding.exigence}: {finding.message}",
            )
        )
    for finding in to_reconfirm(loaded.questionnaire):
        where = loaded.where(("reponses", finding.referentiel, finding.exigence, "a_reconfirmer"))
        problems.append(
            Problem(
                str(file),
                where,
                f"{finding.referentiel} › Exigence {finding.exigence}: {finding.message}",
            )
        )
    problems.sort(key=_place)
    echo_problems(problems)
    if problems:
        echo(f"{file} : pas prêt ({len(problems)} point(s) à corriger).")
        return 1
    echo(f"{file} : prêt à être soumis.")
    return 0


_CELL = re.compile(r"([A-Z]+)([0-9]+)")


def _place(problem: Problem) -> tuple[str, int, int, str, str]:
    """Sort key of a point: by sheet, then row and column number (A2 before A10), then line."""
    sheet, _, cell = problem.where.rpartition("!")
    found = _CELL.fullmatch(cell)
    if found:
        column = 0
        for letter in found.group(1):
            column = column * 26 + ord(letter) - ord("A") + 1
        return sheet, int(found.group(2)), column, cell, problem.message
    line = int(cell) if cell.isdigit() else 0
    return sheet, line, 0, cell, problem.message


@questionnaire.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Questionnaire à écrire : classeur .xlsx, ou .yaml, .yml, .json.",
)
@click.option("--force", is_flag=True, help="Remplacer le fichier s'il existe.")
@click.pass_context
def convert(ctx: click.Context, file: Path, output: Path, force: bool) -> None:
    """Convertir un questionnaire rempli d'un format à l'autre (YAML, JSON, Excel), réponses comprises."""
    suffix = output.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json", ".xlsx"):
        raise click.UsageError("le fichier de sortie doit finir par .xlsx, .yaml, .yml ou .json")
    from cens_eval.loader.questionnaire import load_questionnaire
    from cens_eval.render.yaml_data import json_text, model_data

    cat = catalogue(ctx)
    loaded = load_questionnaire(file, cat, identity_as_gaps=True)  # a blank one converts too
    echo_problems(loaded.warnings)
    check_outputs([output], [*questionnaire_inputs(loaded), *catalogue_inputs(cat)], force=force)
    q = loaded.written_back()
    if suffix == ".xlsx":
        from cens_eval.loader.messages import problem_at
        from cens_eval.render.questionnaire_xlsx import UnwritableText, render_questionnaire_xlsx

        try:
            data = render_questionnaire_xlsx(q.profil, loaded.referentiels, cat.vocabulaire, q)
        except UnwritableText as exc:  # located in the questionnaire, like any other refusal
            problems = [problem_at(loaded.document, loc, why) for loc, why in exc.texts]
            raise LoadError(problems) from None
    elif suffix == ".json":
        data = json_text(model_data(q)).encode("utf-8")
    else:
        from cens_eval.render.questionnaire_yaml import render_questionnaire_yaml

        head = [
            f"Converti depuis {file.name} (cens-eval questionnaire convert), réponses comprises."
        ]
        data = render_questionnaire_yaml(
            q.profil, loaded.referentiels, cat.vocabulaire, questionnaire=q, head=head
        ).encode("utf-8")
    write_atomic(output, data, force=force)
    echo(f"{output} écrit.")
    if loaded.pieces and output.resolve().parent != file.resolve().parent:
        echo(
            f"{output}: avertissement : les preuves sont désignées par des chemins relatifs au "
            "questionnaire ; copier le dossier des preuves à côté du nouveau fichier",
            err=True,
        )


@questionnaire.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--to",
    "target",
    metavar="ID@VERSION",
    required=True,
    help="Le référentiel et la version vers lesquels porter les réponses.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Questionnaire à écrire (.yaml, .yml, .json ou .xlsx) ; le rapport est écrit à côté "
    "(NOM.migration.yaml).",
)
@click.option(
    "--rapport",
    "report",
    type=click.Path(path_type=Path),
    default=None,
    help="Rapport de migration à écrire (par défaut : NOM.migration.yaml à côté de -o).",
)
@click.option("--force", is_flag=True, help="Remplacer les fichiers s'ils existent.")
@click.pass_context
def migrate(
    ctx: click.Context, file: Path, target: str, output: Path, report: Path | None, force: bool
) -> None:
    """Porter un questionnaire vers une autre version d'un référentiel, sans perdre de réponse."""
    from cens_eval.engine.migrate import migrate_questionnaire
    from cens_eval.loader.questionnaire import load_questionnaire
    from cens_eval.render.evolution import migration_text
    from cens_eval.render.yaml_data import plain, yaml_text

    suffix = output.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json", ".xlsx"):
        raise click.UsageError("le fichier de sortie doit finir par .yaml, .yml, .json ou .xlsx")
    referentiel_id, at, version = target.partition("@")
    if not at or not referentiel_id or not version:
        raise click.UsageError(printable(f"--to attend ID@VERSION (reçu : {target})"))
    cat = catalogue(ctx)
    loaded = load_questionnaire(file, cat)
    echo_problems(loaded.warnings)
    report = report or output.with_name(f"{output.stem}.migration.yaml")
    inputs = [*questionnaire_inputs(loaded), *catalogue_inputs(cat)]
    check_outputs([output, report], inputs, force=force)  # neither written when one is refused
    ancien = next((r for r in loaded.referentiels if r.id == referentiel_id), None)
    nouveau = cat.get(referentiel_id, version)
    if ancien is None:
        raise click.UsageError(
            printable(f"le questionnaire ne répond pas au référentiel {referentiel_id}")
        )
    if nouveau is None:
        versions = ", ".join(cat.versions(referentiel_id))
        raise click.UsageError(
            printable(
                f"version {version} du référentiel {referentiel_id} inconnue "
                f"(disponible : {versions})"
            )
        )
    if nouveau.version == ancien.version:
        raise click.UsageError(printable(f"le questionnaire répond déjà à {target}"))
    migration = migrate_questionnaire(loaded.as_written, ancien, nouveau)
    refs = [nouveau if r.id == referentiel_id else r for r in loaded.referentiels]
    data = _migrated(cat, loaded, migration, refs, output, report)
    rapport = migration.rapport
    comments = [
        f"Rapport de migration de {file.name} vers {output.name} (cens-eval questionnaire migrate) :",
        "réponses conservées, à reconfirmer, exigences nouvelles ; les réponses aux exigences",
        "supprimées et les preuves dont la preuve attendue n'existe plus sont gardées ici, entières.",
    ]
    text = yaml_text(plain(rapport.model_dump(mode="python", exclude_none=True)), comments)
    write_atomic(output, data, force=force)
    write_atomic(report, text.encode("utf-8"), force=force)
    echo(*migration_text(rapport, report.name))
    echo(f"{output} écrit ; rapport : {report}.")
    if loaded.pieces and output.resolve().parent != file.resolve().parent:
        echo(
            f"{output}: avertissement : les preuves sont désignées par des chemins relatifs au "
            "questionnaire ; copier le dossier des preuves à côté du nouveau fichier",
            err=True,
        )


def _migrated(
    cat: Catalogue,
    loaded: LoadedQuestionnaire,
    migration: Migration,
    refs: list[Referentiel],
    output: Path,
    report: Path,
) -> bytes:
    """The migrated questionnaire in the format of ``output``'s extension."""
    from cens_eval.render.yaml_data import json_text, model_data

    q, rapport = migration.questionnaire, migration.rapport
    suffix = output.suffix.lower()
    if suffix == ".xlsx":
        from cens_eval.loader.messages import problem_at
        from cens_eval.render.questionnaire_xlsx import UnwritableText, render_questionnaire_xlsx

        try:
            return render_questionnaire_xlsx(q.profil, refs, cat.vocabulaire, q)
        except UnwritableText as exc:  # located in the questionnaire read
            raise LoadError(
                [problem_at(loaded.document, loc, why) for loc, why in exc.texts]
            ) from None
    if suffix == ".json":
        return json_text(model_data(q)).encode("utf-8")
    from cens_eval.render.questionnaire_yaml import render_questionnaire_yaml

    head = [
        f"Porté de {rapport.referentiel} {rapport.de} vers {rapport.vers} depuis "
        f"{loaded.path.name} (cens-eval questionnaire migrate).",
        "Une réponse marquée « a_reconfirmer » est gardée, mais son exigence a changé : la vérifier,",
        "puis retirer a_reconfirmer. Une exigence nouvelle est sans réponse. Les réponses",
        f"aux exigences supprimées sont gardées dans {report.name}.",
    ]
    text = render_questionnaire_yaml(q.profil, refs, cat.vocabulaire, questionnaire=q, head=head)
    return text.encode("utf-8")
