"""``cens-eval referentiels list | show | validate``: output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from cens_eval.loader.locate import packaged_referentiels_dir

REFERENTIELS = packaged_referentiels_dir()

DATA = Path(__file__).parent / "data"


def test_list_shows_the_four_referentiels_with_counts(run_cli) -> None:
    result = run_cli("referentiels", "list")
    assert result.code == 0
    for ref_id in ("applications-sante-mes", "ia-sante", "lgc", "teleconsultation 1.5.1"):
        assert ref_id in result.stdout
    assert "préconisations" in result.stdout and "par principe : Bienfaisance" in result.stdout


def test_list_json_counts_add_up(run_cli) -> None:
    result = run_cli("referentiels", "list", "--format", "json")
    data = json.loads(result.stdout)
    assert {d["id"] for d in data} == {
        "applications-sante-mes",
        "ia-sante",
        "lgc",
        "teleconsultation",
    }
    for d in data:
        assert sum(d["par_niveau"].values()) == d["exigences"] == sum(d["par_principe"].values())


def test_show_prints_an_exigence_and_its_preuves(run_cli) -> None:
    result = run_cli("referentiels", "show", "teleconsultation")
    assert result.code == 0
    assert "ETH.09.1" in result.stdout and "si non applicable" in result.stdout


def test_show_unknown_referentiel_is_a_usage_error(run_cli) -> None:
    result = run_cli("referentiels", "show", "inconnu")
    assert result.code == 2
    assert "référentiel inconnu : inconnu" in result.stderr


def test_validate_three_mistakes_prints_three_located_lines(run_cli) -> None:
    path = DATA / "referentiels_casses" / "trois_erreurs.yaml"
    result = run_cli("referentiels", "validate", str(path))
    assert result.code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3
    assert lines[0] == f"{path}:9: date_publication: date invalide (attendu AAAA-MM-JJ)"
    assert all(line.startswith(f"{path}:") for line in lines)
    assert "Traceback" not in result.stderr


def test_validate_shipped_files(run_cli) -> None:
    paths = sorted(str(p) for p in REFERENTIELS.glob("*.yaml"))
    result = run_cli("referentiels", "validate", *paths)
    assert result.code == 0, result.stderr
    assert result.stdout.count(": valide") == len(paths)
