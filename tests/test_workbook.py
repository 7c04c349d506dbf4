"""The questionnaire workbook: round trip with YAML, and untrusted workbooks refused with a cell."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from cens_eval.engine.evaluation import evaluate
from cens_eval.errors import LoadError
from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.model.catalogue import Catalogue
from cens_eval.render.questionnaire_xlsx import render_questionnaire_xlsx

BASE = Path(__file__).parent / "data" / "questionnaires" / "base"
AS_OF = __import__("datetime").date(2026, 11, 22)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "q"
    shutil.copytree(BASE, target)
    return target


def _twin(folder: Path, catalogue: Catalogue) -> Path:
    loaded = load_questionnaire(folder / "questionnaire.yaml", catalogue)
    q = loaded.questionnaire
    data = render_questionnaire_xlsx(q.profil, loaded.referentiels, catalogue.vocabulaire, q)
    path = folder / "questionnaire.xlsx"
    path.write_bytes(data)
    return path


def test_workbook_twin_gives_the_same_questionnaire_and_evaluation(
    folder: Path, catalogue: Catalogue
) -> None:
    from_yaml = load_questionnaire(folder / "questionnaire.yaml", catalogue)
    from_xlsx = load_questionnaire(_twin(folder, catalogue), catalogue)
    assert from_xlsx.questionnaire == from_yaml.questionnaire
    assert from_xlsx.pieces == from_yaml.pieces
    one = evaluate(from_yaml.questionnaire, from_yaml.referentiels, as_of=AS_OF)
    two = evaluate(from_xlsx.questionnaire, from_xlsx.referentiels, as_of=AS_OF)
    assert one == two


def test_template_locks_referentiel_columns_and_offers_a_statut_dropdown(
    folder: Path, catalogue: Catalogue
) -> None:
    wb = openpyxl.load_workbook(_twin(folder, catalogue))
    assert wb.sheetnames[:4] == ["Instructions", "Identité", "Profil", "Référentiels"]
    ws = wb["teleconsultation"]
    assert ws.protection.sheet
    assert ws["A2"].protection.locked and ws["E2"].protection.locked
    assert not ws["G2"].protection.locked and not ws["H2"].protection.locked
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert any("Non applicable" in (dv.formula1 or "") and "G2" in str(dv.sqref) for dv in lists)
    assert ws["E2"].alignment.wrap_text and ws.column_dimensions["E"].width >= 40
    assert ws.freeze_panes == "A2"


def _edit_cell(path: Path, sheet: str, cell: str, value: object) -> None:
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


def test_formula_cell_is_refused_with_its_cell(folder: Path, catalogue: Catalogue) -> None:
    path = _twin(folder, catalogue)
    _edit_cell(path, "teleconsultation", "H3", "=1+1")
    with pytest.raises(LoadError) as info:
        load_questionnaire(path, catalogue)
    assert [f"{p.where}: {p.message}" for p in info.value.problems] == [
        "teleconsultation!H3: formule refusée : saisir une valeur"
    ]


def test_unknown_statut_is_located_at_its_cell(folder: Path, catalogue: Catalogue) -> None:
    path = _twin(folder, catalogue)
    _edit_cell(path, "teleconsultation", "G3", "Peut-être")
    with pytest.raises(LoadError) as info:
        load_questionnaire(path, catalogue)
    (problem,) = info.value.problems
    assert problem.where == "teleconsultation!G3"
    assert problem.message.startswith(
        "teleconsultation › Exigence ETH.09.1 › statut: attendu l'un de conforme"
    )


def test_missing_sheet_is_reported(folder: Path, catalogue: Catalogue) -> None:
    path = _twin(folder, catalogue)
    wb = openpyxl.load_workbook(path)
    wb["Profil"].title = "Mon profil"
    wb.save(path)
    with pytest.raises(LoadError) as info:
        load_questionnaire(path, catalogue)
    assert "feuille « Profil » absente du classeur" in [p.message for p in info.value.problems]


def test_bad_preuve_line_is_located(folder: Path, catalogue: Catalogue) -> None:
    path = _twin(folder, catalogue)
    _edit_cell(path, "teleconsultation", "I3", "une capture d'écran")
    with pytest.raises(LoadError) as info:
        load_questionnaire(path, catalogue)
    assert [f"{p.where}: {p.message}" for p in info.value.problems] == [
        "teleconsultation!I3: preuve illisible « une capture d'écran » (attendu « identifiant : fichier, URL ou valeur »)"
    ]


def test_macro_workbook_and_xlsm_are_refused(folder: Path, catalogue: Catalogue) -> None:
    path = _twin(folder, catalogue)
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/vbaProject.bin", b"macro")
    path.write_bytes(buffer.getvalue())
    with pytest.raises(LoadError, match="contient des macros"):
        load_questionnaire(path, catalogue)
    xlsm = folder / "questionnaire.xlsm"
    shutil.copy(path, xlsm)
    with pytest.raises(LoadError, match="sans macros"):
        load_questionnaire(xlsm, catalogue)


def test_not_a_zip_is_refused(folder: Path, catalogue: Catalogue) -> None:
    path = folder / "faux.xlsx"
    path.write_bytes(b"ceci n'est pas un classeur")
    with pytest.raises(LoadError, match=r"n.est pas un classeur \.xlsx valide"):
        load_questionnaire(path, catalogue)


def test_external_entity_is_not_expanded(
    folder: Path, catalogue: Catalogue, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-XXE")
    path = _twin(folder, catalogue)
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/workbook.xml":
                text = data.decode()
                doctype = f'<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file://{secret}">]>'
                text = doctype + text.replace('name="Instructions"', 'name="&xxe;"')
                data = text.encode()
            dst.writestr(item, data)
    path.write_bytes(buffer.getvalue())
    with pytest.raises(LoadError) as info:
        load_questionnaire(path, catalogue)
    assert "SECRET-XXE" not in str(info.value)
    assert "classeur illisible" in str(info.value)


def test_text_that_looks_like_a_formula_round_trips_as_text(
    folder: Path, catalogue: Catalogue
) -> None:
    path = folder / "questionnaire.yaml"
    path.write_text(
        path.read_text("utf-8").replace(
            "      statut: conforme\n",
            '      statut: conforme\n      justification: "=1+1 et -2, @moi"\n',
        ),
        "utf-8",
    )
    from_yaml = load_questionnaire(path, catalogue)
    from_xlsx = load_questionnaire(_twin(folder, catalogue), catalogue)
    assert from_xlsx.questionnaire == from_yaml.questionnaire
