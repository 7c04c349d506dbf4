"""``dossier diff``: what changed between two dossiers of one solution, each change with its causes."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import yaml

from .versions import Version16, copy_medilink, make_version_16

AS_OF = "2026-11-22"


def _evaluate(run_cli, questionnaire: Path, out: Path, *referentiels: str) -> None:
    result = run_cli(
        *referentiels, "evaluate", str(questionnaire), "--as-of", AS_OF, "-o", str(out)
    )
    assert result.code in (0, 1), result.stderr


def _results(folder: Path, referentiel: str) -> dict[str, dict]:
    dossier = json.loads((folder / "dossier.json").read_text("utf-8"))
    tele = next(r for r in dossier["resultats"] if r["id"] == referentiel)
    return {e["id"]: e for e in tele["exigences"]}


@pytest.fixture
def submissions(run_cli, tmp_path: Path) -> tuple[Path, Path, Version16, dict[str, str]]:
    """MediLink 4.2 evaluated, then 4.3: migrated to « 1.6 », two answers changed, ETH.32 renewed."""
    source = copy_medilink(tmp_path)
    _evaluate(run_cli, source, tmp_path / "4.2")
    v16 = make_version_16(tmp_path)
    migrated = source.with_name("q16.yaml")
    result = run_cli(
        "--referentiels", str(v16.folder), "questionnaire", "migrate", str(source),
        "--to", "teleconsultation@1.6", "-o", str(migrated),
    )  # fmt: skip
    assert result.code == 0, result.stderr
    before = _results(tmp_path / "4.2", "teleconsultation")
    untouched = {v16.changed, v16.removed, v16.made_mandatory, "ETH.32"}
    met = [
        i
        for i, e in before.items()
        if e["satisfaite"] and e["statut_declare"] == "conforme" and i not in untouched
    ]
    edited = {"justification": met[0], "degrade": met[1]}
    data = yaml.safe_load(migrated.read_text("utf-8"))
    data["solution"]["version"] = "4.3"
    answers = data["reponses"]["teleconsultation"]
    answers[edited["justification"]]["justification"] = "Justification réécrite pour la 4.3."
    answers[edited["degrade"]].update(
        statut="non_conforme", justification="La fonction a été retirée de la 4.3."
    )
    for preuve in answers["ETH.32"]["preuves"]:
        preuve["date"] = "2026-11-15"
    migrated.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    _evaluate(run_cli, migrated, tmp_path / "4.3", "--referentiels", str(v16.folder))
    return tmp_path / "4.2", tmp_path / "4.3", v16, edited


def test_diff_lists_exactly_the_changes_with_their_causes(run_cli, submissions) -> None:
    old, new, v16, edited = submissions
    result = run_cli("dossier", "diff", str(old), str(new), "--format", "json")
    assert result.code == 1, result.stderr
    evolution = json.loads(result.stdout)
    changes = {(c["id"], c["nature"], tuple(c["causes"])) for c in evolution["exigences"]}
    assert changes == {
        (edited["justification"], "modifie_sans_effet", ("reponse",)),
        (edited["degrade"], "degrade", ("reponse",)),
        ("ETH.32", "preuve_renouvelee", ("preuve",)),
        (v16.added, "nouveau", ("version_referentiel",)),
        (v16.removed, "retire", ("version_referentiel",)),
        (v16.changed, "modifie_sans_effet", ("version_referentiel",)),
        (v16.made_mandatory, "modifie_sans_effet", ("version_referentiel",)),
    }
    assert "référentiel teleconsultation : version 1.5.1 → 1.6" in evolution["contexte"]
    principe = _results(old, "teleconsultation")[edited["degrade"]]["principe"]
    moved = [
        s for s in evolution["scores"] if s["principe"] == principe and s["niveau"] == "exigence"
    ]
    assert moved and edited["degrade"] in moved[0]["exigences"]
    assert moved[0]["apres"] < moved[0]["avant"]


def test_diff_text_names_each_change_and_its_cause(run_cli, submissions) -> None:
    old, new, v16, edited = submissions
    result = run_cli("dossier", "diff", str(old), str(new))
    assert result.code == 1, result.stderr
    lines = result.stdout.splitlines()
    assert (
        lines[0]
        == "MediLink Santé SAS — MediLink Consult : 4.2 (au 22/11/2026) → 4.3 (au 22/11/2026)"
    )
    degraded = next(line for line in lines if f" {edited['degrade']} — " in line)
    assert "conforme → non conforme [cause : réponse]" in degraded
    added = next(line for line in lines if f" {v16.added} — " in line)
    assert "[cause : version du référentiel]" in added
    assert "      · preuve resultat-ecoscore renouvelée" in lines


def test_diff_writes_the_evolution_workbook(run_cli, submissions, tmp_path: Path) -> None:
    old, new, v16, _ = submissions
    out = tmp_path / "evolution.xlsx"
    assert run_cli("dossier", "diff", str(old), str(new), "-o", str(out)).code == 1
    first = out.read_bytes()
    sheet = openpyxl.load_workbook(out)["Exigences"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[v16.added][4:6] == ("nouveau", "version du référentiel")
    out.unlink()
    assert run_cli("dossier", "diff", str(old), str(new), "-o", str(out)).code == 1
    assert out.read_bytes() == first  # same inputs, same bytes
    again = run_cli("dossier", "diff", str(old), str(new), "-o", str(out))
    assert again.code == 2 and "existe" in again.stderr


def test_a_dossier_compared_with_itself_is_identical(run_cli, tmp_path: Path) -> None:
    _evaluate(run_cli, copy_medilink(tmp_path), tmp_path / "d")
    result = run_cli("dossier", "diff", str(tmp_path / "d"), str(tmp_path / "d"))
    assert result.code == 0, result.stderr
    assert "Dossiers identiques" in result.stdout


def test_a_tampered_dossier_is_reported_as_such_and_not_compared(run_cli, submissions) -> None:
    old, new, _, _ = submissions
    evidence = next((new / "questionnaire" / "preuves").iterdir())
    evidence.write_bytes(evidence.read_bytes() + b" change")
    result = run_cli("dossier", "diff", str(old), str(new))
    assert result.code == 2
    assert "dossier altéré, comparaison refusée" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_dossiers_of_two_solutions_are_not_comparable(run_cli, tmp_path: Path) -> None:
    source = copy_medilink(tmp_path)
    _evaluate(run_cli, source, tmp_path / "a")
    data = yaml.safe_load(source.read_text("utf-8"))
    data["solution"]["nom"] = "Autre solution"
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    _evaluate(run_cli, source, tmp_path / "b")
    result = run_cli("dossier", "diff", str(tmp_path / "a"), str(tmp_path / "b"))
    assert result.code == 2
    assert "non comparables : solution « MediLink Consult » / « Autre solution »" in result.stderr


def test_an_unreadable_folder_exits_2(run_cli, tmp_path: Path) -> None:
    (tmp_path / "vide").mkdir()
    _evaluate(run_cli, copy_medilink(tmp_path), tmp_path / "d")
    result = run_cli("dossier", "diff", str(tmp_path / "d"), str(tmp_path / "vide"))
    assert result.code == 2 and "Traceback" not in result.stderr


def test_an_expired_preuve_is_told_apart_from_a_worse_answer(run_cli, tmp_path: Path) -> None:
    source = copy_medilink(tmp_path)
    _evaluate(run_cli, source, tmp_path / "a")
    later = run_cli("evaluate", str(source), "--as-of", "2027-11-22", "-o", str(tmp_path / "b"))
    assert later.code == 1, later.stderr
    result = run_cli(
        "dossier", "diff", str(tmp_path / "a"), str(tmp_path / "b"), "--format", "json"
    )
    assert result.code == 1
    eth32 = next(c for c in json.loads(result.stdout)["exigences"] if c["id"] == "ETH.32")
    assert (eth32["nature"], eth32["causes"]) == ("preuve_expiree", ["calendrier"])
