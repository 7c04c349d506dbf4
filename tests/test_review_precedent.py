"""``review init --precedent``: exigences unchanged since the previous review marked, avis suggested."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

from .versions import copy_medilink

AS_OF = "2026-11-22"


def _evaluate(run_cli, questionnaire: Path, out: Path) -> None:
    result = run_cli("evaluate", str(questionnaire), "--as-of", AS_OF, "-o", str(out))
    assert result.code in (0, 1), result.stderr


def _fill(data: dict, avis: dict[str, tuple[str, str]]) -> dict:
    data["evaluateur"] = {"nom": "Claire Martin"}
    data["date"] = "2026-11-25"
    for ref in data["avis"].values():
        for exigence_id in ref:
            given, comment = avis.get(exigence_id, ("valide", None))
            ref[exigence_id] = {"avis": given, "commentaire": comment}
    return data


@pytest.fixture
def followed(run_cli, tmp_path: Path) -> tuple[Path, Path, str]:
    """MediLink 4.2 reviewed (ETH.08 not validated), then 4.3 with one justification rewritten
    and the Écoscore report of ETH.32 dated a week earlier (same outcome, another date)."""
    source = copy_medilink(tmp_path)
    _evaluate(run_cli, source, tmp_path / "4.2")
    template = tmp_path / "revue-4.2.yaml"
    assert run_cli("review", "init", str(tmp_path / "4.2"), "-o", str(template)).code == 0
    data = _fill(
        yaml.safe_load(template.read_text("utf-8")),
        {"ETH.08": ("non_valide", "La capture ne montre pas le choix EHPAD.")},
    )
    template.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    applied = run_cli(
        "review", "apply", str(tmp_path / "4.2"), str(template), "-o", str(tmp_path / "4.2-revu"),
        "--formats", "json",
    )  # fmt: skip
    assert applied.code == 0, applied.stderr
    dossier = json.loads((tmp_path / "4.2" / "dossier.json").read_text("utf-8"))
    tele = next(r for r in dossier["resultats"] if r["id"] == "teleconsultation")
    changed = next(
        e["id"]
        for e in tele["exigences"]
        if e["justification"] and e["id"] not in ("ETH.08", "ETH.32")
    )
    answers = yaml.safe_load(source.read_text("utf-8"))
    answers["solution"]["version"] = "4.3"
    answers["reponses"]["teleconsultation"][changed]["justification"] = "Réécrite pour la 4.3."
    for preuve in answers["reponses"]["teleconsultation"]["ETH.32"]["preuves"]:
        if preuve["attendue"] == "resultat-ecoscore":
            preuve["date"] -= dt.timedelta(days=7)
    newer = source.with_name("q43.yaml")
    newer.write_text(yaml.safe_dump(answers, allow_unicode=True, sort_keys=False), "utf-8")
    _evaluate(run_cli, newer, tmp_path / "4.3")
    return tmp_path / "4.2-revu", tmp_path / "4.3", changed


def _entry(text: str, exigence: str) -> tuple[str, str]:
    """The comments of one exigence's entry in a YAML review template (unwrapped), its avis line."""
    lines = text.splitlines()
    key = lines.index(f"    {json.dumps(exigence)}:")
    start = key
    while lines[start - 1].startswith("    #"):
        start -= 1
    return " ".join(line.removeprefix("    # ") for line in lines[start:key]), lines[key + 1]


def test_unchanged_exigences_are_marked_and_the_changed_one_is_not(
    run_cli, followed, tmp_path: Path
) -> None:
    precedent, dossier, changed = followed
    out = tmp_path / "revue-4.3.yaml"
    result = run_cli("review", "init", str(dossier), "-o", str(out), "--precedent", str(precedent))
    assert result.code == 0, result.stderr
    text = out.read_text("utf-8")
    mine, avis = _entry(text, changed)
    assert "Inchangée" not in mine and avis == "      avis:"
    assert "Changée depuis la revue du 25/11/2026 : modifié sans effet (cause : réponse)" in mine
    assert "avis précédent « Validé », résultat retenu : conforme, à revoir." in mine
    other = next(
        e
        for e in yaml.safe_load(text)["avis"]["teleconsultation"]
        if e not in (changed, "ETH.08", "ETH.32")
    )
    kept, avis = _entry(text, other)
    assert "Inchangée depuis la revue du 25/11/2026 : avis précédent « Validé »" in kept
    assert avis == "      avis:  # suggestion (revue précédente) : valide"
    rejected, avis = _entry(text, "ETH.08")
    assert "Inchangée depuis" in rejected and avis.endswith(": non_valide")
    assert "avis précédent « Non validé »" in rejected
    assert "La capture ne montre pas le choix EHPAD." in rejected
    exigences = sum(len(r) for r in yaml.safe_load(text)["avis"].values())
    assert f"dont {exigences - 2} inchangée(s) depuis la revue précédente" in result.stdout
    redated, avis = _entry(text, "ETH.32")
    assert "Changée depuis la revue du 25/11/2026 : date ou période d'une preuve" in redated
    assert avis == "      avis:"

    # the template is still a review to fill: nothing is validated by the suggestion alone
    data = yaml.safe_load(text)
    assert all(
        v == {"avis": None, "commentaire": None} for v in data["avis"]["teleconsultation"].values()
    )
    out.write_text(yaml.safe_dump(_fill(data, {}), allow_unicode=True), "utf-8")
    applied = run_cli(
        "review", "apply", str(dossier), str(out), "-o", str(tmp_path / "4.3-revu"),
        "--formats", "json",
    )  # fmt: skip
    assert applied.code == 0, applied.stderr


def test_the_workbook_template_marks_them_in_its_last_column(
    run_cli, followed, tmp_path: Path
) -> None:
    precedent, dossier, changed = followed
    out = tmp_path / "revue-4.3.xlsx"
    result = run_cli("review", "init", str(dossier), "-o", str(out), "--precedent", str(precedent))
    assert result.code == 0, result.stderr
    wb = openpyxl.load_workbook(out)
    sheet = wb["teleconsultation"]
    header = [c.value for c in sheet[1]]
    assert header[-1] == "Depuis la revue précédente (review init --precedent)"
    marks = {row[0]: row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert marks[changed].startswith("Changée depuis la revue du 25/11/2026")
    assert marks["ETH.08"].startswith("Inchangée depuis la revue du 25/11/2026")
    assert sum(1 for m in marks.values() if m.startswith("Inchangée")) == len(marks) - 2
    assert "Revue précédente" in wb["Instructions"]["A3"].value
    ws = wb["Évaluateur"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "evaluateur.nom":
            row[2].value = "Claire Martin"
        elif row[0].value == "date":
            row[2].value = "2026-11-25"
    for row in sheet.iter_rows(min_row=2):
        row[7].value = "Validé"
    wb.save(out)
    applied = run_cli(
        "review", "apply", str(dossier), str(out), "-o", str(tmp_path / "4.3-revu"),
        "--formats", "json",
    )  # fmt: skip
    assert applied.code == 0, applied.stderr


def test_without_precedent_the_workbook_has_no_such_column(run_cli, followed, tmp_path) -> None:
    _, dossier, _ = followed
    out = tmp_path / "revue.xlsx"
    assert run_cli("review", "init", str(dossier), "-o", str(out)).code == 0
    header = [c.value for c in openpyxl.load_workbook(out)["teleconsultation"][1]]
    assert header[-1] == "Résultat évalué (si non validé)"


def test_a_precedent_not_reviewed_is_refused(run_cli, followed, tmp_path: Path) -> None:
    _, dossier, _ = followed
    result = run_cli(
        "review", "init", str(dossier), "-o", str(tmp_path / "r.yaml"),
        "--precedent", str(tmp_path / "4.2"),
    )  # fmt: skip
    assert result.code == 2
    assert "doit être une copie revue" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "r.yaml").exists()


def test_a_tampered_precedent_is_refused(run_cli, followed, tmp_path: Path) -> None:
    precedent, dossier, _ = followed
    altered = tmp_path / "altered"
    shutil.copytree(precedent, altered)
    revue = altered / "revue.json"
    revue.write_text(
        revue.read_text("utf-8").replace("Claire Martin", "Claire Martine", 1), "utf-8"
    )
    result = run_cli(
        "review", "init", str(dossier), "-o", str(tmp_path / "r.yaml"),
        "--precedent", str(altered),
    )  # fmt: skip
    assert result.code == 2, result.stderr
    assert "altéré" in result.stderr
    assert not (tmp_path / "r.yaml").exists()


def test_a_precedent_of_another_solution_is_refused(run_cli, followed, tmp_path: Path) -> None:
    precedent, _, _ = followed
    other = tmp_path / "nutrisante"
    source = Path(__file__).parents[1] / "questionnaires" / "app-nutrisante" / "questionnaire.yaml"
    _evaluate(run_cli, source, other)
    result = run_cli(
        "review", "init", str(other), "-o", str(tmp_path / "r.yaml"), "--precedent", str(precedent)
    )
    assert result.code == 2
    assert "non comparables" in result.stderr
