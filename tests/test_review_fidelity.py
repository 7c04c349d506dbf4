"""The review's PDF gives the fidelity labels wherever it gives a verdict, as the dossier's PDF does.

Expectations come from the reviewed dossier's own data (labels per exigence, assessed blocking
gaps), never from hard-coded exigence ids.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

import cens_eval
from cens_eval.cli import main
from cens_eval.model.fidelity import FIDELITE_LABELS
from cens_eval.model.vocabulary import Fidelite

from .conftest import QUESTIONNAIRES, REFERENTIELS

MEDILINK = QUESTIONNAIRES / "teleconsult-medilink" / "questionnaire.yaml"
CONFIRM = "à confirmer avec le texte officiel"


def _cli(*args: str) -> None:
    with CliRunner().isolation() as (_, _, err):
        code = main(list(args))
    assert code in (0, 1), err.getvalue().decode()


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """MediLink's dossier reviewed with every declaration validated (its gaps stay blocking)."""
    out = tmp_path_factory.mktemp("revue-fidelite")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CENS_EVAL_REFERENTIELS", str(REFERENTIELS))
        _cli("evaluate", str(MEDILINK), "--as-of", "2026-11-22", "-o", str(out / "dossier"))
        found = cens_eval.read_dossier(out / "dossier")
        review = out / "revue.yaml"
        avis = {
            r.id: {e.id: {"avis": "valide"} for e in r.exigences} for r in found.dossier.resultats
        }
        data = {
            "evaluateur": {"nom": "Claire Martin"},
            "date": "2026-11-25",
            "dossier_sha256": found.sha256,
            "avis": avis,
        }
        review.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
        _cli("review", "apply", str(out / "dossier"), str(review), "-o", str(out / "revu"))
    return out / "revu"


def _pages(folder: Path) -> list[str]:
    reader = PdfReader(folder / "revue.pdf")
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def _data(folder: Path) -> tuple[dict[str, dict[str, Fidelite]], dict[str, list[str]]]:
    """Per référentiel: each exigence's label, and the assessed blocking gaps."""
    dossier = json.loads((folder / "dossier.json").read_text("utf-8"))
    revue = json.loads((folder / "revue.json").read_text("utf-8"))
    labels = {
        r["id"]: {e["id"]: Fidelite(e["fidelite"]) for e in r["exigences"]}
        for r in dossier["resultats"]
    }
    gaps = {r["id"]: r["bloquantes_evaluees"] for r in revue["revue"]["referentiels"]}
    return labels, gaps


def test_review_cover_counts_the_labels_and_warns_on_reconstituted_assessed_gaps(
    reviewed: Path,
) -> None:
    cover = _pages(reviewed)[0]
    labels, gaps = _data(reviewed)
    for ref_id, by_id in labels.items():
        for fidelite, count in Counter(by_id.values()).items():
            assert f"{FIDELITE_LABELS[fidelite]} : {count}" in cover, ref_id
    every = [(x, labels[ref][x]) for ref, ids in gaps.items() for x in ids]
    reconstituted = [x for x, f in every if f is Fidelite.RECONSTITUE]
    assert reconstituted, "the example must have a reconstituted assessed gap"
    assert f"({', '.join(reconstituted)}) : {CONFIRM}" in cover
    for x, fidelite in every:
        assert f"{x} ({FIDELITE_LABELS[fidelite]})" in cover
    assert "Revue d’évaluation éthique" in cover  # format 2: typographic apostrophes


def test_review_blocking_section_labels_each_gap_and_every_card_its_exigence(
    reviewed: Path,
) -> None:
    text = " ".join(_pages(reviewed)[1:])
    labels, gaps = _data(reviewed)
    section_1 = text[: text.index("2. Accord")]
    for ref, ids in gaps.items():
        for x in ids:
            assert f"{x} {FIDELITE_LABELS[labels[ref][x]]}" in section_1
        ours = [x for x in ids if labels[ref][x] is Fidelite.RECONSTITUE]
        if ours:
            assert f"({', '.join(ours)}) : {CONFIRM}" in section_1
    cards = text[text.index("4. Exigences par principe") :]
    shown = Counter(f for by_id in labels.values() for f in by_id.values())
    for fidelite, count in shown.items():
        assert cards.count(f"Fidélité {FIDELITE_LABELS[fidelite]}") == count, fidelite
