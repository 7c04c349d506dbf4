"""Dossier → canonical JSON bytes (stable key order, UTF-8, trailing newline)."""

from __future__ import annotations

import json

from cens_eval.model.dossier import Dossier


def render_json(dossier: Dossier) -> bytes:
    """The dossier as JSON; the same dossier always gives the same bytes."""
    data = dossier.model_dump(mode="json")
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
