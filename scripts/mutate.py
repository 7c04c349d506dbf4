"""Mutation check of the rules: ``python scripts/mutate.py [--jobs 2] [--only FILE] [--tests FILE]``.

Does every rule of the engine and of the review's agreement have a test that fails when it is
changed?

Each mutant changes one point of one module — a comparison flipped (``<`` ↔ ``<=``, ``==`` ↔
``!=``, ``is`` ↔ ``is not``, ``in`` ↔ ``not in``), ``and`` ↔ ``or``, ``not`` removed, an integer
constant changed, a ``continue``/``break`` deleted — in a copy of ``src/`` that the tests then
import. A mutant is *killed* when the selected tests fail. Every survivor must be killed by a new
test or argued *equivalent* (the program's behaviour cannot differ) in ``scripts/mutants.yaml``;
the report lists each survivor with its place and the argument given, if any.

Not run by CI (it takes minutes); the README's rules section and the closing notes quote it.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TARGETS = [
    *sorted((ROOT / "src" / "cens_eval" / "engine").glob("*.py")),
    ROOT / "src" / "cens_eval" / "review" / "assess.py",
    ROOT / "src" / "cens_eval" / "review" / "agreement.py",
]
TESTS = [  # the quickest to fail first: a killed mutant stops at its first failing test (-x)
    "tests/test_engine_cases.py",
    "tests/test_rules_as_written.py",
    "tests/test_scoring_rule.py",
    "tests/test_review.py",
    "tests/test_dated_preuves.py",
    "tests/test_calendrier.py",
    "tests/test_diff.py",
    "tests/test_migrate.py",
    "tests/test_dossier_diff.py",
    "tests/test_signalements.py",
    "tests/test_cli_questionnaire.py",
    "tests/test_editeur_journey.py",
    "tests/test_evaluator_dossier.py",
    "tests/test_dossier.py",
    "tests/test_scoring_properties.py",
    "tests/test_review_compare.py",
    "tests/test_progress.py",
    "tests/test_reprises.py",
    "tests/test_evolution_rules.py",
    "tests/test_cli_finding_way.py",
]
QUICK = TESTS[:6]
"""The engine's rule tests: most mutants fail one of them within seconds."""
EQUIVALENTS = ROOT / "scripts" / "mutants.yaml"

_FLIPS: dict[type, type] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}


@dataclass(frozen=True)
class Mutant:
    """One change at one place of one module."""

    path: Path
    line: int
    what: str
    source: str
    """The whole mutated module."""

    @property
    def key(self) -> str:
        """How ``scripts/mutants.yaml`` names it: ``engine/outcome.py:135 > → >=``."""
        rel = self.path.relative_to(ROOT / "src" / "cens_eval").as_posix()
        return f"{rel}:{self.line} {self.what}"


def _symbol(op: ast.AST) -> str:
    return {
        ast.Lt: "<",
        ast.LtE: "<=",
        ast.Gt: ">",
        ast.GtE: ">=",
        ast.Eq: "==",
        ast.NotEq: "!=",
        ast.Is: "is",
        ast.IsNot: "is not",
        ast.In: "in",
        ast.NotIn: "not in",
        ast.And: "and",
        ast.Or: "or",
    }[type(op)]


def mutants(path: Path) -> Iterator[Mutant]:
    """Every single-point mutant of a module, in the order of its nodes."""
    text = path.read_text("utf-8")
    count = sum(1 for _ in ast.walk(ast.parse(text)))
    for index in range(count):
        tree = ast.parse(text)
        node = list(ast.walk(tree))[index]
        change = _mutate(node, tree)
        if change is not None:
            yield Mutant(path, getattr(node, "lineno", 0), change, ast.unparse(tree))


def _mutate(node: ast.AST, tree: ast.Module) -> str | None:
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _FLIPS:
        old = node.ops[0]
        node.ops[0] = _FLIPS[type(old)]()
        return f"{_symbol(old)} → {_symbol(node.ops[0])}"
    if isinstance(node, ast.BoolOp):
        old_op = node.op
        node.op = ast.Or() if isinstance(old_op, ast.And) else ast.And()
        return f"{_symbol(old_op)} → {_symbol(node.op)}"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        _replace(tree, node, node.operand)
        return "not supprimé"
    if (
        isinstance(node, ast.Constant)
        and type(node.value) is int
        and not _in_annotation_or_docstring(tree, node)
    ):
        node.value += 1
        return f"{node.value - 1} → {node.value}"
    if isinstance(node, ast.Continue | ast.Break):
        _replace(tree, node, ast.Pass())
        return f"{type(node).__name__.lower()} supprimé"
    return None


def _replace(tree: ast.AST, old: ast.AST, new: ast.AST) -> None:
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
            elif isinstance(value, list) and any(v is old for v in value):
                value[value.index(old)] = new


def _in_annotation_or_docstring(tree: ast.AST, node: ast.AST) -> bool:
    for parent in ast.walk(tree):
        if isinstance(parent, ast.AnnAssign | ast.arg) and any(
            n is node for n in ast.walk(parent.annotation or ast.Pass())
        ):
            return True
        if (
            isinstance(parent, ast.Subscript)
            and isinstance(parent.value, ast.Name)
            and parent.value.id in ("Annotated", "Literal")
            and any(n is node for n in ast.walk(parent.slice))
        ):
            return True
    return False


def run(mutant: Mutant | None, tests: list[str]) -> bool:
    """Whether the tests fail against a copy of ``src/`` holding the mutant (None: unchanged)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(ROOT / "src", src)
        (Path(tmp) / "referentiels").symlink_to(ROOT / "referentiels")  # found beside src/
        if mutant is not None:
            target = src / mutant.path.relative_to(ROOT / "src")
            target.write_text(mutant.source, "utf-8")
        env = {**os.environ, "PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1"}
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-x",
                "-q",
                "-m",
                "not slow",
                "-p",
                "no:cacheprovider",
                *tests,
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=900,
        )
        return result.returncode != 0


def main() -> int:
    """Run every mutant and print the report; exit 1 if a survivor is not argued equivalent."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--only",
        action="append",
        help="a module path under src/cens_eval (e.g. engine/outcome.py); may be repeated",
    )
    parser.add_argument(
        "--tests",
        action="append",
        help="a test file to run instead of the whole selection (e.g. tests/test_diff.py); "
        "may be repeated: quicker for a module these tests cover",
    )
    args = parser.parse_args()
    quick, selection = (args.tests, args.tests) if args.tests else (QUICK, TESTS)
    equivalents: dict[str, str] = (
        yaml.safe_load(EQUIVALENTS.read_text("utf-8")) or {} if EQUIVALENTS.exists() else {}
    )
    if run(None, selection):
        print("les tests échouent sans mutant : rien à conclure")
        return 2
    targets = [
        t for t in TARGETS if not args.only or any(t.as_posix().endswith(o) for o in args.only)
    ]
    every = [m for path in targets for m in mutants(path)]

    def tried(m: Mutant) -> bool:
        # the quick tests first; a survivor is tried again against the whole selection
        killed = run(m, quick) or (selection is not quick and run(m, selection))
        print(f"  {'tué' if killed else 'SURVIVANT'} : {m.key}", flush=True)
        return killed

    with ThreadPoolExecutor(args.jobs) as pool:
        killed = list(pool.map(tried, every))
    survivors = [m for m, k in zip(every, killed, strict=True) if not k]
    unexplained = [m for m in survivors if m.key not in equivalents]
    print(f"{len(every)} mutants, {len(every) - len(survivors)} tués, {len(survivors)} survivants")
    for m in survivors:
        why = equivalents.get(m.key)
        print(f"  {m.key} — " + (f"équivalent : {why}" if why else "NON EXPLIQUÉ"))
    tried_modules = {m.key.split(":", 1)[0] for m in every}
    stale = sorted(
        key
        for key in set(equivalents) - {m.key for m in survivors}
        if key.split(":", 1)[0] in tried_modules
    )
    for key in stale:
        print(f"  (mutants.yaml) {key} : n'est plus un survivant, à retirer")
    return 1 if unexplained or stale else 0


if __name__ == "__main__":
    sys.exit(main())
