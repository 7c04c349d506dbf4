"""A référentiels folder: every file is known from the start, a référentiel is read when asked for.

Evaluating reads only the référentiels the questionnaire answers; listing and validating read
them all; a file whose id and version cannot be read from its first lines is read at once.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cens_eval.errors import LoadError
from cens_eval.loader.referentiels import load_catalogue
from cens_eval.loader.yamlsafe import top_level_texts

from .conftest import REFERENTIELS, CliResult

DATA = Path(__file__).parent / "data"
BASE = DATA / "questionnaires" / "base"
TELECONSULTATION = "teleconsultation-1.5.1.yaml"


def _folder(tmp_path: Path, extra: dict[str, str]) -> Path:
    """The shipped profil vocabulary and téléconsultation référentiel, plus ``extra`` files."""
    folder = tmp_path / "referentiels"
    folder.mkdir()
    for name in ("profil.yaml", TELECONSULTATION):
        shutil.copy(REFERENTIELS / name, folder / name)
    for name, text in extra.items():
        (folder / name).write_text(text, "utf-8")
    return folder


BROKEN_BODY = (
    'id: autre\nversion: "1"\ntitre: Autre\ntype: sectoriel\nstatut: projet\n'
    "date_publication: 2026-01-01\nbase_legale: aucune\nsources: []\nexigences:\n  - id: X\n"
    "    niveau: obligatoire\n"
)


def test_a_referentiel_is_read_only_when_asked_for(tmp_path: Path) -> None:
    catalogue = load_catalogue(_folder(tmp_path, {"autre-1.yaml": BROKEN_BODY}))
    assert catalogue.cles == (("autre", "1"), ("teleconsultation", "1.5.1"))
    assert catalogue.ids() == ["autre", "teleconsultation"]
    assert catalogue.versions("autre") == ["1"]
    assert catalogue.get("teleconsultation", "1.5.1") is not None
    with pytest.raises(LoadError) as caught:
        catalogue.get("autre")
    assert all(p.file.endswith("autre-1.yaml") and p.where for p in caught.value.problems)
    with pytest.raises(LoadError) as every:
        _ = catalogue.referentiels
    assert {p.file for p in every.value.problems} == {
        str(tmp_path / "referentiels" / "autre-1.yaml")
    }


def test_evaluate_reads_only_the_referentiels_the_questionnaire_answers(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path, {"autre-1.yaml": BROKEN_BODY})
    monkeypatch.setenv("CENS_EVAL_REFERENTIELS", str(folder))
    shutil.copytree(BASE, tmp_path / "q")
    result: CliResult = run_cli(
        "evaluate", str(tmp_path / "q" / "questionnaire.yaml"), "--as-of", "2026-11-22"
    )
    assert result.code in (0, 1), result.stderr
    assert "autre" not in result.stderr
    checked: CliResult = run_cli("referentiels", "list")
    assert checked.code == 2
    assert "autre-1.yaml:" in checked.stderr


def test_a_file_without_a_readable_header_is_read_and_refused_at_once(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"sans-version.yaml": "id: autre\ntitre: [\n"})
    with pytest.raises(LoadError) as caught:
        load_catalogue(folder)
    (problem,) = caught.value.problems
    assert problem.file.endswith("sans-version.yaml") and problem.where
    assert problem.message.startswith("syntaxe YAML invalide")


def test_two_files_for_one_referentiel_version_are_refused_without_reading_them(
    tmp_path: Path,
) -> None:
    copy = (REFERENTIELS / TELECONSULTATION).read_text("utf-8")
    folder = _folder(tmp_path, {"zz-copie.yaml": copy})
    with pytest.raises(LoadError) as caught:
        load_catalogue(folder)
    (problem,) = caught.value.problems
    assert problem.file.endswith("zz-copie.yaml")
    assert "teleconsultation 1.5.1 déjà défini" in problem.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('id: a\nversion: "2"\nreste: [1, 2]\n', {"id": "a", "version": "2"}),
        (
            "titre: x\nsources: [{id: b, version: z}]\nid: a\nversion: v1\n",
            {"id": "a", "version": "v1"},
        ),
        ("id: a\nversion: 2\n", None),
        ("id: a\nversion: [2]\n", None),
        ("id: &x a\nversion: *x\n", None),
        ("id: a\nid: b\nversion: c\n", None),
        ("id: a\n", None),
        ("- id: a\n", None),
        ("id: a\nversion: !!str 2\n", None),
        ("id: a\nversion: [\n", None),
    ],
)
def test_top_level_texts(text: str, expected: dict[str, str] | None) -> None:
    assert top_level_texts(text, ("id", "version")) == expected
