"""Independent reviews arbitrated: the final review follows the arbitre, and the copy is sealed.

Two reviews of the MediLink dossier differ on three exigences, one of them mandatory (ETH.08).
Both evaluators agree that the two declared mandatory gaps (ETH.12, ETH.30) are in fact met,
so that the opinion turns on ETH.08 alone: an arbitration that holds ETH.08 unmet gives a
défavorable, one that holds it met gives a favorable avec réserves non suspensives. The
arbitrated copy keeps both reviews under ``revue/evaluateurs/``; ``dossier verify`` finds it
intact, and names a changed second review or a changed arbitration.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

import cens_eval
from cens_eval.model.arbitration import DossierArbitre
from cens_eval.model.review import Opinion

from .test_review_compare import MEDILINK, SECOND, _cli, _review

# Both evaluators hold the declared mandatory gaps met (non validé → conforme, same comment).
AGREED = {
    "ETH.12": {"avis": "non_valide", "resultat": "conforme", "commentaire": "Compléments vus."},
    "ETH.30": {"avis": "non_valide", "resultat": "conforme", "commentaire": "Procédure vue."},
}
DECISIONS = {
    "ETH.08": ("non_conforme", "La vidéo du parcours ne montre pas le choix du lieu."),
    "CE-IA-03": ("partiellement_conforme", "L'étude d'impact omet les aidants."),
    "CE-TLC-04": ("partiellement_conforme", "La procédure est décrite dans le manuel."),
}
REF = {"ETH.08": "teleconsultation", "CE-TLC-04": "teleconsultation", "CE-IA-03": "ia-sante"}


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The MediLink dossier, two independent reviews, their template and an arbitrated copy."""
    root = tmp_path_factory.mktemp("arbitrate")
    code, _, err = _cli("evaluate", str(MEDILINK), "--as-of", "2026-11-22", "-o", str(root / "d"))
    assert code == 1, err
    _review(root / "d", root / "r1.yaml", "Claire Martin", AGREED)
    _review(root / "d", root / "r2.yaml", "Paul Durand", {**AGREED, **SECOND})
    code, out, err = _cli(
        "review", "arbitrate", str(root / "d"), str(root / "r1.yaml"), str(root / "r2.yaml"),
        "--modele", str(root / "modele.yaml"), "--arbitre", "Jeanne Roux",
    )  # fmt: skip
    assert (code, err) == (0, ""), err
    assert "3 désaccord(s) à trancher" in out
    _arbitration(root, "arbitrage.yaml", DECISIONS)
    code, out, err = _arbitrate(root, "arbitrage.yaml", "out")
    assert code == 0, err
    return root


def _arbitration(root: Path, name: str, decisions: dict[str, tuple[str, str]]) -> Path:
    """The template, filled by the arbitre: the date, then each decided outcome and motif."""
    text = (root / "modele.yaml").read_text("utf-8").replace("date:  #", "date: 2026-11-27  #")
    for exigence, (resultat, motif) in decisions.items():
        text = re.sub(
            rf'("{re.escape(exigence)}":\n      resultat:)\n      motif: ""',
            lambda m, r=resultat, w=motif: f"{m.group(1)} {r}\n      motif: {json.dumps(w)}",
            text,
        )
    (root / name).write_text(text, "utf-8")
    return root / name


def _arbitrate(root: Path, arbitration: str, out: str) -> tuple[int, str, str]:
    return _cli(
        "review", "arbitrate", str(root / "d"), str(root / "r1.yaml"), str(root / "r2.yaml"),
        "--arbitrage", str(root / arbitration), "-o", str(root / out),
    )  # fmt: skip


def _revue(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "revue.json").read_text("utf-8"))["revue"]
    return data


def test_the_arbitrated_copy_gives_the_hand_computed_kappa_and_the_three_decisions(
    made: Path,
) -> None:
    section = _revue(made / "out")["arbitrage"]
    # 48 exigences, all with an avis in both reviews. First review: conforme 38 + 2 (ETH.12,
    # ETH.30) = 40, partiellement conforme 8 - 1 (ETH.12) = 7, non conforme 2 - 1 (ETH.30) = 1.
    # Second: conforme 40 - 2 (ETH.08, CE-IA-03) = 38, partiellement conforme 7 - 1 + 1 = 7,
    # non conforme 1 + 1 = 2, preuves manquantes 1. po = 45/48 = 2160/2304;
    # pe = (40·38 + 7·7 + 1·2 + 0·1) / 48² = 1571/2304;
    # kappa = (2160 - 1571) / (2304 - 1571) = 589/733.
    [pair] = section["paires"]
    assert (pair["exigences"], pair["concordantes"]) == (48, 45)
    assert pair["kappa"]["exact"] == "589/733"
    assert [r["evaluateur"] for r in section["revues"]] == ["Claire Martin", "Paul Durand"]
    assert section["arbitre"]["nom"] == "Jeanne Roux"
    decided = [(d["id"], d["niveau_effectif"], d["resultat_arbitre"]) for d in section["decisions"]]
    assert decided == [
        ("ETH.08", "exigence", "non_conforme"),  # the mandatory one first
        ("CE-IA-03", "preconisation", "partiellement_conforme"),  # then in dossier order
        ("CE-TLC-04", "preconisation", "partiellement_conforme"),
    ]
    assert all(d["desaccord"] for d in section["decisions"])


def _outcomes(revue: dict[str, Any]) -> dict[str, str]:
    return {e["id"]: e["resultat_evalue"] for r in revue["referentiels"] for e in r["exigences"]}


def test_the_final_review_takes_the_agreed_outcomes_and_the_arbitrated_ones(made: Path) -> None:
    revue = _revue(made / "out")
    outcomes = _outcomes(revue)
    for exigence, (resultat, _) in DECISIONS.items():
        assert outcomes[exigence] == resultat
    assert outcomes["ETH.12"] == outcomes["ETH.30"] == "conforme"  # agreed by both
    first = cens_eval.read_dossier(made / "d").dossier
    for r in first.resultats:
        for e in r.exigences:
            if e.id not in DECISIONS and e.id not in AGREED:
                assert outcomes[e.id] == e.resultat.value  # both validated the declaration
    assert revue["evaluateur"]["nom"] == "Jeanne Roux"
    assert revue["opinion_proposee"] == Opinion.DEFAVORABLE.value
    assert revue["motifs"][0].endswith("teleconsultation ETH.08")


def test_the_proposed_opinion_follows_the_arbitrated_outcome(made: Path) -> None:
    lenient = {**DECISIONS, "ETH.08": ("conforme", "Le choix du lieu figure à l'écran d'accueil.")}
    _arbitration(made, "clement.yaml", lenient)
    code, out, err = _arbitrate(made, "clement.yaml", "clement")
    assert code == 0, err
    revue = _revue(made / "clement")
    assert _outcomes(revue)["ETH.08"] == "conforme"
    assert revue["opinion_proposee"] == Opinion.FAVORABLE_RESERVES_NON_SUSPENSIVES.value
    assert "Favorable avec réserves non suspensives" in out
    code, out, _ = _cli("dossier", "verify", str(made / "clement"))
    assert code == 0, out


def test_the_arbitrated_copy_verifies_intact_and_keeps_both_reviews(made: Path) -> None:
    code, _out, err = _cli("dossier", "verify", str(made / "out"))
    assert (code, err) == (0, ""), err
    kept = made / "out" / "revue" / "evaluateurs"
    assert (kept / "1-claire-martin" / "r1.yaml").read_bytes() == (made / "r1.yaml").read_bytes()
    assert (kept / "2-paul-durand" / "r2.yaml").read_bytes() == (made / "r2.yaml").read_bytes()
    assert isinstance(cens_eval.read_dossier(made / "out").reviewed, DossierArbitre)


@pytest.mark.parametrize(
    ("changed", "old", "new"),
    [
        ("revue/evaluateurs/2-paul-durand/r2.yaml", "Paul Durand", "Paul Dupont"),
        ("revue/arbitrage.yaml", "omet les aidants", "oublie les aidants"),
    ],
)
def test_a_changed_second_review_or_arbitration_is_named(
    made: Path, tmp_path: Path, changed: str, old: str, new: str
) -> None:
    copy = tmp_path / "copie"
    shutil.copytree(made / "out", copy)
    path = copy / changed
    path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    code, out, err = _cli("dossier", "verify", str(copy))
    assert code == 1
    assert f"{path}: " in out + err


def test_a_resealed_change_is_caught_by_the_reproduction(made: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copie"
    shutil.copytree(made / "out", copy)
    data = json.loads((copy / "revue.json").read_text("utf-8"))
    data["revue"]["arbitrage"]["decisions"][0]["motif"] = "Autre motif."
    (copy / "revue.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    seal = json.loads((copy / "revue" / "manifeste.json").read_text("utf-8"))
    code, out, err = _cli("dossier", "verify", str(copy))
    assert code == 1
    assert "revue.json" in out + err
    assert seal["fichiers"]  # the seal itself was left as written


def test_an_undecided_disagreement_or_an_agreed_exigence_decided_is_refused(made: Path) -> None:
    partial = {k: v for k, v in DECISIONS.items() if k != "CE-IA-03"}
    path = _arbitration(made, "partiel.yaml", partial)
    data = yaml.safe_load(path.read_text("utf-8"))
    del data["decisions"]["ia-sante"]
    data["decisions"]["teleconsultation"]["ETH.12"] = {"resultat": "conforme", "motif": "Vu."}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    code, _out, err = _arbitrate(made, "partiel.yaml", "refus")
    assert code == 2
    assert "1 désaccord(s) sans décision de l'arbitre : ia-sante CE-IA-03" in err
    assert re.search(r"partiel\.yaml:\d+: .*ETH\.12.*pas un désaccord", err)
    assert "Traceback" not in err
    assert not (made / "refus").exists()


def test_an_arbitration_needs_its_template_or_its_file(made: Path) -> None:
    code, _, err = _cli("review", "arbitrate", str(made / "d"), str(made / "r1.yaml"))
    assert code == 2 and "au moins deux revues" in err
    code, _, err = _cli(
        "review", "arbitrate", str(made / "d"), str(made / "r1.yaml"), str(made / "r2.yaml"),
        "--arbitrage", str(made / "arbitrage.yaml"),
    )  # fmt: skip
    assert code == 2 and "-o" in err
    code, _, err = _cli(
        "review", "arbitrate", str(made / "d"), str(made / "r1.yaml"), str(made / "r2.yaml"),
        "--arbitrage", str(made / "arbitrage.yaml"), "--arbitre", "X", "-o", str(made / "x"),
    )  # fmt: skip
    assert code == 2 and "--arbitre" in err and not (made / "x").exists()


def test_revue_pdf_and_workbook_show_both_evaluators_and_the_arbitration(made: Path) -> None:
    from pypdf import PdfReader

    text = " ".join(
        page.extract_text() for page in PdfReader(str(made / "out" / "revue.pdf")).pages
    )
    flat = " ".join(text.split())
    for expected in ("Claire Martin", "Paul Durand", "Jeanne Roux", "589/733", "ETH.08"):
        assert expected in flat
    sheet = openpyxl.load_workbook(made / "out" / "revue.xlsx")["Arbitrage"]
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "ETH.08" in values and "Jeanne Roux" in " ".join(map(str, values))


def test_review_init_fills_each_evaluator_name(made: Path, tmp_path: Path) -> None:
    code, _, err = _cli(
        "review", "init", str(made / "d"), "-o", str(tmp_path / "a.yaml"), "--evaluateur", "Léa Roy"
    )
    assert code == 0, err
    assert yaml.safe_load((tmp_path / "a.yaml").read_text("utf-8"))["evaluateur"]["nom"] == (
        "Léa Roy"
    )
    code, _, err = _cli(
        "review", "init", str(made / "d"), "-o", str(tmp_path / "b.xlsx"), "--evaluateur", "Léo B"
    )
    assert code == 0, err
    sheet = openpyxl.load_workbook(tmp_path / "b.xlsx")["Évaluateur"]
    assert [row[2] for row in sheet.iter_rows(values_only=True) if row[0] == "evaluateur.nom"] == [
        "Léo B"
    ]


def test_the_batch_calibrates_each_pair_over_the_dossiers_both_reviewed(made: Path) -> None:
    """A second dossier reviewed by the same two evaluators, who differ there on ETH.08 only."""
    from .test_review_compare import OTHER

    code, _, err = _cli("evaluate", str(OTHER), "--as-of", "2026-11-22", "-o", str(made / "b"))
    assert code == 1, err
    _review(made / "b", made / "b1.yaml", "Claire Martin", {})
    _review(made / "b", made / "b2.yaml", "Paul Durand", {"ETH.08": SECOND["ETH.08"]})
    data = {
        "arbitre": {"nom": "Jeanne Roux"},
        "date": "2026-11-27",
        "dossier_sha256": cens_eval.read_dossier(made / "b").sha256,
        "decisions": {"teleconsultation": {"ETH.08": {"resultat": "conforme", "motif": "Vu."}}},
    }
    (made / "arb-b.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    code, _, err = _cli(
        "review", "arbitrate", str(made / "b"), str(made / "b1.yaml"), str(made / "b2.yaml"),
        "--arbitrage", str(made / "arb-b.yaml"), "-o", str(made / "b-out"),
    )  # fmt: skip
    assert code == 0, err
    code, out, err = _cli(
        "batch", str(made / "out"), str(made / "b-out"), "-o", str(made / "lot.xlsx"),
        "--json", str(made / "lot.json"), "--jobs", "1",
    )  # fmt: skip
    assert code == 0, err
    synthese = json.loads((made / "lot.json").read_text("utf-8"))
    # Pooled over 48 + 19 = 67 exigences. Claire Martin: conforme 40 + 1, partiellement
    # conforme 7, non conforme 1, non applicable justifié 1, sans réponse 17. Paul Durand:
    # conforme 38 + 0, partiellement conforme 7, non conforme 2 + 1, preuves manquantes 1,
    # non applicable justifié 1, sans réponse 17. Agreeing: 45 + 18 = 63, po = 63/67;
    # pe = (41·38 + 7·7 + 1·3 + 0·1 + 1·1 + 17·17) / 67² = 1900/4489;
    # kappa = (63·67 - 1900) / (4489 - 1900) = 2321/2589.
    [pair] = synthese["calibration"]
    assert pair["evaluateurs"] == ["Claire Martin", "Paul Durand"]
    assert (pair["dossiers"], pair["exigences"], pair["concordantes"]) == (2, 67, 63)
    assert pair["kappa"]["exact"] == "2321/2589"
    first = pair["disputees"][0]
    assert (first["exigence"], first["dossiers"], first["desaccords"]) == ("ETH.08", 2, 2)
    assert [e["desaccords"] for e in synthese["disputees"]] == [2, 1, 1]
    assert "Claire Martin / Paul Durand : 2 dossier(s)" in out
    assert "ETH.08 (2/2)" in out
    sheet = openpyxl.load_workbook(made / "lot.xlsx")["Calibration"]
    assert [c.value for c in sheet[2]][:5] == ["Claire Martin", "Paul Durand", 2, 67, 63]


def test_a_batch_without_double_review_has_no_calibration(made: Path) -> None:
    code, out, err = _cli(
        "batch", str(made / "d"), "-o", str(made / "seul.xlsx"), "--json", str(made / "seul.json")
    )
    assert code == 0, err
    assert json.loads((made / "seul.json").read_text("utf-8"))["calibration"] == []
    assert "Calibration" not in out
    assert "Calibration" not in openpyxl.load_workbook(made / "seul.xlsx").sheetnames


def test_an_arbitrated_copy_reviewed_again_keeps_it_sealed_in_its_history(
    made: Path, tmp_path: Path
) -> None:
    later = _review(made / "d", tmp_path / "r3.yaml", "Anne Petit", AGREED)
    code, _, err = _cli("review", "apply", str(made / "out"), str(later), "-o", str(tmp_path / "v"))
    assert code == 0, err
    kept = (
        tmp_path / "v" / "historique" / "1" / "revue" / "evaluateurs" / "2-paul-durand" / "r2.yaml"
    )
    assert kept.read_bytes() == (made / "r2.yaml").read_bytes()
    code, out, err = _cli("dossier", "verify", str(tmp_path / "v"))
    assert (code, err) == (0, ""), err
    kept.write_text(kept.read_text("utf-8") + "# ajout\n", "utf-8")
    code, out, err = _cli("dossier", "verify", str(tmp_path / "v"))
    assert code == 1
    assert f"{kept}: " in out + err


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("vide.yaml", b"", r"vide\.yaml"),
        ("liste.yaml", b"- 1\n- 2\n", r"liste\.yaml"),
        ("latin1.yaml", "arbitre: {nom: Zoé}\n".encode("latin-1"), r"latin1\.yaml"),
        ("imbrique.yaml", b"decisions: " + b"[" * 200 + b"]" * 200 + b"\n", r"imbrique\.yaml"),
        ("inconnu.yaml", b"arbitre: {nom: X}\ninconnu: 1\n", r"inconnu\.yaml:2: "),
        ("decisions.yaml", b"decisions: [1, 2]\n", r"decisions\.yaml:1: "),
        ("classeur.xlsx", b"PK\x03\x04", r"classeur\.xlsx: .*YAML ou en JSON"),
        ("date.json", b'{"date": "hier", "arbitre": {"nom": "X"}}', r"date\.json:1: .*date"),
    ],
)
def test_a_hostile_arbitration_file_is_refused_cleanly(
    made: Path, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    (tmp_path / name).write_bytes(content)
    code, out, err = _cli(
        "review", "arbitrate", str(made / "d"), str(made / "r1.yaml"), str(made / "r2.yaml"),
        "--arbitrage", str(tmp_path / name), "-o", str(tmp_path / "revu"),
    )  # fmt: skip
    assert code == 2, err
    assert re.search(message, err), err
    assert "Traceback" not in err and out == ""
    assert not (tmp_path / "revu").exists()


def test_an_arbitration_of_another_dossier_is_refused(made: Path, tmp_path: Path) -> None:
    data = yaml.safe_load((made / "arbitrage.yaml").read_text("utf-8"))
    data["dossier_sha256"] = "0" * 64
    (tmp_path / "autre.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    code, _, err = _cli(
        "review", "arbitrate", str(made / "d"), str(made / "r1.yaml"), str(made / "r2.yaml"),
        "--arbitrage", str(tmp_path / "autre.yaml"), "-o", str(tmp_path / "revu"),
    )  # fmt: skip
    assert code == 2
    assert re.search(
        r"autre\.yaml:\d+: dossier_sha256: cet arbitrage porte sur un autre dossier", err
    )
