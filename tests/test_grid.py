"""``referentiels import`` / ``export``: an authority's grid read with its mapping; every problem located."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

from cens_eval.errors import LoadError
from cens_eval.loader.grid import import_grid
from cens_eval.loader.referentiels import load_catalogue, load_referentiel
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.vocabulary import Niveau
from cens_eval.render.grid import (
    GridExportError,
    export_mapping,
    render_grid_csv,
    render_grid_xlsx,
)

from .builders import referentiel
from .conftest import REFERENTIELS, ROOT

SHEET = "Grille v2"
HEADERS = [
    "Réf.",
    "Thème",
    "Exigence",
    "Preuves attendues",
    "Niveau",
    "Principe éthique",
    "Applicabilité",
    "Remarques",
]
SECTIONS = ["Consentement", "Sécurité", "Accès pour tous"]
PRINCIPES = [
    "Autonomie",
    "Non-malfaisance",
    "Justice et équité",
    "Bienfaisance",
    "Écoresponsabilité",
]


def _rows() -> list[list[str]]:
    """Thirty exigences, as an authority's grid writes them."""
    rows = []
    for i in range(1, 31):
        rows.append(
            [
                f"GR.{i:02d}" if i != 30 else "GR.30-bis_a",
                SECTIONS[i % 3],
                f"La solution respecte la règle d'essai numéro {i}.",
                f"Capture de l'écran {i}\nProcédure écrite {i}" if i % 4 else f"Capture {i}",
                "Obligatoire" if i % 2 else "Optionnel",
                PRINCIPES[i % 5],
                "Si IA" if i % 7 == 0 else "Toutes",
                "à revoir" if i % 5 == 0 else "",
            ]
        )
    return rows


MAPPING = {
    "referentiel": {
        "id": "grille-essai",
        "version": "2",
        "titre": "Référentiel d'essai importé d'une grille",
        "type": "sectoriel",
        "statut": "opposable",
        "base_legale": "Aucune (essai)",
        "sources": [
            {
                "id": "grille",
                "titre": "Grille d'essai",
                "url": "https://example.org/grille",
                "nature": "officielle",
            }
        ],
        "sections": [
            {"id": "consentement", "titre": "Consentement"},
            {"id": "securite", "titre": "Sécurité"},
            {"id": "acces", "titre": "Accès pour tous"},
        ],
    },
    "grille": {"feuille": SHEET},
    "colonnes": {
        "id": "Réf.",
        "section": "Thème",
        "libelle": "Exigence",
        "enonce": "Exigence",
        "preuves": "Preuves attendues",
        "niveau": "Niveau",
        "principe": "Principe éthique",
        "applicable_si": "Applicabilité",
    },
    "colonnes_ignorees": ["Remarques"],
    "valeurs": {
        "niveau": {"Obligatoire": "exigence", "Optionnel": "preconisation"},
        "applicable_si": {"Toutes": None, "Si IA": {"question": "utilise_ia", "equals": True}},
    },
    "preuves": {"forme": "libre", "type": "capture"},
    "constantes": {
        "fidelite": "officiel",
        "source": {"document": "grille", "localisation": "Grille v2, exigence {id}"},
    },
}


def _xlsx(path: Path, rows: list[list[str]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    ws.append(HEADERS)
    for row in rows:
        ws.append([value or None for value in row])
    wb.save(path)
    return path


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADERS, *rows])
    return path


@pytest.fixture
def grid(tmp_path: Path) -> tuple[Path, Path]:
    mapping = tmp_path / "correspondance.yaml"
    mapping.write_text(yaml.safe_dump(MAPPING, allow_unicode=True), "utf-8")
    return _xlsx(tmp_path / "grille.xlsx", _rows()), mapping


def test_a_30_row_grid_imports_validates_and_evaluates(
    run_cli, grid: tuple[Path, Path], tmp_path: Path, catalogue: Catalogue
) -> None:
    workbook, mapping = grid
    folder = tmp_path / "refs"
    folder.mkdir()
    shutil.copy(REFERENTIELS / "profil.yaml", folder)
    output = folder / "grille-essai-2.yaml"
    result = run_cli(
        "referentiels", "import", str(workbook), "--mapping", str(mapping), "-o", str(output)
    )
    assert result.code == 0, result.stderr
    assert run_cli("referentiels", "validate", str(output)).code == 0
    ref = load_referentiel(output, catalogue.vocabulaire)
    assert [e.id for e in ref.exigences] == [row[0] for row in _rows()]  # verbatim
    assert sum(e.niveau is Niveau.EXIGENCE for e in ref.exigences) == 15
    gr01 = ref.exigence("GR.01")
    assert gr01 is not None
    assert [(p.id, p.libelle) for p in gr01.preuves] == [
        ("preuve-1", "Capture de l'écran 1"),
        ("preuve-2", "Procédure écrite 1"),
    ]
    assert gr01.section == "securite" and gr01.source.localisation == "Grille v2, exigence GR.01"
    assert ref.exigence("GR.07").applicable_si is not None  # type: ignore[union-attr]
    answers = {
        e.id: {
            "statut": "conforme",
            "preuves": [{"attendue": p.id, "url": "https://example.org/preuve"} for p in e.preuves],
        }
        for e in ref.exigences
    }
    questionnaire = tmp_path / "q.yaml"
    questionnaire.write_text(
        yaml.safe_dump(
            {
                "editeur": {"nom": "Éditeur"},
                "solution": {"nom": "Solution", "version": "1"},
                "referentiels": [{"id": "grille-essai", "version": "2"}],
                "profil": {"utilise_ia": True},
                "reponses": {"grille-essai": answers},
            },
            allow_unicode=True,
        ),
        "utf-8",
    )
    evaluated = run_cli("--referentiels", str(folder), "evaluate", str(questionnaire))
    assert evaluated.code == 0, evaluated.stdout + evaluated.stderr


def test_the_same_grid_in_csv_gives_the_same_referentiel(
    grid: tuple[Path, Path], tmp_path: Path, catalogue: Catalogue
) -> None:
    workbook, mapping = grid
    text = _csv(tmp_path / "grille.csv", _rows())
    assert import_grid(text, mapping, catalogue.vocabulaire) == import_grid(
        workbook, mapping, catalogue.vocabulaire
    )


def test_a_broken_grid_gives_every_problem_located_and_writes_nothing(
    run_cli, grid: tuple[Path, Path], tmp_path: Path
) -> None:
    rows = _rows()
    rows[3][4] = "Obligatorie"  # row 5
    rows[5][0] = rows[2][0]  # row 7: GR.03 again
    rows[9][1] = "Chapitre inconnu"  # row 11
    rows[11][0] = ""  # row 13: no id
    workbook = _xlsx(tmp_path / "cassee.xlsx", rows)
    wb = openpyxl.load_workbook(workbook)
    wb[SHEET]["C9"] = "=1+1"
    wb.save(workbook)
    output = tmp_path / "sortie.yaml"
    result = run_cli(
        "referentiels", "import", str(workbook), "--mapping", str(grid[1]), "-o", str(output)
    )
    assert result.code == 2
    lines = result.stderr.strip().splitlines()
    where = {line.split(": ")[0].removeprefix(f"{workbook}:") for line in lines}
    assert where == {f"{SHEET}!E5", f"{SHEET}!A7", f"{SHEET}!C9", f"{SHEET}!B11", f"{SHEET}!A13"}
    assert any("« Obligatorie » inconnu" in line for line in lines)
    assert any("exigence GR.03 déjà donnée en A4" in line for line in lines)
    assert any("formule refusée" in line for line in lines)
    assert any("section « Chapitre inconnu »" in line for line in lines)
    assert "Traceback" not in result.stderr and not output.exists()


def test_a_broken_csv_grid_is_located_by_line(
    grid: tuple[Path, Path], tmp_path: Path, catalogue: Catalogue
) -> None:
    rows = _rows()
    rows[0][5] = "Sympathie"  # line 2
    rows[1][3] = "x (document) : y"  # a free form: read as it is
    text = _csv(tmp_path / "grille.csv", rows)
    with pytest.raises(LoadError) as caught:
        import_grid(text, grid[1], catalogue.vocabulaire)
    (problem,) = caught.value.problems
    assert (problem.where, problem.message.split(": ")[0]) == ("2", "Exigence GR.01 › principe")


def test_unknown_columns_and_mapping_mistakes_are_refused(
    grid: tuple[Path, Path], tmp_path: Path, catalogue: Catalogue
) -> None:
    workbook, mapping = grid
    wb = openpyxl.load_workbook(workbook)
    wb[SHEET]["I1"] = "Colonne surprise"
    wb.save(workbook)
    with pytest.raises(LoadError) as caught:
        import_grid(workbook, mapping, catalogue.vocabulaire)
    assert [str(p) for p in caught.value.problems] == [
        f"{workbook}:{SHEET}!I1: colonne « Colonne surprise » inconnue"
    ]
    broken = yaml.safe_load(mapping.read_text("utf-8"))
    broken["colonnes"]["inconnue"] = "X"
    broken["valeurs"]["applicable_si"]["Si IA"] = {"question": "utilise_lia", "equals": True}
    mapping.write_text(yaml.safe_dump(broken, allow_unicode=True), "utf-8")
    with pytest.raises(LoadError) as caught:
        import_grid(workbook, mapping, catalogue.vocabulaire)
    messages = [p.message for p in caught.value.problems]
    assert any("colonnes › inconnue: clé inconnue" in m for m in messages)
    assert all(p.file == str(mapping) and p.where for p in caught.value.problems)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_every_shipped_referentiel_round_trips_through_its_grid(
    fmt: str, tmp_path: Path, catalogue: Catalogue
) -> None:
    for ref in catalogue.referentiels:
        grid = tmp_path / f"{ref.id}.{fmt}"
        grid.write_bytes(render_grid_xlsx(ref) if fmt == "xlsx" else render_grid_csv(ref))
        mapping = tmp_path / f"{ref.id}.correspondance.yaml"
        mapping.write_bytes(export_mapping(ref, grid.name))
        assert import_grid(grid, mapping, catalogue.vocabulaire) == ref, ref.id


def test_cli_export_then_import_gives_back_the_referentiel(
    run_cli, tmp_path: Path, catalogue: Catalogue
) -> None:
    grid = tmp_path / "tlc.xlsx"
    exported = run_cli("referentiels", "export", "teleconsultation", "-o", str(grid))
    assert exported.code == 0, exported.stderr
    mapping = tmp_path / "tlc.correspondance.yaml"
    assert mapping.is_file()
    assert run_cli("referentiels", "export", "teleconsultation", "-o", str(grid)).code == 2
    output = tmp_path / "tlc.yaml"
    imported = run_cli(
        "referentiels", "import", str(grid), "--mapping", str(mapping), "-o", str(output)
    )
    assert imported.code == 0, imported.stderr
    assert load_referentiel(output, catalogue.vocabulaire) == catalogue.get("teleconsultation")
    again = tmp_path / "tlc2.xlsx"
    run_cli("referentiels", "export", "teleconsultation", "-o", str(again))
    assert again.read_bytes() == grid.read_bytes()  # same référentiel, same bytes


def test_export_refuses_what_a_cell_would_not_give_back() -> None:
    formula = referentiel(
        [{"id": "A", "principe": "autonomie", "niveau": "exigence", "libelle": "=HYPERLINK(1)"}]
    )
    with pytest.raises(GridExportError, match="lu comme une formule"):
        render_grid_csv(formula)
    render_grid_xlsx(formula)  # a workbook keeps it as text
    control = referentiel(
        [{"id": "A", "principe": "autonomie", "niveau": "exigence", "note": "bip\x07"}]
    )
    with pytest.raises(GridExportError, match="U\\+0007"):
        render_grid_xlsx(control)


def test_validate_points_a_grid_to_import(run_cli, tmp_path: Path) -> None:
    grid = _csv(tmp_path / "grille.csv", _rows())
    result = run_cli("referentiels", "validate", str(grid))
    assert result.code == 2
    assert "cens-eval referentiels import grille.csv --mapping" in result.stderr


def test_a_macro_workbook_is_refused(grid: tuple[Path, Path], catalogue: Catalogue) -> None:
    workbook, mapping = grid
    macro = workbook.with_suffix(".xlsm")
    shutil.copy(workbook, macro)
    with pytest.raises(LoadError, match="sans macros"):
        import_grid(macro, mapping, catalogue.vocabulaire)


def test_the_shipped_example_grid_imports_and_validates(run_cli, tmp_path: Path) -> None:
    folder = ROOT / "examples" / "grilles"
    grid = folder / "exemple-grille.csv"
    output = tmp_path / "exemple.yaml"
    result = run_cli(
        "referentiels",
        "import",
        str(grid),
        "--mapping",
        str(folder / "exemple-grille.correspondance.yaml"),
        "-o",
        str(output),
    )
    assert result.code == 0, result.stderr
    assert run_cli("referentiels", "validate", str(output)).code == 0
    with grid.open(encoding="utf-8", newline="") as handle:
        ids = [row[0] for row in csv.reader(handle, delimiter=";")][1:]
    ref = load_catalogue(REFERENTIELS).vocabulaire
    assert [e.id for e in load_referentiel(output, ref).exigences] == ids


def test_csv_that_cannot_be_read_exactly_is_refused_at_its_line(
    grid: tuple[Path, Path], tmp_path: Path, catalogue: Catalogue
) -> None:
    text = _csv(tmp_path / "grille.csv", _rows())
    raw = text.read_bytes()
    cases = {
        "guillemets.csv": (
            raw + b'GR.99,"jamais ferm\xc3\xa9\r\n',
            str(raw.count(b"\n") + 1),
            "CSV mal formé",
        ),
        "latin1.csv": (
            raw.replace("Sécurité".encode(), "Sécurité".encode("latin-1")),
            "2",  # the first row's section
            "UTF-8",
        ),
        "nul.csv": (
            raw.replace(b"GR.05", b"GR\x0005"),
            str(raw[: raw.index(b"GR.05")].count(b"\n") + 1),
            "octet NUL",
        ),
    }
    for name, (content, line, why) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(LoadError) as caught:
            import_grid(path, grid[1], catalogue.vocabulaire)
        (problem,) = caught.value.problems
        assert (problem.where, why in problem.message) == (line, True), (name, str(problem))


def test_the_example_mapping_follows_its_json_schema() -> None:
    import json

    import jsonschema

    from cens_eval.model.schemas import schema_texts

    schema = json.loads(schema_texts()["correspondance-grille.schema.json"])
    path = ROOT / "examples" / "grilles" / "exemple-grille.correspondance.yaml"
    jsonschema.validate(yaml.safe_load(path.read_text("utf-8")), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**yaml.safe_load(path.read_text("utf-8")), "colonne": {}}, schema)


# ---- a grid is read as a spreadsheet shows it ---------------------------------------------------


def _problems(workbook: Path, mapping: Path, catalogue: Catalogue) -> list[str]:
    """The problems of an import refused, each as ``place: message`` (the file named)."""
    with pytest.raises(LoadError) as caught:
        import_grid(workbook, mapping, catalogue.vocabulaire)
    assert all(p.file == str(workbook) for p in caught.value.problems)
    return [f"{p.where}: {p.message}" for p in caught.value.problems]


def _edit(workbook: Path, edit) -> Path:
    wb = openpyxl.load_workbook(workbook)
    edit(wb[SHEET])
    wb.save(workbook)
    return workbook


def _rewrite_sheet(workbook: Path, change) -> Path:
    """Rewrite the XML of the grid's sheet (what openpyxl would not write, a hostile file does)."""
    import zipfile

    data = {}
    with zipfile.ZipFile(workbook) as archive:
        for item in archive.infolist():
            data[item.filename] = archive.read(item)
    data["xl/worksheets/sheet1.xml"] = change(data["xl/worksheets/sheet1.xml"].decode()).encode()
    with zipfile.ZipFile(workbook, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in data.items():
            archive.writestr(name, part)
    return workbook


def test_a_hidden_row_is_refused_not_imported(
    run_cli, grid: tuple[Path, Path], tmp_path: Path
) -> None:
    workbook, mapping = grid

    def hide(ws) -> None:
        ws.row_dimensions[6].hidden = True

    _edit(workbook, hide)
    output = tmp_path / "sortie.yaml"
    result = run_cli(
        "referentiels", "import", str(workbook), "--mapping", str(mapping), "-o", str(output)
    )
    assert result.code == 2
    assert result.stderr.strip() == (
        f"{workbook}:{SHEET}!A6: ligne 6 masquée : elle serait lue sans être vue ; "
        "l'afficher (ou la supprimer) dans le tableur"
    )
    assert not output.exists()


def test_rows_hidden_by_height_or_by_default_are_refused_too(
    grid: tuple[Path, Path], catalogue: Catalogue
) -> None:
    workbook, mapping = grid
    _rewrite_sheet(workbook, lambda xml: xml.replace('<row r="4"', '<row r="4" ht="0"'))
    assert [p.split(":")[0] for p in _problems(workbook, mapping, catalogue)] == [f"{SHEET}!A4"]
    # zeroHeight: every row hidden unless it says otherwise (here, only the header says so)
    _rewrite_sheet(
        workbook,
        lambda xml: (
            xml.replace('<row r="4" ht="0"', '<row r="4"')
            .replace("<sheetFormatPr ", '<sheetFormatPr zeroHeight="1" ')
            .replace('<row r="1"', '<row r="1" ht="15" customHeight="1"')
        ),
    )
    hidden = _problems(workbook, mapping, catalogue)
    assert len(hidden) == len(_rows()) and all("masquée" in p for p in hidden)


def test_what_is_not_read_may_be_hidden(grid: tuple[Path, Path], catalogue: Catalogue) -> None:
    workbook, mapping = grid
    expected = import_grid(workbook, mapping, catalogue.vocabulaire)

    def hide(ws) -> None:
        ws.column_dimensions["H"].hidden = True  # Remarques: an ignored column
        ws.append([])
        ws.row_dimensions[ws.max_row + 1].hidden = True  # an empty row

    _edit(workbook, hide)
    assert import_grid(workbook, mapping, catalogue.vocabulaire) == expected


def test_a_hidden_column_read_is_refused_at_its_header(
    grid: tuple[Path, Path], catalogue: Catalogue
) -> None:
    workbook, mapping = grid

    def hide(ws) -> None:
        ws.column_dimensions["D"].hidden = True  # Preuves attendues

    _edit(workbook, hide)
    assert _problems(workbook, mapping, catalogue) == [
        f"{SHEET}!D1: colonne « Preuves attendues » masquée : elle serait lue sans être vue ; "
        "l'afficher dans le tableur"
    ]


def test_a_hidden_sheet_is_never_read_instead_of_the_visible_one(
    run_cli, grid: tuple[Path, Path], tmp_path: Path, catalogue: Catalogue
) -> None:
    workbook, mapping = grid
    wb = openpyxl.load_workbook(workbook)
    wb[SHEET].sheet_state = "hidden"  # the old grid, kept hidden under the name the mapping reads
    visible = wb.create_sheet("Grille v3")
    visible.append(HEADERS)
    for row in _rows()[:3]:
        visible.append([value or None for value in row])
    wb.active = 1
    wb.save(workbook)
    output = tmp_path / "sortie.yaml"
    result = run_cli(
        "referentiels", "import", str(workbook), "--mapping", str(mapping), "-o", str(output)
    )
    assert result.code == 2 and not output.exists()
    assert result.stderr.strip() == (
        f"{workbook}:{SHEET}!A1: feuille « {SHEET} » masquée : elle serait lue sans être vue ; "
        "l'afficher dans le tableur"
    )
    unnamed = yaml.safe_load(mapping.read_text("utf-8"))
    del unnamed["grille"]
    mapping.write_text(yaml.safe_dump(unnamed, allow_unicode=True), "utf-8")
    assert _problems(workbook, mapping, catalogue) == [
        f": classeur de 2 feuilles (« {SHEET} » (masquée), « Grille v3 ») : indiquer la feuille "
        "à lire (grille.feuille dans la correspondance)"
    ]


def test_a_merged_chapter_cell_gives_its_section_to_every_row_it_covers(
    grid: tuple[Path, Path], tmp_path: Path, catalogue: Catalogue
) -> None:
    mapping = grid[1]
    rows = _rows()
    for row in rows[1:4]:  # rows 3 to 5 show the section of row 2, merged over them
        row[1] = rows[0][1]
    expected = import_grid(_xlsx(tmp_path / "a-plat.xlsx", rows), mapping, catalogue.vocabulaire)
    for row in rows[1:4]:
        row[1] = ""
    merged = _xlsx(tmp_path / "fusion.xlsx", rows)

    def merge(ws) -> None:
        ws.merge_cells("B2:B5")
        ws.append([])
        ws.merge_cells(f"B{len(rows) + 1}:B{len(rows) + 3}")  # over rows shown empty: no exigence

    _edit(merged, merge)
    ref = import_grid(merged, mapping, catalogue.vocabulaire)
    assert ref == expected
    assert {e.section for e in ref.exigences[:4]} == {ref.exigences[0].section} != {None}


def test_merges_that_cannot_be_read_as_shown_are_refused(
    grid: tuple[Path, Path], catalogue: Catalogue
) -> None:
    workbook, mapping = grid

    def merge(ws) -> None:
        ws.merge_cells("C3:D3")  # a statement spread over the preuves column
        ws.merge_cells("G1:G2")  # a header merged with the first row

    _edit(workbook, merge)
    _rewrite_sheet(  # a value stored under a merge, which no spreadsheet shows
        workbook,
        lambda xml: xml.replace("<mergeCell ", '<mergeCell ref="F6:F7"/><mergeCell ', 1).replace(
            'count="2"', 'count="3"'
        ),
    )
    assert sorted(_problems(workbook, mapping, catalogue)) == [
        f"{SHEET}!C3: cellules fusionnées C3:D3 sur plusieurs colonnes : les défusionner "
        "(une valeur par cellule)",
        f"{SHEET}!F7: valeur cachée sous la fusion F6:F7 : aucun tableur ne la montre ; "
        "défusionner les cellules ou vider celle-ci",
        f"{SHEET}!G1: en-tête fusionné avec les cellules en dessous (G1:G2) : les défusionner",
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_ids_a_reader_cannot_tell_apart_are_duplicates(
    fmt: str, grid: tuple[Path, Path], tmp_path: Path, catalogue: Catalogue
) -> None:
    rows = _rows()
    rows[4][0] = rows[1][0].lower()  # row 6: gr.02, as GR.02 in row 3
    path = (_xlsx if fmt == "xlsx" else _csv)(tmp_path / f"grille.{fmt}", rows)
    (problem,) = _problems(path, grid[1], catalogue)
    if fmt == "xlsx":
        first, where = "A3", f"{SHEET}!A6"
    else:  # a record starts on the line after the previous one ends (a preuves cell has two)
        with path.open(encoding="utf-8", newline="") as handle:
            reader, starts = csv.reader(handle), [1]
            for _ in reader:
                starts.append(reader.line_num + 1)
        first, where = f"ligne {starts[2]}", str(starts[5])
    assert problem == (
        f"{where}: identifiant gr.02 confondu avec GR.02 déjà donné en {first} "
        "(seuls la casse, les accents ou les espaces diffèrent)"
    )


def test_id_key_ignores_case_accents_and_spaces() -> None:
    from cens_eval.model.grid import id_key

    assert id_key("EX.01") == id_key("ex.01") == id_key("ÉX.01") == id_key("EX. 01")
    assert id_key("EX.01") != id_key("EX.010")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (  # merges that overlap: no spreadsheet writes them
            lambda xml: xml.replace(
                "</sheetData>",
                '</sheetData><mergeCells count="2"><mergeCell ref="B2:B5"/>'
                '<mergeCell ref="B4:B6"/></mergeCells>',
            ),
            [f"{SHEET}!B4: fusions qui se chevauchent (B4:B6) : classeur mal formé"],
        ),
        (  # a merge over the whole sheet
            lambda xml: xml.replace(
                "</sheetData>",
                '</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>',
            ),
            [f"{SHEET}!A1: cellules fusionnées A1:XFD1048576 sur plusieurs colonnes"],
        ),
        (  # every column hidden, written as one range past the sheet's last column
            lambda xml: xml.replace(
                "<sheetData>", '<cols><col min="1" max="99999999" hidden="1"/></cols><sheetData>'
            ),
            [f"{SHEET}!A1: colonne « Réf. » masquée"],
        ),
    ],
    ids=["overlapping-merges", "whole-sheet-merge", "all-columns-hidden"],
)
def test_hostile_layouts_are_refused_at_a_cell(
    grid: tuple[Path, Path], catalogue: Catalogue, change, expected: list[str]
) -> None:
    workbook, mapping = grid
    _rewrite_sheet(workbook, change)
    problems = _problems(workbook, mapping, catalogue)
    for start in expected:
        assert any(p.startswith(start) for p in problems), problems
