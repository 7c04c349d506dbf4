"""The shared profil vocabulary: orientation questions every référentiel may rely on."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from pydantic import Field, model_validator

from cens_eval.model.base import Identifiant, Model, Texte
from cens_eval.model.condition import Valeur

T = TypeVar("T")

OUI_NON = {"oui": True, "non": False}
"""The words a boolean profil answer may also be written with (YAML, JSON)."""


class TypeQuestion(StrEnum):
    """How a profil question is answered."""

    BOOLEEN = "booleen"
    CHOIX = "choix"


class Choix(Model):
    """One allowed answer of a ``choix`` question."""

    id: Identifiant
    libelle: Texte


class QuestionProfil(Model):
    """One orientation question, answered once by the éditeur."""

    id: Identifiant
    libelle: Texte
    aide: Texte | None = None
    type: TypeQuestion
    choix: list[Choix] = Field(default_factory=list)

    @model_validator(mode="after")
    def _choices_match_type(self) -> QuestionProfil:
        if self.type is TypeQuestion.CHOIX and not self.choix:
            raise ValueError("une question de type choix doit lister ses choix")
        if self.type is TypeQuestion.BOOLEEN and self.choix:
            raise ValueError("une question booléenne n'a pas de choix")
        return self

    def allowed(self) -> list[Valeur]:
        """Values an answer to this question may take."""
        if self.type is TypeQuestion.BOOLEEN:
            return [True, False]
        return [c.id for c in self.choix]


class VocabulaireProfil(Model):
    """The profil vocabulary shared by all référentiels (``profil.yaml`` beside the référentiels)."""

    version: Identifiant
    questions: list[QuestionProfil] = Field(min_length=1)

    def question(self, question_id: str) -> QuestionProfil | None:
        """Return the question with this id, or None."""
        return next((q for q in self.questions if q.id == question_id), None)

    def read(self, question_id: str, value: T) -> T | bool:
        """An answer as written, with ``oui`` / ``non`` read as a boolean question's true / false.

        Only those two words, exactly: anything else is left for :meth:`refusal` to name.
        """
        question = self.question(question_id)
        if (
            question is not None
            and question.type is TypeQuestion.BOOLEEN
            and isinstance(value, str)
        ):
            return OUI_NON.get(value, value)
        return value

    def refusal(self, question_id: str, value: object) -> str | None:
        """Why ``value`` cannot answer ``question_id`` (in French), or None when it can."""
        question = self.question(question_id)
        if question is None:
            return f"question de profil inconnue « {question_id} »"
        allowed = question.allowed()
        # True == 1 in Python: a boolean never answers a choice, nor a number a boolean.
        if any(type(value) is type(a) and value == a for a in allowed):
            return None
        shown = (
            "oui ou non (ou true, false)"
            if question.type is TypeQuestion.BOOLEEN
            else "l'un de " + ", ".join(str(a) for a in allowed)
        )
        if value is None:
            return f"réponse manquante à {question_id} (attendu {shown})"
        given = str(value) if len(str(value)) <= 60 else f"{str(value)[:57]}…"
        return f"valeur « {given} » impossible pour {question_id} (attendu {shown})"


Profil = dict[str, Valeur]
"""An éditeur's answers to the profil questions, by question id."""
