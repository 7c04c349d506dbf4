"""Outputs users rely on: never replaced without --force (even by a concurrent run), symbolic
links followed without leftovers, killed runs cleaned up, and input texts never sent raw to the
terminal."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from cens_eval.errors import OutputError

from .conftest import REFERENTIELS

BASE = Path(__file__).parent / "data" / "questionnaires" / "base"
AS_OF = "2026-11-22"
FIRST, SECOND = "2026-11-22T08:00:00", "2026-11-22T09:00:00"
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Characters that must never reach the terminal raw (line feeds apart)."""
HOSTILE = "Essai\x1b[2J\x1b]0;titre\x07Santé\r\u202eSAS\x9b"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "source"
    shutil.copytree(BASE, folder)
    return folder / "questionnaire.yaml"


def _evaluate(run_cli, questionnaire: Path, out: Path, *extra: str):
    args = ["evaluate", str(questionnaire), "--as-of", AS_OF, "-o", str(out), "--formats", "json"]
    return run_cli(*args, *extra)


def _stamp(dossier: Path) -> str:
    """The generation date written in a dossier, as given by ``--generated-at``."""
    return str(json.loads((dossier / "dossier.json").read_text("utf-8"))["genere_le"])[:19]


def _hidden(*folders: Path) -> list[str]:
    return sorted(p.name for folder in folders for p in folder.iterdir() if p.name.startswith("."))


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


# ---- a run never replaces what another run wrote meanwhile -------------------------------------


def test_dossier_written_meanwhile_by_another_run_is_not_replaced(
    run_cli, source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other run finishes while this one is writing: this one stops, the other's stays."""
    import cens_eval.service.folder as output

    theirs = tmp_path / "theirs"
    assert _evaluate(run_cli, source, theirs, "--generated-at", SECOND).code == 1
    out = tmp_path / "out" / "d"
    real_fsync, other_run = os.fsync, []

    def fsync_while_another_run_finishes(fd: int) -> None:
        real_fsync(fd)
        if not other_run:  # this run has written its first file: the other one writes it all
            other_run.append(out)
            output.write_dossier_dir(out, _files(theirs), {}, force=False)

    monkeypatch.setattr(output.os, "fsync", fsync_while_another_run_finishes)
    mine = _evaluate(run_cli, source, out, "--generated-at", FIRST)
    assert mine.code == 2, mine.stderr
    assert "existe déjà" in mine.stderr and "Traceback" not in mine.stderr
    assert _stamp(out) == SECOND and _files(out) == _files(theirs)
    assert run_cli("dossier", "verify", str(out)).code == 0
    assert _hidden(out.parent) == []


@pytest.mark.parametrize("hard_links", [True, False], ids=["liens-physiques", "sans-liens"])
def test_file_written_meanwhile_by_another_run_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hard_links: bool
) -> None:
    import cens_eval.service.output as output

    path = tmp_path / "revue.yaml"
    real_fsync = os.fsync

    def fsync_while_another_run_finishes(fd: int) -> None:
        real_fsync(fd)
        if not path.exists():
            path.write_bytes(b"theirs")

    monkeypatch.setattr(output.os, "fsync", fsync_while_another_run_finishes)
    if not hard_links:  # a file system without hard links (FAT, some network shares)

        def no_link(src: object, dst: object) -> None:
            raise OSError(errno.EPERM, "Operation not permitted")

        monkeypatch.setattr(output.os, "link", no_link)
    with pytest.raises(OutputError, match="existe déjà"):
        output.write_atomic(path, b"mine")
    assert path.read_bytes() == b"theirs"
    assert _hidden(tmp_path) == []
    output.write_atomic(path, b"mine", force=True)
    assert path.read_bytes() == b"mine"
    assert _hidden(tmp_path) == []


def _spawn(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "CENS_EVAL_REFERENTIELS": str(REFERENTIELS)}
    return subprocess.Popen(
        [sys.executable, "-m", "cens_eval", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.slow
def test_two_runs_started_together_exactly_one_writes(
    run_cli, source: Path, tmp_path: Path
) -> None:
    for round_ in range(4):
        out = tmp_path / f"round-{round_}" / "d"
        stamps = (FIRST, SECOND)
        args = ["evaluate", str(source), "--as-of", AS_OF, "-o", str(out), "--formats", "json"]
        runs = [_spawn(*args, "--generated-at", stamp) for stamp in stamps]
        outputs = [run.communicate(timeout=120) for run in runs]
        results = [(run.returncode, *output) for run, output in zip(runs, outputs, strict=True)]
        codes = sorted(code for code, _, _ in results)
        assert codes == [1, 2], results
        winner, loser = sorted(range(2), key=lambda i: results[i][0])
        assert re.search("existe déjà|vient d'être écrit", results[loser][2]), results[loser]
        assert "Traceback" not in results[loser][2]
        assert _stamp(out) == stamps[winner]
        assert run_cli("dossier", "verify", str(out)).code == 0
        assert _hidden(out.parent) == []


# ---- symbolic links ----------------------------------------------------------------------------


def test_force_through_a_link_replaces_the_folder_it_points_to(
    run_cli, source: Path, tmp_path: Path
) -> None:
    real = tmp_path / "archives" / "d"
    assert _evaluate(run_cli, source, real, "--generated-at", FIRST).code == 1
    links = tmp_path / "liens"
    links.mkdir()
    link = links / "dernier"
    link.symlink_to(real, target_is_directory=True)
    refused = _evaluate(run_cli, source, link, "--generated-at", SECOND)
    assert refused.code == 2 and "existe déjà" in refused.stderr
    assert _evaluate(run_cli, source, link, "--generated-at", SECOND, "--force").code == 1
    assert link.is_symlink() and link.readlink() == real
    assert _stamp(real) == SECOND
    assert run_cli("dossier", "verify", str(link)).code == 0
    assert _hidden(links, real.parent) == []


def test_force_through_a_link_replaces_the_file_it_points_to(tmp_path: Path) -> None:
    from cens_eval.service.output import write_atomic

    real = tmp_path / "revue-v1.yaml"
    real.write_bytes(b"old")
    link = tmp_path / "revue.yaml"
    link.symlink_to(real.name)
    with pytest.raises(OutputError, match="existe déjà"):
        write_atomic(link, b"new")
    write_atomic(link, b"new", force=True)
    assert link.is_symlink() and real.read_bytes() == b"new"
    assert _hidden(tmp_path) == []


# ---- runs killed midway ------------------------------------------------------------------------

_KILLED_WHILE_WRITING = """
real_fsync, calls = os.fsync, []
def fsync(fd):
    real_fsync(fd)
    calls.append(fd)
    if len(calls) == 2:  # two files of the dossier written
        os.kill(os.getpid(), signal.SIGKILL)
os.fsync = fsync
"""
_KILLED_WHILE_SWAPPING = """
real_rename = os.rename
def rename(src, dst):
    real_rename(src, dst)
    if os.path.realpath(src) == TARGET:  # the old dossier was just moved aside
        os.kill(os.getpid(), signal.SIGKILL)
os.rename = rename
"""


def _run_killed(patch: str, target: Path, *args: str) -> None:
    code = textwrap.dedent(
        f"""
        import os, signal, sys
        TARGET = {str(target.resolve())!r}
        {{patch}}
        from cens_eval.cli import main
        main(sys.argv[1:])
        """
    ).replace("{patch}", patch)
    env = {**os.environ, "CENS_EVAL_REFERENTIELS": str(REFERENTIELS)}
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == -signal.SIGKILL, done.stderr


@pytest.mark.slow
def test_next_run_removes_what_a_killed_run_left_but_not_a_live_runs_folder(
    run_cli, source: Path, tmp_path: Path
) -> None:
    from cens_eval.service.output import real_target, staging

    out = tmp_path / "out" / "d"
    args = ["evaluate", str(source), "--as-of", AS_OF, "-o", str(out), "--formats", "json"]
    _run_killed(_KILLED_WHILE_WRITING, out, *args)
    (stale,) = _hidden(out.parent)
    assert not out.exists()
    with staging(real_target(out)) as live:  # a concurrent run, still writing
        assert _evaluate(run_cli, source, out).code == 1
        assert _hidden(out.parent) == [live.name], "the killed run's folder is removed"
        assert stale != live.name
    assert _hidden(out.parent) == []
    assert run_cli("dossier", "verify", str(out)).code == 0


@pytest.mark.slow
def test_dossier_moved_aside_by_a_killed_run_is_put_back(
    run_cli, source: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "d"
    assert _evaluate(run_cli, source, out, "--generated-at", FIRST).code == 1
    before = _files(out)
    args = ["evaluate", str(source), "--as-of", AS_OF, "-o", str(out), "--formats", "json"]
    _run_killed(_KILLED_WHILE_SWAPPING, out, *args, "--generated-at", SECOND, "--force")
    assert not out.exists() and len(_hidden(out.parent)) == 1
    again = _evaluate(run_cli, source, out)
    assert again.code == 2 and "existe déjà" in again.stderr
    assert _files(out) == before
    assert _hidden(out.parent) == []


# ---- texts from inputs on the terminal ---------------------------------------------------------


def _no_raw_control(*outputs: str) -> None:
    for text in outputs:
        assert not RAW.search(text), repr(text)


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A questionnaire whose éditeur and solution names hold escape sequences, in a folder
    whose name holds some too (as unpacked from an archive sent by an éditeur)."""
    folder = tmp_path / "reçu\x1b[31m\u202e"
    shutil.copytree(BASE, folder)
    path = folder / "questionnaire.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["editeur"]["nom"] = HOSTILE
    data["solution"]["nom"] = "Tele\x1b[1AEssai"
    path.write_text(yaml.safe_dump(data, allow_unicode=False), "utf-8")
    return path


def test_control_characters_of_inputs_never_reach_the_terminal(
    run_cli, hostile: Path, tmp_path: Path
) -> None:
    shown_folder = "reçu\\x1b[31m\\u202e"
    check = run_cli("questionnaire", "check", str(hostile), "--as-of", AS_OF)
    assert check.code == 1 and shown_folder in check.stdout and shown_folder in check.stderr
    text = run_cli("evaluate", str(hostile), "--as-of", AS_OF)
    as_json = run_cli("evaluate", str(hostile), "--as-of", AS_OF, "--format", "json")
    json.loads(as_json.stdout)
    dossier = tmp_path / "dossier\x1b[2J"
    written = _evaluate(run_cli, hostile, dossier)
    assert written.code == 1 and "dossier\\x1b[2J" in written.stdout
    verify = run_cli("dossier", "verify", str(dossier))
    assert verify.code == 0
    template = tmp_path / "revue.yaml"
    assert run_cli("review", "init", str(dossier), "-o", str(template)).code == 0
    # Without its comments: they quote the éditeur's name raw (a YAML comment ends at "\r").
    lines = template.read_bytes().decode("utf-8").split("\n")
    data = yaml.safe_load("\n".join(line for line in lines if not line.lstrip().startswith("#")))
    data["evaluateur"] = {"nom": "Claire\x1b[8mMartin", "organisme": "Commission"}
    data["date"] = "2026-11-25"
    for ref in data["avis"].values():
        for exigence_id in ref:
            ref[exigence_id] = {"avis": "valide"}
    template.write_text(yaml.safe_dump(data, allow_unicode=False), "utf-8")
    applied = run_cli("review", "apply", str(dossier), str(template), "-o", str(tmp_path / "revu"))
    assert applied.code == 0, applied.stderr
    assert "Revue de Essai\\x1b[2J\\x1b]0;titre\\x07Santé\\x0d\\u202eSAS\\x9b" in applied.stdout
    assert "Claire\\x1b[8mMartin" in applied.stdout
    (dossier / "dossier.json").write_bytes((dossier / "dossier.json").read_bytes() + b" ")
    tampered = run_cli("dossier", "verify", str(dossier))
    assert tampered.code == 1 and "dossier\\x1b[2J" in tampered.stderr
    for result in (check, text, as_json, written, verify, applied, tampered):
        _no_raw_control(result.stdout, result.stderr)


def test_json_on_the_terminal_stays_valid_with_the_same_values(run_cli, tmp_path: Path) -> None:
    from cens_eval.render.terminal import printable_json

    value = {"nom": HOSTILE + "\x7f\u2066"}
    shown = printable_json(json.dumps(value, ensure_ascii=False, indent=2))
    _no_raw_control(shown)
    assert json.loads(shown) == value


@pytest.fixture
def hostile_referentiels(tmp_path: Path) -> Path:
    """The shipped référentiels, the téléconsultation one's wording holding escape sequences."""
    folder = tmp_path / "referentiels"
    shutil.copytree(REFERENTIELS, folder)
    path = folder / "teleconsultation-1.5.1.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["titre"] = "Télé\x1b[2Jconsultation\r\u202e"
    data["exigences"][0]["libelle"] += "\x1b]8;;https://x.test\x07lien\x1b]8;;\x07"
    data["exigences"][0]["enonce"] += "\nligne ajoutée\x9b"
    path.write_text(yaml.safe_dump(data, allow_unicode=False, sort_keys=False), "utf-8")
    return folder


def test_referentiel_texts_never_reach_the_terminal_raw(
    run_cli, hostile_referentiels: Path, source: Path
) -> None:
    chosen = ["--referentiels", str(hostile_referentiels)]
    listed = run_cli(*chosen, "referentiels", "list")
    shown = run_cli(*chosen, "referentiels", "show", "teleconsultation")
    as_json = run_cli(*chosen, "referentiels", "show", "teleconsultation", "--format", "json")
    evaluated = run_cli(*chosen, "evaluate", str(source), "--as-of", AS_OF)
    assert [r.code for r in (listed, shown, as_json, evaluated)] == [0, 0, 0, 1]
    assert "Télé\\x1b[2Jconsultation\\x0d\\u202e" in listed.stdout
    assert "Télé\\x1b[2Jconsultation\\x0d\\u202e" in evaluated.stdout
    assert "\\x0aligne ajoutée\\x9b" in shown.stdout, "an input cannot add a line of its own"
    assert json.loads(as_json.stdout)["titre"] == "Télé\x1b[2Jconsultation\r\u202e"
    for result in (listed, shown, as_json, evaluated):
        _no_raw_control(result.stdout, result.stderr)


def test_profile_questions_are_asked_without_raw_control_characters(catalogue) -> None:
    from click.testing import CliRunner

    from cens_eval.cli.questionnaire import _ask_profil
    from cens_eval.model.profil import TypeQuestion

    vocabulaire = catalogue.vocabulaire
    questions = [
        q.model_copy(update={"libelle": q.libelle + HOSTILE}) for q in vocabulaire.questions
    ]
    answers = "".join(
        "oui\n" if q.type is TypeQuestion.BOOLEEN else f"{q.choix[0].id}\n" for q in questions
    )
    with CliRunner().isolation(input=answers) as (out, _, _):
        profil = _ask_profil(vocabulaire.model_copy(update={"questions": questions}))
    assert all(profil[q.id] is True for q in questions if q.type is TypeQuestion.BOOLEEN)
    asked = out.getvalue().decode()
    assert "Essai\\x1b[2J" in asked
    _no_raw_control(asked)
