"""The dossier PDF as a committee reads it: cover readiness, outline, links, metadata, annex."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from cens_eval.dossier.pipeline import evaluate_to_dossier
from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.dossier import Dossier
from cens_eval.render.pdf import render_pdf
from tests.conftest import QUESTIONNAIRES

LGC = QUESTIONNAIRES / "lgc-cabinetplus" / "questionnaire.yaml"
AS_OF = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def dossier(catalogue: Catalogue) -> Dossier:
    loaded = load_questionnaire(LGC, catalogue)
    return evaluate_to_dossier(loaded, catalogue, as_of=AS_OF, tool_version="0.1.0")[1]


@pytest.fixture(scope="module")
def reader(dossier: Dossier) -> PdfReader:
    return PdfReader(io.BytesIO(render_pdf(dossier)))


def _titles(reader: PdfReader, outline: list[Any], depth: int = 0) -> list[tuple[int, str, int]]:
    found: list[tuple[int, str, int]] = []
    for item in outline:
        if isinstance(item, list):
            found += _titles(reader, item, depth + 1)
        else:
            found.append((depth, item.title, reader.get_destination_page_number(item)))
    return found


def _page_of(reader: PdfReader, fragment: str) -> int:
    return next(i for i, p in enumerate(reader.pages) if fragment in p.extract_text())


def test_the_lgc_cover_states_what_the_conforme_verdict_does_not_show(
    dossier: Dossier, reader: PdfReader
) -> None:
    assert dossier.conforme and not dossier.preparation.complet
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Conclusion : CONFORME — dossier incomplet" in cover
    assert "1 engagement dépassé : CE-LGC-20 (échéance : 30 juin 2026)" in cover
    assert "1 exigence sans réponse : CE-LGC-22" in cover
    assert "3 preuves obligatoires manquantes : CE-LGC-20 (declaration-accessibilite)" in cover
    assert "voir section 4, « Engagements de l’éditeur »" in cover


def test_cover_points_link_to_the_exigence_cards(reader: PdfReader) -> None:
    targets = {}
    for annot in reader.pages[0].get("/Annots", []):
        link = annot.get_object()
        if "/Dest" in link:
            page = reader.get_page_number(link["/Dest"][0].get_object())
            targets.setdefault(page, 0)
            targets[page] += 1
    assert targets, "no internal link on the cover"
    card = _page_of(reader, "Ne pas introduire de traitement inégal")
    assert card in targets and card > 0


def test_outline_lists_every_section_and_referentiel(dossier: Dossier, reader: PdfReader) -> None:
    entries = _titles(reader, reader.outline)
    sections = [title for depth, title, _ in entries if depth == 0]
    assert sections == [
        "Couverture et conclusion",
        "1. Écarts bloquants",
        "2. Scores par principe",
        "3. Exigences par principe",
        "4. Périmètre, échéances et engagements",
        "Annexe — Profil, empreintes et pièces justificatives",
    ]
    ref = dossier.resultats[0]
    per_ref = [t for depth, t, _ in entries if depth == 1 and f"({ref.id} {ref.version})" in t]
    assert len(per_ref) == 3  # écarts, scores, exigences
    pages = [page for _, _, page in entries]
    assert pages == sorted(pages) and pages[-1] > pages[0]
    exigences = next(p for d, t, p in entries if t == "3. Exigences par principe")
    assert "Exigences par principe" in reader.pages[exigences].extract_text()


def test_evidence_files_and_web_addresses_are_clickable(
    dossier: Dossier, reader: PdfReader
) -> None:
    uris = {
        str(annot.get_object()["/A"]["/URI"])
        for page in reader.pages
        for annot in page.get("/Annots", [])
        if "/A" in annot.get_object()
    }
    for piece in dossier.manifeste:
        assert f"questionnaire/{piece.chemin}" in uris, piece.chemin
    urls = {p.url for r in dossier.resultats for e in r.exigences for p in e.preuves if p.url}
    assert urls and urls <= uris


def test_metadata_names_the_dossier_and_its_generation_date(
    dossier: Dossier, reader: PdfReader
) -> None:
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Dossier de conformité éthique — CabinetPlus Médecin 11.3"
    assert meta.author == dossier.editeur.nom
    assert meta.subject == "Évaluation CENS au 22 novembre 2026 : lgc ce-0.1"
    assert meta.creation_date is not None
    assert meta.creation_date.date() == dossier.genere_le.date() != dt.date(2000, 1, 1)
    assert reader.trailer["/Root"]["/Lang"] == "fr-FR"


def test_a_later_generation_date_is_the_creation_date_and_bytes_stay_stable(
    dossier: Dossier,
) -> None:
    later = dossier.model_copy(update={"genere_le": dt.datetime(2027, 3, 1, 9, 30, tzinfo=dt.UTC)})
    pdf = render_pdf(later)
    assert pdf == render_pdf(later) != render_pdf(dossier)
    assert b"D:20270301093000+00'00'" in pdf


def test_french_no_break_spaces_survive_in_the_text_layer(reader: PdfReader) -> None:
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "«\u00a0Engagements de" in text
    assert "Conclusion\u00a0:" in text
    assert "satisfaite\u202f;" in text
    assert not re.search("« ", text) and not re.search("«$", text, re.MULTILINE)


def test_missing_preuves_show_their_label(dossier: Dossier, reader: PdfReader) -> None:
    e = next(x for x in dossier.resultats[0].exigences if x.id == "CE-LGC-29")
    label = e.libelles_preuves_manquantes["rapport-empreinte"]
    page = " ".join(reader.pages[_page_of(reader, "rapport-empreinte —")].extract_text().split())
    straight = page.replace("’", "'")  # the référentiel's label, in typographic apostrophes
    assert f"rapport-empreinte — {' '.join(label.split())}" in straight


def test_annex_hashes_are_grouped_by_eight(dossier: Dossier, reader: PdfReader) -> None:
    annex = " ".join(p.extract_text() for p in reader.pages[-3:])
    digest = dossier.manifeste[0].sha256
    first_line = " ".join(digest[i : i + 8] for i in range(0, 32, 8))
    assert first_line in annex
