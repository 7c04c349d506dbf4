"""Éthicovigilance documents: the report on a register (JSON, XLSX, PDF) and the public journal (PDF, HTML).

Both are dated by the register itself (its latest date), never by the clock: the same register
gives the same bytes. The journal renders only what may be published: a case whose anonymisation
no one confirmed, or whose published texts hold certain personal data, is refused, whoever calls.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from cens_eval.errors import CensEvalError
from cens_eval.model.signalement import (
    DECLARANT_LABELS,
    ETAPE_LABELS,
    NATURE_LABELS,
    Rapport,
    Registre,
    Signalement,
)
from cens_eval.model.signalement_privacy import personal_data
from cens_eval.model.vocabulary import PRINCIPE_LABELS
from cens_eval.render.generated_text import keeping, user_elisions

JOURNAL_TITLE = "Journal d'activité du comité d'instruction des signalements"
REPORT_TITLE = "Rapport d'éthicovigilance"


def latest_date(registre: Registre) -> dt.date | None:
    """The most recent date the register records: the date its documents speak of."""
    days: list[dt.date] = []
    for s in registre.signalements:
        days.append(s.recu_le)
        for part in (s.recevabilite, s.instruction, s.publication):
            if part is not None:
                days.append(part.date)
        if s.contact_editeur is not None:
            days.append(s.contact_editeur.date_demande)
            if s.contact_editeur.date_reponse is not None:
                days.append(s.contact_editeur.date_reponse)
    return max(days, default=None)


# ---- beside a dossier -------------------------------------------------------------------------


def signalements_text(cases: Sequence[Signalement]) -> list[str]:
    """The signalements about a solution, as the text output of ``evaluate`` shows them."""
    lines = ["", f"Signalements d'éthicovigilance sur la solution : {len(cases) or 'aucun'}"]
    lines += [" (montrés pour information : ils ne changent aucun score)"] if cases else []
    for s in sorted(cases, key=lambda s: (s.recu_le, s.id)):
        exigences = ", ".join(f"{e.referentiel} {e.exigence}" for e in s.exigences) or "aucune"
        lines.append(
            f"  - {s.id} reçu le {s.recu_le:%d/%m/%Y} — {ETAPE_LABELS[s.etape].lower()} — "
            f"exigences : {exigences}"
        )
    return lines


# ---- the report -------------------------------------------------------------------------------


def report_json(rapport: Rapport) -> bytes:
    """The report as JSON (keys in their order, two-space indent, UTF-8)."""
    data = rapport.model_dump(mode="json")
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _rows(rapport: Rapport) -> dict[str, tuple[list[tuple[str, int]], list[list[object]]]]:
    """Each table of the report: its columns (title, width) and rows, shared by XLSX and PDF."""
    jours: list[list[object]] = [
        [d.etape, d.signalements, "—" if d.mediane is None else _number(d.mediane), "—" if d.pire is None else d.pire]
        for d in rapport.durees
    ]  # fmt: skip
    return {
        "Étapes": (
            [("Étape", 36), ("Signalements", 14)],
            [[ETAPE_LABELS[e], n] for e, n in rapport.par_etape.items()],
        ),
        "Principes": (
            [("Principe", 36), ("Signalements", 14)],
            [[PRINCIPE_LABELS[p], n] for p, n in rapport.par_principe.items()],
        ),
        "Référentiels": (
            [("Référentiel", 36), ("Signalements", 14)],
            [[r, n] for r, n in rapport.par_referentiel.items()],
        ),
        "Exigences": (
            [("Référentiel", 22), ("Exigence", 14), ("Libellé", 60), ("Signalements", 14)],
            [[c.referentiel, c.exigence, c.libelle or "", c.signalements] for c in rapport.par_exigence],
        ),
        "Solutions": (
            [("Éditeur", 32), ("Solution", 32), ("Signalements", 14)],
            [[c.editeur, c.solution, c.signalements] for c in rapport.par_solution],
        ),
        "Durées": (
            [("Étape", 40), ("Signalements", 14), ("Médiane (jours)", 16), ("Pire (jours)", 14)],
            jours,
        ),
        "Sans exigence": (
            [("Signalement", 20)],
            [[i] for i in rapport.sans_exigence],
        ),
        "Évolutions": (
            [("Signalement", 16), ("Référentiel", 22), ("Nature", 20), ("Exigence", 14), ("Proposition", 54)],
            [
                [sid, e.referentiel, NATURE_LABELS[e.nature], e.exigence or "", e.description]
                for sid, e in rapport.evolutions
            ],
        ),
    }  # fmt: skip


def report_xlsx(rapport: Rapport, day: dt.date | None) -> bytes:
    """The report as a workbook: one sheet per table, dated ``day`` (the register's latest date)."""
    with keeping(user_elisions(rapport)):  # typographic apostrophes, the register's words kept
        return _report_xlsx(rapport, day)


def _report_xlsx(rapport: Rapport, day: dt.date | None) -> bytes:
    from openpyxl import Workbook

    from cens_eval.render.xlsx_cells import put, table, workbook_bytes

    wb = Workbook()
    summary = wb.active
    summary.title = "Synthèse"
    put(summary, 1, 1, REPORT_TITLE)
    put(summary, 2, 1, "Signalements")
    put(summary, 2, 2, rapport.total)
    put(summary, 3, 1, "État au")
    put(summary, 3, 2, day.strftime("%d/%m/%Y") if day else "—")
    summary.column_dimensions["A"].width = 30
    for name, (columns, rows) in _rows(rapport).items():
        table(wb.create_sheet(name), columns, rows)
    stamp = dt.datetime.combine(day or dt.date(2000, 1, 1), dt.time())
    return workbook_bytes(wb, stamp)


def report_pdf(rapport: Rapport, day: dt.date | None) -> bytes:
    """The report as a PDF: the figures, then the exigences most concerned, then the gaps."""
    with keeping(user_elisions(rapport)):  # typographic apostrophes, the register's words kept
        return _report_pdf(rapport, day)


def _report_pdf(rapport: Rapport, day: dt.date | None) -> bytes:
    from cens_eval.render.pdf_kit import WIDTH, heading, markup, para, table

    story: list[Any] = [
        heading(REPORT_TITLE, "titre", 0),
        para(markup(f"{rapport.total} signalement(s) — état au {_day(day)}"), "soustitre"),
    ]
    for name, (columns, rows) in _rows(rapport).items():
        story.append(heading(name, "h2", 1))
        if rows:
            titles = [title for title, _ in columns]
            body = [[_shown(v) for v in row] for row in rows]
            widths = _widths([width for _, width in columns], [titles, *body], WIDTH)
            story.append(table([titles, *body], widths))
        else:
            story.append(para(markup("aucun")))
    return _pdf(story, REPORT_TITLE, f"{REPORT_TITLE} — état au {_day(day)}", day)


# ---- the public journal -----------------------------------------------------------------------


def _journal_entry(s: Signalement) -> dict[str, Any]:
    publication = s.publication
    if publication is None:
        raise CensEvalError(f"{s.id} : signalement non publié, absent du journal")
    if publication.anonymisation is None:
        raise CensEvalError(f"{s.id} : anonymisation non confirmée, publication refusée")
    known = (s.solution.editeur, s.solution.solution)
    kinds = [
        k
        for text in (publication.reponse, *publication.actions)
        for k in personal_data(text, known)
    ]
    if kinds:
        shown = ", ".join(dict.fromkeys(kinds))
        raise CensEvalError(
            f"{s.id} : donnée personnelle dans le texte publié ({shown}), publication refusée"
        )
    return {
        "id": s.id,
        "publie_le": publication.date,
        "solution": f"{s.solution.solution} ({s.solution.editeur})",
        "declarant": DECLARANT_LABELS[s.declarant],
        "principes": ", ".join(PRINCIPE_LABELS[p] for p in s.principes) or "—",
        "exigences": ", ".join(f"{e.referentiel} {e.exigence}" for e in s.exigences) or "—",
        "reponse": publication.reponse,
        "actions": list(publication.actions),
    }


def journal_pdf(cases: Sequence[Signalement], day: dt.date | None) -> bytes:
    """The public activity journal: published cases only, by date, with response and actions."""
    with keeping(user_elisions(*cases)):  # typographic apostrophes, the register's words kept
        return _journal_pdf(cases, day)


def _journal_pdf(cases: Sequence[Signalement], day: dt.date | None) -> bytes:
    from cens_eval.render.pdf_kit import WIDTH, heading, markup, para, table

    story: list[Any] = [
        heading(JOURNAL_TITLE, "titre", 0),
        para(markup(f"{len(cases)} réponse(s) publiée(s) — état au {_day(day)}"), "soustitre"),
    ]
    if not cases:
        story.append(para(markup("Aucune réponse publiée.")))
    for s in cases:
        entry = _journal_entry(s)
        story.append(heading(f"{entry['id']} — publié le {_day(entry['publie_le'])}", "h2", 1))
        rows = [
            ["Solution", entry["solution"]],
            ["Signalé par", entry["declarant"]],
            ["Principes", entry["principes"]],
            ["Exigences", entry["exigences"]],
            ["Réponse publiée", entry["reponse"]],
            ["Actions", "\n".join(f"• {a}" for a in entry["actions"]) or "—"],
        ]
        story.append(table(rows, [WIDTH * 0.25, WIDTH * 0.75], header=0))
    return _pdf(story, JOURNAL_TITLE, f"{JOURNAL_TITLE} — état au {_day(day)}", day)


def journal_html(cases: Sequence[Signalement], day: dt.date | None) -> bytes:
    """The public activity journal as one accessible HTML page (French, no script)."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="fr">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{e(JOURNAL_TITLE)}</title>",
        "<style>body{font-family:sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;"
        "color:#1a1a1a;line-height:1.5}dt{font-weight:bold}dd{margin:0 0 .6rem 0}"
        "article{border-top:1px solid #888;padding-top:.5rem}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{e(JOURNAL_TITLE)}</h1>",
        f"<p>{len(cases)} réponse(s) publiée(s) — état au {e(_day(day))}</p>",
    ]
    if not cases:
        parts.append("<p>Aucune réponse publiée.</p>")
    for s in cases:
        entry = _journal_entry(s)
        parts += [
            "<article>",
            f"<h2>{e(entry['id'])} — publié le "
            f'<time datetime="{entry["publie_le"].isoformat()}">{e(_day(entry["publie_le"]))}</time></h2>',
            "<dl>",
            f"<dt>Solution</dt><dd>{e(entry['solution'])}</dd>",
            f"<dt>Signalé par</dt><dd>{e(entry['declarant'])}</dd>",
            f"<dt>Principes</dt><dd>{e(entry['principes'])}</dd>",
            f"<dt>Exigences</dt><dd>{e(entry['exigences'])}</dd>",
            f"<dt>Réponse publiée</dt><dd>{e(entry['reponse'])}</dd>",
            "<dt>Actions</dt><dd>"
            + (
                "<ul>" + "".join(f"<li>{e(a)}</li>" for a in entry["actions"]) + "</ul>"
                if entry["actions"]
                else "—"
            )
            + "</dd>",
            "</dl>",
            "</article>",
        ]
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts).encode("utf-8")


# ---- shared -----------------------------------------------------------------------------------


def _number(value: Decimal) -> int | Decimal:
    """A count of days as people write it: 13, not 13.0 (a half day stays 13.5)."""
    return int(value) if value == value.to_integral_value() else value


def _shown(value: object) -> str:
    """A table value as printed: decimals with a comma (13,5)."""
    return str(value).replace(".", ",") if isinstance(value, Decimal) else str(value)


def _widths(shares: Sequence[int], rows: Sequence[Sequence[str]], total: float) -> list[float]:
    """Column widths on the page: each as wide as its longest word, the rest shared.

    The longest word of a column (an identifier, a header) sets its least width; the remaining
    width is shared as the workbook's columns are.
    No word is then cut across two lines (``SIG-2025-00`` / ``4``) when the page can hold it.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from cens_eval.render.pdf_kit import FONT, FONT_BOLD, plain

    padding = 10  # the cell's inner margins, and a little air
    needed = [
        max(
            stringWidth(plain(word), FONT_BOLD if i == 0 else FONT, 8) + padding
            for i, row in enumerate(rows)
            for word in row[col].split()
        )
        if any(row[col].split() for row in rows)
        else padding
        for col in range(len(shares))
    ]
    fixed: set[int] = set()  # columns held at the width their longest word needs
    while True:
        left = total - sum(needed[i] for i in fixed)
        rest = sum(shares[i] for i in range(len(shares)) if i not in fixed)
        widths = [needed[i] if i in fixed else left * shares[i] / rest for i in range(len(shares))]
        short = {i for i, w in enumerate(widths) if w < needed[i]} - fixed
        if not short or len(fixed | short) == len(shares):
            return widths
        fixed |= short


def _day(day: dt.date | None) -> str:
    from cens_eval.render.pdf_kit import date_fr

    return date_fr(day) if day else "—"


def _pdf(story: list[Any], title: str, header: str, day: dt.date | None) -> bytes:
    """Lay out a story on numbered A4 pages; ``day`` (the register's latest date) dates it."""
    from cens_eval.render.pdf_kit import build_pages

    return build_pages(
        story,
        title=title,
        author="cens-eval",
        subject=header,
        creator="cens-eval",
        header=header,
        footer="Éthicovigilance — registre tenu avec cens-eval",
        created=day,
    )
