"""``referentiels diff``: two versions compared, each change named; exit 0 identical, 1 different."""

from __future__ import annotations

import json
from pathlib import Path

from cens_eval.engine.diff import diff_referentiels, predecessors
from cens_eval.loader.referentiels import load_catalogue
from cens_eval.model.diff import Nature

from .builders import referentiel
from .versions import make_version_16, renamed


def test_diff_of_the_16_fixture_lists_exactly_its_four_changes(tmp_path: Path) -> None:
    v16 = make_version_16(tmp_path)
    catalogue = load_catalogue(v16.folder)
    old = catalogue.get("teleconsultation", "1.5.1")
    new = catalogue.get("teleconsultation", "1.6")
    assert old is not None and new is not None
    diff = diff_referentiels(old, new)
    assert {(c.nature, c.id) for c in diff.exigences} == {
        (Nature.AJOUTEE, v16.added),
        (Nature.SUPPRIMEE, v16.removed),
        (Nature.MODIFIEE, v16.changed),
        (Nature.MODIFIEE, v16.made_mandatory),
    }
    changed = diff.changement(v16.changed)
    mandatory = diff.changement(v16.made_mandatory)
    assert changed is not None and mandatory is not None
    assert [m.champ for m in changed.modifications] == ["enonce"]
    assert [m.description for m in mandatory.modifications] == ["niveau : préconisation → exigence"]
    assert all(m.a_reconfirmer for m in [*changed.modifications, *mandatory.modifications])
    assert [m.champ for m in diff.en_tete] == ["version"]
    assert not diff.identiques


def test_cli_diff_text_and_json_and_exit_codes(run_cli, tmp_path: Path) -> None:
    v16 = make_version_16(tmp_path)
    base = ("--referentiels", str(v16.folder), "referentiels", "diff")
    text = run_cli(*base, "teleconsultation@1.5.1", "teleconsultation@1.6")
    assert text.code == 1, text.stderr
    assert "4 exigence(s) changée(s)" in text.stdout
    assert f"+ {v16.added}" in text.stdout and f"- {v16.removed}" in text.stdout
    assert "niveau : préconisation → exigence [à reconfirmer]" in text.stdout
    out = run_cli(*base, "teleconsultation@1.5.1", "teleconsultation@1.6", "--format", "json")
    data = json.loads(out.stdout)
    assert out.code == 1 and data["identiques"] is False
    assert sorted(c["nature"] for c in data["exigences"]) == [
        "ajoutee",
        "modifiee",
        "modifiee",
        "supprimee",
    ]
    same = run_cli(*base, str(v16.folder / "teleconsultation-1.5.1.yaml"), "teleconsultation@1.5.1")
    assert (same.code, same.stdout.strip()) == (
        0,
        "teleconsultation 1.5.1 → teleconsultation 1.5.1 : identiques.",
    )


def test_cli_diff_refuses_an_unknown_version(run_cli) -> None:
    result = run_cli("referentiels", "diff", "teleconsultation@1.5.1", "teleconsultation@9")
    assert result.code == 2
    assert "version 9 du référentiel teleconsultation inconnue" in result.stderr


def test_a_rename_is_declared_by_remplace_never_guessed() -> None:
    old = referentiel([{"id": "A", "principe": "autonomie", "niveau": "exigence"}])
    same_text = {"principe": "autonomie", "niveau": "exigence", "enonce": "Énoncé de A."}
    declared = referentiel([{"id": "A2", "remplace": "A", "libelle": "Libellé A", **same_text}])
    undeclared = referentiel([{"id": "A2", "libelle": "Libellé A", **same_text}])
    (renamed,) = diff_referentiels(old, declared).exigences
    assert (renamed.nature, renamed.ancien_id, renamed.id, renamed.modifications) == (
        Nature.RENOMMEE,
        "A",
        "A2",
        [],
    )
    natures = {(c.nature, c.id) for c in diff_referentiels(old, undeclared).exigences}
    assert natures == {(Nature.AJOUTEE, "A2"), (Nature.SUPPRIMEE, "A")}


def test_every_kind_of_change_is_named() -> None:
    old = referentiel(
        [
            {
                "id": "A",
                "principe": "autonomie",
                "niveau": "preconisation",
                "poids": 1,
                "preuves": [{"id": "p", "type": "document"}, {"id": "q", "type": "capture"}],
            }
        ]
    )
    new = referentiel(
        [
            {
                "id": "A",
                "principe": "justice_equite",
                "niveau": "preconisation",
                "obligatoire_a_partir_du": "2027-01-01",
                "poids": 2,
                "applicable_si": {"question": "utilise_ia", "equals": True},
                "preuves": [
                    {"id": "p", "type": "document", "obligatoire": False},
                    {"id": "r", "type": "url"},
                ],
            }
        ]
    )
    (change,) = diff_referentiels(old, new).exigences
    assert [m.description for m in change.modifications] == [
        "principe : Autonomie → Justice et équité",
        "date d'obligation : aucune → 01/01/2027",
        "condition d'applicabilité : toujours → utilise_ia = oui",
        "poids : 1 → 2",
        "preuve attendue p modifiée (obligation)",
        "preuve attendue ajoutée : r",
        "preuve attendue supprimée : q",
    ]
    assert all(m.a_reconfirmer for m in change.modifications)


def test_each_change_of_a_non_applicability_block_is_named() -> None:
    base = {"principe": "autonomie", "niveau": "exigence"}
    proof = {"preuves": [{"id": "att", "type": "attestation_sur_l_honneur"}]}
    old = referentiel(
        [
            {"id": "GAINS", **base},
            {"id": "LOSES", **base, "non_applicable": proof},
            {"id": "ASKED", **base, "non_applicable": proof},
            {"id": "SAME", **base, "non_applicable": proof},
        ]
    )
    new = referentiel(
        [
            {"id": "GAINS", **base, "non_applicable": proof},
            {"id": "LOSES", **base},
            {"id": "ASKED", **base, "non_applicable": {**proof, "exige_hors_profil": True}},
            {"id": "SAME", **base, "non_applicable": proof},
        ]
    )
    changes = {
        c.id: [m.description for m in c.modifications]
        for c in diff_referentiels(old, new).exigences
    }
    assert changes == {
        "GAINS": ["déclaration de non-applicabilité ajoutée"],
        "LOSES": ["déclaration de non-applicabilité supprimée"],
        "ASKED": ["preuve de non-applicabilité exigée hors profil : non → oui"],
    }


def test_a_moved_source_names_what_the_passage_supports() -> None:
    base = {"principe": "autonomie", "niveau": "exigence"}
    old = referentiel([{"id": "A", **base}, {"id": "B", **base}])
    new = referentiel(
        [
            {"id": "A", **base, "source": {"document": "src", "localisation": "art. 2"}},
            {
                "id": "B",
                **base,
                "source": {"document": "src", "localisation": "art. 1", "appuie": {"niveau": True}},
            },
        ]
    )
    changes = {
        c.id: [(m.description, m.avant, m.apres) for m in c.modifications]
        for c in diff_referentiels(old, new).exigences
    }
    assert changes == {
        "A": [("source modifiée", "src — art. 1", "src — art. 2")],
        "B": [("source modifiée", "src — art. 1", "src — art. 1 (appuie : niveau)")],
    }


def test_the_project_s_choices_are_shown_before_and_after() -> None:
    base = {"principe": "autonomie", "niveau": "exigence"}
    old = referentiel(
        [{"id": "A", **base, "choix_du_projet": [{"porte_sur": "poids", "raison": "r1"}]}]
    )
    new = referentiel(
        [{"id": "A", **base, "choix_du_projet": [{"porte_sur": "niveau", "raison": "r2"}]}]
    )
    (change,) = diff_referentiels(old, new).exigences
    assert [(m.description, m.avant, m.apres) for m in change.modifications] == [
        ("choix du projet modifiés", "poids : r1", "niveau : r2")
    ]


def test_header_changes_say_what_changed_and_show_short_values() -> None:
    old = referentiel([{"id": "A", "principe": "autonomie", "niveau": "exigence"}])
    new = old.model_copy(
        update={
            "version": "2",
            "titre": "Un autre titre",
            "description": "Une description nouvelle.",
            "base_legale": None,
        }
    )
    changes = diff_referentiels(old, new).en_tete
    assert [(m.description, m.avant, m.apres) for m in changes] == [
        ("version : 1 → 2", "1", "2"),
        ("titre modifié(e)", "Référentiel d'essai", "Un autre titre"),
        ("base légale : L. 1470-5 CSP → aucun(e)", "L. 1470-5 CSP", None),
        ("description : aucun(e) → Une description nouvelle.", None, "Une description nouvelle."),
    ]


def test_a_remplace_naming_an_older_version_says_nothing_about_these_two() -> None:
    """``remplace: X`` where X is not in the previous version: the exigence continues its own id."""
    base = {"principe": "autonomie", "niveau": "exigence"}
    old = referentiel([{"id": "A", **base}])
    new = referentiel([{"id": "A", **base, "remplace": "A-2019"}])
    succession = predecessors(old, new)
    assert succession.before == {"A": "A"}
    assert diff_referentiels(old, new).exigences == []  # neither a rename nor a new exigence


# ---- declared renames are followed, whatever ids the two versions share -------------------------


def _diff(tmp_path: Path, edits: dict[str, str]):
    v16 = make_version_16(tmp_path, renamed(edits))
    catalogue = load_catalogue(v16.folder)
    old = catalogue.get("teleconsultation", "1.5.1")
    new = catalogue.get("teleconsultation", "1.6")
    assert old is not None and new is not None
    return v16, diff_referentiels(old, new)


def _renames(diff) -> set[tuple[str | None, str, int]]:
    """Each rename as (old id, new id, number of modifications)."""
    return {
        (c.ancien_id, c.id, len(c.modifications))
        for c in diff.exigences
        if c.nature is Nature.RENOMMEE
    }


def test_two_ids_swapped_by_remplace_are_two_renames(tmp_path: Path, run_cli) -> None:
    v16, diff = _diff(tmp_path, {"ETH.13": "ETH.14", "ETH.14": "ETH.13"})
    assert _renames(diff) == {("ETH.13", "ETH.14", 0), ("ETH.14", "ETH.13", 0)}
    others = {(c.nature, c.id) for c in diff.exigences if c.nature is not Nature.RENOMMEE}
    assert others == {
        (Nature.AJOUTEE, v16.added),
        (Nature.SUPPRIMEE, v16.removed),
        (Nature.MODIFIEE, v16.changed),
        (Nature.MODIFIEE, v16.made_mandatory),
    }
    base = ("--referentiels", str(v16.folder), "referentiels", "diff")
    text = run_cli(*base, "teleconsultation@1.5.1", "teleconsultation@1.6").stdout
    assert "  → ETH.13 → ETH.14 — " in text and "  → ETH.14 → ETH.13 — " in text


def test_a_cycle_of_three_renames_and_a_chain_are_followed(tmp_path: Path) -> None:
    _, cycle = _diff(
        tmp_path / "cycle", {"ETH.13": "ETH.14", "ETH.14": "ETH.30", "ETH.30": "ETH.13"}
    )
    assert _renames(cycle) == {
        ("ETH.13", "ETH.14", 0),
        ("ETH.14", "ETH.30", 0),
        ("ETH.30", "ETH.13", 0),
    }
    _, chain = _diff(tmp_path / "chain", {"ETH.13": "ETH.14", "ETH.14": "ETH.14-bis"})
    assert _renames(chain) == {("ETH.13", "ETH.14", 0), ("ETH.14", "ETH.14-bis", 0)}
    assert not {c.id for c in chain.exigences if c.nature is Nature.SUPPRIMEE} & {
        "ETH.13",
        "ETH.14",
    }


def test_an_id_reused_and_a_split_carry_no_answer_anywhere_unsaid() -> None:
    base = {"principe": "autonomie", "niveau": "exigence"}
    old = referentiel([{"id": "A", **base}, {"id": "B", **base}])
    # A is renamed A2; its id is reused by a new exigence; B is split in two.
    new = referentiel(
        [
            {"id": "A2", "remplace": "A", "libelle": "Libellé A", "enonce": "Énoncé de A.", **base},
            {"id": "A", "enonce": "Une autre exigence.", **base},
            {"id": "B1", "remplace": "B", **base},
            {"id": "B2", "remplace": "B", **base},
        ]
    )
    changes = [
        (c.nature, c.ancien_id, c.id, [m.description for m in c.modifications])
        for c in diff_referentiels(old, new).exigences
    ]
    assert changes == [
        (Nature.RENOMMEE, "A", "A2", []),
        (Nature.AJOUTEE, None, "A", []),
        (
            Nature.AJOUTEE,
            None,
            "B1",
            ["déclare remplacer B, comme B2 : aucune réponse n'est reportée"],
        ),
        (
            Nature.AJOUTEE,
            None,
            "B2",
            ["déclare remplacer B, comme B1 : aucune réponse n'est reportée"],
        ),
        (
            Nature.SUPPRIMEE,
            None,
            "B",
            ["remplacée à la fois par B1, B2 : sa réponse n'est reportée sur aucune"],
        ),
    ]
