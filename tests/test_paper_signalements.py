"""The éthicovigilance report reads as a document: French numbers, words for codes, ids whole.

Expectations are derived from the example register's own report (``report.json``), never
hard-coded: the register can change freely.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
from pypdf import PdfReader

from cens_eval.loader.signalements import load_signalements
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.signalement import NATURE_LABELS
from cens_eval.render.generated_text import user_elisions
from cens_eval.render.typography import apostrophes

from .conftest import ROOT

EXAMPLE = ROOT / "examples" / "signalements" / "registre.yaml"


def _report(run_cli, tmp_path: Path, suffix: str) -> Path:
    out = tmp_path / f"rapport.{suffix}"
    result = run_cli("signalements", "report", str(EXAMPLE), "-o", str(out))
    assert result.code == 0, result.stderr
    return out


def _lines(pdf: Path) -> list[str]:
    return [line for page in PdfReader(pdf).pages for line in page.extract_text().splitlines()]


def test_durations_are_whole_days_with_a_french_comma_never_a_decimal_point(
    run_cli, tmp_path: Path
) -> None:
    data = json.loads(_report(run_cli, tmp_path, "json").read_text("utf-8"))
    text = " ".join(" ".join(_lines(_report(run_cli, tmp_path, "pdf"))).split())
    sheet = openpyxl.load_workbook(_report(run_cli, tmp_path, "xlsx"))["Durées"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert data["durees"]
    for step in data["durees"]:
        median = Decimal(step["mediane"]) if step["mediane"] is not None else None
        if median is None:
            continue
        shown = str(int(median) if median == int(median) else median).replace(".", ",")
        printed = f"{apostrophes(step['etape'])} {step['signalements']} {shown} {step['pire']}"
        assert printed in text, printed
        assert rows[apostrophes(step["etape"])][2] == median  # the workbook keeps a number
    durations = text[text.index("Durées") : text.index("Sans exigence")]
    assert not re.search(r"\d\.\d", durations), durations


def test_proposed_changes_are_named_in_words_and_ids_are_never_cut(run_cli, tmp_path: Path) -> None:
    data = json.loads(_report(run_cli, tmp_path, "json").read_text("utf-8"))
    lines = _lines(_report(run_cli, tmp_path, "pdf"))
    sheet = openpyxl.load_workbook(_report(run_cli, tmp_path, "xlsx"))["Évolutions"]
    natures = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert data["evolutions"]
    assert natures == [NATURE_LABELS[e["nature"]] for _, e in data["evolutions"]]
    text = " ".join(" ".join(lines).split())
    for sid, e in data["evolutions"]:
        assert f"{sid} {e['referentiel']} {NATURE_LABELS[e['nature']]}" in text
    assert "creer" not in text
    ids = {sid for sid, _ in data["evolutions"]} | set(data["sans_exigence"])
    words = {w for line in lines for w in line.split()}
    assert ids <= words  # each id printed whole on one line
    assert "Signalements" in words  # and the header too


def test_the_report_writes_typographic_apostrophes_and_keeps_the_registers_words(
    run_cli, tmp_path: Path, catalogue: Catalogue
) -> None:
    elided = re.compile(r"[^\W\d_]+'[^\W\d_]+")
    kept = user_elisions(*load_signalements(EXAMPLE, catalogue).registre.signalements)
    text = "\n".join(_lines(_report(run_cli, tmp_path, "pdf")))
    assert "Rapport d’éthicovigilance" in text
    assert set(elided.findall(text)) <= kept
