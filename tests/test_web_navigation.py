"""Finding one's way in the browser: the index of exigences, jumps, saves that land in place,
questions that appear only when they apply, and the evaluator's list of dossiers (axe clean)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import cens_eval

from .test_web_browser import axe_source, browser, no_violation

__all__ = ["axe_source", "browser"]  # fixtures shared with the journeys' tests

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
TELECONSULTATION = ROOT / "questionnaires" / "teleconsult-medilink"


def _serve(ws: Path) -> Iterator[str]:
    from cens_eval.web.app import create_app
    from cens_eval.web.security import HOSTS_KEY, served_hosts
    from cens_eval.web.server import make_server

    app = create_app(ws, cens_eval.load_referentiels(), secret="navigation")
    httpd = make_server(app, "127.0.0.1", 0)
    app.config[HOSTS_KEY] = served_hosts(httpd.effective_port)
    thread = threading.Thread(target=httpd.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.effective_port}"
    httpd.close()


@pytest.fixture()
def filled(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The application over the téléconsultation example (48 exigences in scope)."""
    ws = tmp_path / "espace"
    shutil.copytree(TELECONSULTATION, ws)
    for base in _serve(ws):
        yield base, ws


@pytest.fixture()
def blank(tmp_path: Path) -> Iterator[str]:
    """The application over an empty workspace: the profil is still to answer."""
    ws = tmp_path / "vide"
    ws.mkdir()
    yield from _serve(ws)


def _in_view(d, element) -> bool:  # type: ignore[no-untyped-def]
    return bool(
        d.execute_script(
            "const r = arguments[0].getBoundingClientRect();"
            "return r.top >= -2 && r.top < window.innerHeight;",
            element,
        )
    )


def test_index_to_the_30th_exigence_and_back_in_two_clicks(browser, filled, axe_source) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    base, _ = filled
    d = browser
    d.get(base + "/editeur/")
    no_violation(d, axe_source)
    cut = d.execute_script(  # at 1,400 px, each score table stays inside its panel
        "return Array.from(document.querySelectorAll('#panneau-score table')).filter(t =>"
        " t.getBoundingClientRect().right > t.closest('.panneau').getBoundingClientRect().right"
        ").length;"
    )
    assert cut == 0
    links = d.find_elements(By.CSS_SELECTOR, "#index ol.index a")
    assert len(links) >= 30
    target = links[29].get_attribute("href").split("#", 1)[1]
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", links[29])
    links[29].click()  # first click: the 30th exigence
    exigence = d.find_element(By.ID, target)
    assert d.current_url.endswith("#" + target)
    assert _in_view(d, exigence)
    exigence.find_element(By.LINK_TEXT, "Index").click()  # second click: back to the index
    assert d.current_url.endswith("#index")
    assert _in_view(d, d.find_element(By.ID, "titre-index"))
    following = exigence.find_element(By.PARTIAL_LINK_TEXT, "Suivante")
    assert (
        following.get_attribute("href").split("#", 1)[1]
        == links[30].get_attribute("href").split("#", 1)[1]
    )


def test_a_save_lands_at_the_exigence_with_its_message(browser, filled, axe_source) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    base, ws = filled
    d = browser
    d.get(base + "/editeur/")
    target = d.find_elements(By.CSS_SELECTOR, "#index ol.index a")[29]
    anchor = target.get_attribute("href").split("#", 1)[1]
    exigence = d.find_element(By.ID, anchor)
    status = Select(exigence.find_element(By.CSS_SELECTOR, "select[name$='__statut']"))
    name = exigence.find_element(By.CSS_SELECTOR, "select[name$='__statut']").get_attribute("name")
    chosen = (
        "non_conforme"
        if status.first_selected_option.get_attribute("value") != "non_conforme"
        else "partiellement_conforme"
    )
    status.select_by_value(chosen)
    exigence.find_element(By.NAME, name.replace("__statut", "__justification")).send_keys(
        " Écart reconnu."
    )
    button = exigence.find_element(By.CSS_SELECTOR, "button[value=enregistrer]")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    assert d.current_url.endswith("#" + anchor)
    landed = d.find_element(By.ID, anchor)
    assert "Réponses enregistrées" in landed.text  # the message where the user is looking
    assert _in_view(d, landed.find_element(By.CSS_SELECTOR, ".message"))
    ref, exigence_id = name.split("__")[:2]
    saved = cens_eval.load_questionnaire(ws / "questionnaire.yaml", cens_eval.load_referentiels())
    assert saved.as_written.reponses[ref][exigence_id].statut.value == chosen
    no_violation(d, axe_source)


def test_conditional_questions_and_preuves_appear_only_when_they_apply(
    browser, blank, axe_source
) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    d = browser
    d.get(blank + "/editeur/")
    no_violation(d, axe_source)
    contact, name = d.find_element(By.ID, "editeur_contact"), d.find_element(By.ID, "editeur_nom")
    assert contact.size["width"] > 1.8 * name.size["width"]  # an e-mail address fits
    sub = d.find_element(By.CSS_SELECTOR, "fieldset[data-question=ia_aide_decision]")
    assert not sub.is_displayed()
    d.find_element(By.CSS_SELECTOR, "input[name=profil__utilise_ia][value=oui]").click()
    WebDriverWait(d, 10).until(lambda _: sub.is_displayed())
    d.find_element(By.CSS_SELECTOR, "input[name=profil__utilise_ia][value=non]").click()
    WebDriverWait(d, 10).until(lambda _: not sub.is_displayed())
    assert sub.get_attribute("disabled") is not None  # hidden, hence never sent

    for field, value in (
        ("editeur_nom", "MediLink Santé SAS"),
        ("solution_nom", "MediLink Consult"),
        ("solution_version", "4.2"),
    ):
        d.find_element(By.ID, field).send_keys(value)
    d.find_element(By.CSS_SELECTOR, "input[name=profil__si_teleconsultation][value=oui]").click()
    _answer_what_is_asked(d)
    d.find_element(By.XPATH, "//button[text()='Enregistrer le profil']").click()
    WebDriverWait(d, 20).until(lambda _: d.current_url.endswith("#enregistrer-profil"))
    assert "Profil enregistré" in d.find_element(By.ID, "enregistrer-profil").text
    assert not d.find_element(
        By.CSS_SELECTOR, "fieldset[data-question=ia_aide_decision]"
    ).is_displayed()

    na = d.find_element(By.CSS_SELECTOR, "fieldset.preuve[data-statut=non_applicable]")
    status = Select(d.find_element(By.NAME, na.get_attribute("data-pour")))
    assert not na.is_displayed()
    status.select_by_value("non_applicable")
    assert na.is_displayed()
    status.select_by_value("conforme")
    assert not na.is_displayed()
    no_violation(d, axe_source)


def _answer_what_is_asked(d) -> None:  # type: ignore[no-untyped-def]
    """Answer « non » (or the first choice) to each question shown, as they appear."""
    import time

    for _ in range(30):
        time.sleep(0.5)  # the questions shown follow each answer
        answered = d.execute_script(
            "const open = Array.from(document.querySelectorAll('fieldset[data-question]'))"
            "  .filter(f => !f.hidden && !f.querySelector('input:checked'));"
            "if (!open.length) { return false; }"
            "const radio = open[0].querySelector('input[value=non]')"
            "  || open[0].querySelector('input[type=radio]');"
            "radio.click(); return true;"
        )
        if not answered:
            return
    raise AssertionError("des questions de profil apparaissent sans fin")


def test_the_evaluator_chooses_a_dossier_by_who_what_and_where_it_stands(
    browser, filled, axe_source
) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from selenium.webdriver.common.by import By

    base, ws = filled
    catalogue = cens_eval.load_referentiels()
    loaded = cens_eval.load_questionnaire(ws / "questionnaire.yaml", catalogue)
    produced = cens_eval.produce_dossier(loaded, catalogue, as_of=dt.date(2026, 11, 22))
    cens_eval.write_dossier(ws / "dossiers" / "dossier-2026-11-22", produced)
    d = browser
    d.get(base + "/evaluateur/")
    row = d.find_element(By.CSS_SELECTOR, "table.dossiers tbody tr").text
    for shown in (
        "MediLink Santé SAS",
        "MediLink Consult 4.2",
        "22/11/2026",
        "NON CONFORME",
        "à revoir",
    ):
        assert shown in row
    no_violation(d, axe_source)
    d.find_element(By.LINK_TEXT, "dossier-2026-11-22").click()
    panel = d.find_element(By.ID, "panneau-revue").text
    assert "Aucun avis encore" in panel
    assert "Favorable" not in panel
    no_violation(d, axe_source)
