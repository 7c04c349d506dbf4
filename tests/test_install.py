"""The installed command works from any folder, with the référentiels shipped in the package."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cens_eval.constants import REFERENTIELS_ENV

from .conftest import ROOT


def test_the_installed_command_finds_its_referentiels_outside_the_checkout(
    tmp_path: Path,
) -> None:
    script = Path(sys.executable).with_name("cens-eval")
    assert script.exists(), "the README's test command installs the cens-eval command"
    assert not tmp_path.resolve().is_relative_to(ROOT)
    env = {k: v for k, v in os.environ.items() if k != REFERENTIELS_ENV}
    done = subprocess.run(
        [str(script), "referentiels", "list"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert "teleconsultation 1.5.1" in done.stdout
