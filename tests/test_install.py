"""The référentiels have one copy, the top-level ``referentiels/``, and every install finds it.

A wheel carries the folder inside the package; an editable install (the one the README and CI
use) reads the checkout's folder from any working directory; ``$CENS_EVAL_REFERENTIELS`` and
``--referentiels`` still name another folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cens_eval.constants import PROFIL_FILE, REFERENTIELS_ENV
from cens_eval.loader.locate import packaged_referentiels_dir

from .conftest import ROOT

TOP_LEVEL = ROOT / "referentiels"
SHIPPED = sorted(p.name for p in TOP_LEVEL.glob("*.yaml"))


def _run(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("cens-eval")
    assert script.exists(), "the README's test command installs the cens-eval command"
    base = {k: v for k, v in os.environ.items() if k != REFERENTIELS_ENV}
    return subprocess.run(
        [str(script), *args],
        cwd=cwd,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _listed(stdout: str) -> set[str]:
    """The ``id version`` of each référentiel ``referentiels list`` prints."""
    return {" ".join(line.split()[:2]) for line in stdout.splitlines() if not line.startswith(" ")}


def test_the_referentiels_live_only_in_the_top_level_folder() -> None:
    assert PROFIL_FILE in SHIPPED and len(SHIPPED) == 6
    copies = [
        p.relative_to(ROOT)
        for p in (ROOT / "src").rglob("*.yaml")
        if p.name in SHIPPED or p.parent.name == "referentiels"
    ]
    assert copies == [], f"a second copy of the référentiels: {copies}"


def test_the_locator_finds_the_top_level_folder_or_an_identical_shipped_copy() -> None:
    found = packaged_referentiels_dir()
    assert sorted(p.name for p in found.glob("*.yaml")) == SHIPPED
    for name in SHIPPED:
        assert (found / name).read_bytes() == (TOP_LEVEL / name).read_bytes(), name


def test_the_installed_command_lists_the_four_referentiels_outside_the_checkout(
    tmp_path: Path,
) -> None:
    assert not tmp_path.resolve().is_relative_to(ROOT)
    done = _run("referentiels", "list", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert _listed(done.stdout) == {
        "applications-sante-mes 2",
        "ia-sante 2024-03",
        "lgc ce-0.1",
        "teleconsultation 1.5.1",
    }


def test_a_named_folder_still_replaces_the_shipped_one(tmp_path: Path) -> None:
    folder = tmp_path / "mes-referentiels"
    folder.mkdir()
    for name in (PROFIL_FILE, "teleconsultation-1.5.1.yaml"):
        shutil.copy(TOP_LEVEL / name, folder / name)
    by_env = _run("referentiels", "list", cwd=tmp_path, env={REFERENTIELS_ENV: str(folder)})
    by_option = _run("--referentiels", str(folder), "referentiels", "list", cwd=tmp_path)
    for done in (by_env, by_option):
        assert (done.returncode, done.stderr) == (0, "")
        assert _listed(done.stdout) == {"teleconsultation 1.5.1"}


@pytest.mark.slow
def test_a_built_wheel_ships_the_referentiels_inside_the_package(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("cens_eval-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        shipped = {
            name.removeprefix("cens_eval/data/referentiels/"): archive.read(name)
            for name in archive.namelist()
            if name.startswith("cens_eval/data/referentiels/")
        }
        stray = [n for n in archive.namelist() if n.endswith(".yaml") and "referentiels/" not in n]
    assert sorted(shipped) == SHIPPED
    assert all(shipped[name] == (TOP_LEVEL / name).read_bytes() for name in SHIPPED)
    assert stray == []
