"""No output is an input: every command that writes refuses, before writing anything, an output
that is one of its inputs (same real path, through a link or a hard link), lies inside a folder it
reads, or holds one of its inputs; two outputs of one command are never one file. ``--force``
changes nothing to this, and the refusal (exit 2) names both paths."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import REFERENTIELS, ROOT
from .versions import copy_medilink, make_version_16

BASE = Path(__file__).parent / "data" / "questionnaires" / "base"
DOSSIER = Path(__file__).parent / "data" / "versions" / "0.1.0" / "dossier"
REVIEW = Path(__file__).parent / "data" / "versions" / "0.1.0" / "revue.yaml"
REGISTER = ROOT / "examples" / "signalements" / "registre.yaml"
GRIDS = ROOT / "examples" / "grilles"
AS_OF = "2026-11-22"


def _snapshot(*folders: Path) -> dict[str, bytes]:
    """Every file under the folders, with its bytes (links followed): what must not change."""
    return {
        str(p): p.read_bytes()
        for folder in folders
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _refused(result, *named: Path) -> None:
    assert result.code == 2, (result.code, result.stderr)
    assert "rien n'a été écrit" in result.stderr
    assert "Traceback" not in result.stderr
    for path in named:
        assert str(path) in result.stderr


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "source"
    shutil.copytree(BASE, folder)
    return folder / "questionnaire.yaml"


@pytest.fixture
def catalogue_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "referentiels"
    shutil.copytree(REFERENTIELS, folder)
    return folder


LINKS: dict[str, Callable[[Path, Path], None]] = {
    "same-path": lambda target, link: None,
    "symlink": lambda target, link: link.symlink_to(target),
    "hard-link": lambda target, link: os.link(target, link),
}


def _alias(kind: str, target: Path) -> Path:
    """``target`` itself, or a new symbolic or hard link to it beside it."""
    if kind == "same-path":
        return target
    link = target.with_name(f"alias-{target.stem}{target.suffix}")
    LINKS[kind](target, link)
    return link


# ---- questionnaire -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(LINKS))
def test_convert_never_writes_over_the_questionnaire_it_reads(
    run_cli, source: Path, kind: str
) -> None:
    out = _alias(kind, source)
    before = _snapshot(source.parent)
    result = run_cli("questionnaire", "convert", str(source), "-o", str(out), "--force")
    _refused(result, out, source)
    assert "est aussi l'entrée" in result.stderr
    assert _snapshot(source.parent) == before


def test_convert_never_writes_over_an_evidence_file(run_cli, source: Path) -> None:
    evidence = next(p for p in (source.parent / "preuves").iterdir() if p.is_file())
    link = source.parent / "sortie.yaml"
    link.symlink_to(evidence)
    before = _snapshot(source.parent)
    result = run_cli("questionnaire", "convert", str(source), "-o", str(link), "--force")
    _refused(result, link, evidence)
    assert _snapshot(source.parent) == before


def test_init_never_writes_over_the_profil_it_reads(run_cli, source: Path) -> None:
    before = source.read_bytes()
    args = ["questionnaire", "init", "--profil", str(source), "-o", str(source), "--force"]
    _refused(run_cli(*args), source)
    assert source.read_bytes() == before


def test_profil_template_never_replaces_the_catalogue_vocabulary(
    run_cli, catalogue_copy: Path
) -> None:
    vocabulary = catalogue_copy / "profil.yaml"
    before = _snapshot(catalogue_copy)
    result = run_cli(
        "--referentiels",
        str(catalogue_copy),
        "questionnaire",
        "init",
        "--modele-profil",
        str(vocabulary),
        "--force",
    )
    _refused(result, vocabulary)
    assert _snapshot(catalogue_copy) == before


def test_migrate_never_writes_its_report_over_the_questionnaire(run_cli, tmp_path: Path) -> None:
    v16, medilink = make_version_16(tmp_path), copy_medilink(tmp_path)
    before = _snapshot(medilink.parent)
    out = tmp_path / "migre.yaml"
    result = run_cli(
        *("--referentiels", str(v16.folder), "questionnaire", "migrate", str(medilink)),
        *("--to", "teleconsultation@1.6", "-o", str(out), "--rapport", str(medilink), "--force"),
    )
    _refused(result, medilink)
    assert _snapshot(medilink.parent) == before
    assert not out.exists()


def test_migrate_with_one_file_for_both_outputs_writes_neither(run_cli, tmp_path: Path) -> None:
    v16, medilink = make_version_16(tmp_path), copy_medilink(tmp_path)
    out = tmp_path / "x.yaml"
    result = run_cli(
        *("--referentiels", str(v16.folder), "questionnaire", "migrate", str(medilink)),
        *("--to", "teleconsultation@1.6", "-o", str(out), "--rapport", str(out)),
    )
    _refused(result, out)
    assert "désignent le même emplacement de sortie" in result.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


# ---- référentiels --------------------------------------------------------------------------------


def test_import_never_replaces_its_mapping(run_cli, tmp_path: Path) -> None:
    shutil.copytree(GRIDS, tmp_path / "grilles")
    grid = tmp_path / "grilles" / "exemple-grille.csv"
    mapping = tmp_path / "grilles" / "exemple-grille.correspondance.yaml"
    before = _snapshot(tmp_path / "grilles")
    args = ["referentiels", "import", str(grid), "--mapping", str(mapping)]
    result = run_cli(*args, "-o", str(mapping), "--force")
    _refused(result, mapping)
    assert _snapshot(tmp_path / "grilles") == before
    assert run_cli(*args, "-o", str(tmp_path / "importe.yaml")).code == 0  # the same, elsewhere


def test_export_never_replaces_a_referentiel_of_the_catalogue(
    run_cli, catalogue_copy: Path, tmp_path: Path
) -> None:
    before = _snapshot(catalogue_copy)
    grid = tmp_path / "grille.xlsx"
    target = catalogue_copy / "teleconsultation-1.5.1.yaml"
    result = run_cli(
        *("--referentiels", str(catalogue_copy), "referentiels", "export", "teleconsultation"),
        *("-o", str(grid), "--mapping", str(target), "--force"),
    )
    _refused(result, target)
    assert _snapshot(catalogue_copy) == before
    assert not grid.exists()  # checked before the first output is written


# ---- evaluate, review, batch -------------------------------------------------------------------------


def test_evaluate_never_replaces_the_dossier_holding_its_questionnaire(
    run_cli, tmp_path: Path
) -> None:
    dossier = tmp_path / "dossier"
    shutil.copytree(DOSSIER, dossier)
    questionnaire = next((dossier / "questionnaire").glob("questionnaire.*"))
    before = _snapshot(dossier)
    result = run_cli(
        "evaluate", str(questionnaire), "--as-of", AS_OF, "-o", str(dossier), "--force"
    )
    _refused(result, dossier, questionnaire)
    assert "contient l'entrée" in result.stderr
    assert _snapshot(dossier) == before


def test_evaluate_never_writes_its_dossier_over_the_questionnaire_folder(
    run_cli, source: Path, tmp_path: Path
) -> None:
    """A link named like the output folder, pointing to the folder holding the questionnaire."""
    link = tmp_path / "sortie"
    link.symlink_to(source.parent)
    before = _snapshot(source.parent)
    result = run_cli("evaluate", str(source), "--as-of", AS_OF, "-o", str(link), "--force")
    _refused(result, link)
    assert _snapshot(source.parent) == before


def test_review_init_never_writes_inside_the_dossier_it_reads(run_cli, tmp_path: Path) -> None:
    dossier = tmp_path / "dossier"
    shutil.copytree(DOSSIER, dossier)
    before = _snapshot(dossier)
    out = dossier / "revue.yaml"
    result = run_cli("review", "init", str(dossier), "-o", str(out))
    _refused(result, out, dossier)
    assert "serait écrit dans le dossier lu" in result.stderr
    assert _snapshot(dossier) == before and not out.exists()


def test_review_apply_never_replaces_the_dossier_it_reviews(run_cli, tmp_path: Path) -> None:
    dossier = tmp_path / "dossier"
    shutil.copytree(DOSSIER, dossier)
    review = tmp_path / "revue.yaml"
    shutil.copy(REVIEW, review)
    before = _snapshot(dossier)
    result = run_cli("review", "apply", str(dossier), str(review), "-o", str(dossier), "--force")
    _refused(result, dossier)
    assert _snapshot(dossier) == before


def test_review_apply_never_replaces_a_dossier_holding_the_review_file(
    run_cli, tmp_path: Path
) -> None:
    dossier, old = tmp_path / "dossier", tmp_path / "ancien"
    shutil.copytree(DOSSIER, dossier)
    shutil.copytree(DOSSIER, old)
    review = old / "revue.yaml"
    shutil.copy(REVIEW, review)
    before = _snapshot(old)
    result = run_cli("review", "apply", str(dossier), str(review), "-o", str(old), "--force")
    _refused(result, old, review)
    assert _snapshot(old) == before


def test_batch_never_writes_inside_a_dossier_it_scores(run_cli, tmp_path: Path) -> None:
    lot = tmp_path / "lot"
    shutil.copytree(DOSSIER, lot / "a")
    before = _snapshot(lot)
    out = lot / "a" / "synthese.xlsx"
    _refused(run_cli("batch", str(lot), "-o", str(out)), out, lot / "a")
    assert _snapshot(lot) == before


def test_batch_with_one_file_for_both_summaries_writes_neither(run_cli, tmp_path: Path) -> None:
    lot = tmp_path / "lot"
    shutil.copytree(DOSSIER, lot / "a")
    out = tmp_path / "synthese.xlsx"
    link = tmp_path / "synthese.json"
    link.symlink_to(out)
    result = run_cli("batch", str(lot), "-o", str(out), "--json", str(link))
    _refused(result, out, link)
    assert not out.exists()


# ---- signalements ------------------------------------------------------------------------------------


@pytest.mark.parametrize("command, suffix", [("report", ".json"), ("journal", ".html")])
@pytest.mark.parametrize("kind", ["symlink", "hard-link"])
def test_signalements_outputs_never_replace_the_register(
    run_cli, tmp_path: Path, command: str, suffix: str, kind: str
) -> None:
    register = tmp_path / "registre.yaml"
    shutil.copy(REGISTER, register)
    before = register.read_bytes()
    out = tmp_path / f"sortie{suffix}"
    LINKS[kind](register, out)
    result = run_cli("signalements", command, str(register), "-o", str(out), "--force")
    _refused(result, out, register)
    assert register.read_bytes() == before
