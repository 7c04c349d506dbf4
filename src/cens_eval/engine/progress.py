"""Where a questionnaire stands, exigence by exigence: one list of what remains to do, one state each.

A form of hundreds of exigences needs an index: per référentiel and section, each exigence in
scope with its state, and the points still to settle before submitting. Both come from the same
findings as ``questionnaire check`` (:func:`~cens_eval.engine.readiness.readiness`, the answers
to reconfirm, and the loader's gaps), so that the page, its index and the command never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from cens_eval.engine.readiness import readiness, to_reconfirm
from cens_eval.errors import Problem
from cens_eval.model.questionnaire import Questionnaire
from cens_eval.model.referentiel import Referentiel
from cens_eval.model.results import Evaluation
from cens_eval.model.vocabulary import Resultat


class Etat(StrEnum):
    """The state of one exigence in scope, as an index shows it."""

    SANS_REPONSE = "sans_reponse"
    """No status given."""
    A_COMPLETER = "a_completer"
    """Answered, with something still to do (a preuve, a justification, an overdue engagement…)."""
    BLOQUANT = "bloquant"
    """Answered with nothing left to fill in, and a blocking gap of the verdict."""
    PRET = "pret"
    """Answered, nothing left to do, and not blocking."""


ETAT_LABELS = {
    Etat.SANS_REPONSE: "sans réponse",
    Etat.A_COMPLETER: "à compléter",
    Etat.BLOQUANT: "bloquant",
    Etat.PRET: "prêt",
}


@dataclass(frozen=True)
class PointRestant:
    """One thing to do before submitting; ``exigence`` is empty for a point of the whole file."""

    referentiel: str
    exigence: str
    message: str


@dataclass(frozen=True)
class EtatExigence:
    """One exigence of the index."""

    referentiel: str
    id: str
    libelle: str
    etat: Etat
    points: tuple[str, ...]
    """What remains to do on it (the messages of :func:`remaining`)."""

    @property
    def label(self) -> str:
        """The state in French."""
        return ETAT_LABELS[self.etat]


@dataclass(frozen=True)
class SectionIndex:
    """A section of a référentiel (``id`` None: the exigences filed under no section)."""

    id: str | None
    titre: str
    exigences: tuple[EtatExigence, ...]


@dataclass(frozen=True)
class IndexReferentiel:
    """The index of one référentiel: its sections in order, with the exigences in scope."""

    id: str
    titre: str
    sections: tuple[SectionIndex, ...]

    def counts(self) -> dict[Etat, int]:
        """How many exigences are in each state."""
        found = {etat: 0 for etat in Etat}
        for section in self.sections:
            for e in section.exigences:
                found[e.etat] += 1
        return found


def remaining(
    evaluation: Evaluation, questionnaire: Questionnaire, gaps: Sequence[Problem]
) -> list[PointRestant]:
    """Everything that stands before a submission, in the order of the référentiels' exigences.

    Args:
        evaluation: the evaluation of the answers.
        questionnaire: the answers as written (their « à reconfirmer » marks).
        gaps: the loader's gaps (``LoadedQuestionnaire.gaps``), located by ``place``.
    """
    points = [
        PointRestant(f.referentiel, f.exigence, f.message)
        for f in (*readiness(evaluation), *to_reconfirm(questionnaire))
    ]
    for gap in gaps:
        place = gap.place
        if len(place) >= 3 and place[0] == "reponses":
            points.append(PointRestant(str(place[1]), str(place[2]), gap.message))
        else:
            points.append(PointRestant("", "", str(gap)))
    order = {
        (ref.id, e.id): (i, j)
        for i, ref in enumerate(evaluation.referentiels)
        for j, e in enumerate(ref.exigences)
    }
    last = (len(order), 0)
    return sorted(points, key=lambda p: order.get((p.referentiel, p.exigence), last))


def index(
    evaluation: Evaluation, referentiels: Sequence[Referentiel], points: Sequence[PointRestant]
) -> list[IndexReferentiel]:
    """Each référentiel evaluated, by section, with the state of each exigence in scope.

    Args:
        evaluation: the evaluation of the answers.
        referentiels: the référentiels evaluated (their sections and the order of exigences).
        points: what remains to do (:func:`remaining`).
    """
    todo: dict[tuple[str, str], list[str]] = {}
    for p in points:
        todo.setdefault((p.referentiel, p.exigence), []).append(p.message)
    out = []
    for result in evaluation.referentiels:
        ref = next((r for r in referentiels if r.id == result.id), None)
        blocking = {b.id for b in result.bloquantes}
        states = {}
        for r in result.exigences:
            here = tuple(todo.get((result.id, r.id), ()))
            if r.resultat is Resultat.SANS_REPONSE:
                etat = Etat.SANS_REPONSE
            elif here:
                etat = Etat.A_COMPLETER
            elif r.id in blocking:
                etat = Etat.BLOQUANT
            else:
                etat = Etat.PRET
            states[r.id] = EtatExigence(result.id, r.id, r.libelle, etat, here)
        titles = {s.id: s.titre for s in ref.sections} if ref is not None else {}
        grouped: dict[str | None, list[EtatExigence]] = {}
        for e in ref.exigences if ref is not None else []:
            if e.id in states:
                grouped.setdefault(e.section, []).append(states[e.id])
        sections = tuple(
            SectionIndex(key, titles.get(key, key) if key else "Autres exigences", tuple(found))
            for key, found in grouped.items()
        )
        out.append(IndexReferentiel(result.id, result.titre, sections))
    return out
