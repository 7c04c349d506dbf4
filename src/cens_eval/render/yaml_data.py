"""Models written as YAML or JSON text that the loaders read back equal (référentiels, questionnaires, mappings).

Numbers are written as numbers, exactly (a ``Decimal`` as its digits, never through a binary
float for YAML), dates as ``AAAA-MM-JJ``, closed vocabularies as their values; fields left at
their default and empty ones are not written. Same model, same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from enum import Enum
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic_core import Url


def model_data(model: BaseModel) -> Any:
    """A model as plain data: by alias, without None and without defaults."""
    return plain(
        model.model_dump(mode="python", by_alias=True, exclude_none=True, exclude_defaults=True)
    )


def plain(data: Any) -> Any:
    """Data made of dicts, lists, texts, booleans, numbers (``Decimal`` kept) and dates only."""
    if isinstance(data, dict):
        return {str(plain(k)): plain(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [plain(v) for v in data]
    if isinstance(data, Enum):
        return data.value
    if isinstance(data, Url):
        return str(data)
    if isinstance(data, BaseModel):
        return model_data(data)
    return data


class _Dumper(yaml.SafeDumper):
    """The safe dumper, with exact decimals."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value, "f")
    if "." not in text:
        return dumper.represent_scalar("tag:yaml.org,2002:int", text)
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


_Dumper.add_representer(Decimal, _decimal)


def yaml_text(data: Any, comments: Sequence[str] = ()) -> str:
    """Plain data (see :func:`plain`) as YAML, after ``comments`` (one ``#`` line each)."""
    head = "".join(f"# {line}\n" if line else "#\n" for line in comments)
    body = yaml.dump(
        plain(data),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return head + body


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)  # pragma: no cover - plain() leaves nothing else


def _numbers(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _numbers(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_numbers(v) for v in data]
    if isinstance(data, Decimal):
        # A number the models accept has at most 15 significant digits: the shortest text of
        # its binary double is the same number.
        return int(data) if data == data.to_integral_value() else float(data)
    return data


def json_text(data: Any) -> str:
    """Plain data (see :func:`plain`) as indented JSON, numbers exact."""
    return (
        json.dumps(_numbers(plain(data)), ensure_ascii=False, indent=2, default=_json_default)
        + "\n"
    )
