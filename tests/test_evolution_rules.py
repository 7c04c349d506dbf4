"""The rules of ``dossier diff`` on dossiers built in memory: quick, one rule per test."""

from __future__ import annotations

import datetime as dt

import pytest

from cens_eval.dossier.build import Provenance, build_dossier
from cens_eval.engine.evaluation import evaluate
from cens_eval.engine.evolution import compare_dossiers, side
from cens_eval.model.dossier import Dossier, Empreinte, PieceManifeste
from cens_eval.model.evolution import EvolutionDossier
from cens_eval.model.vocabulary import RESULTAT_LABELS, Resultat

from .builders import questionnaire, referentiel

# ---- how far an outcome goes: the rank that tells improved, degraded and unchanged apart ---------

NO_PROOF = {"statut": "conforme"}  # declared met without its mandatory preuve
PROOF = {"statut": "conforme", "preuves": [{"attendue": "d", "url": "https://x.example"}]}
PARTIAL = {"statut": "partiellement_conforme", "justification": "en cours"}
NOT_MET = {"statut": "non_conforme", "justification": "non"}
NA = {"statut": "non_applicable", "justification": "sans objet"}
NA_UNJUSTIFIED = {"statut": "non_applicable"}
OUTCOME = {
    id(None): "sans_reponse",
    id(NO_PROOF): "preuves_manquantes",
    id(PROOF): "conforme",
    id(PARTIAL): "partiellement_conforme",
    id(NOT_MET): "non_conforme",
    id(NA): "non_applicable_justifie",
    id(NA_UNJUSTIFIED): "non_applicable_non_justifie",
}


MEASURED = {"id": "m", "type": "mesure", "unite": "%", "obligatoire": False}
REF = referentiel(
    [
        {
            "id": "E",
            "principe": "autonomie",
            "niveau": "exigence",
            "preuves": [{"id": "d", "type": "document"}, MEASURED],
        }
    ]
)
REFS = {(REF.id, REF.version): REF}
EMPTY = Empreinte(fichier="f", sha256="0" * 64)


def _dossier(
    answer: dict | None, profil: dict | None = None, as_of: dt.date = dt.date(2026, 11, 22), ref=REF
) -> Dossier:
    q = questionnaire(profil or {}, {"E": answer} if answer else {})
    evaluation = evaluate(q, [ref], as_of=as_of)
    return build_dossier(
        q, [ref], evaluation, Provenance(EMPTY, EMPTY, {("essai", "1"): EMPTY}, []),
        tool_version="essai",
    )  # fmt: skip


def _compare(old: Dossier, new: Dossier, ref=REF) -> EvolutionDossier:
    sides = (side(old, "ancien", "0" * 64), side(new, "nouveau", "1" * 64))
    refs = {(ref.id, ref.version): ref}
    return compare_dossiers(old, new, (refs, refs), sides)


@pytest.mark.parametrize(
    ("before", "after", "nature"),
    [
        (None, NOT_MET, "ameliore"),  # sans réponse → non conforme
        (NOT_MET, NO_PROOF, "ameliore"),  # → preuves manquantes
        (NO_PROOF, PARTIAL, "ameliore"),  # preuves manquantes → partiellement conforme
        (PARTIAL, PROOF, "ameliore"),  # → conforme
        (PROOF, NA, "modifie_sans_effet"),  # conforme → non applicable justifié: both meet it
        (NA, PROOF, "modifie_sans_effet"),
        (NOT_MET, NA_UNJUSTIFIED, "modifie_sans_effet"),  # neither meets it, equally
        (PROOF, PARTIAL, "degrade"),
    ],
)
def test_an_outcome_s_rank_decides_improved_degraded_or_without_effect(
    before: dict | None, after: dict, nature: str
) -> None:
    (change,) = _compare(_dossier(before), _dossier(after)).exigences
    assert (change.avant.value, change.apres.value, change.nature.value) == (
        OUTCOME[id(before)],
        OUTCOME[id(after)],
        nature,
    )
    said = f"résultat : {RESULTAT_LABELS[change.avant].lower()} → {RESULTAT_LABELS[change.apres].lower()}"
    assert change.details[0] == said


def test_a_new_justification_with_the_same_outcome_is_a_change_without_effect() -> None:
    (change,) = _compare(
        _dossier(NOT_MET), _dossier({**NOT_MET, "justification": "autre"})
    ).exigences
    assert (change.nature.value, change.details) == (
        "modifie_sans_effet",
        ["justification modifiée"],
    )


def test_a_measure_given_another_value_is_a_preuve_change() -> None:
    before = {**PROOF, "preuves": [*PROOF["preuves"], {"attendue": "m", "valeur": 72}]}
    after = {**PROOF, "preuves": [*PROOF["preuves"], {"attendue": "m", "valeur": 80}]}
    (change,) = _compare(_dossier(before), _dossier(after)).exigences
    assert [c.value for c in change.causes] == ["preuve"]
    assert change.details == [
        "preuve(s) nouvelle(s) ou modifiée(s) : m",
        "preuve(s) retirée(s) ou modifiée(s) : m",
    ]


@pytest.mark.parametrize(
    ("rules", "profil", "cause"),
    [
        (1, None, "regle_de_score"),
        (None, {"utilise_ia": True}, "perimetre"),
        (None, None, "calendrier"),
    ],
)
def test_an_outcome_that_moves_without_a_new_answer_names_what_moved_it(
    rules: int | None, profil: dict | None, cause: str
) -> None:
    old = _dossier(PROOF)
    result = old.resultats[0]
    moved = result.exigences[0].model_copy(update={"resultat": Resultat.PREUVES_MANQUANTES})
    new = old.model_copy(
        update={
            "resultats": [result.model_copy(update={"exigences": [moved]})],
            "version_regles": rules or old.version_regles,
            "profil": profil or old.profil,
        }
    )
    (change,) = _compare(old, new).exigences
    assert [c.value for c in change.causes] == [cause]


def test_a_referentiel_answered_for_the_first_time_or_no_longer_is_a_change_of_scope() -> None:
    answered = _dossier(PROOF)
    unanswered = answered.model_copy(update={"resultats": []})
    (entered,) = _compare(unanswered, answered).exigences
    assert (entered.nature.value, entered.details) == ("nouveau", ["entrée dans le périmètre"])
    (left,) = _compare(answered, unanswered).exigences
    assert (left.nature.value, left.details) == ("retire", ["sortie du périmètre"])
    assert _compare(unanswered, answered).scores == []


def test_what_changed_around_the_answers_is_said() -> None:
    old = _dossier(PROOF)
    new = old.model_copy(
        update={
            "solution": old.solution.model_copy(update={"version": "2"}),
            "as_of": dt.date(2027, 1, 15),
            "profil": {**old.profil, "utilise_ia": True},
            "version_regles": 1,
            "calendrier": Empreinte(fichier="calendrier/c.yaml", sha256="1" * 64),
        }
    )
    assert _compare(old, new).contexte == [
        "version de la solution : 1 → 2",
        "date d'évaluation : 22/11/2026 → 15/01/2027",
        "profil utilise_ia : None → True",
        f"règles : v{old.version_regles} → v1",
        "calendrier de mise en œuvre : modifié",
    ]
    assert _compare(old, old).contexte == []


def test_a_preuve_that_expires_is_a_change_of_calendar_even_when_the_outcome_stays() -> None:
    aged = referentiel(
        [
            {
                "id": "E",
                "principe": "autonomie",
                "niveau": "exigence",
                "preuves": [{"id": "d", "type": "document", "age_max": "P1Y"}],
            }
        ]
    )
    answer = {
        **PARTIAL,
        "preuves": [{"attendue": "d", "url": "https://x.example", "date": "2026-01-10"}],
    }
    old = _dossier(answer, as_of=dt.date(2026, 11, 22), ref=aged)
    new = _dossier(answer, as_of=dt.date(2027, 6, 1), ref=aged)
    (change,) = _compare(old, new, aged).exigences
    assert change.avant == change.apres == Resultat.PARTIELLEMENT_CONFORME
    assert change.nature.value == "modifie_sans_effet"  # « preuve expirée » when it costs a rank
    assert ([c.value for c in change.causes], change.details) == (
        ["calendrier"],
        ["preuve d expirée"],
    )


def _with_files(dossier: Dossier, sha: str) -> Dossier:
    return dossier.model_copy(
        update={"manifeste": [PieceManifeste(chemin="x.pdf", taille=3, sha256=sha)]}
    )


def test_a_file_changed_under_the_same_name_is_said_only_for_the_preuve_it_stays() -> None:
    two = referentiel(
        [
            {
                "id": "E",
                "principe": "autonomie",
                "niveau": "exigence",
                "preuves": [{"id": "d", "type": "document"}, {"id": "d2", "type": "document"}],
            }
        ]
    )

    def given(*attendues: str) -> dict:
        return {**PARTIAL, "preuves": [{"attendue": a, "fichier": "x.pdf"} for a in attendues]}

    def changed(before: dict, after: dict) -> list[str]:
        old = _with_files(_dossier(before, ref=two), "a" * 64)
        new = _with_files(_dossier(after, ref=two), "b" * 64)
        (change,) = _compare(old, new, two).exigences
        return change.details

    assert changed(given("d"), given("d")) == ["preuve d : fichier x.pdf modifié"]
    assert changed(given("d"), given("d2")) == [
        "preuve(s) nouvelle(s) ou modifiée(s) : d2",
        "preuve(s) retirée(s) ou modifiée(s) : d",
    ]


def _made(ref, answers: dict, profil: dict | None = None, as_of=dt.date(2026, 11, 22)) -> Dossier:
    q = questionnaire(profil or {}, answers)
    evaluation = evaluate(q, [ref], as_of=as_of)
    return build_dossier(
        q, [ref], evaluation, Provenance(EMPTY, EMPTY, {("essai", "1"): EMPTY}, []),
        tool_version="essai",
    )  # fmt: skip


def test_a_score_names_only_the_exigences_that_can_move_it() -> None:
    pair = referentiel(
        [
            {"id": "E", "principe": "autonomie", "niveau": "exigence"},
            {"id": "F", "principe": "justice_equite", "niveau": "exigence"},
            {"id": "G", "principe": "autonomie", "niveau": "exigence"},
        ]
    )
    old = _made(pair, {"E": PARTIAL, "F": PARTIAL, "G": NOT_MET})
    new = _made(pair, {"E": NO_PROOF, "F": NOT_MET, "G": {**NOT_MET, "justification": "autre"}})
    evolution = _compare(old, new, pair)
    assert [c.id for c in evolution.exigences] == ["E", "F", "G"]  # G: a new justification only
    moved = {s.principe.value: s.exigences for s in evolution.scores if s.principe}
    assert moved == {"autonomie": ["E"], "justice_equite": ["F"]}


def test_a_preconisation_become_mandatory_moves_the_scores_of_its_new_level() -> None:
    dated = referentiel(
        [
            {
                "id": "P",
                "principe": "autonomie",
                "niveau": "preconisation",
                "obligatoire_a_partir_du": "2027-01-01",
            }
        ]
    )
    old = _made(dated, {"P": NOT_MET}, as_of=dt.date(2026, 11, 22))
    new = _made(dated, {"P": NOT_MET}, as_of=dt.date(2027, 6, 1))
    evolution = _compare(old, new, dated)
    (change,) = evolution.exigences
    assert [c.value for c in change.causes] == ["calendrier"]
    assert change.details == ["niveau effectif : préconisation → exigence"]
    assert {s.niveau.value: s.exigences for s in evolution.scores}["exigence"] == ["P"]


def test_an_exigence_entering_or_leaving_the_profil_is_a_change_of_scope() -> None:
    ia = referentiel(
        [
            {"id": "E", "principe": "autonomie", "niveau": "exigence"},
            {
                "id": "IA",
                "principe": "autonomie",
                "niveau": "exigence",
                "applicable_si": {"question": "utilise_ia", "equals": True},
            },
        ]
    )
    without = _made(ia, {"E": PROOF}, {"utilise_ia": False})
    with_ia = _made(ia, {"E": PROOF, "IA": NOT_MET}, {"utilise_ia": True})
    (entered,) = _compare(without, with_ia, ia).exigences
    assert (entered.id, entered.nature.value, [c.value for c in entered.causes]) == (
        "IA",
        "nouveau",
        ["perimetre"],
    )
    (left,) = _compare(with_ia, without, ia).exigences
    assert (left.id, left.nature.value, left.details) == ("IA", "retire", ["sortie du périmètre"])
