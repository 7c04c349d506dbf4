"""The shipped référentiels load and satisfy the project's data rules."""

from __future__ import annotations

import re

import pytest

from cens_eval.model.applicability import referentiel_applies
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.vocabulary import Fidelite, Niveau, Principe

MINIMUM = {"applications-sante-mes": 15, "teleconsultation": 15, "ia-sante": 30, "lgc": 15}
OFFICIAL_TLC_IDS = {
    "ETH.08",
    "ETH.09.1",
    "ETH.11.1.2",
    "ETH.12",
    "ETH.17.1",
    "ETH.30",
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
    assert {e.niveau for e in ref.exigences} == set(Niveau)
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
    assert any(p.type.value == "panel_utilisateurs" for p in eth1112.preuves)


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
