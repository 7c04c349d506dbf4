"""CLI: questionnaire init / check and evaluate, with their exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

from cens_eval.model.catalogue import Catalogue

BASE = Path(__file__).parent / "data" / "questionnaires" / "base"
PROFIL = {
    "si_teleconsultation": True,
    "utilise_ia": True,
    "ia_aide_decision": True,
    "ia_conversationnelle_patient": True,
    "ia_concue_par_editeur": False,
    "enregistre_teleconsultations": False,
    "reutilisation_secondaire": False,
    "mise_en_relation": True,
    "mise_en_relation_sans_rdv": False,
    "interface_web_ou_mobile": True,
    "audience": "mixte",
}


@pytest.fixture
def profil_file(tmp_path: Path) -> Path:
    path = tmp_path / "profil.yaml"
    path.write_text(yaml.safe_dump(PROFIL), "utf-8")
    return path


def _fill_everything(template: Path, catalogue: Catalogue) -> None:
    """Answer every exigence of a YAML template conforme (or non applicable) with all its preuves."""
    data = yaml.safe_load(template.read_text("utf-8"))
    data["editeur"]["nom"] = "Éditeur"
    data["solution"].update(nom="Solution", version="1")
    (template.parent / "preuve.pdf").write_bytes(b"%PDF preuve")
    for ref_id, answers in data["reponses"].items():
        ref = catalogue.get(ref_id)
        assert ref is not None
        for exigence_id in answers:
            exigence = ref.exigence(exigence_id)
            assert exigence is not None
            from cens_eval.model.applicability import Portee, scope

            if scope(exigence, data["profil"]) is Portee.NON_APPLICABLE_A_JUSTIFIER:
                assert exigence.non_applicable is not None
                expected, statut = exigence.non_applicable.preuves, "non_applicable"
            else:
                expected, statut = exigence.preuves, "conforme"
            preuves = []
            for p in expected:
                if p.type.value == "mesure":
                    preuves.append({"attendue": p.id, "valeur": 80})
                elif p.type.value == "url":
                    preuves.append({"attendue": p.id, "url": "https://exemple.example/preuve"})
                elif p.type.value == "declaration":
                    preuves.append({"attendue": p.id, "declaration": "Nous le déclarons."})
                else:
                    preuves.append({"attendue": p.id, "fichier": "preuve.pdf"})
                if exigence.age_max_de(p.id):  # a preuve with a maximum age is dated
                    preuves[-1]["date"] = "2026-10-01"
            answers[exigence_id] = {
                "statut": statut,
                "justification": "Justifié.",
                "preuves": preuves,
            }
    template.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")


def test_init_then_fill_everything_evaluates_conforme(
    run_cli, profil_file: Path, tmp_path: Path, catalogue
) -> None:
    out = tmp_path / "q" / "questionnaire.yaml"
    result = run_cli("questionnaire", "init", "--profil", str(profil_file), "-o", str(out))
    assert result.code == 0, result.stderr
    text = out.read_text("utf-8")
    assert "# preuve " in text and "ETH.09.1" in text
    assert "CE-IA-" in text  # the IA référentiel applies to this profil
    _fill_everything(out, catalogue)
    assert run_cli("questionnaire", "check", str(out), "--as-of", "2026-11-22").code == 0
    result = run_cli("evaluate", str(out), "--as-of", "2026-11-22")
    assert result.code == 0, result.stdout + result.stderr
    assert result.stdout.count("verdict : CONFORME") == 2
    assert "— mais" not in result.stdout  # complete: the verdict stands alone


def test_init_holds_exactly_the_in_scope_exigences(
    run_cli, profil_file: Path, tmp_path: Path, catalogue
) -> None:
    from cens_eval.model.applicability import Portee, scope

    out = tmp_path / "t.yaml"
    assert run_cli("questionnaire", "init", "--profil", str(profil_file), "-o", str(out)).code == 0
    data = yaml.safe_load(out.read_text("utf-8"))
    ref = catalogue.get("teleconsultation")
    expected = [e.id for e in ref.exigences if scope(e, PROFIL) is not Portee.HORS_PERIMETRE]
    assert list(data["reponses"]["teleconsultation"]) == expected
    assert "lgc" not in data["reponses"]


def test_init_xlsx_has_one_row_per_in_scope_exigence(
    run_cli, profil_file: Path, tmp_path: Path, catalogue
) -> None:
    yaml_out, xlsx_out = tmp_path / "t.yaml", tmp_path / "t.xlsx"
    assert (
        run_cli("questionnaire", "init", "--profil", str(profil_file), "-o", str(yaml_out)).code
        == 0
    )
    assert (
        run_cli("questionnaire", "init", "--profil", str(profil_file), "-o", str(xlsx_out)).code
        == 0
    )
    data = yaml.safe_load(yaml_out.read_text("utf-8"))
    wb = openpyxl.load_workbook(xlsx_out)
    for ref_id, answers in data["reponses"].items():
        ids = [row[0].value for row in wb[ref_id].iter_rows(min_row=2) if row[0].value]
        assert ids == list(answers)


def test_init_refuses_to_overwrite_without_force(
    run_cli, profil_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "t.yaml"
    out.write_text("précieux", "utf-8")
    result = run_cli("questionnaire", "init", "--profil", str(profil_file), "-o", str(out))
    assert result.code == 2
    assert "existe déjà" in result.stderr
    assert out.read_text("utf-8") == "précieux"


def test_init_without_profil_off_terminal_is_a_usage_error(run_cli, tmp_path: Path) -> None:
    result = run_cli("questionnaire", "init", "-o", str(tmp_path / "t.yaml"))
    assert result.code == 2
    assert "--profil" in result.stderr


def test_check_lists_what_is_missing(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "q"
    shutil.copytree(BASE, folder)
    result = run_cli(
        "questionnaire", "check", str(folder / "questionnaire.yaml"), "--as-of", "2026-11-22"
    )
    assert result.code == 1
    assert "Exigence ETH.12: réponse manquante" in result.stderr
    assert "pas prêt" in result.stdout


def test_check_reports_overdue_engagements(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "q"
    shutil.copytree(BASE, folder)
    path = folder / "questionnaire.yaml"
    text = path.read_text("utf-8").replace(
        "      statut: conforme\n",
        "      statut: partiellement_conforme\n      justification: en cours\n"
        "      engagement: {action: Finir l'écran, echeance: 2026-01-31}\n",
    )
    path.write_text(text, "utf-8")
    result = run_cli("questionnaire", "check", str(path), "--as-of", "2026-11-22")
    assert "engagement « Finir l'écran » dépassé depuis le 31/01/2026" in result.stderr


def test_evaluate_exit_codes_and_json(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "q"
    shutil.copytree(BASE, folder)
    path = folder / "questionnaire.yaml"
    result = run_cli("evaluate", str(path), "--as-of", "2026-11-22")
    assert result.code == 1
    assert "verdict : NON CONFORME" in result.stdout and "Exigences bloquantes" in result.stdout
    as_json = run_cli("evaluate", str(path), "--as-of", "2026-11-22", "--format", "json")
    data = json.loads(as_json.stdout)
    assert data["as_of"] == "2026-11-22"
    assert data["referentiels"][0]["verdict"] == "non_conforme"
    path.write_text(path.read_text("utf-8").replace("ETH.08:", "ETH.8:"), "utf-8")
    broken = run_cli("evaluate", str(path))
    assert broken.code == 2
    assert "Traceback" not in broken.stderr and f"{path}:21:" in broken.stderr
    assert run_cli("evaluate", str(path), "--as-of", "22/11/2026").code == 2


def test_evaluate_same_inputs_same_output(run_cli) -> None:
    path = BASE / "questionnaire.yaml"
    first = run_cli("evaluate", str(path), "--as-of", "2026-11-22", "--format", "json").stdout
    second = run_cli("evaluate", str(path), "--as-of", "2026-11-22", "--format", "json").stdout
    assert first == second


def test_internal_error_exits_3(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import cens_eval.loader.questionnaire as module

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(module, "load_questionnaire", boom)
    result = run_cli("evaluate", str(BASE / "questionnaire.yaml"))
    assert result.code == 3
    assert "erreur interne" in result.stderr


def test_init_keeps_only_the_referentiels_named_and_refuses_an_unknown_one(
    run_cli, profil_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ia.yaml"
    result = run_cli(
        "questionnaire", "init", "--profil", str(profil_file), "--referentiel", "ia-sante",
        "-o", str(out),
    )  # fmt: skip
    assert result.code == 0, result.stderr
    written = yaml.safe_load(out.read_text("utf-8"))
    assert [r["id"] for r in written["referentiels"]] == ["ia-sante"]
    assert list(written["reponses"]) == ["ia-sante"]
    unknown = run_cli(
        "questionnaire", "init", "--profil", str(profil_file), "--referentiel", "inconnu",
        "-o", str(tmp_path / "x.yaml"),
    )  # fmt: skip
    assert unknown.code == 2
    assert "référentiel inconnu : inconnu (disponibles : " in unknown.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_init_takes_the_latest_version_of_a_named_referentiel(
    run_cli, profil_file: Path, tmp_path: Path
) -> None:
    from .versions import make_version_16

    v16 = make_version_16(tmp_path)  # teleconsultation 1.5.1 and 1.6 side by side
    out = tmp_path / "t.yaml"
    result = run_cli(
        "--referentiels", str(v16.folder), "questionnaire", "init", "--profil", str(profil_file),
        "--referentiel", "teleconsultation", "-o", str(out),
    )  # fmt: skip
    assert result.code == 0, result.stderr
    written = yaml.safe_load(out.read_text("utf-8"))
    assert written["referentiels"] == [{"id": "teleconsultation", "version": "1.6"}]
