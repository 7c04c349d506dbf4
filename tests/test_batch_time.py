"""Batch over time: preuves expiring within N days flagged, successive submissions linked."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
import yaml

from .versions import copy_medilink

AS_OF = "2026-11-22"


def _evaluate(run_cli, questionnaire: Path, out: Path, as_of: str = AS_OF) -> None:
    result = run_cli("evaluate", str(questionnaire), "--as-of", as_of, "-o", str(out))
    assert result.code in (0, 1), result.stderr


def _last_valid_day(folder: Path) -> tuple[dt.date, dt.date]:
    """The evaluation date and the last valid day of the Écoscore result preuve (ETH.32)."""
    dossier = json.loads((folder / "dossier.json").read_text("utf-8"))
    tele = next(r for r in dossier["resultats"] if r["id"] == "teleconsultation")
    eth32 = next(e for e in tele["exigences"] if e["id"] == "ETH.32")
    age = next(a for a in eth32["ages"] if a["attendue"] == "resultat-ecoscore")
    return dt.date.fromisoformat(dossier["as_of"]), dt.date.fromisoformat(age["valable_jusqu_au"])


@pytest.fixture
def two_submissions(run_cli, tmp_path: Path) -> tuple[Path, Path, str]:
    """MediLink 4.2, then 4.3 a month later with one met exigence declared non conforme."""
    source = copy_medilink(tmp_path)
    _evaluate(run_cli, source, tmp_path / "lot" / "a-4.2")
    dossier = json.loads((tmp_path / "lot" / "a-4.2" / "dossier.json").read_text("utf-8"))
    tele = next(r for r in dossier["resultats"] if r["id"] == "teleconsultation")
    changed = next(
        e["id"]
        for e in tele["exigences"]
        if e["satisfaite"] and e["statut_declare"] == "conforme" and e["id"] != "ETH.32"
    )
    data = yaml.safe_load(source.read_text("utf-8"))
    data["solution"]["version"] = "4.3"
    data["reponses"]["teleconsultation"][changed].update(
        statut="non_conforme", justification="Retirée de la 4.3."
    )
    newer = source.with_name("q43.yaml")
    newer.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    # the newer submission sorts first by folder name: the link follows the dates, not the names
    _evaluate(run_cli, newer, tmp_path / "lot" / "0-4.3", "2026-12-22")
    return tmp_path / "lot" / "a-4.2", tmp_path / "lot" / "0-4.3", changed


def test_expiring_preuves_flagged_up_to_the_boundary_day(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "lot" / "medilink"
    _evaluate(run_cli, copy_medilink(tmp_path), folder)
    as_of, last = _last_valid_day(folder)
    days = (last - as_of).days  # the boundary: the preuve's last valid day is included
    flagged = tmp_path / "flagged.json"
    result = run_cli(
        "batch", str(tmp_path / "lot"), "-o", str(tmp_path / "s.xlsx"), "--json", str(flagged),
        "--expire-sous", str(days),
    )  # fmt: skip
    assert result.code == 0, result.stderr
    row = json.loads(flagged.read_text("utf-8"))["dossiers"][0]
    found = {(p["exigence"], p["preuve"]): p for p in row["preuves_a_renouveler"]}
    assert found[("ETH.32", "resultat-ecoscore")]["jours_restants"] == days
    assert found[("ETH.32", "resultat-ecoscore")]["valable_jusqu_au"] == last.isoformat()
    assert any(
        "ETH.32 « resultat-ecoscore »" in line and f"jusqu'au {last:%d/%m/%Y}" in line
        for line in result.stdout.splitlines()
    )
    sheet = openpyxl.load_workbook(tmp_path / "s.xlsx")["Preuves à renouveler"]
    cells = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert ("ETH.32", "resultat-ecoscore") in {(r[5], r[6]) for r in cells}

    outside = tmp_path / "outside.json"
    result = run_cli(
        "batch", str(tmp_path / "lot"), "-o", str(tmp_path / "o.xlsx"), "--json", str(outside),
        "--expire-sous", str(days - 1),
    )  # fmt: skip
    assert result.code == 0, result.stderr
    row = json.loads(outside.read_text("utf-8"))["dossiers"][0]
    assert ("ETH.32", "resultat-ecoscore") not in {
        (p["exigence"], p["preuve"]) for p in row["preuves_a_renouveler"]
    }
    assert "resultat-ecoscore" not in result.stdout


def test_without_the_option_no_preuve_is_flagged(run_cli, tmp_path: Path) -> None:
    _evaluate(run_cli, copy_medilink(tmp_path), tmp_path / "lot" / "medilink")
    out = tmp_path / "s.json"
    result = run_cli(
        "batch", str(tmp_path / "lot"), "-o", str(tmp_path / "s.xlsx"), "--json", str(out)
    )
    assert result.code == 0, result.stderr
    synthese = json.loads(out.read_text("utf-8"))
    assert synthese["dossiers"][0]["preuves_a_renouveler"] == []
    assert synthese["expire_sous"] is None and synthese["evolutions"] == []
    assert "Preuves à renouveler" not in openpyxl.load_workbook(tmp_path / "s.xlsx").sheetnames


def test_two_submissions_of_one_solution_are_linked_with_their_diff(
    run_cli, tmp_path: Path, two_submissions
) -> None:
    older, newer, changed = two_submissions
    out = tmp_path / "s.json"
    result = run_cli(
        "batch", str(tmp_path / "lot"), "-o", str(tmp_path / "s.xlsx"), "--json", str(out)
    )
    assert result.code == 0, result.stderr
    (link,) = json.loads(out.read_text("utf-8"))["evolutions"]
    assert (link["ancien"], link["nouveau"]) == (str(older), str(newer))
    assert (link["version_ancienne"], link["version_nouvelle"]) == ("4.2", "4.3")
    assert link["identiques"] is False and link["raison"] is None
    assert link["changements"]["degrade"] >= 1
    diff = run_cli("dossier", "diff", str(older), str(newer), "--format", "json")
    evolution = json.loads(diff.stdout)
    assert changed in {c["id"] for c in evolution["exigences"] if c["nature"] == "degrade"}
    counts: dict[str, int] = {}
    for c in evolution["exigences"]:
        counts[c["nature"]] = counts.get(c["nature"], 0) + 1
    assert link["changements"] == counts  # the diff's own counts, class by class
    assert len(link["verdicts"]) == len(evolution["verdicts"])
    line = next(x for x in result.stdout.splitlines() if x.startswith("Évolution "))
    assert f"{older} (4.2, 22/11/2026) → {newer} (4.3, 22/12/2026)" in line
    assert "dégradé" in line
    sheet = openpyxl.load_workbook(tmp_path / "s.xlsx")["Évolutions"]
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    assert row[header.index("Dégradé")] == counts["degrade"]


def test_a_tampered_submission_is_not_linked(run_cli, tmp_path: Path, two_submissions) -> None:
    _, newer, _ = two_submissions
    justification = newer / "dossier.json"
    justification.write_text(
        justification.read_text("utf-8").replace("Retirée de la 4.3.", "Retirée de la 4.4."),
        "utf-8",
    )
    out = tmp_path / "s.json"
    result = run_cli(
        "batch", str(tmp_path / "lot"), "-o", str(tmp_path / "s.xlsx"), "--json", str(out)
    )
    assert result.code == 1
    assert json.loads(out.read_text("utf-8"))["evolutions"] == []
    assert "Évolution" not in result.stdout
