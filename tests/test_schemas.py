"""The shipped JSON Schemas are exactly what the models generate, and they accept shipped data."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from cens_eval.model.schemas import schema_texts

from .conftest import REFERENTIELS, ROOT


@pytest.mark.parametrize("name", sorted(schema_texts()))
def test_shipped_schema_is_fresh(name: str) -> None:
    shipped = (ROOT / "schemas" / name).read_text("utf-8")
    assert shipped == schema_texts()[name], "run: python scripts/generate_schemas.py"


def test_shipped_referentiels_validate_against_the_schema() -> None:
    schema = json.loads(schema_texts()["referentiel.schema.json"])
    for path in sorted(REFERENTIELS.glob("*.yaml")):
        if path.name in ("profil.yaml", "correspondances.yaml"):
            continue
        data = json.loads(json.dumps(yaml.safe_load(path.read_text("utf-8")), default=str))
        jsonschema.validate(data, schema)


def test_shipped_correspondances_validate_against_the_schema() -> None:
    schema = json.loads(schema_texts()["correspondances-referentiels.schema.json"])
    data = yaml.safe_load((REFERENTIELS / "correspondances.yaml").read_text("utf-8"))
    jsonschema.validate(data, schema)
