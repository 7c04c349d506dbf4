"""The rules of a register of signalements: impossible paths, unknown exigences, personal data.

The rules of a signalement's path: a committee decision comes before any instruction; an
instruction names two distinct rapporteurs; the éditeur is contacted only once instructed; a
response is published only after the éditeur answered, validated by it, and once a person has
confirmed the anonymisation; dates never go backwards, and a date after today (given by the
caller, never read here) is a warning. Free texts go through the privacy screen
(:mod:`cens_eval.model.signalement_privacy`): what certainly identifies a person is an error in
what is published and a warning elsewhere; a possible name is a warning everywhere.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from cens_eval.model.signalement import (
    Registre,
    Signalement,
)
from cens_eval.model.signalement_privacy import Trouvaille, screen

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Constat:
    """A problem found in a register, at a place of the document."""

    loc: Loc
    message: str
    avertissement: bool = False


def _texts(s: Signalement) -> Iterator[tuple[Loc, str, bool]]:
    """Every free text of a signalement, where it is, and whether it is published."""
    yield ("faits",), s.faits, False
    if s.recevabilite is not None and s.recevabilite.motif:
        yield ("recevabilite", "motif"), s.recevabilite.motif, False
    if s.contact_editeur is not None and s.contact_editeur.reponse:
        yield ("contact_editeur", "reponse"), s.contact_editeur.reponse, False
    if s.publication is not None:
        yield ("publication", "reponse"), s.publication.reponse, True
        for i, action in enumerate(s.publication.actions):
            yield ("publication", "actions", i), action, True
    for i, evolution in enumerate(s.evolutions):
        yield ("evolutions", i, "description"), evolution.description, False


# ---- the rules of a register ------------------------------------------------------------------


def check(
    registre: Registre, exigences: Mapping[str, Sequence[str]], *, today: dt.date | None = None
) -> list[Constat]:
    """Every problem of a register; ``exigences`` lists the exigence ids of each référentiel.

    ``today``: the caller's date (the machine's, at the command line); a later date is a warning.
    """
    found: list[Constat] = []
    seen: dict[str, int] = {}
    for i, s in enumerate(registre.signalements):
        at: Loc = ("signalements", i)
        if s.id in seen:
            found.append(
                Constat((*at, "id"), f"signalement {s.id} déjà donné (n° {seen[s.id] + 1})")
            )
        seen.setdefault(s.id, i)
        found += [Constat((*at, *loc), msg, warn) for loc, msg, warn in _path(s, today)]
        found += [Constat((*at, *loc), msg) for loc, msg in _references(s, exigences)]
        known = (s.solution.editeur, s.solution.solution)
        for loc, text, published in _texts(s):
            for trouvaille in screen(text, known):
                message = _privacy_message(trouvaille, published, "actions" in loc)
                warn = not (published and trouvaille.certain)
                found.append(Constat((*at, *loc), message, avertissement=warn))
    return found


def _privacy_message(trouvaille: Trouvaille, published: bool, action: bool) -> str:
    shown = _quoted(trouvaille.passages)
    text = "l'action publiée" if action else "la réponse publiée"
    if trouvaille.certain and published:
        return f"{text} contient une donnée personnelle ({trouvaille.kind}) : {shown} — à retirer"
    if trouvaille.certain:
        return f"donnée personnelle possible ({trouvaille.kind}) : {shown} — à retirer avant publication"
    if published:
        return (
            f"{text} contient peut-être un nom de personne : {shown} — à vérifier avant de "
            "confirmer l'anonymisation"
        )
    return f"nom de personne possible : {shown} — à retirer avant publication s'il en est un"


def _quoted(passages: Sequence[str], most: int = 3) -> str:
    shown = ", ".join(f"« {p} »" for p in passages[:most])
    return shown + (f" et {len(passages) - most} autre(s)" if len(passages) > most else "")


def _path(s: Signalement, today: dt.date | None) -> Iterator[tuple[Loc, str, bool]]:
    """Steps out of order, missing or contradictory, dates going backwards or after ``today``."""
    decision, instruction, contact, publication = (
        s.recevabilite,
        s.instruction,
        s.contact_editeur,
        s.publication,
    )
    if decision is not None and not decision.recevable and not decision.motif:
        yield ("recevabilite", "motif"), "signalement non recevable sans motif", False
    if instruction is not None:
        if decision is None:
            yield ("instruction",), "instruit sans décision de recevabilité du comité", False
        elif not decision.recevable:
            yield ("instruction",), "instruit alors que le comité l'a jugé non recevable", False
        names = {" ".join(r.split()).casefold() for r in instruction.rapporteurs}
        if len(instruction.rapporteurs) != 2 or len(names) != 2:
            yield (
                ("instruction", "rapporteurs"),
                f"deux rapporteurs distincts attendus ({len(names)} donné(s))",
                False,
            )
    if contact is not None:
        if instruction is None:
            yield ("contact_editeur",), "éditeur contacté avant l'instruction", False
        if (contact.reponse is None) != (contact.date_reponse is None):
            yield (
                ("contact_editeur",),
                "réponse de l'éditeur et date de réponse vont ensemble",
                False,
            )
    if publication is not None:
        if contact is None or contact.reponse is None:
            yield ("publication",), "publié sans réponse de l'éditeur", False
        if not publication.validee_par_editeur:
            yield (
                ("publication", "validee_par_editeur"),
                "la réponse publiée doit être validée par l'éditeur",
                False,
            )
        if publication.anonymisation is None:
            yield (
                ("publication", "anonymisation"),
                "publication sans confirmation de l'anonymisation : indiquer qui a vérifié que les "
                "textes publiés n'identifient personne et quand (anonymisation : verifiee_par, "
                "verifiee_le) — aucun filtre automatique n'est complet",
                False,
            )
    checked = publication.anonymisation if publication else None
    dates: list[tuple[Loc, str, dt.date | None]] = [
        (("recu_le",), "date de réception", s.recu_le),
        (("recevabilite", "date"), "date de décision du comité", decision.date if decision else None),
        (("instruction", "date"), "date d'instruction", instruction.date if instruction else None),
        (("contact_editeur", "date_demande"), "date de demande à l'éditeur", contact.date_demande if contact else None),
        (("contact_editeur", "date_reponse"), "date de réponse de l'éditeur", contact.date_reponse if contact else None),
        (("publication", "anonymisation", "verifiee_le"), "date de vérification de l'anonymisation", checked.verifiee_le if checked else None),
        (("publication", "date"), "date de publication", publication.date if publication else None),
    ]  # fmt: skip
    known = [(loc, what, day) for loc, what, day in dates if day is not None]
    for loc, what, day in known:
        if today is not None and day > today:
            yield (
                loc,
                f"{what} ({day:%d/%m/%Y}) postérieure à la date du jour ({today:%d/%m/%Y}) : "
                "date à vérifier",
                True,
            )
    for (_, before, day_before), (loc, what, day) in pairwise(known):
        if day < day_before:
            yield (
                loc,
                f"{what} ({day:%d/%m/%Y}) antérieure à la {before} ({day_before:%d/%m/%Y})",
                False,
            )


def _references(
    s: Signalement, exigences: Mapping[str, Sequence[str]]
) -> Iterator[tuple[Loc, str]]:
    """Référentiels and exigences named by a signalement that the catalogue does not hold."""
    for i, visee in enumerate(s.exigences):
        why = _unknown(visee.referentiel, visee.exigence, exigences)
        if why:
            field = "exigence" if visee.referentiel in exigences else "referentiel"
            yield ("exigences", i, field), why
    for i, evolution in enumerate(s.evolutions):
        if evolution.referentiel not in exigences:
            yield ("evolutions", i, "referentiel"), f"référentiel inconnu : {evolution.referentiel}"
        elif evolution.nature == "modifier":
            if evolution.exigence is None:
                yield ("evolutions", i), "exigence à modifier non précisée"
            else:
                why = _unknown(evolution.referentiel, evolution.exigence, exigences)
                if why:
                    yield ("evolutions", i, "exigence"), why
        elif (
            evolution.exigence is not None
            and evolution.exigence in exigences[evolution.referentiel]
        ):
            yield (
                ("evolutions", i, "exigence"),
                f"exigence {evolution.exigence} existe déjà : « modifier » attendu",
            )


def _unknown(referentiel: str, exigence: str, exigences: Mapping[str, Sequence[str]]) -> str | None:
    if referentiel not in exigences:
        known = ", ".join(sorted(exigences))
        return f"référentiel inconnu : {referentiel} (disponibles : {known})"
    ids = exigences[referentiel]
    if exigence in ids:
        return None
    close = difflib.get_close_matches(exigence, list(ids), n=1)
    hint = f" (voulez-vous dire {close[0]} ?)" if close else ""
    return f"exigence inconnue dans {referentiel} : {exigence}{hint}"
