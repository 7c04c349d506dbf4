"""Shared pieces of the OSCAL renderers: props, links, hashes and the JSON bytes written."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from cens_eval.model.oscal import NS


def prop(name: str, value: object, **extra: str | None) -> dict[str, Any]:
    """A cens-eval prop (namespace :data:`~cens_eval.model.oscal.NS`); extra keys left out when None."""
    written = {"name": name, "ns": NS, "value": _text(value)}
    written.update({k.rstrip("_").replace("_", "-"): v for k, v in extra.items() if v is not None})
    return written


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def props(*pairs: tuple[str, object | None]) -> list[dict[str, Any]]:
    """The cens-eval props of the pairs whose value is not None, in order."""
    return [prop(name, value) for name, value in pairs if value is not None]


def sha256_link(href: str, sha256: str, media_type: str | None = None) -> dict[str, Any]:
    """A resource link (``rlink``) to a file, with the SHA-256 of its bytes."""
    link: dict[str, Any] = {"href": href}
    if media_type:
        link["media-type"] = media_type
    link["hashes"] = [{"algorithm": "SHA-256", "value": sha256}]
    return link


def pruned(data: Any) -> Any:
    """Data without the keys OSCAL forbids empty: None values, empty lists and empty objects."""
    if isinstance(data, dict):
        kept = {k: pruned(v) for k, v in data.items()}
        return {k: v for k, v in kept.items() if v is not None and v != [] and v != {}}
    if isinstance(data, list):
        return [pruned(v) for v in data]
    return data


def document_bytes(root: str, body: dict[str, Any]) -> bytes:
    """An OSCAL JSON document: one root key, indented, UTF-8, keys in the order written."""
    return (json.dumps({root: pruned(body)}, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
