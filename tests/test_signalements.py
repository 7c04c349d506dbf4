"""Éthicovigilance: the register is checked, reported on and published as a journal."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import yaml
from pypdf import PdfReader

import cens_eval
from cens_eval.model.signalement_privacy import personal_data, screen

from .conftest import ROOT

EXAMPLE = ROOT / "examples" / "signalements" / "registre.yaml"


def _broken(tmp_path: Path, edit) -> Path:
    data = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    edit({s["id"]: s for s in data["signalements"]})
    path = tmp_path / "registre.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line)


def test_the_example_register_is_valid(run_cli) -> None:
    result = run_cli("signalements", "check", str(EXAMPLE))
    assert result.code == 0, result.stderr
    assert "12 signalement(s)" in result.stdout
    assert "publication 5" in result.stdout
    assert result.stderr == ""


def test_a_broken_register_gives_every_problem_located(run_cli, tmp_path: Path) -> None:
    def edit(cases: dict) -> None:
        cases["SIG-2025-002"]["exigences"][0]["exigence"] = "ETH.99"
        del cases["SIG-2025-007"]["contact_editeur"]["reponse"]
        del cases["SIG-2025-007"]["contact_editeur"]["date_reponse"]
        cases["SIG-2025-003"]["instruction"]["rapporteurs"] = ["Rapporteuse R-05"]
        cases["SIG-2025-004"]["publication"]["reponse"] += " Écrire à dpo@nutrisante.example."

    path = _broken(tmp_path, edit)
    result = run_cli("signalements", "check", str(path))
    assert result.code == 2
    lines = result.stderr.splitlines()
    expected = [
        (_line_of(path, "exigence: ETH.99"), "exigence inconnue dans teleconsultation : ETH.99"),
        (_line_of(path, "- Rapporteuse R-05") - 1, "deux rapporteurs distincts attendus"),
        (None, "publié sans réponse de l'éditeur"),
        (None, "la réponse publiée contient une donnée personnelle (adresse électronique)"),
    ]
    for line, message in expected:
        found = [x for x in lines if message in x]
        assert found, (message, lines)
        assert found[0].startswith(f"{path}:")
        if line is not None:
            assert found[0].startswith(f"{path}:{line}:"), (found[0], line)
    assert "Signalement SIG" not in result.stdout


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda c: c["SIG-2025-001"]["instruction"].update(date="2025-01-10"),
            "date d'instruction (10/01/2025) antérieure à la date de décision du comité (20/01/2025)",
        ),
        (
            lambda c: c["SIG-2025-001"].pop("recevabilite"),
            "instruit sans décision de recevabilité du comité",
        ),
        (
            lambda c: c["SIG-2025-006"]["recevabilite"].pop("motif"),
            "signalement non recevable sans motif",
        ),
        (
            lambda c: c["SIG-2025-009"]["publication"].update(validee_par_editeur=False),
            "la réponse publiée doit être validée par l'éditeur",
        ),
        (
            lambda c: c["SIG-2025-003"]["instruction"].update(
                rapporteurs=["Rapporteuse R-05", "rapporteuse  r-05"]
            ),
            "deux rapporteurs distincts attendus (1 donné(s))",
        ),
        (
            lambda c: c["SIG-2025-005"]["evolutions"][0].update(nature="modifier"),
            "exigence à modifier non précisée",
        ),
    ],
)
def test_impossible_paths_are_refused(run_cli, tmp_path: Path, edit, message: str) -> None:
    result = run_cli("signalements", "check", str(_broken(tmp_path, edit)))
    assert result.code == 2
    assert message in result.stderr, result.stderr


def test_personal_data_before_publication_is_a_warning(run_cli, tmp_path: Path) -> None:
    def edit(cases: dict) -> None:
        cases["SIG-2025-011"]["faits"] += " Mme Durand peut être jointe au 06 12 34 56 78."

    path = _broken(tmp_path, edit)
    result = run_cli("signalements", "check", str(path))
    assert result.code == 0
    line = _line_of(path, "Mme Durand")
    warnings = result.stderr.splitlines()
    assert any(
        w.startswith(f"{path}:") and "avertissement" in w and "numéro de téléphone" in w
        for w in warnings
    ), warnings
    assert any("nom de personne après une civilité" in w for w in warnings)
    assert all(f":{line}" in w or f":{line - 1}:" in w for w in warnings), (line, warnings)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Contact : jean.dupont@example.org", ["adresse électronique"]),
        ("Appeler le +33 6 12 34 56 78", ["numéro de téléphone"]),
        ("NIR 1 84 12 75 123 456 78", ["numéro de sécurité sociale (NIR)"]),
        ("Vu par M. Martin hier", ["nom de personne après une civilité"]),
        ("Le patient n'a pas été informé le 12/03/2025.", []),
        ("Version 4.2 du logiciel, 30 s de mesure", []),
    ],
)
def test_the_privacy_screen(text: str, kinds: list[str]) -> None:
    assert personal_data(text) == kinds


def test_the_report_names_the_exigences_most_concerned(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "rapport.json"
    result = run_cli("signalements", "report", str(EXAMPLE), "-o", str(out))
    assert result.code == 0, result.stderr
    assert "ia-sante CE-IA-17 : 2" in result.stdout.splitlines()[2]
    data = json.loads(out.read_text("utf-8"))
    assert data["total"] == 12
    assert data["par_exigence"][0] == {
        "referentiel": "ia-sante",
        "exigence": "CE-IA-17",
        "libelle": data["par_exigence"][0]["libelle"],
        "signalements": 2,
    }
    assert data["par_exigence"][0]["libelle"]
    assert data["sans_exigence"] == ["SIG-2025-005", "SIG-2025-006"]
    assert data["par_etape"] == {
        "recueil": 2,
        "non_recevable": 1,
        "instruction": 2,
        "contact_editeur": 2,
        "publication": 5,
    }
    total = next(d for d in data["durees"] if d["etape"].startswith("recueil → publication"))
    # Published cases took 65, 75, 70, 110 and 83 days from receipt to publication.
    assert (total["signalements"], total["mediane"], total["pire"]) == (5, "75", 110)


def test_the_report_workbook_and_pdf(run_cli, tmp_path: Path) -> None:
    for suffix in ("xlsx", "pdf"):
        out = tmp_path / f"rapport.{suffix}"
        assert run_cli("signalements", "report", str(EXAMPLE), "-o", str(out)).code == 0
    wb = openpyxl.load_workbook(tmp_path / "rapport.xlsx")
    assert wb["Exigences"]["B2"].value == "CE-IA-17"
    assert wb["Exigences"]["D2"].value == 2
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "rapport.pdf").pages)
    assert "Rapport d'éthicovigilance" in text and "CE-IA-17" in text


def test_the_journal_shows_only_published_cases_without_the_facts(run_cli, tmp_path: Path) -> None:
    html = tmp_path / "journal.html"
    pdf = tmp_path / "journal.pdf"
    assert run_cli("signalements", "journal", str(EXAMPLE), "-o", str(html)).code == 0
    assert run_cli("signalements", "journal", str(EXAMPLE), "-o", str(pdf)).code == 0
    page = html.read_text("utf-8")
    assert '<html lang="fr">' in page
    ids = [line.split("<h2>")[1].split(" ")[0] for line in page.splitlines() if "<h2>" in line]
    assert ids == ["SIG-2025-001", "SIG-2025-004", "SIG-2025-005", "SIG-2025-007", "SIG-2025-009"]
    facts = yaml.safe_load(EXAMPLE.read_text("utf-8"))["signalements"][0]["faits"]
    assert facts[:40] not in page
    assert "Rapporteur" not in page
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "SIG-2025-009" in text and "SIG-2025-002" not in text


def test_the_documents_are_the_same_bytes_from_the_same_register(run_cli, tmp_path: Path) -> None:
    for name in ("a.pdf", "b.pdf"):
        run_cli("signalements", "journal", str(EXAMPLE), "-o", str(tmp_path / name))
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


MEDILINK = ROOT / "questionnaires" / "teleconsult-medilink" / "questionnaire.yaml"
MEDILINK_CASES = ["SIG-2025-001", "SIG-2025-002", "SIG-2025-003", "SIG-2025-011"]


def test_evaluate_shows_the_signalements_about_the_solution_without_scoring_them(
    run_cli,
) -> None:
    plain = run_cli("evaluate", str(MEDILINK), "--as-of", "2026-11-22", "--format", "json")
    shown = run_cli(
        "evaluate",
        str(MEDILINK),
        "--as-of",
        "2026-11-22",
        "--signalements",
        str(EXAMPLE),
    )
    assert shown.code == plain.code == 1
    assert "Signalements d'éthicovigilance sur la solution : 4" in shown.stdout
    for case in MEDILINK_CASES:
        assert case in shown.stdout
    assert "SIG-2025-004" not in shown.stdout  # another solution's case
    with_register = run_cli(
        "evaluate",
        str(MEDILINK),
        "--as-of",
        "2026-11-22",
        "--format",
        "json",
        "--signalements",
        str(EXAMPLE),
    )
    assert json.loads(with_register.stdout) == json.loads(plain.stdout)  # no score changes


@pytest.fixture
def dossier_with_register(run_cli, tmp_path: Path) -> Path:
    out = tmp_path / "dossier"
    args = ["evaluate", str(MEDILINK), "--as-of", "2026-11-22", "-o", str(out)]
    assert run_cli(*args, "--signalements", str(EXAMPLE)).code == 1
    return out


def test_the_dossier_records_and_prints_the_signalements(dossier_with_register: Path) -> None:
    data = json.loads((dossier_with_register / "dossier.json").read_text("utf-8"))
    section = data["signalements"]
    assert [s["id"] for s in section["signalements"]] == MEDILINK_CASES
    extract = dossier_with_register / section["fichier"]["fichier"]
    kept = json.loads(extract.read_text("utf-8"))
    assert [s["id"] for s in kept["signalements"]] == MEDILINK_CASES  # this solution's only
    text = "\n".join(
        p.extract_text() for p in PdfReader(dossier_with_register / "dossier.pdf").pages
    )
    assert "Signalements d'éthicovigilance" in text
    for case in MEDILINK_CASES:
        assert case in text
    sheet = openpyxl.load_workbook(dossier_with_register / "dossier.xlsx")["Signalements"]
    assert [sheet.cell(row, 1).value for row in range(2, 6)] == MEDILINK_CASES


def test_the_dossier_verifies_with_its_extract_and_detects_a_change(
    run_cli, dossier_with_register: Path
) -> None:
    assert run_cli("dossier", "verify", str(dossier_with_register)).code == 0
    extract = dossier_with_register / "signalements" / "extrait.json"
    extract.write_text(extract.read_text("utf-8").replace("SIG-2025-003", "SIG-2025-033"), "utf-8")
    result = run_cli("dossier", "verify", str(dossier_with_register))
    assert result.code == 1
    assert str(extract) in result.stderr


def test_the_review_template_shows_the_signalements_beside_their_exigences(
    run_cli, dossier_with_register: Path, tmp_path: Path
) -> None:
    review = tmp_path / "revue.yaml"
    assert run_cli("review", "init", str(dossier_with_register), "-o", str(review)).code == 0
    lines = review.read_text("utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == '"ETH.09.1":')
    assert any("Signalement SIG-2025-001" in line for line in lines[at - 8 : at])


def _as_workbook(path: Path, edit=None) -> Path:
    """The example register written as a workbook, one row per signalement."""
    from cens_eval.loader.signalements_workbook import COLUMNS, SHEET

    cases = yaml.safe_load(EXAMPLE.read_text("utf-8"))["signalements"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([title for _, title in COLUMNS])
    for s in cases:
        decision = s.get("recevabilite", {})
        instruction = s.get("instruction", {})
        contact = s.get("contact_editeur", {})
        publication = s.get("publication", {})
        yes_no = {True: "oui", False: "non", None: None}
        row = {
            "id": s["id"],
            "recu_le": s["recu_le"],
            "declarant": s["declarant"],
            "editeur": s["solution"]["editeur"],
            "solution": s["solution"]["solution"],
            "version": s["solution"].get("version"),
            "faits": s["faits"],
            "principes": "\n".join(s.get("principes", [])) or None,
            "exigences": "\n".join(
                f"{e['referentiel']} {e['exigence']}" for e in s.get("exigences", [])
            )
            or None,
            "recevabilite_date": decision.get("date"),
            "recevable": yes_no[decision.get("recevable")],
            "motif": decision.get("motif"),
            "instruction_date": instruction.get("date"),
            "rapporteurs": "\n".join(instruction.get("rapporteurs", [])) or None,
            "demande_date": contact.get("date_demande"),
            "reponse_date": contact.get("date_reponse"),
            "reponse": contact.get("reponse"),
            "publication_date": publication.get("date"),
            "actions": "\n".join(publication.get("actions", [])) or None,
            "reponse_publiee": publication.get("reponse"),
            "validee": yes_no[publication.get("validee_par_editeur")],
            "anonymisation_par": publication.get("anonymisation", {}).get("verifiee_par"),
            "anonymisation_le": publication.get("anonymisation", {}).get("verifiee_le"),
            "evolutions": "\n".join(
                f"{e['referentiel']} | {e['nature']} | {e.get('exigence', '')} | {e['description']}"
                for e in s.get("evolutions", [])
            )
            or None,
        }
        if edit:
            edit(s["id"], row)
        ws.append([row[key] for key, _ in COLUMNS])
    wb.save(path)
    return path


def test_a_register_kept_as_a_workbook_reads_as_its_yaml_twin(run_cli, tmp_path: Path) -> None:
    from cens_eval.loader.signalements import load_signalements

    book = _as_workbook(tmp_path / "registre.xlsx")
    result = run_cli("signalements", "check", str(book))
    assert result.code == 0, result.stderr
    assert "12 signalement(s)" in result.stdout
    catalogue = cens_eval.load_referentiels()
    from_yaml = load_signalements(EXAMPLE, catalogue).registre
    from_book = load_signalements(book, catalogue).registre
    assert from_book == from_yaml


def test_a_register_workbook_gives_each_problem_at_its_cell(run_cli, tmp_path: Path) -> None:
    def unreadable(case: str, row: dict) -> None:
        if case == "SIG-2025-004":
            row["validee"] = "peut-être"

    book = _as_workbook(tmp_path / "illisible.xlsx", unreadable)
    result = run_cli("signalements", "check", str(book))
    assert result.code == 2
    assert result.stderr.splitlines() == [
        f"{book}:Signalements!U5: « peut-être » : oui ou non attendu"
    ]

    def impossible(case: str, row: dict) -> None:
        if case == "SIG-2025-002":
            row["exigences"] = "teleconsultation ETH.99"
        if case == "SIG-2025-003":
            row["rapporteurs"] = "Rapporteuse R-05"

    book = _as_workbook(tmp_path / "registre.xlsx", impossible)
    result = run_cli("signalements", "check", str(book))
    assert result.code == 2
    lines = result.stderr.splitlines()
    assert any(
        line.startswith(f"{book}:Signalements!I3:") and "ETH.99" in line for line in lines
    ), lines
    assert any(
        line.startswith(f"{book}:Signalements!N4:") and "deux rapporteurs" in line for line in lines
    ), lines
