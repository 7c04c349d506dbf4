r"""Texts from input files made safe to print on a terminal.

An éditeur's name or a justification may hold control characters (an escape sequence that
rewrites the evaluator's screen, a carriage return that hides what precedes it) or bidirectional
overrides. They are shown as visible escapes (``\x1b``, ``\u202e``), never sent raw.
"""

from __future__ import annotations

import re
import unicodedata

# DEL, the C1 controls, and the bidirectional embeddings, overrides, isolates and marks; with
# the C0 controls (line feed apart, or not), every character never sent raw.
_DEL_C1_BIDI = "\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_UNSAFE = re.compile(f"[\x00-\x1f{_DEL_C1_BIDI}]")
_UNSAFE_KEEPING_LINES = re.compile(f"[\x00-\x09\x0b-\x1f{_DEL_C1_BIDI}]")
_UNSAFE_IN_JSON = re.compile(f"[{_DEL_C1_BIDI}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every control or bidirectional-override character shown as an escape.

    Args:
        text: any text read from an input file.
        keep_newlines: keep line feeds (for multi-line texts printed as a block).
    """
    pattern = _UNSAFE_KEEPING_LINES if keep_newlines else _UNSAFE
    return pattern.sub(_escape, unicodedata.normalize("NFC", text))


def printable_json(text: str) -> str:
    r"""JSON text (``json.dumps`` output) with the same characters written as JSON escapes.

    ``json.dumps`` already escapes the C0 controls; DEL, the C1 controls and the bidirectional
    characters (only ever inside strings) become ``\u00XX`` escapes: still valid JSON, with
    the same values, safe on a terminal.
    """
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
