"""Correspondences between référentiels: the shipped file, its checks and its command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cens_eval.errors import LoadError
from cens_eval.loader.correspondances import load_correspondances
from cens_eval.loader.locate import packaged_referentiels_dir
from cens_eval.loader.referentiels import load_catalogue
from cens_eval.model.correspondances import Relation

REFERENTIELS = packaged_referentiels_dir()
SHIPPED = REFERENTIELS / "correspondances.yaml"

HEADER = """titre: Essai
referentiels:
  - {id: teleconsultation, version: "1.5.1"}
  - {id: ia-sante, version: "2024-03"}
liens:
"""


def _link(a: str, relation: str, b: str, ref_a: str = "teleconsultation") -> str:
    ref_b = "ia-sante" if ref_a == "teleconsultation" else "teleconsultation"
    return _between(ref_a, a, relation, ref_b, b)


def _between(ref_a: str, a: str, relation: str, ref_b: str, b: str) -> str:
    return (
        f"  - exigence: {{referentiel: {ref_a}, exigence: {a}}}\n"
        f"    relation: {relation}\n"
        f"    comparee_a: {{referentiel: {ref_b}, exigence: {b}}}\n"
        "    justification: parce que\n"
        "    source: choix du projet\n"
    )


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as exc:
        load_correspondances(path, load_catalogue(REFERENTIELS))
    return [str(p) for p in exc.value.problems]


def test_the_shipped_file_validates_and_every_link_gives_its_reason_and_source() -> None:
    corr = load_correspondances(SHIPPED, load_catalogue(REFERENTIELS)).correspondances
    assert len(corr.liens) >= 30
    for lien in corr.liens:
        assert len(lien.justification) > 80, lien.lu()
        assert lien.source == "choix du projet" or lien.source.localisation
    ids = {lien.exigence.exigence for lien in corr.liens} | {
        lien.comparee_a.exigence for lien in corr.liens
    }
    # every exigence a justification names is a linked one or exists in some référentiel
    assert {"ETH.17.1", "CE-IA-17", "ETH.32", "CE-MES-18"} <= ids
    pairs = {
        frozenset((lien.exigence.referentiel, lien.comparee_a.referentiel)) for lien in corr.liens
    }
    assert len(pairs) == 6, "every pair of the four référentiels has links"


def test_the_catalogue_does_not_read_the_correspondences_as_a_referentiel() -> None:
    cat = load_catalogue(REFERENTIELS)
    assert all(p.name != "correspondances.yaml" for p in cat.fichiers.values())


def test_unknown_exigence_is_located_at_its_line_with_a_hint(tmp_path: Path) -> None:
    problems = _problems(tmp_path, HEADER + _link("ETH.17", "incluse", "CE-IA-17"))
    assert problems == [
        f"{tmp_path / 'c.yaml'}:6: liens › 1 › exigence › exigence: exigence ETH.17 inconnue "
        "dans teleconsultation 1.5.1 (voulez-vous dire ETH.17.1 ?)"
    ]


def test_unknown_referentiel_and_version_are_refused(tmp_path: Path) -> None:
    text = HEADER.replace('"2024-03"', '"2099"') + _link("ETH.17.1", "incluse", "CE-IA-17")
    text = text.replace("referentiel: ia-sante", "referentiel: ia")
    problems = _problems(tmp_path, text)
    assert len(problems) == 2
    assert (
        ":4: " in problems[0]
        and "ia-sante 2099 introuvable (versions disponibles : 2024-03)" in problems[0]
    )
    assert ":8: " in problems[1] and "référentiel ia absent de l'en-tête" in problems[1]


def test_duplicate_and_self_links_are_refused(tmp_path: Path) -> None:
    text = (
        HEADER
        + _link("ETH.17.1", "incluse", "CE-IA-17")
        + _link("CE-IA-17", "englobante", "ETH.17.1", ref_a="ia-sante")
        + _link("ETH.12", "recoupement", "ETH.26").replace(
            "comparee_a: {referentiel: ia-sante", "comparee_a: {referentiel: teleconsultation"
        )
    )
    problems = _problems(tmp_path, text)
    assert len(problems) == 2
    assert ":11: " in problems[0] and "lien en double" in problems[0] and "(ligne 6)" in problems[0]
    assert "un lien relie deux référentiels différents" in problems[1]


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("incluse", "incluse"),  # A ⊂ B = C ⊂ A
        ("equivalente", "englobante"),  # A = B = C ⊃ A: C ⊂ A… ⊆ C
        ("incluse", "recoupement"),  # A ⊂ B = C, yet C ∩ A (neither asks all the other asks)
    ],
)
def test_contradictory_chains_are_refused(tmp_path: Path, first: str, last: str) -> None:
    text = (
        HEADER
        + _between("teleconsultation", "ETH.17.1", first, "ia-sante", "CE-IA-17")
        + _between("ia-sante", "CE-IA-17", "equivalente", "applications-sante-mes", "CE-MES-15")
        + _between("applications-sante-mes", "CE-MES-15", last, "teleconsultation", "ETH.17.1")
    )
    text = text.replace(
        'version: "2024-03"}\n',
        'version: "2024-03"}\n  - {id: applications-sante-mes, version: "2"}\n',
    )
    problems = _problems(tmp_path, text)
    assert problems, "a contradiction is refused"
    assert all("relations contradictoires" in p for p in problems), problems
    assert any(":18: liens › 3 › relation" in p for p in problems), "located at the link"


def test_a_consistent_chain_is_accepted(tmp_path: Path) -> None:
    text = (
        HEADER
        + _link("ETH.17.1", "incluse", "CE-IA-17")
        + _link("CE-TLC-01", "recoupement", "CE-IA-20")
    )
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    corr = load_correspondances(path, load_catalogue(REFERENTIELS)).correspondances
    assert [lien.relation for lien in corr.liens] == [Relation.INCLUSE, Relation.RECOUPEMENT]


def test_command_lists_and_counts_the_links(run_cli) -> None:
    result = run_cli("referentiels", "correspondances")
    assert result.code == 0, result.stderr
    assert "⊂ teleconsultation ETH.17.1 incluse dans ia-sante CE-IA-17" in result.stdout
    assert "source : choix du projet" in result.stdout
    assert "36 liens vérifiés (1 équivalence, 4 inclusions, 31 recoupements)" in result.stdout
    data = json.loads(run_cli("referentiels", "correspondances", "--format", "json").stdout)
    assert data["par_relation"] == {
        "equivalente": 1,
        "incluse": 4,
        "englobante": 0,
        "recoupement": 31,
    }


def test_command_reports_every_problem_and_exits_2(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        HEADER + _link("ETH.99", "incluse", "CE-IA-17") + _link("ETH.08", "parente", "CE-IA-01"),
        encoding="utf-8",
    )
    result = run_cli("referentiels", "correspondances", str(path))
    assert result.code == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and ":12: " in lines[0], lines  # the schema first: relation unknown


def test_validate_checks_the_correspondences_too(run_cli) -> None:
    result = run_cli("referentiels", "validate", str(SHIPPED))
    assert result.code == 0, result.stderr
    assert result.stdout.strip() == f"{SHIPPED}: valide"
