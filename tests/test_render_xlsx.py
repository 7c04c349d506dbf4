from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from cens_eval.dossier.pipeline import evaluate_to_dossier
from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.dossier import Dossier
from cens_eval.model.vocabulary import (
    PRINCIPE_LABELS,
    RESULTAT_LABELS,
    VERDICT_LABELS,
    Niveau,
    Principe,
    Resultat,
)
from cens_eval.render.xlsx import (
    AMBER,
    EXIGENCE_COLUMNS,
    GREEN,
    GREY_BLUE,
    RED,
    RESULTAT_COLOURS,
    render_xlsx,
)

BASE = Path(__file__).parent / "data" / "questionnaires" / "base" / "questionnaire.yaml"


@pytest.fixture(scope="module")
def dossier(catalogue: Catalogue) -> Dossier:
    loaded = load_questionnaire(BASE, catalogue)
    _, dossier = evaluate_to_dossier(
        loaded, catalogue, as_of=dt.date(2026, 11, 22), tool_version="0.0.0"
    )
    return dossier


@pytest.fixture(scope="module")
def data(dossier: Dossier) -> bytes:
    return render_xlsx(dossier)


@pytest.fixture(scope="module")
def wb(data: bytes) -> Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _values(wb: Workbook) -> dict[str, list[tuple[object, ...]]]:
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb}


def test_sheet_names(wb: Workbook, dossier: Dossier) -> None:
    refs = [r.id for r in dossier.resultats]
    assert wb.sheetnames == ["Synthèse", *refs, "Preuves", "Plan d'action", "Échéances"]


def test_synthese_shows_identity_and_verdicts(wb: Workbook, dossier: Dossier) -> None:
    rows = {r[0]: r for r in wb["Synthèse"].iter_rows(values_only=True) if r[0]}
    assert rows["Éditeur"][1] == dossier.editeur.nom
    assert rows["Date d’évaluation"][1].date() == dossier.as_of
    assert rows["Conclusion"][1] == ("CONFORME" if dossier.conforme else "NON CONFORME")
    for r in dossier.resultats:
        preparation = dossier.preparation.du_referentiel(r.id).resume() or "complet"
        expected = (r.version, VERDICT_LABELS[r.verdict], preparation, len(r.bloquantes))
        assert rows[r.id][1:5] == expected  # what the verdict must not hide, beside it
    assert len(wb["Synthèse"]._charts) == len(dossier.resultats)


def test_synthese_principle_table_equals_rounded_scores(wb: Workbook, dossier: Dossier) -> None:
    ws = wb["Synthèse"]
    header = next(c.row for c in ws["A"] if c.value == "Principe")
    for index, r in enumerate(dossier.resultats):
        first = 2 + 4 * index
        assert ws.cell(header - 1, first).value == r.id
        scores = {(s.principe, s.niveau): s for s in r.scores}
        for row, principe in enumerate([*Principe, None], start=header + 1):
            label = PRINCIPE_LABELS[principe] if principe else "Ensemble"
            assert ws.cell(row, 1).value == label
            for offset, niveau in ((0, Niveau.EXIGENCE), (2, Niveau.PRECONISATION)):
                score = scores[(principe, niveau)]
                cell = ws.cell(row, first + offset)
                expected = float(score.score) if score.score is not None else "—"
                assert cell.value == expected, (r.id, label, niveau)
                assert ws.cell(row, first + offset + 1).value == len(score.comptees)


def test_referentiel_sheet_rows_labels_and_fills(wb: Workbook, dossier: Dossier) -> None:
    for r in dossier.resultats:
        ws = wb[r.id]
        assert ws.freeze_panes == "A2"
        last_column = get_column_letter(len(EXIGENCE_COLUMNS))
        assert ws.auto_filter.ref == f"A1:{last_column}{len(r.exigences) + 1}"
        header = [c.value for c in ws[1]]
        col = header.index("Résultat") + 1
        rows = list(ws.iter_rows(min_row=2))
        assert [row[0].value for row in rows] == [e.id for e in r.exigences]
        for row, e in zip(rows, r.exigences, strict=True):
            cell = row[col - 1]
            assert cell.value == RESULTAT_LABELS[e.resultat]
            assert cell.fill.fgColor.rgb.endswith(RESULTAT_COLOURS[e.resultat])
            assert row[header.index("Satisfaite")].value == ("oui" if e.satisfaite else "non")


def test_resultat_colours() -> None:
    assert RESULTAT_COLOURS[Resultat.CONFORME] == GREEN
    assert RESULTAT_COLOURS[Resultat.NON_APPLICABLE_JUSTIFIE] == GREY_BLUE
    assert RESULTAT_COLOURS[Resultat.PREUVES_MANQUANTES] == AMBER
    assert RESULTAT_COLOURS[Resultat.PARTIELLEMENT_CONFORME] == AMBER
    for red in (Resultat.NON_CONFORME, Resultat.SANS_REPONSE, Resultat.NON_APPLICABLE_NON_JUSTIFIE):
        assert RESULTAT_COLOURS[red] == RED


def test_preuves_lists_every_hash(wb: Workbook, dossier: Dossier) -> None:
    hashes = {row[3] for row in wb["Preuves"].iter_rows(min_row=2, values_only=True)}
    assert dossier.manifeste
    assert {p.sha256 for p in dossier.manifeste} <= hashes
    assert dossier.questionnaire.sha256 in hashes
    assert dossier.vocabulaire_profil.sha256 in hashes
    assert {r.sha256 for r in dossier.referentiels} <= hashes


def test_plan_lists_exactly_the_gaps_mandatory_first(wb: Workbook, dossier: Dossier) -> None:
    rows = list(wb["Plan d'action"].iter_rows(min_row=2, values_only=True))
    gaps = {(r.id, e.id) for r in dossier.resultats for e in r.exigences if not e.satisfaite}
    assert gaps
    levels = [row[3] for row in rows]
    assert levels == sorted(levels, key=lambda level: level != "Exigence")
    assert {(row[0], row[1]) for row in rows} == gaps
    assert len(rows) == len(gaps)


def test_two_renders_have_identical_cells(dossier: Dossier, data: bytes) -> None:
    again = render_xlsx(dossier)
    first = openpyxl.load_workbook(io.BytesIO(data))
    second = openpyxl.load_workbook(io.BytesIO(again))
    assert _values(first) == _values(second)
    assert second.properties.created == second.properties.modified == dt.datetime(2026, 11, 22)
    assert again == data


def test_formula_like_text_stays_text(dossier: Dossier) -> None:
    formula = '=HYPERLINK("http://exemple.invalid","clic")'
    resultat = dossier.resultats[0]
    first = resultat.exigences[0].model_copy(update={"justification": formula})
    edited = dossier.model_copy(
        update={
            "resultats": [
                resultat.model_copy(update={"exigences": [first, *resultat.exigences[1:]]}),
                *dossier.resultats[1:],
            ]
        }
    )
    ws = openpyxl.load_workbook(io.BytesIO(render_xlsx(edited)))[resultat.id]
    header = [c.value for c in ws[1]]
    cell = ws.cell(2, header.index("Justification") + 1)
    assert cell.data_type == "s"
    assert cell.value == formula


def test_a_workbook_is_refused_rather_than_written_by_another_xml_writer(tmp_path: Path) -> None:
    """openpyxl imported with lxml before cens_eval would write other bytes: said, not done."""
    script = (
        "import openpyxl, datetime as dt\n"
        "import cens_eval\n"
        "from cens_eval.render.xlsx_cells import workbook_bytes\n"
        "try:\n"
        "    workbook_bytes(openpyxl.Workbook(), dt.datetime(2026, 11, 22))\n"
        "except RuntimeError as error:\n"
        "    print(error)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENPYXL_LXML"}
    ran = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    assert "importer cens_eval avant openpyxl" in ran.stdout
    later = script.replace(
        "import openpyxl, datetime as dt\nimport cens_eval\n",
        "import cens_eval\nimport openpyxl, datetime as dt\n",
    )
    ran = subprocess.run(
        [sys.executable, "-c", later], capture_output=True, text=True, env=env, check=True
    )
    assert ran.stdout == ""  # cens_eval first: its writer, the bytes the command writes
