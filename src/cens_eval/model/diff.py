"""What changed between two versions of a référentiel, each change named (the result of a diff)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, computed_field

from cens_eval.model.base import Model


class Nature(StrEnum):
    """What happened to an exigence from one version to the next."""

    AJOUTEE = "ajoutee"
    SUPPRIMEE = "supprimee"
    RENOMMEE = "renommee"
    """A new id for the same exigence, declared by ``remplace`` in the new version."""
    MODIFIEE = "modifiee"


NATURE_LABELS: dict[Nature, str] = {
    Nature.AJOUTEE: "ajoutée",
    Nature.SUPPRIMEE: "supprimée",
    Nature.RENOMMEE: "renommée",
    Nature.MODIFIEE: "modifiée",
}

A_RECONFIRMER = frozenset(
    {
        "enonce",
        "niveau",
        "principe",
        "poids",
        "preuves",
        "non_applicable",
        "applicable_si",
        "obligatoire_a_partir_du",
    }
)
"""Fields whose change may change the answer: an answer given before is to be reconfirmed."""


class Modification(Model):
    """One field changed, in words and as data."""

    champ: str
    """The field (``enonce``, ``niveau``, ``preuves``…; for the header: ``version``, ``sources``…)."""
    description: str
    """The change in French: « niveau : préconisation → exigence »."""
    avant: str | None = None
    apres: str | None = None
    a_reconfirmer: bool = False
    """Whether the change may change an answer given before (see :data:`A_RECONFIRMER`)."""


class Changement(Model):
    """One exigence added, removed, renamed or modified, and how."""

    nature: Nature
    id: str
    """The id in the new version (in the old one for a removed exigence)."""
    ancien_id: str | None = None
    """The id in the old version, for a renamed exigence."""
    libelle: str
    modifications: list[Modification] = Field(default_factory=list)

    @property
    def a_reconfirmer(self) -> list[Modification]:
        """The modifications that may change an answer given before."""
        return [m for m in self.modifications if m.a_reconfirmer]


class Version(Model):
    """A référentiel's id and version."""

    id: str
    version: str


class DiffReferentiels(Model):
    """Every difference between two référentiels: their headers, then exigence by exigence."""

    ancien: Version
    nouveau: Version
    en_tete: list[Modification]
    exigences: list[Changement]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def identiques(self) -> bool:
        """True when nothing differs."""
        return not self.en_tete and not self.exigences

    def changement(self, exigence_id: str) -> Changement | None:
        """The change of an exigence, by its id in the new version (the old one if removed).

        An id the new version reuses for another exigence names its change in the new version.
        """
        return next((c for c in self.exigences if c.id == exigence_id), None)
