"""A preuve's dates in words, for the pages: when it was made, what it covers, until when it counts.

Expiry is read at the evaluation date, from the ages the evaluation recorded (never the clock):
« expire le J » is the first day it would count as missing, « expirée depuis le J » the same
day once passed, as the explanations of the dossier say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from cens_eval.model.dossier import Dossier
from cens_eval.model.duree import duree_texte
from cens_eval.model.questionnaire import Periode, Questionnaire
from cens_eval.model.referentiel import Referentiel
from cens_eval.model.results import AgePreuve, Evaluation


def dates_text(date: dt.date | None, periode: Periode | None) -> str | None:
    """« datée du 09/10/2026, période du 01/01/2026 au 30/06/2026 »; None when undated."""
    parts = []
    if date is not None:
        parts.append(f"datée du {date:%d/%m/%Y}")
    if periode is not None:
        parts.append(f"période du {periode.debut:%d/%m/%Y} au {periode.fin:%d/%m/%Y}")
    return ", ".join(parts) or None


def expiry_text(age: AgePreuve) -> str:
    """« expire le 10/10/2027 (âge maximal 1 an) » or « expirée depuis le … : comptée comme manquante »."""
    first_day_out = age.valable_jusqu_au + dt.timedelta(days=1)
    limit = f"âge maximal {duree_texte(age.age_max)}"
    if age.expiree:
        return f"expirée depuis le {first_day_out:%d/%m/%Y} ({limit}) : comptée comme manquante"
    return f"expire le {first_day_out:%d/%m/%Y} ({limit})"


def preuve_dates_text(
    date: dt.date | None, periode: Periode | None, age: AgePreuve | None, age_max: str | None
) -> str | None:
    """Everything a page says about one preuve's dates; None when it has none and no limit."""
    parts = [p for p in (dates_text(date, periode),) if p]
    if age is not None:
        parts.append(expiry_text(age))
    elif age_max is not None:
        parts.append(f"non datée : son âge maximal ({duree_texte(age_max)}) ne peut être vérifié")
    text = " ; ".join(parts)
    return text[:1].upper() + text[1:] if text else None


def first_ages(ages: Iterable[AgePreuve]) -> dict[str, AgePreuve]:
    """The age of the first dated preuve given for each expected preuve."""
    found: dict[str, AgePreuve] = {}
    for a in ages:
        found.setdefault(a.attendue, a)
    return found


def questionnaire_dates(
    q: Questionnaire, refs: Iterable[Referentiel], evaluation: Evaluation | None
) -> dict[tuple[str, str, str], str]:
    """What the éditeur's page says of each expected preuve's dates, by its place.

    Keyed by (référentiel, exigence, expected preuve): the first preuve given for it, as
    evaluated at the page's date.
    """
    results = {
        (r.id, e.id): e
        for r in (evaluation.referentiels if evaluation else [])
        for e in r.exigences
    }
    shown: dict[tuple[str, str, str], str] = {}
    for ref in refs:
        for exigence in ref.exigences:
            reponse = q.reponses.get(ref.id, {}).get(exigence.id)
            result = results.get((ref.id, exigence.id))
            ages = first_ages(result.ages if result else [])
            na = exigence.non_applicable.preuves if exigence.non_applicable else []
            for p in [*exigence.preuves, *na]:
                g = (
                    next((x for x in reponse.preuves if x.attendue == p.id), None)
                    if reponse
                    else None
                )
                if g is None:
                    continue
                text = preuve_dates_text(
                    g.date, g.periode, ages.get(p.id), exigence.age_max_de(p.id)
                )
                if text:
                    shown[(ref.id, exigence.id, p.id)] = text
    return shown


def dossier_dates(dossier: Dossier) -> dict[tuple[str, str, int], str]:
    """What the evaluator's page says of each preuve's dates, at the dossier's evaluation date.

    Keyed by (référentiel, exigence, rank of the preuve among the exigence's).
    """
    shown: dict[tuple[str, str, int], str] = {}
    for r in dossier.resultats:
        for e in r.exigences:
            ages = {(a.attendue, a.datee_du): a for a in e.ages}
            for index, p in enumerate(e.preuves):
                day = p.date or (p.periode.fin if p.periode else None)
                age = ages.get((p.attendue, day)) if day else None
                text = preuve_dates_text(p.date, p.periode, age, None)
                if text:
                    shown[(r.id, e.id, index)] = text
    return shown
