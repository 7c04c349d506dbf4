"""The éditeur's journey: prepare, check, convert and evaluate as a product manager would.

Built on the shipped LGC example (CabinetPlus): honest gaps, an overdue engagement, an
unanswered préconisation, and its YAML and workbook twins.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.model.catalogue import Catalogue

from .builders import answered

LGC = Path(__file__).resolve().parent.parent / "questionnaires" / "lgc-cabinetplus"
AS_OF = "2026-09-01"
OVERDUE = "echeance: 2026-06-30"


@pytest.fixture
def lgc(tmp_path: Path) -> Path:
    folder = tmp_path / "lgc"
    shutil.copytree(LGC, folder)
    return folder


def _honest(folder: Path) -> Path:
    """The LGC questionnaire with every gap declared honestly and no engagement overdue."""
    path = folder / "questionnaire.yaml"
    text = path.read_text("utf-8").replace(OVERDUE, "echeance: 2027-06-30")
    text = text.replace(
        "reponses:\n  lgc:\n",
        "reponses:\n  lgc:\n    CE-LGC-22:\n      statut: non_conforme\n"
        "      justification: Aucun contrôle des fonctions de tri n'a encore été mené.\n",
    )
    path.write_text(text, "utf-8")
    return path


def _points(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "avertissement" not in line]


def test_honest_non_conforme_answers_with_their_files_are_ready(run_cli, lgc: Path) -> None:
    path = _honest(lgc)
    result = run_cli("questionnaire", "check", str(path), "--as-of", AS_OF)
    assert result.code == 0, result.stderr
    assert f"{path} : prêt à être soumis." in result.stdout
    # The dossier still says which mandatory preuves it does not hold, beside the verdict.
    result = run_cli("evaluate", str(path), "--as-of", AS_OF)
    assert "verdict : CONFORME — mais 4 preuves obligatoires manquantes" in result.stdout


def test_evidence_file_not_yet_in_its_folder_is_a_point_not_a_refusal(run_cli, lgc: Path) -> None:
    path = _honest(lgc)
    (lgc / "preuves" / "procedure-information-mises-a-jour.md").unlink()
    lines = path.read_text("utf-8").splitlines()
    line = 1 + next(i for i, x in enumerate(lines) if "procedure-information-mises-a-jour" in x)
    result = run_cli("questionnaire", "check", str(path), "--as-of", AS_OF)
    assert result.code == 1, result.stderr
    assert _points(result.stderr) == [
        f"{path}:{line}: lgc › Exigence CE-LGC-02 › preuves › 1 › fichier: fichier de preuve "
        "introuvable : « preuves/procedure-information-mises-a-jour.md »"
    ]
    assert "pas prêt (1 point(s) à corriger)" in result.stdout
    # One rule for check and evaluate: evaluated, the preuve counted as not given, the point shown.
    result = run_cli("evaluate", str(path), "--as-of", AS_OF, "--format", "json")
    assert result.code in (0, 1), result.stderr
    assert (
        f"{path}:{line}: avertissement : lgc › Exigence CE-LGC-02 › preuves › 1 › fichier: "
        "fichier de preuve introuvable"
    ) in result.stderr
    lgc_result = next(r for r in json.loads(result.stdout)["referentiels"] if r["id"] == "lgc")
    ce_lgc_02 = next(e for e in lgc_result["exigences"] if e["id"] == "CE-LGC-02")
    assert "procedure-information-mises-a-jour" not in json.dumps(ce_lgc_02["preuves_fournies"])


def test_workbook_points_follow_the_rows_at_the_cell_to_fix(run_cli, lgc: Path) -> None:
    path = lgc / "questionnaire.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["lgc"]
    assert ws["A3"].value == "CE-LGC-02" and ws["A19"].value == "CE-LGC-22"
    ws["H3"] = None  # a partial answer without its justification
    wb.save(path)
    result = run_cli("questionnaire", "check", str(path), "--as-of", AS_OF)
    assert result.code == 1
    points = _points(result.stderr)
    assert [p.split(": ")[0] for p in points] == [
        f"{path}:lgc!H3",
        f"{path}:lgc!K17",
        f"{path}:lgc!G19",
    ]
    assert points[0].endswith("justification obligatoire pour le statut « Partiellement conforme »")
    assert points[1].endswith("dépassé depuis le 30/06/2026")
    assert points[2].endswith("Exigence CE-LGC-22: réponse manquante")


def test_unknown_statut_in_a_workbook_names_the_dropdown_labels(run_cli, lgc: Path) -> None:
    path = lgc / "questionnaire.xlsx"
    wb = openpyxl.load_workbook(path)
    wb["lgc"]["G3"] = "partiel"
    wb.save(path)
    result = run_cli("questionnaire", "check", str(path), "--as-of", AS_OF)
    assert result.code == 2
    assert _points(result.stderr) == [
        f"{path}:lgc!G3: lgc › Exigence CE-LGC-02 › statut: « partiel » n'est pas un statut ; "
        "choisir « Conforme », « Partiellement conforme », « Non conforme », « Non applicable »"
    ]


def test_sworn_statement_typed_in_a_workbook_is_not_a_file_name(run_cli, lgc: Path) -> None:
    path = lgc / "questionnaire.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["lgc"]
    row = next(r for r in range(2, ws.max_row + 1) if ws[f"A{r}"].value == "CE-LGC-05")
    cell = f"I{row}"
    typed = "Je soussigné, gérant, atteste que le personnel est tenu au secret"
    ws[cell] = str(ws[cell].value).replace(
        "attestation-confidentialite : preuves/attestation-confidentialite.pdf",
        f"attestation-confidentialite : {typed}",
    )
    assert typed in ws[cell].value
    wb.save(path)
    result = run_cli("questionnaire", "check", str(path), "--as-of", AS_OF)
    assert result.code == 1
    assert "introuvable" not in result.stderr
    assert any(
        p.startswith(f"{path}:lgc!{cell}: ")
        and p.endswith("attestation sur l'honneur : joindre le fichier signé")
        for p in _points(result.stderr)
    )


@pytest.mark.parametrize("target", ["q.yaml", "q.json"])
def test_convert_workbook_to_text_keeps_every_answer(
    run_cli, lgc: Path, catalogue: Catalogue, target: str
) -> None:
    out = lgc / target
    result = run_cli("questionnaire", "convert", str(lgc / "questionnaire.xlsx"), "-o", str(out))
    assert result.code == 0, result.stderr
    # in YAML, an exigence left blank keeps the template's empty fields: an empty answer, no answer
    converted = answered(load_questionnaire(out, catalogue).as_written)
    workbook = load_questionnaire(lgc / "questionnaire.xlsx", catalogue)
    assert converted == answered(workbook.as_written)
    assert converted == answered(
        load_questionnaire(LGC / "questionnaire.yaml", catalogue).as_written
    )


def test_convert_yaml_to_json_and_back(run_cli, lgc: Path, catalogue: Catalogue) -> None:
    as_json, as_yaml = lgc / "q.json", lgc / "q2.yaml"
    assert (
        run_cli(
            "questionnaire", "convert", str(lgc / "questionnaire.yaml"), "-o", str(as_json)
        ).code
        == 0
    )
    assert json.loads(as_json.read_text("utf-8"))["reponses"]["lgc"]["CE-LGC-20"]["statut"] == (
        "non_conforme"
    )
    assert run_cli("questionnaire", "convert", str(as_json), "-o", str(as_yaml)).code == 0
    original = load_questionnaire(lgc / "questionnaire.yaml", catalogue).questionnaire
    assert answered(load_questionnaire(as_yaml, catalogue).questionnaire) == answered(original)


def test_convert_never_overwrites_the_questionnaire_read(run_cli, lgc: Path) -> None:
    path = lgc / "questionnaire.yaml"
    before = path.read_bytes()
    result = run_cli("questionnaire", "convert", str(path), "-o", str(path), "--force")
    assert result.code == 2
    assert path.read_bytes() == before


def test_lgc_verdict_states_what_it_must_not_hide(run_cli, lgc: Path) -> None:
    out = lgc.parent / "dossier"
    result = run_cli("evaluate", str(lgc / "questionnaire.yaml"), "--as-of", AS_OF, "-o", str(out))
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert (
        "lgc ce-0.1 — verdict : CONFORME — mais 1 engagement dépassé, 1 exigence sans réponse, "
        "3 preuves obligatoires manquantes"
    ) in lines
    assert "  Engagements dépassés : CE-LGC-20 (échéance 30/06/2026)" in lines
    assert "  Sans réponse : CE-LGC-22" in lines
    assert (
        "  Preuves obligatoires manquantes : CE-LGC-20 (declaration-accessibilite), "
        "CE-LGC-27 (grille-rgesn), CE-LGC-29 (rapport-empreinte)"
    ) in lines
    preparation = json.loads((out / "dossier.json").read_text("utf-8"))["preparation"]
    assert [p["exigence"] for p in preparation["engagements_depasses"]] == ["CE-LGC-20"]
    assert [p["exigence"] for p in preparation["sans_reponse"]] == ["CE-LGC-22"]
    assert [(p["exigence"], p["preuves"]) for p in preparation["preuves_manquantes"]] == [
        ("CE-LGC-20", ["declaration-accessibilite"]),
        ("CE-LGC-27", ["grille-rgesn"]),
        ("CE-LGC-29", ["rapport-empreinte"]),
    ]


def test_unanswered_exigences_are_counted_beside_the_verdict(run_cli, lgc: Path) -> None:
    path = _honest(lgc)
    text = path.read_text("utf-8")
    for exigence in ("CE-LGC-20", "CE-LGC-27", "CE-LGC-29"):  # gaps dropped from the answers
        start = text.index(f"    {exigence}:\n")
        end = text.find("\n    CE-LGC-", start + 1)
        text = text[:start] + (text[end + 1 :] if end >= 0 else "")
    path.write_text(text, "utf-8")
    result = run_cli("evaluate", str(path), "--as-of", AS_OF)
    assert "lgc ce-0.1 — verdict : CONFORME — mais 3 exigences sans réponse" in result.stdout
    assert "lgc ce-0.1 — verdict : CONFORME\n" not in result.stdout


def test_future_engagements_are_listed_under_echeances(run_cli, lgc: Path) -> None:
    out = lgc.parent / "dossier"
    result = run_cli("evaluate", str(lgc / "questionnaire.yaml"), "--as-of", AS_OF, "-o", str(out))
    echeances = result.stdout.split("Échéances\n", 1)[1].splitlines()
    assert "  30/06/2026  lgc CE-LGC-20 — engagement en retard : " in "\n".join(echeances)
    # More than a year ahead still listed: the éditeur's own promise.
    assert any(
        x.startswith("  30/09/2027  lgc CE-LGC-27 — engagement à venir : ") for x in echeances
    )
    dossier = json.loads((out / "dossier.json").read_text("utf-8"))
    ahead = [e for e in dossier["echeances"] if e["categorie"] == "engagement_a_venir"]
    assert ("CE-LGC-27", "2027-09-30") in [(e["exigence"], e["date"]) for e in ahead]
    assert all(e["date"] >= AS_OF for e in ahead)


PANEL_PROFIL = {
    "si_teleconsultation": True,
    "utilise_ia": False,
    "enregistre_teleconsultations": False,
    "reutilisation_secondaire": True,
    "mise_en_relation": False,
    "mise_en_relation_sans_rdv": False,
    "interface_web_ou_mobile": True,
    "audience": "mixte",
}
THRESHOLD = "taille-panel (mesure en patients, seuil : au moins 10 patients, facultative)"


def test_thresholds_are_shown_in_the_template_and_the_referentiel(run_cli, tmp_path: Path) -> None:
    profil = tmp_path / "profil.json"
    profil.write_text(json.dumps(PANEL_PROFIL), "utf-8")
    out = tmp_path / "q.yaml"
    result = run_cli("questionnaire", "init", "--profil", str(profil), "-o", str(out))
    assert result.code == 0, result.stderr
    assert f"# preuve {THRESHOLD}" in out.read_text("utf-8")
    shown = run_cli("referentiels", "show", "teleconsultation").stdout
    assert f"    preuve {THRESHOLD} : " in shown


def test_init_without_a_terminal_says_how_to_give_the_profil(
    run_cli, tmp_path: Path, catalogue: Catalogue
) -> None:
    result = run_cli("questionnaire", "init", "-o", str(tmp_path / "q.yaml"))
    assert result.code == 2
    assert "--modele-profil profil.yaml" in result.stderr
    assert "« utilise_ia: true »" in result.stderr
    template = tmp_path / "profil.yaml"
    assert run_cli("questionnaire", "init", "--modele-profil", str(template)).code == 0
    text = template.read_text("utf-8")
    for question in catalogue.vocabulaire.questions:
        assert f"\n{question.id}:\n" in text
        if question.aide:
            assert question.aide.split()[0] in text
    # Left unanswered, each question is named at its line.
    result = run_cli(
        "questionnaire", "init", "--profil", str(template), "-o", str(tmp_path / "q.yaml")
    )
    assert result.code == 2
    assert f"{template}:" in result.stderr
    assert "réponse manquante à utilise_ia (attendu oui ou non (ou true, false))" in result.stderr


def test_prompts_show_each_question_with_its_help(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, catalogue: Catalogue
) -> None:
    from cens_eval.cli import main
    from tests.conftest import REFERENTIELS

    monkeypatch.setenv("CENS_EVAL_REFERENTIELS", str(REFERENTIELS))
    answers = []
    for question in catalogue.vocabulaire.questions:
        if question.choix:
            answers.append("professionnels")
        else:
            answers.append("oui" if question.id == "logiciel_gestion_cabinet" else "non")
    out = tmp_path / "q.yaml"
    runner = CliRunner()
    with runner.isolation(input="\n".join(answers) + "\n") as (stdout, _, _):
        monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
        code = main(["questionnaire", "init", "-o", str(out)])
        shown = stdout.getvalue().decode()
    assert code == 0, shown
    with_help = [q for q in catalogue.vocabulaire.questions if q.aide]
    assert with_help
    for question in with_help:
        at = shown.index(question.libelle)
        assert f"Aide : {question.aide}" in shown[:at]
    assert "lgc" in out.read_text("utf-8")


def test_conditions_and_profil_answers_are_named_by_their_questions(
    run_cli, catalogue: Catalogue, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    out = tmp_path / "lgc"
    args = ["evaluate", str(LGC / "questionnaire.yaml"), "--as-of", "2026-11-22", "-o", str(out)]
    assert run_cli(*args).code in (0, 1)
    data = json.loads((out / "dossier.json").read_text("utf-8"))
    question = catalogue.vocabulaire.question("reutilisation_secondaire")
    assert question is not None
    reasons = [x["raison"] for r in data["resultats"] for x in r["hors_perimetre"]]
    assert reasons, "the LGC profil leaves exigences out of scope"
    assert any(f"le profil répond non à « {question.libelle} »" in r for r in reasons), reasons
    assert not any("reutilisation_secondaire" in r for r in reasons)
    assert data["questions_profil"]["reutilisation_secondaire"] == question.libelle
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(out / "dossier.pdf").pages).split()
    )
    assert "Les données sont-elles réutilisées" in text
