"""Durations of ISO 8601 (``P1Y``, ``P6M``, ``P90D``): the maximum age of a preuve.

Only the date parts are read (years, months, weeks, days): the age of a preuve is counted in
days, never in hours.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

_DUREE = re.compile(r"^P(?!$)(?:(\d{1,3})Y)?(?:(\d{1,4})M)?(?:(\d{1,4})W)?(?:(\d{1,5})D)?$")


def _check(text: str) -> str:
    if _DUREE.match(text) is None:
        raise ValueError(
            "durée ISO 8601 attendue, en années, mois, semaines ou jours (P1Y, P6M, P90D)"
        )
    return text


Duree = Annotated[str, StringConstraints(max_length=20), AfterValidator(_check)]
"""An ISO 8601 duration of whole years, months, weeks and days (``P1Y``, ``P1Y6M``, ``P90D``)."""


def _parts(duree: str) -> tuple[int, int, int, int]:
    found = _DUREE.match(duree)
    if found is None:
        raise ValueError(f"durée ISO 8601 invalide : {duree}")
    years, months, weeks, days = (int(g or 0) for g in found.groups())
    return years, months, weeks, days


def ajouter(day: dt.date, duree: str) -> dt.date:
    """``day`` plus ``duree``: years and months first, then weeks and days.

    The 31st of a shorter month is its last day, 29 February the 28th; past year 9999, the last
    representable day.
    """
    years, months, weeks, days = _parts(duree)
    month_index = day.month - 1 + months
    year = day.year + years + month_index // 12
    month = month_index % 12 + 1
    if year > dt.MAXYEAR:
        return dt.date.max
    last = (dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)) - dt.timedelta(
        days=1
    )
    moved = dt.date(year, month, min(day.day, last.day))
    try:
        return moved + dt.timedelta(weeks=weeks, days=days)
    except OverflowError:
        return dt.date.max


def duree_texte(duree: str) -> str:
    """The duration in French words: ``P1Y`` → « 1 an », ``P1Y6M`` → « 1 an et 6 mois »."""
    years, months, weeks, days = _parts(duree)
    words = [
        f"{n} {one if n == 1 else many}"
        for n, one, many in (
            (years, "an", "ans"),
            (months, "mois", "mois"),
            (weeks, "semaine", "semaines"),
            (days, "jour", "jours"),
        )
        if n
    ]
    if not words:
        return "0 jour"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " et " + words[-1]
