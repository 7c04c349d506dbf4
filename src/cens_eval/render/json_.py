"""Dossier → canonical JSON bytes (stable key order, UTF-8, trailing newline)."""

from __future__ import annotations

import json

from cens_eval.model.dossier import Dossier

FORMAT_1_ABSENT = ("version_regles", "valide_jusqu_au")
"""Keys format 1 (cens-eval 0.1.0) did not write (nor a review's ``historique``, nor those of
:data:`FORMAT_1_ABSENT_EXIGENCE` and :data:`FORMAT_1_ABSENT_PREUVE`): left out when an earlier
dossier is reproduced."""

FORMAT_1_ABSENT_EXIGENCE = ("ages", "valide_jusqu_au")
"""Keys of an exigence that format 1 did not write (the age of preuves)."""

FORMAT_1_ABSENT_PREUVE = ("date", "periode")
"""Keys of a preuve that format 1 did not write (its date and period)."""


def render_json(dossier: Dossier) -> bytes:
    """The dossier as JSON, in its format; the same dossier always gives the same bytes."""
    data = dossier.model_dump(mode="json")
    for resultat in data["resultats"]:
        for exigence in resultat["exigences"]:
            if not exigence["reprises"]:  # only an answer taken from another exigence has one
                del exigence["reprises"]
    if dossier.version_format == 1:
        for key in FORMAT_1_ABSENT:
            del data[key]
        if "revue" in data:
            del data["revue"]["historique"]
        for resultat in data["resultats"]:
            for exigence in resultat["exigences"]:
                for key in FORMAT_1_ABSENT_EXIGENCE:
                    del exigence[key]
                for preuve in exigence["preuves"]:
                    for key in FORMAT_1_ABSENT_PREUVE:
                        del preuve[key]
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
