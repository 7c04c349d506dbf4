"""Independent reviews of one dossier compared: kappa checked by hand, disagreements, refusals.

Two reviews of the MediLink dossier differ on three exigences, one of them mandatory: the
comparison gives Cohen's kappa exactly, lists the three with both avis and comments, the
mandatory one first, and writes the same workbook twice. A third review gives Fleiss' kappa.
A review of another dossier, the same review twice or a modified dossier are refused.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

import cens_eval
from cens_eval.cli import main
from cens_eval.model.vocabulary import Resultat
from cens_eval.review.agreement import (
    COHEN_METHOD,
    cohen_variance,
    fleiss_kappa,
    kappa_with_interval,
)

from .conftest import QUESTIONNAIRES, REFERENTIELS

MEDILINK = QUESTIONNAIRES / "teleconsult-medilink" / "questionnaire.yaml"
OTHER = Path(__file__).parent / "data" / "questionnaires" / "base" / "questionnaire.yaml"
C, PC, NC = Resultat.CONFORME, Resultat.PARTIELLEMENT_CONFORME, Resultat.NON_CONFORME
LIEU = "Le choix du lieu n'apparaît ni dans la vidéo du parcours ni sur l'écran du médecin."
AIDANTS = "L'étude d'impact ne traite pas des proches aidants."
TIERS = "Joindre la procédure de signalement d'un tiers présent."
# The second evaluator differs from the first (who validates everything) on three exigences:
# ETH.08 (mandatory, declared conforme) refused → non conforme; CE-IA-03 (préconisation,
# declared conforme) refused as partiellement conforme; CE-TLC-04 (préconisation, declared
# partiellement conforme) awaiting a complément → preuves manquantes.
SECOND = {
    "ETH.08": {"avis": "non_valide", "commentaire": LIEU},
    "CE-IA-03": {
        "avis": "non_valide",
        "resultat": "partiellement_conforme",
        "commentaire": AIDANTS,
    },
    "CE-TLC-04": {"avis": "complement_demande", "commentaire": TIERS},
}


def _cli(*args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    with runner.isolation(env={"CENS_EVAL_REFERENTIELS": str(REFERENTIELS)}) as (out, err, _):
        code = main(list(args))
        return code, out.getvalue().decode(), err.getvalue().decode()


def _review(folder: Path, path: Path, name: str, changes: dict[str, Any], **skip: Any) -> Path:
    """Every exigence validé, except ``changes``; those named in ``skip['without']`` get no avis."""
    found = cens_eval.read_dossier(folder)
    without = skip.get("without", ())
    avis = {
        r.id: {
            e.id: changes.get(e.id, {"avis": "valide"}) for e in r.exigences if e.id not in without
        }
        for r in found.dossier.resultats
    }
    data = {
        "evaluateur": {"nom": name, "fonction": "Rapporteur"},
        "date": "2026-11-25",
        "dossier_sha256": found.sha256,
        "avis": avis,
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The MediLink dossier and three reviews of it (module-wide, read only)."""
    root = tmp_path_factory.mktemp("compare")
    code, _, err = _cli("evaluate", str(MEDILINK), "--as-of", "2026-11-22", "-o", str(root / "d"))
    assert code == 1, err  # MediLink is non conforme
    _review(root / "d", root / "r1.yaml", "Claire Martin", {})
    _review(root / "d", root / "r2.yaml", "Paul Durand", SECOND)
    _review(root / "d", root / "r3.yaml", "Anne Petit", {"ETH.08": SECOND["ETH.08"]})
    return root


def _compare(made: Path, *reviews: str) -> dict[str, Any]:
    code, out, err = _cli(
        "review", "compare", str(made / "d"), *(str(made / r) for r in reviews), "--format", "json"
    )
    assert (code, err) == (0, ""), err
    result: dict[str, Any] = json.loads(out)
    return result


def test_two_reviews_give_the_hand_computed_kappa_and_their_three_disagreements(made: Path) -> None:
    result = _compare(made, "r1.yaml", "r2.yaml")
    # 48 exigences, all with an avis in both reviews. First review (the declared outcomes):
    # conforme 38, partiellement conforme 8, non conforme 2. Second: conforme 38 - 2 = 36,
    # partiellement conforme 8 - 1 + 1 = 8, non conforme 2 + 1 = 3, preuves manquantes 1.
    # po = 45/48 = 15/16; pe = (38·36 + 8·8 + 2·3 + 0·1) / 48² = 1438/2304 = 719/1152;
    # kappa = (15/16 - 719/1152) / (1 - 719/1152) = (1080 - 719) / (1152 - 719) = 361/433.
    [pair] = result["paires"]
    assert (pair["exigences"], pair["concordantes"], pair["pourcentage"]) == (48, 45, "93.8")
    assert pair["kappa"]["exact"] == "361/433"
    assert Decimal(pair["kappa"]["valeur"]) == Decimal("0.834")  # 0.83372…
    low, high = Decimal(pair["kappa"]["ic_bas"]), Decimal(pair["kappa"]["ic_haut"])
    assert low < Decimal("0.834") < high <= 1
    assert result["collectif"] is None
    assert [(d["id"], d["niveau_effectif"]) for d in result["desaccords"]] == [
        ("ETH.08", "exigence"),  # the mandatory one first
        ("CE-IA-03", "preconisation"),
        ("CE-TLC-04", "preconisation"),
    ]
    eth08 = result["desaccords"][0]["avis"]
    assert [
        (a["evaluateur"], a["avis"], a["resultat_evalue"], a["commentaire"]) for a in eth08
    ] == [
        ("Claire Martin", "valide", "conforme", None),
        ("Paul Durand", "non_valide", "non_conforme", LIEU),
    ]
    assert result["non_comparees"] == []


def test_the_text_report_names_both_evaluators_and_the_disagreements(made: Path) -> None:
    code, out, err = _cli(
        "review", "compare", str(made / "d"), str(made / "r1.yaml"), str(made / "r2.yaml")
    )
    assert (code, err) == (0, "")
    assert "kappa de Cohen : 0,834 (exact 361/433) ; IC 95 % [" in out
    assert "Désaccords : 3, dont 1 sur exigence(s) obligatoire(s)" in out
    assert f"R2 Paul Durand : Non validé → Non conforme — « {LIEU} »" in out
    assert out.index("ETH.08") < out.index("CE-IA-03") < out.index("CE-TLC-04")


def test_fleiss_kappa_of_three_reviews_matches_a_hand_computation(made: Path) -> None:
    result = _compare(made, "r1.yaml", "r2.yaml", "r3.yaml")
    # The third evaluator refuses ETH.08 only. Per exigence, P_i = (Σ n_ij² - 3) / 6:
    # ETH.08 (C, NC, NC), CE-IA-03 (C, PC, C), CE-TLC-04 (PC, PM, PC): (1 + 4 - 3) / 6 = 1/3;
    # the 45 others unanimous: 1. P = (45 + 3 · 1/3) / 48 = 23/24.
    # 144 ratings: conforme 38 + 36 + 37 = 111, partiellement 24, non conforme 2 + 3 + 3 = 8,
    # preuves manquantes 1. Pe = (111² + 24² + 8² + 1²) / 144² = 12962/20736 = 6481/10368.
    # kappa = (23/24 - 6481/10368) / (1 - 6481/10368) = (9936 - 6481) / (10368 - 6481) = 3455/3887.
    group = result["collectif"]
    assert (group["evaluateurs"], group["exigences"], group["unanimes"]) == (3, 48, 45)
    assert group["accord_moyen"] == "95.8"  # 23/24
    assert group["kappa"]["exact"] == "3455/3887"
    assert [p["revues"] for p in result["paires"]] == [[1, 2], [1, 3], [2, 3]]
    # R1 / R3: C 38, PC 8, NC 2 against C 37, PC 8, NC 3, 47 agreements of 48:
    # pe = (38·37 + 8·8 + 2·3) / 2304 = 1476/2304; kappa = (2256 - 1476) / (2304 - 1476) = 65/69.
    assert result["paires"][1]["kappa"]["exact"] == "65/69"
    assert [d["id"] for d in result["desaccords"]] == ["ETH.08", "CE-IA-03", "CE-TLC-04"]


def test_fleiss_variance_matches_a_hand_computation() -> None:
    ratings = [["C", "NC", "NC"], ["C", "PC", "C"], ["PC", "PM", "PC"]]
    ratings += [["C"] * 3] * 36 + [["PC"] * 3] * 7 + [["NC"] * 3] * 2
    observed, kappa, variance = fleiss_kappa(ratings)
    assert (observed, kappa) == (Fraction(23, 24), Fraction(3455, 3887))
    # p = (111, 24, 8, 1) / 144. Σ p q = (111·33 + 24·120 + 8·136 + 1·143) / 144² = 7774 / 144²;
    # Σ p q (q - p) = (3663·(-78) + 2880·96 + 1088·128 + 143·142) / 144³ = 150336 / 144³.
    # var0 = 2 ((Σpq)² - Σpq(q-p)) / (N m (m-1) (Σpq)²), N = 48, m = 3:
    #      = 2 (7774² - 150336·144) / (288 · 7774²) = 2 · 38786692 / (288 · 60435076)
    assert variance == Fraction(2 * 38786692, 288 * 60435076)


def test_cohen_interval_matches_a_hand_computation() -> None:
    # 4 items: (C, C), (C, C), (NC, NC), (C, NC). Rows C 3/4, NC 1/4; columns C 1/2, NC 1/2.
    # po = 3/4, pe = 3/8 + 1/8 = 1/2, kappa = 1/2.
    # A = 1/2 (1 - (3/4 + 1/2)/2)² + 1/4 (1 - (1/4 + 1/2)/2)² = 9/128 + 25/256 = 43/256
    # B = (1/2)² · 1/4 · (1/2 + 1/4)² = 9/256;  C = (1/2 - 1/2 · 1/2)² = 16/256
    # var = (43 + 9 - 16)/256 / (4 · (1/2)²) = 9/64: standard error 3/8.
    pairs = [(C, C), (C, C), (NC, NC), (C, NC)]
    assert cohen_variance(pairs) == Fraction(9, 64)
    kappa = kappa_with_interval(Fraction(1, 2), Fraction(9, 64), COHEN_METHOD)
    # 1/2 ± 1.96 · 0.375 = 1/2 ± 0.735: [-0.235 ; 1.235], bounded to 1.
    assert (kappa.ic_bas, kappa.ic_haut, kappa.erreur_type) == (
        Decimal("-0.235"),
        Decimal("1.000"),
        Decimal("0.3750"),
    )
    assert cohen_variance([(C, C), (C, C)]) is None  # one category: kappa undefined


def test_cohen_variance_does_not_depend_on_which_evaluator_is_first() -> None:
    """A category only one evaluator used (PC here) counts for both, whatever their order."""
    pairs = [(C, C), (C, C), (NC, NC), (C, NC), (PC, C), (PC, NC), (NC, NC)]
    swapped = [(b, a) for a, b in pairs]
    assert cohen_variance(pairs) is not None
    assert cohen_variance(pairs) == cohen_variance(swapped)


def test_fleiss_kappa_is_undefined_for_one_category_and_needs_two_raters_per_item() -> None:
    assert fleiss_kappa([["C", "C"], ["C", "C"]]) == (Fraction(1), None, None)
    assert fleiss_kappa([["C", "NC"]])[:2] == (Fraction(0), Fraction(-1))  # one item is enough
    observed, kappa, _ = fleiss_kappa([["C", "NC"], ["C", "C"]])  # two raters are enough
    assert (observed, kappa) == (Fraction(1, 2), Fraction(-1, 3))
    for wrong in ([["C"], ["NC"]], [["C", "C"], ["C", "NC", "NC"]]):
        with pytest.raises(ValueError, match="même nombre d'évaluateurs"):
            fleiss_kappa(wrong)


def test_an_exigence_without_avis_is_left_out_and_said(made: Path, tmp_path: Path) -> None:
    partial = _review(made / "d", tmp_path / "r4.yaml", "Luc Bernard", {}, without=("ETH.13",))
    code, out, err = _cli(
        "review",
        "compare",
        str(made / "d"),
        str(made / "r2.yaml"),
        str(partial),
        "--format",
        "json",
    )
    assert code == 0
    assert err == (
        f"{partial}: avertissement : 1 exigence(s) sans avis, non comparée(s) : teleconsultation ETH.13\n"
    )
    result = json.loads(out)
    assert result["comparees"] == 47
    assert result["non_comparees"] == [
        {
            "referentiel": "teleconsultation",
            "id": "ETH.13",
            "niveau_effectif": "exigence",
            "sans_avis": [2],
        }
    ]


def test_the_workbook_lists_the_disagreements_and_is_reproducible(
    made: Path, tmp_path: Path
) -> None:
    outputs = []
    for name in ("a.xlsx", "b.xlsx"):
        code, _, err = _cli(
            "review", "compare", str(made / "d"), str(made / "r1.yaml"), str(made / "r2.yaml"),
            "-o", str(tmp_path / name),
        )  # fmt: skip
        assert (code, err) == (0, "")
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    wb = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert wb.sheetnames == ["Accord", "Désaccords"]
    rows = list(wb["Désaccords"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == ["ETH.08", "CE-IA-03", "CE-TLC-04"]
    assert rows[0][6] == f"Non validé → Non conforme — « {LIEU} »"
    values = [c for row in wb["Accord"].iter_rows(values_only=True) for c in row if c is not None]
    assert "361/433" in values


def test_a_review_of_another_dossier_is_refused(made: Path, tmp_path: Path) -> None:
    code, _, err = _cli("evaluate", str(OTHER), "--as-of", "2026-11-22", "-o", str(tmp_path / "o"))
    assert code in (0, 1), err
    other = _review(tmp_path / "o", tmp_path / "autre.yaml", "Paul Durand", {})
    code, out, err = _cli("review", "compare", str(made / "d"), str(made / "r1.yaml"), str(other))
    assert (code, out) == (2, "")
    assert f"{other}:" in err and "cette revue porte sur un autre dossier" in err
    assert "Traceback" not in err


def test_the_same_review_twice_or_a_single_review_is_refused(made: Path) -> None:
    r1 = str(made / "r1.yaml")
    code, _, err = _cli("review", "compare", str(made / "d"), r1, r1)
    assert code == 2
    assert "une revue ne se compare pas à elle-même" in err
    code, _, err = _cli("review", "compare", str(made / "d"), r1)
    assert code == 2 and "au moins deux revues" in err


def test_a_modified_dossier_is_not_compared(made: Path, tmp_path: Path) -> None:
    shutil.copytree(made / "d", tmp_path / "d")
    questionnaire = tmp_path / "d" / "questionnaire" / "questionnaire.yaml"
    questionnaire.write_text(questionnaire.read_text("utf-8") + "\n# modifié\n", "utf-8")
    code, out, err = _cli(
        "review", "compare", str(tmp_path / "d"), str(made / "r1.yaml"), str(made / "r2.yaml")
    )
    assert (code, out) == (1, "")
    assert "questionnaire.yaml" in err
