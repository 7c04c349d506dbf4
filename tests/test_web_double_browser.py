"""The double-review pages in headless Chromium, checked by axe-core: no violation."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

import cens_eval

from . import test_web_browser
from .test_web_browser import no_violation

pytestmark = pytest.mark.slow

axe_source = test_web_browser.axe_source  # the browser tests' fixtures
browser = test_web_browser.browser
server = test_web_browser.server


def test_the_double_review_pages_have_no_axe_violation(  # type: ignore[no-untyped-def]
    browser, server, axe_source: str
) -> None:
    base, ws = server
    catalogue = cens_eval.load_referentiels()
    loaded = cens_eval.load_questionnaire(ws / "questionnaire.yaml", catalogue)
    produced = cens_eval.produce_dossier(loaded, catalogue, as_of=dt.date(2026, 11, 22))
    cens_eval.write_dossier(ws / "dossiers" / "d", produced)
    found = cens_eval.read_dossier(ws / "dossiers" / "d")
    store = ws / "revues" / f"independantes-{found.sha256[:16]}"
    store.mkdir(parents=True)
    exigences = [(r.id, e) for r in found.dossier.resultats for e in r.exigences]
    for numero, nom in ((1, "Claire-Martin"), (2, "Paul-Durand")):
        avis = {}
        for ref, e in exigences:
            given = {"avis": "valide"}
            if numero == 2 and e is exigences[0][1]:
                given = {"avis": "complement_demande", "commentaire": "Preuve à joindre."}
            avis.setdefault(ref, {})[e.id] = given
        data = {
            "evaluateur": {"nom": nom.replace("-", " ")},
            "date": "2026-11-25",
            "dossier_sha256": found.sha256,
            "avis": avis,
        }
        (store / f"{numero}-{nom}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    browser.get(base + "/evaluateur/espace/d/")
    assert "Revue n° 2 : Paul Durand" in browser.page_source
    no_violation(browser, axe_source)
    browser.get(base + "/evaluateur/espace/d/arbitrage")
    assert "Désaccords à trancher (1)" in browser.page_source
    no_violation(browser, axe_source)
