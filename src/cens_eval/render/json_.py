"""Dossier → canonical JSON bytes (stable key order, UTF-8, trailing newline)."""

from __future__ import annotations

import json

from cens_eval.model.dossier import Dossier

FORMAT_1_ABSENT = ("version_regles",)
"""Keys format 1 (cens-eval 0.1.0) did not write (nor a review's ``historique``): left out when
an earlier dossier is reproduced."""


def render_json(dossier: Dossier) -> bytes:
    """The dossier as JSON, in its format; the same dossier always gives the same bytes."""
    data = dossier.model_dump(mode="json")
    if dossier.version_format == 1:
        for key in FORMAT_1_ABSENT:
            del data[key]
        if "revue" in data:
            del data["revue"]["historique"]
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
