"""OSCAL exchange: référentiels as catalogs read back equal, dossiers as assessment results.

Every export is validated against the vendored NIST OSCAL 1.2.1 JSON Schemas (byte-identical to
their recorded SHA-256) and against what the schemas do not check: uuids and ids unique, every
reference resolved, every non-OSCAL prop or part in the cens-eval namespace.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

import cens_eval
from cens_eval.loader.oscal import load_catalog
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.oscal import NS
from cens_eval.render.oscal_catalog import render_catalog
from tests.builders import referentiel
from tests.oscal_checks import (
    ROOT,
    SCHEMA_FILES,
    SCHEMAS,
    constraint_errors,
    file_sha256,
    recorded_sha256,
    schema_errors,
)

SHARED = ROOT.parent / "shared" / "oscal" / "1.2.1"
QUESTIONNAIRES = ROOT / "questionnaires"
EXAMPLES = {
    "nutrisante": QUESTIONNAIRES / "app-nutrisante" / "questionnaire.yaml",
    "lgc-yaml": QUESTIONNAIRES / "lgc-cabinetplus" / "questionnaire.yaml",
    "lgc-xlsx": QUESTIONNAIRES / "lgc-cabinetplus" / "questionnaire.xlsx",
    "medilink": QUESTIONNAIRES / "teleconsult-medilink" / "questionnaire.yaml",
}


def _valid(document: dict[str, Any]) -> None:
    errors = schema_errors(document) + constraint_errors(document)
    assert not errors, "\n".join(errors[:20])


def _props(node: dict[str, Any]) -> dict[str, str]:
    return {p["name"]: p["value"] for p in node.get("props", [])}


# -- the schemas -------------------------------------------------------------------------------


def test_the_vendored_schemas_are_the_recorded_nist_files() -> None:
    recorded = recorded_sha256()
    assert set(recorded) == set(SCHEMA_FILES.values())
    for name, sha256 in recorded.items():
        assert file_sha256(name) == sha256, name


def test_the_vendored_schemas_are_the_shared_copies() -> None:
    if not SHARED.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SHARED} absent : CI place shared/ à côté du dépôt")
        pytest.skip("shared/oscal absent hors CI")
    for name in SCHEMA_FILES.values():
        assert (SHARED / name).read_bytes() == (SCHEMAS / name).read_bytes(), name


def test_the_validator_refuses_what_the_schema_refuses() -> None:
    ref = referentiel([{"id": "A1", "principe": "autonomie", "niveau": "exigence"}])
    document = json.loads(render_catalog(ref))
    _valid(document)
    control = document["catalog"]["controls"][0]
    control["id"] = "1 mauvais"  # not a token
    del document["catalog"]["metadata"]["last-modified"]
    errors = schema_errors(document)
    assert any("controls[0].id" in e for e in errors)
    assert any("last-modified" in e for e in errors)
    control["props"].append({"name": "principe", "value": "autonomie"})
    assert any("sans ns" in e for e in constraint_errors(document))


# -- référentiels as catalogs ----------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        ("applications-sante-mes", "2"),
        ("ia-sante", "2024-03"),
        ("lgc", "ce-0.1"),
        ("teleconsultation", "1.5.1"),
    ],
)
def test_each_shipped_referentiel_exports_a_valid_catalog_read_back_identical(
    key: tuple[str, str], catalogue: Catalogue, run_cli, tmp_path: Path
) -> None:
    ref_id, version = key
    out = tmp_path / "catalog.json"
    result = run_cli("referentiels", "export", ref_id, "--format", "oscal", "-o", str(out))
    assert result.code == 0, result.stderr
    document = json.loads(out.read_bytes())
    _valid(document)
    catalog = document["catalog"]
    ref = catalogue.get(ref_id, version)
    assert ref is not None
    controls = [c for g in catalog.get("groups", []) for c in g["controls"]]
    controls += catalog.get("controls", [])
    assert sorted(_props(c)["label"] for c in controls) == sorted(e.id for e in ref.exigences)
    resources = catalog["back-matter"]["resources"]
    fichier = [r for r in resources if _props(r).get("role") == "fichier-referentiel"]
    assert fichier[0]["rlinks"][0]["hashes"] == [
        {"algorithm": "SHA-256", "value": catalogue.sha256[key]}
    ]

    again = tmp_path / "again.json"
    run_cli("referentiels", "export", ref_id, "--format", "oscal", "-o", str(again))
    assert again.read_bytes() == out.read_bytes()

    imported = tmp_path / "importe.yaml"
    result = run_cli("referentiels", "import", str(out), "-o", str(imported))
    assert result.code == 0, result.stderr
    assert load_catalog(out, catalogue.vocabulaire) == ref
    result = run_cli("referentiels", "diff", f"{ref_id}@{version}", str(imported))
    assert result.code == 0, result.stdout
    assert "identiques" in result.stdout


def test_every_cens_eval_fact_of_an_exigence_travels_in_the_catalog(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    ref = referentiel(
        [
            {
                "id": "1.2",
                "principe": "justice_equite",
                "niveau": "preconisation",
                "obligatoire_a_partir_du": "2027-01-01",
                "poids": "2.5",
                "applicable_si": {"question": "utilise_ia", "equals": True},
                "preuves": [
                    {"id": "taux", "type": "mesure", "unite": "%", "seuil": {"min": "99.5"}},
                    {"id": "doc", "type": "document", "obligatoire": False},
                ],
                "non_applicable": {
                    "conditions": "Sans IA.\nSur deux lignes.",
                    "exige_hors_profil": True,
                    "preuves": [{"id": "attestation", "type": "attestation_sur_l_honneur"}],
                },
                "choix_du_projet": [{"porte_sur": "poids", "raison": "Parce que."}],
                "source": {
                    "document": "src",
                    "localisation": "art. 2",
                    "appuie": {"niveau": True, "preuves": ["taux"]},
                },
                "theme": "equite",
                "note": "Une note.",
            },
            {"id": "B", "principe": "autonomie", "niveau": "exigence"},
        ]
    )
    document = json.loads(render_catalog(ref))
    _valid(document)
    control = document["catalog"]["controls"][0]
    assert control["id"] == "_1.2"  # a token: an id cannot start with a digit
    assert _props(control)["label"] == "1.2"
    assert [p["name"] for p in control["parts"]][:3] == [
        "statement",
        "assessment-objective",
        "assessment-objective",
    ]
    path = tmp_path / "c.json"
    path.write_bytes(render_catalog(ref))
    assert load_catalog(path, catalogue.vocabulaire) == ref


FOREIGN = {
    "catalog": {
        "uuid": "74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724",
        "metadata": {
            "title": "Catalogue d'un autre outil",
            "last-modified": "2024-01-01T00:00:00Z",
            "version": "1.0",
            "oscal-version": "1.1.2",
        },
        "groups": [
            {
                "id": "ac",
                "title": "Access Control",
                "controls": [
                    {
                        "id": "ac-1",
                        "title": "Policy and Procedures",
                        "props": [{"name": "label", "value": "AC-1"}],
                        "parts": [{"id": "ac-1_smt", "name": "statement", "prose": "A policy."}],
                    }
                ],
            }
        ],
    }
}


def test_a_foreign_catalog_is_refused_with_each_missing_field_at_its_json_path(
    run_cli, tmp_path: Path
) -> None:
    path = tmp_path / "autre.json"
    path.write_text(json.dumps(FOREIGN, indent=2), "utf-8")
    out = tmp_path / "r.yaml"
    result = run_cli("referentiels", "import", str(path), "-o", str(out))
    assert result.code == 2
    assert not out.exists()
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    control = "$.catalog.groups[0].controls[0]"
    for field in ("principe", "niveau", "fidelite"):
        assert any(
            f"{control}.props : {field} absent" in line and f"ns {NS}" in line for line in lines
        ), field
    assert any(f"{control}.links : source absent" in line for line in lines)
    assert any("$.catalog.metadata.props : id absent" in line for line in lines)
    assert any("$.catalog.back-matter : base_legale absent" in line for line in lines)
    # each at its line of the file
    text = path.read_text("utf-8").splitlines()
    located = next(line for line in lines if f"{control}.props : principe" in line)
    number = int(located.split(":")[1])
    assert '"props"' in text[number - 1]


def test_a_wrong_value_in_an_imported_catalog_is_located(
    catalogue: Catalogue, run_cli, tmp_path: Path
) -> None:
    ref = catalogue.get("lgc")
    assert ref is not None
    document = json.loads(render_catalog(ref))
    control = document["catalog"]["groups"][0]["controls"][0]
    principe = next(p for p in control["props"] if p["name"] == "principe")
    principe["value"] = "bonheur"
    path = tmp_path / "c.json"
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False), "utf-8")
    result = run_cli("referentiels", "import", str(path), "-o", str(tmp_path / "r.yaml"))
    assert result.code == 2
    (line,) = [x for x in result.stderr.splitlines() if "principe" in x]
    number = int(line.split(":")[1])
    assert '"bonheur"' in path.read_text("utf-8").splitlines()[number - 1]
    assert f"Exigence {ref.exigences[0].id}" in line


def test_a_grid_still_needs_its_mapping(run_cli, tmp_path: Path) -> None:
    grid = ROOT / "examples" / "grilles" / "exemple-grille.csv"
    result = run_cli("referentiels", "import", str(grid), "-o", str(tmp_path / "r.yaml"))
    assert result.code == 2
    assert "--mapping" in result.stderr


# -- dossiers as assessment results ----------------------------------------------------------


@pytest.fixture(scope="module")
def dossiers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The four example dossiers (dossier.json only) and MediLink's reviewed copy."""
    from click.testing import CliRunner

    from cens_eval.cli import main
    from tests.conftest import REFERENTIELS

    root = tmp_path_factory.mktemp("oscal")
    folders: dict[str, Path] = {}
    env = {"CENS_EVAL_REFERENTIELS": str(REFERENTIELS)}

    def cli(*args: str) -> int:
        with CliRunner(env=env).isolation():
            return main(list(args))

    for name, questionnaire in EXAMPLES.items():
        out = root / name
        code = cli("evaluate", str(questionnaire), "--as-of", "2026-11-22", "-o", str(out))
        assert code in (0, 1)
        assert (out / "dossier.json").is_file()
        folders[name] = out
    found = cens_eval.read_dossier(folders["medilink"])
    avis: dict[str, Any] = {
        r.id: {e.id: {"avis": "valide"} for e in r.exigences} for r in found.dossier.resultats
    }
    avis["teleconsultation"]["ETH.08"] = {"avis": "non_valide", "commentaire": "Lieu absent."}
    review = root / "revue.yaml"
    data = {
        "evaluateur": {"nom": "Claire Martin", "organisme": "Commission"},
        "date": "2026-11-25",
        "dossier_sha256": found.sha256,
        "avis": avis,
        "decision_finale": {"opinion": "defavorable", "motif": "Choix du lieu absent."},
    }
    review.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    reviewed = root / "medilink-revu"
    code = cli("review", "apply", str(folders["medilink"]), str(review), "-o", str(reviewed))
    assert code == 0
    folders["medilink-revu"] = reviewed
    return folders


@pytest.fixture(scope="module")
def exports(dossiers: dict[str, Path]) -> dict[str, tuple[bytes, bytes]]:
    """Each dossier exported twice through the command."""
    from click.testing import CliRunner

    from cens_eval.cli import main

    out: dict[str, tuple[bytes, bytes]] = {}
    for name, folder in dossiers.items():
        runs = []
        for i in (1, 2):
            target = folder.parent / f"{name}-{i}.oscal.json"
            with CliRunner().isolation():
                code = main(
                    ["dossier", "export", str(folder), "--format", "oscal", "-o", str(target)]
                )
            assert code == 0
            runs.append(target.read_bytes())
        out[name] = (runs[0], runs[1])
    return out


@pytest.mark.parametrize("name", [*EXAMPLES, "medilink-revu"])
def test_each_example_dossier_exports_valid_deterministic_assessment_results(
    name: str, dossiers: dict[str, Path], exports: dict[str, tuple[bytes, bytes]]
) -> None:
    first, second = exports[name]
    assert first == second
    document = json.loads(first)
    _valid(document)
    ar = document["assessment-results"]
    dossier = cens_eval.read_dossier(dossiers[name]).dossier
    result = ar["results"][0]
    in_scope = [(r.id, e) for r in dossier.resultats for e in r.exigences]
    assert len(result["findings"]) == len(in_scope)
    answered = [e for _, e in in_scope if e.statut_declare is not None]
    assert len(result.get("observations", [])) == len(answered)
    engagements = [e for _, e in in_scope if e.engagement is not None]
    assert len(result.get("risks", [])) == len(engagements)
    assert len(ar["results"]) == (2 if name == "medilink-revu" else 1)


def test_a_finding_says_satisfied_or_not_and_the_exact_outcome(
    dossiers: dict[str, Path], exports: dict[str, tuple[bytes, bytes]]
) -> None:
    dossier = cens_eval.read_dossier(dossiers["medilink"]).dossier
    result = json.loads(exports["medilink"][0])["assessment-results"]["results"][0]
    findings = {(f["title"].split(" — ")[0]): f for f in result["findings"]}
    seen = set()
    for r in dossier.resultats:
        for e in r.exigences:
            finding = findings[f"{r.id} {e.id}"]
            props = _props(finding)
            assert props["resultat"] == e.resultat.value
            state = finding["target"]["status"]["state"]
            assert state == ("satisfied" if e.satisfaite else "not-satisfied")
            if e.resultat.value == "non_applicable_justifie":
                assert state == "satisfied"
                assert finding["target"]["implementation-status"]["state"] == "not-applicable"
            seen.add(e.resultat.value)
    assert {"conforme", "non_conforme"} <= seen


def test_hors_perimetre_exigences_are_excluded_with_their_reason(
    dossiers: dict[str, Path], exports: dict[str, tuple[bytes, bytes]]
) -> None:
    dossier = cens_eval.read_dossier(dossiers["medilink"]).dossier
    result = json.loads(exports["medilink"][0])["assessment-results"]["results"][0]
    excluded = {
        c["control-id"]
        for s in result["reviewed-controls"]["control-selections"]
        for c in s.get("exclude-controls", [])
    }
    reasons = {p["value"]: p["remarks"] for p in result["props"] if p["name"] == "hors-perimetre"}
    hors = [x for r in dossier.resultats for x in r.hors_perimetre]
    assert hors
    for x in hors:
        assert x.id in excluded
        assert reasons[x.id] == x.raison


def test_engagements_are_risks_with_their_deadline(
    dossiers: dict[str, Path], exports: dict[str, tuple[bytes, bytes]]
) -> None:
    dossier = cens_eval.read_dossier(dossiers["lgc-yaml"]).dossier
    result = json.loads(exports["lgc-yaml"][0])["assessment-results"]["results"][0]
    risks = {(_props(r)["exigence"]): r for r in result["risks"]}
    engaged = [e for r in dossier.resultats for e in r.exigences if e.engagement]
    assert engaged
    for e in engaged:
        assert e.engagement is not None
        assert risks[e.id]["deadline"] == f"{e.engagement.echeance.isoformat()}T00:00:00Z"
        assert risks[e.id]["statement"] == e.engagement.action


def test_evidence_files_carry_their_manifest_sha256(
    dossiers: dict[str, Path], exports: dict[str, tuple[bytes, bytes]]
) -> None:
    dossier = cens_eval.read_dossier(dossiers["medilink"]).dossier
    ar = json.loads(exports["medilink"][0])["assessment-results"]
    resources = {r["uuid"]: r for r in ar["back-matter"]["resources"]}
    hashes = {
        r["rlinks"][0]["href"]: r["rlinks"][0]["hashes"][0]["value"] for r in resources.values()
    }
    for piece in dossier.manifeste:
        assert hashes[f"questionnaire/{piece.chemin}"] == piece.sha256
    linked = [
        ev["href"]
        for o in ar["results"][0]["observations"]
        for ev in o.get("relevant-evidence", [])
        if ev.get("href", "").startswith("#")
    ]
    assert linked
    assert all(h[1:] in resources for h in linked)
    for r in dossier.referentiels:
        assert hashes[r.fichier] == r.sha256


def test_the_review_result_is_bound_to_the_dossier_hash(
    dossiers: dict[str, Path], exports: dict[str, tuple[bytes, bytes]]
) -> None:
    found = cens_eval.read_dossier(dossiers["medilink-revu"])
    assert found.reviewed is not None
    revue = found.reviewed.revue
    ar = json.loads(exports["medilink-revu"][0])["assessment-results"]
    declared, review = ar["results"]
    props = _props(review)
    assert props["dossier-sha256"] == found.sha256 == revue.dossier_sha256
    assert props["avis-retenu"] == "defavorable"
    assert props["kappa"] == format(revue.accord.kappa, "f")
    eth08 = next(f for f in review["findings"] if f["title"].startswith("teleconsultation ETH.08"))
    assert _props(eth08)["avis"] == "non_valide"
    assert eth08["target"]["status"]["state"] == "not-satisfied"
    parties = {p["name"] for p in ar["metadata"]["parties"]}
    assert {"Claire Martin", found.dossier.editeur.nom} <= parties
    # the dossier's own result is the same with or without the review
    alone = json.loads(exports["medilink"][0])["assessment-results"]["results"][0]
    assert declared == alone


def test_a_modified_dossier_is_refused_and_nothing_written(
    dossiers: dict[str, Path], run_cli, tmp_path: Path
) -> None:
    folder = tmp_path / "copie"
    shutil.copytree(dossiers["nutrisante"], folder)
    piece = next((folder / "questionnaire" / "preuves").iterdir())
    piece.write_bytes(piece.read_bytes() + b"!")
    out = tmp_path / "ar.json"
    result = run_cli("dossier", "export", str(folder), "--format", "oscal", "-o", str(out))
    assert result.code == 1
    assert piece.name in result.stderr
    assert not out.exists()


def test_the_export_is_never_written_inside_the_dossier(dossiers: dict[str, Path], run_cli) -> None:
    out = dossiers["nutrisante"] / "ar.json"
    result = run_cli(
        "dossier", "export", str(dossiers["nutrisante"]), "--format", "oscal", "-o", str(out)
    )
    assert result.code == 2
    assert not out.exists()
