"""The rules as the README writes them, where the engine cases do not reach: readiness, the
review's agreement, the words of verdicts and outcomes, and one semantics for an incomplete
questionnaire across ``evaluate``, ``questionnaire check`` and the library."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from cens_eval.dossier.build import Provenance, build_dossier
from cens_eval.engine.evaluation import evaluate
from cens_eval.engine.readiness import readiness
from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.model.dossier import Empreinte
from cens_eval.model.review import Avis, AvisExigence, Evaluateur, Revue
from cens_eval.model.vocabulary import Niveau, Principe, Resultat
from cens_eval.review.assess import apply_review

from .builders import questionnaire, referentiel

AS_OF = dt.date(2026, 11, 22)
BASE = Path(__file__).parent / "data" / "questionnaires" / "base"


def _evaluate(exigences: list[dict[str, Any]], reponses: dict[str, Any], profil=None):
    ref = referentiel(exigences)
    return ref, evaluate(questionnaire(profil or {}, reponses), [ref], as_of=AS_OF)


# ---- readiness: what stands before a submission ---------------------------------------------------


def test_a_conformity_claimed_without_its_mandatory_preuve_is_a_point_a_declared_gap_is_not() -> (
    None
):
    doc = [{"id": "p", "type": "document"}]
    _, evaluation = _evaluate(
        [
            {"id": "CLAIM", "principe": "autonomie", "niveau": "exigence", "preuves": doc},
            {"id": "GAP", "principe": "autonomie", "niveau": "exigence", "preuves": doc},
            {"id": "DONE", "principe": "autonomie", "niveau": "exigence", "preuves": doc},
        ],
        {
            "CLAIM": {"statut": "conforme"},
            "GAP": {"statut": "partiellement_conforme", "justification": "en cours"},
            "DONE": {
                "statut": "conforme",
                "preuves": [{"attendue": "p", "url": "https://x.example"}],
            },
        },
    )
    assert [(f.exigence, f.message, f.champ) for f in readiness(evaluation)] == [
        ("CLAIM", "preuve obligatoire manquante : p", ("preuves",))
    ]


# ---- words of the outcomes and verdicts ------------------------------------------------------------


def test_a_justified_non_applicability_says_whether_a_proof_was_required() -> None:
    _, evaluation = _evaluate(
        [
            {"id": "PLAIN", "principe": "autonomie", "niveau": "exigence"},
            {
                "id": "PROVED",
                "principe": "autonomie",
                "niveau": "exigence",
                "non_applicable": {"preuves": [{"id": "att", "type": "attestation_sur_l_honneur"}]},
            },
        ],
        {
            "PLAIN": {"statut": "non_applicable", "justification": "sans objet"},
            "PROVED": {
                "statut": "non_applicable",
                "justification": "sans objet",
                "preuves": [{"attendue": "att", "fichier": "a.pdf"}],
            },
        },
    )
    (result,) = evaluation.referentiels
    assert [r.explication for r in result.exigences] == [
        ["déclarée non applicable, justifiée"],
        ["déclarée non applicable, justifiée et prouvée"],
    ]


@pytest.mark.parametrize(
    ("mandatory", "expected"),
    [
        (0, "aucune exigence obligatoire applicable"),
        (1, "l'unique exigence obligatoire applicable est satisfaite"),
        (3, "les 3 exigences obligatoires applicables sont satisfaites"),
    ],
)
def test_a_conforme_verdict_says_how_many_mandatory_exigences_it_rests_on(
    mandatory: int, expected: str
) -> None:
    exigences = [
        {"id": f"E{i}", "principe": "autonomie", "niveau": "exigence"} for i in range(mandatory)
    ]
    exigences.append({"id": "P", "principe": "autonomie", "niveau": "preconisation"})
    _, evaluation = _evaluate(exigences, {e["id"]: {"statut": "conforme"} for e in exigences})
    (result,) = evaluation.referentiels
    assert result.explication == expected


def test_a_non_conforme_verdict_counts_the_blocking_gaps_among_the_mandatory_ones() -> None:
    exigences = [{"id": f"E{i}", "principe": "autonomie", "niveau": "exigence"} for i in range(4)]
    _, evaluation = _evaluate(
        exigences,
        {
            "E0": {"statut": "conforme"},
            "E1": {"statut": "non_conforme", "justification": "non"},
            "E2": {"statut": "conforme"},
        },
    )
    (result,) = evaluation.referentiels
    assert result.explication.startswith(
        "2 exigence(s) obligatoire(s) sur 4 non satisfaite(s) : E1, E3."
    )


def test_a_score_lists_what_it_left_out_and_why() -> None:
    _, evaluation = _evaluate(
        [
            {"id": "IN", "principe": "autonomie", "niveau": "exigence"},
            {"id": "NA", "principe": "autonomie", "niveau": "exigence"},
            {
                "id": "OUT",
                "principe": "autonomie",
                "niveau": "exigence",
                "applicable_si": {"question": "utilise_ia", "equals": True},
            },
        ],
        {"IN": {"statut": "conforme"}, "NA": {"statut": "non_applicable", "justification": "x"}},
        profil={"utilise_ia": False},
    )
    figure = evaluation.referentiels[0].score(Niveau.EXIGENCE, Principe.AUTONOMIE)
    assert figure.comptees == ["IN"]
    assert [(e.id, e.raison.split(" :")[0]) for e in figure.exclues] == [
        ("NA", "non applicable justifié"),
        ("OUT", "hors périmètre"),
    ]


# ---- the review's agreement ----------------------------------------------------------------------


def _reviewed(declared: dict[str, dict[str, Any]], avis: dict[str, AvisExigence]):
    exigences = [{"id": i, "principe": "autonomie", "niveau": "exigence"} for i in declared]
    ref, evaluation = _evaluate(exigences, declared)
    empty = Empreinte(fichier="f", sha256="0" * 64)
    dossier = build_dossier(
        questionnaire({}, declared),
        [ref],
        evaluation,
        Provenance(empty, empty, {("essai", "1"): empty}, []),
        tool_version="essai",
    )
    revue = Revue(
        evaluateur=Evaluateur(nom="Claire Martin"),
        date=AS_OF,
        dossier_sha256="0" * 64,
        avis={"essai": avis},
    )
    return apply_review(dossier, revue, empty).revue


def test_a_partial_claim_downgraded_is_an_over_declaration_and_na_upgraded_is_not() -> None:
    revue = _reviewed(
        {
            "PART": {"statut": "partiellement_conforme", "justification": "en cours"},
            "NA": {"statut": "non_applicable", "justification": "sans objet"},
            "OK": {"statut": "conforme"},
        },
        {
            "PART": AvisExigence(avis=Avis.NON_VALIDE, resultat=Resultat.NON_CONFORME),
            "NA": AvisExigence(avis=Avis.NON_VALIDE, resultat=Resultat.CONFORME),
            "OK": AvisExigence(avis=Avis.VALIDE),
        },
    )
    assert [e.id for e in revue.sur_declarations] == ["PART"]
    assert revue.avertissements == []


def test_kappa_is_shown_to_three_decimals_and_kept_exact() -> None:
    """Declared C C C NC, assessed C C NC NC: po = 3/4, pe = 3/4·1/2 + 1/4·1/2 = 1/2, κ = 1/2."""
    declared = {f"E{i}": {"statut": "conforme"} for i in range(3)}
    declared["E3"] = {"statut": "non_conforme", "justification": "non"}
    declared["E4"] = {"statut": "conforme"}
    avis = {f"E{i}": AvisExigence(avis=Avis.VALIDE) for i in (0, 1, 3)}
    avis["E2"] = AvisExigence(avis=Avis.NON_VALIDE, commentaire="non")
    avis["E4"] = AvisExigence(avis=Avis.NON_VALIDE, resultat=Resultat.PARTIELLEMENT_CONFORME)
    accord = _reviewed(declared, avis).accord
    # 5 pairs: (C,C) (C,C) (C,NC) (NC,NC) (C,PC): po = 3/5 ; declared C 4/5 NC 1/5 ;
    # assessed C 2/5 NC 2/5 PC 1/5 ; pe = 4/5·2/5 + 1/5·2/5 = 10/25 ; κ = (3/5 − 2/5)/(3/5) = 1/3
    assert (accord.exigences, accord.concordantes) == (5, 3)
    assert accord.kappa_exact == "1/3"
    assert str(accord.kappa) == "0.333"
    assert str(accord.pourcentage) == "60.0"
    assert Fraction(accord.kappa_exact) == Fraction(1, 3)


# ---- one semantics for an incomplete questionnaire ------------------------------------------------


@pytest.fixture
def base(tmp_path: Path) -> Path:
    shutil.copytree(BASE, tmp_path / "q")
    return tmp_path / "q" / "questionnaire.yaml"


def test_a_missing_justification_is_evaluated_and_reported_never_refused(
    run_cli, base: Path
) -> None:
    text = base.read_text("utf-8")
    base.write_text(
        text.replace(
            "      justification: La solution n'enregistre jamais les téléconsultations.\n", ""
        ),
        "utf-8",
    )
    line = 16
    check = run_cli("questionnaire", "check", str(base), "--as-of", "2026-11-22")
    assert check.code == 1
    point = (
        "teleconsultation › Exigence ETH.09.1 › justification: justification obligatoire pour le "
        "statut non_applicable"
    )
    assert f"{base}:{line}: {point}" in check.stderr
    result = run_cli("evaluate", str(base), "--as-of", "2026-11-22", "--format", "json")
    assert result.code in (0, 1), result.stderr
    assert f"{base}:{line}: avertissement : {point}" in result.stderr
    (tlc,) = json.loads(result.stdout)["referentiels"]
    eth091 = next(e for e in tlc["exigences"] if e["id"] == "ETH.09.1")
    assert eth091["resultat"] == "non_applicable_non_justifie"


def test_what_is_invalid_is_refused_alike_by_evaluate_and_check(run_cli, base: Path) -> None:
    base.write_text(
        base.read_text("utf-8").replace("statut: conforme", "statut: conformes"), "utf-8"
    )
    check = run_cli("questionnaire", "check", str(base))
    evaluated = run_cli("evaluate", str(base))
    assert (check.code, evaluated.code) == (2, 2)
    assert check.stderr == evaluated.stderr


# ---- the explanation counts what the score counts -------------------------------------------------

SHIPPED = sorted((Path(__file__).parent.parent / "questionnaires").glob("*/questionnaire.*"))
COUNTED = re.compile(r": (\d+) comptée\(s\) \(([^)]*)\)")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.name}-{p.suffix[1:]}")
def test_every_count_in_an_explanation_sums_to_what_the_score_counts(path: Path, catalogue) -> None:
    loaded = load_questionnaire(path, catalogue)
    evaluation = evaluate(loaded.questionnaire, loaded.referentiels, as_of=AS_OF)
    checked = 0
    for result in evaluation.referentiels:
        for figure in result.scores:
            found = COUNTED.search(figure.explication)
            if found is None:
                assert not figure.comptees, figure.explication
                continue
            parts = [int(part.split(" ", 1)[0]) for part in found.group(2).split(", ")]
            assert int(found.group(1)) == sum(parts) == len(figure.comptees), figure.explication
            checked += 1
    assert checked


# ---- where a level comes from; what a shared preparation may reuse -------------------------------


def test_a_date_of_the_referentiel_is_never_credited_to_a_calendar_that_does_not_name_it() -> None:
    from cens_eval.model.calendrier import Calendrier

    ref = referentiel(
        [
            {
                "id": "OWN",
                "principe": "autonomie",
                "niveau": "preconisation",
                "obligatoire_a_partir_du": "2026-01-01",
            },
            {"id": "CAL", "principe": "autonomie", "niveau": "preconisation"},
        ]
    )
    calendrier = Calendrier.model_validate(
        {
            "titre": "Annonce",
            "referentiels": [
                {
                    "id": "essai",
                    "version": "1",
                    "passages": [{"exigence": "CAL", "obligatoire_a_partir_du": "2026-06-01"}],
                }
            ],
        }
    )
    evaluation = evaluate(questionnaire({}, {}), [ref], as_of=AS_OF, calendrier=calendrier)
    by_id = {r.id: r.explication[0] for r in evaluation.referentiels[0].exigences}
    assert by_id == {
        "OWN": "préconisation devenue obligatoire le 01/01/2026",
        "CAL": "préconisation devenue obligatoire le 01/06/2026 (calendrier « Annonce »)",
    }


def test_a_changed_copy_of_a_referentiel_is_never_served_from_a_shared_preparation(
    catalogue,
) -> None:
    """A batch shares one preparation; two copies of a référentiel with the same id and version
    but different contents each get their own périmètre and their own profil questions."""
    from cens_eval.engine.evaluation import Preparation

    shared = Preparation()
    ia = {"question": "utilise_ia", "equals": True}
    patients = {"question": "audience", "equals": "patients"}
    first = referentiel(
        [
            {"id": "E", "principe": "autonomie", "niveau": "exigence", "applicable_si": ia},
            {"id": "H", "principe": "autonomie", "niveau": "exigence", "applicable_si": patients},
        ]
    )
    changed = referentiel(
        [
            {"id": "E", "principe": "autonomie", "niveau": "exigence"},
            {"id": "F", "principe": "autonomie", "niveau": "exigence", "applicable_si": ia},
            {"id": "G", "principe": "autonomie", "niveau": "exigence", "applicable_si": patients},
        ]
    )
    q = questionnaire({"utilise_ia": False, "audience": "patients"}, {})
    served = evaluate(q, [first], as_of=AS_OF, preparation=shared).referentiels[0]
    assert [e.id for e in served.exigences] == ["H"]
    for audience in ("patients", "mixte"):
        q = questionnaire({"utilise_ia": False, "audience": audience}, {})
        served = evaluate(q, [changed], as_of=AS_OF, preparation=shared).referentiels[0]
        assert served == evaluate(q, [changed], as_of=AS_OF).referentiels[0], audience
    # a copy reading another question: the questions read are the copy's own
    reuse = {"question": "reutilisation_secondaire", "equals": True}
    third = referentiel(
        [{"id": "R", "principe": "autonomie", "niveau": "exigence", "applicable_si": reuse}]
    )
    for reuses in (True, False):
        q = questionnaire(
            {"utilise_ia": False, "audience": "mixte", "reutilisation_secondaire": reuses}, {}
        )
        served = evaluate(q, [third], as_of=AS_OF, preparation=shared).referentiels[0]
        assert served == evaluate(q, [third], as_of=AS_OF).referentiels[0], reuses
    # the same référentiel with the profil vocabulary: its reasons name the questions' labels
    named = evaluate(
        q, [changed], as_of=AS_OF, preparation=shared, vocabulaire=catalogue.vocabulaire
    )
    alone = evaluate(q, [changed], as_of=AS_OF, vocabulaire=catalogue.vocabulaire)
    assert named == alone
    assert "« " in named.referentiels[0].hors_perimetre[0].raison


def test_a_preuve_without_a_maximum_age_is_never_said_undated_nor_aged() -> None:
    doc = [{"id": "p", "type": "document"}, {"id": "r", "type": "document", "age_max": "P1Y"}]
    _, evaluation = _evaluate(
        [{"id": "E", "principe": "autonomie", "niveau": "exigence", "preuves": doc}],
        {
            "E": {
                "statut": "conforme",
                "preuves": [
                    {"attendue": "p", "url": "https://x.example/p"},
                    {"attendue": "p", "url": "https://x.example/p2", "date": "2020-01-01"},
                    {"attendue": "r", "url": "https://x.example/r", "date": "2026-06-01"},
                ],
            }
        },
    )
    (result,) = evaluation.referentiels[0].exigences
    assert result.resultat is Resultat.CONFORME
    assert [a.attendue for a in result.ages] == ["r"]
    assert not any("non datée" in line for line in result.explication)


def test_each_measure_is_held_to_its_own_threshold_only() -> None:
    mesures = [
        {"id": "poids", "type": "mesure", "unite": "Mo", "seuil": {"max": 100}},
        {"id": "score", "type": "mesure", "unite": "points /100", "seuil": {"min": 50}},
    ]
    _, evaluation = _evaluate(
        [{"id": "ECO", "principe": "ecoresponsabilite", "niveau": "exigence", "preuves": mesures}],
        {
            "ECO": {
                "statut": "conforme",
                "preuves": [
                    {"attendue": "poids", "valeur": 30},
                    {"attendue": "score", "valeur": 60},
                ],
            }
        },
    )
    (result,) = evaluation.referentiels[0].exigences
    assert result.resultat is Resultat.CONFORME, result.explication


def test_a_conforme_verdict_after_review_is_worded_as_the_dossiers_own() -> None:
    declared = {"E0": {"statut": "conforme"}, "E1": {"statut": "conforme"}}
    avis = {e: AvisExigence(avis=Avis.VALIDE) for e in declared}
    (referentiel_revu,) = _reviewed(declared, avis).referentiels
    assert referentiel_revu.explication_evaluee == (
        "les 2 exigences obligatoires applicables sont satisfaites après revue"
    )


def test_rules_v1_explanations_never_named_the_excluded_ones() -> None:
    from cens_eval.model.versions import REGLES

    ref = referentiel(
        [
            {"id": "IN", "principe": "autonomie", "niveau": "exigence"},
            {"id": "NA", "principe": "autonomie", "niveau": "exigence"},
        ]
    )
    q = questionnaire(
        {}, {"IN": {"statut": "conforme"}, "NA": {"statut": "non_applicable", "justification": "x"}}
    )
    for version, named in ((1, False), (2, True)):
        evaluation = evaluate(q, [ref], as_of=AS_OF, regles=REGLES[version])
        figure = evaluation.referentiels[0].score(Niveau.EXIGENCE, None)
        assert ("exclue(s) des scores" in figure.explication) is named, version


def test_validating_a_declared_partial_without_its_preuve_gives_no_warning_under_rules_v2() -> None:
    ref, evaluation = _evaluate(
        [
            {
                "id": "P",
                "principe": "autonomie",
                "niveau": "exigence",
                "preuves": [{"id": "d", "type": "document"}],
            }
        ],
        {"P": {"statut": "partiellement_conforme", "justification": "en cours"}},
    )
    empty = Empreinte(fichier="f", sha256="0" * 64)
    dossier = build_dossier(
        questionnaire({}, {"P": {"statut": "partiellement_conforme", "justification": "en cours"}}),
        [ref],
        evaluation,
        Provenance(empty, empty, {("essai", "1"): empty}, []),
        tool_version="essai",
    )
    assert dossier.resultats[0].exigences[0].preuves_manquantes == ["d"]
    revue = Revue(
        evaluateur=Evaluateur(nom="Claire Martin"),
        date=AS_OF,
        dossier_sha256="0" * 64,
        avis={"essai": {"P": AvisExigence(avis=Avis.VALIDE)}},
    )
    assert apply_review(dossier, revue, empty).revue.avertissements == []


def test_agreement_without_any_avis_says_so() -> None:
    accord = _reviewed({"E": {"statut": "conforme"}}, {}).accord
    assert (accord.exigences, accord.pourcentage, accord.kappa) == (0, None, None)
    assert accord.explication == "aucune exigence n'a d'avis"


def test_kappa_is_said_undefined_only_when_a_single_category_is_used() -> None:
    single = _reviewed(
        {"A": {"statut": "conforme"}, "B": {"statut": "conforme"}},
        {"A": AvisExigence(avis=Avis.VALIDE), "B": AvisExigence(avis=Avis.VALIDE)},
    ).accord
    assert single.kappa is None
    assert single.explication.endswith(
        "kappa de Cohen sur les catégories de résultat"
        " indéfini (une seule catégorie utilisée par les deux parties)"
    )
    two = _reviewed(
        {"A": {"statut": "conforme"}, "B": {"statut": "non_conforme", "justification": "non"}},
        {"A": AvisExigence(avis=Avis.VALIDE), "B": AvisExigence(avis=Avis.VALIDE)},
    ).accord
    assert two.kappa_exact == "1/1"
    assert two.explication.endswith("kappa de Cohen sur les catégories de résultat")


@pytest.mark.parametrize(
    ("avis", "conforme"),
    [
        (AvisExigence(avis=Avis.VALIDE), True),
        (AvisExigence(avis=Avis.NON_VALIDE, resultat=Resultat.NON_CONFORME), False),
    ],
)
def test_the_conclusion_after_review_is_conforme_only_when_every_evaluated_verdict_is(
    avis: AvisExigence, conforme: bool
) -> None:
    revue = _reviewed(
        {"E": {"statut": "conforme"}, "F": {"statut": "conforme"}},
        {"E": avis, "F": AvisExigence(avis=Avis.VALIDE)},
    )
    assert [r.verdict_evalue.value for r in revue.referentiels] == [
        "conforme" if conforme else "non_conforme"
    ]
    assert revue.conforme_evalue is conforme
