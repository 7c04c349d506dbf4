"""The shipped référentiels agree with each other and say honestly what rests on a source.

One topic keeps one principle across référentiels unless a source says otherwise (and the
exigence records why); what the project chose is declared; no date is invented; an exigence
labelled ``officiel`` rests on an official source; an ``officiel`` or ``paraphrase`` exigence asks
no more than its source unless the project says it chose to (issue 21); the fidelity counts the
closing note of issue 13 states are the ones shipped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from decimal import Decimal

import pytest

from cens_eval.model.catalogue import Catalogue
from cens_eval.model.referentiel import Referentiel
from cens_eval.model.vocabulary import Fidelite, NatureSource, Niveau, Principe
from cens_eval.render.typography import MONTHS

# Counts per fidelity label, as stated in the closing note (2026-12-01). A change to the data
# that moves an exigence from one label to another must update this table on purpose.
FIDELITE_COUNTS = {
    "teleconsultation": {"officiel": 9, "paraphrase": 0, "reconstitue": 15},
    "applications-sante-mes": {"officiel": 0, "paraphrase": 15, "reconstitue": 7},
    "ia-sante": {"officiel": 0, "paraphrase": 13, "reconstitue": 19},
    "lgc": {"officiel": 0, "paraphrase": 0, "reconstitue": 29},
}


def _referentiels(catalogue: Catalogue) -> list[Referentiel]:
    return sorted(catalogue.referentiels, key=lambda r: r.id)


def _in_french(day: dt.date) -> str:
    """``2024-03-01`` as written in French texts: « 1er mars 2024 »."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def test_a_topic_keeps_one_principle_unless_an_exception_is_recorded(
    catalogue: Catalogue,
) -> None:
    principles: dict[str, dict[Principe, list[str]]] = defaultdict(lambda: defaultdict(list))
    for ref in _referentiels(catalogue):
        for e in ref.exigences:
            if e.theme is not None and e.theme_exception is None:
                principles[e.theme][e.principe].append(f"{ref.id}:{e.id}")
    mixed = {
        theme: {p.value: ids for p, ids in by_principle.items()}
        for theme, by_principle in principles.items()
        if len(by_principle) > 1
    }
    assert mixed == {}, f"same topic under different principles: {mixed}"


def test_a_theme_names_a_topic_that_recurs(catalogue: Catalogue) -> None:
    uses = Counter(e.theme for ref in _referentiels(catalogue) for e in ref.exigences if e.theme)
    lonely = sorted(theme for theme, count in uses.items() if count < 2)
    assert lonely == [], f"a theme used once groups nothing: {lonely}"
    referentiels_by_theme: dict[str, set[str]] = defaultdict(set)
    for ref in _referentiels(catalogue):
        for e in ref.exigences:
            if e.theme:
                referentiels_by_theme[e.theme].add(ref.id)
    shared = [theme for theme, refs in referentiels_by_theme.items() if len(refs) > 1]
    assert len(shared) >= 20, "the topics that recur across référentiels carry a theme"


def test_a_theme_exception_departs_from_the_topic_and_says_why(catalogue: Catalogue) -> None:
    usual: dict[str, set[Principe]] = defaultdict(set)
    exceptions = []
    for ref in _referentiels(catalogue):
        for e in ref.exigences:
            if e.theme_exception is not None:
                assert e.theme is not None, f"{e.id}: an exception to which topic?"
                exceptions.append(e)
            elif e.theme is not None:
                usual[e.theme].add(e.principe)
    assert exceptions, "the LGC secondary-purpose item is filed under bienfaisance by its source"
    for e in exceptions:
        assert e.theme is not None
        assert usual[e.theme] and e.principe not in usual[e.theme], (
            f"{e.id}: an exception that keeps the topic's principle is not an exception"
        )
        assert len(e.theme_exception.split()) >= 8, f"{e.id}: the exception names its source"


def test_every_weight_other_than_one_is_declared_as_a_project_choice(
    catalogue: Catalogue,
) -> None:
    undeclared = [
        f"{ref.id}:{e.id}"
        for ref in _referentiels(catalogue)
        for e in ref.exigences
        if e.poids != Decimal(1) and "poids" not in {c.porte_sur for c in e.choix_du_projet}
    ]
    assert undeclared == [], f"weights no source gives, not declared: {undeclared}"


def test_project_choices_give_a_reason_once_per_property(catalogue: Catalogue) -> None:
    for ref in _referentiels(catalogue):
        for e in ref.exigences:
            porte_sur = [c.porte_sur for c in e.choix_du_projet]
            assert len(porte_sur) == len(set(porte_sur)), f"{e.id}: one choice per property"
            for c in e.choix_du_projet:
                # A reason is a sentence a reader can check, not a placeholder.
                assert len(c.raison.split()) >= 6, f"{e.id} ({c.porte_sur}): {c.raison!r}"
                assert c.raison.rstrip().endswith((".", ")", "»")), f"{e.id}: {c.raison!r}"


def test_an_official_exigence_rests_on_an_official_source(catalogue: Catalogue) -> None:
    for ref in _referentiels(catalogue):
        sources = {s.id: s for s in ref.sources}
        for e in ref.exigences:
            cited = sources[e.source.document]  # a KeyError is a source not declared
            if e.fidelite is Fidelite.OFFICIEL:
                assert cited.nature is NatureSource.OFFICIELLE, (
                    f"{ref.id}:{e.id} is officiel but cites {cited.id} ({cited.nature.value})"
                )


def _sourced_beyond(ref: Referentiel) -> list[str]:
    """What an officiel or paraphrasé exigence demands that neither its source note nor a project
    choice accounts for: its level, and each mandatory preuve of a conformity claim."""
    gaps = []
    for e in ref.exigences:
        if e.fidelite is Fidelite.RECONSTITUE:
            continue
        appui = e.source.appuie
        chosen = {c.porte_sur for c in e.choix_du_projet}
        if not (appui and appui.niveau) and "niveau" not in chosen:
            gaps.append(f"{ref.id}:{e.id} niveau {e.niveau.value}")
        # A preuve the source does not ask for is named, by its id, in a « preuves » choice.
        reasons = " ".join(c.raison for c in e.choix_du_projet if c.porte_sur == "preuves")
        for p in e.preuves:
            supported = appui is not None and p.id in appui.preuves
            named = re.search(rf"(?<![\w-]){re.escape(p.id)}(?![\w-])", reasons) is not None
            if p.obligatoire and not (supported or named):
                gaps.append(f"{ref.id}:{e.id} preuve {p.id}")
    return gaps


def test_a_sourced_exigence_asks_no_more_than_its_source_unless_the_project_says_so(
    catalogue: Catalogue,
) -> None:
    gaps = [gap for ref in _referentiels(catalogue) for gap in _sourced_beyond(ref)]
    assert gaps == [], f"level or mandatory preuve neither supported nor declared: {gaps}"


def test_the_rule_catches_an_over_demanding_preuve(catalogue: Catalogue) -> None:
    ref = catalogue.get("applications-sante-mes")
    assert ref is not None
    e = ref.exigence("CE-MES-22")
    assert e is not None
    extra = [p for p in e.preuves if not p.obligatoire and e.source.appuie]
    assert extra, "CE-MES-22 keeps an optional preuve its source does not ask for"
    made_mandatory = e.model_copy(
        update={"preuves": [p.model_copy(update={"obligatoire": True}) for p in e.preuves]}
    )
    unsourced_level = e.model_copy(update={"source": e.source.model_copy(update={"appuie": None})})
    for changed in (made_mandatory, unsourced_level):
        others = [x for x in ref.exigences if x.id != e.id]
        assert _sourced_beyond(ref.model_copy(update={"exigences": [*others, changed]}))


def test_no_paraphrased_ia_item_is_mandatory_without_a_source(catalogue: Catalogue) -> None:
    ref = catalogue.get("ia-sante")
    assert ref is not None
    mandatory = [
        e.id
        for e in ref.exigences
        if e.niveau is Niveau.EXIGENCE and not (e.source.appuie and e.source.appuie.niveau)
    ]
    assert mandatory == []
    doctrine = next(s for s in ref.sources if str(s.url).rstrip("/").endswith("doctrine/ethique"))
    for e in ref.exigences:
        if e.fidelite is Fidelite.PARAPHRASE:
            (niveau,) = [c for c in e.choix_du_projet if c.porte_sur == "niveau"]
            assert "doctrine" in niveau.raison and "préconisation" in niveau.raison.lower()
    assert "septembre 2025" in doctrine.titre


@pytest.mark.parametrize("ref_id", sorted(FIDELITE_COUNTS))
def test_a_publication_date_is_one_a_source_states(catalogue: Catalogue, ref_id: str) -> None:
    ref = catalogue.get(ref_id)
    assert ref is not None
    texts = [ref.base_legale, ref.description or "", *(s.titre for s in ref.sources)]
    dated = {s.date for s in ref.sources}
    for field in ("date_publication", "date_arrete"):
        day = getattr(ref, field)
        if day is None:
            continue
        written = _in_french(day)
        assert day in dated or any(written in text for text in texts), (
            f"{ref_id}: {field} {day} ({written}) is stated nowhere"
        )


def test_a_journal_officiel_date_is_kept_apart_from_the_arrete_date(catalogue: Catalogue) -> None:
    mes = catalogue.get("applications-sante-mes")
    tlc = catalogue.get("teleconsultation")
    assert mes is not None and tlc is not None
    assert (mes.date_publication, mes.date_arrete) == (dt.date(2023, 10, 31), dt.date(2023, 10, 23))
    assert "JORF du 31 octobre 2023" in mes.base_legale
    # The JO date of the arrêté of 18 October 2024 was not found: no publication date is claimed.
    assert (tlc.date_publication, tlc.date_arrete) == (None, dt.date(2024, 10, 18))


def test_the_reconstructed_lgc_referentiel_has_no_publication_date(catalogue: Catalogue) -> None:
    ref = catalogue.get("lgc")
    assert ref is not None
    assert ref.date_publication is None  # 2025-01-01 was a project landmark, not a date


@pytest.mark.parametrize("ref_id", sorted(FIDELITE_COUNTS))
def test_fidelity_counts_are_the_ones_announced(catalogue: Catalogue, ref_id: str) -> None:
    ref = catalogue.get(ref_id)
    assert ref is not None
    counts = Counter(e.fidelite.value for e in ref.exigences)
    assert {label.value: counts[label.value] for label in Fidelite} == FIDELITE_COUNTS[ref_id]


def test_the_sources_read_for_issue_13_carry_their_check_date(catalogue: Catalogue) -> None:
    checked = {
        (ref.id, s.id)
        for ref in _referentiels(catalogue)
        for s in ref.sources
        if s.consulte_le is not None
    }
    # The pages read for issue 13 (research of 2026-12-01), one per claim they carry.
    assert {
        ("teleconsultation", "faq-ans-produit-tlc"),
        ("teleconsultation", "faq-ans-8307"),
        ("teleconsultation", "faq-ans-8957"),
        ("teleconsultation", "faq-ans-industriels-en"),
        ("applications-sante-mes", "arrete-2022-art1"),
        ("ia-sante", "patientnumerique-ia-2024"),
    } <= checked
    for ref in _referentiels(catalogue):
        for s in ref.sources:
            if s.consulte_le is not None and s.date is not None:
                assert s.consulte_le >= s.date, f"{ref.id}:{s.id} read before it was published"
