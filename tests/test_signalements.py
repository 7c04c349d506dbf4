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


# ---- the privacy screen ------------------------------------------------------------------------

ISSUE_EXAMPLES = [
    "Le dossier de Jean Dupont, né le 12/03/1961 et domicilié 4 rue des Lilas à Lyon, a été "
    "corrigé. La patiente Sophie Marchand a été recontactée.",
    "Mme de Villiers a reçu une réponse.",
    "L'éditeur peut être joint au +33 (0)6 12 34 56 78.",
]


@pytest.mark.parametrize("text", ISSUE_EXAMPLES)
def test_the_issue_examples_are_refused_in_a_published_response(
    run_cli, tmp_path: Path, text: str
) -> None:
    path = _broken(tmp_path, lambda c: c["SIG-2025-004"]["publication"].update(reponse=text))
    result = run_cli("signalements", "check", str(path))
    assert result.code == 2, result.stderr
    line = _line_of(path, text[:30])  # the text, or its key on the line before
    refused = [w for w in result.stderr.splitlines() if "contient une donnée personnelle" in w]
    assert refused, result.stderr
    assert all(w.startswith((f"{path}:{line}:", f"{path}:{line - 1}:")) for w in refused), refused
    journal = run_cli("signalements", "journal", str(path), "-o", str(tmp_path / "j.html"))
    assert journal.code == 2
    assert not (tmp_path / "j.html").exists()


@pytest.mark.parametrize("text", ISSUE_EXAMPLES)
def test_the_issue_examples_are_warnings_in_the_facts(run_cli, tmp_path: Path, text: str) -> None:
    path = _broken(tmp_path, lambda c: c["SIG-2025-011"].update(faits=text))
    result = run_cli("signalements", "check", str(path))
    assert result.code == 0
    warnings = result.stderr.splitlines()
    assert warnings and all("avertissement" in w for w in warnings), warnings
    assert any("à retirer avant publication" in w for w in warnings)


def test_the_first_issue_example_is_found_for_each_thing_that_identifies() -> None:
    found = {t.kind: t.passages for t in screen(ISSUE_EXAMPLES[0])}
    assert found == {
        "nom de personne après un rôle (patient, aidant…)": ("patiente Sophie Marchand",),
        "date de naissance": ("né le 12/03/1961",),
        "adresse postale": ("4 rue des Lilas",),
        "nom de personne possible": ("Jean Dupont",),
    }


@pytest.mark.parametrize(
    ("kind", "found", "not_found"),
    [
        (
            "adresse électronique",
            ["Contact : jean.dupont@example.org", "écrire à a.b+c@hopital-x.fr"],
            ["l'adresse électronique n'était pas vérifiée", "un @ dans le texte"],
        ),
        (
            "numéro de téléphone",
            [
                "Appeler le +33 6 12 34 56 78",
                "au +33 (0)6 12 34 56 78",
                "au +33(0)1.23.45.67.89",
                "joindre le 06-12-34-56-78",
                "le 0612345678",
                "au 0033 6 12 34 56 78",
                "au +32 2 123 45 67",
            ],
            ["version 4.12.3", "30 s de mesure", "le 12/03/2025", "10 000 patients"],
        ),
        (
            "numéro de sécurité sociale (NIR)",
            [
                "NIR 1 84 12 75 123 456 78",
                "n° 2 84 05 2A 123 456",
                "184127512345678",
                "1-84-12-75-123-456-78",
                "numéro de sécurité sociale : 284 057 512 345",
                "carte Vitale n° 2840575123",
                "INS 2840575123456",
            ],
            ["le référentiel ETH.11.1.2", "12 345 utilisateurs", "Version 2024.10.18"],
        ),
        (
            "nom de personne après une civilité",
            [
                "Vu par M. Martin hier",
                "Mme de Villiers a écrit",
                "Mme de la Fontaine",
                "M. d'Alembert",
                "M. d’Alembert",
                "Dr van der Berg",
                "le docteur Le Gall",
                "Madame DURAND",
                "madame Durand",
                "Mlle J. Petit",
                "Me Lefèvre, avocate",
                "Pr Jean-Paul Durand",
            ],
            [
                "Mme X a été recontactée",
                "M. D. a été informé",
                "M. le Maire",
                "Madame, Monsieur,",
                "le médecin a répondu",
            ],
        ),
        (
            "nom de personne après un rôle (patient, aidant…)",
            [
                "La patiente Sophie Marchand",
                "l'aidant Martin",
                "la patiente DUPONT",
                "sa mère Jeanne de Villiers",
                "l'usagère Claire",
            ],
            [
                "les patients ALD",
                "les patients Covid",
                "La patiente a été recontactée",
                "les patients Mon espace santé",
                "la patiente X",
            ],
        ),
        (
            "date de naissance",
            [
                "né le 12/03/1961",
                "née le 12 mars 1961",
                "né(e) en 1961",
                "née en mars 1961",
                "date de naissance : 1961-03-12",
                "DDN 12.03.1961",
            ],
            [
                "la date de naissance était mal affichée",
                "une idée née en réunion",
                "le 12/03/1961",
            ],
        ),
        (
            "âge avec une date",
            [
                "une patiente âgée de 64 ans a consulté le 12/03/2025",
                "un homme de 47 ans, vu le 3 mars 2025",
            ],
            ["une patiente âgée de 64 ans a consulté", "depuis 30 ans, le 12/03/2025"],
        ),
        (
            "adresse postale",
            [
                "domicilié 4 rue des Lilas à Lyon",
                "12, avenue Jean Jaurès",
                "3 bis boulevard de la Liberté",
                "1 place d'Armes",
                "75012 Paris",
                "2A004 Ajaccio",
                "habitant à Lyon",
            ],
            [
                "3 places disponibles",
                "la rue était en travaux",
                "2 cours de yoga",
                "en 2025 à Paris",
                "10000 utilisateurs",
            ],
        ),
    ],
)
def test_each_kind_of_the_privacy_screen(kind: str, found: list[str], not_found: list[str]) -> None:
    for text in found:
        assert kind in personal_data(text), text
    for text in not_found:
        assert kind not in personal_data(text), (text, screen(text))


@pytest.mark.parametrize(
    "text",
    [
        "Jean Dupont a été recontacté.",
        "Le dossier de Claire MARTIN a été corrigé.",
        "La réponse concerne Sophie van Damme.",
    ],
)
def test_a_name_like_pair_is_only_possible(text: str) -> None:
    assert personal_data(text) == []
    assert [(t.kind, t.certain) for t in screen(text)] == [("nom de personne possible", False)]


@pytest.mark.parametrize(
    "text",
    [
        "Mon espace santé",
        "Mon Espace Santé",
        "l'Agence du Numérique en Santé",
        "La Haute Autorité de Santé et la CNIL",
        "Le Dossier Médical Partagé",
        "Réponse de la FAQ des industriels",
        "Le patient n'a pas été informé le 12/03/2025.",
        "Version 4.2 du logiciel, 30 s de mesure",
        "Chaque Patient reçoit une information.",
    ],
)
def test_ordinary_sentences_raise_no_alarm(text: str) -> None:
    assert screen(text) == []


def test_no_alarm_on_the_shipped_exigences_nor_the_example_register() -> None:
    catalogue = cens_eval.load_referentiels()
    texts = [
        text
        for ref in catalogue.referentiels
        for e in ref.exigences
        for text in (e.libelle, e.enonce)
    ]
    assert len(texts) > 100
    assert [t for t in texts if screen(t)] == []
    registre = cens_eval.load_signalements(EXAMPLE)
    for s in registre.signalements:
        known = (s.solution.editeur, s.solution.solution)
        free = [s.faits, *(s.publication.actions if s.publication else [])]
        free += [s.publication.reponse] if s.publication else []
        free += [s.contact_editeur.reponse or ""] if s.contact_editeur else []
        assert [t for t in free if screen(t, known)] == [], s.id


def test_the_solution_s_own_names_are_no_person() -> None:
    text = "Clinalys Tri IA affiche désormais la mention."
    assert screen(text) != []
    assert screen(text, ["Clinalys SAS (fictif)", "Clinalys Tri IA"]) == []


@pytest.mark.parametrize(
    "text",
    [
        "Mme " + "Ab " * 6000,
        "1 " * 9000,
        "a@" * 9000,
        "+33 " * 5000,
        "né le " * 3000,
        "4 rue " * 3000,
        "Jean-" * 3900,
    ],
)
def test_the_screen_is_fast_on_hostile_texts(text: str) -> None:
    import time

    start = time.perf_counter()
    screen(text[:20_000])
    assert time.perf_counter() - start < 2


def test_a_possible_name_in_a_published_response_is_a_warning(run_cli, tmp_path: Path) -> None:
    def edit(cases: dict) -> None:
        cases["SIG-2025-004"]["publication"]["reponse"] += " Jean Dupont a été recontacté."

    path = _broken(tmp_path, edit)
    result = run_cli("signalements", "check", str(path))
    assert result.code == 0, result.stderr
    assert "la réponse publiée contient peut-être un nom de personne : « Jean Dupont »" in (
        result.stderr
    )
    assert "avertissement" in result.stderr


# ---- the human confirmation of the anonymisation -------------------------------------------------


def test_publication_needs_a_person_to_confirm_the_anonymisation(run_cli, tmp_path: Path) -> None:
    path = _broken(tmp_path, lambda c: c["SIG-2025-007"]["publication"].pop("anonymisation"))
    result = run_cli("signalements", "check", str(path))
    assert result.code == 2
    line = _line_of(path, "Déclarer chaque finalité secondaire") - 3  # the publication key
    assert result.stderr.startswith(f"{path}:{line}: "), result.stderr
    assert "publication sans confirmation de l'anonymisation" in result.stderr
    journal = run_cli("signalements", "journal", str(path), "-o", str(tmp_path / "j.pdf"))
    assert journal.code == 2


@pytest.mark.parametrize(
    ("date", "message"),
    [
        (
            "2025-10-07",
            "date de publication (06/10/2025) antérieure à la date de vérification de "
            "l'anonymisation (07/10/2025)",
        ),
        (
            "2025-08-31",
            "date de vérification de l'anonymisation (31/08/2025) antérieure à la date de réponse "
            "de l'éditeur (01/09/2025)",
        ),
    ],
)
def test_the_anonymisation_is_checked_between_the_answer_and_the_publication(
    run_cli, tmp_path: Path, date: str, message: str
) -> None:
    def edit(cases: dict) -> None:
        cases["SIG-2025-007"]["publication"]["anonymisation"]["verifiee_le"] = date

    result = run_cli("signalements", "check", str(_broken(tmp_path, edit)))
    assert result.code == 2
    assert message in result.stderr, result.stderr


def test_the_register_workbook_carries_the_confirmation(run_cli, tmp_path: Path) -> None:
    def unconfirmed(case: str, row: dict) -> None:
        if case == "SIG-2025-009":
            row["anonymisation_par"] = row["anonymisation_le"] = None

    book = _as_workbook(tmp_path / "registre.xlsx", unconfirmed)
    result = run_cli("signalements", "check", str(book))
    assert result.code == 2
    assert result.stderr.startswith(f"{book}:Signalements!V10: "), result.stderr
    assert "publication sans confirmation de l'anonymisation" in result.stderr


def test_the_journal_refuses_what_the_library_is_given_unchecked() -> None:
    registre = cens_eval.load_signalements(EXAMPLE)
    case = registre.signalements[0]
    assert case.publication is not None
    unconfirmed = case.model_copy(
        update={"publication": case.publication.model_copy(update={"anonymisation": None})}
    )
    leaking = case.model_copy(
        update={
            "publication": case.publication.model_copy(
                update={"reponse": "Mme de Villiers a été recontactée."}
            )
        }
    )
    for bad, why in ((unconfirmed, "anonymisation non confirmée"), (leaking, "civilité")):
        with pytest.raises(cens_eval.CensEvalError, match=why):
            cens_eval.journal_signalements(cens_eval.Registre(signalements=[bad]), "html")


# ---- dates ---------------------------------------------------------------------------------------


def test_a_step_dated_after_today_is_a_warning(run_cli, tmp_path: Path) -> None:
    import datetime as dt

    def edit(cases: dict) -> None:
        cases["SIG-2025-011"]["recu_le"] = "2099-11-03"

    path = _broken(tmp_path, edit)
    result = run_cli("signalements", "check", str(path))
    assert result.code == 0
    today = dt.date.today().strftime("%d/%m/%Y")
    [warning] = result.stderr.splitlines()
    assert warning.startswith(f"{path}:{_line_of(path, '2099-11-03')}: "), warning
    assert "avertissement" in warning
    assert warning.endswith(
        f"date de réception (03/11/2099) postérieure à la date du jour ({today}) : date à vérifier"
    )


def test_the_library_never_reads_the_clock(tmp_path: Path) -> None:
    import datetime as dt

    from cens_eval.loader.signalements import load_signalements

    path = _broken(tmp_path, lambda c: c["SIG-2025-001"]["publication"].update(date="2099-03-14"))
    catalogue = cens_eval.load_referentiels()
    assert load_signalements(path, catalogue).warnings == []
    warned = load_signalements(path, catalogue, today=dt.date(2026, 1, 1)).warnings
    [warning] = warned
    assert warning.message.endswith(
        "date de publication (14/03/2099) postérieure à la date du jour (01/01/2026) : "
        "date à vérifier"
    )
    past = load_signalements(path, catalogue, today=dt.date(2100, 1, 1)).warnings
    assert past == []


def test_dates_going_backwards_remain_errors(run_cli, tmp_path: Path) -> None:
    def edit(cases: dict) -> None:
        cases["SIG-2025-002"]["contact_editeur"]["date_demande"] = "2099-01-01"
        cases["SIG-2025-002"]["recu_le"] = "2099-06-01"

    result = run_cli("signalements", "check", str(_broken(tmp_path, edit)))
    assert result.code == 2
    assert "date de décision du comité (24/02/2025) antérieure à la date de réception" in (
        result.stderr
    )


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


def test_the_report_orders_its_counts_whatever_the_register_order(run_cli, tmp_path: Path) -> None:
    """Most reported first; equal counts by name, never by where a case sits in the register."""
    data = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    data["signalements"].reverse()  # NutriSanté's cases first, then CabinetPlus's (lgc) …
    data["signalements"].sort(key=lambda case: "lgc" not in str(case))  # … lgc before ia-sante
    reversed_register = tmp_path / "registre.yaml"
    reversed_register.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    reports = []
    for register in (EXAMPLE, reversed_register):
        out = tmp_path / f"rapport-{len(reports)}.json"
        assert run_cli("signalements", "report", str(register), "-o", str(out)).code == 0
        reports.append(json.loads(out.read_text("utf-8")))
    straight, backwards = reports
    assert list(straight["par_referentiel"].items()) == [
        ("teleconsultation", 4),
        ("ia-sante", 3),
        ("lgc", 3),
        ("applications-sante-mes", 1),
    ]
    assert list(backwards["par_referentiel"].items()) == list(straight["par_referentiel"].items())
    for key in ("par_exigence", "par_solution"):
        assert backwards[key] == straight[key], key
    assert [s["solution"] for s in straight["par_solution"][1:3]] == [
        "CabinetPlus Médecin",  # 3 each: by éditeur's name
        "NutriSanté",
    ]


def test_the_report_workbook_and_pdf(run_cli, tmp_path: Path) -> None:
    for suffix in ("xlsx", "pdf"):
        out = tmp_path / f"rapport.{suffix}"
        assert run_cli("signalements", "report", str(EXAMPLE), "-o", str(out)).code == 0
    wb = openpyxl.load_workbook(tmp_path / "rapport.xlsx")
    assert wb["Exigences"]["B2"].value == "CE-IA-17"
    assert wb["Exigences"]["D2"].value == 2
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "rapport.pdf").pages)
    assert "Rapport d’éthicovigilance" in text and "CE-IA-17" in text


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


EXTRACT_KEYS = {
    "id",
    "solution",
    "declarant",
    "etape",
    "recu_le",
    "decide_le",
    "instruit_le",
    "editeur_sollicite_le",
    "editeur_a_repondu_le",
    "publie_le",
    "principes",
    "exigences",
    "reponse_publiee",
}


def test_the_extract_carries_only_what_the_editeur_may_see(run_cli, tmp_path: Path) -> None:
    contact = "declarant.sig11@example.org"

    def edit(cases: dict) -> None:  # a case not yet instructed, the declarant's contact in it
        cases["SIG-2025-011"]["faits"] += f" Me joindre : {contact} ou 06 12 34 56 78."

    register = _broken(tmp_path, edit)
    out = tmp_path / "dossier"
    args = ["evaluate", str(MEDILINK), "--as-of", "2026-11-22", "-o", str(out)]
    result = run_cli(*args, "--signalements", str(register))
    assert result.code == 1, result.stderr
    assert "avertissement" in result.stderr  # the contact is flagged in the register
    extract = json.loads((out / "signalements" / "extrait.json").read_text("utf-8"))
    assert extract["format"] == "cens-eval/extrait-signalements"
    cases = {c["id"]: c for c in extract["signalements"]}
    assert list(cases) == MEDILINK_CASES
    for case in cases.values():
        assert set(case) <= EXTRACT_KEYS, case
    assert cases["SIG-2025-011"] == {
        "id": "SIG-2025-011",
        "solution": {"editeur": "MediLink Santé SAS", "solution": "MediLink Consult"},
        "declarant": "patient",
        "etape": "recueil",
        "recu_le": "2025-11-03",
        "principes": ["autonomie"],
        "exigences": [{"referentiel": "teleconsultation", "exigence": "ETH.11.1.2"}],
    }
    published = cases["SIG-2025-001"]
    assert (published["decide_le"], published["publie_le"]) == ("2025-01-20", "2025-03-14")
    assert published["reponse_publiee"].startswith("La fonction d'enregistrement a été désactivée")
    assert "reponse_publiee" not in cases["SIG-2025-002"]  # contacted, not published
    assert cases["SIG-2025-002"]["editeur_sollicite_le"] == "2025-03-10"
    source = {s["id"]: s for s in yaml.safe_load(register.read_text("utf-8"))["signalements"]}
    texts = [(out / "signalements" / "extrait.json").read_text("utf-8")]
    texts.append((out / "dossier.json").read_text("utf-8"))
    texts += [p.extract_text() for p in PdfReader(out / "dossier.pdf").pages]
    book = openpyxl.load_workbook(out / "dossier.xlsx")
    texts += [str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value]
    everything = "\n".join(texts)
    for secret in (contact, "06 12 34 56 78", "Rapporteur", "Rapporteuse"):
        assert secret not in everything
    for case_id in MEDILINK_CASES:
        assert source[case_id]["faits"][:40] not in everything
    answer = source["SIG-2025-001"]["contact_editeur"]["reponse"]
    assert answer[:40] not in everything  # the éditeur's answer stays with the committee
    assert run_cli("dossier", "verify", str(out)).code == 0


def test_an_extract_made_by_0_1_0_is_refused_with_its_reason(
    run_cli, dossier_with_register: Path
) -> None:
    import hashlib

    extract = dossier_with_register / "signalements" / "extrait.json"
    legacy = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    legacy["signalements"] = [s for s in legacy["signalements"] if s["id"] in MEDILINK_CASES]
    data = (json.dumps(legacy, ensure_ascii=False, indent=2, default=str) + "\n").encode()
    extract.write_bytes(data)
    record = dossier_with_register / "dossier.json"
    made = json.loads(record.read_text("utf-8"))
    made["signalements"]["fichier"]["sha256"] = hashlib.sha256(data).hexdigest()
    made["version_format"] = 1  # as 0.1.0 wrote it: format 1, no rules version, no seal
    del made["version_regles"]
    record.write_text(json.dumps(made, ensure_ascii=False, indent=2) + "\n", "utf-8")
    (dossier_with_register / "manifeste.json").unlink()
    result = run_cli("dossier", "verify", str(dossier_with_register))
    assert result.code == 2
    assert result.stderr.startswith(f"{extract}: extrait au format de cens-eval 0.1.0"), (
        result.stderr
    )


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


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[1, 2]", ""),
        (b'{"format": "cens-eval/dossier", "signalements": []}', "pas un extrait de registre"),
        (b'{"signalements": []}', "extrait au format de cens-eval 0.1.0"),
        (
            b'{"format": "cens-eval/extrait-signalements", "signalements": [{"id": "S-1", '
            b'"solution": {"editeur": "E", "solution": "S"}, "declarant": "patient", '
            b'"etape": "recueil", "recu_le": "2025-01-01", "faits": "x"}]}',
            "faits",
        ),
        (
            b'{"format": "cens-eval/extrait-signalements", "signalements": [{"id": "S-1", '
            b'"solution": {"editeur": "E", "solution": "S"}, "declarant": "patient", '
            b'"etape": "recueil", "recu_le": "2025-02-30"}]}',
            "recu_le",
        ),
        (b"\xff\xfe{", ""),
    ],
)
def test_a_hostile_extract_is_refused_located(tmp_path: Path, content: bytes, message: str) -> None:
    from cens_eval.errors import LoadError
    from cens_eval.loader.signalements import load_extract

    path = tmp_path / "extrait.json"
    path.write_bytes(content)
    with pytest.raises(LoadError) as caught:
        load_extract(path)
    shown = "\n".join(str(p) for p in caught.value.problems)
    assert shown.startswith(str(path)), shown
    assert message in shown, shown
