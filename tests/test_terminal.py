"""Texts from input files never reach the terminal with control characters."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cens_eval.render.terminal import printable


def test_escape_sequences_and_overrides_are_shown_not_sent() -> None:
    assert printable("Médi\x1b[2JLink\r\u202eevil") == "Médi\\x1b[2JLink\\x0d\\u202eevil"
    assert printable("ligne 1\nligne 2") == "ligne 1\\x0aligne 2"
    assert printable("ligne 1\nligne 2", keep_newlines=True) == "ligne 1\nligne 2"


@given(st.text())
def test_no_control_character_survives(text: str) -> None:
    shown = printable(text)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in shown)
    assert not any(c in shown for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
