"""How a review template shows each exigence since the previous reviewed dossier, in French."""

from __future__ import annotations

from cens_eval.model.evolution import (
    CAUSE_LABELS,
    NATURE_LABELS,
    NatureEvolution,
    RevueAnterieure,
    SuiviExigence,
)
from cens_eval.model.review import AVIS_LABELS
from cens_eval.model.vocabulary import RESULTAT_LABELS

UNCHANGED = "Inchangée"
"""The word that starts the mark of an exigence unchanged since the previous review."""


def previous_text(prior: RevueAnterieure) -> str:
    """The template's line about the previous review: which one, how many exigences unchanged."""
    return (
        f"Revue précédente : {prior.dossier} (version {prior.solution_version}, évaluée au "
        f"{prior.as_of:%d/%m/%Y}, revue le {prior.date_revue:%d/%m/%Y} par {prior.evaluateur}) ; "
        f"{prior.inchangees} exigence(s) inchangée(s) depuis, marquées « {UNCHANGED} » avec l'avis "
        "précédent en suggestion : à confirmer, chaque exigence garde son avis à donner."
    )


def mark_text(prior: RevueAnterieure, s: SuiviExigence | None) -> str:
    """One exigence since the previous review: unchanged (with its avis), changed (how, why), new."""
    when = f"la revue du {prior.date_revue:%d/%m/%Y}"
    if s is None:
        return f"Non revue le {prior.date_revue:%d/%m/%Y} : à revoir entièrement."
    if s.nature is NatureEvolution.NOUVEAU:
        return f"Nouvelle depuis {when} ({_causes(s)}) : à revoir entièrement."
    previous = _avis(s)
    if s.inchangee:
        return f"{UNCHANGED} depuis {when} : {previous}."
    if s.nature is None:  # same outcome and answer, only a preuve's date or period moved
        return f"Changée depuis {when} : date ou période d'une preuve ; {previous}, à revoir."
    return (
        f"Changée depuis {when} : {NATURE_LABELS[s.nature]} ({_causes(s)}) ; {previous}, à revoir."
    )


def suggestion(s: SuiviExigence | None) -> str | None:
    """The avis suggested for an unchanged exigence (its previous avis), else None."""
    if s is None or not s.inchangee or s.avis is None:
        return None
    return s.avis.value


def _causes(s: SuiviExigence) -> str:
    return "cause : " + (", ".join(CAUSE_LABELS[c] for c in s.causes) or "—")


def _avis(s: SuiviExigence) -> str:
    if s.avis is None:
        return "aucun avis précédent"
    text = f"avis précédent « {AVIS_LABELS[s.avis]} »"
    if s.resultat_evalue is not None:
        text += f", résultat retenu : {RESULTAT_LABELS[s.resultat_evalue].lower()}"
    if s.commentaire:
        text += f", commentaire : {s.commentaire}"
    return text
