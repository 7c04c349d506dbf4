"""Pure applicability: which référentiels and exigences apply to a profil, and why.

An exigence whose condition is false is *hors périmètre*: not asked, never scored — unless
its ``non_applicable`` block says the proof is still required outside the case it targets
(``exige_hors_profil``, e.g. the sworn statement of ETH.09.1 when the solution never records):
then it stays asked (``non_applicable_a_justifier``) and the éditeur claims it non applicable
with that proof. Without that field, a ``non_applicable`` block describes a non-applicability
*inside* the profil (CE-LGC-09: data reused, but only anonymised), and proves nothing outside it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cens_eval.model.condition import (
    Condition,
    DansListe,
    Egal,
    Non,
    Tous,
    UnParmi,
    Valeur,
    leaves,
)
from cens_eval.model.profil import Profil, VocabulaireProfil
from cens_eval.model.referentiel import Exigence, Referentiel
from cens_eval.model.vocabulary import Portee


def _egal(c: Any, profil: Profil) -> bool:
    return _same(profil.get(c.question), c.equals)


def _dans_liste(c: Any, profil: Profil) -> bool:
    answer = profil.get(c.question)
    return any(_same(answer, v) for v in c.in_)


def _tous(c: Any, profil: Profil) -> bool:
    return all(holds(sub, profil) for sub in c.all)


def _un_parmi(c: Any, profil: Profil) -> bool:
    return any(holds(sub, profil) for sub in c.any)


def _non(c: Any, profil: Profil) -> bool:
    return not holds(c.not_, profil)


_EVALUATORS: dict[type, Callable[[Any, Profil], bool]] = {
    Egal: _egal,
    DansListe: _dans_liste,
    Tous: _tous,
    UnParmi: _un_parmi,
    Non: _non,
}


def _same(answer: Valeur | None, value: Valeur) -> bool:
    # True == 1 in Python: compare types too, so a boolean never matches a choice.
    return answer is not None and type(answer) is type(value) and answer == value


def holds(condition: Condition | None, profil: Profil) -> bool:
    """Whether a condition is true for a profil; no condition means always true."""
    if condition is None:
        return True
    return _EVALUATORS[type(condition)](condition, profil)


def scope(exigence: Exigence, profil: Profil) -> Portee:
    """The scope of one exigence for a profil."""
    if holds(exigence.applicable_si, profil):
        return Portee.APPLICABLE
    if exigence.non_applicable is not None and exigence.non_applicable.exige_hors_profil:
        return Portee.NON_APPLICABLE_A_JUSTIFIER
    return Portee.HORS_PERIMETRE


def referentiel_applies(ref: Referentiel, profil: Profil) -> bool:
    """Whether a référentiel as a whole applies to a profil."""
    return holds(ref.applicable_si, profil)


def describe(condition: Condition, vocabulaire: VocabulaireProfil | None = None) -> str:
    """The condition in words, for explanations: ``utilise_ia = oui et audience ∈ {patients}``.

    With the profil ``vocabulaire``, questions and choices are named by their labels, as the
    éditeur read them: ``« La solution intègre-t-elle … ? » = oui``.
    """

    def said(c: Condition) -> str:
        match c:
            case Egal(question=q, equals=v):
                return f"{_question(q, vocabulaire)} = {_word(v, q, vocabulaire)}"
            case DansListe(question=q, in_=values):
                words = ", ".join(_word(v, q, vocabulaire) for v in values)
                return f"{_question(q, vocabulaire)} ∈ {{{words}}}"
            case Tous(all=subs):
                return "(" + " et ".join(said(s) for s in subs) + ")" if subs else "toujours"
            case UnParmi(any=subs):
                return "(" + " ou ".join(said(s) for s in subs) + ")"
            case Non(not_=sub):
                return f"non {said(sub)}"
        raise TypeError(c)  # pragma: no cover - the union is closed

    return said(condition)


def unmet(
    condition: Condition, profil: Profil, vocabulaire: VocabulaireProfil | None = None
) -> str:
    """Why a condition the profil does not meet is unmet, the profil's actual answers named.

    ``le profil répond non à « L'éditeur conçoit-il … ? » (la condition demande oui)``; for a
    condition over several questions, the condition then each answer it reads.
    """

    def answer(question_id: str) -> str:
        value = profil.get(question_id)
        return "sans réponse" if value is None else _word(value, question_id, vocabulaire)

    match condition:
        case Egal(question=q, equals=v):
            asked = _word(v, q, vocabulaire)
            return f"le profil répond {answer(q)} à {_question(q, vocabulaire)} (la condition demande {asked})"
        case DansListe(question=q, in_=values):
            asked = ", ".join(_word(v, q, vocabulaire) for v in values)
            return (
                f"le profil répond {answer(q)} à {_question(q, vocabulaire)} "
                f"(la condition demande l'un de {{{asked}}})"
            )
    questions = dict.fromkeys(q for _, q, _ in leaves(condition))
    answers = ", ".join(f"{_question(q, vocabulaire)} = {answer(q)}" for q in questions)
    return (
        f"condition non remplie — {describe(condition, vocabulaire)} ; le profil répond {answers}"
    )


def _question(question_id: str, vocabulaire: VocabulaireProfil | None) -> str:
    question = vocabulaire.question(question_id) if vocabulaire else None
    return f"« {question.libelle} »" if question else question_id


def _word(
    value: Valeur, question_id: str = "", vocabulaire: VocabulaireProfil | None = None
) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    question = vocabulaire.question(question_id) if vocabulaire else None
    choice = next((c for c in question.choix if c.id == value), None) if question else None
    return f"« {choice.libelle} »" if choice else value


def questions_needed(referentiels: list[Referentiel], profil: Profil) -> set[str]:
    """The profil questions the référentiels' conditions read, given the answers so far.

    A référentiel's own condition is always read; the conditions of its exigences only once
    that condition is fully answered and holds (the IA sub-questions once « utilise l'IA ? » is
    answered oui). A question outside this set does not apply: a form need not ask it.
    """

    def read(condition: Condition | None) -> set[str]:
        return {question for _, question, _ in leaves(condition)} if condition else set()

    needed: set[str] = set()
    for ref in referentiels:
        own = read(ref.applicable_si)
        needed |= own
        if own <= set(profil) and referentiel_applies(ref, profil):
            for exigence in ref.exigences:
                needed |= read(exigence.applicable_si)
    return needed
