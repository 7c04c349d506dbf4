"""French typography for texts people read: no-break spaces, guillemets, dates with ordinals.

One rule in one place: every renderer that writes French prose for a reader (the PDF documents,
and any text output that wants it) passes its texts through :func:`french`, or through
:func:`french_markup` for reportlab paragraph markup. Both are idempotent: applying them twice
gives the same text. :func:`apostrophes` gives the typographic apostrophe (’) to the texts
cens-eval writes, never to the words a user wrote.
"""

from __future__ import annotations

import datetime as dt
import re

NBSP = "\u00a0"
"""No-break space: before « : », inside « guillemets », between a number and its unit."""
NNBSP = "\u202f"
"""Narrow no-break space: before « ; », « ? » and « ! »."""

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

_SPACES = f"[ \t{NBSP}{NNBSP}]"
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # a space before ; ? ! becomes narrow and unbreakable; before : (and %) a no-break space
    (re.compile(f"(?<=\\S){_SPACES}+([;?!])"), NNBSP + r"\1"),
    (re.compile(f"(?<=\\S){_SPACES}+([:%])"), NBSP + r"\1"),
    # inside guillemets: a no-break space, added when missing, so « never ends a line
    (re.compile(f"«{_SPACES}*"), "«" + NBSP),
    (re.compile(f"{_SPACES}*»"), NBSP + "»"),
)
_TAG = re.compile(r"(<[^>]*>)")

APOSTROPHE = "\u2019"
"""The typographic apostrophe: l’éditeur, qu’il, aujourd’hui."""
_ELISION = re.compile(r"([^\W\d_]+)'(?=([^\W\d_]+))")
"""A straight apostrophe between two letters: an elision, never a quote nor a code's prime."""


def elisions(text: str) -> frozenset[str]:
    """The words with a straight apostrophe in a text (``l'équipe``, ``aujourd'hui``)."""
    return frozenset(f"{m[1]}'{m[2]}" for m in _ELISION.finditer(text))


def apostrophes(text: str, kept: frozenset[str] = frozenset()) -> str:
    """The text with typographic apostrophes between letters, except in the ``kept`` words.

    Args:
        text: plain text or the text part of markup (tags are never touched: use
            :func:`apostrophes_markup` for markup).
        kept: words to leave as they are (:func:`elisions` of what users wrote), so that a
            user's own text is never altered, wherever it is quoted.

    Returns:
        ``l'éditeur`` as ``l’éditeur``; ``'x'``, ``O'Brien`` in ``kept``, ``f'(x)`` unchanged.
    """
    return _ELISION.sub(lambda m: m[0] if f"{m[1]}'{m[2]}" in kept else f"{m[1]}{APOSTROPHE}", text)


def apostrophes_markup(markup: str, kept: frozenset[str] = frozenset()) -> str:
    """:func:`apostrophes` applied to the text of a markup string, never inside its tags."""
    parts = _TAG.split(markup)
    return "".join(part if i % 2 else apostrophes(part, kept) for i, part in enumerate(parts))


def french(text: str) -> str:
    """The text with French no-break spaces: « x », a : b, a ; b, quoi ? oui !, 50 %.

    Only spaces the text already has before ``: ; ? ! %`` are changed (so ``https://`` or
    ``10:30`` stay as they are); guillemets always get their inner spaces.

    Args:
        text: plain text (no markup).

    Returns:
        The same words with U+00A0 before ``:`` and ``%`` and inside ``« »``, and U+202F
        before ``; ? !``.
    """
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def french_markup(markup: str) -> str:
    """:func:`french` applied to the text of a markup string, never inside its tags.

    Args:
        markup: reportlab paragraph markup (``<b>``, ``<font …>``, ``<a href=…>``…).

    Returns:
        The markup with French no-break spaces in its text; tags and attributes unchanged.
    """
    parts = _TAG.split(markup)
    # guillemets may sit on both sides of a tag (« <b>x</b> »): treat the text as one string
    # by joining with a placeholder no rule touches, then restore the tags in order
    text = "\x00".join(parts[0::2])
    out = french(text).split("\x00")
    return "".join(
        t + (parts[2 * i + 1] if 2 * i + 1 < len(parts) else "") for i, t in enumerate(out)
    )


def date_fr(day: dt.date) -> str:
    """A date in French words, with the ordinal of the first day: 1er décembre 2026, 22 mai 2027."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"
