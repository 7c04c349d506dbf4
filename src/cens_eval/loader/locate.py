"""Find the référentiels folder to use when the caller does not name one."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from cens_eval.constants import PROFIL_FILE, REFERENTIELS_ENV


def packaged_referentiels_dir() -> Path:
    """The référentiels shipped inside the package (installed normally or in editable mode)."""
    return Path(str(resources.files("cens_eval") / "data" / "referentiels"))


def default_referentiels_dir() -> Path:
    """The folder named by ``CENS_EVAL_REFERENTIELS``, else ``./referentiels``, else the packaged copy."""
    named = os.environ.get(REFERENTIELS_ENV)
    if named:
        return Path(named)
    local = Path("referentiels")
    if (local / PROFIL_FILE).is_file():
        return local
    return packaged_referentiels_dir()
