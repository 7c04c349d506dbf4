"""Answers taken from another référentiel (``reprise``) in the questionnaire workbook: written by
init as in YAML, kept exactly through convert and the web, refused at their cell when wrong."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from cens_eval.engine.evaluation import evaluate
from cens_eval.loader.questionnaire import LoadedQuestionnaire, load_questionnaire
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.questionnaire import Reprise
from cens_eval.model.reprise_cells import parse_reprise_cells, reprise_cells

from .test_reprises import AS_OF, IA, MEDILINK, TLC, _medilink, _take, _write

REPRISE, CONFIRMEE = "Reprise de", "Reprise confirmée"


def _reprises(loaded: LoadedQuestionnaire) -> dict[tuple[str, str], list[Reprise]]:
    """Every reprise as written, by cible."""
    return {
        (ref_id, ex_id): reponse.reprise
        for ref_id, answers in loaded.as_written.reponses.items()
        for ex_id, reponse in answers.items()
        if reponse.reprise
    }


def _row(ws: Any, exigence: str) -> int:
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == exigence)


def _column(ws: Any, title: str) -> int:
    return next(c.column for c in ws[1] if str(c.value).startswith(title))


def _cell(path: Path, sheet: str, exigence: str, title: str) -> str:
    """The reference of one exigence's cell in a column, as problems name it."""
    ws = openpyxl.load_workbook(path)[sheet]
    letter = openpyxl.utils.get_column_letter(_column(ws, title))
    return f"{sheet}!{letter}{_row(ws, exigence)}"


def _set(path: Path, sheet: str, changes: dict[tuple[str, str], object]) -> None:
    """Change cells, each named by (exigence, column title)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    for (exigence, title), value in changes.items():
        ws.cell(_row(ws, exigence), _column(ws, title)).value = value
    wb.save(path)


@pytest.fixture
def medilink(tmp_path: Path) -> Path:
    """MediLink with the shipped inclusion ETH.17.1 ← ia-sante CE-IA-17 (own preuves kept), a
    pre-fill not confirmed (CE-IA-04 ← CE-TLC-06) and one confirmed (CE-IA-20 ← CE-TLC-01)."""
    data = _take(_medilink(), TLC, "ETH.17.1", IA, "CE-IA-17")
    data = _take(data, IA, "CE-IA-04", TLC, "CE-TLC-06")
    data = _take(data, IA, "CE-IA-20", TLC, "CE-TLC-01")
    data["reponses"][IA]["CE-IA-04"]["reprise"]["confirmee"] = False
    data["reponses"][IA]["CE-IA-20"]["reprise"]["confirmee"] = True
    return _write(tmp_path, data)


def _workbook(run_cli, source: Path, name: str = "q.xlsx") -> Path:  # type: ignore[no-untyped-def]
    output = source.parent / name
    result = run_cli("questionnaire", "convert", str(source), "-o", str(output))
    assert result.code == 0, result.stderr
    return output


def test_init_writes_in_the_workbook_the_reprises_of_the_yaml_init(
    run_cli, tmp_path: Path, catalogue: Catalogue
) -> None:
    profil = tmp_path / "profil.yaml"
    profil.write_text(yaml.safe_dump(_medilink()["profil"]), "utf-8")
    said = {}
    for name in ("q.yaml", "q.xlsx"):
        result = run_cli(
            "questionnaire", "init", "--profil", str(profil), "-o", str(tmp_path / name)
        )
        assert result.code == 0, result.stderr
        said[name] = result.stdout.splitlines()[1:]
    assert said["q.xlsx"] == said["q.yaml"] and "pré-remplie" in said["q.xlsx"][0]
    from_yaml = load_questionnaire(tmp_path / "q.yaml", catalogue, identity_as_gaps=True)
    from_xlsx = load_questionnaire(tmp_path / "q.xlsx", catalogue, identity_as_gaps=True)
    assert _reprises(from_xlsx) == _reprises(from_yaml)
    assert _reprises(from_xlsx)[(TLC, "ETH.17.1")] == [Reprise(referentiel=IA, exigence="CE-IA-17")]
    ws = openpyxl.load_workbook(tmp_path / "q.xlsx")[TLC]
    row = _row(ws, "ETH.17.1")
    assert ws.cell(row, _column(ws, REPRISE)).value == "ia-sante CE-IA-17"
    assert ws.cell(row, _column(ws, CONFIRMEE)).value is None  # full link: nothing to confirm
    ia = openpyxl.load_workbook(tmp_path / "q.xlsx")[IA]
    assert ia.cell(_row(ia, "CE-IA-04"), _column(ia, CONFIRMEE)).value == "non"
    gaps = [p for p in from_xlsx.gaps if "pré-remplie" in p.message]
    assert len(gaps) == len([p for p in from_yaml.gaps if "pré-remplie" in p.message]) > 0
    assert all("« oui » dans la colonne « Reprise confirmée »" in p.message for p in gaps)


def test_convert_yaml_to_workbook_and_back_keeps_every_reprise_exactly(
    run_cli, medilink: Path, catalogue: Catalogue
) -> None:
    workbook = _workbook(run_cli, medilink)
    back = medilink.parent / "retour.yaml"
    result = run_cli("questionnaire", "convert", str(workbook), "-o", str(back))
    assert result.code == 0, result.stderr
    original = load_questionnaire(medilink, catalogue)
    for again in (load_questionnaire(workbook, catalogue), load_questionnaire(back, catalogue)):
        assert again.as_written == original.as_written
        assert again.questionnaire == original.questionnaire
        assert [p.place[:4] for p in again.gaps] == [p.place[:4] for p in original.gaps]
    taken = _reprises(original)
    assert taken[(IA, "CE-IA-04")] == [Reprise(referentiel=TLC, exigence="CE-TLC-06")]
    assert taken[(IA, "CE-IA-20")][0].confirmee
    one = evaluate(original.questionnaire, original.referentiels, as_of=AS_OF)
    two = evaluate(
        load_questionnaire(workbook, catalogue).questionnaire, original.referentiels, as_of=AS_OF
    )
    assert one == two


def test_several_sources_each_confirmed_or_not_read_back_as_written() -> None:
    written = [
        Reprise(referentiel=IA, exigence="CE-IA-17", confirmee=True),
        Reprise(referentiel=IA, exigence="CE-IA-18"),
    ]
    sources, confirmee = reprise_cells(written)
    assert (sources, confirmee) == ("ia-sante CE-IA-17\nia-sante CE-IA-18", "oui\nnon")
    read = parse_reprise_cells(sources, confirmee)
    assert [Reprise(**r) for r in read.reprises] == written
    everyone = parse_reprise_cells(sources, "Oui")
    assert [r["confirmee"] for r in everyone.reprises] == [True, True]


def test_confirming_a_pre_fill_in_the_workbook_counts_it(
    run_cli, medilink: Path, catalogue: Catalogue
) -> None:
    workbook = _workbook(run_cli, medilink)
    before = load_questionnaire(workbook, catalogue)
    assert any("CE-TLC-06" in p.message for p in before.gaps)
    _set(workbook, IA, {("CE-IA-04", CONFIRMEE): "oui"})
    after = load_questionnaire(workbook, catalogue)
    assert not any("CE-TLC-06" in p.message for p in after.gaps)
    answer = after.questionnaire.reponse(IA, "CE-IA-04")
    source = after.questionnaire.reponse(TLC, "CE-TLC-06")
    assert answer is not None and source is not None and answer.statut == source.statut


@pytest.mark.parametrize(
    ("changes", "column", "expected"),
    [
        (
            {("CE-IA-04", REPRISE): "teleconsultation"},
            REPRISE,
            "reprise illisible « teleconsultation » : attendu « référentiel exigence »",
        ),
        ({("CE-IA-04", CONFIRMEE): "peut-être"}, CONFIRMEE, "« peut-être » : écrire oui ou non"),
        (
            {
                ("CE-IA-04", REPRISE): "teleconsultation CE-TLC-06\nteleconsultation CE-TLC-07",
                ("CE-IA-04", CONFIRMEE): "oui\nnon\noui",
            },
            CONFIRMEE,
            "3 réponses oui/non pour 2 reprises",
        ),
        (
            {("CE-IA-05", CONFIRMEE): "oui"},
            CONFIRMEE,
            "« Reprise confirmée » remplie sans « Reprise de »",
        ),
    ],
)
def test_a_malformed_reprise_cell_is_refused_at_its_cell(
    run_cli,
    medilink: Path,
    changes: dict[tuple[str, str], object],
    column: str,
    expected: str,
) -> None:
    workbook = _workbook(run_cli, medilink)
    _set(workbook, IA, changes)
    exigence = next(iter(changes))[0]
    result = run_cli("questionnaire", "check", str(workbook))
    assert result.code == 2, result.stdout
    assert "Traceback" not in result.stderr
    where = f"{workbook}:{_cell(workbook, IA, exigence, column)}: "
    lines = [line for line in result.stderr.splitlines() if line.startswith(where)]
    assert len(lines) == 1 and expected in lines[0], result.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("teleconsultation CE-TLC-99", "exigence CE-TLC-99 inconnue dans teleconsultation"),
        ("ia-sante CE-IA-05", "une réponse se reprend d'un autre référentiel, pas du même"),
        ("teleconsultation ETH.08", "aucune correspondance entre ia-sante CE-IA-04"),
    ],
)
def test_the_loader_refusals_of_a_reprise_are_located_at_its_cell(
    run_cli, medilink: Path, value: str, expected: str
) -> None:
    workbook = _workbook(run_cli, medilink)
    _set(workbook, IA, {("CE-IA-04", REPRISE): value})
    result = run_cli("questionnaire", "check", str(workbook))
    assert result.code == 2
    where = f"{workbook}:{_cell(workbook, IA, 'CE-IA-04', REPRISE)}: "
    assert any(line.startswith(where) and expected in line for line in result.stderr.splitlines())


def test_a_reprise_with_its_own_statut_is_refused_at_the_statut_cell(
    run_cli, medilink: Path
) -> None:
    workbook = _workbook(run_cli, medilink)
    _set(workbook, TLC, {("ETH.17.1", "Statut"): "Conforme"})
    result = run_cli("questionnaire", "check", str(workbook))
    assert result.code == 2
    where = f"{workbook}:{_cell(workbook, TLC, 'ETH.17.1', 'Statut')}: "
    expected = "une réponse reprise ne porte ni statut : ils viennent de ia-sante CE-IA-17"
    assert any(line.startswith(where) and expected in line for line in result.stderr.splitlines())


def test_a_workbook_without_the_reprise_columns_reads_as_before(
    run_cli, medilink: Path, catalogue: Catalogue
) -> None:
    """A workbook written before 0.2.0 has no reprise columns: its answers read the same."""
    plain = _write(medilink.parent, _medilink(), "sans-reprise.yaml")
    workbook = _workbook(run_cli, plain, "ancien.xlsx")
    wb = openpyxl.load_workbook(workbook)
    for sheet in (TLC, IA):
        ws = wb[sheet]
        ws.delete_cols(_column(ws, REPRISE), 2)
    wb.save(workbook)
    assert load_questionnaire(workbook, catalogue).as_written == (
        load_questionnaire(plain, catalogue).as_written
    )


def test_the_web_workbook_export_and_import_keep_the_reprises(tmp_path: Path) -> None:
    import cens_eval
    from cens_eval.web.app import create_app

    from .test_web import form_fields

    workspace = tmp_path / "espace"
    shutil.copytree(MEDILINK.parent, workspace)
    path = workspace / "questionnaire.yaml"
    data = _take(_medilink(), TLC, "ETH.17.1", IA, "CE-IA-17")
    data = _take(data, IA, "CE-IA-04", TLC, "CE-TLC-06")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    catalogue = cens_eval.load_referentiels()
    before = load_questionnaire(path, catalogue).as_written
    client = create_app(workspace, catalogue, secret="test").test_client()
    exported = client.get("/editeur/questionnaire.xlsx")
    assert exported.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(exported.data))
    ws = wb[IA]
    ws.cell(_row(ws, "CE-IA-04"), _column(ws, CONFIRMEE)).value = "oui"
    buffer = io.BytesIO()
    wb.save(buffer)
    fields = form_fields(client.get("/editeur/").data.decode(), "reponses")
    posted = {
        "csrf": fields["csrf"],
        "version": fields["version"],
        "classeur": (io.BytesIO(buffer.getvalue()), "rempli.xlsx"),
    }
    imported = client.post("/editeur/import", data=posted, content_type="multipart/form-data")
    assert imported.status_code == 302, imported.data.decode()[:2000]
    after = load_questionnaire(path, catalogue).as_written
    assert after.reponses[TLC]["ETH.17.1"] == before.reponses[TLC]["ETH.17.1"]
    confirmed = [Reprise(referentiel=TLC, exigence="CE-TLC-06", confirmee=True)]
    assert after.reponses[IA]["CE-IA-04"].reprise == confirmed
    assert after.model_copy(update={"reponses": {}}) == before.model_copy(update={"reponses": {}})
