"""No input reaches exit 3 at scale: large dossiers render (PDF and XLSX), and the PDF's cover,
whatever the number of gaps it names, stays on its first page with its lists shortened."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from cens_eval.dossier.build import Provenance, build_dossier
from cens_eval.engine.evaluation import evaluate
from cens_eval.model.dossier import Dossier, Empreinte
from cens_eval.render.pdf import COVER_NAMED, render_pdf
from cens_eval.render.xlsx import render_xlsx

from .builders import questionnaire, referentiel
from .conftest import ROOT

AS_OF = dt.date(2026, 11, 22)
LATE = "2025-01-31"
"""An engagement date before the evaluation date: the engagement is overdue."""


def _dossier(
    prefix: str, kinds: list[str], preuves: int, text: str, mandatory_every: int
) -> Dossier:
    """A dossier of one référentiel, one exigence per kind of answer (see :data:`KINDS`)."""
    ids = [f"{prefix}{i:05d}" for i in range(len(kinds))]
    exigences = [
        {
            "id": e,
            "principe": ["bienfaisance", "autonomie", "justice_equite"][i % 3],
            "niveau": "exigence" if i % mandatory_every == 0 else "preconisation",
            "preuves": [
                {"id": f"p{j}", "type": "document", "obligatoire": True} for j in range(preuves)
            ],
        }
        for i, e in enumerate(ids)
    ]
    reponses: dict[str, Any] = {}
    for i, (e, kind) in enumerate(zip(ids, kinds, strict=True)):
        if kind == "sans_reponse":
            continue
        answer: dict[str, Any] = {"justification": text if i < 3 else "Court."}
        if kind == "preuves_manquantes":
            answer["statut"] = "conforme"
        elif kind == "en_retard":
            answer |= {
                "statut": "non_conforme",
                "engagement": {"action": answer["justification"], "echeance": LATE},
            }
        else:
            answer["statut"] = kind
        reponses[e] = answer
    ref = referentiel(exigences)
    q = questionnaire({}, reponses)
    evaluation = evaluate(q, [ref], as_of=AS_OF)
    stamp = Empreinte(fichier="x", sha256="0" * 64)
    provenance = Provenance(stamp, stamp, {(ref.id, ref.version): stamp}, [])
    return build_dossier(q, [ref], evaluation, provenance, tool_version="0.1.0")


KINDS = ["sans_reponse", "preuves_manquantes", "en_retard", "non_conforme", "non_applicable"]

large_dossiers = st.builds(
    _dossier,
    prefix=st.from_regex(r"[A-Z][A-Z0-9._-]{0,58}", fullmatch=True),
    kinds=st.lists(st.sampled_from(KINDS), min_size=150, max_size=400),
    preuves=st.integers(1, 25),
    text=st.sampled_from(["Court.", "Justification répétée. " * 860]),  # near the 20 000 limit
    mandatory_every=st.integers(1, 3),
)


@pytest.mark.slow  # each example renders a dossier of hundreds of exigences
@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(dossier=large_dossiers)
def test_large_dossiers_render_and_the_cover_stays_on_its_page(dossier: Dossier) -> None:
    pdf = PdfReader(io.BytesIO(render_pdf(dossier)))
    cover = pdf.pages[0].extract_text()
    assert "Conclusion" in cover
    gaps = sum(len(r.bloquantes) for r in dossier.resultats)
    if not dossier.preparation.complet:
        assert "voir section" in cover  # the end of the « dossier incomplet » box is on page 1
    if gaps > COVER_NAMED:
        assert re.search(r"et [\d\u00a0 ]+autres", cover)
        # the first gaps are named, the rest are only counted
        assert dossier.resultats[0].bloquantes[-1].id not in cover
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(dossier)), read_only=True)
    sheet = book["essai"]  # one row per exigence in scope, whatever their number
    ids = {row[0] for row in sheet.iter_rows(values_only=True)}
    assert {e.id for e in dossier.resultats[0].exigences} <= ids


def _synthetic() -> Any:
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "benchmarks" / "synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synthetic", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow  # about half a minute: 3,000 exigences evaluated, rendered and verified
def test_the_3000_exigence_benchmark_writes_its_dossier(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synthetic = _synthetic()
    folder = synthetic.referentiels_dir(tmp_path / "referentiels", 3000)
    data = synthetic.referentiel(3000)
    q = tmp_path / "q.yaml"
    q.write_text(yaml.safe_dump(synthetic.questionnaire(data, 1), allow_unicode=True), "utf-8")
    (tmp_path / "attestation.pdf").write_bytes(b"%PDF-1.4 attestation")
    monkeypatch.setenv("CENS_EVAL_REFERENTIELS", str(folder))
    out = tmp_path / "dossier"
    result = run_cli("evaluate", str(q), "--as-of", AS_OF.isoformat(), "-o", str(out))
    assert result.code == 1, result.stderr  # written, and non conforme
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == [
        "dossier.json",
        "dossier.pdf",
        "dossier.xlsx",
        "manifeste.json",
    ]
    cover = PdfReader(out / "dossier.pdf").pages[0].extract_text()
    assert "Conclusion" in cover and "autres" in cover
    assert run_cli("dossier", "verify", str(out)).code == 0
    shutil.rmtree(out)


def test_a_review_motif_names_its_first_exigences_then_counts_the_others() -> None:
    from cens_eval.render.pdf import COVER_NAMED as NAMED
    from cens_eval.render.review_report_pdf import _shortened

    ids = [f"E.{i}" for i in range(NAMED + 1490)]
    motif = f"exigence(s) obligatoire(s) non satisfaite(s) après revue : bench {', '.join(ids)} ; lgc A.1"
    short = _shortened(motif, NAMED)
    assert short.startswith(
        "exigence(s) obligatoire(s) non satisfaite(s) après revue : bench E.0, E.1,"
    )
    assert f"E.{NAMED - 1} et 1\u00a0490 autres" in short and f"E.{NAMED}," not in short
    assert short.endswith(" ; lgc A.1")
    fits = f"complément demandé : bench {', '.join(ids[:NAMED])}"
    assert _shortened(fits, NAMED) == fits
