"""Double review on the evaluator's pages: two reviews filed blind, then arbitrated.

Claire Martin files a review; its comment is never shown while it stands alone. Paul Durand
files his; the arbitration page then shows the agreement and the disagreement with both avis,
refuses an arbitration that leaves it undecided, and produces an arbitrated copy that
``dossier verify`` finds intact, with the arbitre's outcome.
"""

from __future__ import annotations

from pathlib import Path

import cens_eval
from cens_eval.model.arbitration import DossierArbitre

from . import test_web
from .test_web import _dossier, form_fields

client = test_web.client  # the web tests' fixtures
workspace = test_web.workspace

SECRET = "Vidéo du parcours sans choix du lieu : à revoir."


def _file(client, url: str, page: str, nom: str, changes: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    fields = form_fields(page, "revue")
    for k in fields:
        if k.endswith("__avis"):
            fields[k] = "valide"
    fields.update(changes, evaluateur_nom=nom, date="2026-11-25", action="independante")
    done = client.post(f"{url}independante", data=fields)
    assert done.status_code == 302, done.data.decode()[:3000]


def test_two_blind_reviews_then_the_arbitration(client, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    name = _dossier(client, workspace)
    url = f"/evaluateur/espace/{name}/"
    dossier = cens_eval.read_dossier(workspace / "dossiers" / name).dossier
    ref, exigence = next(
        (r.id, e.id)
        for r in dossier.resultats
        for e in r.exigences
        if e.resultat.value == "conforme" and e.niveau_effectif.value == "exigence"
    )
    base = f"{ref}__{exigence}"
    page = client.get(url).data.decode()
    assert "Aucune revue indépendante déposée" in page
    _file(
        client,
        url,
        page,
        "Paul Durand",
        {f"{base}__avis": "non_valide", f"{base}__commentaire": SECRET},
    )
    page = client.get(url).data.decode()
    assert "Revue n° 1 : Paul Durand, le 25/11/2026" in page
    assert SECRET not in page  # blind: what the review says is not shown
    assert "/arbitrage" not in page
    lone = client.get(f"{url}arbitrage").data.decode()
    assert "Deux revues indépendantes au moins" in lone and SECRET not in lone
    _file(client, url, page, "Claire Martin", {})
    page = client.get(url).data.decode()
    assert "Revue n° 2 : Claire Martin" in page and f"{url}arbitrage" in page
    arbitration = client.get(f"{url}arbitrage").data.decode()
    assert "kappa de Cohen" in arbitration and SECRET in arbitration  # shown once both are filed
    fields = form_fields(arbitration, "arbitrage")
    fields.update(arbitre_nom="Jeanne Roux", date="2026-11-27")
    undecided = client.post(f"{url}arbitrage", data=fields)
    assert undecided.status_code == 400
    assert "1 désaccord(s) sans décision de l&#39;arbitre" in undecided.data.decode()
    fields.update({f"{base}__resultat": "non_conforme", f"{base}__motif": "Le lieu manque."})
    done = client.post(f"{url}arbitrage", data=fields)
    assert done.status_code == 302, done.data.decode()[:3000]
    out = workspace / "dossiers-revus" / f"{name}-arbitre"
    assert cens_eval.verify_dossier(out).intact
    reviewed = cens_eval.read_dossier(out).reviewed
    assert isinstance(reviewed, DossierArbitre)
    assert reviewed.revue.evaluateur.nom == "Jeanne Roux"
    assert [d.id for d in reviewed.revue.arbitrage.decisions] == [exigence]
    outcome = {
        (r.id, e.id): e.resultat_evalue.value
        for r in reviewed.revue.referentiels
        for e in r.exigences
    }
    assert outcome[(ref, exigence)] == "non_conforme"
    assert client.get(f"/evaluateur/revus/{name}-arbitre/").status_code == 200
