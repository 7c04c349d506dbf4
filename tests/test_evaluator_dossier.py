"""The evaluator's dossier: what an evaluator reviewing the shipped MediLink dossier relies on.

The reviewed PDF speaks with the evaluator's voice from page 1 and never shows a refused
exigence as conforme; the review is dated and signed off; an avis confirms or rejects the
declared outcome; the review workbook explains itself; a batch has one row per submission.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from pypdf import PdfReader

import cens_eval
from cens_eval.dossier.pipeline import dossier_files, dossier_inputs, evaluate_to_dossier
from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.vocabulary import Resultat
from cens_eval.render import Format, render
from cens_eval.render.review_xlsx import render_review_xlsx
from cens_eval.service.folder import write_dossier_dir

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "questionnaires"
MEDILINK = EXAMPLES / "teleconsult-medilink" / "questionnaire.yaml"
AS_OF = dt.date(2026, 11, 22)
REVIEWER = {
    "nom": "Claire Martin",
    "organisme": "Commission de référencement",
    "fonction": "Experte rapporteure",
}
REFUSAL = "Le choix du lieu n'apparaît ni dans la vidéo du parcours ni sur l'écran du médecin."
# The refused exigence: a mandatory one MediLink declares conforme (the AI référentiel has
# only préconisations since issue 21, so a refusal there would block nothing).
REFUSED = "ETH.08"


def _dossier(catalogue: Catalogue, questionnaire: Path, out: Path, pdf: bool = False) -> Path:
    """A dossier folder as ``evaluate -o`` writes it (dossier.json, and dossier.pdf if asked)."""
    loaded = load_questionnaire(questionnaire, catalogue)
    _, dossier = evaluate_to_dossier(loaded, catalogue, as_of=AS_OF)
    files = {"dossier.json": render(dossier, Format.JSON)}
    if pdf:
        files["dossier.pdf"] = render(dossier, Format.PDF)
    inputs = dossier_inputs(loaded, catalogue)
    write_dossier_dir(out, dossier_files(dossier, files, None, inputs), inputs, force=False)
    return out


def _review(folder: Path, path: Path, avis: dict[str, dict[str, Any]], **extra: Any) -> Path:
    """A review of every exigence of the dossier: validé unless ``avis`` says otherwise."""
    found = cens_eval.read_dossier(folder)
    data: dict[str, Any] = {
        "evaluateur": REVIEWER,
        "date": "2026-11-25",
        "dossier_sha256": found.sha256,
        "avis": {
            r.id: {e.id: avis.get(e.id, {"avis": "valide"}) for e in r.exigences}
            for r in found.dossier.resultats
        },
        **extra,
    }
    data["avis"] = {
        ref: {k: v for k, v in entries.items() if v is not None}
        for ref, entries in data["avis"].items()
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


@pytest.fixture(scope="module")
def medilink(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> Path:
    return _dossier(catalogue, MEDILINK, tmp_path_factory.mktemp("medilink") / "dossier")


@pytest.fixture(scope="module")
def refused(medilink: Path) -> cens_eval.ReviewOutcome:
    """The MediLink dossier reviewed: ETH.08 refused, every other exigence validé."""
    review = _review(
        medilink,
        medilink.parent / "revue.yaml",
        {REFUSED: {"avis": "non_valide", "commentaire": REFUSAL}},
        decision_finale={"opinion": "defavorable", "motif": "Choix du lieu du patient absent."},
    )
    return cens_eval.review_dossier(medilink, review)


@pytest.fixture(scope="module")
def pdf_pages(refused: cens_eval.ReviewOutcome) -> tuple[PdfReader, list[str]]:
    data = render(refused.dossier, Format.PDF)
    assert render(refused.dossier, Format.PDF) == data  # same review, same bytes
    reader = PdfReader(io.BytesIO(data))
    return reader, [" ".join(page.extract_text().split()) for page in reader.pages]


# ---- the reviewed PDF ---------------------------------------------------------------------------


def test_page_1_of_the_reviewed_pdf_is_the_evaluators(
    medilink: Path, pdf_pages: tuple[PdfReader, list[str]]
) -> None:
    reader, pages = pdf_pages
    first = pages[0]
    sha = hashlib.sha256((medilink / "dossier.json").read_bytes()).hexdigest()
    assert "Revue d’évaluation éthique" in first
    assert "Claire Martin" in first and "Experte rapporteure" in first
    assert "Commission de référencement" in first
    assert "Date de la revue 25 novembre 2026" in first
    assert sha in first.replace(" ", "")
    assert "Verdict déclaré Verdict évalué Écarts bloquants évalués" in first
    gaps = first.split("Écarts bloquants évalués", 1)[1].split("Avis proposé", 1)[0]
    assert REFUSED in gaps and "ETH.12" in gaps and "ETH.30" in gaps
    assert "Avis proposé : Défavorable" in first
    assert "Avis final retenu : Défavorable" in first and "Choix du lieu du patient absent" in first
    assert "Validation de la revue" in first and "Lu et approuvé" in first
    assert "Signature" in first
    assert "Dossier de conformité éthique" not in first  # not the éditeur's cover
    assert "Revue du 25 novembre 2026 par Claire Martin" in first  # the footer
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Revue d'évaluation éthique — MediLink Consult 4.2"
    assert meta.author == "Claire Martin, Experte rapporteure, Commission de référencement"
    assert sha in (meta.subject or "") and "25 novembre 2026" in (meta.subject or "")


def test_no_page_shows_the_refused_exigence_as_conforme(
    pdf_pages: tuple[PdfReader, list[str]],
) -> None:
    _, pages = pdf_pages
    windows = []
    for page in pages:
        for match in re.finditer(rf"{re.escape(REFUSED)}\b", page):
            rest = page[match.end() :]
            following = re.search(r"\b(CE-IA-\d\d|CE-TLC-\d\d|ETH\.\d)", rest)
            windows.append(rest[: following.start() if following else len(rest)])
    assert len(windows) >= 4  # cover, blocking gaps, over-declarations, its own block
    for window in windows:
        for label in re.finditer(r"(?<![Nn]on )(?<!artiellement )Conforme\b", window):
            assert window[: label.start()].endswith("déclaré : "), window
    shown = [w for w in windows if "évalué :" in w]
    assert shown and all("évalué : Non conforme" in w for w in shown)


def test_blocking_gaps_and_over_declarations_are_the_assessed_ones_printed_once(
    pdf_pages: tuple[PdfReader, list[str]],
) -> None:
    _, pages = pdf_pages
    text = " ".join(pages)
    gaps = text.split("1. Écarts bloquants évalués", 1)[1].split("2. Accord", 1)[0]
    assert REFUSED in gaps and "ETH.12" in gaps and "ETH.30" in gaps
    assert REFUSAL.split(" ni ")[0] in gaps  # the avis' comment beside the gap
    over = text.split("Sur-déclarations (", 1)[1].split("3. Scores", 1)[0]
    assert over.count(REFUSED) == 1
    assert text.count("Sur-déclarations (") == 1


def test_the_workbook_and_the_json_say_the_same(refused: cens_eval.ReviewOutcome) -> None:
    revue = json.loads(render(refused.dossier, Format.JSON))["revue"]
    verdicts = {r["id"]: r for r in revue["referentiels"]}
    tlc, ia = verdicts["teleconsultation"], verdicts["ia-sante"]
    assert (tlc["verdict_declare"], tlc["verdict_evalue"]) == ("non_conforme", "non_conforme")
    assert tlc["bloquantes_evaluees"] == [REFUSED, "ETH.12", "ETH.30"]
    assert (ia["verdict_declare"], ia["verdict_evalue"], ia["bloquantes_evaluees"]) == (
        "conforme",
        "conforme",
        [],
    )
    assert (
        revue["date"] == "2026-11-25" and revue["evaluateur"]["fonction"] == "Experte rapporteure"
    )
    wb = openpyxl.load_workbook(io.BytesIO(render(refused.dossier, Format.XLSX)))
    assert wb.sheetnames[0] == "Revue" and wb.active.title == "Revue"
    cells = [str(c) for row in wb["Revue"].iter_rows(values_only=True) for c in row if c]
    assert revue["dossier_sha256"] in cells
    row = next(
        [str(c) for c in row[:5]]
        for row in wb["Revue"].iter_rows(values_only=True)
        if row[0] == "teleconsultation" and row[1] == "1.5.1"
    )
    assert row[:4] == ["teleconsultation", "1.5.1", "NON CONFORME", "NON CONFORME"]
    assert REFUSED in row[4]


# ---- avis that mean what evaluators mean ----------------------------------------------------------


def test_validating_a_declared_partial_keeps_it_and_is_agreement(
    refused: cens_eval.ReviewOutcome,
) -> None:
    section = refused.dossier.revue
    eth12 = next(e for r in section.referentiels for e in r.exigences if e.id == "ETH.12")
    assert eth12.resultat_declare is eth12.resultat_evalue is Resultat.PARTIELLEMENT_CONFORME
    assert eth12.accord and not eth12.sur_declaration
    # only the refused ETH.08 disagrees: every validé, partial or not, is an agreement
    assert [e.id for r in section.referentiels for e in r.exigences if not e.accord] == [REFUSED]
    assert section.accord.concordantes == section.accord.exigences - 1


def test_non_valide_needs_the_assessed_outcome_or_a_reason(
    run_cli, medilink: Path, tmp_path: Path
) -> None:
    review = _review(
        medilink,
        tmp_path / "revue.yaml",
        {
            "ETH.30": {"avis": "non_valide", "commentaire": "La notice existe."},
            "CE-IA-03": {"avis": "non_valide"},
        },
    )
    result = run_cli("review", "apply", str(medilink), str(review), "-o", str(tmp_path / "o"))
    assert result.code == 2
    lines = result.stderr.strip().splitlines()
    assert any(
        "Exigence ETH.30 › resultat: résultat évalué obligatoire : le résultat déclaré est déjà "
        "« Non conforme »" in line
        for line in lines
    )
    assert any(
        "Exigence CE-IA-03 › commentaire: commentaire ou résultat évalué obligatoire" in line
        for line in lines
    )
    assert all(re.match(rf"{re.escape(str(review))}:\d+: ", line) for line in lines)
    fixed = _review(
        medilink,
        tmp_path / "revue.yaml",
        {"ETH.30": {"avis": "non_valide", "resultat": "partiellement_conforme"}},
    )
    outcome = cens_eval.review_dossier(medilink, fixed)
    eth30 = next(
        e for r in outcome.dossier.revue.referentiels for e in r.exigences if e.id == "ETH.30"
    )
    assert eth30.resultat_evalue is Resultat.PARTIELLEMENT_CONFORME
    assert not eth30.accord and not eth30.sur_declaration  # under-declared, not over


def test_validating_a_claim_without_its_mandatory_preuve_is_a_warning_naming_it(
    run_cli, catalogue: Catalogue, tmp_path: Path
) -> None:
    source = tmp_path / "source"
    shutil.copytree(MEDILINK.parent, source)
    data = yaml.safe_load(MEDILINK.read_text("utf-8"))
    data["reponses"]["ia-sante"]["CE-IA-03"]["preuves"] = []
    (source / "questionnaire.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    folder = _dossier(catalogue, source / "questionnaire.yaml", tmp_path / "dossier")
    review = _review(folder, tmp_path / "revue.yaml", {})
    out = tmp_path / "revu"
    result = run_cli(
        "review", "apply", str(folder), str(review), "-o", str(out), "--formats", "json"
    )
    assert result.code == 0, result.stderr
    assert (
        "ia-sante › Exigence CE-IA-03 › avis: validé alors que la preuve obligatoire "
        "« etude-impact » manque : le résultat retenu reste le résultat déclaré, "
        "« Preuves manquantes »"
    ) in result.stderr
    revue = json.loads((out / "revue.json").read_text("utf-8"))["revue"]
    assert any(w.startswith("ia-sante CE-IA-03 validé") for w in revue["avertissements"])


def test_a_missing_avis_blocks_the_final_opinion_but_not_the_proposed_one(
    run_cli, medilink: Path, tmp_path: Path
) -> None:
    final = {"opinion": "defavorable", "motif": "Écarts bloquants."}
    review = _review(medilink, tmp_path / "revue.yaml", {"CE-IA-18": None}, decision_finale=final)
    result = run_cli("review", "apply", str(medilink), str(review), "-o", str(tmp_path / "o"))
    assert result.code == 2
    line = next(
        i
        for i, x in enumerate(review.read_text("utf-8").splitlines(), 1)
        if x == "decision_finale:"
    )
    assert (
        f"{review}:{line}: decision_finale: avis final impossible tant que 1 exigence(s) n'ont pas "
        "d'avis : ia-sante CE-IA-18"
    ) in result.stderr
    review = _review(medilink, tmp_path / "revue.yaml", {"CE-IA-18": None})
    out = tmp_path / "revu"
    result = run_cli(
        "review", "apply", str(medilink), str(review), "-o", str(out), "--formats", "json"
    )
    assert result.code == 0, result.stderr
    assert "1 exigence(s) sans avis" in result.stderr and "ia-sante CE-IA-18" in result.stderr
    revue = json.loads((out / "revue.json").read_text("utf-8"))["revue"]
    assert revue["sans_avis"] == ["ia-sante CE-IA-18"]
    assert revue["opinion_proposee"] == "defavorable" and revue["opinion_retenue"] is None


# ---- the review is dated and signed off -----------------------------------------------------------


def test_review_apply_without_a_review_date_names_the_line(
    run_cli, medilink: Path, tmp_path: Path
) -> None:
    template = tmp_path / "revue.yaml"
    assert run_cli("review", "init", str(medilink), "-o", str(template)).code == 0
    text = template.read_text("utf-8").replace('  nom: ""', '  nom: "Claire Martin"')
    template.write_text(text, "utf-8")
    line = next(i for i, x in enumerate(text.splitlines(), 1) if x.startswith("date:"))
    result = run_cli("review", "apply", str(medilink), str(template), "-o", str(tmp_path / "o"))
    assert result.code == 2
    assert result.stderr.strip().splitlines() == [
        f"{template}:{line}: date: date de la revue obligatoire (AAAA-MM-JJ) : elle date l'avis "
        "et sa validation"
    ]
    assert not (tmp_path / "o").exists()


def test_review_apply_without_a_review_date_names_the_cell(
    run_cli, medilink: Path, tmp_path: Path
) -> None:
    book = tmp_path / "revue.xlsx"
    assert run_cli("review", "init", str(medilink), "-o", str(book)).code == 0
    wb = openpyxl.load_workbook(book)
    sheet = wb["Évaluateur"]
    rows = {row[0].value: row[0].row for row in sheet.iter_rows(min_row=2)}
    sheet[f"C{rows['evaluateur.nom']}"] = "Claire Martin"
    wb.save(book)
    result = run_cli("review", "apply", str(medilink), str(book), "-o", str(tmp_path / "o"))
    assert result.code == 2
    assert result.stderr.strip().splitlines() == [
        f"{book}:Évaluateur!C{rows['date']}: date: date de la revue obligatoire (AAAA-MM-JJ) : "
        "elle date l'avis et sa validation"
    ]


# ---- the review workbook ------------------------------------------------------------------------


def test_the_review_workbook_explains_itself_and_guards_its_lists(
    run_cli, medilink: Path, tmp_path: Path
) -> None:
    found = cens_eval.read_dossier(medilink)
    wb = openpyxl.load_workbook(io.BytesIO(render_review_xlsx(found.dossier, found.sha256)))
    assert wb.sheetnames[:2] == ["Instructions", "Évaluateur"]
    instructions = " ".join(str(c.value) for c in wb["Instructions"]["A"] if c.value)
    assert "Validé : le résultat déclaré est confirmé tel quel" in instructions
    assert "MediLink Consult 4.2" in instructions
    sheet = wb["ia-sante"]
    lists = {str(v.sqref).split(":")[0][0]: v for v in sheet.data_validations.dataValidation}
    for column in ("H", "J"):  # the avis, the assessed outcome
        assert lists[column].showErrorMessage and lists[column].error
        assert lists[column].type == "list"
    assert "Non validé" in lists["H"].formula1 and "Partiellement conforme" in lists["J"].formula1
    evaluator = wb["Évaluateur"].data_validations.dataValidation
    assert all(v.showErrorMessage and v.error for v in evaluator)
    # a workbook filled with the assessed outcome reads back as its YAML twin
    book = tmp_path / "revue.xlsx"
    assert run_cli("review", "init", str(medilink), "-o", str(book)).code == 0
    filled = openpyxl.load_workbook(book)
    sheet, info = filled["teleconsultation"], filled["Évaluateur"]
    for row in info.iter_rows(min_row=2):
        row[2].value = {"evaluateur.nom": "Claire Martin", "date": "2026-11-25"}.get(
            str(row[0].value), row[2].value
        )
    for row in sheet.iter_rows(min_row=2):
        row[7].value = "Validé"
        if row[0].value == "ETH.30":
            row[7].value, row[9].value = "Non validé", "Partiellement conforme"
    for name in ("ia-sante",):
        for row in filled[name].iter_rows(min_row=2):
            row[7].value = "Validé"
    filled.save(book)
    outcome = cens_eval.review_dossier(medilink, book)
    eth30 = next(
        e for r in outcome.dossier.revue.referentiels for e in r.exigences if e.id == "ETH.30"
    )
    assert eth30.resultat_evalue is Resultat.PARTIELLEMENT_CONFORME


# ---- a batch of submissions -----------------------------------------------------------------------


def test_the_batch_has_one_row_per_submission(
    run_cli, catalogue: Catalogue, medilink: Path, tmp_path: Path
) -> None:
    lot = tmp_path / "lot"
    for questionnaire in sorted(EXAMPLES.glob("*/questionnaire.*")):
        name = f"{questionnaire.parent.name}-{questionnaire.suffix[1:]}"
        _dossier(catalogue, questionnaire, lot / name, pdf=name == "app-nutrisante-yaml")
    original = lot / "teleconsult-medilink-yaml"
    review = _review(
        original,
        tmp_path / "revue.yaml",
        {REFUSED: {"avis": "non_valide", "commentaire": REFUSAL}},
        decision_finale={"opinion": "defavorable", "motif": "Choix du lieu du patient absent."},
    )
    reviewed = lot / "teleconsult-medilink-revu"
    assert run_cli("review", "apply", str(original), str(review), "-o", str(reviewed)).code == 0
    out, as_json = tmp_path / "synthese.xlsx", tmp_path / "synthese.json"
    result = run_cli("batch", str(lot), "-o", str(out), "--json", str(as_json), "--jobs", "2")
    assert result.code == 0, result.stderr
    assert "3 dossier(s) : 3 intact(s), 0 en échec, 2 copie(s) ou jumeau(x) regroupé(s)" in (
        result.stdout
    )
    rows = {Path(r["chemin"]).name: r for r in json.loads(as_json.read_text("utf-8"))["dossiers"]}
    assert set(rows) == {"app-nutrisante-yaml", "lgc-cabinetplus-xlsx", "teleconsult-medilink-revu"}
    assert rows["lgc-cabinetplus-xlsx"]["copies"] == [str(lot / "lgc-cabinetplus-yaml")]
    assert "jumeau « lgc-cabinetplus-yaml »" in rows["lgc-cabinetplus-xlsx"]["regroupement"]
    medi = rows["teleconsult-medilink-revu"]
    assert medi["copies"] == [str(original)]
    assert "copie non revue du même dossier" in medi["regroupement"]

    wb = openpyxl.load_workbook(out)
    sheet = wb["Dossiers"]
    header = [c.value for c in sheet[1]]
    by_name = {
        Path(str(row[0].value)).name: {h: c for h, c in zip(header, row, strict=True)}
        for row in sheet.iter_rows(min_row=2)
    }
    line = by_name["teleconsult-medilink-revu"]
    assert line["Éditeur"].value == "MediLink Santé SAS" and line["SIREN"].value == "912473055"
    assert (line["Solution"].value, line["Version"].value) == ("MediLink Consult", "4.2")
    assert line["Date d'évaluation"].value == dt.datetime(2026, 11, 22)
    assert line["Évaluateur"].value == "Claire Martin"
    assert line["Date de la revue"].value == dt.datetime(2026, 11, 25)
    assert line["Avis proposé"].value == line["Avis final retenu"].value == "Défavorable"
    assert line["ia-sante 2024-03 — verdict déclaré"].value == "CONFORME"
    assert line["ia-sante 2024-03 — verdict évalué"].value == "CONFORME"
    assert line["teleconsultation 1.5.1 — verdict évalué"].value == "NON CONFORME"
    assert line["PDF"].hyperlink.target == "lot/teleconsult-medilink-revu/revue.pdf"
    assert by_name["app-nutrisante-yaml"]["PDF"].hyperlink.target == (
        "lot/app-nutrisante-yaml/dossier.pdf"
    )
    assert line["Dossier"].value == "lot/teleconsult-medilink-revu"  # relative, not a local path
    means = list(wb["Principes"].iter_rows(min_row=2, values_only=True))
    assert {m[0] for m in means} == {
        "applications-sante-mes 2",
        "ia-sante 2024-03",
        "lgc ce-0.1",
        "teleconsultation 1.5.1",
    }
    assert len(means) == 4 * 5  # one mean per principle and référentiel, never pooled
    over = list(wb["Sur-déclarations"].iter_rows(min_row=2, values_only=True))
    assert over[0][:5] == ("teleconsultation 1.5.1", REFUSED, over[0][2], 1, 1)
    assert sheet.row_dimensions[1].height >= 15 * 3  # the longest header is not cut


# ---- the Python API -------------------------------------------------------------------------------


def test_the_evaluator_flow_in_python(medilink: Path, tmp_path: Path) -> None:
    found = cens_eval.read_dossier(medilink)
    assert found.sha256 == hashlib.sha256((medilink / "dossier.json").read_bytes()).hexdigest()
    assert found.reviewed is None
    review = _review(medilink, tmp_path / "revue.yaml", {})
    outcome: cens_eval.ReviewOutcome = cens_eval.review_dossier(medilink, review)
    assert isinstance(outcome.review, cens_eval.LoadedReview)
    assert isinstance(outcome.dossier.revue.fichier, cens_eval.Empreinte)
    # cens_eval.render stays the function once the renderers' package has been imported
    assert cens_eval.render(outcome.dossier, "pdf").startswith(b"%PDF-")
    assert outcome.dossier.revue.opinion_retenue is cens_eval.Opinion.DEFAVORABLE
