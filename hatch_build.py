"""Build hook: a wheel carries the top-level ``referentiels/`` folder inside the package.

The référentiels have one copy, ``referentiels/`` at the top of the repository. A regular wheel
ships it as ``cens_eval/data/referentiels``, where ``cens_eval.loader.locate`` looks first. An
editable wheel gets no copy (it would go stale): the locator then reads the checkout's folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class ReferentielsHook(BuildHookInterface):  # type: ignore[misc]
    """Add the référentiels to a standard wheel only."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Map ``referentiels/`` to ``cens_eval/data/referentiels`` in a standard wheel."""
        if version != "standard":
            return
        folder = Path(self.root) / "referentiels"
        if not (folder / "profil.yaml").is_file():
            raise FileNotFoundError(f"{folder}: les référentiels livrés sont introuvables")
        build_data["force_include"][str(folder)] = "cens_eval/data/referentiels"
