"""``questionnaire migrate``: answers kept, changed ones to reconfirm, removed ones reported, never lost."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml

from cens_eval.engine.migrate import migrate_questionnaire
from cens_eval.errors import CensEvalError
from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.loader.referentiels import load_catalogue
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.migration import SHEET_A_RECONFIRMER
from cens_eval.model.questionnaire import Questionnaire, Reponse

from .builders import questionnaire, referentiel
from .versions import Version16, copy_medilink, make_version_16, renamed

AS_OF = "2026-11-22"


@pytest.fixture
def v16(tmp_path: Path) -> Version16:
    return make_version_16(tmp_path)


@pytest.fixture
def medilink(tmp_path: Path) -> Path:
    return copy_medilink(tmp_path)


def _migrate(run_cli, v16: Version16, source: Path, output: Path, *extra: str):
    return run_cli(
        "--referentiels",
        str(v16.folder),
        "questionnaire",
        "migrate",
        str(source),
        "--to",
        "teleconsultation@1.6",
        "-o",
        str(output),
        *extra,
    )


def _load(v16: Version16, path: Path, catalogue: Catalogue | None = None) -> Questionnaire:
    return load_questionnaire(path, catalogue or load_catalogue(v16.folder)).as_written


def _answered(q: Questionnaire) -> Questionnaire:
    """The questionnaire without its empty answers (a workbook row left empty is no answer)."""
    reponses = {
        ref: {k: r for k, r in answers.items() if r != Reponse()}
        for ref, answers in q.reponses.items()
    }
    return q.model_copy(update={"reponses": reponses})


def test_migrating_medilink_keeps_flags_reports_and_adds(
    run_cli, v16: Version16, medilink: Path
) -> None:
    output = medilink.with_name("q16.yaml")
    result = _migrate(run_cli, v16, medilink, output)
    assert result.code == 0, result.stderr
    catalogue = load_catalogue(v16.folder)
    before = _load(v16, medilink, catalogue)
    after = _load(v16, output, catalogue)
    assert [(r.id, r.version) for r in after.referentiels] == [
        ("teleconsultation", "1.6"),
        ("ia-sante", "2024-03"),
    ]
    old, new = before.reponses["teleconsultation"], after.reponses["teleconsultation"]
    unchanged = set(v16.answered) - {v16.changed, v16.made_mandatory, v16.removed}
    assert all(new[i] == old[i] for i in unchanged)
    for flagged in (v16.changed, v16.made_mandatory):
        kept = new[flagged].model_copy(update={"a_reconfirmer": []})
        assert kept == old[flagged] and new[flagged].a_reconfirmer
    assert new[v16.changed].a_reconfirmer == ["énoncé modifié"]
    assert new[v16.made_mandatory].a_reconfirmer == ["niveau : préconisation → exigence"]
    assert v16.removed not in new
    assert new[v16.added].statut is None  # a new exigence, unanswered
    assert after.reponses["ia-sante"] == before.reponses["ia-sante"]
    report = yaml.safe_load(output.with_name("q16.migration.yaml").read_text("utf-8"))
    (removed,) = report["retirees"]
    assert removed["id"] == v16.removed
    assert removed["reponse"]["justification"] == old[v16.removed].justification
    assert report["nouvelles"] == [v16.added]
    assert {a["id"] for a in report["a_reconfirmer"]} == {v16.changed, v16.made_mandatory}
    assert f"{v16.removed}" in result.stdout and "à reconfirmer" in result.stdout


def test_check_lists_every_answer_to_reconfirm_until_confirmed(
    run_cli, v16: Version16, medilink: Path
) -> None:
    output = medilink.with_name("q16.yaml")
    _migrate(run_cli, v16, medilink, output)
    check = ("--referentiels", str(v16.folder), "questionnaire", "check", "--as-of", AS_OF)
    result = run_cli(*check, str(output))
    assert result.code == 1
    flagged = [line for line in result.stderr.splitlines() if "réponse à reconfirmer" in line]
    assert len(flagged) == 2
    assert any(
        f"Exigence {v16.changed}: réponse à reconfirmer (énoncé modifié)" in f for f in flagged
    )
    assert all(line.startswith(f"{output}:") for line in flagged)
    data = yaml.safe_load(output.read_text("utf-8"))
    for answer in data["reponses"]["teleconsultation"].values():
        answer.pop("a_reconfirmer", None)  # the éditeur confirms every answer
    output.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    again = run_cli(*check, str(output))
    assert "réponse à reconfirmer" not in again.stderr


def test_evaluate_refuses_nothing_but_shows_the_answers_to_reconfirm(
    run_cli, v16: Version16, medilink: Path
) -> None:
    output = medilink.with_name("q16.yaml")
    _migrate(run_cli, v16, medilink, output)
    result = run_cli("--referentiels", str(v16.folder), "evaluate", str(output), "--as-of", AS_OF)
    assert result.code in (0, 1), result.stderr
    assert f"Exigence {v16.changed}: réponse à reconfirmer" in result.stderr
    assert "réponse à reconfirmer depuis le changement de version" in result.stdout


@pytest.mark.parametrize("suffix", [".json", ".xlsx"])
def test_json_and_workbook_migrations_equal_the_yaml_one(
    run_cli, v16: Version16, medilink: Path, suffix: str
) -> None:
    _migrate(run_cli, v16, medilink, medilink.with_name("q16.yaml"))
    result = _migrate(run_cli, v16, medilink, medilink.with_name(f"autre{suffix}"))
    assert result.code == 0, result.stderr
    catalogue = load_catalogue(v16.folder)
    assert _answered(_load(v16, medilink.with_name(f"autre{suffix}"), catalogue)) == _answered(
        _load(v16, medilink.with_name("q16.yaml"), catalogue)
    )


def test_a_workbook_questionnaire_migrates_and_a_deleted_row_confirms(
    run_cli, v16: Version16, medilink: Path
) -> None:
    workbook = medilink.with_name("q.xlsx")
    assert run_cli("questionnaire", "convert", str(medilink), "-o", str(workbook)).code == 0
    output = medilink.with_name("q16.xlsx")
    assert _migrate(run_cli, v16, workbook, output).code == 0
    catalogue = load_catalogue(v16.folder)
    migrated = _load(v16, output, catalogue)
    reference = migrate_questionnaire(
        _load(v16, medilink, catalogue),
        catalogue.get("teleconsultation", "1.5.1"),  # type: ignore[arg-type]
        catalogue.get("teleconsultation", "1.6"),  # type: ignore[arg-type]
    ).questionnaire
    assert migrated == _answered(reference)
    check = ("--referentiels", str(v16.folder), "questionnaire", "check", "--as-of", AS_OF)
    flagged = [
        line for line in run_cli(*check, str(output)).stderr.splitlines() if "reconfirmer" in line
    ]
    assert [line.split(": ")[0] for line in flagged] == [
        f"{output}:{SHEET_A_RECONFIRMER}!D2",
        f"{output}:{SHEET_A_RECONFIRMER}!D3",
    ]
    wb = openpyxl.load_workbook(output)
    wb[SHEET_A_RECONFIRMER].delete_rows(2)  # the éditeur confirms the first one
    wb.save(output)
    left = [
        line for line in run_cli(*check, str(output)).stderr.splitlines() if "reconfirmer" in line
    ]
    assert len(left) == 1


def test_nothing_is_written_over_an_existing_file_without_force(
    run_cli, v16: Version16, medilink: Path
) -> None:
    output = medilink.with_name("q16.yaml")
    report = medilink.with_name("q16.migration.yaml")
    report.write_text("garde\n", "utf-8")
    result = _migrate(run_cli, v16, medilink, output)
    assert result.code == 2 and "existe déjà" in result.stderr
    assert not output.exists() and report.read_text("utf-8") == "garde\n"
    assert _migrate(run_cli, v16, medilink, output, "--force").code == 0


def test_migrate_to_an_unknown_version_or_a_referentiel_not_answered(
    run_cli, v16: Version16, medilink: Path
) -> None:
    base = ("--referentiels", str(v16.folder), "questionnaire", "migrate", str(medilink))
    out = ("-o", str(medilink.with_name("x.yaml")))
    unknown = run_cli(*base, "--to", "teleconsultation@7", *out)
    assert (
        unknown.code == 2 and "version 7 du référentiel teleconsultation inconnue" in unknown.stderr
    )
    other = run_cli(*base, "--to", "lgc@ce-0.1", *out)
    assert other.code == 2 and "ne répond pas au référentiel lgc" in other.stderr
    assert not medilink.with_name("x.yaml").exists()


def test_a_preuve_whose_expected_preuve_was_removed_goes_to_the_report() -> None:
    old = referentiel(
        [
            {
                "id": "A",
                "principe": "autonomie",
                "niveau": "exigence",
                "preuves": [{"id": "p", "type": "document"}, {"id": "q", "type": "document"}],
            },
            {"id": "B", "principe": "autonomie", "niveau": "exigence"},
        ]
    )
    new = referentiel(
        [
            {
                "id": "A",
                "principe": "autonomie",
                "niveau": "exigence",
                "preuves": [{"id": "p", "type": "document"}],
            },
            {
                "id": "B2",
                "remplace": "B",
                "libelle": "Libellé B",
                "enonce": "Énoncé de B.",
                "principe": "autonomie",
                "niveau": "exigence",
            },
        ]
    ).model_copy(update={"version": "2"})
    q = questionnaire(
        {},
        {
            "A": {
                "statut": "conforme",
                "preuves": [
                    {"attendue": "p", "fichier": "p.pdf"},
                    {"attendue": "q", "fichier": "q.pdf"},
                ],
            },
            "B": {"statut": "non_conforme", "justification": "Pas encore."},
        },
    )
    migration = migrate_questionnaire(q, old, new)
    answers = migration.questionnaire.reponses["essai"]
    assert [p.attendue for p in answers["A"].preuves] == ["p"]
    assert answers["A"].a_reconfirmer == ["preuve attendue supprimée : q"]
    assert answers["B2"] == q.reponses["essai"]["B"]  # renamed, the answer follows
    (gone,) = migration.rapport.preuves_retirees
    assert (gone.exigence, gone.preuve.fichier) == ("A", "q.pdf")
    assert [(r.ancien, r.nouveau) for r in migration.rapport.renommees] == [("B", "B2")]


def test_the_api_refuses_a_questionnaire_that_does_not_answer_the_old_version() -> None:
    ref = referentiel([{"id": "A", "principe": "autonomie", "niveau": "exigence"}])
    other = ref.model_copy(update={"id": "autre"})
    with pytest.raises(CensEvalError, match="ne sont pas deux versions"):
        migrate_questionnaire(questionnaire({}, {}), ref, other)
    with pytest.raises(CensEvalError, match="ne répond pas"):
        migrate_questionnaire(questionnaire({}, {}, ref_id="x"), ref, ref)


@pytest.mark.parametrize(
    "edits",
    [
        {"ETH.13": "ETH.14", "ETH.14": "ETH.13"},  # a swap
        {"ETH.13": "ETH.14", "ETH.14": "ETH.30", "ETH.30": "ETH.13"},  # a cycle of three
        {"ETH.13": "ETH.14", "ETH.14": "ETH.14-bis"},  # a chain
    ],
    ids=["swap", "cycle", "chain"],
)
def test_each_answer_stays_with_the_text_it_answered(
    run_cli, tmp_path: Path, medilink: Path, edits: dict[str, str]
) -> None:
    v16 = make_version_16(tmp_path, renamed(edits))
    output = medilink.with_name("q16.yaml")
    result = _migrate(run_cli, v16, medilink, output)
    assert result.code == 0, result.stderr
    catalogue = load_catalogue(v16.folder)
    old = _load(v16, medilink, catalogue).reponses["teleconsultation"]
    new = _load(v16, output, catalogue).reponses["teleconsultation"]
    ancien, nouveau = (catalogue.get("teleconsultation", v) for v in ("1.5.1", "1.6"))
    assert ancien is not None and nouveau is not None
    assert len({old[i].justification for i in edits}) == len(edits)  # answers told apart
    for before, after in edits.items():
        assert new[after] == old[before], (before, after)
        assert nouveau.exigence(after).enonce == ancien.exigence(before).enonce  # type: ignore[union-attr]
    report = yaml.safe_load(output.with_name("q16.migration.yaml").read_text("utf-8"))
    assert {(r["ancien"], r["nouveau"]) for r in report["renommees"]} == set(edits.items())
    assert [r["id"] for r in report["retirees"]] == [v16.removed]
    for before, after in edits.items():
        assert f"exigence renommée {before} → {after} : réponse reportée" in result.stdout


def test_an_exigence_split_in_two_gives_its_answer_to_the_report_not_to_one() -> None:
    base = {"principe": "autonomie", "niveau": "exigence"}
    old = referentiel([{"id": "A", **base}, {"id": "B", **base}])
    new = referentiel(
        [
            {"id": "A2", "remplace": "A", "libelle": "Libellé A", "enonce": "Énoncé de A.", **base},
            {"id": "A", "enonce": "Une autre exigence, sous l'identifiant libéré.", **base},
            {"id": "B1", "remplace": "B", **base},
            {"id": "B2", "remplace": "B", **base},
        ]
    )
    answers = {
        "A": {"statut": "non_conforme", "justification": "Réponse à A."},
        "B": {"statut": "non_conforme", "justification": "Réponse à B."},
    }
    moved = migrate_questionnaire(questionnaire({}, answers), old, new)
    reponses = moved.questionnaire.reponses["essai"]
    assert reponses["A2"].justification == "Réponse à A."
    assert {k: v for k, v in reponses.items() if k != "A2"} == dict.fromkeys(
        ("A", "B1", "B2"), Reponse()
    )  # new exigences, unanswered
    assert [(r.id, r.reponse.justification) for r in moved.rapport.retirees] == [
        ("B", "Réponse à B.")
    ]
    assert moved.rapport.nouvelles == ["A", "B1", "B2"]


def test_only_new_exigences_in_the_profil_are_added_to_answer() -> None:
    """An exigence outside the profil stays unanswered, new or not; a new one in scope is added."""
    base = {"principe": "autonomie", "niveau": "exigence"}
    if_ai = {"applicable_si": {"question": "utilise_ia", "equals": True}}
    old = referentiel([{"id": "A", **base}, {"id": "IA", **base, **if_ai}])
    new = referentiel(
        [
            {"id": "A", **base},
            {"id": "IA", **base, **if_ai},
            {"id": "IA2", **base, **if_ai},
            {"id": "N", **base},
        ]
    ).model_copy(update={"version": "2"})
    answered = {"A": {"statut": "conforme"}}
    moved = migrate_questionnaire(questionnaire({"utilise_ia": False}, answered), old, new)
    assert list(moved.questionnaire.reponses["essai"]) == ["A", "N"]
    assert moved.rapport.nouvelles == ["N"]


def test_a_reprise_from_another_referentiel_is_left_as_it_is_by_a_migration() -> None:
    """Only the reprises from the migrated référentiel are led to its new version."""
    base = {"principe": "autonomie", "niveau": "exigence"}
    old = referentiel([{"id": "A", **base}, {"id": "GONE", **base}])
    new = referentiel([{"id": "A2", "remplace": "A", **base}]).model_copy(update={"version": "2"})
    q = Questionnaire.model_validate(
        {
            "editeur": {"nom": "Éditeur d'essai"},
            "solution": {"nom": "Solution", "version": "1"},
            "referentiels": [{"id": "essai", "version": "1"}, {"id": "autre", "version": "1"}],
            "profil": {},
            "reponses": {
                "essai": {"A": {"statut": "conforme"}},
                "autre": {
                    "X": {
                        "reprise": [
                            {"referentiel": "essai", "exigence": "A"},
                            {"referentiel": "troisieme", "exigence": "Z"},
                        ]
                    },
                    "Y": {"reprise": [{"referentiel": "essai", "exigence": "GONE"}]},
                },
            },
        }
    )
    moved = migrate_questionnaire(q, old, new).questionnaire.reponses["autre"]
    assert [(r.referentiel, r.exigence) for r in moved["X"].reprise] == [
        ("essai", "A2"),
        ("troisieme", "Z"),
    ]
    assert moved["X"].a_reconfirmer == []
    assert moved["Y"].reprise == []
    assert moved["Y"].a_reconfirmer == [
        "la réponse était reprise de essai GONE, absente de essai 2 (reprise retirée) : répondre"
    ]
