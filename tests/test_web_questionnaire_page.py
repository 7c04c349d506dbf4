"""The éditeur's page without a browser: the index, saves that return to the exigence acted on,
preuve inputs that follow the preuve's type, questions that apply, and the evaluator's list."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

import cens_eval
from cens_eval.web.app import create_app

from .test_web import AS_OF, EXAMPLE, form_fields, token


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "espace"
    shutil.copytree(EXAMPLE, ws)
    return ws


@pytest.fixture()
def client(workspace: Path):  # type: ignore[no-untyped-def]
    return create_app(workspace, cens_eval.load_referentiels(), secret="test").test_client()


def _fieldset(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    return html[start : html.index('<fieldset class="exigence"', start + 1)]


def test_the_index_lists_every_exigence_in_scope_with_its_state(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/editeur/").data.decode()
    nav = html[html.index('<nav id="index"') : html.index("</nav>", html.index('<nav id="index"'))]
    links = re.findall(r'<a href="#(ex-[^"]+)">', nav)
    fieldsets = re.findall(r'<fieldset class="exigence" id="(ex-[^"]+)"', html)
    assert links == fieldsets  # same exigences, same order as the form
    assert len(links) == 48
    assert 'href="#ex-teleconsultation-ETH.30"' in nav
    assert re.search(r'#ex-teleconsultation-ETH\.30">[^\n]*?<span class="etat bloquant">', nav)
    assert "Aller à l'index des exigences" in html
    assert "Points à régler" not in html  # one list only: « Reste à faire »
    assert html.count("Reste à faire avant de soumettre") == 1


def test_a_save_returns_to_the_exigence_with_its_message(client, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    fields = {**form_fields(client.get("/editeur/").data.decode(), "reponses"), "as_of": AS_OF}
    fields["teleconsultation__ETH.30__statut"] = "partiellement_conforme"
    sent = client.post(
        "/editeur/?ici=teleconsultation__ETH.30", data={**fields, "action": "enregistrer"}
    )
    assert sent.status_code == 302
    assert sent.headers["Location"].endswith(
        f"?as_of={AS_OF}&ici=teleconsultation__ETH.30#ex-teleconsultation-ETH.30"
    )
    html = client.get(sent.headers["Location"].split("#")[0]).data.decode()
    assert "Réponses enregistrées" in _fieldset(html, "ex-teleconsultation-ETH.30")
    assert html.count("Réponses enregistrées") == 1  # there, not at the top of the page
    assert "partiellement_conforme" in (workspace / "questionnaire.yaml").read_text("utf-8")


def test_a_place_that_is_not_on_the_page_is_ignored(client) -> None:  # type: ignore[no-untyped-def]
    fields = {**form_fields(client.get("/editeur/").data.decode(), "reponses"), "as_of": AS_OF}
    for wanted in ("teleconsultation__NOPE", "javascript:alert(1)", "ia-sante__ETH.30"):
        sent = client.post("/editeur/", data={**fields, "ici": wanted, "action": "enregistrer"})
        assert sent.headers["Location"] == f"/editeur/?as_of={AS_OF}"
        html = client.get(sent.headers["Location"]).data.decode()
        assert 'role="status">Réponses enregistrées' in html  # at the top, as before
        fields["version"] = form_fields(html, "reponses")["version"]


def test_preuve_inputs_follow_the_preuves_type(client) -> None:  # type: ignore[no-untyped-def]
    catalogue = cens_eval.load_referentiels()
    ref = catalogue.get("teleconsultation", "1.5.1")
    assert ref is not None
    html = client.get("/editeur/").data.decode()
    names = set(form_fields(html, "reponses")) | set(re.findall(r'name="([^"]+__upload)"', html))
    seen = set()
    for e in ref.exigences:
        for p in e.preuves:
            base = f"teleconsultation__{e.id}__preuve__{p.id}"
            if f"{base}__url" not in names and f"{base}__declaration" not in names:
                continue  # not in scope, or given in another form
            seen.add(p.type.value)
            if p.type.value == "url":
                assert f"{base}__declaration" not in names and f"{base}__upload" not in names
            if p.type.value == "declaration":
                assert f"{base}__url" not in names and f"{base}__upload" not in names
            if p.type.value == "document":
                assert f"{base}__upload" in names
    assert {"url", "declaration", "document"} <= seen


def test_a_non_applicability_preuve_is_hidden_unless_the_status_says_so(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/editeur/").data.decode()
    blocks = re.findall(r'<fieldset class="preuve" data-statut="non_applicable"[^>]*>', html)
    assert blocks
    assert all("hidden disabled" in b for b in blocks)  # none is claimed non applicable here


def test_the_profil_questions_that_apply_follow_the_answers(client) -> None:  # type: ignore[no-untyped-def]
    csrf = token(client)
    asked = client.post(
        "/editeur/profil/questions", data={"csrf": csrf, "profil__utilise_ia": "oui"}
    ).get_json()
    assert "ia_aide_decision" in asked
    asked = client.post(
        "/editeur/profil/questions", data={"csrf": csrf, "profil__utilise_ia": "non"}
    ).get_json()
    assert "ia_aide_decision" not in asked
    refused = client.post(
        "/editeur/profil/questions", data={"csrf": csrf, "profil__utilise_ia": "peut-être"}
    )
    assert refused.status_code == 400
    assert "répondre oui ou non" in refused.data.decode()


def test_dates_are_not_labelled_with_a_format_the_browser_does_not_show(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/editeur/").data.decode()
    assert 'type="date"' in html
    assert "AAAA-MM-JJ" not in html


def test_the_evaluator_index_and_a_panel_without_avis(client, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    catalogue = cens_eval.load_referentiels()
    loaded = cens_eval.load_questionnaire(workspace / "questionnaire.yaml", catalogue)
    produced = cens_eval.produce_dossier(loaded, catalogue, as_of=dt.date(2026, 11, 22))
    cens_eval.write_dossier(workspace / "dossiers" / "dossier-2026-11-22", produced)
    listing = client.get("/evaluateur/").data.decode()
    for shown in (
        "MediLink Santé SAS",
        "MediLink Consult 4.2",
        "22/11/2026",
        "teleconsultation : NON CONFORME",
        "à revoir",
    ):
        assert shown in listing
    page = client.get("/evaluateur/espace/dossier-2026-11-22/").data.decode()
    panel = page[page.index('id="panneau-revue"') :]
    assert "Aucun avis encore" in panel
    assert "Avis proposé :" not in panel
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    with_avis = client.post(
        "/evaluateur/espace/dossier-2026-11-22/apercu",
        data={"csrf": csrf, "teleconsultation__ETH.30__avis": "valide"},
    ).data.decode()
    assert "Avis proposé :" in with_avis
    assert "Aucun avis encore" not in with_avis


def test_only_the_profil_questions_that_apply_are_shown(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/editeur/").data.decode()

    def opening(question: str) -> str:
        return re.search(
            rf'<fieldset class="question" data-question="{question}"[^>]*>', html
        ).group(0)  # type: ignore[union-attr]

    assert "hidden" not in opening("ia_aide_decision")  # the profil says the IA is used
    assert "hidden disabled" in opening("publie_contenus_sante")  # no condition reads it here


def test_a_profil_saved_returns_to_its_button_with_the_message(client, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    saved = cens_eval.load_questionnaire(
        workspace / "questionnaire.yaml", cens_eval.load_referentiels()
    ).as_written
    html = client.get("/editeur/").data.decode()
    data = {
        "csrf": token(client),
        "version": form_fields(html, "reponses")["version"],
        "editeur_nom": saved.editeur.nom,
        "solution_nom": saved.solution.nom,
        "solution_version": saved.solution.version,
    }
    for question, value in saved.profil.items():
        shown = {True: "oui", False: "non"}.get(value, value) if isinstance(value, bool) else value
        data[f"profil__{question}"] = str(shown)
    sent = client.post("/editeur/profil", data=data)
    assert sent.headers["Location"] == "/editeur/?ici=profil#enregistrer-profil"
    page = client.get(sent.headers["Location"].split("#")[0]).data.decode()
    around = page[page.index('id="enregistrer-profil"') :][:400]
    assert "Profil enregistré" in around
    assert page.count("Profil enregistré") == 1
    assert '<details class="profil" open>' in page  # shown open where the user acted
