"""Finding one's way in the terminal: check in one pass, profil oui / non, reasons and counts that read right."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from cens_eval.engine.evaluation import evaluate
from cens_eval.loader.profil import load_profil
from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.versions import REGLES

from .builders import questionnaire, referentiel
from .conftest import QUESTIONNAIRES
from .test_cli_questionnaire import PROFIL


@pytest.fixture
def blank(run_cli, tmp_path: Path) -> Path:
    """A questionnaire as ``questionnaire init`` writes it: identity and every answer empty."""
    profil = tmp_path / "profil.yaml"
    profil.write_text(yaml.safe_dump(PROFIL), "utf-8")
    out = tmp_path / "questionnaire.yaml"
    result = run_cli("questionnaire", "init", "--profil", str(profil), "-o", str(out))
    assert result.code == 0, result.stderr
    return out


def _in_scope(path: Path) -> list[tuple[str, str]]:
    data = yaml.safe_load(path.read_text("utf-8"))
    return [(ref, ex) for ref, answers in data["reponses"].items() for ex in answers]


def test_check_of_a_blank_template_lists_every_missing_answer_at_once(run_cli, blank: Path) -> None:
    result = run_cli("questionnaire", "check", str(blank), "--as-of", "2026-11-22")
    assert result.code == 1, result.stderr  # pas prêt, not unreadable
    lines = result.stderr.splitlines()
    for name in ("nom de l'éditeur", "nom de la solution", "version de la solution"):
        assert sum(f"{name} à renseigner" in line for line in lines) == 1, name
    exigences = _in_scope(blank)
    assert len(exigences) > 20
    for ref, exigence in exigences:
        assert any(f"{ref} › Exigence {exigence}: réponse manquante" in line for line in lines)
    to_confirm = blank.read_text("utf-8").count("confirmee: false")  # pre-filled, partial link
    assert sum("non comptée" in line for line in lines) == to_confirm
    assert len(lines) == 3 + len(exigences) + to_confirm
    assert all(line.startswith(f"{blank}:") for line in lines)
    assert f"pas prêt ({len(lines)} point(s) à corriger)" in result.stdout


def test_evaluate_still_refuses_what_check_lists_as_identity_to_give(run_cli, blank: Path) -> None:
    result = run_cli("evaluate", str(blank), "--as-of", "2026-11-22")
    assert result.code == 2
    assert "editeur › nom: texte vide" in result.stderr


def test_check_still_refuses_what_cannot_be_read(run_cli, blank: Path) -> None:
    text = blank.read_text("utf-8").replace("  utilise_ia: true", "  utilise_ia: peut-être")
    blank.write_text(text, "utf-8")
    result = run_cli("questionnaire", "check", str(blank))
    assert result.code == 2
    assert "valeur « peut-être » impossible pour utilise_ia" in result.stderr
    assert "attendu oui ou non (ou true, false)" in result.stderr


@pytest.mark.parametrize(("written", "read"), [("oui", True), ("non", False)])
def test_profil_answers_oui_non_in_a_profil_and_a_questionnaire(
    catalogue: Catalogue, blank: Path, written: str, read: bool
) -> None:
    profil = blank.parent / "profil.yaml"
    profil.write_text(f"utilise_ia: {written}\naudience: patients\n", "utf-8")
    assert load_profil(profil, catalogue.vocabulaire) == {
        "utilise_ia": read,
        "audience": "patients",
    }
    text = blank.read_text("utf-8").replace("  utilise_ia: true", f"  utilise_ia: {written}")
    blank.write_text(text, "utf-8")
    loaded = load_questionnaire(blank, catalogue, identity_as_gaps=True)
    assert loaded.questionnaire.profil["utilise_ia"] is read


@pytest.mark.parametrize("written", ["Oui", "NON", "o", '"true"', "1", "vrai"])
def test_profil_refuses_any_other_word_with_its_line(
    run_cli, catalogue: Catalogue, blank: Path, written: str
) -> None:
    text = blank.read_text("utf-8").replace("  utilise_ia: true", f"  utilise_ia: {written}")
    blank.write_text(text, "utf-8")
    line = text.splitlines().index(f"  utilise_ia: {written}") + 1
    result = run_cli("questionnaire", "check", str(blank))
    assert result.code == 2
    assert result.stderr.startswith(f"{blank}:{line}: profil › utilise_ia: ")


def test_hors_perimetre_reason_states_the_profil_answer(catalogue: Catalogue) -> None:
    path = Path(__file__).parent / "data" / "questionnaires" / "base" / "questionnaire.yaml"
    q = load_questionnaire(path, catalogue)
    day = dt.date(2026, 11, 22)
    args = (q.questionnaire, q.referentiels)
    now = evaluate(*args, as_of=day, vocabulaire=catalogue.vocabulaire)
    before = evaluate(*args, as_of=day, vocabulaire=catalogue.vocabulaire, regles=REGLES[1])
    raisons = {e.id: e.raison for r in now.referentiels for e in r.hors_perimetre}
    earlier = {e.id: e.raison for r in before.referentiels for e in r.hors_perimetre}
    ia = "« La solution intègre-t-elle un système d'intelligence artificielle"
    assert q.questionnaire.profil["utilise_ia"] is False
    assert raisons["ETH.17.1"].startswith(f"hors périmètre : le profil répond non à {ia}")
    assert raisons["ETH.17.1"].endswith("(la condition demande oui)")
    # rules v1 keep their wording, so that an earlier dossier is reproduced byte for byte
    assert earlier["ETH.17.1"].startswith("hors périmètre : condition non remplie par le profil — ")
    assert earlier["ETH.17.1"].endswith("? » = oui")
    # a condition over several questions names each answer the profil gave
    assert raisons["ETHT.01"].startswith("hors périmètre : condition non remplie — (")
    assert raisons["ETHT.01"].count(" = non") == 2


def test_a_non_conforme_verdict_lists_what_is_missing_without_a_but(run_cli) -> None:
    base = Path(__file__).parent / "data" / "questionnaires" / "base" / "questionnaire.yaml"
    result = run_cli("evaluate", str(base), "--as-of", "2026-11-22")
    assert result.code == 1
    assert "teleconsultation 1.5.1 — verdict : NON CONFORME — 17 exigences sans réponse" in (
        result.stdout
    )
    assert "NON CONFORME — mais" not in result.stdout


def test_a_conforme_verdict_with_a_missing_preuve_says_but(run_cli) -> None:
    medilink = QUESTIONNAIRES / "teleconsult-medilink" / "questionnaire.yaml"
    result = run_cli("evaluate", str(medilink), "--as-of", "2026-11-22")
    assert "ia-sante 2024-03 — verdict : CONFORME — mais 1 preuve obligatoire manquante" in (
        result.stdout
    )


def test_the_counts_beside_the_verdict_and_the_score_add_up(run_cli) -> None:
    base = Path(__file__).parent / "data" / "questionnaires" / "base" / "questionnaire.yaml"
    result = run_cli("evaluate", str(base), "--as-of", "2026-11-22")
    lines = result.stdout.splitlines()
    verdict = next(line for line in lines if "exigence(s) obligatoire(s) sur" in line)
    mandatory = int(verdict.split(" sur ")[1].split()[0])
    ensemble = next(line for line in lines if line.strip().startswith("Ensemble"))
    counted = int(ensemble.split("(")[1].split(")")[0])
    (shown,) = [line for line in lines if line.startswith("  Obligatoires : ")]
    assert shown == (
        f"  Obligatoires : {mandatory} applicables, {counted} comptées au score, "
        f"{mandatory - counted} exclue : ETH.09.1 (non applicable justifié)"
    )


@pytest.mark.parametrize(
    ("version", "said"),
    [
        (2, "ne s'applique pas au profil : le profil répond non à « La solution intègre-t-elle"),
        (1, "ne s'applique pas au profil (« La solution intègre-t-elle"),
    ],
)
def test_a_referentiel_not_applying_says_the_profil_answer_under_rules_v2(
    catalogue: Catalogue, version: int, said: str
) -> None:
    ref = referentiel(
        [{"id": "E", "principe": "autonomie", "niveau": "exigence"}],
        applicable_si={"question": "utilise_ia", "equals": True},
    )
    q = questionnaire({"utilise_ia": False}, {})
    evaluation = evaluate(
        q,
        [ref],
        as_of=dt.date(2026, 11, 22),
        vocabulaire=catalogue.vocabulaire,
        regles=REGLES[version],
    )
    (skipped,) = evaluation.referentiels_non_applicables
    assert skipped.raison.startswith(said)
