"""The one place where exact figures are rounded for people to read."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def rounded(value: Fraction | None, places: int = 1) -> Decimal | None:
    """Round an exact percentage half-up to ``places`` decimals (None stays None)."""
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent(value: Fraction | None) -> str:
    """A percentage for display, French style: ``87,5 %``; ``—`` when nothing is counted."""
    shown = rounded(value)
    if shown is None:
        return "—"
    return f"{shown} %".replace(".", ",")
