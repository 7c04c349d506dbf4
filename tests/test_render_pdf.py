from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from cens_eval.dossier.pipeline import evaluate_to_dossier
from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.dossier import Dossier
from cens_eval.model.questionnaire import Questionnaire
from cens_eval.render.pdf import build_story, render_pdf

BASE = Path(__file__).parent / "data" / "questionnaires" / "base" / "questionnaire.yaml"
AS_OF = dt.date(2026, 11, 22)
FIRST = "Début de la justification intégrale : la solution n’enregistre aucune téléconsultation."
LAST = "Dernière phrase attendue, vérifiée mot à mot par l’évaluateur « sans troncature » final."
FILLER = (
    "Le flux audio et vidéo transite chiffré de bout en bout entre le patient et le médecin, "
    "sans passer par un serveur d’enregistrement ; aucune copie n’est conservée, ni sur les "
    "postes, ni dans les journaux techniques, qui ne gardent que l’horodatage de la session. "
)
LONG = " ".join([FIRST, FILLER * 5, LAST])
SYMBOLS = "Délai ≥ 30 s → alerte ; cœur × 2 ; émissions de CO₂ suivies 😀."


def _normalised(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def dossier(catalogue: Catalogue) -> Dossier:
    loaded = load_questionnaire(BASE, catalogue)
    data = loaded.questionnaire.model_dump(mode="json")
    data["reponses"]["teleconsultation"]["ETH.09.1"]["justification"] = LONG
    data["reponses"]["teleconsultation"]["ETH.08"]["justification"] = SYMBOLS
    variant = dataclasses.replace(loaded, questionnaire=Questionnaire.model_validate(data))
    _, result = evaluate_to_dossier(variant, catalogue, as_of=AS_OF, tool_version="0.1.0")
    return result


@pytest.fixture(scope="module")
def pdf(dossier: Dossier) -> bytes:
    return render_pdf(dossier)


@pytest.fixture(scope="module")
def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


@pytest.fixture(scope="module")
def text(reader: PdfReader) -> str:
    return _normalised("\n".join(page.extract_text() for page in reader.pages))


def test_the_justification_fixture_is_long(dossier: Dossier) -> None:
    assert len(LONG) > 1400
    assert dossier.resultat("teleconsultation").bloquantes


def test_two_renders_are_byte_identical(dossier: Dossier, pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF-")
    assert render_pdf(dossier) == pdf


def test_cover_shows_the_verdict_and_the_editeur(dossier: Dossier, text: str) -> None:
    assert not dossier.conforme
    assert "NON CONFORME" in text
    assert dossier.editeur.nom in text
    assert f"{dossier.solution.nom} version {dossier.solution.version}" in text
    assert "22 novembre 2026" in text


def test_every_blocking_exigence_is_listed(dossier: Dossier, text: str) -> None:
    blocking = [b.id for r in dossier.resultats for b in r.bloquantes]
    assert blocking
    for exigence_id in blocking:
        assert exigence_id in text
    assert text.index("Écarts bloquants") < text.index("Exigences par principe")


def test_long_justification_is_printed_in_full(text: str) -> None:
    assert _normalised(FIRST) in text
    assert _normalised(LAST) in text


def test_french_characters_survive_extraction(text: str) -> None:
    for fragment in ("« sans troncature »", "n’enregistre", "évaluateur", "cœur", "≥ 30"):
        assert fragment in text


def test_arrows_are_real_and_other_missing_glyphs_replaced(text: str) -> None:
    assert "30 s → alerte" in text
    assert "CO2" in text
    assert "->" not in text and "😀" not in text


def test_only_embedded_vera_and_standard_courier_and_symbol(reader: PdfReader) -> None:
    fonts = set()
    for page in reader.pages:
        resources = page["/Resources"]["/Font"]
        fonts |= {str(resources[key].get_object()["/BaseFont"]) for key in resources}
    assert fonts == {
        "/AAAAAA+BitstreamVeraSans-Roman",
        "/AAAAAA+BitstreamVeraSans-Bold",
        "/Courier",
        "/Symbol",
    }


def test_every_page_is_numbered(reader: PdfReader) -> None:
    total = len(reader.pages)
    assert total > 1
    for number, page in enumerate(reader.pages, start=1):
        page_text = _normalised(page.extract_text())
        assert f"Page {number} / {total}" in page_text
        assert "Dossier de conformité éthique" in page_text


def test_metadata_comes_from_the_dossier(dossier: Dossier, reader: PdfReader) -> None:
    meta = reader.metadata
    assert meta is not None
    assert meta.title == f"Dossier de conformité éthique — {dossier.solution.nom} 2.1"
    assert meta.author == dossier.editeur.nom
    assert meta.subject is not None and "teleconsultation 1.5.1" in meta.subject


def test_annex_lists_the_hashes(dossier: Dossier, text: str) -> None:
    assert dossier.questionnaire.sha256 in text.replace(" ", "")
    for ref in dossier.referentiels:
        assert ref.sha256 in text.replace(" ", "")
    for piece in dossier.manifeste:
        assert piece.sha256 in text.replace(" ", "")


def test_build_story_gives_flowables(dossier: Dossier) -> None:
    story = build_story(dossier)
    assert story and all(hasattr(flowable, "wrap") for flowable in story)


@pytest.mark.parametrize("room", [30, 45, 60, 75])
def test_a_card_title_never_ends_a_page_alone(dossier: Dossier, room: float) -> None:
    from reportlab.platypus import Spacer

    from cens_eval.render.pdf_card import exigence_card as _exigence
    from cens_eval.render.pdf_kit import build_pages

    e = dossier.resultat("teleconsultation").exigences[0]
    frame = 841.89 - 2.3 * 72 / 2.54 - 2 * 72 / 2.54 - 12  # A4 minus margins and padding
    pdf = build_pages(
        [Spacer(1, frame - room), _exigence(e)],
        title="t", author="a", subject="s", creator="c", header="h", footer="f",
    )  # fmt: skip
    first = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    if e.id in first:  # the card starts here: its title is followed by its first rows
        assert "Résultat" in first and "Niveau" in first
