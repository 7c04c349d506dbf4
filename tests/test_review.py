"""The evaluator's review: kappa, the opinion table, assessed outcomes, and the review commands."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
import yaml

from cens_eval.model.review import Avis, ExigenceRevue, Opinion, assessed_outcome
from cens_eval.model.vocabulary import Niveau, Principe, Resultat, Statut
from cens_eval.review.assess import cohen_kappa, propose_opinion

BASE = Path(__file__).parent / "data" / "questionnaires" / "base"
AS_OF = "2026-11-22"
C, NC, PM = Resultat.CONFORME, Resultat.NON_CONFORME, Resultat.PREUVES_MANQUANTES
PC, NAJ, NANJ = (
    Resultat.PARTIELLEMENT_CONFORME,
    Resultat.NON_APPLICABLE_JUSTIFIE,
    Resultat.NON_APPLICABLE_NON_JUSTIFIE,
)


def test_kappa_matches_a_hand_computed_case() -> None:
    # 10 items: declared C C C C C C NC NC PM PM, assessed C C C C NC NC NC PM PM C
    declared = [C] * 6 + [NC] * 2 + [PM] * 2
    assessed = [C, C, C, C, NC, NC, NC, PM, PM, C]
    observed, kappa = cohen_kappa(list(zip(declared, assessed, strict=True)))
    # agreements: 4 (C) + 1 (NC) + 1 (PM) = 6 → po = 6/10
    # declared margins C .6, NC .2, PM .2 ; assessed margins C .5, NC .3, PM .2
    # pe = .6*.5 + .2*.3 + .2*.2 = .30 + .06 + .04 = .40 → kappa = (.6 - .4) / (1 - .4) = 1/3
    assert observed == Fraction(3, 5)
    assert kappa == Fraction(1, 3)


def test_kappa_is_one_for_perfect_agreement_and_undefined_for_a_single_category() -> None:
    assert cohen_kappa([(C, C), (NC, NC)]) == (Fraction(1), Fraction(1))
    assert cohen_kappa([(C, C), (C, C)]) == (Fraction(1), None)
    assert cohen_kappa([]) == (None, None)


def _item(niveau: Niveau, avis: Avis | None, name: str) -> ExigenceRevue:
    assessed = assessed_outcome(C, Statut.CONFORME, avis)
    return ExigenceRevue(
        referentiel="r",
        id=name,
        libelle=name,
        principe=Principe.AUTONOMIE,
        niveau_effectif=niveau,
        statut_declare=Statut.CONFORME,
        resultat_declare=C,
        avis=avis,
        commentaire=None,
        resultat_evalue=assessed,
        satisfaite_evaluee=assessed is C,
        bloquante_evaluee=niveau is Niveau.EXIGENCE and assessed is not C,
        accord=True,
        sur_declaration=False,
    )


V, NV, CD = Avis.VALIDE, Avis.NON_VALIDE, Avis.COMPLEMENT_DEMANDE
F, RNS, RS, D = (
    Opinion.FAVORABLE,
    Opinion.FAVORABLE_RESERVES_NON_SUSPENSIVES,
    Opinion.FAVORABLE_RESERVES_SUSPENSIVES,
    Opinion.DEFAVORABLE,
)
# One mandatory exigence × one préconisation, every avis (None = no avis): the opinion expected.
OPINION_TABLE = [
    (V, V, F), (V, NV, RNS), (V, CD, RNS), (V, None, RNS),
    (NV, V, D), (NV, NV, D), (NV, CD, D), (NV, None, D),
    (CD, V, RS), (CD, NV, RS), (CD, CD, RS), (CD, None, RS),
    (None, V, RS), (None, NV, RS), (None, CD, RS), (None, None, RS),
]  # fmt: skip


@pytest.mark.parametrize(("mandatory", "recommended", "expected"), OPINION_TABLE)
def test_opinion_table(mandatory: Avis | None, recommended: Avis | None, expected: Opinion) -> None:
    items = [_item(Niveau.EXIGENCE, mandatory, "E"), _item(Niveau.PRECONISATION, recommended, "P")]
    opinion, motifs = propose_opinion(items)
    assert opinion is expected
    assert motifs


def test_the_worst_mandatory_avis_decides() -> None:
    items = [_item(Niveau.EXIGENCE, a, f"E{i}") for i, a in enumerate([V, CD, NV, V])]
    assert propose_opinion(items)[0] is D
    items = [_item(Niveau.EXIGENCE, a, f"E{i}") for i, a in enumerate([V, CD, V])]
    opinion, motifs = propose_opinion(items)
    assert opinion is RS and "r E1" in motifs[0]


@pytest.mark.parametrize(
    ("declared", "statut", "avis", "resultat", "expected"),
    [
        # validé keeps the declared outcome, whatever it is
        (C, Statut.CONFORME, V, None, C),
        (PC, Statut.PARTIELLEMENT_CONFORME, V, None, PC),
        (NAJ, Statut.NON_APPLICABLE, V, None, NAJ),
        (NC, Statut.NON_CONFORME, V, None, NC),
        (PM, Statut.CONFORME, V, None, PM),
        # non validé: the outcome given, else non conforme (non applicable non justifié for a claim)
        (C, Statut.CONFORME, NV, None, NC),
        (PC, Statut.PARTIELLEMENT_CONFORME, NV, None, NC),
        (C, Statut.CONFORME, NV, PC, PC),
        (NAJ, Statut.NON_APPLICABLE, NV, None, NANJ),
        (NC, Statut.NON_CONFORME, NV, C, C),
        # complément demandé, or no avis: evidence awaited
        (C, Statut.CONFORME, CD, None, PM),
        (NAJ, Statut.NON_APPLICABLE, None, None, PM),
    ],
)
def test_assessed_outcome(
    declared: Resultat,
    statut: Statut,
    avis: Avis | None,
    resultat: Resultat | None,
    expected: Resultat,
) -> None:
    assert assessed_outcome(declared, statut, avis, resultat) is expected


def test_rejecting_a_declared_gap_needs_the_assessed_outcome() -> None:
    with pytest.raises(ValueError, match="résultat évalué"):
        assessed_outcome(NC, Statut.NON_CONFORME, NV)


# ---- commands ---------------------------------------------------------------------------------


@pytest.fixture
def dossier_dir(run_cli, tmp_path: Path) -> Path:
    source = tmp_path / "source"
    shutil.copytree(BASE, source)
    out = tmp_path / "dossier"
    result = run_cli(
        "evaluate",
        str(source / "questionnaire.yaml"),
        "--as-of",
        AS_OF,
        "-o",
        str(out),
        "--formats",
        "json",
    )
    assert result.code == 1, result.stderr
    return out


def _template(run_cli, dossier_dir: Path, out: Path) -> dict:
    result = run_cli("review", "init", str(dossier_dir), "-o", str(out))
    assert result.code == 0, result.stderr
    return yaml.safe_load(out.read_text("utf-8"))


def _fill(
    data: dict, avis: dict[str, tuple[str, str | None]], default: str | None = "valide"
) -> dict:
    data["evaluateur"] = {"nom": "Claire Martin", "organisme": "Commission"}
    data["date"] = "2026-11-25"
    for ref in data["avis"].values():
        for exigence_id in ref:
            given, comment = avis.get(exigence_id, (default, None))
            ref[exigence_id] = {"avis": given, "commentaire": comment} if given else {}
    return data


def test_review_round_trip_with_agreement_and_opinion(
    run_cli, dossier_dir: Path, tmp_path: Path
) -> None:
    template = tmp_path / "revue.yaml"
    data = _template(run_cli, dossier_dir, template)
    recorded = yaml.safe_load((dossier_dir / "dossier.json").read_text("utf-8"))
    in_scope = [e["id"] for e in recorded["resultats"][0]["exigences"]]
    assert list(data["avis"]["teleconsultation"]) == in_scope  # each in-scope exigence, in order
    assert in_scope[:2] == ["ETH.08", "ETH.09.1"]
    filled = _fill(data, {"ETH.08": ("non_valide", "La capture ne montre pas le choix EHPAD.")})
    template.write_text(yaml.safe_dump(filled, allow_unicode=True), "utf-8")
    out = tmp_path / "revu"
    result = run_cli(
        "review", "apply", str(dossier_dir), str(template), "-o", str(out), "--formats", "json"
    )
    assert result.code == 0, result.stderr
    assert "Avis proposé : Défavorable" in result.stdout
    assert (
        "sur-déclaration : teleconsultation ETH.08 déclaré conforme, non validé → non conforme"
        in result.stdout
    )
    reviewed = yaml.safe_load((out / "revue.json").read_text("utf-8"))
    assert reviewed["revue"]["opinion_proposee"] == "defavorable"
    assert [e["id"] for e in reviewed["revue"]["sur_declarations"]] == ["ETH.08"]
    assert run_cli("dossier", "verify", str(out)).code == 0  # the dossier part is carried intact


def test_final_opinion_is_kept_beside_the_proposed_one(
    run_cli, dossier_dir: Path, tmp_path: Path
) -> None:
    template = tmp_path / "revue.yaml"
    data = _fill(_template(run_cli, dossier_dir, template), {})
    data["decision_finale"] = {
        "opinion": "favorable_reserves_suspensives",
        "motif": "Preuves attendues sous 30 jours.",
    }
    template.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    out = tmp_path / "revu"
    assert (
        run_cli(
            "review", "apply", str(dossier_dir), str(template), "-o", str(out), "--formats", "json"
        ).code
        == 0
    )
    revue = yaml.safe_load((out / "revue.json").read_text("utf-8"))["revue"]
    assert revue["opinion_retenue"] == "favorable_reserves_suspensives"
    assert revue["decision_finale"]["motif"] == "Preuves attendues sous 30 jours."
    # Validé keeps the declared gaps (ETH.12, ETH.30): the proposal is défavorable.
    assert revue["opinion_proposee"] == "defavorable"


def test_review_errors_are_located(run_cli, dossier_dir: Path, tmp_path: Path) -> None:
    template = tmp_path / "revue.yaml"
    data = _fill(_template(run_cli, dossier_dir, template), {"ETH.08": ("non_valide", None)})
    data["avis"]["teleconsultation"]["ETH.99"] = {"avis": "valide"}
    template.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    result = run_cli("review", "apply", str(dossier_dir), str(template), "-o", str(tmp_path / "o"))
    assert result.code == 2
    lines = result.stderr.strip().splitlines()
    assert any(
        "teleconsultation › Exigence ETH.08 › commentaire: commentaire ou résultat évalué obligatoire pour l'avis non_valide"
        in x
        for x in lines
    )
    assert any("Exigence ETH.99: exigence absente du dossier" in x for x in lines)
    assert all(x.startswith(f"{template}:") for x in lines)
    assert not (tmp_path / "o").exists()


def test_missing_avis_are_counted_and_listed(run_cli, dossier_dir: Path, tmp_path: Path) -> None:
    template = tmp_path / "revue.yaml"
    data = _fill(_template(run_cli, dossier_dir, template), {"ETH.12": (None, None)})
    template.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    result = run_cli(
        "review",
        "apply",
        str(dossier_dir),
        str(template),
        "-o",
        str(tmp_path / "o"),
        "--formats",
        "json",
    )
    assert result.code == 0
    assert (
        "1 exigence(s) sans avis, traitée(s) comme « complément demandé », pas d'avis final "
        "possible : teleconsultation ETH.12" in result.stderr
    )
    assert "Avis final : aucun, 1 exigence(s) sans avis" in result.stdout


def test_tampered_dossier_is_refused(run_cli, dossier_dir: Path, tmp_path: Path) -> None:
    template = tmp_path / "revue.yaml"
    template.write_text(
        yaml.safe_dump(_fill(_template(run_cli, dossier_dir, template), {}), allow_unicode=True)
    )
    evidence = dossier_dir / "questionnaire" / "preuves" / "capture-lieu.png"
    evidence.write_bytes(evidence.read_bytes() + b"!")
    result = run_cli("review", "apply", str(dossier_dir), str(template), "-o", str(tmp_path / "o"))
    assert result.code == 1
    assert f"{evidence}:" in result.stderr
    assert not (tmp_path / "o").exists()


def test_review_for_another_dossier_is_refused(run_cli, dossier_dir: Path, tmp_path: Path) -> None:
    template = tmp_path / "revue.yaml"
    data = _fill(_template(run_cli, dossier_dir, template), {})
    data["dossier_sha256"] = "0" * 64
    template.write_text(yaml.safe_dump(data, allow_unicode=True))
    result = run_cli("review", "apply", str(dossier_dir), str(template), "-o", str(tmp_path / "o"))
    assert result.code == 2 and "cette revue porte sur un autre dossier" in result.stderr


def test_xlsx_review_gives_the_same_result_as_yaml(
    run_cli, dossier_dir: Path, tmp_path: Path
) -> None:
    yaml_path, xlsx_path = tmp_path / "revue.yaml", tmp_path / "revue.xlsx"
    data = _fill(
        _template(run_cli, dossier_dir, yaml_path),
        {"ETH.30": ("complement_demande", "Panel manquant.")},
    )
    yaml_path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    assert run_cli("review", "init", str(dossier_dir), "-o", str(xlsx_path)).code == 0
    wb = openpyxl.load_workbook(xlsx_path)
    ws = wb["Évaluateur"]
    for row in ws.iter_rows(min_row=2):
        key = row[0].value
        if key == "evaluateur.nom":
            row[2].value = "Claire Martin"
        elif key == "evaluateur.organisme":
            row[2].value = "Commission"
        elif key == "date":
            row[2].value = "2026-11-25"
    sheet = wb["teleconsultation"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "ETH.30":
            row[7].value, row[8].value = "Complément demandé", "Panel manquant."
        elif row[0].value:
            row[7].value = "Validé"
    wb.save(xlsx_path)
    one = run_cli(
        "review",
        "apply",
        str(dossier_dir),
        str(yaml_path),
        "-o",
        str(tmp_path / "a"),
        "--formats",
        "json",
    )
    two = run_cli(
        "review",
        "apply",
        str(dossier_dir),
        str(xlsx_path),
        "-o",
        str(tmp_path / "b"),
        "--formats",
        "json",
    )
    assert one.code == two.code == 0, two.stderr
    first = yaml.safe_load((tmp_path / "a" / "revue.json").read_text("utf-8"))["revue"]
    second = yaml.safe_load((tmp_path / "b" / "revue.json").read_text("utf-8"))["revue"]
    first.pop("fichier"), second.pop("fichier")
    assert first == second
