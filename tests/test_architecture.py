"""The architecture holds: packages and import contracts, no I/O below the loader, a light start."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "cens_eval"
ROOT = SRC.parent.parent
PURE = sorted(path for package in ("model", "engine") for path in (SRC / package).glob("*.py"))
"""The model and the engine: no file, no terminal, no clock."""
IO_MODULES = {
    "os",
    "shutil",
    "io",
    "subprocess",
    "tempfile",
    "yaml",
    "openpyxl",
    "click",
}
FILE_READS = {"open", "read_bytes", "read_text", "iterdir", "scandir", "walk", "glob", "rglob"}
"""Calls that read a file or a folder: only the loader does (the CLI and the web application,
the two shells, write outputs and list folders)."""


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
    called: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name):
                called.add(node.func.id)
            elif isinstance(node.func, ast.Attribute):
                called.add(node.func.attr)
    return called


def test_import_contracts_hold() -> None:
    """The layers and forbidden imports declared in pyproject.toml, checked by import-linter."""
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_packages_name_the_architecture() -> None:
    top = sorted(p.name for p in SRC.glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "api.py", "constants.py", "errors.py"]
    packages = sorted(p.name for p in SRC.iterdir() if (p / "__init__.py").is_file())
    assert packages == [
        "cli",
        "dossier",
        "engine",
        "loader",
        "model",
        "render",
        "review",
        "service",
        "signature",
        "web",
    ]


@pytest.mark.parametrize("path", PURE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_model_and_engine_do_no_io(path: Path) -> None:
    assert not (_imports(path) & IO_MODULES), path
    assert not ({"print", "input"} | FILE_READS) & _calls(path), path
    text = path.read_text("utf-8")
    assert "today(" not in text and "now(" not in text, path


def test_only_the_loader_reads_files() -> None:
    for path in SRC.rglob("*.py"):
        if path.relative_to(SRC).parts[0] in ("loader", "service", "cli", "web"):
            continue  # the loader reads; the service's writers write (staging folders included)
        assert not (FILE_READS & _calls(path)), path


def test_no_module_level_cache() -> None:
    """Caches are explicit objects owned by their callers: no module global filled at run time."""
    for path in SRC.rglob("*.py"):
        for node in ast.parse(path.read_text("utf-8")).body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                empty = isinstance(node.value, ast.Dict) and not node.value.keys
                assert not empty, f"{path}:{node.lineno}: a module-level dict filled at run time"
            if isinstance(node, ast.FunctionDef) and node.args.args:
                decorators = {ast.unparse(d) for d in node.decorator_list}
                cached = decorators & {"functools.cache", "cache", "functools.lru_cache"}
                assert not cached, f"{path}:{node.lineno}: a cache keyed by arguments"


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
    heavy = (
        "openpyxl",
        "reportlab",
        "cens_eval.cli.batch",
        "cens_eval.cli.evaluate",
        "pydantic",
        "flask",
        "werkzeug",
        "cens_eval.web",
    )
    assert _loaded_after(["--help"], heavy) == (0, [])


def test_evaluate_in_text_loads_only_what_it_uses() -> None:
    """The quick check an éditeur runs again and again: no workbook, PDF or dossier machinery."""
    example = SRC.parent.parent / "questionnaires" / "app-nutrisante" / "questionnaire.yaml"
    unused = (
        "openpyxl",
        "reportlab",
        "cens_eval.dossier.build",
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
