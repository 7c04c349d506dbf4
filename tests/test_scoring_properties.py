"""Properties of the engine over random référentiels, profils and answers (hypothesis)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cens_eval.engine.evaluation import Preparation, evaluate
from cens_eval.model.applicability import Portee, scope
from cens_eval.model.questionnaire import Questionnaire
from cens_eval.model.referentiel import Referentiel
from cens_eval.model.results import Evaluation
from cens_eval.model.vocabulary import Niveau, Principe, Resultat, Statut, Verdict

from .builders import questionnaire, referentiel

AS_OF = dt.date(2026, 11, 22)

# The rule as the README states it, written here independently of the engine's table.
CREDIT = {
    Resultat.CONFORME: Fraction(1),
    Resultat.PARTIELLEMENT_CONFORME: Fraction(1, 2),
    Resultat.PREUVES_MANQUANTES: Fraction(1, 2),
    Resultat.NON_CONFORME: Fraction(0),
    Resultat.SANS_REPONSE: Fraction(0),
    Resultat.NON_APPLICABLE_NON_JUSTIFIE: Fraction(0),
}
MET = {Resultat.CONFORME, Resultat.NON_APPLICABLE_JUSTIFIE}
SHARED = Preparation()
"""One preparation across examples: a périmètre kept for one profil is never used for another."""
CONDITIONS = [
    None,
    {"question": "utilise_ia", "equals": True},
    {"not": {"question": "utilise_ia", "equals": True}},
    {"question": "audience", "in": ["patients", "mixte"]},
]


@st.composite
def exigence(draw: st.DrawFn, index: int) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": f"E{index}",
        "principe": draw(st.sampled_from([p.value for p in Principe])),
        "niveau": draw(st.sampled_from([n.value for n in Niveau])),
        "poids": draw(st.sampled_from(["1", "2", "5", "0.5", "1.25", "0.1"])),
        "preuves": [
            {"id": f"p{j}", "type": "document", "obligatoire": draw(st.booleans())}
            for j in range(draw(st.integers(0, 2)))
        ],
    }
    condition = draw(st.sampled_from(CONDITIONS))
    if condition is not None:
        item["applicable_si"] = condition
    if draw(st.booleans()):
        item["non_applicable"] = {
            "exige_hors_profil": draw(st.booleans()),
            "preuves": [{"id": "na", "type": "attestation_sur_l_honneur"}],
        }
    return item


@st.composite
def answer(draw: st.DrawFn, item: dict[str, Any]) -> dict[str, Any] | None:
    if draw(st.booleans()) and draw(st.booleans()):
        return None
    statut = draw(st.sampled_from([s.value for s in Statut]))
    ids = [p["id"] for p in item["preuves"]] + (["na"] if "non_applicable" in item else [])
    chosen = draw(st.lists(st.sampled_from(ids), unique=True)) if ids else []
    result: dict[str, Any] = {
        "statut": statut,
        "preuves": [{"attendue": i, "fichier": f"{i}.pdf"} for i in chosen],
    }
    if draw(st.booleans()):
        result["justification"] = "parce que"
    return result


@st.composite
def scenario(draw: st.DrawFn) -> tuple[Referentiel, Questionnaire, list[dict[str, Any]]]:
    items = [draw(exigence(i)) for i in range(draw(st.integers(1, 8)))]
    profil = {
        "utilise_ia": draw(st.booleans()),
        "audience": draw(st.sampled_from(["patients", "professionnels", "mixte"])),
    }
    reponses = {}
    for item in items:
        given_answer = draw(answer(item))
        if given_answer is not None:
            reponses[item["id"]] = given_answer
    return referentiel(items), questionnaire(profil, reponses), items


def _scores(evaluation: Evaluation) -> dict[tuple[Niveau, Principe | None], Any]:
    (ref,) = evaluation.referentiels
    return {(s.niveau, s.principe): s.score for s in ref.scores}


def _with_answer(q: Questionnaire, exigence_id: str, new: dict[str, Any] | None) -> Questionnaire:
    answers = {
        k: v.model_dump(mode="json", exclude_none=True)
        for k, v in q.reponses.get("essai", {}).items()
    }
    if new is None:
        answers.pop(exigence_id, None)
    else:
        answers[exigence_id] = new
    return questionnaire(dict(q.profil), answers)


@settings(max_examples=150, deadline=None)
@given(scenario())
def test_every_score_is_a_percentage(
    data: tuple[Referentiel, Questionnaire, list[dict[str, Any]]],
) -> None:
    ref, q, _ = data
    for score in _scores(evaluate(q, [ref], as_of=AS_OF)).values():
        assert score is None or 0 <= score <= 100


@settings(max_examples=150, deadline=None)
@given(scenario(), st.data())
def test_making_an_answer_conforme_with_its_preuves_never_lowers_anything(
    data: tuple[Referentiel, Questionnaire, list[dict[str, Any]]], pick: st.DataObject
) -> None:
    ref, q, items = data
    # Outside its case (non applicable à justifier), only a proved non-applicability meets an
    # exigence: a conformity claim there is no improvement (rules v2).
    asked = [
        i
        for i, e in zip(items, ref.exigences, strict=True)
        if scope(e, q.profil) is Portee.APPLICABLE
    ]
    assume(asked)
    item = pick.draw(st.sampled_from(asked))
    before = evaluate(q, [ref], as_of=AS_OF)
    better = _with_answer(
        q,
        item["id"],
        {
            "statut": "conforme",
            "preuves": [{"attendue": p["id"], "fichier": "x.pdf"} for p in item["preuves"]],
        },
    )
    after = evaluate(better, [ref], as_of=AS_OF)
    old, new = _scores(before), _scores(after)
    for key, value in old.items():
        if value is not None and new[key] is not None:
            assert new[key] >= value, key
    if before.referentiels[0].verdict is Verdict.CONFORME:
        assert after.referentiels[0].verdict is Verdict.CONFORME


@settings(max_examples=100, deadline=None)
@given(scenario())
def test_answer_order_never_changes_results(
    data: tuple[Referentiel, Questionnaire, list[dict[str, Any]]],
) -> None:
    ref, q, _ = data
    answers = {
        k: v.model_dump(mode="json", exclude_none=True)
        for k, v in q.reponses.get("essai", {}).items()
    }
    reversed_q = questionnaire(dict(q.profil), dict(reversed(list(answers.items()))))
    assert evaluate(q, [ref], as_of=AS_OF) == evaluate(reversed_q, [ref], as_of=AS_OF)


@settings(max_examples=100, deadline=None)
@given(scenario(), st.data())
def test_out_of_scope_answers_never_change_anything(
    data: tuple[Referentiel, Questionnaire, list[dict[str, Any]]], pick: st.DataObject
) -> None:
    ref, q, _ = data
    outside = [e for e in ref.exigences if scope(e, q.profil) is Portee.HORS_PERIMETRE]
    if not outside:
        return
    target = pick.draw(st.sampled_from(outside))
    statut = pick.draw(st.sampled_from([s.value for s in Statut]))
    changed = _with_answer(q, target.id, {"statut": statut, "justification": "x"})
    assert evaluate(changed, [ref], as_of=AS_OF) == evaluate(q, [ref], as_of=AS_OF)


@settings(max_examples=150, deadline=None)
@given(scenario())
def test_preconisations_alone_never_make_a_verdict_non_conforme(
    data: tuple[Referentiel, Questionnaire, list[dict[str, Any]]],
) -> None:
    ref, q, items = data
    fixed = q
    for item, exigence in zip(items, ref.exigences, strict=True):
        if item["niveau"] != "exigence":
            continue
        if scope(exigence, q.profil) is Portee.NON_APPLICABLE_A_JUSTIFIER:
            # outside its case, it is met only by a non-applicability with its proof
            na = [{"attendue": p.id, "fichier": "x.pdf"} for p in exigence.non_applicable.preuves]
            answer = {"statut": "non_applicable", "justification": "hors du cas", "preuves": na}
        else:
            preuves = [{"attendue": p["id"], "fichier": "x.pdf"} for p in item["preuves"]]
            answer = {"statut": "conforme", "preuves": preuves}
        fixed = _with_answer(fixed, item["id"], answer)
    (result,) = evaluate(fixed, [ref], as_of=AS_OF).referentiels
    assert result.verdict is Verdict.CONFORME
    assert all(
        b.id not in {i["id"] for i in items if i["niveau"] == "preconisation"}
        for b in result.bloquantes
    )


@settings(max_examples=200, deadline=None)
@given(scenario())
def test_figures_and_verdict_match_a_direct_computation(
    data: tuple[Referentiel, Questionnaire, list[dict[str, Any]]],
) -> None:
    """The figures agree with summing the README's credits over the detailed results.

    Examples share one preparation (périmètres per référentiel, profil and date), so this also
    checks that a périmètre prepared for one profil is never used for another.
    """
    ref, q, _ = data
    (result,) = evaluate(q, [ref], as_of=AS_OF, preparation=SHARED).referentiels
    in_scope = [e.id for e in ref.exigences if scope(e, q.profil) is not Portee.HORS_PERIMETRE]
    assert [r.id for r in result.exigences] == in_scope
    for score in result.scores:
        chosen = [
            r
            for r in result.exigences
            if r.niveau_effectif is score.niveau and score.principe in (None, r.principe)
        ]
        counted = [r for r in chosen if r.resultat is not Resultat.NON_APPLICABLE_JUSTIFIE]
        total = sum((Fraction(r.poids) for r in counted), Fraction(0))
        points = sum((Fraction(r.poids) * CREDIT[r.resultat] for r in counted), Fraction(0))
        assert score.comptees == [r.id for r in counted]
        assert (score.points, score.poids_total) == (points, total)
        assert score.score == (points / total * 100 if total else None)
        assert sum(score.effectifs.values()) == len(chosen)
    blocking = [
        r.id
        for r in result.exigences
        if r.niveau_effectif is Niveau.EXIGENCE and r.resultat not in MET
    ]
    assert [b.id for b in result.bloquantes] == blocking
    assert result.verdict is (Verdict.NON_CONFORME if blocking else Verdict.CONFORME)
