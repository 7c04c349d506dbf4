"""Shared base for every pydantic model: strict keys, immutable, constrained ids and numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import Url as _CoreUrl
from pydantic_core import core_schema

from cens_eval.constants import (
    MAX_DECIMAL_DIGITS,
    MAX_DECIMAL_PLACES,
    MAX_NUMBER_DIGITS,
    WHITESPACE,
)


def stripped(text: str) -> str:
    """A text, or a key, as every model reads it: without surrounding whitespace (``WHITESPACE``)."""
    return text.strip(WHITESPACE)


class Model(BaseModel):
    """Base model: unknown keys are errors and instances are frozen.

    Texts, and keys of mappings, are read without their surrounding whitespace (the characters
    of :data:`~cens_eval.constants.WHITESPACE`): the readers refuse two keys of one mapping that
    differ only by it, rather than let one replace the other.
    """

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


def number_problem(value: Decimal) -> str | None:
    """Why a decimal number is refused (in French), or None when it is within bounds.

    A number has at most :data:`~cens_eval.constants.MAX_DECIMAL_DIGITS` significant digits,
    is below ``10 ** MAX_DECIMAL_DIGITS`` and has at most
    :data:`~cens_eval.constants.MAX_DECIMAL_PLACES` digits after the point (trailing zeros do not
    count: ``71.50`` is ``71.5``), and is written with at most
    :data:`~cens_eval.constants.MAX_NUMBER_DIGITS` digits. Infinities and NaN are refused.
    """
    if not value.is_finite():
        return "nombre fini attendu"
    if value.adjusted() >= MAX_DECIMAL_DIGITS:  # also a zero written 0E+99: refused, not guessed
        return f"nombre trop grand (au plus {MAX_DECIMAL_DIGITS} chiffres avant la virgule)"
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # a finite number
    if len(digits) > MAX_NUMBER_DIGITS:
        return f"nombre trop long (au plus {MAX_NUMBER_DIGITS} chiffres)"
    written = "".join(map(str, digits))
    significant = written.rstrip("0")
    # Power of ten of the last significant digit (of a zero: as written, 0.000 has 3 places).
    last = exponent + len(written) - len(significant) if significant else exponent
    if -last > MAX_DECIMAL_PLACES:
        return f"nombre trop précis (au plus {MAX_DECIMAL_PLACES} chiffres après la virgule)"
    if len(significant) > MAX_DECIMAL_DIGITS:
        return f"nombre trop précis (au plus {MAX_DECIMAL_DIGITS} chiffres significatifs)"
    return None


def _bounded(value: Decimal) -> Decimal:
    problem = number_problem(value)
    if problem:
        raise ValueError(problem)
    return value


Nombre = Annotated[Decimal, AfterValidator(_bounded)]
"""A decimal number, read exactly and bounded (see :func:`number_problem`): every number an
input gives (a mesure, a seuil, a poids, a score read back from a dossier)."""

Poids = Annotated[Decimal, Field(gt=0, le=100), AfterValidator(_bounded)]
"""The weight of an exigence in its scores."""
