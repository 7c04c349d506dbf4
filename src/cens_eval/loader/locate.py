"""Find the référentiels folder to use when the caller does not name one.

The référentiels live in the repository's top-level ``referentiels/`` folder, their only copy. A
wheel ships that folder inside the package (``cens_eval/data/referentiels``, see
``pyproject.toml``); an editable install has no such copy and reads the checkout's folder.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from cens_eval.constants import PROFIL_FILE, REFERENTIELS_ENV

CHECKOUT_REFERENTIELS = Path(__file__).resolve().parents[3] / "referentiels"
"""The top-level ``referentiels/`` of the source checkout this module runs from (editable install)."""


def packaged_referentiels_dir() -> Path:
    """The shipped référentiels: inside the installed package, else the checkout's folder."""
    installed = Path(str(resources.files("cens_eval") / "data" / "referentiels"))
    if (installed / PROFIL_FILE).is_file() or not (CHECKOUT_REFERENTIELS / PROFIL_FILE).is_file():
        return installed
    return CHECKOUT_REFERENTIELS


def default_referentiels_dir() -> Path:
    """The folder named by ``CENS_EVAL_REFERENTIELS``, else ``./referentiels``, else the shipped one."""
    named = os.environ.get(REFERENTIELS_ENV)
    if named:
        return Path(named)
    local = Path("referentiels")
    if (local / PROFIL_FILE).is_file():
        return local
    return packaged_referentiels_dir()
