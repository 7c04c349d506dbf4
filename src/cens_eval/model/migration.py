"""A questionnaire moved to a new version of a référentiel: the report of what happened to each answer.

Nothing is dropped silently: an answer to a removed exigence, or a preuve given for an expected
preuve that no longer exists, is kept whole in the report (written beside the new
questionnaire). The « À reconfirmer » sheet of a workbook carries the same marks as the
``a_reconfirmer`` field of a YAML or JSON questionnaire.
"""

from __future__ import annotations

from pydantic import Field

from cens_eval.model.base import Model
from cens_eval.model.questionnaire import PreuveFournie, Questionnaire, Reponse
from cens_eval.model.questionnaire_sheets import Columns


class Renommage(Model):
    """An exigence renamed by the new version (its ``remplace``): the answer follows it."""

    ancien: str
    nouveau: str


class AReconfirmer(Model):
    """An answer kept, to be reconfirmed because its exigence changed."""

    id: str
    changements: list[str]


class ReponseRetiree(Model):
    """The whole answer to an exigence the new version removed."""

    id: str
    libelle: str
    reponse: Reponse


class PreuveRetiree(Model):
    """A preuve given for an expected preuve the new version no longer asks for."""

    exigence: str
    preuve: PreuveFournie


class RapportMigration(Model):
    """What a migration did with each answer to one référentiel."""

    referentiel: str
    de: str
    """The version the questionnaire answered."""
    vers: str
    """The version it now answers."""
    conservees: list[str] = Field(default_factory=list)
    """Answers kept as they were (their exigence did not change, or only in its wording)."""
    renommees: list[Renommage] = Field(default_factory=list)
    a_reconfirmer: list[AReconfirmer] = Field(default_factory=list)
    nouvelles: list[str] = Field(default_factory=list)
    """New exigences that apply to the profil: not answered yet."""
    retirees: list[ReponseRetiree] = Field(default_factory=list)
    preuves_retirees: list[PreuveRetiree] = Field(default_factory=list)
    questions_profil: list[str] = Field(default_factory=list)
    """Profil questions the new version reads and the questionnaire does not answer."""


class Migration(Model):
    """The questionnaire for the new version, and the report of the move."""

    questionnaire: Questionnaire
    rapport: RapportMigration


SHEET_A_RECONFIRMER = "À reconfirmer"
"""The workbook sheet listing the answers to reconfirm (absent when there is none)."""

A_RECONFIRMER_COLUMNS: Columns = [
    ("numero", "N°", 6),
    ("referentiel", "Référentiel", 24),
    ("exigence", "Exigence", 14),
    ("changements", "Ce qui a changé (supprimer la ligne une fois la réponse vérifiée)", 100),
]
