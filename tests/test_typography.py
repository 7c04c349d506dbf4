from __future__ import annotations

import datetime as dt

import pytest

from cens_eval.render.typography import NBSP, NNBSP, date_fr, french, french_markup


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Conclusion : conforme", f"Conclusion{NBSP}: conforme"),
        ("voir « Écarts bloquants »", f"voir «{NBSP}Écarts bloquants{NBSP}»"),
        ("«sans espace»", f"«{NBSP}sans espace{NBSP}»"),
        ("a ; b", f"a{NNBSP}; b"),
        ("Pourquoi ? Parce que !", f"Pourquoi{NNBSP}? Parce que{NNBSP}!"),
        ("score 87,5 %", f"score 87,5{NBSP}%"),
        ("mal typé\u00a0;", f"mal typé{NNBSP};"),
    ],
)
def test_french_puts_no_break_spaces_where_french_wants_them(text: str, expected: str) -> None:
    assert french(text) == expected


@pytest.mark.parametrize(
    "text", ["https://exemple.fr/a?b=1&c=2", "rendez-vous à 10:30", "CE-LGC-20!", "a;b"]
)
def test_french_adds_no_space_where_the_text_has_none(text: str) -> None:
    assert french(text) == text


def test_french_is_idempotent() -> None:
    text = "Note : « x » ; y ? z ! 5 %"
    assert french(french(text)) == french(text)


def test_french_markup_changes_text_but_never_tags() -> None:
    markup = '<a href="https://x.fr/?q=1">lien</a> : « <b>gras</b> » <font color="#b3261e">!</font>'
    assert french_markup(markup) == (
        f'<a href="https://x.fr/?q=1">lien</a>{NBSP}: «{NBSP}<b>gras</b>{NBSP}» '
        '<font color="#b3261e">!</font>'
    )


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 12, 1), "1er décembre 2026"),
        (dt.date(2027, 2, 2), "2 février 2027"),
        (dt.date(2026, 8, 31), "31 août 2026"),
    ],
)
def test_date_fr_writes_the_first_day_as_an_ordinal(day: dt.date, expected: str) -> None:
    assert date_fr(day) == expected
