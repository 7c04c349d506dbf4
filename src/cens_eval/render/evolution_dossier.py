"""The evolution between two dossiers of one solution: as text lines and as a workbook."""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook

from cens_eval.model.evolution import (
    CAUSE_LABELS,
    NATURE_LABELS,
    EvolutionDossier,
    EvolutionExigence,
    NatureEvolution,
)
from cens_eval.model.vocabulary import NIVEAU_LABELS, RESULTAT_LABELS, VERDICT_LABELS
from cens_eval.render.preuves import number_text
from cens_eval.render.xlsx_cells import table, workbook_bytes


def _resultat(value: object) -> str:
    return RESULTAT_LABELS[value].lower() if value is not None else "—"  # type: ignore[index]


def _score(value: object) -> str:
    return "—" if value is None else f"{number_text(value)} %"  # type: ignore[arg-type]


def evolution_text(evolution: EvolutionDossier) -> list[str]:
    """The evolution as lines: both dossiers, the context, then each change with its causes."""
    old, new = evolution.ancien, evolution.nouveau
    lines = [
        f"{evolution.editeur} — {evolution.solution} : "
        f"{old.solution_version} (au {old.as_of:%d/%m/%Y}) → "
        f"{new.solution_version} (au {new.as_of:%d/%m/%Y})"
    ]
    lines += [f"  {line}" for line in evolution.contexte]
    if evolution.identiques:
        return [*lines, "Dossiers identiques : aucun résultat, score ni verdict n'a changé."]
    lines.append(
        f"{len(evolution.exigences)} exigence(s) changée(s), {len(evolution.scores)} score(s) "
        f"et {len(evolution.verdicts)} verdict(s) modifié(s)."
    )
    for nature in NatureEvolution:
        changes = [c for c in evolution.exigences if c.nature is nature]
        if changes:
            lines += ["", f"{NATURE_LABELS[nature].capitalize()} ({len(changes)}) :"]
            lines += [line for c in changes for line in _exigence(c)]
    if evolution.verdicts:
        lines += ["", "Verdicts :"]
        for v in evolution.verdicts:
            was = VERDICT_LABELS[v.avant] if v.avant else "—"
            now = VERDICT_LABELS[v.apres] if v.apres else "—"
            lines.append(f"  {v.referentiel} : {was} → {now} ({', '.join(v.exigences) or '—'})")
    if evolution.scores:
        lines += ["", "Scores :"]
        for s in evolution.scores:
            lines.append(
                f"  {s.referentiel} — {s.libelle} : {_score(s.avant)} → {_score(s.apres)}"
                f" ({', '.join(s.exigences) or 'aucune exigence changée'})"
            )
    return lines


def _exigence(c: EvolutionExigence) -> list[str]:
    name = f"{c.ancien_id} → {c.id}" if c.ancien_id and c.ancien_id != c.id else c.id
    causes = ", ".join(CAUSE_LABELS[x] for x in c.causes)
    outcome = (
        f"{_resultat(c.avant)} (inchangé)"
        if c.avant == c.apres
        else f"{_resultat(c.avant)} → {_resultat(c.apres)}"
    )
    lines = [f"  {c.referentiel} {name} — {c.libelle} : {outcome} [cause : {causes}]"]
    lines += [f"      · {d}" for d in c.details]
    return lines


def evolution_xlsx(evolution: EvolutionDossier) -> bytes:
    """The evolution as a workbook: one sheet of exigences, one of scores and verdicts."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook has its sheet
    ws.title = "Exigences"
    table(
        ws,
        [
            ("Référentiel", 16),
            ("Exigence", 14),
            ("Ancien identifiant", 14),
            ("Libellé", 40),
            ("Changement", 18),
            ("Cause", 22),
            ("Avant", 20),
            ("Après", 20),
            ("Détail", 60),
        ],
        (
            [
                c.referentiel,
                c.id,
                c.ancien_id or "",
                c.libelle,
                NATURE_LABELS[c.nature],
                ", ".join(CAUSE_LABELS[x] for x in c.causes),
                _resultat(c.avant),
                _resultat(c.apres),
                "\n".join(c.details),
            ]
            for c in evolution.exigences
        ),
    )
    scores = wb.create_sheet("Scores et verdicts")
    rows: list[list[object]] = [
        [
            v.referentiel,
            "Verdict",
            VERDICT_LABELS[v.avant] if v.avant else "—",
            VERDICT_LABELS[v.apres] if v.apres else "—",
            ", ".join(v.exigences),
        ]
        for v in evolution.verdicts
    ]
    rows += [
        [
            s.referentiel,
            f"{s.libelle} ({NIVEAU_LABELS[s.niveau].lower()})",
            _score(s.avant),
            _score(s.apres),
            ", ".join(s.exigences),
        ]
        for s in evolution.scores
    ]
    table(
        scores,
        [
            ("Référentiel", 16),
            ("Figure", 40),
            ("Avant", 14),
            ("Après", 14),
            ("Exigences en cause", 40),
        ],
        rows,
    )
    moment = dt.datetime.combine(evolution.nouveau.as_of, dt.time(), tzinfo=dt.UTC)
    return workbook_bytes(wb, moment)
