"""Dated preuves: a maximum age set by the référentiel, read at the evaluation date."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from pydantic import ValidationError

from cens_eval.engine.evaluation import evaluate
from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.duree import ajouter, duree_texte
from cens_eval.model.questionnaire import Periode, PreuveFournie
from cens_eval.model.referentiel import PreuveAttendue
from cens_eval.model.versions import REGLES
from cens_eval.render.questionnaire_xlsx import render_questionnaire_xlsx
from tests.conftest import QUESTIONNAIRES

AS_OF = dt.date(2026, 11, 22)
MEDILINK = QUESTIONNAIRES / "teleconsult-medilink"
ECOSCORE = ("reponses", "teleconsultation", "ETH.32", "preuves")


def _medilink(tmp_path: Path, edit=None) -> Path:
    """A copy of the MediLink example, its answers changed by ``edit`` (the data, in place)."""
    target = tmp_path / "medilink"
    shutil.copytree(MEDILINK, target)
    path = target / "questionnaire.yaml"
    if edit is not None:
        data = yaml.safe_load(path.read_text("utf-8"))
        edit(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def _date_ecoscore(day: str | None):
    def edit(data: dict) -> None:
        for preuve in data["reponses"]["teleconsultation"]["ETH.32"]["preuves"]:
            preuve.pop("date", None)
            if day is not None:
                preuve["date"] = day

    return edit


def _eth32(evaluation):
    tele = next(r for r in evaluation.referentiels if r.id == "teleconsultation")
    return tele, next(e for e in tele.exigences if e.id == "ETH.32")


def test_an_ecoscore_two_years_old_counts_as_missing_with_its_date_named(
    tmp_path: Path, catalogue: Catalogue, run_cli
) -> None:
    path = _medilink(tmp_path, _date_ecoscore("2024-11-22"))
    loaded = load_questionnaire(path, catalogue)
    tele, eth32 = _eth32(evaluate(loaded.questionnaire, loaded.referentiels, as_of=AS_OF))
    assert not eth32.satisfaite
    assert eth32.resultat.value == "preuves_manquantes"
    assert eth32.preuves_manquantes == ["ecoscore-teleconsultation", "resultat-ecoscore"]
    assert "ETH.32" in {b.id for b in tele.bloquantes}
    text = " ".join(eth32.explication)
    assert "datée du 22/11/2024" in text and "âge maximal 1 an" in text
    assert "expirée depuis le 23/11/2025" in text
    result = run_cli("evaluate", str(path), "--as-of", "2026-11-22", "--format", "json")
    assert result.code == 1
    shown = json.loads(result.stdout)
    expired = [e for e in shown["echeances"] if e["categorie"] == "preuve_expiree"]
    assert [(e["exigence"], e["date"]) for e in expired] == [("ETH.32", "2025-11-22")]
    assert "expirée(s) depuis le 23/11/2025" in expired[0]["explication"]  # the day after the last


def test_rules_v1_never_read_the_age_of_a_preuve(tmp_path: Path, catalogue: Catalogue) -> None:
    loaded = load_questionnaire(_medilink(tmp_path, _date_ecoscore("2020-01-01")), catalogue)
    evaluation = evaluate(loaded.questionnaire, loaded.referentiels, as_of=AS_OF, regles=REGLES[1])
    _, eth32 = _eth32(evaluation)
    assert eth32.satisfaite and eth32.ages == []
    assert evaluation.valide_jusqu_au is None


def test_a_valid_preuve_says_until_when_and_lists_its_renewal(tmp_path: Path, run_cli) -> None:
    out = tmp_path / "dossier"
    result = run_cli(
        "evaluate", str(MEDILINK / "questionnaire.yaml"), "--as-of", "2026-11-22", "-o", str(out)
    )
    assert result.code == 1, result.stderr  # the example is non conforme for other reasons
    dossier = json.loads((out / "dossier.json").read_text("utf-8"))
    assert dossier["valide_jusqu_au"] == "2027-10-09"
    tele = next(r for r in dossier["resultats"] if r["id"] == "teleconsultation")
    eth32 = next(e for e in tele["exigences"] if e["id"] == "ETH.32")
    assert eth32["satisfaite"] and eth32["valide_jusqu_au"] == "2027-10-09"
    assert {p["date"] for p in eth32["preuves"]} == {"2026-10-09"}
    renewals = [e for e in dossier["echeances"] if e["categorie"] == "preuve_a_renouveler"]
    assert [(e["exigence"], e["date"]) for e in renewals] == [("ETH.32", "2027-10-09")]
    assert "à renouveler au plus tard le 09/10/2027" in renewals[0]["explication"]
    synthese = openpyxl.load_workbook(out / "dossier.xlsx").worksheets[0]
    rows = {row[0]: row[1] for row in synthese.iter_rows(values_only=True) if row[0]}
    assert rows["Valable jusqu’au"] == dt.datetime(2027, 10, 9)
    text = run_cli("evaluate", str(MEDILINK / "questionnaire.yaml"), "--as-of", "2026-11-22")
    assert "Valable jusqu'au 09/10/2027 (première preuve datée à renouveler)" in text.stdout


def test_a_preuve_dated_after_the_evaluation_is_refused_at_its_line(
    tmp_path: Path, run_cli
) -> None:
    path = _medilink(tmp_path, _date_ecoscore("2026-12-01"))
    for extra in ([], ["-o", str(tmp_path / "d")]):
        result = run_cli("evaluate", str(path), "--as-of", "2026-11-22", *extra)
        assert result.code == 2
        assert "Traceback" not in result.stderr
        assert f"{path}:" in result.stderr and "ETH.32" in result.stderr
        assert "datée du 01/12/2026, après la date d'évaluation (22/11/2026)" in result.stderr
    assert not (tmp_path / "d").exists()


def test_questionnaire_check_reports_an_undated_preuve_with_a_maximum_age(
    tmp_path: Path, run_cli
) -> None:
    path = _medilink(tmp_path, _date_ecoscore(None))
    result = run_cli("questionnaire", "check", str(path), "--as-of", "2026-11-22")
    assert result.code == 1
    undated = [line for line in result.stderr.splitlines() if "preuve non datée" in line]
    assert len(undated) == 4 and all("ETH.32" in line for line in undated)
    assert "âge maximal à 1 an (P1Y)" in undated[0]


def test_dates_and_periods_read_back_exactly_from_the_workbook(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    def edit(data: dict) -> None:
        preuves = data["reponses"]["teleconsultation"]["ETH.32"]["preuves"]
        preuves[1]["periode"] = {"debut": "2026-09-01", "fin": "2026-09-30"}
        preuves[2]["fichier"] = "date 2026-01-01"  # a file named like a date stays a file
        preuves[2].pop("valeur")
        preuves[2]["attendue"] = "resultat-ecoscore"

    path = _medilink(tmp_path, edit)
    (path.parent / "date 2026-01-01").write_bytes(b"rapport")
    from_yaml = load_questionnaire(path, catalogue)
    q = from_yaml.as_written
    twin = path.parent / "questionnaire.xlsx"
    twin.write_bytes(
        render_questionnaire_xlsx(q.profil, from_yaml.referentiels, catalogue.vocabulaire, q)
    )
    from_xlsx = load_questionnaire(twin, catalogue)
    assert from_xlsx.as_written == q
    read = from_xlsx.as_written.reponses["teleconsultation"]["ETH.32"].preuves
    assert read[1].periode == Periode(debut=dt.date(2026, 9, 1), fin=dt.date(2026, 9, 30))
    assert read[2].fichier == "date 2026-01-01" and read[2].date == dt.date(2026, 10, 9)


def test_a_period_ending_before_it_begins_is_refused() -> None:
    with pytest.raises(ValidationError, match="la fin précède le début"):
        PreuveFournie.model_validate(
            {
                "attendue": "x",
                "fichier": "a.pdf",
                "periode": {"debut": "2026-02-01", "fin": "2026-01-01"},
            }
        )


def test_the_age_counts_from_the_end_of_the_period_when_the_preuve_has_no_date() -> None:
    preuve = PreuveFournie(
        attendue="x",
        fichier="a.pdf",
        periode=Periode(debut=dt.date(2025, 1, 1), fin=dt.date(2025, 3, 31)),
    )
    assert preuve.datee_du == dt.date(2025, 3, 31)


@pytest.mark.parametrize(
    ("day", "duree", "last"),
    [
        (dt.date(2024, 2, 29), "P1Y", dt.date(2025, 2, 28)),
        (dt.date(2026, 1, 31), "P1M", dt.date(2026, 2, 28)),
        (dt.date(2026, 11, 15), "P1Y6M", dt.date(2028, 5, 15)),
        (dt.date(2026, 1, 1), "P2W3D", dt.date(2026, 1, 18)),
        (dt.date(9999, 1, 1), "P1Y", dt.date.max),
    ],
)
def test_a_maximum_age_is_added_in_calendar_years_months_and_days(day, duree, last) -> None:
    assert ajouter(day, duree) == last


def test_a_maximum_age_is_an_iso_duration_in_words() -> None:
    assert duree_texte("P1Y6M") == "1 an et 6 mois"
    assert duree_texte("P2Y") == "2 ans"
    for wrong in ("1 an", "P", "PT12H", "P1.5Y"):
        with pytest.raises(ValidationError, match="durée ISO 8601"):
            PreuveAttendue(id="x", type="document", libelle="x", age_max=wrong)


def test_an_impossible_date_in_the_preuves_cell_is_refused_at_its_cell(
    tmp_path: Path, catalogue: Catalogue, run_cli
) -> None:
    path = _medilink(tmp_path)
    loaded = load_questionnaire(path, catalogue)
    q = loaded.as_written
    twin = path.parent / "questionnaire.xlsx"
    twin.write_bytes(
        render_questionnaire_xlsx(q.profil, loaded.referentiels, catalogue.vocabulaire, q)
    )
    wb = openpyxl.load_workbook(twin)
    found = [
        (ws, cell)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and "resultat-ecoscore : " in cell.value
    ]
    ((ws, cell),) = found
    cell.value = cell.value.replace("date 2026-10-09", "date 2026-02-30", 1)
    wb.save(twin)
    result = run_cli("questionnaire", "check", str(twin), "--as-of", "2026-11-22")
    assert result.code == 2 and "Traceback" not in result.stderr
    assert f"{ws.title}!{cell.coordinate}" in result.stderr and "date" in result.stderr


def test_a_changed_maximum_age_is_named_by_the_referentiel_diff(catalogue: Catalogue) -> None:
    from cens_eval.engine.diff import exigence_changes

    shipped = catalogue.get("teleconsultation", "1.5.1")
    assert shipped is not None
    eth32 = shipped.exigence("ETH.32")
    assert eth32 is not None
    longer = eth32.model_copy(update={"age_max": "P2Y"})
    assert [m.description for m in exigence_changes(eth32, longer)] == [
        "âge maximal des preuves : P1Y → P2Y"
    ]
