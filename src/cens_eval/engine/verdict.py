"""The verdict of a référentiel: conforme only when every mandatory exigence is met (pure).

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
from cens_eval.model.vocabulary import Niveau, Verdict


@dataclass(frozen=True)
class Conclusion:
    """The verdict, why, and the blocking gaps it names."""

    verdict: Verdict
    explication: str
    bloquantes: list[Blocage]


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
        if r.niveau_effectif is Niveau.EXIGENCE and not r.satisfaite
    ]
    mandatory = sum(1 for r in exigences if r.niveau_effectif is Niveau.EXIGENCE)
    if bloquantes:
        explication = (
            f"{len(bloquantes)} exigence(s) obligatoire(s) sur {mandatory} non satisfaite(s) : "
            + ", ".join(b.id for b in bloquantes)
        )
        caveat = reconstituted_caveat([(b.id, b.fidelite) for b in bloquantes])
        if caveat:
            explication += f". {caveat}"
        return Conclusion(Verdict.NON_CONFORME, explication, bloquantes)
    if mandatory == 0:
        explication = "aucune exigence obligatoire applicable"
    elif mandatory == 1:
        explication = "l'unique exigence obligatoire applicable est satisfaite"
    else:
        explication = f"les {mandatory} exigences obligatoires applicables sont satisfaites"
    return Conclusion(Verdict.CONFORME, explication, [])
