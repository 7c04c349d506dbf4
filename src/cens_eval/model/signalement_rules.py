"""The rules of a register of signalements: impossible paths, unknown exigences, personal data.

The rules of a signalement's path: a committee decision comes before any instruction; an
instruction names two distinct rapporteurs; the éditeur is contacted only once instructed; a
response is published only after the éditeur answered, and validated by it; dates never go
backwards. Free texts are screened before publication for what would identify a person
(e-mail addresses, phone numbers, NIR-like numbers, a name after « M. » or « Mme »): a warning
while the case is instructed, an error in what is published.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from cens_eval.model.signalement import (
    Registre,
    Signalement,
)

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Constat:
    """A problem found in a register, at a place of the document."""

    loc: Loc
    message: str
    avertissement: bool = False


# ---- privacy screen ---------------------------------------------------------------------------

_PERSONAL: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("adresse électronique", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    (
        "numéro de téléphone",
        re.compile(r"(?<!\d)(?:\+33[\s.]?|0033[\s.]?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)"),
    ),
    (
        "numéro de sécurité sociale (NIR)",
        re.compile(
            r"(?<!\d)[12][\s.]?\d{2}[\s.]?\d{2}[\s.]?(?:\d{2}|2[AB])(?:[\s.]?\d{3}){2}(?:[\s.]?\d{2})?(?!\d)"
        ),
    ),
    (
        "nom de personne après une civilité",
        re.compile(r"\b(?:M\.|Mme|Mlle|Mr|Monsieur|Madame|Docteur|Dr)\s+[A-ZÀ-Ý][\w'-]+"),
    ),
)


def personal_data(text: str) -> list[str]:
    """What in a free text would identify a person (kinds found, in the screen's order)."""
    return [kind for kind, pattern in _PERSONAL if pattern.search(text)]


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


def check(registre: Registre, exigences: Mapping[str, Sequence[str]]) -> list[Constat]:
    """Every problem of a register; ``exigences`` lists the exigence ids of each référentiel."""
    found: list[Constat] = []
    seen: dict[str, int] = {}
    for i, s in enumerate(registre.signalements):
        at: Loc = ("signalements", i)
        if s.id in seen:
            found.append(
                Constat((*at, "id"), f"signalement {s.id} déjà donné (n° {seen[s.id] + 1})")
            )
        seen.setdefault(s.id, i)
        found += [Constat((*at, *loc), msg, warn) for loc, msg, warn in _path(s)]
        found += [Constat((*at, *loc), msg) for loc, msg in _references(s, exigences)]
        for loc, text, published in _texts(s):
            for kind in personal_data(text):
                if published:
                    message = (
                        f"la réponse publiée contient une donnée personnelle ({kind}) : à retirer"
                    )
                else:
                    message = f"donnée personnelle possible ({kind}) : à retirer avant publication"
                found.append(Constat((*at, *loc), message, avertissement=not published))
    return found


def _path(s: Signalement) -> Iterator[tuple[Loc, str, bool]]:
    """Steps out of order, missing or contradictory, and dates going backwards."""
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
    dates: list[tuple[Loc, str, dt.date | None]] = [
        (("recu_le",), "date de réception", s.recu_le),
        (("recevabilite", "date"), "date de décision du comité", decision.date if decision else None),
        (("instruction", "date"), "date d'instruction", instruction.date if instruction else None),
        (("contact_editeur", "date_demande"), "date de demande à l'éditeur", contact.date_demande if contact else None),
        (("contact_editeur", "date_reponse"), "date de réponse de l'éditeur", contact.date_reponse if contact else None),
        (("publication", "date"), "date de publication", publication.date if publication else None),
    ]  # fmt: skip
    known = [(loc, what, day) for loc, what, day in dates if day is not None]
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
