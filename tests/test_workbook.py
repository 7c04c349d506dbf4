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
    assert problem.message == (
        "teleconsultation › Exigence ETH.09.1 › statut: « Peut-être » n'est pas un statut ; "
        "choisir « Conforme », « Partiellement conforme », « Non conforme », « Non applicable »"
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


# ---- what a person types in Excel or LibreOffice --------------------------------------------------


def _problems(path: Path, catalogue: Catalogue) -> list[str]:
    with pytest.raises(LoadError) as info:
        load_questionnaire(path, catalogue)
    return [f"{p.where}: {p.message}" for p in info.value.problems]


def _edit_number(path: Path, sheet: str, cell: str, value: object, number_format: str) -> None:
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = value
    wb[sheet][cell].number_format = number_format
    wb.save(path)


def test_identity_cells_are_text_so_a_siren_keeps_its_leading_zero(
    folder: Path, catalogue: Catalogue
) -> None:
    ws = openpyxl.load_workbook(_twin(folder, catalogue))["Identité"]
    assert ws["A3"].value == "editeur.siren"
    assert {ws.cell(row, 3).number_format for row in range(2, ws.max_row + 1)} == {"@"}


def test_a_siren_typed_as_a_number_is_read_only_when_its_nine_digits_are_certain(
    folder: Path, catalogue: Catalogue
) -> None:
    path = _twin(folder, catalogue)
    _edit_number(path, "Identité", "C3", 912345678, "General")
    assert load_questionnaire(path, catalogue).questionnaire.editeur.siren == "912345678"
    _edit_number(path, "Identité", "C3", 12345678, "000000000")  # the format shows the zero
    assert load_questionnaire(path, catalogue).questionnaire.editeur.siren == "012345678"
    _edit_number(path, "Identité", "C3", 12345678, "General")  # a lost zero, or a typo?
    assert _problems(path, catalogue) == [
        "Identité!C3: SIREN : 9 chiffres attendus, saisir la cellule en texte"
    ]


def test_a_version_typed_as_a_number_is_refused_unless_its_format_shows_the_typing(
    folder: Path, catalogue: Catalogue
) -> None:
    path = _twin(folder, catalogue)
    _edit_number(path, "Identité", "C6", 4.1, "General")  # typed 4.1 or 4.10?
    (problem,) = _problems(path, catalogue)
    assert problem.startswith("Identité!C6: version : le nombre 4.1 ne dit pas comment")
    assert "saisir la cellule en texte" in problem
    _edit_number(path, "Identité", "C6", 3, "0.0")
    assert load_questionnaire(path, catalogue).questionnaire.solution.version == "3.0"


def test_a_french_date_typed_as_text_is_read_and_an_impossible_one_refused(
    folder: Path, catalogue: Catalogue
) -> None:
    path = _twin(folder, catalogue)
    ws = openpyxl.load_workbook(path)["teleconsultation"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "ETH.12")
    _edit_cell(path, "teleconsultation", f"J{row}", "Publier la politique")
    _edit_cell(path, "teleconsultation", f"K{row}", "31/03/2027")
    answer = load_questionnaire(path, catalogue).questionnaire.reponses["teleconsultation"]
    assert answer["ETH.12"].engagement is not None
    assert answer["ETH.12"].engagement.echeance.isoformat() == "2027-03-31"
    _edit_cell(path, "teleconsultation", f"K{row}", "31/02/2027")
    assert _problems(path, catalogue) == [
        f"teleconsultation!K{row}: date « 31/02/2027 » impossible (JJ/MM/AAAA)"
    ]


def test_profil_answers_are_read_whatever_their_case_and_spacing(
    folder: Path, catalogue: Catalogue
) -> None:
    path = _twin(folder, catalogue)
    ws = openpyxl.load_workbook(path)["Profil"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 3).value in ("oui", "non"))
    question, answer = ws.cell(row, 1).value, ws.cell(row, 3).value
    _edit_cell(path, "Profil", f"C{row}", f"  {answer.upper()} ")
    profil = load_questionnaire(path, catalogue).questionnaire.profil
    assert profil[question] is (answer == "oui")


@pytest.mark.parametrize("suffix", [".ods", ".xls"])
def test_another_spreadsheet_format_is_refused_with_the_advice_to_save_as_xlsx(
    folder: Path, catalogue: Catalogue, suffix: str
) -> None:
    path = folder / f"questionnaire{suffix}"
    path.write_bytes(b"PK\x03\x04")
    (problem,) = _problems(path, catalogue)
    assert "enregistrez-le au format .xlsx" in problem


def test_template_dropdowns_refuse_other_values_in_french(
    folder: Path, catalogue: Catalogue
) -> None:
    wb = openpyxl.load_workbook(_twin(folder, catalogue))
    for sheet in ("teleconsultation", "Profil"):
        for dv in wb[sheet].data_validations.dataValidation:
            assert dv.showErrorMessage and dv.errorStyle == "stop", (sheet, dv.sqref)
            assert dv.errorTitle
            assert "Choisissez" in dv.error or "JJ/MM/AAAA" in dv.error


def test_template_rows_are_as_tall_as_their_wrapped_text_and_print_fitted(
    folder: Path, catalogue: Catalogue
) -> None:
    wb = openpyxl.load_workbook(_twin(folder, catalogue))
    ws = wb["teleconsultation"]
    for row in range(2, ws.max_row + 1):
        lines = max(str(c.value).count("\n") + 1 for c in ws[row] if c.value is not None)
        height = ws.row_dimensions[row].height
        assert lines == 1 or (height is not None and height >= 15 * lines), row
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_template_shows_the_threshold_and_unit_of_a_measured_preuve(catalogue: Catalogue) -> None:
    from cens_eval.render.questionnaire_xlsx import expected_preuves_text

    measured = [
        (e, p)
        for ref in catalogue.referentiels
        for e in ref.exigences
        for p in e.preuves
        if p.seuil is not None
    ]
    assert measured
    for exigence, preuve in measured:
        line = next(
            x for x in expected_preuves_text(exigence).split("\n") if x.startswith(preuve.id)
        )
        assert f"en {preuve.unite}, seuil : " in line, line


def test_the_profil_sheet_shows_each_questions_help(folder: Path, catalogue: Catalogue) -> None:
    ws = openpyxl.load_workbook(_twin(folder, catalogue))["Profil"]
    assert ws["D1"].value == "Aide"
    helps = {ws.cell(r, 1).value: ws.cell(r, 4).value for r in range(2, ws.max_row + 1)}
    for question in catalogue.vocabulaire.questions:
        if question.id in helps and question.aide:
            assert question.aide in helps[question.id]
    assert any(helps.values())


def test_a_grid_id_typed_as_a_decimal_number_is_refused_at_its_cell(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    import csv

    from cens_eval.loader.grid import import_grid

    grilles = Path(__file__).resolve().parent.parent / "examples" / "grilles"
    with (grilles / "exemple-grille.csv").open(encoding="utf-8") as handle:
        lines = list(csv.reader(handle, delimiter=";"))
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for line in lines:
        ws.append(line)
    ws["A2"] = 1.1  # typed 1.10: stored as 1.1, another id
    path = tmp_path / "grille.xlsx"
    wb.save(path)
    with pytest.raises(LoadError) as info:
        import_grid(path, grilles / "exemple-grille.correspondance.yaml", catalogue.vocabulaire)
    messages = [f"{p.where}: {p.message}" for p in info.value.problems]
    assert len(messages) == 1 and messages[0].startswith(
        "Sheet!A2: identifiant : le nombre 1.1 ne dit pas comment il a été saisi"
    ), messages
