"""Resolve the answers a questionnaire takes from another référentiel (``reprise``), by reference.

The correspondence file of the référentiels' folder says which exigences may share an answer
(:mod:`cens_eval.model.reprises`). A reprise is checked (the source exists, is answered by this
questionnaire, is in scope, is linked to the cible; no cycle) and resolved each time the
questionnaire is read: changing the source changes every answer taken from it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cens_eval.constants import CORRESPONDANCES_FILE
from cens_eval.errors import Problem
from cens_eval.loader.document import Document
from cens_eval.loader.messages import problem_at
from cens_eval.model.applicability import referentiel_applies, scope
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.correspondances import CorrespondancesReferentiels
from cens_eval.model.profil import Profil
from cens_eval.model.questionnaire import Questionnaire, Reponse, Reprise
from cens_eval.model.referentiel import Exigence, Referentiel
from cens_eval.model.reprises import (
    LienReprise,
    RepriseProposee,
    lien_reprise,
    plus_restrictive,
    reprises_proposees,
)
from cens_eval.model.vocabulary import Portee

CONFIRM_IN_FILE = "écrire « confirmee: true » dans la reprise"
CONFIRM_IN_WORKBOOK = "choisir « oui » dans la colonne « Reprise confirmée »"
"""How to confirm a pre-fill, in a YAML or JSON questionnaire and in a workbook."""

Noeud = tuple[str, str]
Loc = tuple[str | int, ...]


@dataclass
class Resolution:
    """What resolving the reprises found: problems, and the questionnaire to evaluate."""

    questionnaire: Questionnaire
    correspondances: tuple[Path, str] | None = None
    """The correspondence file read (path, SHA-256), when an answer takes from another."""
    errors: list[Problem] = field(default_factory=list)
    gaps: list[Problem] = field(default_factory=list)


def correspondances_file(catalogue: Catalogue) -> Path | None:
    """The correspondence file of the catalogue's folder, or None when it has none."""
    if catalogue.vocabulaire_fichier is None:
        return None
    path = catalogue.vocabulaire_fichier.parent / CORRESPONDANCES_FILE
    return path if path.is_file() else None


def resolve_reprises(
    doc: Document,
    questionnaire: Questionnaire,
    referentiels: list[Referentiel],
    catalogue: Catalogue,
) -> Resolution:
    """The questionnaire with every reprise replaced by the answer it takes (see module doc).

    Each answer that takes from others gets the most restrictive of its counted sources'
    statut, justification and engagement, and the preuves of that source it expects, then its
    own preuves; its ``reprise`` lists the sources, the one taken first, each ``confirmee``
    when it counts. An answer whose only sources are partial links not confirmed is left
    without statut (not counted) and listed as a gap.

    Raises:
        LoadError: the correspondence file is invalid.
    """
    asked = {
        (ref.id, e.id)
        for ref in referentiels
        if referentiel_applies(ref, questionnaire.profil)
        for e in ref.exigences
        if scope(e, questionnaire.profil) is not Portee.HORS_PERIMETRE
    }
    written = {  # an answer outside the profil is ignored (a warning says so), its reprise too
        (ref_id, ex_id): reponse
        for ref_id, answers in questionnaire.reponses.items()
        for ex_id, reponse in answers.items()
        if reponse.reprise and (ref_id, ex_id) in asked
    }
    result = Resolution(questionnaire)
    if not written:
        return result
    path = correspondances_file(catalogue)
    if path is None:
        first = next(iter(written))
        result.errors.append(
            problem_at(
                doc,
                ("reponses", *first, "reprise"),
                f"reprise impossible : pas de fichier {CORRESPONDANCES_FILE} dans le dossier "
                "des référentiels",
            )
        )
        return result
    from cens_eval.loader.correspondances import load_correspondances

    read = load_correspondances(path, catalogue, {r.id for r in referentiels})
    corr = read.correspondances
    result.correspondances = (read.path, read.sha256)
    refs = {r.id: r for r in referentiels}
    links: dict[Noeud, list[tuple[Reprise, LienReprise]]] = {}
    for cible, reponse in written.items():
        checked = _check(doc, questionnaire, refs, corr, cible, reponse, result.errors)
        if checked is not None:
            links[cible] = checked
    if result.errors:
        return result
    for cycle in _cycles(links):
        chain = " → ".join(f"{r} {e}" for r, e in [*cycle, cycle[0]])
        result.errors.append(
            problem_at(doc, _loc(doc, cycle[0], 0), f"reprise circulaire : {chain}")
        )
    if result.errors:
        return result
    resolved: dict[Noeud, Reponse] = {}

    def answer(node: Noeud) -> Reponse | None:
        if node in resolved:
            return resolved[node]
        own = questionnaire.reponse(*node)
        if own is None or node not in links:
            return own
        counted = []
        for reprise, lien in links[node]:
            source = answer((reprise.referentiel, reprise.exigence))
            if lien.complete or reprise.confirmee:
                counted.append((reprise, source))
            else:
                result.gaps.append(
                    problem_at(
                        doc,
                        _loc(doc, node, links[node].index((reprise, lien))),
                        f"réponse pré-remplie depuis {reprise} (lien partiel : {node[1]} "
                        f"{lien.relation} {reprise}), "
                        "non comptée : vérifier qu'elle vaut pour cette exigence, puis "
                        + (CONFIRM_IN_WORKBOOK if doc.cells is not None else CONFIRM_IN_FILE),
                    )
                )
        resolved[node] = _taken(refs[node[0]].exigence(node[1]), own, links[node], counted)
        return resolved[node]

    reponses = {
        ref_id: {ex_id: answer((ref_id, ex_id)) or reponse for ex_id, reponse in answers.items()}
        for ref_id, answers in questionnaire.reponses.items()
    }
    result.questionnaire = questionnaire.model_copy(update={"reponses": reponses})
    return result


def _taken(
    exigence: Exigence | None,
    own: Reponse,
    linked: list[tuple[Reprise, LienReprise]],
    counted: list[tuple[Reprise, Reponse | None]],
) -> Reponse:
    """The answer of a cible: the most restrictive counted source's, with the preuves it expects.

    Its ``reprise`` lists every source, the one taken first, each ``confirmee`` when counted.
    """
    kept = {id(r) for r, _ in counted}
    marks = [r.model_copy(update={"confirmee": id(r) in kept}) for r, _ in linked]
    if not counted:
        return own.model_copy(update={"reprise": marks})
    reprise, source = plus_restrictive(counted, lambda item: item[1].statut if item[1] else None)
    first = next(i for i, (r, _) in enumerate(linked) if r is reprise)
    marks.insert(0, marks.pop(first))
    if source is None or exigence is None:
        return own.model_copy(update={"reprise": marks})
    own_ids = {p.attendue for p in own.preuves}
    shared = [
        p
        for p in source.preuves
        if exigence.preuve(p.attendue) is not None and p.attendue not in own_ids
    ]
    return own.model_copy(
        update={
            "statut": source.statut,
            "justification": source.justification,
            "engagement": source.engagement,
            "preuves": [*shared, *own.preuves],
            "reprise": marks,
        }
    )


def _check(
    doc: Document,
    q: Questionnaire,
    refs: dict[str, Referentiel],
    corr: CorrespondancesReferentiels,
    cible: Noeud,
    reponse: Reponse,
    errors: list[Problem],
) -> list[tuple[Reprise, LienReprise]] | None:
    """The links of one answer's reprises, or None after adding its problems to ``errors``."""
    base: Loc = ("reponses", *cible)
    before = len(errors)
    own = [k for k in ("statut", "justification", "engagement") if getattr(reponse, k) is not None]
    if own:
        errors.append(
            problem_at(
                doc,
                (*base, own[0]),
                f"une réponse reprise ne porte ni {', ni '.join(own)} : ils viennent de "
                f"{reponse.reprise[0]} (retirer « reprise » pour répondre soi-même)",
            )
        )
    found: list[tuple[Reprise, LienReprise]] = []
    for i, reprise in enumerate(reponse.reprise):
        loc = _loc(doc, cible, i)
        problem = _refused(q, refs, corr, cible, reprise)
        if isinstance(problem, str):
            errors.append(problem_at(doc, loc, problem))
        else:
            found.append((reprise, problem))
    return found if len(errors) == before else None


def _refused(
    q: Questionnaire,
    refs: dict[str, Referentiel],
    corr: CorrespondancesReferentiels,
    cible: Noeud,
    reprise: Reprise,
) -> str | LienReprise:
    """Why a reprise is refused, or the link it goes through."""
    if reprise.referentiel == cible[0]:
        return "une réponse se reprend d'un autre référentiel, pas du même"
    ref = refs.get(reprise.referentiel)
    if ref is None:
        return (
            f"reprise de {reprise} impossible : le questionnaire ne répond pas au référentiel "
            f"{reprise.referentiel} (referentiels : {', '.join(sorted(refs))})"
        )
    exigence = ref.exigence(reprise.exigence)
    if exigence is None:
        close = difflib.get_close_matches(reprise.exigence, [e.id for e in ref.exigences], n=1)
        hint = f" (voulez-vous dire {close[0]} ?)" if close else ""
        return f"exigence {reprise.exigence} inconnue dans {ref.id} {ref.version}{hint}"
    for ref_id in (cible[0], ref.id):
        version = corr.version(ref_id)
        if version != refs[ref_id].version:
            written = f"la version {version}" if version else "aucune version"
            return (
                f"reprise de {reprise} impossible : les correspondances couvrent {written} de "
                f"{ref_id}, le questionnaire répond à {ref_id} {refs[ref_id].version}"
            )
    if not referentiel_applies(ref, q.profil):
        return f"reprise de {reprise} impossible : le référentiel {ref.id} ne s'applique pas à ce profil"
    if scope(exigence, q.profil) is Portee.HORS_PERIMETRE:
        return f"reprise de {reprise} impossible : cette exigence est hors périmètre pour ce profil"
    lien = lien_reprise(corr, cible, (reprise.referentiel, reprise.exigence))
    if lien is None:
        return (
            f"reprise de {reprise} impossible : aucune correspondance entre {cible[0]} "
            f"{cible[1]} et {reprise} dans {CORRESPONDANCES_FILE}"
        )
    return lien


def _loc(doc: Document, cible: Noeud, i: int) -> Loc:
    """Where the i-th reprise of an answer is written (a single mapping has no index)."""
    raw: Any = doc.data
    for part in ("reponses", *cible, "reprise"):
        raw = raw.get(part) if isinstance(raw, dict) else None
    loc: Loc = ("reponses", *cible, "reprise")
    return (*loc, i) if isinstance(raw, list) else loc


def _cycles(links: dict[Noeud, list[tuple[Reprise, LienReprise]]]) -> list[list[Noeud]]:
    """Each cycle of reprises once (as the nodes met, from the first one in file order)."""
    state: dict[Noeud, int] = {}
    cycles: list[list[Noeud]] = []

    def visit(node: Noeud, path: list[Noeud]) -> None:
        state[node] = 1
        path.append(node)
        for reprise, _ in links.get(node, []):
            nxt = (reprise.referentiel, reprise.exigence)
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt) :])
            elif nxt not in state:
                visit(nxt, path)
        path.pop()
        state[node] = 2

    for node in links:
        if node not in state:
            visit(node, [])
    return cycles


def proposed_reprises(
    catalogue: Catalogue, profil: Profil, referentiels: list[Referentiel]
) -> list[RepriseProposee]:
    """The answers a new questionnaire may take from another of its référentiels.

    Read from the correspondence file of the catalogue's folder (none when it has no such
    file, or when it is written for other versions of these référentiels).

    Raises:
        LoadError: the correspondence file is invalid.
    """
    path = correspondances_file(catalogue)
    if path is None:
        return []
    from cens_eval.loader.correspondances import load_correspondances

    corr = load_correspondances(path, catalogue).correspondances
    covered = [r for r in referentiels if corr.version(r.id) == r.version]
    en_perimetre = [
        (r.id, e.id)
        for r in covered
        for e in r.exigences
        if scope(e, profil) is not Portee.HORS_PERIMETRE
    ]
    return reprises_proposees(corr, en_perimetre)
