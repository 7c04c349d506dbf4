"""Data-driven engine cases: every YAML file of tests/cases is one case (référentiel + answers → results)."""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

from cens_eval.engine.evaluation import evaluate
from cens_eval.model.versions import REGLES, RULES_VERSION
from cens_eval.model.vocabulary import Niveau, Principe

from .builders import questionnaire, referentiel

CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case(path: Path) -> None:
    case: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    ref = referentiel(case["exigences"], case.get("referentiel_applicable_si"))
    q = questionnaire(case["profil"], case["reponses"])
    as_of = (
        case["as_of"]
        if isinstance(case["as_of"], dt.date)
        else dt.date.fromisoformat(case["as_of"])
    )
    evaluation = evaluate(q, [ref], as_of=as_of, regles=REGLES[case.get("regles", RULES_VERSION)])
    expected = case["attendu"]
    if expected.get("referentiel_evalue") is False:
        assert evaluation.referentiels == []
        assert [x.id for x in evaluation.referentiels_non_applicables] == ["essai"]
        return
    (result,) = evaluation.referentiels
    assert result.verdict.value == expected["verdict"]
    assert {r.id: r.resultat.value for r in result.exigences} == expected["resultats"]
    assert [b.id for b in result.bloquantes] == expected.get("bloquantes", [])
    assert [x.id for x in result.hors_perimetre] == expected.get("hors_perimetre", [])
    if "echeances" in expected:
        assert [e.exigence for e in evaluation.echeances] == expected["echeances"]
    if "categories" in expected:
        assert [e.categorie.value for e in evaluation.echeances] == expected["categories"]
    if "preparation" in expected:
        wanted, etat = expected["preparation"], evaluation.preparation
        assert [p.exigence for p in etat.engagements_depasses] == wanted["engagements_depasses"]
        assert [p.exigence for p in etat.sans_reponse] == wanted["sans_reponse"]
        assert {p.exigence: p.preuves for p in etat.preuves_manquantes} == wanted[
            "preuves_manquantes"
        ]
        assert etat.resume() == wanted["resume"]
    for key, value in expected.get("scores", {}).items():
        niveau, principe = key.split("/")
        figure = result.score(
            Niveau(niveau), None if principe == "ensemble" else Principe(principe)
        )
        assert figure.score == (None if value is None else Fraction(value)), key
    for key, text in expected.get("explications", {}).items():
        niveau, principe = key.split("/")
        figure = result.score(
            Niveau(niveau), None if principe == "ensemble" else Principe(principe)
        )
        assert figure.explication == text, key


RULES_SECTION = re.compile(r"^## Règles d'évaluation\n(.*?)^\*\*Invalide ou pas prêt", re.S | re.M)


def _rule_sentences() -> list[str]:
    """Each rule of the README's rules section: one bullet, one sentence."""
    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    section = RULES_SECTION.search(readme)
    assert section, "section « Règles d'évaluation » introuvable"
    return [line[2:] for line in section.group(1).splitlines() if line.startswith("- ")]


def test_every_rule_of_the_readme_is_pinned_by_a_case_and_every_case_cites_one() -> None:
    sentences = _rule_sentences()
    cited: dict[str, list[str]] = {}
    for path in CASES:
        case = yaml.safe_load(path.read_text("utf-8"))
        if case.get("regles", RULES_VERSION) != RULES_VERSION:
            continue  # an earlier rules version: pinned by its own cases, not by the README
        assert case.get("regle"), f"{path.name} ne cite aucune règle du README"
        for sentence in case["regle"]:
            assert sentence in sentences, (
                f"{path.name} cite une phrase absente du README : {sentence}"
            )
            cited.setdefault(sentence, []).append(path.name)
    assert [s for s in sentences if s not in cited] == []
