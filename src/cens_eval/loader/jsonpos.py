"""Line numbers of a JSON document's members, for located error messages.

The text is parsed fast by :mod:`json`; only when a problem must be located is it walked again
here, iteratively (no recursion, whatever the nesting), to find the line of each key and item.
Paths name keys as the models read them (surrounding whitespace stripped), as errors do.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from json.decoder import scanstring  # type: ignore[attr-defined]  # public, untyped in typeshed

from cens_eval.loader.messages import key_as_read

Path = tuple[str | int, ...]

_SPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")


@dataclass
class _Container:
    path: Path
    is_object: bool
    next_index: int = 0
    keys: dict[str, str] = field(default_factory=dict)
    """An object's keys as the models read them, each with how it was first written."""


class _Walker:
    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]
        self.lines: dict[Path, int] = {}
        self.duplicates: list[tuple[str, str, int]] = []

    def line(self, pos: int) -> int:
        return bisect_right(self.starts, pos)

    def skip(self, pos: int) -> int:
        match = _SPACE.match(self.text, pos)
        return match.end() if match else pos

    def enter(self, pos: int, container: _Container) -> tuple[Path, int]:
        """Record the next member or item of a container; its path and where its value starts."""
        if container.is_object:
            key, end = scanstring(self.text, pos + 1)
            read = key_as_read(key)
            if read in container.keys:
                self.duplicates.append((container.keys[read], key, self.line(pos)))
            else:
                container.keys[read] = key
            child: Path = (*container.path, read)
            self.lines[child] = self.line(pos)
            return child, self.skip(self.skip(end) + 1)  # past the colon
        child = (*container.path, container.next_index)
        container.next_index += 1
        self.lines[child] = self.line(pos)
        return child, pos

    def walk(self) -> dict[Path, int]:
        text = self.text
        pos = self.skip(0)
        self.lines[()] = self.line(pos)
        stack: list[_Container] = []
        path: Path = ()
        expect_value = True
        while True:
            if expect_value:
                char = text[pos]
                if char in "{[":
                    stack.append(_Container(path, char == "{"))
                    pos = self.skip(pos + 1)
                    if text[pos] not in "}]":
                        path, pos = self.enter(pos, stack[-1])
                        continue
                    stack.pop()
                    pos = self.skip(pos + 1)
                elif char == '"':
                    pos = self.skip(scanstring(text, pos + 1)[1])
                else:
                    match = _SCALAR.match(text, pos)
                    pos = self.skip(match.end() if match else pos + 1)
                expect_value = False
            elif not stack:
                return self.lines
            elif text[pos] == ",":
                path, pos = self.enter(self.skip(pos + 1), stack[-1])
                expect_value = True
            else:  # the closing bracket of the innermost container
                stack.pop()
                pos = self.skip(pos + 1)


def json_lines(text: str) -> dict[Path, int]:
    """Line (1-based) of every member key and array item of a valid JSON text, by path."""
    return _Walker(text).walk()


def json_duplicate_keys(text: str) -> list[tuple[str, str, int]]:
    """Every key written twice in the same object of a valid JSON text, as the models read keys.

    Each duplicate is given as (key as first written, key as written again, line).
    """
    walker = _Walker(text)
    walker.walk()
    return walker.duplicates
