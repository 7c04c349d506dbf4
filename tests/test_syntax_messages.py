"""Syntax errors of YAML and JSON files are explained in French, at their line."""

from __future__ import annotations

import pytest

from cens_eval.errors import LoadError
from cens_eval.loader.jsonsafe import parse_json
from cens_eval.loader.yamlsafe import parse_yaml

YAML_CASES = [
    ("a: 1\n  b: 2\n", "2", "« : » inattendu ici"),
    ("a: [1, 2\nb: 3\n", "2", "« , » ou « ] » attendu"),
    ("a: {x: 1\n", "2", "« , » ou « } » attendu"),
    ('a: "texte\n', "2", "fin de fichier inattendue"),
    ("a:\n\t- 1\n", "2", "caractère inattendu"),
    ("a: 1\n- b\n", "2", "clé attendue"),
    ("a: *inconnu\n", "1", "alias non défini"),
    ("a: 1\n---\nb: 2\n", "2", "un seul document attendu"),
    ("a: @x\n", "1", "caractère inattendu"),
]

JSON_CASES = [
    ('{"a": }', "1", "valeur attendue"),
    ('{"a" 1}', "1", "« : » attendu"),
    ('{"a": 1 "b": 2}', "1", "« , » attendu"),
    ("{'a': 1}", "1", "nom de clé entre guillemets doubles attendu"),
    ('{"a": "x}', "1", "texte entre guillemets non fermé"),
    ('{"a": 1}\n{"b": 2}', "2", "contenu après la fin du document"),
]


@pytest.mark.parametrize(("text", "line", "message"), YAML_CASES)
def test_yaml_syntax_errors_are_explained_in_french(text: str, line: str, message: str) -> None:
    with pytest.raises(LoadError) as caught:
        parse_yaml(text, "f.yaml")
    (problem,) = caught.value.problems
    assert (problem.where, problem.message.startswith("syntaxe YAML invalide : ")) == (line, True)
    assert message in problem.message


@pytest.mark.parametrize(("text", "line", "message"), JSON_CASES)
def test_json_syntax_errors_are_explained_in_french(text: str, line: str, message: str) -> None:
    with pytest.raises(LoadError) as caught:
        parse_json(text, "f.json")
    (problem,) = caught.value.problems
    assert (problem.where, message in problem.message) == (line, True), problem
