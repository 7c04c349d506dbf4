"""Bounded, safe parsing of YAML text into data plus a node tree for line numbers.

Guards: size (by the caller), NUL bytes, nesting depth checked on the flat event stream
before the composer runs (libyaml's composer recurses in C), alias expansion counted, recursive anchors refused,
duplicate keys refused (keys that differ only by surrounding whitespace included: the models
strip it), numbers bounded in length and read exactly (a decimal number is a ``Decimal``, never a
rounded binary float), only the safe constructors (no tag builds an object).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, localcontext

import yaml

from cens_eval.constants import MAX_NUMBER_DIGITS, MAX_YAML_DEPTH, MAX_YAML_NODES
from cens_eval.errors import LoadError, Problem
from cens_eval.loader.document import Document
from cens_eval.loader.messages import (
    NUMBER_TOO_LONG,
    duplicate_key_message,
    key_as_read,
    number_too_long,
)
from cens_eval.loader.syntax import yaml_syntax
from cens_eval.loader.yamlevents import build_plain


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


def _bounded_yaml_int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    if number_too_long(text):
        raise _NumberTooLongAt(node)
    value: int = yaml.SafeLoader.construct_yaml_int(loader, node)  # type: ignore[arg-type]
    return value


def _exact_yaml_float(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    """A YAML float as the exact decimal written (``0.1`` is ``Decimal("0.1")``), bounded in length.

    The forms are YAML 1.1's, as PyYAML reads them: ``1_000.5``, ``.5``, ``1.5e+3``, base 60
    (``1:30.5``), ``.inf`` and ``.nan`` (kept, so that the models refuse them with their place).
    No arithmetic in the default context: it would round, or overflow on a huge exponent.
    """
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    if number_too_long(text):
        raise _NumberTooLongAt(node)
    value = text.replace("_", "").lower()
    sign = "-" if value.startswith("-") else ""
    value = value.lstrip("+-")
    if value in (".inf", ".nan"):
        return Decimal(f"{sign}Infinity" if value == ".inf" else "NaN")
    if ":" not in value:
        number = Decimal(sign + value)
    else:  # base 60: 1:30.5 is 90.5
        *heads, last = value.split(":")
        whole = 0
        for head in heads:
            whole = whole * 60 + int(head)
        with localcontext(prec=4 * MAX_NUMBER_DIGITS):  # room for every digit written: exact
            number = whole * 60 + Decimal(last)
        number = number.copy_negate() if sign else number
    if number_too_long(text, number):
        raise _NumberTooLongAt(node)
    return number


class _NumberTooLongAt(ValueError):
    def __init__(self, node: yaml.Node) -> None:
        super().__init__("nombre trop long")
        self.node = node


def loader_class(base: type[yaml.SafeLoader]) -> type[yaml.SafeLoader]:
    """A safe loader over ``base`` that leaves timestamps as text and reads numbers bounded and exactly.

    Timestamps stay text so that pydantic reports a bad date with its place.
    """
    loader: type[yaml.SafeLoader] = type("_Loader", (base,), {})
    loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
    loader.add_constructor("tag:yaml.org,2002:int", _bounded_yaml_int)
    loader.add_constructor("tag:yaml.org,2002:float", _exact_yaml_float)
    return loader


# libyaml is about five times faster; PyYAML built without it has only the pure-Python parser.
_Loader = loader_class(getattr(yaml, "CSafeLoader", yaml.SafeLoader))


_STR_TAG = "tag:yaml.org,2002:str"


def decode(raw: bytes, file: str) -> str:
    """Decode UTF-8 (a BOM is allowed) and refuse NUL bytes, with a located error."""
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise LoadError.at(file, str(line), "octet NUL : ce fichier n'est pas un texte")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LoadError.at(
            file, str(line), "encodage invalide : le fichier doit être en UTF-8"
        ) from None
    return text


def parse_yaml(text: str, file: str) -> Document:
    """Parse YAML text safely; every problem raises LoadError located in ``file``.

    A plain document is built in one pass and its node tree (for line numbers) composed only
    when a problem must be located; anything else takes the careful path below.
    """
    loader = _Loader(text)
    try:
        plain, data = build_plain(loader)
    finally:
        loader.dispose()
    if plain:
        return Document(file, data, None, yaml_text=text)
    return _parse_carefully(text, file)


def top_level_texts(text: str, keys: tuple[str, ...]) -> dict[str, str] | None:
    """The plain-text values of ``keys`` in a YAML mapping, read from the event stream.

    Reading stops as soon as every key is found, so keys written first cost a few lines.
    None when the document is not a mapping, a key is missing, written twice, or its value
    is not plain text (a number, a list, an alias…), or the text is not valid YAML.
    """
    found: dict[str, str] = {}
    depth = 0
    key: str | None = None  # None while a key is expected at the top level
    loader = _Loader(text)
    try:
        while len(found) < len(keys):
            event = loader.get_event()  # type: ignore[no-untyped-call]
            if event is None or isinstance(event, (yaml.StreamEndEvent, yaml.AliasEvent)):
                return None
            if isinstance(event, yaml.CollectionStartEvent):
                if (depth == 0 and not isinstance(event, yaml.MappingStartEvent)) or (
                    depth == 1 and key is None
                ):
                    return None
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
                if depth == 1:
                    key = None
            elif isinstance(event, yaml.ScalarEvent):
                if depth == 0:
                    return None
                if depth > 1:
                    continue
                resolved = loader.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
                text_value = event.tag is None and resolved == _STR_TAG
                if key is None:
                    key = event.value if text_value else ""
                    continue
                if key in keys:
                    if not text_value or key in found:
                        return None
                    found[key] = event.value
                key = None
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return found


def compose(text: str) -> yaml.Node | None:
    """The node tree of a document already parsed (for line numbers); None if it has none."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _parse_carefully(text: str, file: str) -> Document:
    aliases = _prescan(text, file)
    loader = _Loader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = str(mark.line + 1) if mark else ""
            detail = yaml_syntax(exc.problem or exc.context or "")
            raise LoadError.at(file, where, f"syntaxe YAML invalide : {detail}") from None
        except yaml.YAMLError as exc:
            raise LoadError.at(
                file, "", f"syntaxe YAML invalide : {yaml_syntax(str(exc))}"
            ) from None
        if root is None:
            return Document(file, None, None)
        _check(root, file, aliases)
        try:
            data = loader.construct_document(root)
        except yaml.constructor.ConstructorError as exc:
            mark = exc.problem_mark
            where = str(mark.line + 1) if mark else ""
            raise LoadError.at(
                file, where, "étiquette YAML non autorisée (seuls les types simples sont acceptés)"
            ) from None
        except _NumberTooLongAt as exc:
            raise LoadError.at(file, _line(exc.node), NUMBER_TOO_LONG) from None
        except (ValueError, OverflowError) as exc:
            raise LoadError.at(file, "", f"valeur YAML invalide : {exc}") from None
    finally:
        loader.dispose()
    return Document(file, data, root)


def _prescan(text: str, file: str) -> bool:
    """Check the flat event stream before anything is built; returns whether aliases are used.

    Refuses nesting too deep for the recursive composer, more events than a document needs, and
    explicit tags (``!!python/…``, ``!!binary``, ``!!int``…): plain YAML never needs them.
    """
    depth = events = 0
    aliases = False
    try:
        for event in yaml.parse(text, Loader=_Loader):
            events += 1
            if events > MAX_YAML_NODES:
                raise LoadError.at(
                    file,
                    _line(event),
                    f"document trop volumineux (plus de {MAX_YAML_NODES} éléments)",
                )
            if isinstance(event, yaml.AliasEvent):
                aliases = True
            elif isinstance(event, yaml.NodeEvent) and getattr(event, "tag", None) not in (
                None,
                "!",
            ):
                tag = getattr(event, "tag", "")
                raise LoadError.at(
                    file,
                    _line(event),
                    f"étiquette YAML non autorisée (« {tag} ») : écrire une valeur simple",
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise LoadError.at(
                        file,
                        _line(event),
                        f"imbrication trop profonde (plus de {MAX_YAML_DEPTH} niveaux)",
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise LoadError(
            [
                Problem(
                    file,
                    str(line),
                    f"caractère interdit dans un texte YAML (U+{exc.character:04X})",
                )
            ]
            if isinstance(exc.character, int)
            else [Problem(file, str(line), "caractère interdit dans un texte YAML")]
        ) from None
    except yaml.YAMLError:
        return aliases  # the composer reports syntax errors with their position
    return aliases


def _check(root: yaml.Node, file: str, aliases: bool) -> None:
    if aliases:
        _check_tree(root, file)
    else:
        _check_keys(root, file)


def _check_keys(root: yaml.Node, file: str) -> None:
    """Duplicate keys of a document without aliases: a plain tree, already bounded in depth."""
    problems: list[Problem] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            problems.extend(_duplicate_keys(node, file))
            stack.extend(value for _, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    if problems:
        raise LoadError(sorted(problems, key=lambda p: int(p.where)))


def _check_tree(root: yaml.Node, file: str) -> None:
    """Depth, expanded size, recursion and duplicate keys, without following aliases twice."""
    problems: list[Problem] = []
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    visiting: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            kids = list(_children(node))
            size[key] = 1 + sum(size[id(k)] for k in kids)
            height[key] = 1 + max((height[id(k)] for k in kids), default=0)
            visiting.discard(key)
            if size[key] > MAX_YAML_NODES:
                raise LoadError.at(
                    file, _line(node), "document trop volumineux une fois les alias développés"
                )
            if height[key] > MAX_YAML_DEPTH:
                raise LoadError.at(
                    file,
                    _line(node),
                    f"imbrication trop profonde (plus de {MAX_YAML_DEPTH} niveaux)",
                )
            continue
        if key in size:
            continue
        if key in visiting:
            raise LoadError.at(file, _line(node), "structure récursive (alias vers un parent)")
        visiting.add(key)
        stack.append((node, True))
        if isinstance(node, yaml.MappingNode):
            problems.extend(_duplicate_keys(node, file))
        for kid in _children(node):
            if id(kid) in visiting:
                raise LoadError.at(file, _line(kid), "structure récursive (alias vers un parent)")
            if id(kid) not in size:
                stack.append((kid, False))
    if problems:
        raise LoadError(problems)


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            yield k
            yield v
    elif isinstance(node, yaml.SequenceNode):
        yield from node.value


def _duplicate_keys(node: yaml.MappingNode, file: str) -> list[Problem]:
    """Keys written twice in one mapping, as the models read keys (surrounding whitespace stripped)."""
    seen: dict[str, str] = {}  # key as the models read it -> key as first written
    problems = []
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode):
            read = key_as_read(key.value)
            if read in seen:
                problems.append(
                    Problem(file, _line(key), duplicate_key_message(seen[read], key.value))
                )
            else:
                seen[read] = key.value
    return problems


def _line(node: yaml.Node | yaml.Event) -> str:
    mark = node.start_mark
    return str(mark.line + 1) if mark else ""
