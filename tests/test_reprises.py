"""Answers taken from another référentiel (``reprise``): by reference, counted only through a
full link, refused when no link allows them, shown wherever the answer is shown."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from pypdf import PdfReader

from cens_eval.engine.evaluation import evaluate
from cens_eval.engine.migrate import migrate_questionnaire
from cens_eval.errors import LoadError
from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.loader.referentiels import load_catalogue, load_referentiel
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.questionnaire import Questionnaire, Reprise
from cens_eval.model.results import Evaluation
from cens_eval.render.review_yaml import render_review_yaml
from cens_eval.service.operations import produce_dossier, write_dossier

from .conftest import QUESTIONNAIRES, REFERENTIELS

MEDILINK = QUESTIONNAIRES / "teleconsult-medilink" / "questionnaire.yaml"
AS_OF = dt.date(2026, 11, 22)
TLC, IA = "teleconsultation", "ia-sante"


def _medilink() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MEDILINK.read_text("utf-8"))
    return data


def _write(tmp_path: Path, data: dict[str, Any], name: str = "q.yaml") -> Path:
    """The questionnaire next to a copy of MediLink's preuves."""
    if not (tmp_path / "preuves").exists():
        shutil.copytree(MEDILINK.parent / "preuves", tmp_path / "preuves")
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def _folder(tmp_path: Path, links: list[tuple[str, str, str, str, str]]) -> Catalogue:
    """A copy of the shipped référentiels whose correspondence file holds only ``links``."""
    folder = tmp_path / "referentiels"
    shutil.copytree(REFERENTIELS, folder)
    liens = [
        {
            "exigence": {"referentiel": ra, "exigence": a},
            "relation": relation,
            "comparee_a": {"referentiel": rb, "exigence": b},
            "justification": "lien d'essai",
            "source": "choix du projet",
        }
        for ra, a, relation, rb, b in links
    ]
    corr = {
        "titre": "Essai",
        "referentiels": [{"id": TLC, "version": "1.5.1"}, {"id": IA, "version": "2024-03"}],
        "liens": liens,
    }
    (folder / "correspondances.yaml").write_text(yaml.safe_dump(corr), "utf-8")
    return load_catalogue(folder)


def _take(
    data: dict[str, Any], ref: str, cible: str, source_ref: str, source: str
) -> dict[str, Any]:
    """Replace one answer by a reprise; what the source does not give stays as own preuves."""
    answer = data["reponses"][ref][cible]
    data["reponses"][ref][cible] = {
        "reprise": {"referentiel": source_ref, "exigence": source},
        **({"preuves": answer["preuves"]} if answer.get("preuves") else {}),
    }
    return data


def _evaluate(path: Path, catalogue: Catalogue) -> Evaluation:
    loaded = load_questionnaire(path, catalogue)
    return evaluate(loaded.questionnaire, loaded.referentiels, as_of=AS_OF)


def _outcomes(evaluation: Evaluation) -> dict[tuple[str, str], tuple[object, ...]]:
    return {
        (r.referentiel, r.id): (r.resultat, r.satisfaite, r.statut_declare)
        for ref in evaluation.referentiels
        for r in ref.exigences
    }


def _figures(evaluation: Evaluation) -> list[object]:
    return [(r.id, r.verdict, r.scores) for r in evaluation.referentiels]


def test_answered_once_evaluates_as_answered_twice_through_the_shipped_inclusion(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    full = _evaluate(MEDILINK, catalogue)
    once = _evaluate(
        _write(tmp_path, _take(_medilink(), TLC, "ETH.17.1", IA, "CE-IA-17")),
        catalogue,
    )
    assert _outcomes(once) == _outcomes(full)
    assert _figures(once) == _figures(full)
    taken = next(r for ref in once.referentiels for r in ref.exigences if r.id == "ETH.17.1")
    assert taken.reprises == [Reprise(referentiel=IA, exigence="CE-IA-17", confirmee=True)]
    assert "réponse reprise de ia-sante CE-IA-17, par référence" in taken.explication


def test_an_equivalence_lets_either_side_take_the_other_answer(tmp_path: Path) -> None:
    catalogue = _folder(tmp_path, [(TLC, "CE-TLC-08", "equivalente", IA, "CE-IA-20")])
    full = _evaluate(MEDILINK, catalogue)
    for ref, exigence, source_ref, source in (
        (IA, "CE-IA-20", TLC, "CE-TLC-08"),
        (TLC, "CE-TLC-08", IA, "CE-IA-20"),
    ):
        data = _take(_medilink(), ref, exigence, source_ref, source)
        once = _evaluate(_write(tmp_path, data, f"{exigence}.yaml"), catalogue)
        assert _outcomes(once) == _outcomes(full)


def test_changing_the_source_changes_its_reprises(tmp_path: Path, catalogue: Catalogue) -> None:
    data = _take(_medilink(), TLC, "ETH.17.1", IA, "CE-IA-17")
    data["reponses"][IA]["CE-IA-17"].update(
        statut="non_conforme", justification="La mention a été retirée de l'application."
    )
    outcomes = _outcomes(_evaluate(_write(tmp_path, data), catalogue))
    assert outcomes[(TLC, "ETH.17.1")] == outcomes[(IA, "CE-IA-17")]
    assert outcomes[(TLC, "ETH.17.1")][2] == "non_conforme"


def test_a_partial_link_pre_fills_but_counts_only_once_confirmed(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    data = _take(_medilink(), IA, "CE-IA-21", TLC, "CE-TLC-07")
    path = _write(tmp_path, data)
    loaded = load_questionnaire(path, catalogue)
    assert any("pré-remplie depuis teleconsultation CE-TLC-07" in p.message for p in loaded.gaps)
    pending = _outcomes(_evaluate(path, catalogue))[(IA, "CE-IA-21")]
    assert pending[2] is None and pending[1] is False  # not counted: as if unanswered
    data["reponses"][IA]["CE-IA-21"]["reprise"]["confirmee"] = True
    confirmed = load_questionnaire(_write(tmp_path, data), catalogue)
    assert not any("CE-IA-21" in str(p.loc) for p in confirmed.gaps)
    answer = confirmed.questionnaire.reponse(IA, "CE-IA-21")
    source = confirmed.questionnaire.reponse(TLC, "CE-TLC-07")
    assert answer is not None and source is not None
    assert answer.statut == source.statut
    # only the preuves CE-IA-21 itself expects are taken (not CE-TLC-07's plan-amelioration)
    assert {p.attendue for p in answer.preuves} == {"declaration-accessibilite", "taux-rgaa"}


def test_with_several_sources_the_most_restrictive_wins(tmp_path: Path) -> None:
    catalogue = _folder(
        tmp_path,
        [
            (IA, "CE-IA-20", "incluse", TLC, "CE-TLC-01"),
            (IA, "CE-IA-20", "incluse", TLC, "CE-TLC-07"),
        ],
    )
    data = _medilink()
    statuts = {e: data["reponses"][TLC][e]["statut"] for e in ("CE-TLC-01", "CE-TLC-07")}
    assert statuts == {"CE-TLC-01": "conforme", "CE-TLC-07": "partiellement_conforme"}
    data["reponses"][IA]["CE-IA-20"] = {
        "reprise": [
            {"referentiel": TLC, "exigence": "CE-TLC-01"},
            {"referentiel": TLC, "exigence": "CE-TLC-07"},
        ]
    }
    result = next(
        r
        for ref in _evaluate(_write(tmp_path, data), catalogue).referentiels
        for r in ref.exigences
        if r.id == "CE-IA-20"
    )
    assert result.statut_declare == "partiellement_conforme"
    assert [r.exigence for r in result.reprises] == ["CE-TLC-07", "CE-TLC-01"]


@pytest.mark.parametrize(
    ("ref", "exigence", "reprise", "extra", "message"),
    [
        (IA, "CE-IA-01", {"referentiel": TLC, "exigence": "ETH.08"}, {}, "aucune correspondance"),
        (
            IA,
            "CE-IA-01",
            {"referentiel": TLC, "exigence": "ETH.99"},
            {},
            "exigence ETH.99 inconnue",
        ),
        (IA, "CE-IA-01", {"referentiel": IA, "exigence": "CE-IA-02"}, {}, "pas du même"),
        (
            TLC,
            "ETH.17.1",
            {"referentiel": IA, "exigence": "CE-IA-17"},
            {"statut": "conforme"},
            "une réponse reprise ne porte ni statut",
        ),
        (
            IA,
            "CE-IA-17",
            {"referentiel": "lgc", "exigence": "CE-LGC-18"},
            {},
            "ne répond pas au référentiel lgc",
        ),
    ],
)
def test_a_reprise_no_link_allows_is_refused_at_its_line(
    tmp_path: Path,
    catalogue: Catalogue,
    ref: str,
    exigence: str,
    reprise: dict[str, str],
    extra: dict[str, str],
    message: str,
) -> None:
    data = _medilink()
    data["reponses"][ref][exigence] = {"reprise": reprise, **extra}
    path = _write(tmp_path, data)
    with pytest.raises(LoadError) as exc:
        load_questionnaire(path, catalogue)
    problem = exc.value.problems[0]
    assert message in problem.message
    assert problem.file == str(path) and problem.where.isdigit()  # named at its line


def test_a_cycle_of_reprises_is_refused(tmp_path: Path) -> None:
    catalogue = _folder(tmp_path, [(TLC, "CE-TLC-08", "equivalente", IA, "CE-IA-20")])
    data = _take(_medilink(), IA, "CE-IA-20", TLC, "CE-TLC-08")
    data = _take(data, TLC, "CE-TLC-08", IA, "CE-IA-20")
    with pytest.raises(LoadError) as exc:
        load_questionnaire(_write(tmp_path, data), catalogue)
    assert any("reprise circulaire" in p.message for p in exc.value.problems)


def test_the_dossier_shows_where_each_reprise_comes_from_and_verify_rechecks_it(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    from cens_eval import verify_dossier

    data = _take(_medilink(), TLC, "ETH.17.1", IA, "CE-IA-17")
    loaded = load_questionnaire(_write(tmp_path, data), catalogue)
    produced = produce_dossier(loaded, catalogue, as_of=AS_OF)
    exigences = {
        e["id"]: e
        for r in json.loads(produced.files["dossier.json"])["resultats"]
        for e in r["exigences"]
    }
    assert exigences["ETH.17.1"]["reprises"] == [
        {"referentiel": IA, "exigence": "CE-IA-17", "confirmee": True}
    ]
    assert "reprises" not in exigences["CE-IA-17"]  # only an answer taken has one
    pdf = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(produced.files["dossier.pdf"])).pages
    )
    assert "reprise de ia-sante CE-IA-17" in " ".join(pdf.split())
    sheets = openpyxl.load_workbook(io.BytesIO(produced.files["dossier.xlsx"]))
    cells = [str(c.value) for ws in sheets.worksheets for row in ws.iter_rows() for c in row]
    assert any("réponse reprise de ia-sante CE-IA-17" in c for c in cells)
    review = render_review_yaml(produced.dossier, "0" * 64)
    flat = " ".join(line.strip().lstrip("#").strip() for line in review.splitlines())
    assert "L'avis donné sur ia-sante CE-IA-17 peut être repris ici" in flat
    out = tmp_path / "dossier"
    write_dossier(out, produced)
    assert verify_dossier(out).intact
    copy = next(out.rglob("q.yaml"))
    copy.write_text(copy.read_text("utf-8").replace("statut: conforme", "statut: non_conforme", 1))
    assert not verify_dossier(out).intact


def test_migrate_leads_a_reprise_to_its_renamed_source(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    data = _take(_medilink(), TLC, "ETH.17.1", IA, "CE-IA-17")
    q = Questionnaire.model_validate(data)
    ancien = catalogue.get(IA, "2024-03")
    assert ancien is not None
    raw = yaml.safe_load((REFERENTIELS / "ia-sante-2024.yaml").read_text("utf-8"))
    raw["version"] = "2025"
    renamed = next(e for e in raw["exigences"] if e["id"] == "CE-IA-17")
    for edit, expected in (
        ({"id": "CE-IA-17b", "remplace": "CE-IA-17"}, ["CE-IA-17b"]),
        (None, []),
    ):
        if edit is None:
            raw["exigences"].remove(renamed)
        else:
            renamed.update(edit)
        path = tmp_path / "ia-2025.yaml"
        path.write_text(yaml.safe_dump(raw, allow_unicode=True), "utf-8")
        nouveau = load_referentiel(path, catalogue.vocabulaire)
        moved = migrate_questionnaire(q, ancien, nouveau).questionnaire
        answer = moved.reponse(TLC, "ETH.17.1")
        assert answer is not None
        assert [r.exigence for r in answer.reprise] == expected
        assert bool(answer.a_reconfirmer) is (not expected)


def test_init_writes_the_reprises_and_says_how_many_answers_they_spare(
    run_cli, tmp_path: Path
) -> None:
    profil = tmp_path / "profil.yaml"
    profil.write_text(yaml.safe_dump(_medilink()["profil"]), "utf-8")
    output = tmp_path / "q.yaml"
    result = run_cli("questionnaire", "init", "--profil", str(profil), "-o", str(output))
    assert result.code == 0, result.stderr
    written = yaml.safe_load(output.read_text("utf-8"))["reponses"]
    answers = [a for ref in written.values() for a in ref.values()]
    full = [a for a in answers if "reprise" in a and "confirmee" not in a["reprise"]]
    partial = [a for a in answers if "reprise" in a and a["reprise"].get("confirmee") is False]
    assert full and partial
    assert f"{len(full)} réponse" in result.stdout and f"sur {len(answers)} " in result.stdout
    assert f"et {len(partial)} pré-remplie" in result.stdout
    assert written[TLC]["ETH.17.1"]["reprise"] == {"referentiel": IA, "exigence": "CE-IA-17"}


def test_the_web_form_shows_keeps_and_confirms_a_pre_fill(tmp_path: Path) -> None:
    import cens_eval
    from cens_eval.web.app import create_app

    from .test_web import form_fields

    workspace = tmp_path / "espace"
    shutil.copytree(MEDILINK.parent, workspace)
    path = workspace / "questionnaire.yaml"
    data = _take(_medilink(), IA, "CE-IA-21", TLC, "CE-TLC-07")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    client = create_app(workspace, cens_eval.load_referentiels(), secret="test").test_client()
    html = client.get("/editeur/").data.decode()
    assert "Réponse pré-remplie depuis teleconsultation CE-TLC-07 (lien partiel)" in html
    box = "ia-sante__CE-IA-21__reprise__confirmee"
    assert f'name="{box}" value="1">' in html  # shown, not ticked
    for ticked, confirmed in ((False, False), (True, True)):
        fields = form_fields(client.get("/editeur/").data.decode(), "reponses")
        fields = {k: v for k, v in fields.items() if "__reprise__" not in k}  # boxes unticked
        posted = {**fields, "action": "enregistrer", **({box: "1"} if ticked else {})}
        saved = client.post("/editeur/", data=posted)
        assert saved.status_code == 302, saved.data.decode()[:2000]
        answer = yaml.safe_load(path.read_text("utf-8"))["reponses"][IA]["CE-IA-21"]
        assert answer["reprise"][0]["exigence"] == "CE-TLC-07"
        assert bool(answer["reprise"][0].get("confirmee")) is confirmed


def test_the_explanation_of_a_reprise_says_whether_it_counts_and_what_it_took() -> None:
    from cens_eval.engine.evaluation import reprise_words
    from cens_eval.model.questionnaire import Reponse

    def words(statut: str | None, *confirmed: bool) -> str:
        sources = [
            {"referentiel": "ia-sante", "exigence": f"CE-IA-{i}", "confirmee": c}
            for i, c in enumerate(confirmed, start=17)
        ]
        return reprise_words(Reponse.model_validate({"statut": statut, "reprise": sources}))

    assert words("conforme", True) == "réponse reprise de ia-sante CE-IA-17, par référence"
    assert words(None, True) == "réponse reprise de ia-sante CE-IA-17, qui est sans réponse"
    assert words(None, False) == (
        "réponse pré-remplie depuis ia-sante CE-IA-17, à confirmer par l'éditeur : non comptée"
    )
    assert words("non_conforme", True, True, False) == (
        "réponse reprise de ia-sante CE-IA-17, par référence (sources possibles aussi : "
        "ia-sante CE-IA-18 ; la plus restrictive l'emporte)"
    )
