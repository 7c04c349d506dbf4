"""Typographic apostrophes (’) in the texts cens-eval writes; the user's own words untouched.

The rule (``render/typography.py``) and the documents: from format 2 on, ``dossier.pdf`` and
``revue.pdf`` print the project's texts (labels, référentiel texts, explanations) with ’, and
every elided word a user wrote (justification, declaration, engagement, name…) as written.
``dossier.json`` keeps its texts unchanged (format 1 documents are reproduced byte for byte:
tests/test_earlier_versions.py).
"""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from pypdf import PdfReader

from cens_eval.dossier.pipeline import evaluate_to_dossier
from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.dossier import Dossier
from cens_eval.render.generated_text import user_elisions
from cens_eval.render.pdf import render_pdf
from cens_eval.render.typography import (
    APOSTROPHE,
    apostrophes,
    apostrophes_markup,
    elisions,
)
from cens_eval.render.xlsx import render_xlsx
from tests.conftest import QUESTIONNAIRES

ELIDED = re.compile(r"[^\W\d_]+'[^\W\d_]+")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("l'éditeur", "l’éditeur"),
        ("Date d'évaluation", "Date d’évaluation"),
        ("qu'il n'a pas lu aujourd'hui", "qu’il n’a pas lu aujourd’hui"),
        ("L'IA", "L’IA"),
        ("'cité'", "'cité'"),
        ("f'(x) = 2", "f'(x) = 2"),
        ("l’éditeur", "l’éditeur"),
    ],
)
def test_an_elision_gets_the_typographic_apostrophe_a_quote_does_not(
    text: str, expected: str
) -> None:
    assert apostrophes(text) == expected
    assert apostrophes(apostrophes(text)) == expected


def test_the_words_a_user_wrote_stay_as_written() -> None:
    kept = elisions("Réunion avec l'équipe d'O'Brien")
    assert kept == {"l'équipe", "d'O", "O'Brien"}
    assert apostrophes("l'équipe de l'éditeur", kept) == "l'équipe de l’éditeur"


def test_markup_tags_are_never_touched() -> None:
    markup = "<font name='x'>l'éditeur</font> d'abord"
    assert (
        apostrophes_markup(markup)
        == f"<font name='x'>l{APOSTROPHE}éditeur</font> d{APOSTROPHE}abord"
    )


@pytest.fixture(scope="module")
def medilink(catalogue: Catalogue) -> Dossier:
    loaded = load_questionnaire(
        QUESTIONNAIRES / "teleconsult-medilink" / "questionnaire.yaml", catalogue
    )
    return evaluate_to_dossier(loaded, catalogue, as_of=dt.date(2026, 11, 22))[1]


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_dossier_pdf_keeps_straight_apostrophes_only_in_the_users_words(
    medilink: Dossier,
) -> None:
    text = _text(render_pdf(medilink))
    kept = user_elisions(medilink)
    straight = set(ELIDED.findall(text))
    assert straight, "the example's éditeur writes elided words"
    assert straight <= kept, sorted(straight - kept)
    assert text.count(APOSTROPHE) > 100
    assert "Date d’évaluation" in text
    justified = next(
        e.justification
        for r in medilink.resultats
        for e in r.exigences
        if e.justification and "'" in e.justification
    )
    first = ELIDED.search(justified)
    assert first is not None and first[0] in text  # the éditeur's own word, as written


def test_the_dossier_workbook_keeps_straight_apostrophes_only_in_the_users_words(
    medilink: Dossier,
) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(medilink)))
    cells = [str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v]
    straight = {w for text in cells for w in ELIDED.findall(text)}
    assert straight <= user_elisions(medilink), sorted(straight - user_elisions(medilink))
    assert any(text == "Date d’évaluation" for text in cells)
