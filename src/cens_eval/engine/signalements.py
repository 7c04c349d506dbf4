"""Éthicovigilance figures (pure): which signalements concern a solution, the report, the journal."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal

from cens_eval.model.signalement import (
    CompteExigence,
    CompteSolution,
    Duree,
    Etape,
    Rapport,
    Registre,
    Signalement,
    SignalementExtrait,
    SolutionVisee,
)
from cens_eval.model.vocabulary import Principe

# ---- which signalements concern a solution ----------------------------------------------------


def _name(text: str) -> str:
    return " ".join(text.split()).casefold()


def about(visee: SolutionVisee, editeur: str, solution: str) -> bool:
    """Whether a signalement's solution is this one (same names, case and spacing aside)."""
    return (_name(visee.editeur), _name(visee.solution)) == (_name(editeur), _name(solution))


def concerning(registre: Registre, editeur: str, solution: str) -> list[Signalement]:
    """The signalements about a solution (same éditeur and solution names, case and spacing aside)."""
    return [s for s in registre.signalements if about(s.solution, editeur, solution)]


def editeur_view(s: Signalement) -> SignalementExtrait:
    """What the éditeur's dossier may carry of a signalement: steps and dates, no account of facts.

    The published response is the only text, and only once published (it is public then).
    """
    decision, contact, publication = s.recevabilite, s.contact_editeur, s.publication
    return SignalementExtrait(
        id=s.id,
        solution=s.solution,
        declarant=s.declarant,
        etape=s.etape,
        recu_le=s.recu_le,
        decide_le=decision.date if decision else None,
        instruit_le=s.instruction.date if s.instruction else None,
        editeur_sollicite_le=contact.date_demande if contact else None,
        editeur_a_repondu_le=contact.date_reponse if contact else None,
        publie_le=publication.date if publication else None,
        principes=list(s.principes),
        exigences=list(s.exigences),
        reponse_publiee=publication.reponse if publication else None,
    )


def published(registre: Registre) -> list[Signalement]:
    """The published signalements, by publication date then id (the public activity journal)."""
    done = [s for s in registre.signalements if s.publication is not None]
    return sorted(done, key=lambda s: (s.publication.date if s.publication else s.recu_le, s.id))


# ---- the report -------------------------------------------------------------------------------


_STEPS: tuple[tuple[str, str, str], ...] = (
    ("recueil → décision du comité", "recu_le", "recevabilite"),
    ("décision → instruction", "recevabilite", "instruction"),
    ("instruction → demande à l'éditeur", "instruction", "demande"),
    ("demande → réponse de l'éditeur", "demande", "reponse"),
    ("réponse → publication", "reponse", "publication"),
    ("recueil → publication (en tout)", "recu_le", "publication"),
)


def _milestones(s: Signalement) -> dict[str, dt.date | None]:
    contact = s.contact_editeur
    return {
        "recu_le": s.recu_le,
        "recevabilite": s.recevabilite.date if s.recevabilite else None,
        "instruction": s.instruction.date if s.instruction else None,
        "demande": contact.date_demande if contact else None,
        "reponse": contact.date_reponse if contact else None,
        "publication": s.publication.date if s.publication else None,
    }


def report(registre: Registre, libelles: Mapping[tuple[str, str], str] | None = None) -> Rapport:
    """Counts by step, principle, référentiel, exigence and solution; time in each step; gaps.

    ``libelles`` gives the label of each (référentiel, exigence), to name the exigences counted.
    """
    signalements = registre.signalements
    par_etape = Counter(s.etape for s in signalements)
    par_principe = Counter(p for s in signalements for p in dict.fromkeys(s.principes))
    par_exigence = Counter(
        (e.referentiel, e.exigence) for s in signalements for e in dict.fromkeys(s.exigences)
    )
    par_referentiel = Counter(
        r for s in signalements for r in dict.fromkeys(e.referentiel for e in s.exigences)
    )
    par_solution = Counter((s.solution.editeur, s.solution.solution) for s in signalements)
    durees = []
    for label, start, end in _STEPS:
        days = []
        for s in signalements:
            marks = _milestones(s)
            first, last = marks[start], marks[end]
            if first is not None and last is not None:
                days.append((last - first).days)
        durees.append(
            Duree(
                etape=label,
                signalements=len(days),
                mediane=Decimal(str(statistics.median(days))) if days else None,
                pire=max(days) if days else None,
            )
        )
    return Rapport(
        total=len(signalements),
        par_etape={e: par_etape[e] for e in Etape if par_etape[e]},
        par_principe={p: par_principe[p] for p in Principe if par_principe[p]},
        par_referentiel=dict(sorted(par_referentiel.items(), key=lambda x: (-x[1], x[0]))),
        par_exigence=[
            CompteExigence(
                referentiel=r, exigence=e, libelle=(libelles or {}).get((r, e)), signalements=n
            )
            for (r, e), n in sorted(par_exigence.items(), key=lambda x: (-x[1], x[0]))
        ],
        par_solution=[
            CompteSolution(editeur=e, solution=name, signalements=n)
            for (e, name), n in sorted(par_solution.items(), key=lambda x: (-x[1], x[0]))
        ],
        durees=durees,
        sans_exigence=[s.id for s in signalements if not s.exigences],
        evolutions=[(s.id, e) for s in signalements for e in s.evolutions],
    )
