"""What an evaluator signs cannot change unseen: reviewed copies are sealed, and keep their history.

A reviewed copy is verified like the dossier: its seal (``revue/manifeste.json``) names every
file of the review, bound to the ``dossier.json`` reviewed and to the review before, and the
review file is applied again and must give ``revue.json``, ``revue.pdf`` and ``revue.xlsx`` byte
for byte. Reviewing a reviewed copy keeps the earlier review in ``historique/``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

import cens_eval
from cens_eval.cli import main

from .conftest import QUESTIONNAIRES, REFERENTIELS

MEDILINK = QUESTIONNAIRES / "teleconsult-medilink" / "questionnaire.yaml"
REFUSAL = "L'étude d'impact ne traite ni des proches aidants ni de l'organisation des centres."


def _cli(*args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    with runner.isolation(env={"CENS_EVAL_REFERENTIELS": str(REFERENTIELS)}) as (out, err, _):
        code = main(list(args))
        return code, out.getvalue().decode(), err.getvalue().decode()


def _review_file(folder: Path, path: Path, name: str = "Claire Martin", **extra: Any) -> Path:
    """Every exigence validé except CE-IA-03, refused: the proposed opinion is défavorable."""
    found = cens_eval.read_dossier(folder)
    avis = {r.id: {e.id: {"avis": "valide"} for e in r.exigences} for r in found.dossier.resultats}
    avis["ia-sante"]["CE-IA-03"] = {"avis": "non_valide", "commentaire": REFUSAL}
    data = {
        "evaluateur": {"nom": name, "fonction": "Experte rapporteure"},
        "date": "2026-11-25",
        "dossier_sha256": found.sha256,
        "avis": avis,
        **extra,
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A MediLink dossier and its reviewed copy, made by the commands (module-wide, read only)."""
    root = tmp_path_factory.mktemp("trust")
    code, _, err = _cli(
        "evaluate", str(MEDILINK), "--as-of", "2026-11-22", "-o", str(root / "dossier")
    )
    assert code == 1, err  # MediLink is non conforme
    review = _review_file(root / "dossier", root / "revue.yaml")
    code, _, err = _cli(
        "review", "apply", str(root / "dossier"), str(review), "-o", str(root / "revu")
    )
    assert code == 0, err
    return root


@pytest.fixture
def reviewed(made: Path, tmp_path: Path) -> Path:
    shutil.copytree(made / "revu", tmp_path / "revu")
    return tmp_path / "revu"


def _verify(folder: Path) -> tuple[int, str, str]:
    return _cli("dossier", "verify", str(folder))


def test_a_fresh_reviewed_copy_is_intact_and_sealed(reviewed: Path) -> None:
    code, out, err = _verify(reviewed)
    assert (code, err) == (0, "")
    assert out == (
        f"{reviewed} : aucune signature électronique.\n"
        f"{reviewed} : dossier intact (empreintes et réévaluation identiques).\n"
    )
    seal = json.loads((reviewed / "revue" / "manifeste.json").read_text("utf-8"))
    assert [f["fichier"] for f in seal["fichiers"]] == [
        "revue.json",
        "revue.pdf",
        "revue.xlsx",
        "revue/revue.yaml",
    ]
    assert (
        seal["dossier_sha256"]
        == hashlib.sha256((reviewed / "dossier.json").read_bytes()).hexdigest()
    )


def _rewrite_json(path: Path, change: Any) -> None:
    data = json.loads(path.read_text("utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")


def _reseal(folder: Path) -> None:
    """What a careful forger does next: the seal made to match the changed files."""
    seal_path = folder / "revue" / "manifeste.json"
    seal = json.loads(seal_path.read_text("utf-8"))
    for entry in seal["fichiers"]:
        entry["sha256"] = hashlib.sha256((folder / entry["fichier"]).read_bytes()).hexdigest()
    seal_path.write_text(json.dumps(seal, ensure_ascii=False, indent=2) + "\n", "utf-8")


def _favourable(data: dict[str, Any]) -> None:
    assert data["revue"]["opinion_proposee"] == "defavorable"
    data["revue"]["opinion_proposee"] = data["revue"]["opinion_retenue"] = "favorable"


@pytest.mark.parametrize("reseal", [False, True], ids=["seal-kept", "seal-forged"])
def test_an_opinion_changed_in_revue_json_is_caught(reviewed: Path, reseal: bool) -> None:
    _rewrite_json(reviewed / "revue.json", _favourable)
    if reseal:
        _reseal(reviewed)
    code, _, err = _verify(reviewed)
    assert code == 1
    assert f"{reviewed / 'revue.json'}: " in err
    assert not cens_eval.verify_dossier(reviewed).intact


@pytest.mark.parametrize("reseal", [False, True], ids=["seal-kept", "seal-forged"])
def test_the_evaluator_renamed_in_the_applied_review_is_caught(
    reviewed: Path, reseal: bool
) -> None:
    applied = reviewed / "revue" / "revue.yaml"
    applied.write_text(applied.read_text("utf-8").replace("Claire Martin", "Paul Durand"), "utf-8")
    if reseal:
        _reseal(reviewed)
    code, _, err = _verify(reviewed)
    assert code == 1
    named = reviewed / ("revue.json" if reseal else "revue/revue.yaml")
    assert f"{named}: " in err


@pytest.mark.parametrize("name", ["revue.pdf", "revue.xlsx"])
@pytest.mark.parametrize("reseal", [False, True], ids=["seal-kept", "seal-forged"])
def test_one_byte_of_a_rendered_review_file_is_caught(
    reviewed: Path, name: str, reseal: bool
) -> None:
    path = reviewed / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    if reseal:
        _reseal(reviewed)
    code, _, err = _verify(reviewed)
    assert code == 1
    assert f"{path}: " in err and "modifié" in err


def test_a_removed_or_added_file_is_caught(made: Path, tmp_path: Path) -> None:
    folder = tmp_path / "dossier"
    shutil.copytree(made / "dossier", folder)
    (folder / "dossier.pdf").unlink()
    (folder / "questionnaire" / "preuves" / "ajout.pdf").write_bytes(b"%PDF-1.4 ajout")
    code, _, err = _verify(folder)
    assert code == 1
    assert f"{folder / 'dossier.pdf'}: fichier absent" in err
    assert (
        f"{folder / 'questionnaire/preuves/ajout.pdf'}: fichier ajouté après la production" in err
    )


def test_batch_gives_a_tampered_reviewed_copy_its_own_row(made: Path, tmp_path: Path) -> None:
    lot = tmp_path / "lot"
    shutil.copytree(made / "dossier", lot / "dossier")
    shutil.copytree(made / "revu", lot / "revu")
    pdf = lot / "revu" / "revue.pdf"
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01
    pdf.write_bytes(bytes(data))
    code, _, err = _cli(
        "batch", str(lot), "-o", str(tmp_path / "s.xlsx"), "--json", str(tmp_path / "s.json")
    )
    assert code == 1, err
    rows = json.loads((tmp_path / "s.json").read_text("utf-8"))["dossiers"]
    by_path = {Path(r["chemin"]).name: r for r in rows}
    assert by_path["revu"]["integrite"] == "modifie"
    assert "revue.pdf" in by_path["revu"]["raison"]
    assert by_path["dossier"]["integrite"] == "intact"
    assert not by_path["dossier"]["copies"]  # the original is never folded into the tampered copy


def test_a_second_review_keeps_the_first_in_the_history(made: Path, tmp_path: Path) -> None:
    second = _review_file(made / "revu", tmp_path / "revue-2.yaml", name="Paul Durand")
    out = tmp_path / "revu-2"
    code, _, err = _cli("review", "apply", str(made / "revu"), str(second), "-o", str(out))
    assert code == 0, err
    first_json = (made / "revu" / "revue.json").read_bytes()
    assert (out / "historique" / "1" / "revue.json").read_bytes() == first_json
    assert (out / "historique" / "1" / "revue.pdf").read_bytes() == (
        made / "revu" / "revue.pdf"
    ).read_bytes()
    history = json.loads((out / "revue.json").read_text("utf-8"))["revue"]["historique"]
    assert history == [
        {
            "numero": 1,
            "evaluateur": "Claire Martin",
            "date": "2026-11-25",
            "opinion_retenue": "defavorable",
            "fichier": {
                "fichier": "historique/1/revue.json",
                "sha256": hashlib.sha256(first_json).hexdigest(),
            },
        }
    ]
    seal = json.loads((out / "revue" / "manifeste.json").read_text("utf-8"))
    assert seal["precedente"] == history[0]["fichier"]
    page_1 = " ".join(PdfReader(out / "revue.pdf").pages[0].extract_text().split())
    assert "Revues précédentes 1. Claire Martin, le 25 novembre 2026 — Défavorable" in page_1
    assert _verify(out)[0] == 0
    # the history is sealed too: the first review cannot be rewritten under the second
    _rewrite_json(out / "historique" / "1" / "revue.json", _favourable)
    code, _, err = _verify(out)
    assert code == 1
    assert f"{out / 'historique/1/revue.json'}: " in err


def test_a_review_dated_before_the_evaluation_is_refused_at_its_line(
    made: Path, tmp_path: Path
) -> None:
    review = _review_file(made / "dossier", tmp_path / "revue.yaml")
    review.write_text(review.read_text("utf-8").replace("2026-11-25", "2020-01-15"), "utf-8")
    code, _, err = _cli(
        "review", "apply", str(made / "dossier"), str(review), "-o", str(tmp_path / "o")
    )
    assert code == 2
    line = review.read_text("utf-8").splitlines().index("date: '2020-01-15'") + 1
    assert err.splitlines() == [
        f"{review}:{line}: date: date de revue 15/01/2020 antérieure à l'évaluation du dossier "
        "(22/11/2026) : une revue ne précède pas ce qu'elle revoit"
    ]
    assert not (tmp_path / "o").exists()


def test_a_review_dated_in_the_future_is_a_warning(made: Path, tmp_path: Path) -> None:
    review = _review_file(made / "dossier", tmp_path / "revue.yaml")
    review.write_text(review.read_text("utf-8").replace("2026-11-25", "2099-01-01"), "utf-8")
    code, _, err = _cli(
        "review", "apply", str(made / "dossier"), str(review), "-o", str(tmp_path / "o")
    )
    assert code == 0
    assert "avertissement : date: date de revue 01/01/2099 postérieure à aujourd'hui" in err
