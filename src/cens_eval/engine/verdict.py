"""The verdict rule, one for the engine and the review: conforme when every mandatory one is met.

Préconisations never block. A mandatory exigence is one whose level at the evaluation date is
*exigence* (a préconisation past its mandatory date included); it is met when the scoring
table says its outcome satisfies it. When a blocking gap rests on an exigence cens-eval
reconstituted (no official text behind it), the explanation says so, and that it is to be
confirmed with the official text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cens_eval.model.fidelity import reconstituted_caveat
from cens_eval.model.results import Blocage, ResultatExigence
from cens_eval.model.versions import RULES_VERSION
from cens_eval.model.vocabulary import Niveau, Verdict


@dataclass(frozen=True)
class Conclusion:
    """The verdict, why, and the blocking gaps it names."""

    verdict: Verdict
    explication: str
    bloquantes: list[Blocage]


def is_blocking(niveau_effectif: Niveau, satisfaite: bool) -> bool:
    """Whether an exigence blocks the verdict: mandatory at the date, and not met."""
    return niveau_effectif is Niveau.EXIGENCE and not satisfaite


def verdict_of(bloquantes: Sequence[object]) -> Verdict:
    """Conforme exactly when no exigence blocks (préconisations never do)."""
    return Verdict.NON_CONFORME if bloquantes else Verdict.CONFORME


def explain(
    bloquantes: Sequence[str],
    mandatory: int,
    *,
    after_review: bool = False,
    regles: int = RULES_VERSION,
) -> str:
    """Why the verdict is what it is: the one wording of the engine and of the review.

    Args:
        bloquantes: the ids of the blocking exigences, in order.
        mandatory: how many exigences are mandatory at the date.
        after_review: the verdict drawn from an evaluator's assessed outcomes (« après revue »).
        regles: the rules version of the dossier; a review under rules v1 keeps the wording
            cens-eval 0.1.0 recorded, so that its ``revue.json`` is reproduced byte for byte.
    """
    review = " après revue" if after_review else ""
    if bloquantes:
        return (
            f"{len(bloquantes)} exigence(s) obligatoire(s) sur {mandatory} non satisfaite(s)"
            f"{review} : {', '.join(bloquantes)}"
        )
    if mandatory == 0:
        return "aucune exigence obligatoire applicable"
    if after_review and regles == 1:
        return f"les {mandatory} exigence(s) obligatoire(s) applicable(s) sont satisfaites{review}"
    if mandatory == 1:
        return f"l'unique exigence obligatoire applicable est satisfaite{review}"
    return f"les {mandatory} exigences obligatoires applicables sont satisfaites{review}"


def conclude(exigences: Sequence[ResultatExigence]) -> Conclusion:
    """The verdict over a référentiel's results, naming every blocking gap."""
    bloquantes = [
        Blocage(
            id=r.id,
            libelle=r.libelle,
            resultat=r.resultat,
            raison=" ; ".join(r.explication),
            fidelite=r.fidelite,
        )
        for r in exigences
        if is_blocking(r.niveau_effectif, r.satisfaite)
    ]
    mandatory = sum(1 for r in exigences if r.niveau_effectif is Niveau.EXIGENCE)
    explication = explain([b.id for b in bloquantes], mandatory)
    caveat = reconstituted_caveat([(b.id, b.fidelite) for b in bloquantes])
    if caveat:
        explication += f". {caveat}"
    return Conclusion(verdict_of(bloquantes), explication, bloquantes)
