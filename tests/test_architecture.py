"""Import direction of design.md: click only in the CLI; no I/O in the engine; light package import."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "cens_eval"
ENGINE = [
    "applicability",
    "outcome",
    "scoring",
    "evaluation",
    "results",
    "condition",
    "referentiel",
    "questionnaire",
    "profil",
]
IO_MODULES = {
    "os",
    "shutil",
    "pathlib",
    "io",
    "open",
    "subprocess",
    "tempfile",
    "yaml",
    "openpyxl",
    "click",
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(
                node.module if node.module.startswith("cens_eval") else node.module.split(".")[0]
            )
    return names


def _calls(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    return {
        n.func.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
    }


def test_click_is_imported_only_by_the_cli() -> None:
    for path in SRC.rglob("*.py"):
        if "cli" in path.relative_to(SRC).parts:
            continue
        assert "click" not in _imports(path), path


@pytest.mark.parametrize("module", ENGINE)
def test_engine_modules_do_no_io(module: str) -> None:
    path = SRC / f"{module}.py"
    assert not (_imports(path) & IO_MODULES), path
    assert not ({"open", "print", "input"} & _calls(path)), path
    assert not any(
        m.startswith(("cens_eval.loader", "cens_eval.cli", "cens_eval.render"))
        for m in _imports(path)
    )


def test_engine_never_reads_the_clock() -> None:
    for module in ENGINE:
        text = (SRC / f"{module}.py").read_text("utf-8")
        assert "today(" not in text and "now(" not in text, module


def test_library_does_not_import_the_cli() -> None:
    for path in SRC.rglob("*.py"):
        if "cli" in path.relative_to(SRC).parts or path.name == "__main__.py":
            continue
        assert not any(m.startswith("cens_eval.cli") for m in _imports(path)), path


def _loaded_after(args: list[str], modules: tuple[str, ...]) -> tuple[int, list[str]]:
    """The exit code of the command line in a fresh interpreter, and which of ``modules`` it imported."""
    code = (
        "import sys; import cens_eval; from cens_eval.cli import main\n"
        f"try:\n    code = main({args!r})\nexcept SystemExit as exc:\n    code = exc.code\n"
        f"print(f'CODE:{{code}}:' + ','.join(m for m in {modules!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    _, exit_code, loaded = out.stdout.strip().splitlines()[-1].split(":")
    return int(exit_code), [m for m in loaded.split(",") if m]


def test_package_import_and_help_stay_light() -> None:
    heavy = ("openpyxl", "reportlab", "cens_eval.cli.batch", "cens_eval.cli.evaluate", "pydantic")
    assert _loaded_after(["--help"], heavy) == (0, [])


def test_evaluate_in_text_loads_only_what_it_uses() -> None:
    """The quick check an éditeur runs again and again: no workbook, PDF or dossier machinery."""
    example = SRC.parent.parent / "questionnaires" / "app-nutrisante" / "questionnaire.yaml"
    unused = (
        "openpyxl",
        "reportlab",
        "cens_eval.dossier",
        "cens_eval.loader.workbook",
        "cens_eval.cli.batch",
        "cens_eval.cli.review",
        "pydantic.networks",
    )
    args = ["evaluate", str(example), "--as-of", "2026-11-22"]
    assert _loaded_after(args, unused) == (0, [])


def test_command_summaries_are_the_commands_own() -> None:
    """``--help`` lists the commands without importing them, from summaries kept beside their names."""
    from importlib import import_module

    from cens_eval.cli.commands import COMMANDS

    for name, (module, attribute, summary) in COMMANDS.items():
        command = getattr(import_module(module), attribute)
        assert command.name == name
        assert " ".join(command.help.split("\n\n")[0].split()) == summary


def test_public_api_lists_every_lazy_export() -> None:
    import cens_eval

    exported = set(cens_eval.__all__) - {"__version__"}
    assert exported == set(cens_eval._EXPORTS)
    for name in sorted(exported):
        assert getattr(cens_eval, name).__doc__, f"{name} has no docstring"
