"""Pydantic model of a référentiel: header, sources, sections and exigences with their preuves."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from cens_eval.model.base import Identifiant, Model, Nombre, Poids, Texte, Url
from cens_eval.model.condition import Condition
from cens_eval.model.duree import Duree
from cens_eval.model.vocabulary import (
    PRINCIPE_SYNONYMES,
    Fidelite,
    NatureSource,
    Niveau,
    Principe,
    StatutReferentiel,
    TypePreuve,
    TypeReferentiel,
)


class Source(Model):
    """A document the référentiel's data is drawn from."""

    id: Identifiant
    titre: Texte
    url: Url
    nature: NatureSource
    date: dt.date | None = None
    """Publication date of the document, when the document states it (never guessed)."""
    consulte_le: dt.date | None = None
    """When the project last read this source to check the exigences drawn from it."""


class Appui(Model):
    """What the cited passage itself supports; anything else the exigence demands is a project choice."""

    niveau: bool = False
    """The passage gives the exigence's level (e.g. an official exigence of a certified référentiel)."""
    preuves: list[Identifiant] = Field(default_factory=list)
    """Mandatory preuves that only show what the passage asks (ids of the exigence's preuves)."""


class SourceRef(Model):
    """Where an exigence comes from: a source id and a locator inside it (article, FAQ entry…)."""

    document: Identifiant
    localisation: Texte
    appuie: Appui | None = None
    """What this passage supports (level, preuves): the consistency test holds the rest to
    ``choix_du_projet``."""


class ChoixProjet(Model):
    """A property of an exigence that no source gives: the project chose it, and says why."""

    porte_sur: Literal["niveau", "poids", "principe", "preuves", "seuil", "condition", "age_max"]
    raison: Texte


class Seuil(Model):
    """Threshold a mesure must reach (``min``) or not exceed (``max``)."""

    min: Nombre | None = None
    max: Nombre | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Seuil:
        if self.min is None and self.max is None:
            raise ValueError("un seuil indique au moins min ou max")
        return self


class PreuveAttendue(Model):
    """One piece of evidence an exigence expects."""

    id: Identifiant
    type: TypePreuve
    libelle: Texte
    obligatoire: bool = True
    unite: Texte | None = None
    seuil: Seuil | None = None
    age_max: Duree | None = None
    """The maximum age of this preuve at the evaluation date (ISO 8601, e.g. ``P1Y``); it
    overrides the exigence's ``age_max``."""

    @model_validator(mode="after")
    def _mesure_fields(self) -> PreuveAttendue:
        if self.type is TypePreuve.MESURE and self.unite is None:
            raise ValueError("une preuve de type mesure indique son unité")
        if self.type is not TypePreuve.MESURE and (self.unite or self.seuil):
            raise ValueError("unité et seuil ne valent que pour une preuve de type mesure")
        return self


class NonApplicable(Model):
    """What proves a "non applicable" claim on an exigence."""

    conditions: Texte | None = None
    preuves: list[PreuveAttendue] = Field(min_length=1)
    exige_hors_profil: bool = False
    """When the profil makes the exigence's condition false, the référentiel still asks for this
    proof (e.g. ETH.09.1: a solution that never records signs a sworn statement)."""


class Section(Model):
    """A group of exigences (a chapter, or a lifecycle phase for AI)."""

    id: Identifiant
    titre: Texte


def read_principe(value: Any) -> Any:
    """A principle as written in a file: older documents' synonyms read as today's principle."""
    if isinstance(value, str):
        return PRINCIPE_SYNONYMES.get(value, value)
    return value


class Exigence(Model):
    """One exigence (mandatory) or préconisation (recommended) of a référentiel."""

    id: Identifiant
    libelle: Annotated[str, Field(min_length=1, max_length=200)]
    enonce: Texte
    section: Identifiant | None = None
    principe: Principe
    niveau: Niveau
    obligatoire_a_partir_du: dt.date | None = None
    applicable_si: Condition | None = None
    preuves: list[PreuveAttendue] = Field(default_factory=list)
    non_applicable: NonApplicable | None = None
    poids: Poids = Decimal(1)
    age_max: Duree | None = None
    """The maximum age of every preuve of the exigence that sets none (ISO 8601, e.g. ``P1Y``):
    an older preuve counts as missing (rules v2 on)."""
    source: SourceRef
    fidelite: Fidelite
    choix_du_projet: list[ChoixProjet] = Field(default_factory=list)
    """Level, weight, principle… that no source gives: stated so that renderers can show it."""
    theme: Identifiant | None = None
    """The topic, shared by exigences of different référentiels that ask the same thing."""
    theme_exception: Texte | None = None
    """Why this exigence files its topic under another principle (the source that says so)."""
    remplace: Identifiant | None = None
    """The id this exigence had in the previous version of the référentiel (a renamed exigence)."""
    note: Texte | None = None

    _normalise_principe = field_validator("principe", mode="before")(read_principe)

    @model_validator(mode="after")
    def _coherent(self) -> Exigence:
        if self.obligatoire_a_partir_du and self.niveau is not Niveau.PRECONISATION:
            raise ValueError("seule une préconisation peut devenir obligatoire à une date")
        ids = [p.id for p in self.preuves]
        if self.non_applicable:
            ids += [p.id for p in self.non_applicable.preuves]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"preuve attendue définie deux fois : {', '.join(duplicates)}")
        appuyees = self.source.appuie.preuves if self.source.appuie else []
        unknown = sorted({i for i in appuyees if i not in ids})
        if unknown:
            raise ValueError(f"source › appuie : preuve attendue inconnue : {', '.join(unknown)}")
        return self

    def age_max_de(self, preuve_id: str) -> str | None:
        """The maximum age of one expected preuve: its own, else the exigence's (None: none)."""
        attendue = self.preuve(preuve_id)
        own = attendue.age_max if attendue is not None else None
        return own or self.age_max

    def preuve(self, preuve_id: str) -> PreuveAttendue | None:
        """Return the expected preuve with this id (conformity or non-applicability)."""
        candidates = list(self.preuves)
        if self.non_applicable:
            candidates += self.non_applicable.preuves
        return next((p for p in candidates if p.id == preuve_id), None)


class EnTete(Model):
    """A référentiel's header: everything but its exigences (a grid's mapping gives it too)."""

    id: Identifiant
    version: Identifiant
    titre: Texte
    type: TypeReferentiel
    statut: StatutReferentiel
    date_publication: dt.date | None = None
    """Publication date: in the Journal officiel for a text approved by arrêté, when that date is
    known. Absent when no source gives it: never an invented date."""
    date_arrete: dt.date | None = None
    """Date of the arrêté that approves the version (its signature date), kept apart from
    ``date_publication``: the Journal officiel publishes it some days later."""
    base_legale: Texte
    description: Texte | None = None
    sources: list[Source] = Field(min_length=1)
    applicable_si: Condition | None = None
    sections: list[Section] = Field(default_factory=list)


class Referentiel(EnTete):
    """A whole référentiel, one file per référentiel and version."""

    exigences: list[Exigence] = Field(min_length=1)
    _par_id: dict[str, Exigence] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        """Index the exigences by id (the first of a duplicated id, which validation reports)."""
        for e in reversed(self.exigences):
            self._par_id[e.id] = e

    def exigence(self, exigence_id: str) -> Exigence | None:
        """Return the exigence with this id, or None."""
        return self._par_id.get(exigence_id)


Loc = tuple[str | int, ...]


def reference_problems(ref: Referentiel) -> list[tuple[Loc, str]]:
    """Cross-references inside one référentiel: unique ids, known sources and sections."""
    problems: list[tuple[Loc, str]] = []
    groups: list[tuple[str, list[str]]] = [
        ("sources", [s.id for s in ref.sources]),
        ("sections", [s.id for s in ref.sections]),
        ("exigences", [e.id for e in ref.exigences]),
    ]
    for key, ids in groups:
        seen: dict[str, str] = {}  # by id in lower case: EX.01 and ex.01 are one to a reader
        for i, item_id in enumerate(ids):
            first = seen.get(item_id.casefold())
            if first is None:
                seen[item_id.casefold()] = item_id
            elif first == item_id:
                problems.append(((key, i, "id"), f"identifiant {item_id} en double"))
            else:
                problems.append(
                    ((key, i, "id"), f"identifiant {item_id} en double de {first} à la casse près")
                )
    sources = {s.id for s in ref.sources}
    sections = {s.id for s in ref.sections}
    for i, e in enumerate(ref.exigences):
        if e.source.document not in sources:
            problems.append(
                (("exigences", i, "source", "document"), f"source {e.source.document} inconnue")
            )
        if e.section is not None and e.section not in sections:
            problems.append((("exigences", i, "section"), f"section {e.section} inconnue"))
    return problems
