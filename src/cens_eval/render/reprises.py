"""Where answers taken from another référentiel come from, as short French lines."""

from __future__ import annotations

from collections.abc import Sequence

from cens_eval.model.applicability import scope
from cens_eval.model.profil import Profil
from cens_eval.model.questionnaire import Reprise
from cens_eval.model.referentiel import Referentiel
from cens_eval.model.reprises import RepriseProposee
from cens_eval.model.results import ResultatReferentiel
from cens_eval.model.vocabulary import Portee


def provenance(reprises: Sequence[Reprise]) -> str | None:
    """« reprise de ia-sante CE-IA-17 », or « pré-remplie depuis … » when it is not counted."""
    if not reprises:
        return None
    first = reprises[0]
    if not first.confirmee:
        return f"pré-remplie depuis {first}, à confirmer (non comptée)"
    return f"reprise de {first}"


def reprises_text(ref: ResultatReferentiel) -> list[str]:
    """The référentiel's answers taken from another référentiel, one line each (none: [])."""
    lines = [f"  - {r.id} : réponse {provenance(r.reprises)}" for r in ref.exigences if r.reprises]
    return ["", "  Réponses reprises d'un autre référentiel :", *lines] if lines else []


def saving_text(
    reprises: Sequence[RepriseProposee], profil: Profil, referentiels: Sequence[Referentiel]
) -> str | None:
    """« 1 réponse reprise sur 56 … » for a new questionnaire (None when nothing is taken)."""
    if not reprises:
        return None
    total = sum(
        1
        for r in referentiels
        for e in r.exigences
        if scope(e, profil) is not Portee.HORS_PERIMETRE
    )
    full = sum(1 for r in reprises if r.lien.complete)
    partial = len(reprises) - full
    text = f"{full} réponse{'s' if full > 1 else ''} reprise{'s' if full > 1 else ''} sur {total}"
    text += " grâce aux correspondances entre référentiels (réponse donnée une fois, par référence)"
    if partial:
        text += (
            f", et {partial} pré-remplie{'s' if partial > 1 else ''} à confirmer "
            f"(lien partiel : non comptée{'s' if partial > 1 else ''} avant confirmation)"
        )
    return text + "."


def reprise_review_hint(reprises: Sequence[Reprise]) -> list[str]:
    """For the review template: where the answer comes from, and the avis it may share."""
    if not reprises:
        return []
    first = reprises[0]
    if not first.confirmee:
        return [f"Réponse {provenance(reprises)} : rien à revoir tant qu'elle n'est pas confirmée."]
    return [
        f"Réponse {provenance(reprises)}, par référence : même déclaration, mêmes preuves. "
        f"L'avis donné sur {first.referentiel} {first.exigence} peut être repris ici, sauf "
        "s'il porte sur ce que cette exigence demande en propre."
    ]
