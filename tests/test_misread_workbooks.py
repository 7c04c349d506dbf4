"""Workbooks are never misread (issue 11): every stored row is read, columns are found by their
header, a row given twice is refused, preuves survive the round trip, templates read back.

Each case goes through the command line: a workbook is made by ``questionnaire convert`` (or
``review init``), then edited as a person or a hostile tool would, and read again.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.model.base import stripped
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.questionnaire import Questionnaire
from cens_eval.render.questionnaire_xlsx import UnwritableText, render_questionnaire_xlsx

BASE = Path(__file__).parent / "data" / "questionnaires" / "base"
AS_OF = "2026-11-22"
TLC = "teleconsultation"

# Answers beyond the base questionnaire: a declaration, a mesure with a declaration, a URL, an
# engagement, texts with separators, quotes, colons and line breaks.
EXTRA_ANSWERS = {
    "CE-TLC-09": {
        "statut": "conforme",
        "justification": 'Ligne 1\nLigne 2 | avec barre : et "guillemets"',
        "preuves": [
            {"attendue": "regles-acces", "fichier": "preuves/attestation.pdf"},
            {
                "attendue": "engagement-non-discrimination",
                "declaration": 'Nous | ne trions pas\n"jamais" : promis | juré',
            },
        ],
    },
    "CE-TLC-07": {
        "statut": "partiellement_conforme",
        "justification": "Audit : 72,5 %",
        "preuves": [
            {"attendue": "taux-rgaa", "valeur": "72.5", "declaration": "mesuré | par nous"},
            {"attendue": "declaration-accessibilite", "url": "https://exemple.org/a|b?c=d"},
        ],
        "engagement": {"action": "Corriger | tout\n« vite » : oui", "echeance": "2027-01-31"},
    },
}


# ---- helpers ----------------------------------------------------------------------------------


def _questionnaire(tmp_path: Path, extra: dict[str, Any] | None = None) -> Path:
    """The base questionnaire (with ``extra`` answers) as JSON, its evidence beside it."""
    folder = tmp_path / "q"
    shutil.copytree(BASE, folder)
    data = yaml.safe_load((folder / "questionnaire.yaml").read_text("utf-8"))
    data["reponses"][TLC].update(EXTRA_ANSWERS if extra is None else extra)
    (folder / "questionnaire.yaml").unlink()
    path = folder / "questionnaire.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    return path


def _convert(run_cli, source: Path) -> Path:
    target = source.with_suffix(".xlsx")
    result = run_cli("questionnaire", "convert", str(source), "-o", str(target))
    assert result.code == 0, result.stderr
    return target


def _edit(path: Path, edit: Callable[[openpyxl.Workbook], None]) -> None:
    wb = openpyxl.load_workbook(path)
    edit(wb)
    wb.save(path)


def _edit_sheet_xml(path: Path, sheet: str, edit: Callable[[str], str]) -> None:
    """Rewrite the XML of one sheet inside the archive (openpyxl writes sheet<n>.xml in order)."""
    names = openpyxl.load_workbook(path).sheetnames
    part = f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    text = parts[part].decode()
    edited = edit(text)
    assert edited != text, "the edit changed the sheet"
    parts[part] = edited.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())


def _refusal(result) -> list[str]:
    """The problems of a refused input: exit 2, located French lines, never an internal error."""
    assert result.code == 2, (result.code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "erreur interne" not in result.stderr
    return result.stderr.strip().splitlines()


def _dossier(run_cli, questionnaire: Path, out: Path) -> dict[str, Any]:
    """What ``evaluate -o`` records of a questionnaire, but the questionnaire file's own name."""
    result = run_cli(
        "evaluate", str(questionnaire), "--as-of", AS_OF, "-o", str(out), "--formats", "json"
    )
    assert result.code in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    data = json.loads((out / "dossier.json").read_text("utf-8"))
    data.pop("questionnaire")
    return data


def _evaluate(run_cli, questionnaire: Path, tmp_path: Path):
    return run_cli(
        "evaluate",
        str(questionnaire),
        "--as-of",
        AS_OF,
        "-o",
        str(tmp_path / "sortie"),
        "--formats",
        "json",
    )


def _rows(ws) -> list[list[Any]]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def _row_of(ws, key: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == key)


def _copy_row(ws, source: int, **changes: Any) -> int:
    """Append a copy of row ``source`` with some cells changed (by column letter)."""
    values = [cell.value for cell in ws[source]]
    target = ws.max_row + 1
    for col, value in enumerate(values, start=1):
        ws.cell(target, col, value)
    for letter, value in changes.items():
        ws[f"{letter}{target}"] = value
    return target


@pytest.fixture
def questionnaire(tmp_path: Path) -> Path:
    return _questionnaire(tmp_path)


@pytest.fixture
def workbook(run_cli, questionnaire: Path) -> Path:
    return _convert(run_cli, questionnaire)


# ---- class 1: every stored row is read, whatever <dimension> says -------------------------------


def _shrink_dimension(xml: str) -> str:
    assert re.search(r'<dimension ref="[^"]*"\s*/>', xml)
    return re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:B2"/>', xml)


def test_rows_past_a_short_dimension_are_read(
    run_cli, questionnaire: Path, workbook: Path, tmp_path: Path
) -> None:
    for sheet in ("Identité", "Profil", "Référentiels", TLC):
        _edit_sheet_xml(workbook, sheet, _shrink_dimension)
    expected = _dossier(run_cli, questionnaire, tmp_path / "a")
    assert _dossier(run_cli, workbook, tmp_path / "b") == expected


def _reverse_rows(xml: str) -> str:
    rows = re.findall(r"<row [^>]*>.*?</row>", xml, flags=re.S)
    head, body = rows[0], rows[1:]
    start, end = xml.index(rows[0]), xml.index(rows[-1]) + len(rows[-1])
    return xml[:start] + head + "".join(reversed(body)) + xml[end:]


def test_rows_stored_out_of_order_are_refused(run_cli, workbook: Path, tmp_path: Path) -> None:
    """openpyxl would silently skip a row stored after a later one: the file is refused."""
    _edit_sheet_xml(workbook, TLC, _reverse_rows)
    lines = _refusal(_evaluate(run_cli, workbook, tmp_path))
    last = openpyxl.load_workbook(workbook)[TLC].max_row
    assert lines == [
        f"{workbook}:{TLC}!A{last - 1}: "
        "cellule enregistrée deux fois ou hors d'ordre (classeur mal formé)"
    ]


def test_a_cell_stored_twice_is_refused(run_cli, workbook: Path, tmp_path: Path) -> None:
    """openpyxl would keep the second of two cells stored at one place: the file is refused."""

    def twice(xml: str) -> str:
        cell = re.search(r'<c r="G3"[^>]*>.*?</c>', xml, flags=re.S)
        assert cell
        other = cell.group().replace("Conforme", "Non conforme")
        return xml.replace(cell.group(), cell.group() + other)

    _edit_sheet_xml(workbook, TLC, twice)
    lines = _refusal(_evaluate(run_cli, workbook, tmp_path))
    assert lines == [
        f"{workbook}:{TLC}!G3: cellule enregistrée deux fois ou hors d'ordre (classeur mal formé)"
    ]


# ---- class 2: columns by header ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "missing"),
    [
        (TLC, "Justification"),
        (TLC, "Statut"),
        ("Profil", "Réponse"),
        ("Identité", "Valeur"),
        ("Référentiels", "Version"),
    ],
)
def test_a_deleted_header_row_is_refused(
    run_cli, workbook: Path, tmp_path: Path, sheet: str, missing: str
) -> None:
    _edit(workbook, lambda wb: wb[sheet].delete_rows(1))
    lines = _refusal(_evaluate(run_cli, workbook, tmp_path))
    assert f"{workbook}:{sheet}!A1: en-tête « {missing} » introuvable en ligne 1" in lines
    assert any(
        re.match(rf"{re.escape(str(workbook))}:{sheet}!A1: colonne « .+ » inconnue", x)
        for x in lines
    )
    assert not (tmp_path / "sortie").exists()


def test_an_unknown_header_is_refused_at_its_cell(run_cli, workbook: Path, tmp_path: Path) -> None:
    _edit(workbook, lambda wb: wb[TLC].__setitem__("H1", "Commentaire"))
    lines = _refusal(_evaluate(run_cli, workbook, tmp_path))
    assert lines == [
        f"{workbook}:{TLC}!A1: en-tête « Justification » introuvable en ligne 1",
        f"{workbook}:{TLC}!H1: colonne « Commentaire » inconnue",
    ]


def test_a_repeated_header_is_refused(run_cli, workbook: Path, tmp_path: Path) -> None:
    _edit(workbook, lambda wb: wb[TLC].__setitem__("L1", " statut "))
    lines = _refusal(_evaluate(run_cli, workbook, tmp_path))
    assert lines == [f"{workbook}:{TLC}!L1: colonne « Statut » déjà en G1"]


def test_a_value_outside_the_columns_is_refused(run_cli, workbook: Path, tmp_path: Path) -> None:
    _edit(workbook, lambda wb: wb[TLC].__setitem__("N4", "une note"))
    lines = _refusal(_evaluate(run_cli, workbook, tmp_path))
    assert lines == [
        f"{workbook}:{TLC}!N4: valeur dans une colonne sans en-tête : elle ne serait pas lue"
    ]


def test_a_filled_row_without_its_key_is_refused(run_cli, workbook: Path, tmp_path: Path) -> None:
    _edit(workbook, lambda wb: wb[TLC].__setitem__("A3", None))
    lines = _refusal(_evaluate(run_cli, workbook, tmp_path))
    assert lines == [
        f"{workbook}:{TLC}!A3: ligne remplie sans « Exigence » : la renseigner ou vider la ligne"
    ]


def test_an_unknown_sheet_is_refused(run_cli, workbook: Path, tmp_path: Path) -> None:
    _edit(workbook, lambda wb: wb.create_sheet("Notes").__setitem__("B2", "ETH.08 : à revoir"))
    lines = _refusal(_evaluate(run_cli, workbook, tmp_path))
    assert lines == [f"{workbook}:Notes!A1: feuille « Notes » inconnue : elle ne serait pas lue"]


def _reverse_columns(ws) -> None:
    rows = _rows(ws)
    ws.delete_rows(1, ws.max_row)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(reversed(values), start=1):
            ws.cell(r, c, value)


def test_columns_in_another_order_are_read_by_their_header(
    run_cli, questionnaire: Path, workbook: Path, tmp_path: Path
) -> None:
    def move(wb: openpyxl.Workbook) -> None:
        for sheet in ("Identité", "Profil", "Référentiels", TLC):
            _reverse_columns(wb[sheet])

    _edit(workbook, move)
    assert openpyxl.load_workbook(workbook)[TLC]["A1"].value.startswith("Reprise confirmée")
    expected = _dossier(run_cli, questionnaire, tmp_path / "a")
    assert _dossier(run_cli, workbook, tmp_path / "b") == expected


# ---- classes 3 and 4: a row given twice is refused, spaces around keys included ----------------


@pytest.mark.parametrize("spaces", ["", " ", "\u00a0\t"], ids=["same", "space", "nbsp-tab"])
@pytest.mark.parametrize(
    ("sheet", "key", "changes", "message"),
    [
        (TLC, "ETH.08", {"G": "Non conforme"}, "exigence ETH.08 déjà donnée en A{first}"),
        ("Profil", "si_teleconsultation", {"C": "non"}, "question si_teleconsultation déjà donnée en A{first}"),
        ("Identité", "editeur.nom", {"C": "Autre SAS"}, "champ editeur.nom déjà donné en A{first}"),
        ("Référentiels", TLC, {}, f"référentiel {TLC} déjà donné en A{{first}}"),
    ],
)  # fmt: skip
def test_a_row_given_twice_is_refused_naming_both_cells(
    run_cli,
    workbook: Path,
    tmp_path: Path,
    sheet: str,
    key: str,
    changes: dict[str, str],
    message: str,
    spaces: str,
) -> None:
    rows: dict[str, int] = {}

    def repeat(wb: openpyxl.Workbook) -> None:
        ws = wb[sheet]
        rows["first"] = _row_of(ws, key)
        rows["second"] = _copy_row(ws, rows["first"], A=f"{spaces}{key}{spaces}", **changes)

    _edit(workbook, repeat)
    lines = _refusal(_evaluate(run_cli, workbook, tmp_path))
    where = f"{workbook}:{sheet}!A{rows['second']}"
    assert f"{where}: {message.format(first=rows['first'])}" in lines


# ---- class 5: preuves and texts survive the round trip --------------------------------------


def test_texts_with_separators_quotes_and_line_breaks_survive_convert(
    run_cli, questionnaire: Path, workbook: Path, tmp_path: Path
) -> None:
    cell = openpyxl.load_workbook(workbook)[TLC]
    preuves = {row[0]: row[8] for row in cell.iter_rows(min_row=2, values_only=True)}
    assert preuves["CE-TLC-07"] == (
        'taux-rgaa : 72,5 | "mesuré | par nous"\n'
        'declaration-accessibilite : url "https://exemple.org/a|b?c=d"'
    )
    expected = _dossier(run_cli, questionnaire, tmp_path / "a")
    got = _dossier(run_cli, workbook, tmp_path / "b")
    assert got == expected
    declared = next(e for e in got["resultats"][0]["exigences"] if e["id"] == "CE-TLC-09")
    assert declared["preuves"][1]["declaration"] == 'Nous | ne trions pas\n"jamais" : promis | juré'


@pytest.mark.parametrize(
    "name", ["a | b.pdf", '"cité".pdf', "https:", "72", 'fichier "x".pdf', "a|b|c.pdf"]
)
def test_awkward_file_names_survive_convert(run_cli, tmp_path: Path, name: str) -> None:
    source = _questionnaire(
        tmp_path,
        {
            "CE-TLC-09": {
                "statut": "conforme",
                "preuves": [{"attendue": "regles-acces", "fichier": f"preuves/{name}/doc"}],
            }
        },
    )
    (source.parent / "preuves" / name).mkdir()
    (source.parent / "preuves" / name / "doc").write_bytes(b"preuve")
    workbook = _convert(run_cli, source)
    assert _dossier(run_cli, workbook, tmp_path / "b") == _dossier(run_cli, source, tmp_path / "a")


def _set_preuves(workbook: Path, exigence: str, text: str) -> str:
    cells: list[str] = []

    def edit(wb: openpyxl.Workbook) -> None:
        ws = wb[TLC]
        cells.append(f"I{_row_of(ws, exigence)}")
        ws[cells[0]] = text

    _edit(workbook, edit)
    return f"{workbook}:{TLC}!{cells[0]}"


def test_preuves_typed_by_hand_still_read(run_cli, workbook: Path, tmp_path: Path) -> None:
    _set_preuves(
        workbook,
        "CE-TLC-09",
        "regles-acces : preuves/attestation.pdf\n\n"
        'engagement-non-discrimination :   Nous ne trions "jamais" : promis  ',
    )
    _set_preuves(workbook, "CE-TLC-07", "taux-rgaa : 72,5 | preuves/capture-lieu.png")
    got = _dossier(run_cli, workbook, tmp_path / "b")
    by_id = {e["id"]: e for e in got["resultats"][0]["exigences"]}
    assert [p.get("declaration") or p.get("fichier") for p in by_id["CE-TLC-09"]["preuves"]] == [
        "preuves/attestation.pdf",
        'Nous ne trions "jamais" : promis',
    ]
    mesure = by_id["CE-TLC-07"]["preuves"][0]
    assert (mesure["valeur"], mesure["fichier"]) == ("72.5", "preuves/capture-lieu.png")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('engagement-non-discrimination : "Nous ne', "guillemets non fermés"),
        ('engagement-non-discrimination : "Nous" ne trions pas', "texte après les guillemets fermants"),
        ("regles-acces : preuves/a.pdf | ", "valeur vide après « | »"),
        ("regles-acces :", "valeur manquante"),
        ("regles-acces : preuves/a.pdf | preuves/b.pdf", "deux fichiers pour une même preuve"),
        ('engagement-non-discrimination : "un" | "deux"', "deux déclarations pour une même preuve"),
    ],
)  # fmt: skip
def test_unreadable_preuves_are_refused_at_their_cell(
    run_cli, workbook: Path, tmp_path: Path, text: str, message: str
) -> None:
    where = _set_preuves(workbook, "CE-TLC-09", text)
    lines = _refusal(_evaluate(run_cli, workbook, tmp_path))
    assert len(lines) == 1 and lines[0].startswith(f"{where}: preuve illisible « ")
    assert message in lines[0]


def test_a_character_no_cell_holds_is_refused_at_conversion(run_cli, tmp_path: Path) -> None:
    source = _questionnaire(
        tmp_path,
        {"CE-TLC-09": {"statut": "non_conforme", "justification": "Refus\u0007 sonore"}},
    )
    target = source.with_suffix(".xlsx")
    lines = _refusal(run_cli("questionnaire", "convert", str(source), "-o", str(target)))
    assert len(lines) == 1
    assert re.fullmatch(
        rf"{re.escape(str(source))}:\d+: {TLC} › Exigence CE-TLC-09 › justification: "
        r"caractère U\+0007 impossible à écrire dans un classeur Excel",
        lines[0],
    )
    assert not target.exists()


# The property: any questionnaire converted to a workbook and read back is the same questionnaire.
# A text holding a character no cell can hold is refused at conversion, naming where it is.
NO_CELL = "".join(map(chr, [*range(0x00, 0x09), *range(0x0B, 0x20)])) + "\ufffe\uffff"
"""What an XLSX cell cannot hold (surrogates are not in UTF-8 texts)."""
PIECE = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_characters=NO_CELL), min_size=1, max_size=30),
    st.sampled_from(
        ['"', '""', " | ", "|", "\n", ":", " : ", 'fichier "', 'url "', "\t", "https://"]
    ),
)
TEXT = st.lists(PIECE, min_size=1, max_size=6).map("".join).filter(stripped)
TEXT_PLACES = [
    ("editeur", "nom"),
    ("editeur", "contact"),
    ("solution", "version"),
    ("solution", "description"),
    ("reponses", TLC, "CE-TLC-09", "justification"),
    ("reponses", TLC, "CE-TLC-09", "preuves", 0, "declaration"),
    ("reponses", TLC, "CE-TLC-07", "preuves", 0, "declaration"),
    ("reponses", TLC, "CE-TLC-07", "engagement", "action"),
]


def _at(questionnaire: Questionnaire, place: tuple[str | int, ...]) -> str:
    node: Any = questionnaire.model_dump()
    for part in place:
        node = node[part]
    return str(node)


@pytest.mark.slow
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_questionnaire_reads_back_from_its_workbook(
    catalogue: Catalogue, tmp_path: Path, data: st.DataObject
) -> None:
    texts = {place: data.draw(TEXT, label=" › ".join(map(str, place))) for place in TEXT_PLACES}
    spoil = data.draw(st.integers(0, 3)) == 0  # one example in four holds what no cell holds
    places = st.sets(st.sampled_from(TEXT_PLACES), min_size=1, max_size=2)
    spoilt = data.draw(places if spoil else st.just(set()), label="gâchés")
    for place in spoilt:  # a character no cell holds, somewhere in the text (or stripped around)
        text = texts[place]
        at = data.draw(st.integers(0, len(text)))
        texts[place] = text[:at] + data.draw(st.sampled_from(NO_CELL)) + text[at:]
    raw = yaml.safe_load((BASE / "questionnaire.yaml").read_text("utf-8"))
    raw["reponses"][TLC].update(
        {
            "CE-TLC-09": {
                "statut": "conforme",
                "preuves": [{"attendue": "engagement-non-discrimination"}],
            },
            "CE-TLC-07": {
                "statut": "non_conforme",
                "preuves": [{"attendue": "taux-rgaa", "valeur": "72.5"}],
                "engagement": {"echeance": "2027-01-31"},
            },
        }
    )
    for place, text in texts.items():
        node: Any = raw
        for part in place[:-1]:
            node = node[part]
        node[place[-1]] = text
    original = Questionnaire.model_validate(raw)
    refs = [catalogue.get(r.id, r.version) for r in original.referentiels]
    refused = {place for place in TEXT_PLACES if set(_at(original, place)) & set(NO_CELL)}
    event("refusé à la conversion" if refused else "relu")
    try:
        book = render_questionnaire_xlsx(original.profil, refs, catalogue.vocabulaire, original)
    except UnwritableText as exc:
        assert {place for place, _ in exc.texts} == refused
        return
    assert not refused
    folder = tmp_path / "aller-retour"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(BASE, folder)
    (folder / "q.xlsx").write_bytes(book)
    assert load_questionnaire(folder / "q.xlsx", catalogue).as_written == original


# ---- class 6: review templates read back --------------------------------------------------------


@pytest.fixture
def dossier_dir(run_cli, tmp_path: Path) -> Path:
    source = tmp_path / "source"
    shutil.copytree(BASE, source)
    out = tmp_path / "dossier"
    result = run_cli(
        "evaluate",
        str(source / "questionnaire.yaml"),
        "--as-of",
        AS_OF,
        "-o",
        str(out),
        "--formats",
        "json",
    )
    assert result.code == 1, result.stderr
    return out


def _apply(run_cli, dossier: Path, review: Path, out: Path):
    return run_cli(
        "review", "apply", str(dossier), str(review), "-o", str(out), "--formats", "json"
    )


def _sign(review: Path) -> None:
    """Fill in what a template leaves blank and a review needs: the evaluator's name and the date."""
    if review.suffix == ".yaml":
        text = review.read_text("utf-8")
        assert text.count('  nom: ""\n') == 1 and text.count("\ndate:  #") == 1
        text = text.replace('  nom: ""\n', '  nom: "Claire Martin"\n')
        review.write_text(text.replace("\ndate:  #", "\ndate: 2026-11-25  #"), "utf-8")
        return

    def sign(wb: openpyxl.Workbook) -> None:
        ws = wb["Évaluateur"]
        ws[f"C{_row_of(ws, 'evaluateur.nom')}"] = "Claire Martin"
        ws[f"C{_row_of(ws, 'date')}"] = "2026-11-25"

    _edit(review, sign)


DATE_MISSING = "date: date de la revue obligatoire (AAAA-MM-JJ) : elle date l'avis et sa validation"


@pytest.mark.parametrize(
    ("suffix", "where", "message"),
    [
        (".yaml", ("16", "20"), ("evaluateur › nom: texte vide", DATE_MISSING)),
        (
            ".xlsx",
            ("Évaluateur!C2", "Évaluateur!C6"),
            ("evaluateur › nom: champ obligatoire manquant", DATE_MISSING),
        ),
    ],
)
def test_an_unchanged_review_template_reads_back(
    run_cli,
    dossier_dir: Path,
    tmp_path: Path,
    suffix: str,
    where: tuple[str, str],
    message: tuple[str, str],
) -> None:
    review = tmp_path / f"revue{suffix}"
    assert run_cli("review", "init", str(dossier_dir), "-o", str(review)).code == 0
    lines = _refusal(_apply(run_cli, dossier_dir, review, tmp_path / "o"))
    assert sorted(lines) == sorted(
        f"{review}:{w}: {m}" for w, m in zip(where, message, strict=True)
    )
    _sign(review)
    result = _apply(run_cli, dossier_dir, review, tmp_path / "o")
    assert result.code == 0, result.stderr
    in_scope = sum(
        len(r["exigences"])
        for r in json.loads((dossier_dir / "dossier.json").read_text("utf-8"))["resultats"]
    )
    assert f"{in_scope} exigence(s) sans avis" in result.stderr


@pytest.mark.parametrize("suffix", [".yaml", ".xlsx"])
def test_a_review_template_of_a_dossier_with_awkward_texts_reads_back(
    run_cli, tmp_path: Path, suffix: str
) -> None:
    source = _questionnaire(
        tmp_path,
        {
            "CE-TLC-09": {
                "statut": "non_conforme",
                "justification": "Bip\u0007 ; fin\u2028de ligne\x85 et\r\nretour # pas un commentaire",
                "preuves": [
                    {"attendue": "engagement-non-discrimination", "declaration": 'avis:\n  "X": {}'}
                ],
            }
        },
    )
    data = json.loads(source.read_text("utf-8"))
    data["editeur"]["nom"] = "Essai\navis: null\n# Santé \ufffe\x9b"
    source.write_text(json.dumps(data), "utf-8")
    dossier = tmp_path / "dossier"
    result = run_cli(
        "evaluate", str(source), "--as-of", AS_OF, "-o", str(dossier), "--formats", "json"
    )
    assert result.code == 1, result.stderr
    review = tmp_path / f"revue{suffix}"
    assert run_cli("review", "init", str(dossier), "-o", str(review)).code == 0
    _sign(review)
    result = _apply(run_cli, dossier, review, tmp_path / "o")
    assert result.code == 0, result.stderr


def _filled_review(run_cli, dossier_dir: Path, tmp_path: Path) -> Path:
    review = tmp_path / "revue.xlsx"
    assert run_cli("review", "init", str(dossier_dir), "-o", str(review)).code == 0

    def fill(wb: openpyxl.Workbook) -> None:
        ws = wb["Évaluateur"]
        ws[f"C{_row_of(ws, 'evaluateur.nom')}"] = "Claire Martin"
        ws[f"C{_row_of(ws, 'date')}"] = "2026-11-25"
        sheet = wb[TLC]
        for r in range(2, sheet.max_row + 1):
            sheet[f"H{r}"] = "Validé"
        sheet[f"H{_row_of(sheet, 'ETH.08')}"] = "Non validé"
        sheet[f"I{_row_of(sheet, 'ETH.08')}"] = "Capture illisible."

    _edit(review, fill)
    return review


def _revue(out: Path) -> dict[str, Any]:
    revue = json.loads((out / "revue.json").read_text("utf-8"))["revue"]
    revue.pop("fichier")
    return revue


def test_review_rows_past_a_short_dimension_are_read(
    run_cli, dossier_dir: Path, tmp_path: Path
) -> None:
    review = _filled_review(run_cli, dossier_dir, tmp_path)
    assert _apply(run_cli, dossier_dir, review, tmp_path / "a").code == 0
    for sheet in ("Évaluateur", TLC):
        _edit_sheet_xml(review, sheet, _shrink_dimension)
    result = _apply(run_cli, dossier_dir, review, tmp_path / "b")
    assert result.code == 0, result.stderr
    assert "sans avis" not in result.stderr
    assert _revue(tmp_path / "b") == _revue(tmp_path / "a")


def test_review_columns_in_another_order_are_read_by_their_header(
    run_cli, dossier_dir: Path, tmp_path: Path
) -> None:
    review = _filled_review(run_cli, dossier_dir, tmp_path)
    assert _apply(run_cli, dossier_dir, review, tmp_path / "a").code == 0

    def move(wb: openpyxl.Workbook) -> None:
        _reverse_columns(wb["Évaluateur"])
        _reverse_columns(wb[TLC])

    _edit(review, move)
    result = _apply(run_cli, dossier_dir, review, tmp_path / "b")
    assert result.code == 0, result.stderr
    assert _revue(tmp_path / "b") == _revue(tmp_path / "a")


@pytest.mark.parametrize("sheet", ["Évaluateur", TLC])
def test_review_without_header_is_refused(
    run_cli, dossier_dir: Path, tmp_path: Path, sheet: str
) -> None:
    review = _filled_review(run_cli, dossier_dir, tmp_path)
    _edit(review, lambda wb: wb[sheet].delete_rows(1))
    lines = _refusal(_apply(run_cli, dossier_dir, review, tmp_path / "o"))
    missing = "Valeur" if sheet == "Évaluateur" else "Avis de l'évaluateur"
    assert f"{review}:{sheet}!A1: en-tête « {missing} » introuvable en ligne 1" in lines
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("spaces", ["", " "], ids=["same", "space"])
@pytest.mark.parametrize(
    ("sheet", "key", "changes", "message"),
    [
        (TLC, "ETH.08", {"H": "Validé", "I": None}, "exigence ETH.08 déjà donnée en A{first}"),
        ("Évaluateur", "evaluateur.nom", {"C": "Autre"}, "champ evaluateur.nom déjà donné en A{first}"),
    ],
)  # fmt: skip
def test_a_review_row_given_twice_is_refused(
    run_cli,
    dossier_dir: Path,
    tmp_path: Path,
    sheet: str,
    key: str,
    changes: dict[str, Any],
    message: str,
    spaces: str,
) -> None:
    review = _filled_review(run_cli, dossier_dir, tmp_path)
    rows: dict[str, int] = {}

    def repeat(wb: openpyxl.Workbook) -> None:
        ws = wb[sheet]
        rows["first"] = _row_of(ws, key)
        rows["second"] = _copy_row(ws, rows["first"], A=f"{key}{spaces}", **changes)

    _edit(review, repeat)
    lines = _refusal(_apply(run_cli, dossier_dir, review, tmp_path / "o"))
    assert f"{review}:{sheet}!A{rows['second']}: {message.format(first=rows['first'])}" in lines
    assert not (tmp_path / "o").exists()
