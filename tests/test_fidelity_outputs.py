"""Fidelity is shown wherever a verdict is: text, dossier.json, PDF, workbook, référentiel listings.

Expectations are derived from the shipped référentiels' data (labels, sources, project
choices), never from hard-coded exigence ids, so that the data can be corrected freely.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from cens_eval.engine.evaluation import evaluate
from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.fidelity import FIDELITE_LABELS
from cens_eval.model.referentiel import Referentiel
from cens_eval.model.results import Evaluation
from cens_eval.model.vocabulary import Fidelite, Niveau
from cens_eval.render.text import render_text

from . import builders
from .conftest import QUESTIONNAIRES, REFERENTIELS

MEDILINK = QUESTIONNAIRES / "teleconsult-medilink" / "questionnaire.yaml"
AS_OF = "2026-11-22"
CONFIRM = "à confirmer avec le texte officiel"


def _normalised(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def medilink(catalogue: Catalogue) -> Evaluation:
    """The engine's result for MediLink: which exigences are in scope and which block."""
    loaded = load_questionnaire(MEDILINK, catalogue)
    return evaluate(loaded.questionnaire, loaded.referentiels, as_of=dt.date.fromisoformat(AS_OF))


def _ref(catalogue: Catalogue, ref_id: str, version: str) -> Referentiel:
    ref = catalogue.get(ref_id, version)
    assert ref is not None
    return ref


@dataclass(frozen=True)
class Expected:
    """What the data says about one référentiel's result."""

    counts: dict[Fidelite, int]
    """In-scope exigences per label."""
    blocking: list[str]
    reconstituted: list[str]
    """The blocking gaps whose exigence the data labels reconstitué."""
    labels: dict[str, Fidelite]


def _expected(catalogue: Catalogue, evaluation: Evaluation) -> dict[str, Expected]:
    """Per référentiel, from the data: counts per label in scope, reconstituted blocking gaps."""
    expected: dict[str, Expected] = {}
    for result in evaluation.referentiels:
        ref = _ref(catalogue, result.id, result.version)
        labels = {e.id: e.fidelite for e in ref.exigences}
        counts = Counter(labels[r.id] for r in result.exigences)
        blocking = [
            r.id
            for r in result.exigences
            if r.niveau_effectif is Niveau.EXIGENCE and not r.satisfaite
        ]
        expected[result.id] = Expected(
            counts={f: counts[f] for f in Fidelite},
            blocking=blocking,
            reconstituted=[i for i in blocking if labels[i] is Fidelite.RECONSTITUE],
            labels=labels,
        )
    return expected


@pytest.fixture(scope="module")
def dossier_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """MediLink's dossier, written once by the command line."""
    from cens_eval.cli import main

    out = tmp_path_factory.mktemp("fidelite") / "medilink"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CENS_EVAL_REFERENTIELS", str(REFERENTIELS))
        with CliRunner().isolation() as (_, err, _):
            code = main(["evaluate", str(MEDILINK), "--as-of", AS_OF, "-o", str(out)])
            assert code in (0, 1), err.getvalue().decode()
    return out


# ---- evaluate, text output ------------------------------------------------------------------


def test_evaluate_text_names_the_blocking_gaps_on_reconstituted_exigences(
    run_cli, catalogue: Catalogue, medilink: Evaluation
) -> None:
    result = run_cli("evaluate", str(MEDILINK), "--as-of", AS_OF)
    assert result.code == 1, result.stderr
    lines = result.stdout.splitlines()
    expected = _expected(catalogue, medilink)
    for result_ref in medilink.referentiels:
        wanted = expected[result_ref.id]
        verdict = f"{result_ref.id} {result_ref.version} — verdict"
        at = next(i for i, x in enumerate(lines) if x.startswith(verdict))
        explanation, counts = lines[at + 1], lines[at + 2]
        reconstituted = wanted.reconstituted
        if reconstituted:
            assert f"dont {len(reconstituted)} sur" in explanation
            assert f"({', '.join(reconstituted)}) : {CONFIRM}" in explanation
        else:
            assert CONFIRM not in explanation
        shown = " · ".join(f"{FIDELITE_LABELS[f]} {n}" for f, n in wanted.counts.items())
        assert counts.endswith(shown), counts
        for gap in wanted.blocking:
            label = FIDELITE_LABELS[wanted.labels[gap]]
            assert any(x.startswith(f"  - {gap} [{label}] ") for x in lines[at:]), gap


# ---- dossier.json -------------------------------------------------------------------------------


def test_dossier_json_carries_label_source_and_choices_of_each_exigence(
    dossier_dir: Path, catalogue: Catalogue, medilink: Evaluation
) -> None:
    data = json.loads((dossier_dir / "dossier.json").read_text("utf-8"))
    expected = _expected(catalogue, medilink)
    for resultat in data["resultats"]:
        ref = _ref(catalogue, resultat["id"], resultat["version"])
        sources = {s.id: s for s in ref.sources}
        wanted = expected[resultat["id"]]
        assert resultat["par_fidelite"] == {f.value: n for f, n in wanted.counts.items()}
        assert resultat["bloquantes_reconstituees"] == wanted.reconstituted
        for item in resultat["exigences"]:
            exigence = ref.exigence(item["id"])
            assert exigence is not None
            source = sources[exigence.source.document]
            assert item["fidelite"] == exigence.fidelite.value
            assert item["source"]["titre"] == source.titre
            assert item["source"]["url"] == str(source.url)
            assert item["source"]["localisation"] == exigence.source.localisation
            assert item["choix_du_projet"] == [c.model_dump() for c in exigence.choix_du_projet]
        for gap in resultat["bloquantes"]:
            assert gap["fidelite"] == wanted.labels[gap["id"]].value


# ---- PDF ----------------------------------------------------------------------------------------


def test_pdf_cover_shows_counts_per_label_and_the_reconstituted_gaps(
    dossier_dir: Path, catalogue: Catalogue, medilink: Evaluation
) -> None:
    reader = PdfReader(dossier_dir / "dossier.pdf")
    cover = _normalised(reader.pages[0].extract_text())
    expected = _expected(catalogue, medilink)
    for wanted in expected.values():
        for fidelite, count in wanted.counts.items():
            assert f"{FIDELITE_LABELS[fidelite]} : {count}" in cover
        if wanted.reconstituted:
            assert f"({', '.join(wanted.reconstituted)}) : {CONFIRM}" in cover
    assert CONFIRM in cover


def test_pdf_exigence_pages_show_label_and_a_clickable_source(
    dossier_dir: Path, catalogue: Catalogue, medilink: Evaluation
) -> None:
    reader = PdfReader(dossier_dir / "dossier.pdf")
    text = _normalised("\n".join(page.extract_text() for page in reader.pages[1:]))
    links = {
        annot.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annot in page.get("/Annots", [])
        if "/A" in annot.get_object()
    }
    for result in medilink.referentiels:
        ref = _ref(catalogue, result.id, result.version)
        sources = {s.id: s for s in ref.sources}
        for r in result.exigences:
            exigence = ref.exigence(r.id)
            assert exigence is not None
            assert str(sources[exigence.source.document].url) in links, r.id
    for label in {e.fidelite for r in medilink.referentiels for e in r.exigences}:
        assert f"Fidélité {FIDELITE_LABELS[label]} Source" in text


# ---- workbook -----------------------------------------------------------------------------------


def test_workbook_referentiel_sheets_fill_fidelity_and_source_on_every_row(
    dossier_dir: Path, catalogue: Catalogue, medilink: Evaluation
) -> None:
    wb = openpyxl.load_workbook(dossier_dir / "dossier.xlsx")
    expected = _expected(catalogue, medilink)
    for result in medilink.referentiels:
        ref = _ref(catalogue, result.id, result.version)
        sources = {s.id: s for s in ref.sources}
        ws = wb[result.id]
        header = [c.value for c in ws[1]]
        fidelite, source = header.index("Fidélité"), header.index("Source")
        rows = [row for row in ws.iter_rows(min_row=2, values_only=True) if row[0]]
        assert [row[0] for row in rows] == [r.id for r in result.exigences]
        for row in rows:
            exigence = ref.exigence(str(row[0]))
            assert exigence is not None
            assert row[fidelite] == FIDELITE_LABELS[exigence.fidelite]
            assert str(sources[exigence.source.document].url) in str(row[source])
            # the référentiel's words, in typographic apostrophes from format 2 on
            assert exigence.source.localisation in str(row[source]).replace("’", "'")
    synthese = list(wb["Synthèse"].iter_rows(values_only=True))
    head = next(row for row in synthese if row[0] == "Référentiel")
    column = next(i for i, title in enumerate(head) if title and "reconstituées" in str(title))
    for result in medilink.referentiels:
        row = next(row for row in synthese if row[0] == result.id)
        assert row[column] == (", ".join(expected[result.id].reconstituted) or None)


# ---- référentiels list / show -------------------------------------------------------------------


def test_referentiels_list_json_counts_and_last_check_match_the_data(
    run_cli, catalogue: Catalogue
) -> None:
    result = run_cli("referentiels", "list", "--format", "json")
    assert result.code == 0
    listed = {(d["id"], d["version"]): d for d in json.loads(result.stdout)}
    assert len(listed) == len(catalogue.referentiels)
    for ref in catalogue.referentiels:
        item = listed[(ref.id, ref.version)]
        counts = Counter(e.fidelite.value for e in ref.exigences)
        assert item["par_fidelite"] == {f.value: counts[f.value] for f in Fidelite}
        dates = [s.consulte_le for s in ref.sources if s.consulte_le]
        assert item["sources_verifiees_le"] == (max(dates).isoformat() if dates else None)
    text = run_cli("referentiels", "list").stdout
    for ref in catalogue.referentiels:
        counts = Counter(e.fidelite for e in ref.exigences)
        shown = " · ".join(f"{FIDELITE_LABELS[f]} {counts[f]}" for f in Fidelite)
        assert f"fidélité : {shown}" in text


def test_referentiels_show_gives_label_source_and_project_choices(
    run_cli, catalogue: Catalogue
) -> None:
    ref = next(r for r in catalogue.referentiels if r.id == "teleconsultation")
    sources = {s.id: s for s in ref.sources}
    text = run_cli("referentiels", "show", ref.id, "--version", ref.version).stdout
    for e in ref.exigences:
        source = sources[e.source.document]
        assert f"· {FIDELITE_LABELS[e.fidelite]}] {e.libelle}" in text
        assert f"source : {source.titre} — {e.source.localisation} ({source.url})" in text
        for choice in e.choix_du_projet:
            assert f"choix du projet ({choice.porte_sur}) : {choice.raison}" in text
        appui = e.source.appuie
        if appui and (appui.niveau or appui.preuves):
            words = ["niveau"] * appui.niveau + appui.preuves
            assert f"appuyé par la source : {', '.join(words)}\n" in text
    data = json.loads(run_cli("referentiels", "show", ref.id, "--format", "json").stdout)
    for item, e in zip(data["exigences"], ref.exigences, strict=True):
        assert item["fidelite"] == e.fidelite.value
        assert item["source"] == e.source.model_dump(mode="json", exclude_none=True)
        assert item["choix_du_projet"] == [c.model_dump() for c in e.choix_du_projet]


# ---- the rule: the sentence only when a blocking gap rests on a reconstituted exigence ---------


def _gaps(fidelites: list[str]) -> tuple[str, list[str]]:
    """Evaluate mandatory exigences E1…En, all declared non conformes, with these labels."""
    ref = builders.referentiel(
        [
            {"id": f"E{i}", "principe": "autonomie", "niveau": "exigence", "fidelite": f}
            for i, f in enumerate(fidelites, start=1)
        ]
    )
    answers = {
        f"E{i}": {"statut": "non_conforme", "justification": "pas encore"}
        for i in range(1, len(fidelites) + 1)
    }
    questionnaire = builders.questionnaire({}, answers)
    evaluation = evaluate(questionnaire, [ref], as_of=dt.date(2026, 1, 1))
    (result,) = evaluation.referentiels
    return result.explication, render_text(evaluation)


def test_no_reconstituted_exigence_no_reconstituted_sentence() -> None:
    explanation, lines = _gaps(["officiel", "paraphrase"])
    assert "E1, E2" in explanation  # both gaps named, non conforme
    assert "reconstituée" not in explanation and CONFIRM not in explanation
    assert not any(CONFIRM in line for line in lines)
    assert (
        "  - E1 [officiel] Libellé E1 — non conforme : déclarée non conforme par l'éditeur" in lines
    )


@pytest.mark.parametrize(
    ("fidelites", "sentence"),
    [
        (
            ["reconstitue"],
            "1 écart bloquant, dont 1 sur une exigence reconstituée par cens-eval (E1)",
        ),
        (
            ["officiel", "reconstitue"],
            "2 écarts bloquants, dont 1 sur une exigence reconstituée par cens-eval (E2)",
        ),
        (
            ["reconstitue", "paraphrase", "reconstitue"],
            "3 écarts bloquants, dont 2 sur des exigences reconstituées par cens-eval (E1, E3)",
        ),
    ],
)
def test_the_verdict_says_which_gaps_rest_on_reconstituted_exigences(
    fidelites: list[str], sentence: str
) -> None:
    explanation, lines = _gaps(fidelites)
    assert explanation.endswith(f"{sentence} : {CONFIRM}")
    assert f"  {explanation}" in lines
