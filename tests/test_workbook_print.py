"""Every workbook cens-eval writes prints readably: LibreOffice, a real third-party client, converts
each one to PDF within a bounded number of pages (rows as tall as their text, fitted to the page's
width, charts on pages of their own).

Before the print setup, LibreOffice printed the MediLink ``dossier.xlsx`` on 35 to 41 pages (wrapped
text printed over the next rows, columns cut across pages), the questionnaire template on 24, the
review template on 16, the reviewed dossier on 53, the batch synthèse on 29.
"""

from __future__ import annotations

import shutil
import subprocess
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
def printed(workbooks: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    """Pages of each workbook once LibreOffice prints it to PDF."""
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
    return {name: len(PdfReader(pdf / f"{name}.pdf").pages) for name in workbooks}


@pytest.mark.parametrize("name", list(MAX_PAGES))
def test_each_workbook_prints_within_its_page_bound(name: str, printed: dict[str, int]) -> None:
    assert 1 <= printed[name] <= MAX_PAGES[name], printed
