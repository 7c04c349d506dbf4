"""Compare two versions of a référentiel (pure): exigences added, removed, renamed, modified.

A renamed exigence is never guessed from a similar text: the new version says it, with
``remplace: ANCIEN_ID``, and what it says is followed even between ids both versions share (two
exigences swapping their ids, a cycle, a chain): see :func:`predecessors`. Each modification is named (statement, level, principle, weight,
evidence expected, applicability, phase-in date, and the editorial fields) and says whether an
answer given before is to be reconfirmed (:data:`~cens_eval.model.diff.A_RECONFIRMER`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cens_eval.model.applicability import describe
from cens_eval.model.condition import Condition
from cens_eval.model.diff import (
    A_RECONFIRMER,
    Changement,
    DiffReferentiels,
    Modification,
    Nature,
    Version,
)
from cens_eval.model.fidelity import FIDELITE_LABELS
from cens_eval.model.grid import preuve_piece
from cens_eval.model.referentiel import Exigence, NonApplicable, PreuveAttendue, Referentiel
from cens_eval.model.vocabulary import NIVEAU_LABELS, PRINCIPE_LABELS


@dataclass(frozen=True)
class Succession:
    """Which exigence of the old version each exigence of the new one continues."""

    before: dict[str, str]
    """The old id of each new exigence that continues one (renamed or not), by its new id."""
    split: dict[str, tuple[str, ...]]
    """Old exigences several new ones declare they replace, continued by none: their claimants."""


def predecessors(ancien: Referentiel, nouveau: Referentiel) -> Succession:
    """The exigence of ``ancien`` that each exigence of ``nouveau`` continues, by the new id.

    A ``remplace`` naming an exigence of ``ancien`` is followed whatever ids the two versions
    share: ETH.13 ↔ ETH.14 swapped, a cycle of renames, a chain (B replaces A, C replaces B).
    An exigence that declares nothing continues the one of its id, unless another exigence
    declares it replaces that one: the id is then reused by a new exigence. An exigence that
    several declare they replace (a split) is continued by none of them: nothing is chosen for
    the reader. A ``remplace`` naming no exigence of ``ancien`` (an older version's id) says
    nothing about these two versions.
    """
    old_ids = {e.id for e in ancien.exigences}
    claims: dict[str, list[str]] = {}
    for e in nouveau.exigences:
        if e.remplace is not None and e.remplace in old_ids:
            claims.setdefault(e.remplace, []).append(e.id)
    before: dict[str, str] = {}
    for e in nouveau.exigences:
        if e.remplace in claims:
            if len(claims[e.remplace]) == 1:
                before[e.id] = e.remplace
        elif e.id in old_ids and e.id not in claims:
            before[e.id] = e.id
    split = {old_id: tuple(ids) for old_id, ids in claims.items() if len(ids) > 1}
    return Succession(before, split)


def diff_referentiels(ancien: Referentiel, nouveau: Referentiel) -> DiffReferentiels:
    """Every difference between two référentiels, usually two versions of one.

    Args:
        ancien: the version answered so far.
        nouveau: the version to move to; its ``remplace`` fields name renamed exigences
            (followed as :func:`predecessors` says).

    Returns:
        The header's changes, then one change per exigence added, renamed or modified (in the
        new version's order) and removed (in the old version's order). An id reused by a new
        exigence may appear twice: added (or renamed to) in the new version, and removed.
    """
    old = {e.id: e for e in ancien.exigences}
    succession = predecessors(ancien, nouveau)
    changes: list[Changement] = []
    for e in nouveau.exigences:
        before = succession.before.get(e.id)
        if before is None:
            notes = _split_note(succession, e.id, new=True)
            changes.append(
                Changement(nature=Nature.AJOUTEE, id=e.id, libelle=e.libelle, modifications=notes)
            )
            continue
        modifications = exigence_changes(old[before], e)
        if before != e.id:
            changes.append(
                Changement(
                    nature=Nature.RENOMMEE,
                    id=e.id,
                    ancien_id=before,
                    libelle=e.libelle,
                    modifications=modifications,
                )
            )
        elif modifications:
            changes.append(
                Changement(
                    nature=Nature.MODIFIEE, id=e.id, libelle=e.libelle, modifications=modifications
                )
            )
    continued = set(succession.before.values())
    changes += [
        Changement(
            nature=Nature.SUPPRIMEE,
            id=e.id,
            libelle=e.libelle,
            modifications=_split_note(succession, e.id, new=False),
        )
        for e in ancien.exigences
        if e.id not in continued
    ]
    return DiffReferentiels(
        ancien=Version(id=ancien.id, version=ancien.version),
        nouveau=Version(id=nouveau.id, version=nouveau.version),
        en_tete=header_changes(ancien, nouveau),
        exigences=changes,
    )


def _split_note(succession: Succession, exigence_id: str, *, new: bool) -> list[Modification]:
    """What a split means for an exigence: the old one several replace, or one of those."""
    if not new:
        if exigence_id not in succession.split:
            return []
        claimants = ", ".join(succession.split[exigence_id])
        description = f"remplacée à la fois par {claimants} : sa réponse n'est reportée sur aucune"
        return [Modification(champ="remplace", description=description)]
    return [
        Modification(
            champ="remplace",
            description=f"déclare remplacer {old_id}, comme "
            f"{', '.join(i for i in claimants if i != exigence_id)} : aucune réponse n'est reportée",
        )
        for old_id, claimants in succession.split.items()
        if exigence_id in claimants
    ]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _condition(condition: Condition | None) -> str:
    return describe(condition) if condition is not None else "toujours"


_Words = Callable[[Any], str | None]

_FIELDS: list[tuple[str, str, _Words, bool, str]] = [
    # (field, name in the description, value in words, whether its texts are long, its absence)
    ("libelle", "libellé", _text, True, "aucun"),
    ("enonce", "énoncé", _text, True, "aucun"),
    ("section", "section", _text, False, "aucune"),
    ("principe", "principe", lambda v: PRINCIPE_LABELS[v], False, "aucun"),
    ("niveau", "niveau", lambda v: NIVEAU_LABELS[v].lower(), False, "aucun"),
    ("obligatoire_a_partir_du", "date d'obligation", _text, False, "aucune"),
    ("applicable_si", "condition d'applicabilité", _condition, False, "aucune"),
    ("poids", "poids", _text, False, "aucun"),
    ("age_max", "âge maximal des preuves", _text, False, "aucun"),
    ("fidelite", "fidélité", lambda v: FIDELITE_LABELS[v], False, "aucune"),
    ("theme", "thème", _text, False, "aucun"),
    ("theme_exception", "exception de thème", _text, True, "aucune"),
    ("note", "note", _text, True, "aucune"),
]


def exigence_changes(ancien: Exigence, nouveau: Exigence) -> list[Modification]:
    """The fields of one exigence that differ between two versions, each named.

    The ``remplace`` field is not compared: it speaks of the version before.
    """
    changes: list[Modification] = []
    for field, name, words, long, absent in _FIELDS:
        before, after = getattr(ancien, field), getattr(nouveau, field)
        if before == after:
            continue
        shown_before, shown_after = words(before), words(after)
        description = (
            f"{name} modifié"
            if long and before is not None and after is not None
            else f"{name} : {shown_before or absent} → {shown_after or absent}"
        )
        changes.append(_modification(field, description, shown_before, shown_after))
    changes += _preuves("preuves", "preuve attendue", ancien.preuves, nouveau.preuves)
    changes += _non_applicable(ancien.non_applicable, nouveau.non_applicable)
    if ancien.source != nouveau.source:
        changes.append(
            _modification(
                "source",
                "source modifiée",
                _source_text(ancien),
                _source_text(nouveau),
            )
        )
    if ancien.choix_du_projet != nouveau.choix_du_projet:
        changes.append(
            _modification(
                "choix_du_projet",
                "choix du projet modifiés",
                "\n".join(f"{c.porte_sur} : {c.raison}" for c in ancien.choix_du_projet) or None,
                "\n".join(f"{c.porte_sur} : {c.raison}" for c in nouveau.choix_du_projet) or None,
            )
        )
    return changes


def _modification(
    field: str, description: str, before: str | None, after: str | None
) -> Modification:
    return Modification(
        champ=field,
        description=description,
        avant=before,
        apres=after,
        a_reconfirmer=field in A_RECONFIRMER,
    )


def _preuves(
    field: str, name: str, before: Sequence[PreuveAttendue], after: Sequence[PreuveAttendue]
) -> list[Modification]:
    old = {p.id: p for p in before}
    new = {p.id: p for p in after}
    changes = []
    for p in after:
        if p.id not in old:
            changes.append(_modification(field, f"{name} ajoutée : {p.id}", None, preuve_piece(p)))
        elif old[p.id] != p:
            what = [
                label
                for key, label in (
                    ("type", "type"),
                    ("libelle", "libellé"),
                    ("obligatoire", "obligation"),
                    ("unite", "unité"),
                    ("seuil", "seuil"),
                )
                if getattr(old[p.id], key) != getattr(p, key)
            ]
            changes.append(
                _modification(
                    field,
                    f"{name} {p.id} modifiée ({', '.join(what)})",
                    preuve_piece(old[p.id]),
                    preuve_piece(p),
                )
            )
    changes += [
        _modification(field, f"{name} supprimée : {p.id}", preuve_piece(p), None)
        for p in before
        if p.id not in new
    ]
    return changes


def _non_applicable(
    before: NonApplicable | None, after: NonApplicable | None
) -> list[Modification]:
    if before == after:
        return []
    field = "non_applicable"
    if before is None or after is None:
        what = "ajoutée" if before is None else "supprimée"
        return [_modification(field, f"déclaration de non-applicabilité {what}", None, None)]
    changes = []
    if before.conditions != after.conditions:
        changes.append(
            _modification(
                field,
                "conditions de non-applicabilité modifiées",
                before.conditions,
                after.conditions,
            )
        )
    if before.exige_hors_profil != after.exige_hors_profil:
        words = {True: "oui", False: "non"}
        changes.append(
            _modification(
                field,
                f"preuve de non-applicabilité exigée hors profil : "
                f"{words[before.exige_hors_profil]} → {words[after.exige_hors_profil]}",
                words[before.exige_hors_profil],
                words[after.exige_hors_profil],
            )
        )
    return changes + _preuves(field, "preuve de non-applicabilité", before.preuves, after.preuves)


def _source_text(e: Exigence) -> str:
    """The source note of an exigence: document, locator and what the passage supports."""
    text = f"{e.source.document} — {e.source.localisation}"
    appui = e.source.appuie
    if appui and (appui.niveau or appui.preuves):
        words = (["niveau"] if appui.niveau else []) + appui.preuves
        text += f" (appuie : {', '.join(words)})"
    return text


_HEADER: list[tuple[str, str, _Words]] = [
    ("id", "identifiant", _text),
    ("version", "version", _text),
    ("titre", "titre", _text),
    ("type", "type", _text),
    ("statut", "statut", _text),
    ("date_publication", "date de publication", _text),
    ("date_arrete", "date de l'arrêté", _text),
    ("base_legale", "base légale", _text),
    ("description", "description", _text),
    ("applicable_si", "condition d'applicabilité du référentiel", _condition),
]


def header_changes(ancien: Referentiel, nouveau: Referentiel) -> list[Modification]:
    """The header fields, sources and sections that differ between two référentiels."""
    changes = []
    for field, name, words in _HEADER:
        before, after = getattr(ancien, field), getattr(nouveau, field)
        if before != after:
            shown_before, shown_after = words(before), words(after)
            long = field in ("titre", "base_legale", "description")
            description = (
                f"{name} modifié(e)"
                if long and before is not None and after is not None
                else f"{name} : {shown_before or 'aucun(e)'} → {shown_after or 'aucun(e)'}"
            )
            changes.append(
                Modification(
                    champ=field, description=description, avant=shown_before, apres=shown_after
                )
            )
    for field, name, old_items, new_items in (
        ("sources", "source", ancien.sources, nouveau.sources),
        ("sections", "section", ancien.sections, nouveau.sections),
    ):
        old = {item.id: item for item in old_items}
        new = {item.id: item for item in new_items}
        for key in new:
            if key not in old:
                changes.append(Modification(champ=field, description=f"{name} ajoutée : {key}"))
            elif old[key] != new[key]:
                changes.append(Modification(champ=field, description=f"{name} modifiée : {key}"))
        changes += [
            Modification(champ=field, description=f"{name} supprimée : {key}")
            for key in old
            if key not in new
        ]
    return changes
