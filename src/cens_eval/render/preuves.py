"""How a declared preuve is written in workbooks and reports: ``attendue : valeur | fichier``."""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol


class _Declared(Protocol):
    @property
    def attendue(self) -> str: ...
    @property
    def valeur(self) -> Decimal | None: ...
    @property
    def fichier(self) -> str | None: ...
    @property
    def url(self) -> object: ...
    @property
    def declaration(self) -> str | None: ...


def number_text(value: Decimal) -> str:
    """A decimal as French text: ``72,5``."""
    return format(value.normalize(), "f").replace(".", ",")


def preuve_text(preuve: _Declared) -> str:
    """A declared preuve on one line: what it answers, then its value, file, URL and declaration."""
    parts: list[str] = []
    if preuve.valeur is not None:
        parts.append(number_text(preuve.valeur))
    parts += [str(v) for v in (preuve.fichier, preuve.url, preuve.declaration) if v is not None]
    return f"{preuve.attendue} : {' | '.join(' '.join(p.split()) for p in parts)}"
