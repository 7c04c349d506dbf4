"""Dossiers made by earlier releases verify honestly with this one.

``tests/data/versions/<release>/`` keeps, for each released version, a MediLink dossier and its
reviewed copy exactly as that release wrote them (made with ``evaluate`` and ``review apply``
before anything changed). This version must read and verify them as promised — reported as made
by an earlier version, integrity checked, no file called modified, the outcomes that today's
rules move listed — and must still catch one byte changed in any of their files.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

import cens_eval
from cens_eval.dossier.pipeline import dossier_files, dossier_inputs, evaluate_to_dossier
from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.model import versions
from cens_eval.model.versions import FORMAT_VERSION, REGLES, RULES_VERSION
from cens_eval.render import Format, render
from cens_eval.service.folder import write_dossier_dir

from .conftest import QUESTIONNAIRES

RELEASES = Path(__file__).parent / "data" / "versions"
FOLDERS = sorted(p for release in RELEASES.iterdir() for p in release.iterdir() if p.is_dir())


def _copy(folder: Path, tmp_path: Path) -> Path:
    target = tmp_path / folder.parent.name / folder.name
    shutil.copytree(folder, target)
    return target


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_an_earlier_dossier_is_reported_as_such_and_intact(run_cli, folder: Path) -> None:
    recorded = json.loads((folder / "dossier.json").read_text("utf-8"))
    release = recorded["outil"]["version"]
    result = run_cli("dossier", "verify", str(folder))
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"{folder} : produit par cens-eval {release} (format {recorded['version_format']}, "
        f"règles v{recorded.get('version_regles', 1)}) ; vérifié avec cens-eval "
        f"{cens_eval.__version__} (format {FORMAT_VERSION}, règles v{RULES_VERSION}) ; pour le "
        f"reproduire à l'identique : pip install cens-eval=={release}"
    )
    assert "modifié" not in result.stdout + result.stderr
    assert lines[-1] == f"{folder} : dossier intact (empreintes et réévaluation identiques)."


def test_the_0_1_0_medilink_dossier_moves_under_no_rule_of_today(run_cli) -> None:
    folder = RELEASES / "0.1.0" / "dossier"
    result = run_cli("dossier", "verify", str(folder))
    assert f"{folder} : règles v2 : aucun résultat ni verdict ne change" in result.stdout


def test_each_outcome_todays_rules_move_is_listed_as_information(
    run_cli, tmp_path: Path, catalogue
) -> None:
    """A dossier made under rules v1 (reproduced by this version exactly as 0.1.0 wrote it) where
    a panel of 5 against a minimum of 10 was declared partially met: rules v2 make it non
    conforme. Verification says so, as information, and the dossier stays intact."""
    source = tmp_path / "q"
    shutil.copytree(QUESTIONNAIRES / "teleconsult-medilink", source)
    path = source / "questionnaire.yaml"
    text = path.read_text("utf-8")
    answer = text.index("    ETH.11.1.2:\n      statut: conforme")
    text = (
        text[:answer]
        + text[answer:].replace("statut: conforme", "statut: partiellement_conforme", 1)
    ).replace("{attendue: taille-panel, valeur: 32}", "{attendue: taille-panel, valeur: 5}")
    path.write_text(text, "utf-8")
    loaded = load_questionnaire(path, catalogue)
    _, dossier = evaluate_to_dossier(
        loaded,
        catalogue,
        as_of=dt.date(2026, 11, 22),
        tool_version="0.1.0",
        regles=REGLES[1],
        format_version=1,
    )
    rendered = {f"dossier.{f.value}": render(dossier, f) for f in Format}
    inputs = dossier_inputs(loaded, catalogue)
    write_dossier_dir(
        tmp_path / "d", dossier_files(dossier, rendered, None, inputs), inputs, force=False
    )
    result = run_cli("dossier", "verify", str(tmp_path / "d"))
    assert result.code == 0, result.stderr
    moved = [line for line in result.stdout.splitlines() if " : règles v2 : " in line]
    assert moved[0] == (
        f"{tmp_path / 'd'} : règles v2 : teleconsultation ETH.11.1.2 : partiellement conforme "
        "(exigence) → non conforme (exigence)"
    )
    assert all("teleconsultation : score" in line for line in moved[1:])
    assert result.stdout.splitlines()[-1].endswith("(empreintes et réévaluation identiques).")


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


CASES = [(folder, rel) for folder in FOLDERS for rel in _files(folder)]


def _flip(path: Path) -> None:
    """Change one byte of a file: of a recorded JSON, a letter of a text (it stays valid JSON);
    of any other file, the middle byte."""
    data = bytearray(path.read_bytes())
    if path.name in ("dossier.json", "revue.json"):
        at = data.index(b"MediLink Consult") + 2
    else:
        at = len(data) // 2
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("folder", "rel"), CASES, ids=[f"{f.parent.name}/{f.name}/{r}" for f, r in CASES]
)
def test_one_byte_changed_in_any_file_of_an_earlier_dossier_is_caught(
    run_cli, tmp_path: Path, folder: Path, rel: str
) -> None:
    copy = _copy(folder, tmp_path)
    _flip(copy / rel)
    result = run_cli("dossier", "verify", str(copy))
    assert result.code == 1, result.stdout + result.stderr
    assert f"{copy / rel}: " in result.stderr
    assert "modifié" in result.stderr


def test_the_library_agrees_with_the_command(tmp_path: Path) -> None:
    copy = _copy(RELEASES / "0.1.0" / "dossier-revu", tmp_path)
    assert cens_eval.verify_dossier(copy).intact
    _flip(copy / "revue.pdf")
    problems = cens_eval.verify_dossier(copy).problems
    assert [p.file for p in problems] == [str(copy / "revue.pdf")]


def test_when_this_version_no_longer_reproduces_a_format_its_hashes_and_outcomes_still_count(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The day a release stops reproducing 0.1.0's bytes, verification says so and still checks
    the recorded inputs and every outcome: an outcome changed in dossier.json is caught."""
    monkeypatch.setattr(versions, "REPRODUCED", frozenset({(FORMAT_VERSION, RULES_VERSION)}))
    monkeypatch.setattr("cens_eval.dossier.verify.REPRODUCED", versions.REPRODUCED)
    monkeypatch.setattr("cens_eval.review.seal.REPRODUCED", versions.REPRODUCED)
    folder = _copy(RELEASES / "0.1.0" / "dossier", tmp_path)
    result = run_cli("dossier", "verify", str(folder))
    assert result.code == 0, result.stderr
    assert "non reproduits par cette version" in result.stdout
    assert result.stdout.splitlines()[-1].endswith(
        "dossier intact (empreintes, résultats, scores et verdicts vérifiés)."
    )
    data = json.loads((folder / "dossier.json").read_text("utf-8"))
    exigence = data["resultats"][0]["exigences"][0]
    assert exigence["resultat"] == "partiellement_conforme"
    exigence["resultat"] = "conforme"
    (folder / "dossier.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    result = run_cli("dossier", "verify", str(folder))
    assert result.code == 1
    assert (
        f"{folder / 'dossier.json'}: ia-sante {exigence['id']} : conforme (préconisation) → "
        "partiellement conforme (préconisation) : fichier modifié"
    ) in result.stderr


def test_a_batch_scores_earlier_dossiers_and_says_where_they_come_from(
    run_cli, tmp_path: Path
) -> None:
    lot = tmp_path / "lot"
    shutil.copytree(RELEASES / "0.1.0", lot)
    out = tmp_path / "s.json"
    result = run_cli("batch", str(lot), "-o", str(tmp_path / "s.xlsx"), "--json", str(out))
    assert result.code == 0, result.stderr
    rows = json.loads(out.read_text("utf-8"))["dossiers"]
    assert [r["integrite"] for r in rows] == [
        "intact"
    ]  # the dossier and its reviewed copy: one row
    assert rows[0]["verification"].startswith("produit par cens-eval 0.1.0 (format 1, règles v1)")
