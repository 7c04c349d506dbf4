"""One pass from YAML events to data, for the plain documents people write.

Référentiels and questionnaires are plain trees: no aliases, no merge keys, no tags. For
those, data is built straight from libyaml's event stream, while depth and size are
checked, which is several times faster than composing a node tree, checking it and
constructing from it. Anything else — an alias, a merge key, a tag, a duplicate key, a key
with surrounding whitespace (the models strip it, so it may duplicate another), a scalar that
does not construct, a syntax error, more than one document — returns None, and the caller
takes the careful path, which reports the problem with its line.

Scalars are resolved and constructed by the same loader as the careful path, so both give
the same data.
"""

from __future__ import annotations

from typing import Any

import yaml

from cens_eval.constants import MAX_YAML_DEPTH, MAX_YAML_NODES
from cens_eval.loader.messages import key_as_read

_STR = "tag:yaml.org,2002:str"
_PLAIN_TAGS = (None, "!")


class _NotPlain(Exception):
    """The document needs the careful path."""


def build_plain(loader: Any) -> tuple[bool, Any]:
    """Data of a plain single-document stream: (True, data), or (False, None) to fall back.

    ``loader`` is a fresh safe loader over the text; it is consumed. A merge key (``<<``)
    resolves to a tag no constructor takes, so it falls back like any other tag.
    """
    try:
        return True, _build(loader)
    except (_NotPlain, yaml.YAMLError, ValueError, TypeError, OverflowError):
        return False, None


def _build(loader: Any) -> Any:
    constructors = loader.yaml_constructors
    resolve = loader.resolve
    get_event = loader.get_event
    # Each open collection: the container, and for a mapping the key waiting for its value.
    stack: list[list[Any]] = []
    root: Any = None
    documents = events = 0
    while True:
        event = get_event()
        events += 1
        if events > MAX_YAML_NODES:
            raise _NotPlain
        kind = type(event)
        if kind is yaml.ScalarEvent:
            if event.tag not in _PLAIN_TAGS:
                raise _NotPlain
            value: Any = event.value
            tag = resolve(yaml.ScalarNode, value, event.implicit)
            if tag != _STR:
                node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
                value = constructors.get(tag, _refuse)(loader, node)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.tag not in _PLAIN_TAGS or len(stack) >= MAX_YAML_DEPTH:
                raise _NotPlain
            stack.append([{} if kind is yaml.MappingStartEvent else [], _NO_KEY])
            continue
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            value = stack.pop()[0]
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _NotPlain
            continue
        elif kind is yaml.StreamEndEvent:
            return root
        elif kind is yaml.StreamStartEvent or kind is yaml.DocumentEndEvent:
            continue
        else:  # an alias
            raise _NotPlain
        if not stack:
            root = value
            continue
        frame = stack[-1]
        container = frame[0]
        if type(container) is list:
            container.append(value)
        elif frame[1] is _NO_KEY:
            if type(value) in (dict, list) or value in container:
                raise _NotPlain  # unhashable or duplicate key: the careful path says which
            if type(value) is str and value != key_as_read(value):
                raise _NotPlain  # the careful path compares keys as the models read them
            frame[1] = value
        else:
            container[frame[1]] = value
            frame[1] = _NO_KEY


class _NoKey:
    """Marks a mapping waiting for a key."""


_NO_KEY = _NoKey()


def _refuse(loader: Any, node: yaml.Node) -> Any:
    raise _NotPlain
