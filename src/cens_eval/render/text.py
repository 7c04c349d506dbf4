"""Plain-text report of an evaluation for the terminal (French)."""

from __future__ import annotations

from cens_eval.model.display import percent
from cens_eval.model.fidelity import COUNTS_TITLE, FIDELITE_LABELS, counts_text
from cens_eval.model.results import (
    ECHEANCE_LABELS,
    EtatPreparation,
    Evaluation,
    PointPreparation,
    ResultatReferentiel,
)
from cens_eval.model.vocabulary import (
    PRINCIPE_LABELS,
    RESULTAT_LABELS,
    VERDICT_LABELS,
    Niveau,
    Principe,
    Verdict,
)
from cens_eval.render.reprises import reprises_text


def render_text(evaluation: Evaluation) -> list[str]:
    """Verdicts, per-principle table, blocking gaps and échéances, one string per line.

    Texts from the inputs are as they were read: print each line with a function that shows
    control characters as escapes (the command line's ``echo``), never joined and sent raw.
    """
    lines = [f"Évaluation au {evaluation.as_of:%d/%m/%Y}"]
    if evaluation.valide_jusqu_au is not None:
        lines.append(
            f"Valable jusqu'au {evaluation.valide_jusqu_au:%d/%m/%Y} (première preuve datée à renouveler)"
        )
    lines.append("")
    for ref in evaluation.referentiels:
        lines += _referentiel(ref, evaluation.preparation.du_referentiel(ref.id))
    for skipped in evaluation.referentiels_non_applicables:
        lines.append(f"{skipped.id} : {skipped.raison}")
    if evaluation.referentiels_non_applicables:
        lines.append("")
    lines.append("Échéances")
    if not evaluation.echeances:
        lines.append("  aucune")
    for e in evaluation.echeances:
        kind = ECHEANCE_LABELS[e.categorie].lower()
        lines.append(f"  {e.date:%d/%m/%Y}  {e.referentiel} {e.exigence} — {kind} : {e.libelle}")
    return lines


def _referentiel(ref: ResultatReferentiel, preparation: EtatPreparation) -> list[str]:
    verdict = VERDICT_LABELS[ref.verdict]
    if not preparation.complet:  # a verdict never stands alone when something is missing
        # « mais » only where the verdict is good news: a non conforme has nothing to contrast
        but = " — mais" if ref.verdict is Verdict.CONFORME else " —"
        verdict += f"{but} {preparation.resume()}"
    lines = [
        f"{ref.titre}",
        f"{ref.id} {ref.version} — verdict : {verdict}",
        f"  {ref.explication}",
        f"  {COUNTS_TITLE} : {counts_text(ref.par_fidelite())}",
        *_preparation(preparation),
        "",
        f"  {'Principe':<22}{'Obligatoires':>16}{'Préconisations':>18}",
    ]
    for principe in (*Principe, None):
        label = PRINCIPE_LABELS[principe] if principe else "Ensemble"
        cells = []
        for niveau in Niveau:
            score = ref.score(niveau, principe)
            counted = len(score.comptees)
            cells.append(f"{percent(score.score)} ({counted})" if counted else "—")
        lines.append(f"  {label:<22}{cells[0]:>16}{cells[1]:>18}")
    lines.append("  (entre parenthèses : nombre d'exigences comptées)")
    lines += _excluded(ref)
    if ref.bloquantes:
        lines += ["", "  Exigences bloquantes :"]
        for b in ref.bloquantes:
            lines.append(
                f"  - {b.id} [{FIDELITE_LABELS[b.fidelite]}] {b.libelle} — "
                f"{RESULTAT_LABELS[b.resultat].lower()} : {b.raison}"
            )
    unmet = [
        r for r in ref.exigences if r.niveau_effectif is Niveau.PRECONISATION and not r.satisfaite
    ]
    if unmet:
        lines += ["", "  Préconisations non satisfaites (non bloquantes) :"]
        for r in unmet:
            lines.append(f"  - {r.id} {r.libelle} — {RESULTAT_LABELS[r.resultat].lower()}")
    lines += reprises_text(ref)
    lines.append("")
    return lines


def _excluded(ref: ResultatReferentiel) -> list[str]:
    """The in-scope exigences left out of the Ensemble figures, so that counts add up.

    The verdict counts every mandatory exigence in scope (« 2 … sur 12 »); the score leaves out
    those whose outcome earns no credit (non applicable justifié): each is named, with why.
    """
    outside = {e.id for e in ref.hors_perimetre}
    lines = []
    for niveau, kind in (
        (Niveau.EXIGENCE, "Obligatoires"),
        (Niveau.PRECONISATION, "Préconisations"),
    ):
        score = ref.score(niveau, None)
        excluded = [e for e in score.exclues if e.id not in outside]
        if not excluded:
            continue
        counted = len(score.comptees)
        named = ", ".join(f"{e.id} ({e.raison})" for e in excluded)
        lines.append(
            f"  {kind} : {_count(counted + len(excluded), 'applicable')}, "
            f"{_count(counted, 'comptée')} au score, {_count(len(excluded), 'exclue')} : {named}"
        )
    return lines


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n < 2 else f"{n} {word}s"


def _named(point: PointPreparation) -> str:
    if point.preuves:
        return f"{point.exigence} ({', '.join(point.preuves)})"
    if point.date is not None:
        return f"{point.exigence} (échéance {point.date:%d/%m/%Y})"
    return point.exigence


def _preparation(preparation: EtatPreparation) -> list[str]:
    """The exigences behind the counts shown beside the verdict."""
    lines = []
    for title, points in (
        ("Engagements dépassés", preparation.engagements_depasses),
        ("Sans réponse", preparation.sans_reponse),
        ("Preuves obligatoires manquantes", preparation.preuves_manquantes),
    ):
        if points:
            named = ", ".join(_named(p) for p in points)
            lines.append(f"  {title} : {named}")
    return lines
