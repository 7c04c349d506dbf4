"""One table holds the scoring rule: change a credit and every figure and sentence follows."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from fractions import Fraction

import pytest

from cens_eval.dossier.build import Provenance, build_dossier
from cens_eval.engine import scoring
from cens_eval.engine.evaluation import evaluate
from cens_eval.engine.scoring import BAREME, Bareme, Ligne
from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.model.dossier import Empreinte
from cens_eval.model.results import Evaluation
from cens_eval.model.review import Avis, AvisExigence, Evaluateur, Revue
from cens_eval.model.vocabulary import Niveau, Principe, Resultat, Verdict
from cens_eval.review import batch
from cens_eval.review.assess import apply_review

from .builders import questionnaire, referentiel
from .conftest import QUESTIONNAIRES

AS_OF = dt.date(2026, 11, 22)
R = Resultat


def _with(**changes: Ligne) -> Bareme:
    return replace(BAREME, lignes={**BAREME.lignes, **{R(k): v for k, v in changes.items()}})


ALTERNATIVES = {
    "partiel-un-tiers": _with(partiellement_conforme=Ligne(Fraction(1, 3), satisfait=False)),
    "preuves-manquantes-un-quart": _with(preuves_manquantes=Ligne(Fraction(1, 4), satisfait=False)),
    "non-applicable-justifie-compte": _with(
        non_applicable_justifie=Ligne(Fraction(1), satisfait=True)
    ),
    "sans-reponse-exclue": _with(sans_reponse=Ligne(None, satisfait=False)),
    "partiel-satisfait": _with(partiellement_conforme=Ligne(Fraction(1, 2), satisfait=True)),
}

REF = referentiel(
    [
        {"id": f"E{i}", "principe": p, "niveau": n, "poids": w, "preuves": preuves}
        for i, (p, n, w, preuves) in enumerate(
            [
                ("autonomie", "exigence", "2", [{"id": "doc", "type": "document"}]),
                ("autonomie", "exigence", "1", []),
                ("autonomie", "preconisation", "1.5", []),
                ("justice_equite", "exigence", "3", [{"id": "doc", "type": "document"}]),
                ("justice_equite", "exigence", "1", []),
                ("bienfaisance", "exigence", "0.5", []),
                ("bienfaisance", "preconisation", "1", []),
            ]
        )
    ]
)
Q = questionnaire(
    {},
    {
        "E0": {"statut": "conforme", "preuves": [{"attendue": "doc", "url": "https://a.fr"}]},
        "E1": {"statut": "partiellement_conforme", "justification": "en cours"},
        "E2": {"statut": "non_applicable", "justification": "sans objet"},
        "E3": {"statut": "conforme"},
        "E4": {"statut": "non_conforme", "justification": "à faire"},
        # E5 unanswered
        "E6": {"statut": "partiellement_conforme", "justification": "en partie"},
    },
)
OUTCOMES = {
    "E0": R.CONFORME,
    "E1": R.PARTIELLEMENT_CONFORME,
    "E2": R.NON_APPLICABLE_JUSTIFIE,
    "E3": R.PREUVES_MANQUANTES,
    "E4": R.NON_CONFORME,
    "E5": R.SANS_REPONSE,
    "E6": R.PARTIELLEMENT_CONFORME,
}


@pytest.mark.parametrize("rule", ALTERNATIVES.values(), ids=ALTERNATIVES.keys())
def test_every_figure_and_explanation_follows_the_table(
    rule: Bareme, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scoring, "BAREME", rule)
    (result,) = evaluate(Q, [REF], as_of=AS_OF).referentiels
    assert {r.id: r.resultat for r in result.exigences} == OUTCOMES
    for r in result.exigences:
        assert r.satisfaite is rule.lignes[r.resultat].satisfait
    for score in result.scores:
        chosen = [
            r
            for r in result.exigences
            if r.niveau_effectif is score.niveau and score.principe in (None, r.principe)
        ]
        counted = [r for r in chosen if rule.lignes[r.resultat].credit is not None]
        total = sum((Fraction(r.poids) for r in counted), Fraction(0))
        earned = sum(
            (Fraction(r.poids) * (rule.lignes[r.resultat].credit or 0) for r in counted),
            Fraction(0),
        )
        assert (score.points, score.poids_total) == (earned, total)
        assert score.score == (earned / total * 100 if total else None)
        assert score.comptees == [r.id for r in counted]
        if total:
            assert rule.texte() in score.explication
    blocking = [
        r.id
        for r in result.exigences
        if r.niveau_effectif is Niveau.EXIGENCE and not rule.lignes[r.resultat].satisfait
    ]
    assert [b.id for b in result.bloquantes] == blocking
    assert result.verdict is (Verdict.NON_CONFORME if blocking else Verdict.CONFORME)


def _figure(rule: Bareme, chosen: list[tuple[Fraction, Resultat]]) -> Fraction | None:
    counted = [(w, rule.lignes[r].credit) for w, r in chosen if rule.lignes[r].credit is not None]
    total = sum((w for w, _ in counted), Fraction(0))
    earned = sum((w * (c or 0) for w, c in counted), Fraction(0))
    return earned / total * 100 if total else None


@pytest.mark.parametrize("rule", ALTERNATIVES.values(), ids=ALTERNATIVES.keys())
def test_the_review_and_the_batch_follow_the_table(
    rule: Bareme, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scoring, "BAREME", rule)
    evaluation = evaluate(Q, [REF], as_of=AS_OF)
    sha = "0" * 64
    provenance = Provenance(
        questionnaire=Empreinte(fichier="questionnaire/q.yaml", sha256=sha),
        vocabulaire_profil=Empreinte(fichier="referentiels/profil.yaml", sha256=sha),
        referentiels={(REF.id, REF.version): Empreinte(fichier="referentiels/r.yaml", sha256=sha)},
        manifeste=[],
    )
    dossier = build_dossier(Q, [REF], evaluation, provenance, tool_version="0")
    exigences = dossier.resultats[0].exigences
    for principe in Principe:
        pooled = batch._pooled(dossier.resultats[0], principe)
        for niveau, shown in (
            (Niveau.EXIGENCE, pooled.obligatoires),
            (Niveau.PRECONISATION, pooled.preconisations),
        ):
            chosen = [
                (Fraction(e.poids), e.resultat)
                for e in exigences
                if e.principe is principe and e.niveau_effectif is niveau
            ]
            exact = _figure(rule, chosen)
            assert (shown is None) == (exact is None)
            if exact is not None and shown is not None:
                assert abs(Fraction(shown) - exact) <= Fraction(1, 20)
    # The evaluator agrees with every declared outcome except E0, which is refused.
    avis = {e.id: AvisExigence(avis=Avis.VALIDE) for e in exigences}
    avis["E0"] = AvisExigence(avis=Avis.NON_VALIDE, commentaire="preuve illisible")
    revue = Revue(
        evaluateur=Evaluateur(nom="Évaluatrice"),
        dossier_sha256=sha,
        date=AS_OF,
        avis={REF.id: avis},
    )
    reviewed = apply_review(dossier, revue, Empreinte(fichier="revue/r.yaml", sha256=sha))
    section = reviewed.revue.referentiels[0]
    assessed = {e.id: e.resultat_evalue for e in section.exigences}
    for score in section.scores_evalues:
        chosen = [
            (Fraction(e.poids), assessed[e.id])
            for e in exigences
            if e.niveau_effectif is score.niveau and score.principe in (None, e.principe)
        ]
        exact = _figure(rule, chosen)
        assert score.score_exact == (None if exact is None else _text(exact))
        if exact is not None:
            assert rule.texte() in score.explication


def _text(value: Fraction) -> str:
    return (
        str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    )


def test_the_rule_is_stated_from_the_table() -> None:
    assert BAREME.texte() == (
        "conforme = 1 ; partiellement conforme ou preuves manquantes = 1/2 ; "
        "non conforme, sans réponse ou non applicable non justifié = 0 ; "
        "non applicable justifié : exclu des scores"
    )
    assert "partiellement conforme = 1/3" in ALTERNATIVES["partiel-un-tiers"].texte()


@pytest.mark.parametrize("example", sorted(QUESTIONNAIRES.glob("*/questionnaire.yaml")))
def test_an_evaluation_round_trips_through_its_own_json(example, catalogue) -> None:
    loaded = load_questionnaire(example, catalogue)
    evaluation = evaluate(loaded.questionnaire, loaded.referentiels, as_of=AS_OF)
    assert Evaluation.model_validate_json(evaluation.model_dump_json()) == evaluation
    assert Evaluation.model_validate(evaluation.model_dump()) == evaluation
