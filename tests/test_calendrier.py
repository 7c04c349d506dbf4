"""Phase-in calendars: préconisations mandatory from an announced date, recorded in the dossier."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml

from cens_eval.engine.evaluation import evaluate
from cens_eval.errors import LoadError
from cens_eval.loader.calendrier import load_calendrier
from cens_eval.model.calendrier import Calendrier
from cens_eval.model.results import CategorieEcheance
from cens_eval.model.vocabulary import Niveau, Verdict

from .builders import questionnaire, referentiel
from .conftest import QUESTIONNAIRES, ROOT

REF = referentiel(
    [
        {"id": "OBLIG", "principe": "autonomie", "niveau": "exigence"},
        {"id": "PRECO", "principe": "autonomie", "niveau": "preconisation"},
        {
            "id": "DATEE",
            "principe": "autonomie",
            "niveau": "preconisation",
            "obligatoire_a_partir_du": "2030-01-01",
        },
    ]
)
Q = questionnaire({}, {"OBLIG": {"statut": "conforme"}})


def _calendrier(**dates: str) -> Calendrier:
    return Calendrier.model_validate(
        {
            "titre": "Annonce d'essai",
            "referentiels": [
                {
                    "id": "essai",
                    "version": "1",
                    "passages": [
                        {"exigence": k, "obligatoire_a_partir_du": v} for k, v in dates.items()
                    ],
                }
            ],
        }
    )


def _levels(as_of: str, calendrier: Calendrier | None) -> dict[str, Niveau]:
    evaluation = evaluate(Q, [REF], as_of=dt.date.fromisoformat(as_of), calendrier=calendrier)
    return {r.id: r.niveau_effectif for r in evaluation.referentiels[0].exigences}


def test_a_preconisation_is_mandatory_from_the_calendar_date() -> None:
    calendrier = _calendrier(PRECO="2027-01-01", DATEE="2026-06-01")
    assert _levels("2026-12-31", calendrier)["PRECO"] is Niveau.PRECONISATION
    assert _levels("2027-01-01", calendrier)["PRECO"] is Niveau.EXIGENCE
    assert _levels("2026-07-01", calendrier)["DATEE"] is Niveau.EXIGENCE  # overrides 2030
    assert _levels("2026-07-01", None)["DATEE"] is Niveau.PRECONISATION
    evaluation = evaluate(Q, [REF], as_of=dt.date(2027, 2, 1), calendrier=calendrier)
    preco = next(r for r in evaluation.referentiels[0].exigences if r.id == "PRECO")
    assert preco.explication[0] == (
        "préconisation devenue obligatoire le 01/01/2027 (calendrier « Annonce d'essai »)"
    )
    assert evaluation.referentiels[0].verdict is Verdict.NON_CONFORME  # PRECO now blocks


def test_a_calendar_date_within_a_year_is_an_echeance() -> None:
    evaluation = evaluate(
        Q, [REF], as_of=dt.date(2026, 11, 22), calendrier=_calendrier(PRECO="2027-03-01")
    )
    assert [(e.exigence, e.date, e.categorie) for e in evaluation.echeances] == [
        ("PRECO", dt.date(2027, 3, 1), CategorieEcheance.PRECONISATION_BIENTOT_OBLIGATOIRE)
    ]


def test_a_calendar_naming_what_cannot_become_mandatory_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "calendrier.yaml"
    path.write_text(
        """titre: Essai
referentiels:
  - id: essai
    version: "1"
    passages:
      - {exigence: PRECOO, obligatoire_a_partir_du: 2027-01-01}
      - {exigence: OBLIG, obligatoire_a_partir_du: 2027-01-01}
      - {exigence: PRECO, obligatoire_a_partir_du: 2027-13-01}
  - id: autre
    version: "3"
    passages:
      - {exigence: X, obligatoire_a_partir_du: 2027-01-01}
""",
        "utf-8",
    )
    with pytest.raises(LoadError) as caught:
        load_calendrier(path, [REF])
    (bad_date,) = caught.value.problems
    assert bad_date.where == "8" and "date invalide" in bad_date.message
    path.write_text(path.read_text("utf-8").replace("2027-13-01", "2027-12-01"), "utf-8")
    with pytest.raises(LoadError) as caught:
        load_calendrier(path, [REF])
    assert [(p.where, p.message.split(": ", 1)[1]) for p in caught.value.problems] == [
        ("6", "exigence PRECOO inconnue dans essai 1 (voulez-vous dire PRECO ?)"),
        (
            "7",
            "OBLIG est déjà obligatoire : seule une préconisation devient obligatoire à une date",
        ),
    ]


def test_passages_for_a_referentiel_not_evaluated_are_ignored_with_a_warning(
    tmp_path: Path,
) -> None:
    path = tmp_path / "calendrier.yaml"
    path.write_text(
        yaml.safe_dump(_calendrier(PRECO="2027-01-01").model_dump(mode="json")).replace(
            "essai", "autre"
        ),
        "utf-8",
    )
    loaded = load_calendrier(path, [REF])
    (warning,) = loaded.warnings
    assert warning.warning and "autre 1 non évalué : passages ignorés" in warning.message


@pytest.fixture
def medilink(tmp_path: Path) -> Path:
    shutil.copytree(QUESTIONNAIRES / "teleconsult-medilink", tmp_path / "medilink")
    return tmp_path / "medilink" / "questionnaire.yaml"


def test_the_dossier_records_and_carries_its_calendar_and_verifies(
    run_cli, medilink: Path, tmp_path: Path
) -> None:
    example = ROOT / "examples" / "calendriers" / "exemple-fictif.yaml"
    calendrier = tmp_path / "annonce.yaml"
    shutil.copy(example, calendrier)
    out = tmp_path / "dossier"
    args = ("evaluate", str(medilink), "--as-of", "2099-06-01", "--formats", "json")
    result = run_cli(*args, "--calendrier", str(calendrier), "-o", str(out))
    assert result.code in (0, 1), result.stderr
    data = json.loads((out / "dossier.json").read_text("utf-8"))
    assert data["calendrier"]["fichier"] == "calendrier/annonce.yaml"
    assert (out / "calendrier" / "annonce.yaml").read_bytes() == calendrier.read_bytes()
    dated = {
        p["exigence"]
        for r in yaml.safe_load(calendrier.read_text("utf-8"))["referentiels"]
        for p in r["passages"]
    }
    levels = {e["id"]: e["niveau_effectif"] for e in data["resultats"][0]["exigences"]}
    assert all(levels[i] == "exigence" for i in dated if i in levels)
    assert run_cli("dossier", "verify", str(out)).code == 0
    copy = out / "calendrier" / "annonce.yaml"
    copy.write_text(copy.read_text("utf-8").replace("2099-01-01", "2098-01-01"), "utf-8")
    tampered = run_cli("dossier", "verify", str(out))
    assert tampered.code == 1 and "calendrier/annonce.yaml" in tampered.stderr
    plain = run_cli(*args, "-o", str(tmp_path / "sans"))
    assert plain.code in (0, 1), plain.stderr
    assert json.loads((tmp_path / "sans" / "dossier.json").read_text("utf-8"))["calendrier"] is None


def test_the_example_calendar_is_fictitious_and_fits_the_shipped_referentiels(catalogue) -> None:
    example = ROOT / "examples" / "calendriers" / "exemple-fictif.yaml"
    loaded = load_calendrier(example, list(catalogue.referentiels))
    assert "FICTIF" in loaded.calendrier.titre and not loaded.warnings


def test_the_example_calendar_follows_its_json_schema() -> None:
    import jsonschema

    from cens_eval.model.schemas import schema_texts

    schema = json.loads(schema_texts()["calendrier.schema.json"])
    example = ROOT / "examples" / "calendriers" / "exemple-fictif.yaml"
    data = json.loads(json.dumps(yaml.safe_load(example.read_text("utf-8")), default=str))
    jsonschema.validate(data, schema)
