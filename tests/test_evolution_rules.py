"""The rules of ``dossier diff`` on dossiers built in memory: quick, one rule per test."""

from __future__ import annotations

import datetime as dt

import pytest

from cens_eval.dossier.build import Provenance, build_dossier
from cens_eval.engine.evaluation import evaluate
from cens_eval.engine.evolution import compare_dossiers, side
from cens_eval.model.dossier import Empreinte

from .builders import questionnaire, referentiel

# ---- how far an outcome goes: the rank that tells improved, degraded and unchanged apart ---------

NO_PROOF = {"statut": "conforme"}  # declared met without its mandatory preuve
PROOF = {"statut": "conforme", "preuves": [{"attendue": "d", "url": "https://x.example"}]}
PARTIAL = {"statut": "partiellement_conforme", "justification": "en cours"}
NOT_MET = {"statut": "non_conforme", "justification": "non"}
NA = {"statut": "non_applicable", "justification": "sans objet"}
NA_UNJUSTIFIED = {"statut": "non_applicable"}
OUTCOME = {
    id(None): "sans_reponse",
    id(NO_PROOF): "preuves_manquantes",
    id(PROOF): "conforme",
    id(PARTIAL): "partiellement_conforme",
    id(NOT_MET): "non_conforme",
    id(NA): "non_applicable_justifie",
    id(NA_UNJUSTIFIED): "non_applicable_non_justifie",
}


@pytest.mark.parametrize(
    ("before", "after", "nature"),
    [
        (None, NOT_MET, "ameliore"),  # sans réponse → non conforme
        (NOT_MET, NO_PROOF, "ameliore"),  # → preuves manquantes
        (NO_PROOF, PARTIAL, "ameliore"),  # preuves manquantes → partiellement conforme
        (PARTIAL, PROOF, "ameliore"),  # → conforme
        (PROOF, NA, "modifie_sans_effet"),  # conforme → non applicable justifié: both meet it
        (NA, PROOF, "modifie_sans_effet"),
        (NOT_MET, NA_UNJUSTIFIED, "modifie_sans_effet"),  # neither meets it, equally
        (PROOF, PARTIAL, "degrade"),
    ],
)
def test_an_outcome_s_rank_decides_improved_degraded_or_without_effect(
    before: dict | None, after: dict, nature: str
) -> None:
    ref = referentiel(
        [
            {
                "id": "E",
                "principe": "autonomie",
                "niveau": "exigence",
                "preuves": [{"id": "d", "type": "document"}],
            }
        ]
    )
    empty = Empreinte(fichier="f", sha256="0" * 64)

    def dossier(answer: dict | None):
        q = questionnaire({}, {"E": answer} if answer else {})
        evaluation = evaluate(q, [ref], as_of=dt.date(2026, 11, 22))
        made = build_dossier(
            q, [ref], evaluation, Provenance(empty, empty, {("essai", "1"): empty}, []),
            tool_version="essai",
        )  # fmt: skip
        return made, side(made, "d", "0" * 64)

    (old, old_side), (new, new_side) = dossier(before), dossier(after)
    refs = {(ref.id, ref.version): ref}
    evolution = compare_dossiers(old, new, (refs, refs), (old_side, new_side))
    (change,) = evolution.exigences
    assert (change.avant.value, change.apres.value, change.nature.value) == (
        OUTCOME[id(before)],
        OUTCOME[id(after)],
        nature,
    )
