"""What the templates show of an evaluation: score rows per principle, answers by exigence."""

from __future__ import annotations

from typing import Any

from cens_eval.model.display import percent
from cens_eval.model.questionnaire import PreuveFournie, Questionnaire, Reponse
from cens_eval.model.referentiel import PreuveAttendue
from cens_eval.model.results import ResultatReferentiel
from cens_eval.model.vocabulary import PRINCIPE_LABELS, Niveau, Principe, TypePreuve

HERE = {"profil": "enregistrer-profil", "dossier": "dossier", "classeur": "classeur"}
"""The places of the éditeur's page a form returns to, besides an exigence (their anchors)."""

FIELDS_BY_TYPE = {
    TypePreuve.DOCUMENT: ("fichier", "upload", "url"),
    TypePreuve.CAPTURE: ("fichier", "upload", "url"),
    TypePreuve.PANEL_UTILISATEURS: ("fichier", "upload", "url"),
    TypePreuve.URL: ("url",),
    TypePreuve.DECLARATION: ("declaration",),
    TypePreuve.ATTESTATION_SUR_L_HONNEUR: ("fichier", "upload"),
    TypePreuve.MESURE: ("valeur", "fichier", "upload", "url"),
}
"""The inputs a preuve of each type is given by (the loader refuses the other forms)."""


def preuve_fields(attendue: PreuveAttendue, given: PreuveFournie | None) -> set[str]:
    """The inputs shown for an expected preuve: those of its type, and any already filled in.

    A value saved in another form (a questionnaire written by hand) stays shown, never dropped.
    """
    fields = set(FIELDS_BY_TYPE[attendue.type])
    if given is not None:
        fields |= {
            name
            for name in ("fichier", "url", "declaration", "valeur")
            if getattr(given, name) is not None
        }
    return fields


def score_rows(result: ResultatReferentiel) -> list[tuple[str, str, str]]:
    """(principle, mandatory score, préconisations score): the whole référentiel first."""
    rows = []
    for principe in (None, *Principe):
        figures = [
            next((s for s in result.scores if s.niveau is n and s.principe is principe), None)
            for n in (Niveau.EXIGENCE, Niveau.PRECONISATION)
        ]
        if principe is not None and all(f is None or not f.comptees for f in figures):
            continue
        label = "Ensemble" if principe is None else PRINCIPE_LABELS[principe]
        shown = [percent(f.score) if f is not None else "—" for f in figures]
        rows.append((label, shown[0], shown[1]))
    return rows


def answer(q: Questionnaire | None, ref_id: str, exigence_id: str) -> Reponse | None:
    """The saved (or posted) answer to one exigence."""
    if q is None:
        return None
    return q.reponses.get(ref_id, {}).get(exigence_id)


def given(reponse: Reponse | None, attendue: str) -> PreuveFournie | None:
    """The first preuve given for an expected one."""
    if reponse is None:
        return None
    return next((p for p in reponse.preuves if p.attendue == attendue), None)


def helpers() -> dict[str, Any]:
    """The functions and labels the templates use."""
    from cens_eval.engine.progress import ETAT_LABELS
    from cens_eval.model.vocabulary import (
        NIVEAU_LABELS,
        RESULTAT_LABELS,
        STATUT_LABELS,
        VERDICT_LABELS,
        Statut,
    )

    return {
        "score_rows": score_rows,
        "answer": answer,
        "given": given,
        "preuve_fields": preuve_fields,
        "percent": percent,
        "PRINCIPE_LABELS": PRINCIPE_LABELS,
        "NIVEAU_LABELS": NIVEAU_LABELS,
        "RESULTAT_LABELS": RESULTAT_LABELS,
        "STATUT_LABELS": STATUT_LABELS,
        "VERDICT_LABELS": VERDICT_LABELS,
        "STATUTS": list(Statut),
        "ETAT_LABELS": ETAT_LABELS,
    }


def with_pending(
    as_written: Questionnaire, evaluable: Questionnaire, pending: set[str]
) -> Questionnaire:
    """``evaluable`` with the preuves of ``as_written`` citing a ``pending`` file put back.

    The loader leaves out a preuve whose file is not in the folder yet; a file chosen in the
    form and not yet saved will be there once saved, so the live score counts it as given.
    """
    reponses: dict[str, dict[str, Reponse]] = {}
    for ref, answers in as_written.reponses.items():
        reponses[ref] = {}
        for exigence, reponse in answers.items():
            kept = evaluable.reponses.get(ref, {}).get(exigence)
            given = kept.preuves if kept is not None else []
            preuves = [p for p in reponse.preuves if p in given or p.fichier in pending]
            reponses[ref][exigence] = reponse.model_copy(update={"preuves": preuves})
    return evaluable.model_copy(update={"reponses": reponses})
