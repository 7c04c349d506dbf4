"""Batch and dossier verification misreads: what a batch or ``dossier verify`` must never let through.

A tampered dossier beside a reviewed copy of it, a review file kept outside its dossier, a
questionnaire named ``dossier.json``, a dossier that stops or hangs its worker, a changed cell of
``dossier.xlsx``, a number no computation can finish: each through the real command line.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import yaml

import cens_eval.review.batch
from cens_eval.constants import MAX_DOSSIER_JSON_BYTES
from cens_eval.loader.locate import packaged_referentiels_dir

BASE = Path(__file__).parent / "data" / "questionnaires" / "base"
AS_OF = "2026-11-22"
EVIDENCE = Path("questionnaire") / "preuves" / "attestation.pdf"

forked = pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork",
    reason="the patched summary reaches the batch's workers only when they are forked",
)


def _evaluate(run_cli, questionnaire: Path, out: Path, formats: str = "json") -> Path:
    args = ["evaluate", str(questionnaire), "--as-of", AS_OF, "-o", str(out), "--formats", formats]
    result = run_cli(*args)
    assert result.code == 1, result.stderr  # the base questionnaire is not conforme
    return out


def _dossier(run_cli, tmp_path: Path, out: Path, formats: str = "json") -> Path:
    source = tmp_path / "source"
    if not source.exists():
        shutil.copytree(BASE, source)
    return _evaluate(run_cli, source / "questionnaire.yaml", out, formats)


def _reviewed_copy(run_cli, dossier: Path, out: Path) -> Path:
    """``review init`` then ``review apply``: every exigence validé."""
    template = dossier.parent / f"{dossier.name}-revue.yaml"
    assert run_cli("review", "init", str(dossier), "-o", str(template)).code == 0
    data = yaml.safe_load(template.read_text("utf-8"))
    data["evaluateur"] = {"nom": "Claire Martin"}
    data["date"] = "2026-11-25"
    for ref in data["avis"].values():
        for exigence in ref:
            ref[exigence] = {"avis": "valide"}
    template.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    result = run_cli("review", "apply", str(dossier), str(template), "-o", str(out))
    assert result.code == 0, result.stderr
    template.unlink()
    return out


def _batch(run_cli, tmp_path: Path, *args: str):
    return run_cli("batch", *args, "-o", str(tmp_path / "synthese.xlsx"), "--force")


def _tamper(path: Path) -> None:
    path.write_bytes(path.read_bytes() + b"!")


# ---- a failing folder is never hidden by a copy of the same dossier ---------------------------


@pytest.fixture
def pair(run_cli, tmp_path: Path) -> tuple[Path, Path]:
    """A lot with a dossier and, beside it, its reviewed copy (same dossier.json)."""
    original = _dossier(run_cli, tmp_path, tmp_path / "lot" / "a")
    reviewed = _reviewed_copy(run_cli, original, tmp_path / "lot" / "a-revu")
    assert (original / "dossier.json").read_bytes() == (reviewed / "dossier.json").read_bytes()
    return original, reviewed


def test_a_dossier_and_its_reviewed_copy_count_once(run_cli, pair, tmp_path: Path) -> None:
    original, reviewed = pair
    result = _batch(run_cli, tmp_path, str(original.parent), "--json", str(tmp_path / "s.json"))
    assert result.code == 0, result.stderr
    assert "1 dossier(s) : 1 intact(s), 0 en échec" in result.stdout
    rows = json.loads((tmp_path / "s.json").read_text("utf-8"))["dossiers"]
    assert [r["chemin"] for r in rows] == [str(reviewed)]
    assert rows[0]["opinion_proposee"] == "defavorable"  # validé keeps the declared gaps
    assert rows[0]["copies"] == [str(original)]  # merged, and said so


def test_a_tampered_dossier_beside_its_reviewed_copy_fails_the_batch(
    run_cli, pair, tmp_path: Path
) -> None:
    original, reviewed = pair
    _tamper(original / EVIDENCE)
    result = _batch(run_cli, tmp_path, str(original.parent))
    assert result.code == 1
    assert f"{original}: modifié : {original / EVIDENCE}: " in result.stderr
    assert "2 dossier(s) : 1 intact(s), 1 en échec" in result.stdout
    assert str(reviewed) not in result.stderr


def test_a_tampered_reviewed_copy_fails_and_the_intact_original_is_scored(
    run_cli, pair, tmp_path: Path
) -> None:
    original, reviewed = pair
    _tamper(reviewed / EVIDENCE)
    result = _batch(run_cli, tmp_path, str(original.parent), "--json", str(tmp_path / "s.json"))
    assert result.code == 1
    assert f"{reviewed}: modifié : {reviewed / EVIDENCE}: " in result.stderr
    rows = json.loads((tmp_path / "s.json").read_text("utf-8"))["dossiers"]
    assert {(r["chemin"], r["integrite"]) for r in rows} == {
        (str(original), "intact"),
        (str(reviewed), "modifie"),
    }


def test_a_failed_dossier_carries_no_figure(run_cli, pair, tmp_path: Path) -> None:
    original, _ = pair
    _tamper(original / EVIDENCE)
    _batch(run_cli, tmp_path, str(original), "--json", str(tmp_path / "s.json"))
    (row,) = json.loads((tmp_path / "s.json").read_text("utf-8"))["dossiers"]
    assert row["integrite"] == "modifie" and row["editeur"] == "Essai Santé SAS"
    assert row["scores"] == [] and row["conforme"] is None and row["verdicts"] == {}


# ---- a review file stays inside its dossier ------------------------------------------------------


def _point_review_at(reviewed: Path, rel: str) -> int:
    """Rewrite revue.json so that it names ``rel`` as its review file; the line it is on."""
    path = reviewed / "revue.json"
    data = json.loads(path.read_text("utf-8"))
    old = data["revue"]["fichier"]["fichier"]
    text = path.read_text("utf-8").replace(f'"fichier": "{old}"', f'"fichier": "{rel}"')
    path.write_text(text, "utf-8")
    return text.count("\n", 0, text.index(f'"fichier": "{rel}"')) + 1


def test_a_review_file_outside_its_dossier_is_refused(run_cli, pair, tmp_path: Path) -> None:
    _, reviewed = pair
    (review,) = (p for p in (reviewed / "revue").iterdir() if p.name != "manifeste.json")
    outside = tmp_path / "ailleurs" / review.name
    outside.parent.mkdir()
    shutil.move(review, outside)
    rel = os.path.relpath(outside, reviewed)
    line = _point_review_at(reviewed, rel)
    result = _batch(run_cli, tmp_path, str(reviewed))
    assert result.code == 1
    assert (
        f"{reviewed}: illisible : {reviewed / 'revue.json'}:{line}: revue › fichier › fichier: "
        f"« {rel} » refusé : le fichier de revue doit se trouver dans le sous-dossier revue/"
    ) in result.stderr
    assert "0 intact(s), 1 en échec" in result.stdout


def test_a_review_file_linked_out_of_its_dossier_is_refused(run_cli, pair, tmp_path: Path) -> None:
    _, reviewed = pair
    (review,) = (p for p in (reviewed / "revue").iterdir() if p.name != "manifeste.json")
    outside = tmp_path / review.name
    shutil.move(review, outside)
    review.symlink_to(outside)
    result = _batch(run_cli, tmp_path, str(reviewed))
    assert result.code == 1
    assert f"{reviewed}: illisible : {reviewed / 'revue.json'}:" in result.stderr
    assert "lien refusé" in result.stderr and "mène hors du dossier" in result.stderr


# ---- only cens-eval dossiers are dossiers ----------------------------------------------------------


def _json_questionnaire(folder: Path) -> Path:
    """The base questionnaire written as JSON, named dossier.json, with its evidence."""
    shutil.copytree(BASE / "preuves", folder / "preuves")
    data = yaml.safe_load((BASE / "questionnaire.yaml").read_text("utf-8"))
    path = folder / "dossier.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
    return path


def test_a_questionnaire_named_dossier_json_is_skipped_not_failed(run_cli, tmp_path: Path) -> None:
    lot = tmp_path / "lot"
    _dossier(run_cli, tmp_path, lot / "a")
    questionnaire = _json_questionnaire(lot / "editeur")
    result = _batch(run_cli, tmp_path, str(lot))
    assert result.code == 0, result.stderr
    assert f"{questionnaire}: avertissement : ignoré, ce n'est pas un dossier cens-eval" in (
        result.stderr
    )
    assert "1 dossier(s) : 1 intact(s), 0 en échec, 1 ignoré(s)" in result.stdout
    errors = openpyxl.load_workbook(tmp_path / "synthese.xlsx")["Erreurs"]
    assert [c.value for c in errors[2]][:2] == [str(lot / "editeur"), "ignoré"]


# ---- unreadable is not foreign: a dossier.json that cannot be read gets its own row -----------------


def _over_the_limit(path: Path) -> None:
    with path.open("wb") as handle:  # the marker not first, then one byte over the limit
        handle.write(b'{"questionnaire": "')
        handle.write(b"x" * MAX_DOSSIER_JSON_BYTES)
        handle.write(b'"}')


UNREADABLE: dict[str, tuple[Callable[[Path], None], str]] = {
    "fifo": (os.mkfifo, "n'est pas un fichier ordinaire"),
    "over-the-size-limit": (_over_the_limit, "fichier trop volumineux"),
    "nested-too-deep": (
        lambda p: p.write_text("[" * 5000 + "]" * 5000, "utf-8"),
        "imbrication trop profonde",
    ),
    "latin-1": (
        lambda p: p.write_bytes('{"éditeur": "Santé"}'.encode("latin-1")),
        "encodage invalide",
    ),
    "utf-16": (
        lambda p: p.write_bytes('{"format": "cens-eval/dossier"}'.encode("utf-16")),
        "octet NUL",
    ),
    "not-json": (lambda p: p.write_text("{ pas du json", "utf-8"), "dossier.json:1"),
}


@pytest.mark.parametrize("case", sorted(UNREADABLE))
def test_a_dossier_json_that_cannot_be_read_gets_an_illisible_row(
    run_cli, tmp_path: Path, case: str
) -> None:
    """Only its dossier.json in the folder: what it holds is unknown, so it is never skipped."""
    make, reason = UNREADABLE[case]
    lot = tmp_path / "lot"
    _dossier(run_cli, tmp_path, lot / "a")
    (lot / "b").mkdir()
    make(lot / "b" / "dossier.json")
    result = _batch(run_cli, tmp_path, str(lot), "--json", str(tmp_path / "synthese.json"))
    assert result.code == 1, result.stderr
    assert f"{lot / 'b'}: illisible : {lot / 'b' / 'dossier.json'}" in result.stderr
    assert reason in result.stderr
    assert "ignoré" not in result.stderr + result.stdout
    assert "2 dossier(s) : 1 intact(s), 1 en échec." in result.stdout
    rows = json.loads((tmp_path / "synthese.json").read_text("utf-8"))["dossiers"]
    assert [(r["chemin"], r["integrite"]) for r in rows] == [
        (str(lot / "a"), "intact"),
        (str(lot / "b"), "illisible"),
    ]
    assert reason in rows[1]["raison"]
    errors = openpyxl.load_workbook(tmp_path / "synthese.xlsx")["Erreurs"]
    assert [c.value for c in errors[2]][:2] == [str(lot / "b"), "ILLISIBLE"]


def test_a_lone_unreadable_dossier_json_is_reported_not_called_absent(
    run_cli, tmp_path: Path
) -> None:
    folder = tmp_path / "lot" / "b"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "dossier.json")
    result = _batch(run_cli, tmp_path, str(tmp_path / "lot"))
    assert result.code == 1, result.stderr
    assert f"{folder}: illisible : " in result.stderr
    assert "aucun dossier" not in result.stderr
    assert (tmp_path / "synthese.xlsx").is_file()


def test_a_dossier_json_with_its_format_further_down_is_a_dossier(run_cli, tmp_path: Path) -> None:
    """Readable, with cens-eval's format: verified as a dossier (and here, unreadable as one)."""
    lot = tmp_path / "lot"
    _dossier(run_cli, tmp_path, lot / "a")
    (lot / "b").mkdir()
    (lot / "b" / "dossier.json").write_text('{"version": 1, "format": "cens-eval/dossier"}')
    result = _batch(run_cli, tmp_path, str(lot))
    assert result.code == 1
    assert f"{lot / 'b'}: illisible : " in result.stderr
    assert "ignoré" not in result.stderr


def test_a_dossier_made_from_a_questionnaire_named_dossier_json_is_one_dossier(
    run_cli, tmp_path: Path
) -> None:
    questionnaire = _json_questionnaire(tmp_path / "source")
    out = _evaluate(run_cli, questionnaire, tmp_path / "lot" / "a")
    assert (out / "questionnaire" / "dossier.json").is_file()
    result = _batch(run_cli, tmp_path, str(out.parent))
    assert result.code == 0, result.stderr
    assert "ignoré" not in result.stderr
    assert "1 dossier(s) : 1 intact(s), 0 en échec." in result.stdout


def test_only_questionnaires_named_dossier_json_is_no_batch(run_cli, tmp_path: Path) -> None:
    _json_questionnaire(tmp_path / "editeur")
    result = _batch(run_cli, tmp_path, str(tmp_path / "editeur"))
    assert result.code == 2
    assert "aucun dossier cens-eval trouvé" in result.stderr
    assert not (tmp_path / "synthese.xlsx").exists()


@pytest.mark.parametrize(
    ("damage", "label"),
    [
        # the marker is gone, the folders of the dossier's inputs remain
        (lambda d: (d / "dossier.json").write_text("{}", "utf-8"), "illisible"),
        # the marker remains, the folders are gone
        (lambda d: shutil.rmtree(d / "referentiels"), "modifié"),
    ],
    ids=["no-marker", "no-referentiels"],
)
def test_a_damaged_dossier_stays_an_error(
    run_cli, tmp_path: Path, damage: Callable[[Path], None], label: str
) -> None:
    lot = tmp_path / "lot"
    _dossier(run_cli, tmp_path, lot / "a")
    damaged = _dossier(run_cli, tmp_path, lot / "b")
    damage(damaged)
    result = _batch(run_cli, tmp_path, str(lot))
    assert result.code == 1
    assert f"{damaged}: {label} : {damaged}" in result.stderr
    assert "2 dossier(s) : 1 intact(s), 1 en échec." in result.stdout


# ---- one dossier that stops or hangs its worker ------------------------------------------------------


@pytest.fixture
def lot3(run_cli, tmp_path: Path) -> Path:
    """Three intact dossiers a, b, c (three submissions: each solution in its own version)."""
    lot = tmp_path / "lot"
    for name in "abc":
        source = tmp_path / f"source-{name}"
        shutil.copytree(BASE, source)
        questionnaire = source / "questionnaire.yaml"
        text = questionnaire.read_text("utf-8").replace('version: "2.1"', f'version: "2.1-{name}"')
        questionnaire.write_text(text, "utf-8")
        _evaluate(run_cli, questionnaire, lot / name)
    return lot


def _misbehave_on_b(monkeypatch: pytest.MonkeyPatch, act: Callable[[], object]) -> None:
    real = cens_eval.review.batch.summarise

    def summarise(folder: Path, *shared: object):
        if folder.name == "b":
            act()
        return real(folder, *shared)

    monkeypatch.setattr(cens_eval.review.batch, "summarise", summarise)


def _boom() -> None:
    raise ZeroDivisionError


def _exit() -> None:
    os._exit(7)


@forked
@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize(
    ("act", "reason"),
    [
        (_boom, "défaut interne de cens-eval pendant la vérification (ZeroDivisionError)"),
        (_exit, "le processus de vérification s'est arrêté sans résultat (code de sortie 7)"),
    ],
    ids=["exception", "crash"],
)
def test_a_worker_failure_is_one_row_and_the_others_are_scored(
    run_cli,
    lot3: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    jobs: str,
    act: Callable[[], None],
    reason: str,
) -> None:
    _misbehave_on_b(monkeypatch, act)
    result = _batch(
        run_cli, tmp_path, str(lot3), "--jobs", jobs, "--json", str(tmp_path / "s.json")
    )
    assert result.code == 1
    assert f"{lot3 / 'b'}: erreur : {reason}" in result.stderr
    assert "3 dossier(s) : 2 intact(s), 1 en échec" in result.stdout
    rows = json.loads((tmp_path / "s.json").read_text("utf-8"))["dossiers"]
    assert [(Path(r["chemin"]).name, r["integrite"]) for r in rows] == [
        ("a", "intact"),
        ("b", "erreur"),
        ("c", "intact"),
    ]
    assert all(r["scores"] for r in rows if r["integrite"] == "intact")
    errors = openpyxl.load_workbook(tmp_path / "synthese.xlsx")["Erreurs"]
    path, integrite, why = (c.value for c in errors[2])
    assert (path, integrite) == (str(lot3 / "b"), "ERREUR") and reason in why


@forked
@pytest.mark.slow  # waits for the time limit
def test_a_dossier_that_outlasts_the_time_limit_is_one_row(
    run_cli, lot3: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _misbehave_on_b(monkeypatch, lambda: time.sleep(3600))
    result = _batch(run_cli, tmp_path, str(lot3), "--jobs", "1", "--timeout", "1")
    assert result.code == 1
    assert f"{lot3 / 'b'}: erreur : vérification interrompue : plus de 1 s pour ce dossier" in (
        result.stderr
    )
    assert "3 dossier(s) : 2 intact(s), 1 en échec" in result.stdout


def test_the_time_limit_must_be_positive(run_cli, lot3: Path, tmp_path: Path) -> None:
    result = _batch(run_cli, tmp_path, str(lot3), "--timeout", "0")
    assert result.code == 2 and "--timeout" in result.stderr


# ---- dossier.xlsx is verified -------------------------------------------------------------------------


@pytest.fixture
def full_dossier(run_cli, tmp_path: Path) -> Path:
    out = _dossier(run_cli, tmp_path, tmp_path / "lot" / "d", formats="json,xlsx,pdf")
    assert run_cli("dossier", "verify", str(out)).code == 0
    return out


def test_a_changed_cell_of_dossier_xlsx_is_detected(run_cli, full_dossier: Path) -> None:
    path = full_dossier / "dossier.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "NON CONFORME")
    cell.value = "CONFORME"
    wb.save(path)
    result = run_cli("dossier", "verify", str(full_dossier))
    assert result.code == 1
    assert (
        f"{path}: empreinte SHA-256 différente de celle du dossier : fichier modifié"
        in result.stderr
    )
    # the seal made to match: the re-rendering still catches it
    seal = full_dossier / "manifeste.json"
    data = json.loads(seal.read_text("utf-8"))
    for entry in data["fichiers"]:
        if entry["fichier"] == "dossier.xlsx":
            entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    seal.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    result = run_cli("dossier", "verify", str(full_dossier))
    assert result.code == 1
    assert f"{path}: ne correspond pas au dossier réévalué : fichier modifié" in result.stderr


def test_a_changed_dossier_xlsx_fails_the_batch(
    run_cli, full_dossier: Path, tmp_path: Path
) -> None:
    path = full_dossier / "dossier.xlsx"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    result = _batch(run_cli, tmp_path, str(full_dossier))
    assert result.code == 1
    assert f"{full_dossier}: modifié : {path}: " in result.stderr


def test_a_dossier_xlsx_that_is_not_a_file_is_refused(run_cli, full_dossier: Path) -> None:
    path = full_dossier / "dossier.xlsx"
    path.unlink()
    os.mkfifo(path)
    result = run_cli("dossier", "verify", str(full_dossier))
    assert result.code == 1
    assert f"{path}: « dossier.xlsx » n'est pas un fichier ordinaire" in result.stderr


def test_a_removed_workbook_is_caught_one_never_made_is_not(
    run_cli, full_dossier: Path, tmp_path: Path
) -> None:
    (full_dossier / "dossier.xlsx").unlink()
    result = run_cli("dossier", "verify", str(full_dossier))
    assert result.code == 1
    assert f"{full_dossier / 'dossier.xlsx'}: fichier absent" in result.stderr
    made_without = _dossier(run_cli, tmp_path, tmp_path / "sans", formats="json,pdf")
    assert run_cli("dossier", "verify", str(made_without)).code == 0


# ---- a number no computation can finish --------------------------------------------------------------


@pytest.mark.slow  # the real command, in a bounded child process
def test_a_huge_weight_in_dossier_json_does_not_hang_the_batch(run_cli, tmp_path: Path) -> None:
    lot = tmp_path / "lot"
    _dossier(run_cli, tmp_path, lot / "a")
    huge = _dossier(run_cli, tmp_path, lot / "b")
    path = huge / "dossier.json"
    path.write_text(
        path.read_text("utf-8").replace('"poids": "1"', '"poids": "1E+999999999"'), "utf-8"
    )
    env = {**os.environ, "CENS_EVAL_REFERENTIELS": str(packaged_referentiels_dir())}
    out = tmp_path / "synthese.xlsx"
    args = [sys.executable, "-m", "cens_eval", "batch", str(lot), "-o", str(out), "--jobs", "2"]
    with subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # on timeout, its workers are stopped with it
    ) as child:
        try:
            stdout, stderr = child.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            raise
    done = subprocess.CompletedProcess(args, child.returncode, stdout, stderr)
    assert done.returncode == 1, done.stderr
    assert f"{huge}: " in done.stderr
    assert f"{huge}: erreur" not in done.stderr and "Traceback" not in done.stderr
    assert "2 dossier(s) : 1 intact(s), 1 en échec" in done.stdout
    assert out.is_file()
