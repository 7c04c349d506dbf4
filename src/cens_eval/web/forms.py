"""Posted forms read into the library's models; every bad value becomes a French message.

Only the fields the page shows are read, by the ids of the référentiels and exigences known to
the server: a posted name the page did not offer is ignored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from cens_eval.loader.messages import french_message
from cens_eval.model.profil import TypeQuestion, VocabulaireProfil
from cens_eval.model.questionnaire import Questionnaire, Reponse
from cens_eval.model.referentiel import Exigence, Referentiel
from cens_eval.model.review import Revue


class FormError(ValueError):
    """A posted value the models refuse, with every problem in French."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


Form = Mapping[str, str]


def key(*parts: str) -> str:
    """A form field's name from its parts (référentiel, exigence, preuve…)."""
    return "__".join(parts)


FIRST_YEAR, LAST_YEAR = 1900, 2999
"""The years a date typed in a form may have (beyond, a slip of the keyboard)."""


def parse_date(value: str, label: str) -> dt.date:
    """A date written ``AAAA-MM-JJ`` in the years accepted, or a FormError naming the field."""
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise FormError([f"{label} : date attendue au format AAAA-MM-JJ"]) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise FormError([f"{label} : année attendue entre {FIRST_YEAR} et {LAST_YEAR}"])
    return day


def profil_values(form: Form, vocabulaire: VocabulaireProfil) -> dict[str, Any]:
    """The profil answers posted (``profil__QUESTION``); an unanswered question is left out."""
    profil: dict[str, Any] = {}
    problems = []
    for q in vocabulaire.questions:
        raw = form.get(key("profil", q.id), "").strip()
        if not raw:
            continue
        if q.type is TypeQuestion.BOOLEEN:
            if raw not in ("oui", "non"):
                problems.append(f"{q.libelle} : répondre oui ou non")
                continue
            profil[q.id] = raw == "oui"
        elif raw in {c.id for c in q.choix}:
            profil[q.id] = raw
        else:
            problems.append(f"{q.libelle} : réponse inconnue « {raw[:40]} »")
    if problems:
        raise FormError(problems)
    return profil


def identity(form: Form) -> dict[str, Any]:
    """The éditeur and the solution posted."""
    editeur = {"nom": form.get("editeur_nom", "").strip()}
    if siren := form.get("editeur_siren", "").strip():
        editeur["siren"] = siren
    if contact := form.get("editeur_contact", "").strip():
        editeur["contact"] = contact
    solution = {
        "nom": form.get("solution_nom", "").strip(),
        "version": form.get("solution_version", "").strip(),
    }
    return {"editeur": editeur, "solution": solution}


def preuve_dates(form: Form, field: tuple[str, ...], label: str) -> dict[str, Any]:
    """A preuve's ``date`` and ``periode`` as posted (both ends of a period, or none)."""
    dates: dict[str, Any] = {}
    if day := form.get(key(*field, "date"), "").strip():
        dates["date"] = parse_date(day, f"{label}, date")
    debut = form.get(key(*field, "periode_debut"), "").strip()
    fin = form.get(key(*field, "periode_fin"), "").strip()
    if bool(debut) != bool(fin):
        raise FormError([f"{label}, période : donner le début et la fin (ou aucun des deux)"])
    if debut:
        dates["periode"] = {
            "debut": parse_date(debut, f"{label}, début de période"),
            "fin": parse_date(fin, f"{label}, fin de période"),
        }
    return dates


def reponse(
    form: Form, ref: Referentiel, exigence: Exigence, uploaded: Callable[[str], str | None]
) -> dict[str, Any] | None:
    """One exigence's answer as posted; None when nothing is filled in.

    Args:
        form: the posted fields.
        ref: the référentiel.
        exigence: the exigence.
        uploaded: the path (``preuves/…``) of a file uploaded in a field, or None.
    """
    base = (ref.id, exigence.id)
    data: dict[str, Any] = {}
    if statut := form.get(key(*base, "statut"), "").strip():
        data["statut"] = statut
    if justification := form.get(key(*base, "justification"), "").strip():
        data["justification"] = justification
    preuves = []
    expected = list(exigence.preuves) + list(
        exigence.non_applicable.preuves if exigence.non_applicable else []
    )
    for attendue in expected:
        field = (*base, "preuve", attendue.id)
        given: dict[str, Any] = {"attendue": attendue.id}
        fichier = uploaded(key(*field, "upload")) or form.get(key(*field, "fichier"), "").strip()
        for name, value in (
            ("fichier", fichier),
            ("url", form.get(key(*field, "url"), "").strip()),
            ("declaration", form.get(key(*field, "declaration"), "").strip()),
            ("valeur", form.get(key(*field, "valeur"), "").strip().replace(",", ".")),
        ):
            if value:
                given[name] = value
        dates = preuve_dates(form, field, f"{exigence.id}, preuve {attendue.id}")
        if len(given) > 1:
            preuves.append(given | dates)
        elif dates:
            raise FormError(
                [
                    f"{exigence.id}, preuve {attendue.id} : une date sans fichier, adresse, "
                    "déclaration ni valeur ; donner la preuve ou effacer sa date"
                ]
            )
    if preuves:
        data["preuves"] = preuves
    action = form.get(key(*base, "engagement_action"), "").strip()
    echeance = form.get(key(*base, "engagement_echeance"), "").strip()
    if action or echeance:
        data["engagement"] = {"action": action, "echeance": echeance}
    return data or None


def keep_unshown(answer: dict[str, Any], previous: Reponse) -> dict[str, Any]:
    """The posted answer with the saved preuves the form does not show kept as they were.

    The form shows one preuve per expected preuve (the first saved); a questionnaire written by
    hand or converted from a workbook may give several: the others are never dropped by a save.
    """
    shown: set[str] = set()
    kept = []
    for preuve in previous.preuves:
        if preuve.attendue in shown:
            kept.append(preuve.model_dump(exclude_none=True))
        shown.add(preuve.attendue)
    if not kept:
        return answer
    return {**answer, "preuves": [*answer.get("preuves", []), *kept]}


def questionnaire(data: dict[str, Any]) -> Questionnaire:
    """Validate questionnaire data with the library's model, problems in French."""
    try:
        return Questionnaire.model_validate(data)
    except ValidationError as exc:
        raise FormError(_problems(exc)) from None


def revue(data: dict[str, Any]) -> Revue:
    """Validate review data with the library's model, problems in French."""
    try:
        return Revue.model_validate(data)
    except ValidationError as exc:
        raise FormError(_problems(exc)) from None


def _problems(exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        where = " › ".join(str(p) for p in err["loc"] if not str(p).startswith("function-"))
        out.append(f"{where} : {french_message(err)}" if where else french_message(err))
    return out
