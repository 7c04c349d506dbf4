"""Everything the command line shows in French: metavariables, dates, the option an error names."""

from __future__ import annotations

import re

import click
import pytest

from cens_eval.cli.commands import root
from cens_eval.cli.i18n import install

ENGLISH = re.compile(
    r"\b(FILE|FILES|DIRECTORY|DIR|FOLDERS?|PATHS?|TEXT|INTEGER|FLOAT|RANGE|BOOLEAN|COMMAND|ARGS|"
    r"REVIEW|OPTIONS?_?DIR|DOSSIER_DIR|REVIEW_FILE|REFERENTIEL_ID|required|default)\b|%[YmdHMS]"
)


def _commands() -> list[tuple[str, ...]]:
    """Every command path of the tree, the root included."""
    found: list[tuple[str, ...]] = []

    def walk(command: click.Command, path: tuple[str, ...], parent: click.Context | None) -> None:
        found.append(path)
        ctx = click.Context(command, info_name=path[-1] if path else "cens-eval", parent=parent)
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None
                walk(sub, (*path, name), ctx)

    install()
    walk(root, (), None)
    return found


COMMANDS = _commands()


def test_the_walk_reaches_every_command() -> None:
    assert ("evaluate",) in COMMANDS
    assert ("review", "apply") in COMMANDS
    assert len(COMMANDS) > 25


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "cens-eval")
def test_help_shows_no_english_metavariable(run_cli, path: tuple[str, ...]) -> None:
    result = run_cli(*path, "--help")
    assert result.code == 0, result.stderr
    usage = result.stdout.split("\n\n")[0]
    options = result.stdout.partition("Options:")[2]
    for text in (usage, options):
        found = ENGLISH.search(text.replace("-h, --help", ""))
        assert found is None, (path, found.group(0) if found else "", text)


def test_evaluate_help_names_dates_as_french_readers_write_them(run_cli) -> None:
    result = run_cli("evaluate", "--help")
    assert "--as-of AAAA-MM-JJ" in result.stdout
    assert "Usage : cens-eval evaluate [OPTIONS] FICHIER" in result.stdout
    assert "--formats LISTE" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("evaluate", "q.yaml", "--as-of", "2026-13-01"),
        ("questionnaire", "check", "q.yaml", "--as-of", "22/11/2026"),
    ],
)
def test_a_wrong_date_is_refused_in_french(run_cli, args: tuple[str, ...]) -> None:
    result = run_cli(*args)
    assert result.code == 2
    assert (
        f"Erreur : Valeur invalide pour '--as-of' : « {args[-1]} » n'est pas une date AAAA-MM-JJ"
        in result.stderr
    )
    assert "%Y" not in result.stderr


@pytest.mark.parametrize(
    ("args", "why"),
    [
        (("evaluate", "q.yaml", "--formats", "json,docx"), "format inconnu « docx »"),
        (("evaluate", "q.yaml", "--formats", "pdf"), "le format json (dossier canonique)"),
        (("review", "apply", "d", "r.yaml", "-o", "out", "--formats", "odt"), "format inconnu"),
    ],
)
def test_a_wrong_format_names_the_option(run_cli, args: tuple[str, ...], why: str) -> None:
    result = run_cli(*args)
    assert result.code == 2
    assert f"Erreur : Valeur invalide pour '--formats' : {why}" in result.stderr


def test_the_readme_library_reference_names_every_public_function_in_french() -> None:
    import inspect

    import cens_eval

    from .conftest import ROOT

    text = (ROOT / "README.md").read_text("utf-8")
    reference = text.partition("### Référence de l'API")[2].partition("\n## ")[0]
    rows = [line for line in reference.splitlines() if line.startswith("| `")]
    named = {row.split("`")[1].partition("(")[0]: row for row in rows}
    public = {n for n in cens_eval.__all__ if inspect.isfunction(getattr(cens_eval, n))}
    assert set(named) == public
    for name in public:
        parameters = inspect.signature(getattr(cens_eval, name)).parameters
        first = next(iter(parameters))
        assert f"`{name}({first}" in named[name], name  # the parameters one writes
