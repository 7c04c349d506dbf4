"""Checks of an OSCAL document: the vendored NIST 1.2.1 JSON Schemas, then what they do not check."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import jsonschema

from cens_eval.model.oscal import NS, OSCAL_PROPS

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas" / "oscal" / "1.2.1"
PROVENANCE = ROOT / "schemas" / "oscal" / "PROVENANCE.md"
SCHEMA_FILES = {
    "catalog": "oscal_catalog_schema.json",
    "assessment-results": "oscal_assessment-results_schema.json",
    "mapping-collection": "oscal_mapping_schema.json",
}
# The one pattern Python's re cannot compile (usnistgov/metaschema#770), and its equivalent.
TOKEN_PATTERN = r"^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$"
TOKEN_EQUIVALENT = r"^(?:[^\W\d_]|_)(?:[^\W_]|[.\-_])*$"


def recorded_sha256() -> dict[str, str]:
    """The SHA-256 of each vendored schema, as PROVENANCE.md records it."""
    rows = re.findall(
        r"^\| 1\.2\.1/(\S+) \| \S+ \| \d+ \| ([0-9a-f]{64}) \|$",
        PROVENANCE.read_text("utf-8"),
        re.M,
    )
    return dict(rows)


def file_sha256(name: str) -> str:
    return hashlib.sha256((SCHEMAS / name).read_bytes()).hexdigest()


@functools.cache
def validator(root: str) -> jsonschema.Draft7Validator:
    """The NIST schema of a document kind, its token pattern replaced in memory only."""
    text = (SCHEMAS / SCHEMA_FILES[root]).read_text("utf-8")
    written = json.dumps(TOKEN_PATTERN)
    assert text.count(written) == 1, "the schema's token pattern moved"
    schema = json.loads(text.replace(written, json.dumps(TOKEN_EQUIVALENT)))
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def schema_errors(document: dict[str, Any]) -> list[str]:
    root = next(iter(document))
    return [f"{e.json_path}: {e.message[:300]}" for e in validator(root).iter_errors(document)]


def _walk(data: Any, path: str = "$"):
    yield path, data
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _walk(v, f"{path}.{k}")
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _walk(v, f"{path}[{i}]")


def constraint_errors(document: dict[str, Any]) -> list[str]:
    """Uuids and ids unique, every reference resolved, every non-OSCAL prop or part namespaced."""
    errors: list[str] = []
    uuids: dict[str, str] = {}
    ids: dict[str, str] = {}
    for path, node in _walk(document):
        if not isinstance(node, dict):
            continue
        for key, seen in (("uuid", uuids), ("id", ids)):
            value = node.get(key)
            if isinstance(value, str):
                if value in seen:
                    errors.append(f"{path}: {key} {value} déjà à {seen[value]}")
                seen[value] = path
    # the values of *-uuid keys other than the definitions themselves, and '#uuid' hrefs
    for path, node in _walk(document):
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            if key == "uuid":
                continue
            if key.endswith("-uuid") and isinstance(value, str) and value not in uuids:
                errors.append(f"{path}.{key}: {value} introuvable")
            if key.endswith("-uuids") and isinstance(value, list):
                errors += [f"{path}.{key}: {v} introuvable" for v in value if v not in uuids]
            local = isinstance(value, str) and value.startswith("#")
            if key == "href" and local and value[1:] not in uuids and value[1:] not in ids:
                errors.append(f"{path}.href: {value} introuvable")
    for path, node in _walk(document):
        if isinstance(node, list) and path.endswith(".props"):
            for i, p in enumerate(node):
                if p.get("name") not in OSCAL_PROPS and p.get("ns") != NS:
                    errors.append(f"{path}[{i}]: prop {p.get('name')} sans ns {NS}")
        if isinstance(node, list) and path.endswith(".parts"):
            for i, p in enumerate(node):
                oscal = p.get("name") in ("statement", "assessment-objective")
                if not oscal and p.get("ns") != NS:
                    errors.append(f"{path}[{i}]: part {p.get('name')} sans ns {NS}")
    roles = {
        r["id"] for r in document.get(next(iter(document)), {}).get("metadata", {}).get("roles", [])
    }
    for path, node in _walk(document):
        if (
            isinstance(node, dict)
            and isinstance(node.get("role-id"), str)
            and node["role-id"] not in roles
        ):
            errors.append(f"{path}.role-id: rôle {node['role-id']} introuvable")
    return errors
