"""Both journeys in headless Chromium (Selenium), and axe-core on every page: no violation."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import cens_eval

from .conftest import missing_tool

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "questionnaires" / "app-nutrisante"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
AXE_CORE = "4.14.1"
"""The axe-core release the accessibility checks run (pinned: a new rule must be a decision)."""


@pytest.fixture(scope="session")
def axe_source(tmp_path_factory: pytest.TempPathFactory) -> str:
    npm = shutil.which("npm")
    if npm is None:
        missing_tool("npm absent : axe-core ne peut pas être installé")
    where = tmp_path_factory.mktemp("axe")
    done = subprocess.run(
        [
            npm,
            "install",
            "--silent",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(where),
            f"axe-core@{AXE_CORE}",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    script = where / "node_modules" / "axe-core" / "axe.min.js"
    if done.returncode != 0 or not script.is_file():
        missing_tool(
            f"axe-core n'a pas pu être installé depuis npm (réseau ?) : {done.stderr[-300:]}"
        )
    return script.read_text("utf-8")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if BROWSER is None or not Path(DRIVER).is_file():
        missing_tool("chromium et chromium-driver absents : tests dans le navigateur ignorés")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = BROWSER
    profile = tempfile.mkdtemp(prefix="cens-chromium-")
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1400,1000",
    ):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": profile})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    from cens_eval.web.app import create_app
    from cens_eval.web.security import HOSTS_KEY, served_hosts
    from cens_eval.web.server import make_server

    ws = tmp_path / "espace"
    shutil.copytree(EXAMPLE, ws)
    app = create_app(ws, cens_eval.load_referentiels(), secret="navigateur")
    httpd = make_server(app, "127.0.0.1", 0)  # the server cens-eval serve runs
    app.config[HOSTS_KEY] = served_hosts(httpd.effective_port)  # the port is known once bound
    thread = threading.Thread(target=httpd.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.effective_port}", ws
    httpd.close()


def no_violation(driver, axe: str) -> None:  # type: ignore[no-untyped-def]
    driver.execute_script(axe)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))));"
    )
    assert result == [], f"{driver.current_url}: {result}"


def test_editeur_then_evaluateur(browser, server, axe_source: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    base, ws = server
    d = browser
    d.get(base + "/")
    no_violation(d, axe_source)
    d.get(base + "/editeur/")
    no_violation(d, axe_source)
    status = d.find_element(By.CSS_SELECTOR, "select[name$='__statut']")
    name = status.get_attribute("name")
    panel_before = d.find_element(By.ID, "panneau-score").text
    Select(status).select_by_value("non_conforme")
    WebDriverWait(d, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda x: x.find_element(By.ID, "panneau-score").text != panel_before
    )
    upload = d.find_element(By.CSS_SELECTOR, "input[type=file]")
    evidence = ws.parent / "capture.png"
    evidence.write_bytes(b"\x89PNG preuve")
    upload.send_keys(str(evidence))
    d.find_element(By.CSS_SELECTOR, "button[value=enregistrer]").click()
    assert "Réponses enregistrées" in d.page_source
    assert (ws / "preuves" / "capture.png").is_file()
    assert "non_conforme" in (ws / "questionnaire.yaml").read_text("utf-8")
    assert (
        Select(d.find_element(By.NAME, name)).first_selected_option.get_attribute("value")
        == "non_conforme"
    )
    d.save_screenshot(str(ROOT / "docs" / "serve-editeur.png")) if (
        ROOT / "docs"
    ).is_dir() else None
    no_violation(d, axe_source)
    d.execute_script("arguments[0].value = '2026-11-22'", d.find_element(By.ID, "dossier_as_of"))
    d.find_element(By.XPATH, "//button[text()='Produire le dossier']").click()
    WebDriverWait(d, 30, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda x: "Dossier produit" in x.find_element(By.TAG_NAME, "main").text
    )
    dossier = ws / "dossiers" / "dossier-2026-11-22"
    assert cens_eval.verify_dossier(dossier).intact
    _same_as_the_library(ws, dossier)
    link = d.find_element(By.PARTIAL_LINK_TEXT, "télécharger")
    assert link.get_attribute("href").endswith(".zip")

    d.get(base + "/evaluateur/")
    no_violation(d, axe_source)
    d.find_element(By.LINK_TEXT, "dossier-2026-11-22").click()
    assert "Dossier intact" in d.page_source
    no_violation(d, axe_source)
    for select in d.find_elements(By.CSS_SELECTOR, "select[name$='__avis']"):
        Select(select).select_by_value("valide")
    d.find_element(By.ID, "evaluateur_nom").send_keys("Claire Martin")
    WebDriverWait(d, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda x: "Exigences sans avis : 0" in x.find_element(By.ID, "panneau-revue").text
    )  # the panel is replaced as each avis comes back: a stale read is read again
    d.find_element(By.CSS_SELECTOR, "button[value=produire]").click()
    WebDriverWait(d, 60, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda x: "Dossier revu produit" in x.find_element(By.TAG_NAME, "main").text
    )
    assert (ws / "dossiers-revus" / "dossier-2026-11-22-revu" / "revue.pdf").is_file()
    no_violation(d, axe_source)


def _same_as_the_library(ws: Path, dossier: Path) -> None:
    """The dossier the browser produced is the one the library (and so the CLI) writes."""
    import datetime as dt

    catalogue = cens_eval.load_referentiels()
    loaded = cens_eval.load_questionnaire(ws / "questionnaire.yaml", catalogue)
    produced = cens_eval.produce_dossier(loaded, catalogue, as_of=dt.date(2026, 11, 22))
    library = ws.parent / "bibliotheque"
    cens_eval.write_dossier(library, produced)

    def files(folder: Path) -> dict[str, bytes]:
        return {
            p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*")
            if p.is_file()
        }

    assert files(dossier) == files(library)


@pytest.fixture()
def large_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The application over a questionnaire with 1,000 exigences in scope."""
    import sys

    import yaml

    from cens_eval.web.app import create_app
    from cens_eval.web.security import HOSTS_KEY, served_hosts
    from cens_eval.web.server import make_server

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synthetic

    refs = synthetic.referentiels_dir(tmp_path / "referentiels", 1000)
    ws = tmp_path / "espace"
    ws.mkdir()
    answers = synthetic.questionnaire(synthetic.referentiel(1000), 5)  # every exigence applies
    (ws / "questionnaire.yaml").write_text(yaml.safe_dump(answers, allow_unicode=True), "utf-8")
    (ws / "attestation.pdf").write_bytes(b"%PDF-1.4 attestation")
    app = create_app(ws, cens_eval.load_referentiels(refs), secret="navigateur")
    httpd = make_server(app, "127.0.0.1", 0)
    app.config[HOSTS_KEY] = served_hosts(httpd.effective_port)
    thread = threading.Thread(target=httpd.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.effective_port}", ws
    httpd.close()


def test_a_1000_exigence_questionnaire_is_answered_and_saved(browser, large_server) -> None:  # type: ignore[no-untyped-def]
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    base, ws = large_server
    d = browser
    d.get(base + "/editeur/")
    statuses = d.find_elements(By.CSS_SELECTOR, "select[name$='__statut']")
    assert len(statuses) == 1000  # all in scope for this profil: the form shows them all
    last = statuses[-1]
    name = last.get_attribute("name")
    d.execute_script("arguments[0].scrollIntoView()", last)
    panel_before = d.find_element(By.ID, "panneau-score").text
    before = Select(last).first_selected_option.get_attribute("value")
    chosen = "non_conforme" if before != "non_conforme" else "conforme"
    Select(last).select_by_value(chosen)
    WebDriverWait(d, 20, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda x: x.find_element(By.ID, "panneau-score").text != panel_before
    )
    assert "Erreur" not in d.find_element(By.ID, "panneau-score").text
    d.find_element(By.CSS_SELECTOR, "button[value=enregistrer]").click()
    WebDriverWait(d, 60, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda x: "Réponses enregistrées" in x.find_element(By.TAG_NAME, "main").text
    )
    ref, exigence = name.split("__")[:2]
    saved = cens_eval.load_questionnaire(ws / "questionnaire.yaml", _catalogue_of(ws))
    assert saved.as_written.reponses[ref][exigence].statut.value == chosen


def _catalogue_of(ws: Path):  # type: ignore[no-untyped-def]
    return cens_eval.load_referentiels(ws.parent / "referentiels")
