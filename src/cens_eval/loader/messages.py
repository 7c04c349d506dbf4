"""Turn pydantic validation errors into located, French, one-line problems."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cens_eval.constants import MAX_NUMBER_DIGITS, WHITESPACE
from cens_eval.errors import Problem
from cens_eval.loader.document import Document

if TYPE_CHECKING:  # the parsers use this module too, and stay free of pydantic
    from pydantic import ValidationError
    from pydantic_core import ErrorDetails

# Lists whose items are named by their id in breadcrumbs ("Exigence ETH.09.1").
_NAMED_ITEMS = {"exigences": "Exigence", "questions": "Question", "signalements": "Signalement"}
# Mappings whose keys are exigence ids (questionnaire answers, reviews).
_NAMED_KEYS = {"reponses": "Exigence", "avis": "Exigence"}

_SIMPLE = {
    "missing": "champ obligatoire manquant",
    "extra_forbidden": "clé inconnue",
    "string_type": "texte attendu",
    "bool_type": "booléen attendu (true ou false)",
    "bool_parsing": "booléen attendu (true ou false)",
    "int_type": "nombre entier attendu",
    "int_parsing": "nombre entier attendu",
    "decimal_type": "nombre attendu",
    "decimal_parsing": "nombre attendu",
    "float_type": "nombre attendu",
    "float_parsing": "nombre attendu",
    "dict_type": "objet (clé: valeur) attendu",
    "model_type": "objet (clé: valeur) attendu",
    "model_attributes_type": "objet (clé: valeur) attendu",
    "list_type": "liste attendue",
    "date_type": "date attendue (AAAA-MM-JJ)",
    "date_parsing": "date invalide (attendu AAAA-MM-JJ)",
    "date_from_datetime_parsing": "date invalide (attendu AAAA-MM-JJ)",
    "date_from_datetime_inexact": "date attendue sans heure (AAAA-MM-JJ)",
    "url_parsing": "URL invalide",
    "url_scheme": "URL invalide (http ou https attendu)",
    "url_type": "URL attendue",
    "string_pattern_mismatch": "identifiant invalide (lettres, chiffres, « . », « _ » ou « - »)",
    "decimal_max_digits": "nombre trop long",
    "finite_number": "nombre fini attendu",
    "union_tag_invalid": "type d'objet inconnu",
    "union_tag_not_found": "type d'objet non précisé",
    "datetime_type": "date et heure attendues (AAAA-MM-JJTHH:MM:SS)",
    "datetime_parsing": "date et heure invalides (attendu AAAA-MM-JJTHH:MM:SS)",
    "datetime_from_date_parsing": "date et heure invalides (attendu AAAA-MM-JJTHH:MM:SS)",
    "timezone_aware": "date et heure avec fuseau horaire attendues",
    "int_from_float": "nombre entier attendu (sans décimales)",
    "int_parsing_size": "nombre trop grand",
    "string_unicode": "texte attendu (octets qui ne sont pas de l'UTF-8)",
    "string_sub_type": "texte attendu",
    "bytes_type": "texte attendu",
    "dict_keys": "clés de texte attendues",
    "url_too_long": "URL trop longue",
    "frozen_instance": "valeur non modifiable",
    "recursion_loop": "structure récursive",
    "invalid_key": "clé de texte attendue (écrire la clé entre guillemets)",
}


def french_message(err: ErrorDetails) -> str:
    """Explain one pydantic error in French, with what was expected."""
    kind = err["type"]
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    if kind in ("enum", "literal_error"):
        expected = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"attendu l'un de {', '.join(expected)}"
    if kind == "string_too_short":
        return "texte vide"
    if kind == "string_too_long":
        return f"texte trop long (au plus {ctx.get('max_length')} caractères)"
    if kind == "too_short":
        return f"liste trop courte (au moins {ctx.get('min_length')} élément(s))"
    if kind == "too_long":
        return f"liste trop longue (au plus {ctx.get('max_length')} éléments)"
    if kind == "greater_than":
        return f"doit être strictement supérieur à {ctx.get('gt')}"
    if kind in ("less_than_equal", "less_than"):
        return f"doit être au plus {ctx.get('le', ctx.get('lt'))}"
    if kind in ("greater_than_equal",):
        return f"doit être au moins {ctx.get('ge')}"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    if kind == "condition":
        return str(err["msg"])
    # pydantic's own messages are English: an error type without a translation gets a French
    # message naming the type rather than the English text.
    return _SIMPLE.get(kind, f"valeur invalide ({kind})")


def breadcrumb(data: Any, loc: Sequence[str | int]) -> str:
    """Readable path to an error: ``Exigence ETH.09.1 › preuves › 1 › type``.

    Parts absent from the data (pydantic's union tags) are skipped, except the last one,
    which names a missing field. List positions are counted from 1.
    """
    parts: list[str] = []
    node = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            child = node[part]
            if i >= 2 and loc[i - 2] in _NAMED_KEYS:
                parts.append(f"{_NAMED_KEYS[str(loc[i - 2])]} {part}")
            elif not (part in _NAMED_KEYS and i == 0 and not last) and not (
                isinstance(child, list) and part in _NAMED_ITEMS and not last
            ):
                parts.append(part)
            node = child
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            parent = loc[i - 1] if i else None
            item = node[part]
            if isinstance(parent, str) and parent in _NAMED_ITEMS and isinstance(item, dict):
                parts.append(f"{_NAMED_ITEMS[parent]} {item.get('id', part + 1)}")
            else:
                parts.append(str(part + 1))
            node = item
        elif last and not _is_tag(part):
            parts.append(str(part))
            node = None
    return " › ".join(parts)


def _is_tag(part: str | int) -> bool:
    return isinstance(part, str) and ("[" in part or part in ("all", "any", "not", "equals", "in"))


def problems_from_validation(doc: Document, exc: ValidationError) -> list[Problem]:
    """One located problem per pydantic error."""
    problems = []
    for err in exc.errors():
        problems.append(problem_at(doc, err["loc"], french_message(err)))
    return problems


def problem_at(
    doc: Document, loc: Sequence[str | int], message: str, *, warning: bool = False
) -> Problem:
    """A problem located at ``loc`` in the document, with its breadcrumb."""
    crumb = breadcrumb(doc.data, loc)
    text = f"{crumb}: {message}" if crumb else message
    return Problem(doc.file, doc.where(loc), text, warning, tuple(loc))


def key_as_read(key: str) -> str:
    """A mapping key as the models read it: without surrounding whitespace (``WHITESPACE``)."""
    return key.strip(WHITESPACE)


def duplicate_key_message(first: str, again: str) -> str:
    """The problem of a key written twice, ``first`` then ``again``, that the models read as one."""
    key = key_as_read(again)
    if first == again:
        return f"clé « {key} » en double"
    return f"clé « {key} » en double (« {first} » et « {again} » ne diffèrent que par des espaces)"


NUMBER_TOO_LONG = f"nombre trop long (au plus {MAX_NUMBER_DIGITS} chiffres)"
"""Why the YAML and JSON readers refuse a number (see :func:`number_too_long`)."""


def number_too_long(written: str, value: Decimal | None = None) -> bool:
    """Whether a number is too long to be read: as written, or written out without exponent.

    Both are bounded by :data:`~cens_eval.constants.MAX_NUMBER_DIGITS`, so that no number read
    can make a huge integer (``1e999999999`` is a short text for a billion digits).
    """
    if len(written) > MAX_NUMBER_DIGITS:
        return True
    if value is None or not value.is_finite():
        return False
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # a finite number
    return value.adjusted() >= MAX_NUMBER_DIGITS or exponent < -MAX_NUMBER_DIGITS
