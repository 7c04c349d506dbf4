"""Dossier folders: canonical JSON (golden, schema), atomic writes, and verification of every file."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import jsonschema
import pytest

from .conftest import QUESTIONNAIRES, ROOT

BASE = Path(__file__).parent / "data" / "questionnaires" / "base"
GOLDEN = Path(__file__).parent / "data" / "golden" / "dossier-base.json"
AS_OF = "2026-11-22"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "source"
    shutil.copytree(BASE, folder)
    return folder / "questionnaire.yaml"


def _produce(run_cli, questionnaire: Path, out: Path, *extra: str):
    return run_cli(
        "evaluate",
        str(questionnaire),
        "--as-of",
        AS_OF,
        "-o",
        str(out),
        "--formats",
        "json",
        *extra,
    )


def test_dossier_json_matches_the_golden_file(run_cli, source: Path, tmp_path: Path) -> None:
    result = _produce(run_cli, source, tmp_path / "d")
    assert result.code == 1, result.stderr  # the base questionnaire is non conforme
    produced = (tmp_path / "d" / "dossier.json").read_bytes()
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_bytes(produced)
    assert produced == GOLDEN.read_bytes(), (
        "regenerate with UPDATE_GOLDEN=1 after an intended change"
    )


def test_dossier_folder_carries_its_inputs(run_cli, source: Path, tmp_path: Path) -> None:
    _produce(run_cli, source, tmp_path / "d")
    files = sorted(
        str(p.relative_to(tmp_path / "d")) for p in (tmp_path / "d").rglob("*") if p.is_file()
    )
    assert files == [
        "dossier.json",
        "manifeste.json",
        "questionnaire/preuves/attestation.pdf",
        "questionnaire/preuves/capture-lieu.png",
        "questionnaire/questionnaire.yaml",
        "referentiels/profil.yaml",
        "referentiels/teleconsultation-1.5.1.yaml",
    ]
    data = json.loads((tmp_path / "d" / "dossier.json").read_text("utf-8"))
    assert [p["chemin"] for p in data["manifeste"]] == [
        "preuves/attestation.pdf",
        "preuves/capture-lieu.png",
    ]
    assert data["genere_le"] == "2026-11-22T00:00:00Z"
    (result,) = data["resultats"]
    # The base questionnaire leaves ETH.12 and ETH.30 unmet and does not answer the four
    # exigences read since on the ANS FAQ (ETH.13, ETH.14, ETH.26, ETH.32).
    assert {b["id"] for b in result["bloquantes"]} == {
        "ETH.12",
        "ETH.13",
        "ETH.14",
        "ETH.26",
        "ETH.30",
        "ETH.32",
    }


def test_two_runs_give_identical_bytes(run_cli, source: Path, tmp_path: Path) -> None:
    _produce(run_cli, source, tmp_path / "one")
    _produce(run_cli, source, tmp_path / "two")
    assert (tmp_path / "one" / "dossier.json").read_bytes() == (
        tmp_path / "two" / "dossier.json"
    ).read_bytes()


EXAMPLES = sorted(QUESTIONNAIRES.glob("*/questionnaire.*"))


@pytest.mark.parametrize(
    "questionnaire", EXAMPLES, ids=[f"{p.parent.name}{p.suffix}" for p in EXAMPLES]
)
def test_every_shipped_example_gives_a_schema_valid_dossier(
    run_cli, questionnaire: Path, tmp_path: Path
) -> None:
    result = _produce(run_cli, questionnaire, tmp_path / "d")
    assert result.code in (0, 1), result.stderr
    schema = json.loads((ROOT / "schemas" / "dossier.schema.json").read_text("utf-8"))
    jsonschema.validate(json.loads((tmp_path / "d" / "dossier.json").read_text("utf-8")), schema)
    assert run_cli("dossier", "verify", str(tmp_path / "d")).code == 0


def test_existing_dossier_needs_force_and_other_folders_are_never_replaced(
    run_cli, source: Path, tmp_path: Path
) -> None:
    out = tmp_path / "d"
    assert _produce(run_cli, source, out).code == 1
    before = (out / "dossier.json").read_bytes()
    again = _produce(run_cli, source, out)
    assert again.code == 2 and "existe déjà" in again.stderr
    assert _produce(run_cli, source, out, "--force").code == 1
    assert (out / "dossier.json").read_bytes() == before
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("à garder")
    refused = _produce(run_cli, source, precious, "--force")
    assert refused.code == 2 and "ne sera pas remplacé" in refused.stderr
    assert (precious / "notes.txt").read_text() == "à garder"


def test_interrupted_write_leaves_nothing_behind(
    run_cli, source: Path, tmp_path: Path, monkeypatch
) -> None:
    import cens_eval.service.folder as output

    out = tmp_path / "out"
    _produce(run_cli, source, out / "d")
    before = (out / "d" / "dossier.json").read_bytes()
    real_write = output._write
    calls = {"n": 0}

    def failing_write(root: Path, rel: str, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        real_write(root, rel, data)

    monkeypatch.setattr(output, "_write", failing_write)
    failed = _produce(run_cli, source, out / "d", "--force")
    assert failed.code == 2 and "écriture impossible" in failed.stderr
    assert (out / "d" / "dossier.json").read_bytes() == before
    calls["n"] = 0
    fresh = _produce(run_cli, source, out / "new")
    assert fresh.code == 2
    assert sorted(p.name for p in out.iterdir()) == ["d"], "no partial or temporary folder is left"


def test_inputs_are_never_modified(run_cli, source: Path, tmp_path: Path) -> None:
    folder = source.parent
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    _produce(run_cli, source, tmp_path / "d")
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


@pytest.fixture
def dossier_dir(run_cli, source: Path, tmp_path: Path) -> Path:
    out = tmp_path / "d"
    _produce(run_cli, source, out)
    assert run_cli("dossier", "verify", str(out)).code == 0
    return out


def _flip_last_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-2] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "rel",
    [
        "questionnaire/preuves/attestation.pdf",
        "questionnaire/questionnaire.yaml",
        "referentiels/teleconsultation-1.5.1.yaml",
        "referentiels/profil.yaml",
    ],
)
def test_one_changed_byte_in_an_input_is_named(run_cli, dossier_dir: Path, rel: str) -> None:
    _flip_last_byte(dossier_dir / rel)
    result = run_cli("dossier", "verify", str(dossier_dir))
    assert result.code == 1
    assert f"{dossier_dir / rel}:" in result.stderr and "fichier modifié" in result.stderr


@pytest.mark.parametrize("reseal", [False, True], ids=["seal-kept", "seal-forged"])
def test_changed_verdict_in_dossier_json_is_detected(
    run_cli, dossier_dir: Path, reseal: bool
) -> None:
    path = dossier_dir / "dossier.json"
    path.write_text(
        path.read_text("utf-8").replace('"verdict": "non_conforme"', '"verdict": "conforme"', 1),
        "utf-8",
    )
    seal = dossier_dir / "manifeste.json"
    if reseal:  # the seal made to match: the re-evaluation still catches it
        data = json.loads(seal.read_text("utf-8"))
        for entry in data["fichiers"]:
            entry["sha256"] = hashlib.sha256(
                (dossier_dir / entry["fichier"]).read_bytes()
            ).hexdigest()
        seal.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    result = run_cli("dossier", "verify", str(dossier_dir))
    assert result.code == 1
    if reseal:
        assert (
            f"{path}: contenu différent de la réévaluation (sections : resultats)" in result.stderr
        )
    else:
        assert (
            f"{path}: empreinte SHA-256 différente de celle du dossier : fichier modifié"
            in result.stderr
        )


def test_one_changed_byte_of_layout_in_dossier_json_is_detected(run_cli, dossier_dir: Path) -> None:
    path = dossier_dir / "dossier.json"
    path.write_bytes(path.read_bytes().replace(b'{\n  "format"', b'{\n "format"', 1))
    result = run_cli("dossier", "verify", str(dossier_dir))
    assert result.code == 1 and str(path) in result.stderr


def test_unreadable_dossier_exits_2(run_cli, dossier_dir: Path, tmp_path: Path) -> None:
    (dossier_dir / "dossier.json").write_text("{ pas du json", "utf-8")
    result = run_cli("dossier", "verify", str(dossier_dir))
    assert result.code == 2 and "JSON invalide" in result.stderr
    assert run_cli("dossier", "verify", str(tmp_path / "absent")).code == 2


def test_manifest_path_escaping_the_dossier_is_refused(run_cli, dossier_dir: Path) -> None:
    path = dossier_dir / "dossier.json"
    path.write_text(
        path.read_text("utf-8").replace(
            '"chemin": "preuves/attestation.pdf"', '"chemin": "../../etc/passwd"'
        ),
        "utf-8",
    )
    result = run_cli("dossier", "verify", str(dossier_dir))
    assert result.code == 1 and "sort du dossier" in result.stderr


@pytest.mark.parametrize("as_of", ["9999-12-31", "2028-02-29", "1980-01-01"])
def test_an_evaluation_date_at_the_edges_of_the_calendar_gives_a_verifiable_dossier(
    run_cli, tmp_path: Path, as_of: str
) -> None:
    """The échéances look one year ahead and workbooks date their entries: neither may overflow."""
    out = tmp_path / "dossier"
    source = QUESTIONNAIRES / "app-nutrisante" / "questionnaire.yaml"
    made = run_cli("evaluate", str(source), "--as-of", as_of, "-o", str(out))
    assert made.code in (0, 1), made.stderr
    assert json.loads((out / "dossier.json").read_text("utf-8"))["as_of"] == as_of
    verified = run_cli("dossier", "verify", str(out))
    assert verified.code == 0, verified.stdout + verified.stderr
