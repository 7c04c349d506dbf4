"""Where a questionnaire stands: one list of what remains to do, one state per exigence, and the
profil questions that apply to the answers so far."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml

import cens_eval
from cens_eval.engine.evaluation import evaluate
from cens_eval.engine.progress import Etat, index, remaining
from cens_eval.model.applicability import questions_needed

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "questionnaires" / "teleconsult-medilink"
AS_OF = dt.date(2026, 11, 22)


def _latest(catalogue):  # type: ignore[no-untyped-def]
    return [catalogue.get(i, catalogue.versions(i)[-1]) for i in catalogue.ids()]


def test_the_ia_sub_questions_apply_only_once_the_ia_is_said_used() -> None:
    catalogue = cens_eval.load_referentiels()
    refs = _latest(catalogue)
    first = questions_needed(refs, {})
    assert "utilise_ia" in first
    assert "ia_aide_decision" not in first  # asked only once the référentiel applies
    assert "ia_aide_decision" in questions_needed(refs, {"utilise_ia": True})
    assert "ia_aide_decision" not in questions_needed(refs, {"utilise_ia": False})


def _state(tmp_path: Path, change):  # type: ignore[no-untyped-def]
    ws = tmp_path / "q"
    shutil.copytree(EXAMPLE, ws)
    path = ws / "questionnaire.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    change(data["reponses"]["teleconsultation"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    catalogue = cens_eval.load_referentiels()
    loaded = cens_eval.load_questionnaire(path, catalogue)
    evaluation = evaluate(
        loaded.questionnaire, loaded.referentiels, as_of=AS_OF, vocabulaire=catalogue.vocabulaire
    )
    points = remaining(evaluation, loaded.as_written, loaded.gaps)
    found = {
        (e.referentiel, e.id): e
        for ref in index(evaluation, loaded.referentiels, points)
        for section in ref.sections
        for e in section.exigences
    }
    return evaluation, points, found


def test_each_exigence_has_the_state_of_what_remains_to_do(tmp_path: Path) -> None:
    def change(answers):  # type: ignore[no-untyped-def]
        del answers["ETH.08"]
        del answers["ETH.12"]["justification"]

    evaluation, points, found = _state(tmp_path, change)
    assert found[("teleconsultation", "ETH.08")].etat is Etat.SANS_REPONSE
    incomplete = found[("teleconsultation", "ETH.12")]
    assert incomplete.etat is Etat.A_COMPLETER
    assert any("justification obligatoire" in m for m in incomplete.points)
    assert found[("teleconsultation", "ETH.30")].etat is Etat.BLOQUANT  # declared, justified
    result = next(r for r in evaluation.referentiels if r.id == "teleconsultation")
    in_scope = {e.id for e in result.exigences}
    assert {e for (r, e) in found if r == "teleconsultation"} == in_scope
    # one list: every point belongs to an exigence shown as still to do, and the reverse
    to_do = {(p.referentiel, p.exigence) for p in points}
    assert to_do == {k for k, e in found.items() if e.etat in (Etat.A_COMPLETER, Etat.SANS_REPONSE)}
    assert [p.exigence for p in points] == ["ETH.08", "ETH.12"]  # in the référentiel's order


def test_a_ready_questionnaire_has_nothing_left(tmp_path: Path) -> None:
    _, points, found = _state(tmp_path, lambda answers: None)
    assert points == []
    assert {e.etat for e in found.values()} <= {Etat.PRET, Etat.BLOQUANT}
    assert all(e.points == () for e in found.values())


def test_a_gap_goes_to_its_exigence_when_it_names_one_else_to_the_general_points() -> None:
    from cens_eval.errors import Problem

    from .builders import questionnaire, referentiel

    ref = referentiel([{"id": "E", "principe": "autonomie", "niveau": "exigence"}])
    q = questionnaire({}, {"E": {"statut": "conforme"}})
    evaluation = evaluate(q, [ref], as_of=AS_OF)
    gaps = [
        Problem("q.yaml", "3", "nom de l'éditeur à renseigner", place=("editeur", "nom")),
        Problem("q.yaml", "9", "à confirmer", place=("reponses", "essai", "E")),
        Problem("q.yaml", "9", "réponses ignorées", place=("reponses", "autre")),
        Problem("q.yaml", "2", "question inconnue", place=("profil", "x", "y")),
    ]
    points = [(p.referentiel, p.exigence, p.message) for p in remaining(evaluation, q, gaps)]
    assert points == [  # the exigence's point first, in the order of the exigences
        ("essai", "E", "à confirmer"),
        ("", "", "q.yaml:3: nom de l'éditeur à renseigner"),
        ("", "", "q.yaml:9: réponses ignorées"),
        ("", "", "q.yaml:2: question inconnue"),
    ]


def test_the_index_names_sections_by_their_titles_and_counts_each_state() -> None:
    catalogue = cens_eval.load_referentiels()
    loaded = cens_eval.load_questionnaire(EXAMPLE / "questionnaire.yaml", catalogue)
    evaluation = evaluate(
        loaded.questionnaire, loaded.referentiels, as_of=AS_OF, vocabulaire=catalogue.vocabulaire
    )
    points = remaining(evaluation, loaded.as_written, loaded.gaps)
    refs = {r.id: r for r in loaded.referentiels}
    for ref_index in index(evaluation, loaded.referentiels, points):
        titles = {s.id: s.titre for s in refs[ref_index.id].sections}
        assert [s.titre for s in ref_index.sections] == [
            titles.get(s.id, "Autres exigences") if s.id else "Autres exigences"
            for s in ref_index.sections
        ]
        assert any(s.id in titles for s in ref_index.sections)
        in_scope = sum(len(s.exigences) for s in ref_index.sections)
        counts = ref_index.counts()
        assert sum(counts.values()) == in_scope
        assert counts == {
            etat: sum(e.etat is etat for s in ref_index.sections for e in s.exigences)
            for etat in Etat
        }
