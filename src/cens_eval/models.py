"""Shared base for every pydantic model: strict keys, immutable, constrained ids."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints
from pydantic_core import Url as _CoreUrl
from pydantic_core import core_schema


class Model(BaseModel):
    """Base model: unknown keys are errors and instances are frozen."""

    # defer_build: a model's validator is built on first use, so that a command pays only for
    # the models it needs (start-up time).
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )


Identifiant = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=64)
]
"""A stable identifier: letters, digits, dots, dashes and underscores."""

Texte = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
"""A non-empty free text."""


class _UrlRule:
    """Validated like pydantic's ``AnyUrl`` (the same parser, so the same normal form and errors).

    ``AnyUrl`` lives in ``pydantic.networks``, whose import (with ``importlib.metadata`` and the
    ``email`` package) costs about 30 ms at every start of the command line.
    """

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.url_schema(serialization=core_schema.to_string_ser_schema())

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> dict[str, Any]:
        return {"format": "uri", "minLength": 1, "type": "string"}


Url = Annotated[_CoreUrl, _UrlRule()]
"""An absolute URL, in its normal form (``https://example.org`` becomes ``https://example.org/``)."""
