"""Shared base for every pydantic model: strict keys, immutable, constrained ids."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints


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
