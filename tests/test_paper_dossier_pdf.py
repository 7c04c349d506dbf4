"""The dossier PDF leaves no page half empty between the scores and the exigences (format 2)."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from cens_eval.dossier.pipeline import evaluate_to_dossier
from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.model.catalogue import Catalogue
from cens_eval.render.pdf import render_pdf
from tests.conftest import QUESTIONNAIRES

AS_OF = dt.date(2026, 11, 22)
SECTION_3 = "3. Exigences par principe"


def test_the_exigences_follow_the_scores_when_the_page_has_room(catalogue: Catalogue) -> None:
    """MediLink's last score table ends halfway down its page: the exigences start below it."""
    medilink = QUESTIONNAIRES / "teleconsult-medilink" / "questionnaire.yaml"
    loaded = load_questionnaire(medilink, catalogue)
    dossier = evaluate_to_dossier(loaded, catalogue, as_of=AS_OF)[1]
    assert dossier.version_format >= 2
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(dossier))).pages]
    start = next(i for i, text in enumerate(pages) if SECTION_3 in text)
    before = pages[start][: pages[start].index(SECTION_3)]
    last = dossier.resultats[-1]
    # the last référentiel's score table ends the page the exigences start on
    assert f"({last.id} {last.version})" in " ".join(before.split()), before[-300:]
    assert "Ensemble" in before
