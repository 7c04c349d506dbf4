"""The shipped référentiels load and satisfy the project's data rules."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from cens_eval.engine.outcome import Regle, decide
from cens_eval.model.applicability import referentiel_applies
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.questionnaire import PreuveFournie, Reponse
from cens_eval.model.vocabulary import Fidelite, Niveau, Principe, Resultat, Statut

MINIMUM = {"applications-sante-mes": 15, "teleconsultation": 15, "ia-sante": 30, "lgc": 15}
OFFICIAL_TLC_IDS = {
    "ETH.08",
    "ETH.09.1",
    "ETH.11.1.2",
    "ETH.12",
    "ETH.13",
    "ETH.14",
    "ETH.17.1",
    "ETH.26",
    "ETH.30",
    "ETH.32",
    "ETHT.01",
    "ETHT.02",
}
PROJECT_ID = re.compile(r"^CE-[A-Z]+-\d{2}$")


def test_the_four_referentiels_are_shipped(catalogue: Catalogue) -> None:
    assert sorted(r.id for r in catalogue.referentiels) == sorted(MINIMUM)


@pytest.mark.parametrize("ref_id", sorted(MINIMUM))
def test_counts_principles_and_levels(catalogue: Catalogue, ref_id: str) -> None:
    ref = catalogue.get(ref_id)
    assert ref is not None
    assert len(ref.exigences) >= MINIMUM[ref_id]
    assert {e.principe for e in ref.exigences} == set(Principe)
    # The AI référentiel is still under evaluation: the doctrine makes its criteria préconisations.
    levels = {Niveau.PRECONISATION} if ref_id == "ia-sante" else set(Niveau)
    assert {e.niveau for e in ref.exigences} == levels
    assert all(e.preuves for e in ref.exigences), "every exigence expects at least one preuve"


@pytest.mark.parametrize("ref_id", sorted(MINIMUM))
def test_no_invented_dates_and_project_local_ids(catalogue: Catalogue, ref_id: str) -> None:
    ref = catalogue.get(ref_id)
    assert ref is not None
    # No source gives a préconisation → exigence calendar (domain.md §0.7).
    assert all(e.obligatoire_a_partir_du is None for e in ref.exigences)
    for e in ref.exigences:
        if e.fidelite is Fidelite.RECONSTITUE and e.id not in OFFICIAL_TLC_IDS:
            assert PROJECT_ID.match(e.id), f"{e.id} is reconstructed but not in the CE- scheme"
        cited = {s.id for s in ref.sources}
        assert e.source.document in cited


def test_teleconsultation_keeps_official_ids(catalogue: Catalogue) -> None:
    ref = catalogue.get("teleconsultation", "1.5.1")
    assert ref is not None
    ids = {e.id for e in ref.exigences}
    assert ids >= OFFICIAL_TLC_IDS
    eth091 = ref.exigence("ETH.09.1")
    assert eth091 is not None and eth091.non_applicable is not None
    assert (
        eth091.non_applicable.exige_hors_profil
    )  # the FAQ asks the sworn statement of non-recording solutions
    assert any(p.type.value == "attestation_sur_l_honneur" for p in eth091.non_applicable.preuves)
    eth1112 = ref.exigence("ETH.11.1.2")
    assert eth1112 is not None
    assert eth1112.preuve("demonstration-comprehension") is not None


def test_teleconsultation_carries_the_exigences_found_in_the_faq(catalogue: Catalogue) -> None:
    ref = catalogue.get("teleconsultation", "1.5.1")
    assert ref is not None
    sources = {s.id: s for s in ref.sources}
    for eid, source in [
        ("ETH.13", "faq-esante-tlc-cible"),
        ("ETH.14", "faq-esante-tlc-cible"),
        ("ETH.26", "faq-esante-tlc-cible"),
        ("ETH.32", "faq-ans-8957"),
    ]:
        e = ref.exigence(eid)
        assert e is not None, eid
        assert (e.fidelite, e.niveau, e.source.document) == (
            Fidelite.OFFICIEL,
            Niveau.EXIGENCE,
            source,
        )
        assert sources[source].nature.value == "officielle"
    # ETH.26: the FAQ expects the recipients listed and an explicit acknowledgement.
    eth26 = ref.exigence("ETH.26")
    assert eth26 is not None
    assert {p.type.value for p in eth26.preuves if p.obligatoire} == {"url", "capture"}
    # ETH.32 is the Écoscore, out of 100, with no threshold (the FAQ gives none).
    eth32 = ref.exigence("ETH.32")
    assert eth32 is not None and eth32.principe is Principe.ECORESPONSABILITE
    ecoscore = eth32.preuve("ecoscore-teleconsultation")
    assert ecoscore is not None and ecoscore.obligatoire and ecoscore.seuil is None
    assert ecoscore.unite == "points /100"


def test_the_ecoscore_exigence_replaces_the_projects_environmental_items(
    catalogue: Catalogue,
) -> None:
    ref = catalogue.get("teleconsultation", "1.5.1")
    assert ref is not None
    assert ref.exigence("CE-TLC-12") is None  # the RGESN item it superseded
    units = [p.unite or "" for e in ref.exigences for p in e.preuves]
    assert not [u for u in units if "15 minutes" in u]  # no duration convention of our own


def test_a_comprehension_panel_is_one_way_not_a_requirement(catalogue: Catalogue) -> None:
    """ETH.11.1.2: the FAQ says a panel (about 30, at least 10) could satisfy the exigence."""
    ref = catalogue.get("teleconsultation", "1.5.1")
    assert ref is not None
    eth1112 = ref.exigence("ETH.11.1.2")
    assert eth1112 is not None
    regle = Regle.of(eth1112)
    given = [
        PreuveFournie(attendue="textes-information", fichier="info.pdf"),
        PreuveFournie(attendue="capture-recueil-consentement", fichier="capture.png"),
        PreuveFournie(attendue="demonstration-comprehension", fichier="questionnaire.pdf"),
    ]
    without_panel = Reponse(statut=Statut.CONFORME, preuves=given)
    assert decide(regle, without_panel).resultat is Resultat.CONFORME
    small_panel = Reponse(
        statut=Statut.CONFORME,
        preuves=[*given, PreuveFournie(attendue="taille-panel", valeur=Decimal(8))],
    )
    assert decide(regle, small_panel).resultat is Resultat.NON_CONFORME  # a panel: 10 or more


def test_criterion_14_asks_only_for_the_justification(catalogue: Catalogue) -> None:
    ref = catalogue.get("ia-sante")
    assert ref is not None
    c14 = ref.exigence("IA-C14")
    assert c14 is not None
    assert [p.id for p in c14.preuves if p.obligatoire] == ["capture-saisie-motif"]


def test_mes_items_known_only_by_their_topic_are_not_official(catalogue: Catalogue) -> None:
    ref = catalogue.get("applications-sante-mes")
    assert ref is not None
    for eid in ("CE-MES-01", "CE-MES-10"):
        e = ref.exigence(eid)
        assert e is not None
        assert (e.fidelite, e.poids) == (Fidelite.PARAPHRASE, Decimal(1))
        assert "niveau" in {c.porte_sur for c in e.choix_du_projet}
    draft_only = ref.exigence("CE-MES-11")  # from the 2021 draft alone: never blocking
    assert draft_only is not None and draft_only.niveau is Niveau.PRECONISATION


def test_lgc_is_entirely_reconstructed(catalogue: Catalogue) -> None:
    ref = catalogue.get("lgc")
    assert ref is not None
    assert {e.fidelite for e in ref.exigences} == {Fidelite.RECONSTITUE}


def test_mes_ecoscore_is_a_measure_out_of_100(catalogue: Catalogue) -> None:
    ref = catalogue.get("applications-sante-mes")
    assert ref is not None
    mesures = [p for e in ref.exigences for p in e.preuves if p.type.value == "mesure"]
    assert any("100" in (p.unite or "") for p in mesures)


def test_ia_referentiel_applies_only_when_the_product_uses_ai(catalogue: Catalogue) -> None:
    ref = catalogue.get("ia-sante")
    assert ref is not None
    assert referentiel_applies(ref, {"utilise_ia": True})
    assert not referentiel_applies(ref, {"utilise_ia": False})
    assert not referentiel_applies(ref, {})
