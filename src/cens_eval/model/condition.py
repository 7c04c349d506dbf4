"""Applicability conditions over the profil: a closed set of structured operators.

A condition is written in YAML by its operator key, never as a string to evaluate::

    {question: utilise_ia, equals: true}
    {question: audience, in: [patients, mixte]}
    {all: [...]}, {any: [...]}, {not: {...}}
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Discriminator, Field, Tag

from cens_eval.model.base import Identifiant, Model


def _answer(value: Any) -> Any:
    # Refused before the union is tried: lax validation would read 1 or 0.0 as a boolean.
    if not isinstance(value, bool | str):
        number = isinstance(value, int | float | Decimal)
        raise ValueError(
            "true, false ou un identifiant de choix attendu"
            + (" (pas un nombre)" if number else "")
        )
    return value


Valeur = Annotated[bool | str, BeforeValidator(_answer)]
"""A profil answer, or a value a condition compares it to: a boolean or a choice id, never a number."""


class Egal(Model):
    """True when the profil answer to ``question`` equals ``equals``."""

    question: Identifiant
    equals: Valeur


class DansListe(Model):
    """True when the profil answer to ``question`` is one of ``in_``."""

    question: Identifiant
    in_: list[Valeur] = Field(alias="in", min_length=1)


class Tous(Model):
    """True when every sub-condition is true (true when empty)."""

    all: list[Condition]


class UnParmi(Model):
    """True when at least one sub-condition is true."""

    any: list[Condition] = Field(min_length=1)


class Non(Model):
    """True when the sub-condition is false."""

    not_: Condition = Field(alias="not")


_OPERATORS = ("all", "any", "not", "equals", "in")


def _operator(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in _OPERATORS:
            if key in value:
                return key
        return None
    if isinstance(value, Model):
        return {Tous: "all", UnParmi: "any", Non: "not", Egal: "equals", DansListe: "in"}.get(
            type(value)
        )
    return None


Condition = Annotated[
    Annotated[Tous, Tag("all")]
    | Annotated[UnParmi, Tag("any")]
    | Annotated[Non, Tag("not")]
    | Annotated[Egal, Tag("equals")]
    | Annotated[DansListe, Tag("in")],
    Discriminator(
        _operator,
        custom_error_type="condition",
        custom_error_message="condition attendue : une clé parmi all, any, not, equals, in",
    ),
]


Loc = tuple[str | int, ...]


def leaves(condition: Condition, loc: Loc = ()) -> list[tuple[Loc, str, list[Valeur]]]:
    """Every (location, question, values compared) a condition refers to.

    ``loc`` is the condition's own location; the result's locations extend it with the
    keys as written in the file (``all``, ``any``, ``not``, indices).
    """
    match condition:
        case Egal(question=q, equals=v):
            return [((*loc, "equals"), q, [v])]
        case DansListe(question=q, in_=values):
            return [((*loc, "in"), q, list(values))]
        case Tous(all=subs):
            return [leaf for i, sub in enumerate(subs) for leaf in leaves(sub, (*loc, "all", i))]
        case UnParmi(any=subs):
            return [leaf for i, sub in enumerate(subs) for leaf in leaves(sub, (*loc, "any", i))]
        case Non(not_=sub):
            return leaves(sub, (*loc, "not"))
    raise TypeError(condition)  # pragma: no cover - the union is closed
