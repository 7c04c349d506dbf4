"""Syntax errors of YAML and JSON files are explained in French, at their line."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
import yaml

from cens_eval.constants import MAX_YAML_DEPTH
from cens_eval.errors import LoadError
from cens_eval.loader import yamlsafe
from cens_eval.loader.jsonsafe import parse_json
from cens_eval.loader.syntax import json_syntax, yaml_syntax
from cens_eval.loader.yamlsafe import loader_class, parse_yaml

# Words of the parsers' English messages: none may reach a user.
ENGLISH = re.compile(r"\b(found|expected|while|exceeded|allowed|scanning|parsing|but|got)\b")

# Both parsers PyYAML may use: libyaml (when PyYAML was built with it) and the pure-Python one.
PARSERS = [
    pytest.param(
        getattr(yaml, "CSafeLoader", None),
        id="libyaml",
        marks=pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML sans libyaml"),
    ),
    pytest.param(yaml.SafeLoader, id="python"),
]


@pytest.fixture(params=PARSERS)
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsafe, "_Loader", loader_class(request.param))


YAML_CASES = [
    ("a: 1\n  b: 2\n", "2", "« : » inattendu ici"),
    ("a: [1, 2\nb: 3\n", "2", "« , » ou « ] » attendu"),
    ("a: {x: 1\n", "2", "« , » ou « } » attendu"),
    ('a: "texte\n', "2", "fin de fichier inattendue"),
    ("a:\n\t- 1\n", "2", "caractère inattendu"),
    ("a: 1\n- b\n", "2", "clé"),
    ("a: *inconnu\n", "1", "alias non défini"),
    ("a: 1\n---\nb: 2\n", "2", "un seul document attendu"),
    ("a: @x\n", "1", "caractère inattendu"),
    ('a: "\\q"\n', "1", "séquence d'échappement inconnue"),
    ("%YAML 2.0\n---\na: 1\n", "1", "version de YAML non prise en charge"),
    ("a: !<x\n", "1", "étiquette invalide"),
    ("a: |0\n  x\n", "1", "indicateur d'indentation"),
    # Deeper than libyaml's own limit (PyYAML ≥ 6.0.2) and than ours: the same message.
    ("[" * 20_000 + "]" * 20_000, "1", f"imbrication trop profonde (plus de {MAX_YAML_DEPTH}"),
    (
        "a:\n" + "".join("  " * i + "- \n" for i in range(1, 2_000)),
        None,
        "imbrication trop profonde",
    ),
]

JSON_CASES = [
    ('{"a": }', "1", "valeur attendue"),
    ('{"a" 1}', "1", "« : » attendu"),
    ('{"a": 1 "b": 2}', "1", "« , » attendu"),
    ("{'a': 1}", "1", "nom de clé entre guillemets doubles attendu"),
    ('{"a": "x}', "1", "texte entre guillemets non fermé"),
    ('{"a": 1}\n{"b": 2}', "2", "contenu après la fin du document"),
]


@pytest.mark.usefixtures("parser")
@pytest.mark.parametrize(("text", "line", "message"), YAML_CASES)
def test_yaml_syntax_errors_are_explained_in_french(
    text: str, line: str | None, message: str
) -> None:
    with pytest.raises(LoadError) as caught:
        parse_yaml(text, "f.yaml")
    (problem,) = caught.value.problems
    assert message in problem.message
    assert problem.where.isdigit()
    if line is not None:
        assert problem.where == line
    assert not ENGLISH.search(problem.message), problem.message


def test_every_known_parser_message_has_a_french_translation() -> None:
    # The problem texts of PyYAML's pure-Python reader, scanner and parser, read from its source.
    modules = ("reader", "scanner", "parser", "composer")
    sources = "".join(
        Path(importlib.import_module(f"yaml.{name}").__file__ or "").read_text("utf-8")
        for name in modules
    )
    texts = set(re.findall(r'"((?:found|expected|did not find|mapping|block)[^"%]*)', sources))
    assert len(texts) > 20
    untranslated = {text for text in texts if yaml_syntax(text) == "structure invalide"}
    assert not untranslated


def test_an_unknown_parser_message_is_never_shown_in_english() -> None:
    assert yaml_syntax("found a brand new problem in libyaml 0.3") == "structure invalide"
    assert json_syntax("Some future json message at line 1") == "structure invalide"


@pytest.mark.parametrize(("text", "line", "message"), JSON_CASES)
def test_json_syntax_errors_are_explained_in_french(text: str, line: str, message: str) -> None:
    with pytest.raises(LoadError) as caught:
        parse_json(text, "f.json")
    (problem,) = caught.value.problems
    assert (problem.where, message in problem.message) == (line, True), problem
