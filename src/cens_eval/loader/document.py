"""A parsed input document: its data, and where each value came from (line or cell)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import yaml


@dataclass(frozen=True)
class Document:
    """Parsed data of one file, with the node tree that knows each value's line."""

    file: str
    data: Any
    root: yaml.Node | None
    """For YAML read carefully: the node tree."""
    cells: dict[tuple[str | int, ...], str] | None = None
    """For workbooks: the cell (``Sheet!C12``) each location was read from."""
    json_text: str | None = None
    """For JSON: the text, walked for line numbers only when a problem must be located."""
    yaml_text: str | None = None
    """For YAML read in one pass: the text, composed into nodes only when a problem must be located."""

    @cached_property
    def _nodes(self) -> yaml.Node | None:
        if self.root is not None or self.yaml_text is None:
            return self.root
        from cens_eval.loader.yamlsafe import compose

        return compose(self.yaml_text)

    @cached_property
    def _json_lines(self) -> dict[tuple[str | int, ...], int]:
        from cens_eval.loader.jsonpos import json_lines

        return json_lines(self.json_text) if self.json_text is not None else {}

    def where(self, loc: Sequence[str | int]) -> str:
        """Line number, or cell reference, of a location; empty when unknown."""
        if self.cells is not None:
            for end in range(len(loc), -1, -1):
                cell = self.cells.get(tuple(loc[:end]))
                if cell:
                    return cell
            return ""
        line = self.line_of(loc)
        return str(line) if line else ""

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """Line (1-based) of the deepest node ``loc`` reaches; parts not in the file are skipped."""
        if self.json_text is not None:
            lines = self._json_lines
            path: tuple[str | int, ...] = ()
            line = lines.get(())
            for part in loc:
                if (*path, part) in lines:
                    path = (*path, part)
                    line = lines[path]
            return line
        node = self._nodes
        if node is None:
            return None
        line = node.start_mark.line + 1
        for part in loc:
            child = _child(node, part)
            if child is None:
                continue
            key_line, node = child
            line = key_line
        return line


def _child(node: yaml.Node, part: str | int) -> tuple[int, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return key.start_mark.line + 1, value
    elif (
        isinstance(node, yaml.SequenceNode)
        and isinstance(part, int)
        and 0 <= part < len(node.value)
    ):
        item = node.value[part]
        return item.start_mark.line + 1, item
    return None
