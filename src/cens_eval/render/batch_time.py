"""The batch workbook's sheets about time: preuves to renew soon, successive submissions linked."""

from __future__ import annotations

from collections.abc import Mapping

from openpyxl import Workbook

from cens_eval.model.batch import SyntheseLot
from cens_eval.model.evolution import NATURE_LABELS, NatureEvolution
from cens_eval.render.xlsx_cells import table


def add_time_sheets(wb: Workbook, s: SyntheseLot, links: Mapping[str, str]) -> None:
    """Add « Preuves à renouveler » (when asked) and « Évolutions » (when the batch has any)."""
    if s.expire_sous is not None:
        _renewals(wb, s, links)
    if s.evolutions:
        _evolutions(wb, s, links)


def _renewals(wb: Workbook, s: SyntheseLot, links: Mapping[str, str]) -> None:
    ws = wb.create_sheet("Preuves à renouveler")
    columns = [("Dossier", 34), ("Solution", 22), ("Version", 9), ("Date d'évaluation", 12)]
    columns += [("Référentiel", 22), ("Exigence", 12), ("Preuve", 28), ("Datée du", 12)]
    columns += [("Âge maximal", 10), ("Valable jusqu'au", 12), ("Jours restants", 10)]
    rows: list[list[object]] = [
        [
            links.get(d.chemin, d.chemin),
            d.solution,
            d.version,
            d.date_evaluation,
            p.referentiel,
            p.exigence,
            p.preuve,
            p.datee_du,
            p.age_max,
            p.valable_jusqu_au,
            p.jours_restants,
        ]
        for d in s.dossiers
        for p in d.preuves_a_renouveler
    ]
    empty = f"aucune preuve n'expire sous {s.expire_sous} jour(s) de la date d'évaluation"
    table(ws, columns, rows or [["", "", "", None, "", "", empty, None, "", None, None]])


def _evolutions(wb: Workbook, s: SyntheseLot, links: Mapping[str, str]) -> None:
    ws = wb.create_sheet("Évolutions")
    columns = [("Dossier précédent", 34), ("Version", 9), ("Date d'évaluation", 12)]
    columns += [("Dossier suivant", 34), ("Version", 9), ("Date d'évaluation", 12)]
    columns += [(NATURE_LABELS[n].capitalize(), 11) for n in NatureEvolution]
    columns += [("Verdicts modifiés", 50), ("Remarque", 50)]
    rows: list[list[object]] = []
    for e in s.evolutions:
        note = e.raison or ("dossiers identiques" if e.identiques else None)
        values: list[object] = [links.get(e.ancien, e.ancien), e.version_ancienne]
        values += [e.date_ancienne, links.get(e.nouveau, e.nouveau), e.version_nouvelle]
        values += [e.date_nouvelle]
        values += [None if e.raison else e.changements.get(n.value, 0) for n in NatureEvolution]
        values += ["\n".join(e.verdicts) or None, note]
        rows.append(values)
    table(ws, columns, rows)


def time_lines(s: SyntheseLot) -> list[str]:
    """The same, as lines for the terminal: each preuve to renew, each link between submissions."""
    lines = []
    for d in s.dossiers:
        for p in d.preuves_a_renouveler:
            when = "le jour même" if p.jours_restants == 0 else f"sous {p.jours_restants} jour(s)"
            lines.append(
                f"{d.chemin}: preuve à renouveler : {p.referentiel} {p.exigence} « {p.preuve} », "
                f"datée du {p.datee_du:%d/%m/%Y}, valable jusqu'au {p.valable_jusqu_au:%d/%m/%Y} "
                f"({when} après l'évaluation du {d.date_evaluation:%d/%m/%Y})"
            )
    for e in s.evolutions:
        head = (
            f"Évolution {e.ancien} ({e.version_ancienne}, {e.date_ancienne:%d/%m/%Y}) → "
            f"{e.nouveau} ({e.version_nouvelle}, {e.date_nouvelle:%d/%m/%Y}) : "
        )
        if e.raison:
            lines.append(head + f"comparaison impossible : {e.raison}")
            continue
        if e.identiques:
            lines.append(head + "identiques")
            continue
        counts = ", ".join(
            f"{n} {NATURE_LABELS[NatureEvolution(k)]}" for k, n in e.changements.items()
        )
        lines.append(head + (counts or "aucune exigence changée"))
        lines += [f"  verdict {v}" for v in e.verdicts]
    return lines
