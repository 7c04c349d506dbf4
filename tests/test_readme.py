"""The README's generated sections say what the code does."""

from __future__ import annotations

import importlib.util

from .conftest import ROOT


def test_the_readme_generated_sections_are_fresh() -> None:
    spec = importlib.util.spec_from_file_location("readme", ROOT / "scripts" / "readme.py")
    assert spec is not None and spec.loader is not None
    readme = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(readme)
    text = (ROOT / "README.md").read_text("utf-8")
    assert text == readme.updated(text), "run: python scripts/readme.py"
