"""The web app over time: preuve dates and expiry on both pages, the evolution from a previous dossier."""

from __future__ import annotations

import datetime as dt
import html as html_lib
from pathlib import Path

import yaml

import cens_eval

from .test_web import AS_OF, client, form_fields, token, workspace  # noqa: F401  (fixtures)

ECOSCORE = "teleconsultation__ETH.32__preuve__resultat-ecoscore"


def _made_and_first_day_out(ws: Path) -> tuple[dt.date, dt.date]:
    """The Écoscore report's date, and the first day it counts as missing (one year, P1Y)."""
    data = yaml.safe_load((ws / "questionnaire.yaml").read_text("utf-8"))
    preuve = next(
        p
        for p in data["reponses"]["teleconsultation"]["ETH.32"]["preuves"]
        if p["attendue"] == "resultat-ecoscore"
    )
    made = preuve["date"]
    return made, made.replace(year=made.year + 1) + dt.timedelta(days=1)


def _text(page: bytes) -> str:
    return html_lib.unescape(page.decode())


def test_the_editeur_page_shows_each_preuve_date_and_expiry(client, workspace: Path) -> None:  # noqa: F811
    made, out = _made_and_first_day_out(workspace)
    page = _text(client.get(f"/editeur/?as_of={AS_OF}").data)
    assert f"Datée du {made:%d/%m/%Y} ; expire le {out:%d/%m/%Y} (âge maximal 1 an)." in page
    fields = form_fields(page, "reponses")
    assert fields[f"{ECOSCORE}__date"] == made.isoformat()
    later = (out + dt.timedelta(days=400)).isoformat()
    aged = _text(client.get(f"/editeur/?as_of={later}").data)
    assert (
        f"Datée du {made:%d/%m/%Y} ; expirée depuis le {out:%d/%m/%Y} (âge maximal 1 an) : "
        "comptée comme manquante." in aged
    )


def test_a_save_keeps_and_changes_preuve_dates(client, workspace: Path) -> None:  # noqa: F811
    path = workspace / "questionnaire.yaml"
    fields = form_fields(client.get(f"/editeur/?as_of={AS_OF}").data.decode(), "reponses")
    fields[f"{ECOSCORE}__periode_debut"] = "2026-09-01"
    fields[f"{ECOSCORE}__periode_fin"] = "2026-09-30"
    saved = client.post("/editeur/", data={**fields, "action": "enregistrer"})
    assert saved.status_code == 302, saved.data.decode()[:2000]
    again = cens_eval.load_questionnaire(path, cens_eval.load_referentiels()).questionnaire
    preuves = again.reponses["teleconsultation"]["ETH.32"].preuves
    report = next(p for p in preuves if p.attendue == "resultat-ecoscore")
    assert report.date == _made_and_first_day_out(workspace)[0]  # kept by the save
    assert report.periode is not None and report.periode.fin == dt.date(2026, 9, 30)
    assert all(p.date is not None for p in preuves)  # no other date dropped

    before = path.read_bytes()
    fields = form_fields(client.get(f"/editeur/?as_of={AS_OF}").data.decode(), "reponses")
    fields[f"{ECOSCORE}__periode_fin"] = ""
    refused = client.post("/editeur/", data={**fields, "action": "enregistrer"})
    assert refused.status_code == 400
    assert "ETH.32, preuve resultat-ecoscore, période : donner le début et la fin" in _text(
        refused.data
    )
    assert path.read_bytes() == before


def test_the_evaluator_page_shows_preuve_dates(client, workspace: Path) -> None:  # noqa: F811
    made, out = _made_and_first_day_out(workspace)
    client.post("/editeur/dossier", data={"csrf": token(client), "as_of": AS_OF})
    page = _text(client.get(f"/evaluateur/espace/dossier-{AS_OF}/").data)
    assert f"— Datée du {made:%d/%m/%Y} ; expire le {out:%d/%m/%Y} (âge maximal 1 an)" in page
    assert "Évolution depuis le dossier précédent" not in page  # no earlier submission yet


def test_the_evaluator_sees_the_evolution_from_the_previous_dossier(
    client,  # noqa: F811
    workspace: Path,  # noqa: F811
) -> None:
    client.post("/editeur/dossier", data={"csrf": token(client), "as_of": AS_OF})
    path = workspace / "questionnaire.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["solution"]["version"] = "4.3"
    data["reponses"]["teleconsultation"]["ETH.08"].update(
        statut="non_conforme", justification="Retiré de la 4.3."
    )
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    later = "2026-12-22"
    made = client.post("/editeur/dossier", data={"csrf": token(client), "as_of": later})
    assert made.status_code == 302
    page = _text(client.get(f"/evaluateur/espace/dossier-{later}/").data)
    assert "Évolution depuis le dossier précédent" in page
    assert f"<strong>dossier-{AS_OF}</strong>" in page
    evolution = client.get(f"/evaluateur/espace/dossier-{later}/evolution")
    assert evolution.status_code == 200
    text = _text(evolution.data)
    row = next(line for line in text.splitlines() if "teleconsultation ETH.08 —" in line)
    assert "<td>dégradé</td>" in row and "<td>réponse</td>" in row
    assert "Exigences changées :" in text and "1 dégradé" in text
    first = client.get(f"/evaluateur/espace/dossier-{AS_OF}/evolution")
    assert first.status_code == 404
