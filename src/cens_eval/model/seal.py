"""The seal of a folder: the files it covers and their SHA-256 (made in ``dossier.seal``)."""

from __future__ import annotations

from typing import Literal

from cens_eval.model.base import Model
from cens_eval.model.dossier import Empreinte

DOSSIER_SEAL = "manifeste.json"
"""The seal of a dossier folder's dossier part, at its root."""

REVIEW_SEAL = "revue/manifeste.json"
"""The seal of a reviewed copy's review part."""

HISTORY_DIR = "historique"
"""Where a reviewed copy keeps the reviews before the current one: ``historique/1/``…"""


class Sceau(Model):
    """The files a seal covers, each with its SHA-256, sorted by path."""

    format: Literal["cens-eval/manifeste"] = "cens-eval/manifeste"
    fichiers: list[Empreinte]
    dossier_sha256: str | None = None
    """For a review's seal: the ``dossier.json`` it reviews."""
    precedente: Empreinte | None = None
    """For a review's seal: the ``revue.json`` of the review it follows (None: the first)."""
