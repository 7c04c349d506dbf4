"""Batch scoring: 50 generated dossiers, some tampered and some malformed, in one summary."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from cens_eval.dossier.pipeline import dossier_files, dossier_inputs, evaluate_to_dossier
from cens_eval.loader.dossier import find_dossiers
from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.model.batch import Integrite
from cens_eval.model.catalogue import Catalogue
from cens_eval.render import Format, render
from cens_eval.review.batch import score_batch
from cens_eval.service.folder import write_dossier_dir

BASE = Path(__file__).parent / "data" / "questionnaires" / "base"
TAMPERED = {3, 17, 29, 41, 48}
MALFORMED = {8, 33, 45}


def _make(catalogue: Catalogue, tmp: Path, index: int) -> Path:
    source = tmp / "sources" / f"q{index:02d}"
    shutil.copytree(BASE, source)
    path = source / "questionnaire.yaml"
    text = path.read_text("utf-8").replace('version: "2.1"', f'version: "2.{index}"')
    if index % 2:
        text = text.replace(
            "      statut: conforme\n",
            "      statut: non_conforme\n      justification: pas encore\n",
        )
    path.write_text(text, "utf-8")
    loaded = load_questionnaire(path, catalogue)
    _, dossier = evaluate_to_dossier(loaded, catalogue, as_of=dt.date(2026, 11, 22))
    out = tmp / "lot" / f"dossier-{index:02d}"
    inputs = dossier_inputs(loaded, catalogue)
    files = dossier_files(dossier, {"dossier.json": render(dossier, Format.JSON)}, None, inputs)
    write_dossier_dir(out, files, inputs, force=False)
    return out


@pytest.fixture(scope="module")
def lot(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> Path:
    tmp = tmp_path_factory.mktemp("batch")
    for index in range(50):
        folder = _make(catalogue, tmp, index)
        if index in TAMPERED:
            evidence = folder / "questionnaire" / "preuves" / "attestation.pdf"
            evidence.write_bytes(evidence.read_bytes() + b"x")
        if index in MALFORMED:
            (folder / "dossier.json").write_text(
                '{"format": "cens-eval/dossier", "pas": "un dossier"}', "utf-8"
            )
    return tmp / "lot"


def test_find_dossiers_finds_each_once(lot: Path) -> None:
    assert len(find_dossiers([lot])) == 50
    assert len(find_dossiers([lot, lot / "dossier-00"])) == 50


def test_batch_marks_bad_dossiers_and_goes_on(lot: Path) -> None:
    summary = score_batch(find_dossiers([lot]), workers=2)
    assert len(summary.dossiers) == 50
    status = {Path(d.chemin).name: d.integrite for d in summary.dossiers}
    assert {n for n, s in status.items() if s is Integrite.MODIFIE} == {
        f"dossier-{i:02d}" for i in TAMPERED
    }
    assert {n for n, s in status.items() if s is Integrite.ILLISIBLE} == {
        f"dossier-{i:02d}" for i in MALFORMED
    }
    tampered = next(d for d in summary.dossiers if d.chemin.endswith("dossier-03"))
    assert "attestation.pdf" in (tampered.raison or "")
    intact = [d for d in summary.dossiers if d.integrite is Integrite.INTACT]
    assert len(intact) == 42
    # ETH.08 is unmet in every odd dossier: 21 intact odd dossiers out of 42 → 50 %
    eth08 = next(e for e in summary.exigences if e.exigence == "ETH.08")
    assert (eth08.dossiers, eth08.non_satisfaite) == (
        42,
        sum(1 for d in intact if int(d.chemin[-2:]) % 2),
    )
    rates = [e.taux_echec for e in summary.exigences]
    assert rates == sorted(rates, reverse=True)


def test_parallel_and_serial_runs_agree(lot: Path) -> None:
    folders = find_dossiers([lot])[:12]
    assert score_batch(folders, workers=1) == score_batch(folders, workers=2)


def test_batch_command_writes_the_workbook_and_fails_on_tampering(
    run_cli, lot: Path, tmp_path: Path
) -> None:
    out, as_json = tmp_path / "synthese.xlsx", tmp_path / "synthese.json"
    result = run_cli("batch", str(lot), "-o", str(out), "--json", str(as_json), "--jobs", "2")
    assert result.code == 1
    assert "50 dossier(s) : 42 intact(s), 8 en échec" in result.stdout
    assert result.stderr.count(": modifié :") == 5 and result.stderr.count(": illisible :") == 3
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [
        "Dossiers",
        "Exigences",
        "Sur-déclarations",
        "Principes",
        "Scores",
        "Erreurs",
        "Évolutions",  # the 42 intact dossiers are successive versions of one solution
    ]
    assert wb["Évolutions"].max_row == 42
    assert wb["Dossiers"].max_row == 51
    assert wb["Erreurs"].max_row == 9
    assert wb["Principes"]._charts
    data = json.loads(as_json.read_text("utf-8"))
    assert len(data["dossiers"]) == 50


def test_batch_of_only_good_dossiers_exits_0(run_cli, lot: Path, tmp_path: Path) -> None:
    result = run_cli(
        "batch", str(lot / "dossier-00"), str(lot / "dossier-01"), "-o", str(tmp_path / "s.xlsx")
    )
    assert result.code == 0, result.stderr
