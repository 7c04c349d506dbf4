"""Every workbook cens-eval writes prints readably: LibreOffice, a real third-party client, converts
each one to PDF within a bounded number of pages (rows as tall as their text, fitted to the page's
width, charts on pages of their own).

Before the print setup, LibreOffice printed the MediLink ``dossier.xlsx`` on 35 to 41 pages (wrapped
text printed over the next rows, columns cut across pages), the questionnaire template on 24, the
review template on 16, the reviewed dossier on 53, the batch synthèse on 29.

And no printed cell runs into its neighbour: every word LibreOffice prints belongs to one cell's
text (``2ETH.12, ETH.30`` was a count printed against the next column's ids) and no two printed
words overlap (a label or a linked source cut at the border of its cell, with the rest of its
text printed under the next cell).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

import cens_eval
from cens_eval.cli import main

from .conftest import QUESTIONNAIRES, REFERENTIELS, missing_tool

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _soffice() -> None:
    if SOFFICE is None:
        missing_tool(
            "LibreOffice (soffice) absent : .ci/run l'installe (paquet libreoffice-calc-nogui)"
        )


MEDILINK = QUESTIONNAIRES / "teleconsult-medilink" / "questionnaire.yaml"
AS_OF = "2026-11-22"
MAX_PAGES = {
    "dossier": 17,  # at most half of the 35 pages printed before
    "questionnaire": 12,
    "revue-modele": 8,
    "revue": 22,
    "synthese": 14,
    "signalements": 10,
}
"""Most pages each workbook may print on (A4)."""


def _cli(*args: str) -> None:
    with CliRunner().isolation():
        code = main(list(args))
    assert code in (0, 1), args


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each kind of workbook, written by the commands an éditeur and an evaluator run."""
    out = tmp_path_factory.mktemp("classeurs")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CENS_EVAL_REFERENTIELS", str(REFERENTIELS))
        medilink = out / "lot" / "medilink"
        _cli(
            "evaluate",
            str(MEDILINK),
            "--as-of",
            AS_OF,
            "--formats",
            "json,xlsx",
            "-o",
            str(medilink),
        )
        lgc = QUESTIONNAIRES / "lgc-cabinetplus" / "questionnaire.yaml"
        _cli(
            "evaluate",
            str(lgc),
            "--as-of",
            AS_OF,
            "--formats",
            "json",
            "-o",
            str(out / "lot" / "lgc"),
        )
        _cli("questionnaire", "convert", str(MEDILINK), "-o", str(out / "questionnaire.xlsx"))
        _cli("review", "init", str(medilink), "-o", str(out / "revue-modele.xlsx"))
        review = out / "revue.yaml"
        found = cens_eval.read_dossier(medilink)
        avis = {
            r.id: {e.id: {"avis": "valide"} for e in r.exigences} for r in found.dossier.resultats
        }
        data = {
            "evaluateur": {"nom": "Claire Martin", "organisme": "Commission de référencement"},
            "date": "2026-11-25",
            "dossier_sha256": found.sha256,
            "avis": avis,
        }
        review.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
        _cli("review", "apply", str(medilink), str(review), "-o", str(out / "revu"))
        _cli(
            "batch",
            str(out / "lot"),
            "-o",
            str(out / "synthese.xlsx"),
            "--generated-at",
            "2026-11-22T00:00:00",
        )
        registre = (
            Path(__file__).resolve().parent.parent / "examples" / "signalements" / "registre.yaml"
        )
        _cli("signalements", "report", str(registre), "-o", str(out / "signalements.xlsx"))
    shutil.copy(medilink / "dossier.xlsx", out / "dossier.xlsx")
    shutil.copy(out / "revu" / "revue.xlsx", out / "revue.xlsx")
    return {name: out / f"{name}.xlsx" for name in MAX_PAGES}


@pytest.fixture(scope="module")
def printed(
    workbooks: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """Each workbook once LibreOffice prints it to PDF."""
    assert SOFFICE is not None
    pdf = tmp_path_factory.mktemp("pdf")
    profile = tmp_path_factory.mktemp("profil-libreoffice")  # no clash with a running instance
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(pdf),
            *map(str, workbooks.values()),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return {name: pdf / f"{name}.pdf" for name in workbooks}


@pytest.mark.parametrize("name", list(MAX_PAGES))
def test_each_workbook_prints_within_its_page_bound(name: str, printed: dict[str, Path]) -> None:
    pages = len(PdfReader(printed[name]).pages)
    assert 1 <= pages <= MAX_PAGES[name], (name, pages)


# ---- no cell over its neighbour ------------------------------------------------------------------

Word = tuple[float, float, float, float, str]
"""A printed word: left, top, right, bottom (points), text."""
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)
_NUMBER = re.compile(r"\d+([.,]\d+)?")
"""A chart's axis label (its own page) or a page number: printed, but no cell's text."""
_CHART_TEXT = re.compile(r"<a:t>(.*?)</a:t>")
"""A chart's title or axis title."""


def _printed_words(pdf: Path) -> Iterator[tuple[int, list[Word]]]:
    """Each page's words and their boxes, as poppler's pdftotext reads them."""
    if shutil.which("pdftotext") is None:
        missing_tool("pdftotext absent : .ci/run l'installe (paquet poppler-utils)")
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for number, page in enumerate(out.split("<page ")[1:], start=1):
        words = [
            (float(a), float(b), float(c), float(d), unescape(text))
            for a, b, c, d, text in _WORD.findall(page)
        ]
        yield number, words


def _shown(value: object) -> list[str]:
    """The ways a cell's value may be printed (numbers and dates as LibreOffice formats them)."""
    if isinstance(value, dt.datetime):
        return [f"{value:%d/%m/%Y %H:%M}", f"{value:%d/%m/%Y}"]
    if isinstance(value, dt.date):
        return [f"{value:%d/%m/%Y}"]
    if isinstance(value, bool):
        return [str(value).upper()]
    if isinstance(value, int | float):
        return [str(value), f"{value:.1f}", f"{value:g}"]
    return [str(value)]


def _cell_texts(workbook: Path) -> list[str]:
    """Every text the workbook may print: cell values, sheet names (footers), header texts."""
    from openpyxl import load_workbook

    wb = load_workbook(workbook)
    with zipfile.ZipFile(workbook) as archive:  # openpyxl does not read charts back
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        texts = [unescape(t) for n in charts for t in _CHART_TEXT.findall(archive.read(n).decode())]
    texts += wb.sheetnames
    for ws in wb:
        texts += [
            t
            for row in ws.iter_rows(values_only=True)
            for v in row
            if v is not None
            for t in _shown(v)
        ]
        footers = (ws.oddHeader, ws.oddFooter)
        texts += [part.text for f in footers for part in (f.left, f.center, f.right) if part.text]
    return texts


def _overlap(a: Word, b: Word) -> bool:
    """Two words printed one over the other (lines of one cell touch: a sliver is allowed)."""
    across = min(a[2], b[2]) - max(a[0], b[0])
    down = min(a[3], b[3]) - max(a[1], b[1])
    return across > 0.5 and down > 0.4 * min(a[3] - a[1], b[3] - b[1])


@pytest.mark.parametrize("name", list(MAX_PAGES))
def test_no_printed_cell_runs_into_its_neighbour(
    name: str, workbooks: dict[str, Path], printed: dict[str, Path]
) -> None:
    texts = _cell_texts(workbooks[name])
    tokens = {token for text in texts for token in text.split()}
    problems: list[str] = []
    for page, words in _printed_words(printed[name]):
        for word in words:
            text = word[4]
            if text in tokens or _NUMBER.fullmatch(text) or text in ("Page", "/"):
                continue
            if not any(text in t for t in texts):  # a word cut at a line's end is part of one
                problems.append(f"page {page} : « {text} » mêle deux cellules")
        problems += [
            f"page {page} : « {a[4]} » imprimé sur « {b[4]} »"
            for i, a in enumerate(words)
            for b in words[i + 1 :]
            if _overlap(a, b)
        ]
    assert not problems, "\n".join(problems[:20])
