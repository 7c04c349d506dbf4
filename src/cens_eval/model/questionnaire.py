"""Pydantic model of an éditeur's questionnaire: identity, profil and one answer per exigence."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from cens_eval.model.base import Identifiant, Model, Nombre, Texte, Url
from cens_eval.model.condition import Valeur
from cens_eval.model.vocabulary import Statut


def chemin_normal(chemin: str) -> str:
    r"""The one spelling of a relative path: ``/`` separators, no ``.`` parts, no doubled ``/``.

    ``preuves/x.png``, ``./preuves/x.png`` and ``preuves\x.png`` (spreadsheet users type Windows
    separators) name one file and are read as ``preuves/x.png``. An absolute path keeps its
    leading ``/`` and ``..`` parts stay, so that both are still refused by the loader.
    """
    slashed = chemin.replace("\\", "/")
    parts = [part for part in slashed.split("/") if part not in ("", ".")]
    return ("/" if slashed.startswith("/") else "") + "/".join(parts) or "."


CheminRelatif = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(chemin_normal)]
"""A file path relative to the questionnaire, in its one spelling (see :func:`chemin_normal`)."""


class Editeur(Model):
    """The software vendor answering."""

    nom: Texte
    siren: Annotated[str, Field(pattern=r"^\d{9}$")] | None = None
    contact: Texte | None = None


class Solution(Model):
    """The product assessed."""

    nom: Texte
    version: Texte
    description: Texte | None = None


class ReferentielRepondu(Model):
    """A référentiel the questionnaire answers, by id and version."""

    id: Identifiant
    version: Identifiant


class Periode(Model):
    """The period a preuve covers (a panel's months, an audit's year), both days included."""

    debut: dt.date
    fin: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Periode:
        if self.fin < self.debut:
            raise ValueError("période : la fin précède le début")
        return self


class PreuveFournie(Model):
    """One piece of evidence given for an expected preuve: a file, a URL or a declaration.

    A mesure also carries its ``valeur``. A preuve may say when it was produced (``date``) and
    the period it covers (``periode``): its age, where the référentiel sets a maximum one.
    """

    attendue: Identifiant
    fichier: CheminRelatif | None = None
    url: Url | None = None
    declaration: Texte | None = None
    valeur: Nombre | None = None
    date: dt.date | None = None
    """The day the preuve was produced (a report's date, a measure's day)."""
    periode: Periode | None = None
    """The period the preuve covers."""

    @property
    def datee_du(self) -> dt.date | None:
        """The day its age is counted from: its ``date``, else the end of its ``periode``."""
        if self.date is not None:
            return self.date
        return self.periode.fin if self.periode is not None else None

    @model_validator(mode="after")
    def _one_form(self) -> PreuveFournie:
        forms = [f for f in (self.fichier, self.url, self.declaration) if f is not None]
        if len(forms) > 1:
            raise ValueError("une preuve est un fichier, une URL ou une déclaration, pas plusieurs")
        if not forms and self.valeur is None:
            raise ValueError("preuve vide : indiquer fichier, url, declaration ou valeur")
        return self


class Engagement(Model):
    """A commitment to close a gap: what will be done, and by when."""

    action: Texte
    echeance: dt.date


class Reprise(Model):
    """Where an answer is taken from: an exigence of another référentiel the questionnaire answers.

    Read by reference, never copied: the answer (statut, justification, engagement) and the
    preuves this exigence expects are the source's, as they are written now. Through a full
    link of the correspondence file (équivalente, or this exigence incluse in the source) the
    answer counts as given; through a partial one (recoupement, or the source incluse in this
    exigence) it is only a pre-fill, not counted until the éditeur confirms it
    (``confirmee: true``).
    """

    referentiel: Identifiant
    exigence: Identifiant
    confirmee: bool = False
    """The éditeur checked that the source's answer holds for this exigence (partial links)."""

    def __str__(self) -> str:
        return f"{self.referentiel} {self.exigence}"


def _one_or_many(value: object) -> object:
    """``reprise: {referentiel, exigence}`` is read as a list of one."""
    return [value] if isinstance(value, dict) else value


class Reponse(Model):
    """The éditeur's answer to one exigence; no ``statut`` yet means not answered."""

    statut: Statut | None = None
    justification: Texte | None = None
    preuves: list[PreuveFournie] = Field(default_factory=list)
    engagement: Engagement | None = None
    reprise: Annotated[list[Reprise], BeforeValidator(_one_or_many)] = Field(default_factory=list)
    """The exigences whose answer this one takes, by reference (several: the most restrictive
    wins). Its own ``preuves`` then only add the preuves the sources do not give."""
    a_reconfirmer: list[Texte] = Field(default_factory=list)
    """What changed in the exigence since this answer was given (written by ``questionnaire
    migrate``): the answer is kept but still to be reconfirmed. The éditeur removes the field (in
    a workbook, the row of the « À reconfirmer » sheet) once the answer is checked."""


class Questionnaire(Model):
    """Everything an éditeur declares: who, what, the profil and the answers per référentiel."""

    editeur: Editeur
    solution: Solution
    referentiels: list[ReferentielRepondu] = Field(min_length=1)
    profil: dict[Identifiant, Valeur]
    reponses: dict[Identifiant, dict[Identifiant, Reponse]] = Field(default_factory=dict)
    """Answers by référentiel id, then by exigence id."""

    def reponse(self, referentiel_id: str, exigence_id: str) -> Reponse | None:
        """The answer to one exigence, or None."""
        return self.reponses.get(referentiel_id, {}).get(exigence_id)
