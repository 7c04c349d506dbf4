"""JSON Schemas generated from the models, shipped under ``schemas/`` (never written by hand)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from cens_eval.model.arbitration import Arbitrage, DossierArbitre
from cens_eval.model.calendrier import Calendrier
from cens_eval.model.comparison import Comparaison
from cens_eval.model.correspondances import CorrespondancesReferentiels
from cens_eval.model.dossier import Dossier
from cens_eval.model.grid import Correspondance
from cens_eval.model.profil import VocabulaireProfil
from cens_eval.model.questionnaire import Questionnaire
from cens_eval.model.referentiel import Referentiel
from cens_eval.model.review import DossierRevu, Revue
from cens_eval.model.signalement import Rapport, Registre

SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "referentiel": Referentiel,
    "profil": VocabulaireProfil,
    "questionnaire": Questionnaire,
    "dossier": Dossier,
    "revue": Revue,
    "dossier-revu": DossierRevu,
    "signalements": Registre,
    "rapport-signalements": Rapport,
    "correspondance-grille": Correspondance,
    "calendrier": Calendrier,
    "comparaison": Comparaison,
    "arbitrage": Arbitrage,
    "dossier-arbitre": DossierArbitre,
    "correspondances-referentiels": CorrespondancesReferentiels,
}
OUTPUT_MODELS = frozenset({"dossier", "dossier-revu", "dossier-arbitre", "comparaison"})
"""Schemas of files cens-eval writes: they describe the serialized form."""


def schema_of(model: type[BaseModel], *, output: bool = False) -> dict[str, Any]:
    """The JSON Schema of a model: as accepted in input files, or as written for outputs."""
    schema = model.model_json_schema(
        by_alias=True, mode="serialization" if output else "validation"
    )
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_texts() -> dict[str, str]:
    """File name → JSON text of every shipped schema, stable byte for byte."""
    return {
        f"{name}.schema.json": json.dumps(
            schema_of(model), ensure_ascii=False, indent=2, sort_keys=True
        )
        + "\n"
        for name, model in SCHEMA_MODELS.items()
    }
