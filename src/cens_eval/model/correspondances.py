"""Correspondences between exigences of different référentiels, as data.

A correspondence file lists links, each between two exigences of two référentiels, with the
set-theory relation of NIST IR 8477 between what they ask (équivalente, incluse, englobante,
recoupement), why the project reads them so, and the source that says so or « choix du projet ».
A link reads from ``exigence`` to ``comparee_a``: « A incluse dans B » means that B asks all A
asks, and more. Whoever meets B meets A: an answer to B may serve for A; the converse only
pre-fills.
"""

from __future__ import annotations

from collections import deque
from enum import StrEnum
from typing import Literal

from pydantic import Field

from cens_eval.model.base import Identifiant, Model, Texte, Url


class Relation(StrEnum):
    """How what one exigence asks relates to what another asks (NIST IR 8477)."""

    EQUIVALENTE = "equivalente"
    """Both ask the same thing."""
    INCLUSE = "incluse"
    """The other asks all this one asks, and more (subset)."""
    ENGLOBANTE = "englobante"
    """This one asks all the other asks, and more (superset)."""
    RECOUPEMENT = "recoupement"
    """They share part of what they ask; neither asks all the other asks."""


RELATION_LABELS: dict[Relation, str] = {
    Relation.EQUIVALENTE: "équivalente à",
    Relation.INCLUSE: "incluse dans",
    Relation.ENGLOBANTE: "englobante de",
    Relation.RECOUPEMENT: "en recoupement avec",
}
RELATION_SYMBOLS: dict[Relation, str] = {
    Relation.EQUIVALENTE: "=",
    Relation.INCLUSE: "⊂",
    Relation.ENGLOBANTE: "⊃",
    Relation.RECOUPEMENT: "∩",
}
CHOIX_DU_PROJET = "choix du projet"
"""What a link whose relation no source states gives as its source."""


class ExigenceVisee(Model):
    """One exigence of one référentiel (its version is the one the file's header names)."""

    referentiel: Identifiant
    exigence: Identifiant

    def __str__(self) -> str:
        return f"{self.referentiel} {self.exigence}"


class SourceLien(Model):
    """A document that states the relation between two exigences."""

    titre: Texte
    url: Url | None = None
    localisation: Texte
    """Where in the document (article, page, FAQ entry…)."""


class Lien(Model):
    """A link between two exigences of two référentiels."""

    exigence: ExigenceVisee
    relation: Relation
    comparee_a: ExigenceVisee
    justification: Texte
    """Why the project reads the two exigences so: what each asks that the other does not."""
    source: SourceLien | Literal["choix du projet"]
    """The document stating the relation, or « choix du projet » when none does."""

    def lu(self) -> str:
        """The link as a sentence: « teleconsultation ETH.17.1 incluse dans ia-sante CE-IA-17 »."""
        return f"{self.exigence} {RELATION_LABELS[self.relation]} {self.comparee_a}"


class VersionVisee(Model):
    """A référentiel version the file's links are written for."""

    id: Identifiant
    version: Identifiant


class CorrespondancesReferentiels(Model):
    """A correspondence file: the référentiel versions it covers and its links."""

    titre: Texte
    description: Texte | None = None
    referentiels: list[VersionVisee] = Field(min_length=2)
    liens: list[Lien] = Field(min_length=1)

    def version(self, referentiel_id: str) -> str | None:
        """The version of a référentiel the links are written for, or None when not covered."""
        return next((r.version for r in self.referentiels if r.id == referentiel_id), None)


Loc = tuple[str | int, ...]
Noeud = tuple[str, str]
"""An exigence as a graph node: (référentiel id, exigence id)."""


def _node(visee: ExigenceVisee) -> Noeud:
    return (visee.referentiel, visee.exigence)


def _inclusions(liens: list[Lien]) -> dict[Noeud, list[tuple[Noeud, int]]]:
    """Edges A → B meaning « B asks all A asks » (A ⊆ B), each with the index of its link."""
    edges: dict[Noeud, list[tuple[Noeud, int]]] = {}
    for i, lien in enumerate(liens):
        a, b = _node(lien.exigence), _node(lien.comparee_a)
        if lien.relation in (Relation.EQUIVALENTE, Relation.INCLUSE):
            edges.setdefault(a, []).append((b, i))
        if lien.relation in (Relation.EQUIVALENTE, Relation.ENGLOBANTE):
            edges.setdefault(b, []).append((a, i))
    return edges


def _path(edges: dict[Noeud, list[tuple[Noeud, int]]], start: Noeud, goal: Noeud) -> list[int]:
    """The links of a shortest chain of inclusions from ``start`` to ``goal`` ([] when none)."""
    came: dict[Noeud, tuple[Noeud, int]] = {}
    queue = deque([start])
    seen = {start}
    while queue:
        node = queue.popleft()
        if node == goal:
            chain = []
            while node != start:
                node, i = came[node]
                chain.append(i)
            return chain[::-1]
        for nxt, i in edges.get(node, []):
            if nxt not in seen:
                seen.add(nxt)
                came[nxt] = (node, i)
                queue.append(nxt)
    return []


def link_problems(corr: CorrespondancesReferentiels) -> list[tuple[Loc, str, list[int]]]:
    """Links that contradict each other, repeat one another or link a référentiel to itself.

    Contradictions are read with the links' set-theory meaning: an inclusion (incluse,
    englobante) is strict, so a chain of links that comes back to where it started through one
    is a contradiction (A incluse dans B, B équivalente à A); a recoupement says that neither
    exigence asks all the other asks, so a chain of inclusions between its two exigences
    contradicts it. Each problem names the other links involved (their indexes).
    """
    problems: list[tuple[Loc, str, list[int]]] = []
    seen: dict[frozenset[Noeud], int] = {}
    for i, lien in enumerate(corr.liens):
        a, b = _node(lien.exigence), _node(lien.comparee_a)
        if a[0] == b[0]:
            problems.append(
                (("liens", i, "comparee_a"), "un lien relie deux référentiels différents", [])
            )
            continue
        pair = frozenset((a, b))
        if pair in seen:
            problems.append(
                (("liens", i), f"lien en double : {a[0]} {a[1]} et {b[0]} {b[1]}", [seen[pair]])
            )
            continue
        seen[pair] = i
    kept = sorted(seen.values())
    liens = [corr.liens[i] for i in kept]
    edges = _inclusions(liens)
    for j, lien in enumerate(liens):
        a, b = _node(lien.exigence), _node(lien.comparee_a)
        if lien.relation is Relation.RECOUPEMENT:
            chain = _path(edges, a, b) or _path(edges, b, a)
            what = "recoupement contredit par"
        elif lien.relation is Relation.INCLUSE:
            chain = _path(edges, b, a)  # B ⊆ … ⊆ A while A ⊂ B
            what = "inclusion stricte contredite par"
        elif lien.relation is Relation.ENGLOBANTE:
            chain = _path(edges, a, b)
            what = "inclusion stricte contredite par"
        else:
            continue
        if chain:
            others = [kept[k] for k in chain]
            problems.append(
                (
                    ("liens", kept[j], "relation"),
                    f"relations contradictoires : {lien.lu()}, {what} "
                    + " ; ".join(liens[k].lu() for k in chain),
                    others,
                )
            )
    return problems
