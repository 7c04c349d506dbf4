"""Bounded, safe parsing of JSON text; line numbers are found only when a problem needs them.

Numbers are bounded in length and read exactly (a decimal number is a ``Decimal``, never a rounded
binary float); keys that differ only by surrounding whitespace (the models strip it) are duplicates.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from cens_eval.constants import MAX_YAML_DEPTH, MAX_YAML_NODES
from cens_eval.errors import LoadError, Problem
from cens_eval.loader.document import Document
from cens_eval.loader.messages import (
    NUMBER_TOO_LONG,
    duplicate_key_message,
    key_as_read,
    number_too_long,
)
from cens_eval.loader.syntax import json_syntax


def parse_json(text: str, file: str) -> Document:
    """Parse JSON text; line numbers are found only if a problem needs them."""
    # Every value but the last is followed by a comma, bracket or brace: their count bounds the
    # number of values, checked before json builds them (a megabyte of « 1, » is a million).
    if sum(map(text.count, ",[{")) > MAX_YAML_NODES:
        raise LoadError.at(
            file, "", f"document trop volumineux (plus de {MAX_YAML_NODES} éléments)"
        )
    try:
        data = json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_int=_bounded_int,
            parse_float=_exact_float,
            object_pairs_hook=_unique_keys,
        )
    except json.JSONDecodeError as exc:
        raise LoadError.at(
            file, str(exc.lineno), f"JSON invalide : {json_syntax(exc.msg)}"
        ) from None
    except _DuplicateKey:
        raise LoadError(_duplicate_problems(text, file)) from None
    except _ForbiddenConstant as exc:
        line = text.count("\n", 0, max(text.find(exc.name), 0)) + 1
        raise LoadError.at(file, str(line), f"valeur {exc.name} non autorisée") from None
    except _NumberTooLong as exc:
        line = text.count("\n", 0, max(text.find(exc.digits), 0)) + 1
        raise LoadError.at(file, str(line), NUMBER_TOO_LONG) from None
    except ValueError as exc:
        raise LoadError.at(file, "", f"JSON invalide : {json_syntax(str(exc))}") from None
    except RecursionError:
        data = None  # deeper than Python's own limit: refused below with its line
    if data is None or _depth(data) > MAX_YAML_DEPTH:
        deep = _too_deep_line(text)
        if deep is not None:
            raise LoadError.at(
                file, str(deep), f"imbrication trop profonde (plus de {MAX_YAML_DEPTH} niveaux)"
            )
    return Document(file, data, None, json_text=text)


class _DuplicateKey(ValueError):
    """A key written twice in one object; located afterwards by :func:`json_duplicate_keys`."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs) or len({key_as_read(key) for key in result}) != len(result):
        raise _DuplicateKey
    return result


class _NumberTooLong(ValueError):
    def __init__(self, digits: str) -> None:
        super().__init__("nombre trop long")
        self.digits = digits


def _bounded_int(digits: str) -> int:
    if number_too_long(digits):
        raise _NumberTooLong(digits)
    return int(digits)


def _exact_float(text: str) -> Decimal:
    """A JSON number with a fraction or an exponent, as the exact decimal written."""
    value = None if number_too_long(text) else Decimal(text)
    if value is None or number_too_long(text, value):
        raise _NumberTooLong(text)
    return value


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _too_deep_line(text: str) -> int | None:
    """Line where a JSON text first nests deeper than allowed (strings skipped), or None."""
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > MAX_YAML_DEPTH:
                return text.count("\n", 0, token.start()) + 1
        elif char in "]}":
            depth -= 1
    return None


def _depth(data: Any) -> int:
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, level)
            if deepest > MAX_YAML_DEPTH:
                return deepest
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, level + 1) for child in children)
    return deepest


class _ForbiddenConstant(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"valeur {name} non autorisée")
        self.name = name


def _refuse_constant(name: str) -> Any:
    raise _ForbiddenConstant(name)


def _duplicate_problems(text: str, file: str) -> list[Problem]:
    """Duplicate keys with their lines, unless the text has a syntax error further on (reported instead)."""
    from cens_eval.loader.jsonpos import json_duplicate_keys

    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return [Problem(file, str(exc.lineno), f"JSON invalide : {json_syntax(exc.msg)}")]
    except (ValueError, RecursionError):
        pass  # the duplicate is still worth reporting; its line is searched below
    try:
        return [
            Problem(file, str(line), duplicate_key_message(first, again))
            for first, again, line in json_duplicate_keys(text)
        ]
    except (IndexError, ValueError):  # pragma: no cover - the text parsed above
        return [Problem(file, "", "clé en double")]
