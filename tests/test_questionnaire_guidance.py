"""Guidance survives: ``convert`` and ``migrate`` write the commented YAML of ``init``, answers in."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.loader.referentiels import load_catalogue
from cens_eval.model.catalogue import Catalogue

from .builders import answered
from .conftest import QUESTIONNAIRES
from .versions import Version16, copy_medilink, make_version_16

EXAMPLES = sorted(p.name for p in QUESTIONNAIRES.iterdir() if (p / "questionnaire.yaml").exists())


def _comments(path: Path, *, without_reprises: bool = False) -> list[str]:
    """The comment lines (the help), without those standing for a field still to fill.

    ``without_reprises``: without the notes on the answers ``init`` proposes to take from
    another exigence (a converted questionnaire carries the éditeur's own answers instead).
    """
    lines = [line.strip() for line in path.read_text("utf-8").splitlines()]
    if without_reprises:
        for i in [i for i, line in enumerate(lines) if line.startswith("reprise:")]:
            start = i - 2  # the comment block ends just above the exigence's key
            while not lines[start].startswith(("# Réponse reprise de", "# Réponse pré-remplie")):
                start -= 1
            lines[start : i - 1] = [""] * (i - 1 - start)
    return [line for line in lines if line.startswith("#") and not FIELD.match(line)]


FIELD = re.compile(r"# (siren|contact|description): ")


def _init_comments(run_cli, source: Path, folder: Path, *extra: str) -> list[str]:
    """The comments ``questionnaire init`` writes for the profil of ``source``."""
    data = yaml.safe_load(source.read_text("utf-8"))
    profil = folder / "profil.yaml"
    profil.write_text(yaml.safe_dump({"profil": data["profil"]}), "utf-8")
    template = folder / "modele.yaml"
    refs = [arg for r in data["referentiels"] for arg in ("--referentiel", r["id"])]
    result = run_cli(
        *extra, "questionnaire", "init", "--profil", str(profil), *refs, "-o", str(template)
    )
    assert result.code == 0, result.stderr
    return _comments(template, without_reprises=True)


def _example(tmp_path: Path, example: str) -> Path:
    """A copy of an example questionnaire, with its preuves."""
    shutil.copytree(QUESTIONNAIRES / example, tmp_path / example)
    return tmp_path / example / "questionnaire.yaml"


def _convert(run_cli, origin: Path, target: Path) -> None:
    result = run_cli("questionnaire", "convert", str(origin), "-o", str(target))
    assert result.code == 0, result.stderr


@pytest.mark.parametrize("example", EXAMPLES)
def test_yaml_to_workbook_to_yaml_keeps_the_guidance_and_the_answers(
    run_cli, catalogue: Catalogue, tmp_path: Path, example: str
) -> None:
    source = _example(tmp_path, example)
    workbook, back = source.with_name("converti.xlsx"), source.with_name("retour.yaml")
    _convert(run_cli, source, workbook)
    _convert(run_cli, workbook, back)
    before = load_questionnaire(source, catalogue).as_written
    assert answered(load_questionnaire(back, catalogue).as_written) == answered(before)
    comments = _comments(back)
    guidance = _init_comments(run_cli, source, tmp_path)
    assert len(guidance) > 100
    assert [c for c in comments if "convert" not in c] == [
        c for c in guidance if "convert" not in c
    ]
    assert (
        "# Converti depuis converti.xlsx (cens-eval questionnaire convert), réponses comprises."
        in comments
    )


@pytest.mark.parametrize("example", EXAMPLES)
def test_yaml_to_yaml_is_the_same_questionnaire(
    run_cli, catalogue: Catalogue, tmp_path: Path, example: str
) -> None:
    source = _example(tmp_path, example)
    copy, again = source.with_name("copie.yaml"), source.with_name("encore.yaml")
    _convert(run_cli, source, copy)
    written = load_questionnaire(copy, catalogue).as_written
    assert answered(written) == answered(load_questionnaire(source, catalogue).as_written)
    _convert(run_cli, copy, again)
    # converted again, the same bytes but for the line naming the file converted
    lines, twice = copy.read_text("utf-8").splitlines(), again.read_text("utf-8").splitlines()
    assert lines[1] != twice[1]
    assert lines[:1] + lines[2:] == twice[:1] + twice[2:]


def test_an_answer_out_of_scope_is_kept_and_said_ignored(
    run_cli, catalogue: Catalogue, tmp_path: Path
) -> None:
    source = _example(tmp_path, "teleconsult-medilink")
    text = source.read_text("utf-8").replace(
        "  reutilisation_secondaire: true", "  reutilisation_secondaire: false"
    )
    source.write_text(text, "utf-8")
    before = load_questionnaire(source, catalogue)
    assert any("hors périmètre" in w.message for w in before.warnings)
    out = source.with_name("copie.yaml")
    assert run_cli("questionnaire", "convert", str(source), "-o", str(out)).code == 0
    assert load_questionnaire(out, catalogue).as_written == before.as_written
    assert "hors périmètre pour ce profil, réponse ignorée" in out.read_text("utf-8")


def test_migrate_writes_the_guidance_of_the_new_version(run_cli, tmp_path: Path) -> None:
    v16: Version16 = make_version_16(tmp_path)
    medilink = copy_medilink(tmp_path)
    output = medilink.with_name("q16.yaml")
    args = ("--referentiels", str(v16.folder))
    result = run_cli(
        *args,
        "questionnaire",
        "migrate",
        str(medilink),
        "--to",
        "teleconsultation@1.6",
        "-o",
        str(output),
    )
    assert result.code == 0, result.stderr
    comments = _comments(output)
    guidance = _init_comments(run_cli, output, tmp_path, *args)
    assert [c for c in comments if c not in guidance] == [
        f"# Porté de teleconsultation 1.5.1 vers 1.6 depuis {medilink.name} (cens-eval questionnaire migrate).",
        "# Une réponse marquée « a_reconfirmer » est gardée, mais son exigence a changé : la vérifier,",
        "# puis retirer a_reconfirmer. Une exigence nouvelle est sans réponse. Les réponses",
        "# aux exigences supprimées sont gardées dans q16.migration.yaml.",
    ]
    assert set(guidance) <= set(comments)
    catalogue = load_catalogue(v16.folder)
    migrated = load_questionnaire(output, catalogue).as_written
    assert migrated.reponses["teleconsultation"][v16.changed].a_reconfirmer == ["énoncé modifié"]


def test_a_blank_workbook_converts_with_its_identity_left_to_fill(run_cli, tmp_path: Path) -> None:
    profil = tmp_path / "profil.yaml"
    answers = {"si_teleconsultation": "oui", "audience": "patients", "utilise_ia": "non"}
    answers |= dict.fromkeys(("enregistre_teleconsultations", "reutilisation_secondaire"), "non")
    answers |= dict.fromkeys(("mise_en_relation", "mise_en_relation_sans_rdv"), "non")
    answers |= {"interface_web_ou_mobile": "oui"}
    profil.write_text("".join(f"{k}: {v}\n" for k, v in answers.items()), "utf-8")
    blank, back = tmp_path / "vierge.xlsx", tmp_path / "vierge.yaml"
    assert run_cli("questionnaire", "init", "--profil", str(profil), "-o", str(blank)).code == 0
    result = run_cli("questionnaire", "convert", str(blank), "-o", str(back))
    assert result.code == 0, result.stderr
    text = back.read_text("utf-8")
    assert 'editeur:\n  nom: ""\n' in text and 'solution:\n  nom: ""\n  version: ""\n' in text
    points = [run_cli("questionnaire", "check", str(p)) for p in (blank, back)]
    assert [r.code for r in points] == [1, 1]
    messages = [[line.partition(": ")[2] for line in r.stderr.splitlines()] for r in points]
    assert messages[0] == messages[1]
    assert "editeur › nom: nom de l'éditeur à renseigner" in messages[0]
