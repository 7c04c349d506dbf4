from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cens_eval.loader.locate import packaged_referentiels_dir
from cens_eval.loader.referentiels import load_catalogue
from cens_eval.model.catalogue import Catalogue

ROOT = Path(__file__).resolve().parent.parent
REFERENTIELS = packaged_referentiels_dir()
QUESTIONNAIRES = ROOT / "questionnaires"


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(REFERENTIELS)


class CliResult:
    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.code, self.stdout, self.stderr = code, stdout, stderr


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch):
    from cens_eval.cli import main

    monkeypatch.setenv("CENS_EVAL_REFERENTIELS", str(REFERENTIELS))

    def run(*args: str) -> CliResult:
        runner = CliRunner()
        with runner.isolation() as (out, err, _):
            code = main(list(args))
            return CliResult(code, out.getvalue().decode(), err.getvalue().decode())

    return run


IN_CI = os.environ.get("CI", "").lower() == "true"


def missing_tool(reason: str) -> None:
    """A tool a test needs is absent: skipped on a developer's machine, a failure in CI.

    ``.ci/run`` installs every tool the tests use (LibreOffice, Chromium and its driver,
    poppler, axe-core from npm); a green CI run must mean they ran.
    """
    if IN_CI:
        pytest.fail(f"{reason} (CI=true : .ci/run doit l'installer)")
    pytest.skip(reason)
