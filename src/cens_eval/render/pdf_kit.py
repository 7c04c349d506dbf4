"""Building blocks of cens-eval's PDF documents: the embedded font, safe text, styles, tables, pages.

The text font is Bitstream Vera, shipped inside reportlab, so the output does not depend on the
fonts of the machine. Characters Vera lacks (→, ⇒, narrow spaces…) are replaced by safe
equivalents before drawing, so that no glyph ever renders as a box.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from cens_eval.model.condition import Valeur
from cens_eval.model.dossier import Dossier

FONT, FONT_BOLD = "Vera", "Vera-Bold"  # Bitstream Vera, shipped in reportlab/fonts
MONO = "Courier"  # a standard PDF font: only used for ASCII hexadecimal digests
_FALLBACKS = str.maketrans(
    {"→": "->", "←": "<-", "⇒": "=>", "↔": "<->", "✓": "oui", "✗": "non", "\u2009": " "}
    | dict.fromkeys("\u2010\u2011", "-")
    | {"\u202f": "\u00a0"}
)
"""Characters Vera lacks that French texts use, with their replacement."""

TITLE = "Dossier de conformité éthique"
MARGIN = 2 * cm
WIDTH = A4[0] - 2 * MARGIN
GREEN, RED, ORANGE, GREY = "#1b7a3a", "#b3261e", "#b85c00", "#5f6368"
SERIES = (colors.HexColor("#1f4e79"), colors.HexColor("#8fb4da"))
LIGHT = colors.HexColor("#eef1f5")
LINE = colors.HexColor("#b8c0cc")


MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"


def build_document(dossier: Dossier, story: list[Any]) -> bytes:
    """Lay out a story on A4 pages with the running header and "Page N / M", deterministically."""
    buffer = io.BytesIO()
    sol = dossier.solution
    refs = ", ".join(f"{r.id} {r.version}" for r in dossier.referentiels)
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, invariant=1, lang="fr-FR", initialFontName=FONT,
        leftMargin=MARGIN, rightMargin=MARGIN, topMargin=2.3 * cm, bottomMargin=2 * cm,
        title=f"{TITLE} — {sol.nom} {sol.version}", author=dossier.editeur.nom,
        subject=f"Évaluation CENS au {date_fr(dossier.as_of)} : {refs}",
        creator=f"{dossier.outil.nom} {dossier.outil.version}",
    )  # fmt: skip
    header = plain(f"{sol.nom} {sol.version} — {dossier.editeur.nom} — {TITLE}")
    footer = plain(
        f"{dossier.outil.nom} {dossier.outil.version} — évaluation au {date_fr(dossier.as_of)}"
    )

    def decorate(canvas: Any, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor(GREY))
        canvas.setStrokeColor(LINE)
        top = A4[1] - 1.4 * cm
        canvas.drawString(MARGIN, top, fit(header, WIDTH, 8))
        canvas.line(MARGIN, top - 4, A4[0] - MARGIN, top - 4)
        canvas.line(MARGIN, 1.6 * cm, A4[0] - MARGIN, 1.6 * cm)
        canvas.drawString(MARGIN, 1.2 * cm, footer)
        canvas.restoreState()

    doc.build(story, onFirstPage=decorate, onLaterPages=decorate, canvasmaker=NumberedCanvas)
    return buffer.getvalue()


class NumberedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that defers pages until the end to print "Page N / M" on each."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        """Keep the page to number it at the end."""
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        """Print every kept page with its "Page N / M" footer, then save."""
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont(FONT, 8)
            self.setFillColor(colors.HexColor(GREY))
            self.drawRightString(A4[0] - MARGIN, 1.2 * cm, f"Page {number} / {len(self._pages)}")
            super().showPage()
        super().save()


# ---- text -------------------------------------------------------------------------------------


@cache
def covered() -> frozenset[int]:
    """Register the Vera family shipped with reportlab; return the code points all faces draw."""
    folder = Path(reportlab.__file__).parent / "fonts"
    faces = [TTFont(FONT, str(folder / "Vera.ttf")), TTFont(FONT_BOLD, str(folder / "VeraBd.ttf"))]
    for face in faces:
        pdfmetrics.registerFont(face)
    registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
    return frozenset(faces[0].face.charToGlyph) & frozenset(faces[1].face.charToGlyph)


def plain(text: str) -> str:
    """The text with every character the font lacks replaced (→ becomes ->, ₂ becomes 2…)."""
    drawable = covered()
    out = []
    for ch in text.translate(_FALLBACKS):
        if ch == "\n" or ord(ch) in drawable:
            out.append(ch)
        elif ch.isspace():
            out.append(" ")
        else:
            base = unicodedata.normalize("NFKD", ch)
            out.append(base if all(ord(c) in drawable for c in base) else "?")
    return "".join(out)


def markup(text: str) -> str:
    """Paragraph markup for a plain text: glyphs replaced, XML escaped, line breaks kept."""
    return escape(plain(text)).replace("\n", "<br/>")


def fit(text: str, width: float, size: float) -> str:
    """Shorten a one-line text with … so that it fits the width (header only)."""
    while pdfmetrics.stringWidth(text, FONT, size) > width and len(text) > 1:
        text = text[:-2] + "…"
    return text


def date_fr(day: dt.date) -> str:
    """A date in French words: 22 novembre 2026."""
    return f"{day.day} {MONTHS.split()[day.month - 1]} {day.year}"


def score_text(score: Decimal | None) -> str:
    """A rounded score as shown: 87,5 %, or — when nothing is counted."""
    return "—" if score is None else f"{score}\u00a0%".replace(".", ",")


def valeur_text(value: Valeur | Decimal) -> str:
    """A profil answer or a measure as shown: oui, non, 72,5."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value).replace(".", ",") if isinstance(value, Decimal) else value


# ---- building blocks --------------------------------------------------------------------------


@cache
def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles of every cens-eval PDF, by name."""
    covered()
    base = ParagraphStyle("corps", fontName=FONT, fontSize=9, leading=12, spaceAfter=4)
    grey, blue = colors.HexColor(GREY), SERIES[0]
    specs: list[tuple[str, str, float, float, float, float, Any]] = [  # font, size, leading, ±
        ("titre", FONT_BOLD, 24, 30, 0, 10, None),
        ("soustitre", FONT, 14, 18, 0, 4, grey),
        ("h1", FONT_BOLD, 15, 19, 6, 8, None),
        ("h2", FONT_BOLD, 11.5, 14, 10, 5, None),
        ("h3", FONT_BOLD, 10, 13, 8, 4, blue),
        ("cellule", FONT, 8, 10, 0, 0, None),
        ("entete", FONT_BOLD, 8, 10, 0, 0, None),
        ("etiquette", FONT, 7.5, 10, 0, 0, grey),
        ("mono", MONO, 6, 7.5, 0, 0, None),
        ("conclusion", FONT_BOLD, 12, 16, 0, 0, None),
    ]
    styles = {"corps": base}
    for name, font, size, leading, before, after, colour in specs:
        styles[name] = ParagraphStyle(
            name, base, fontName=font, fontSize=size, leading=leading, spaceBefore=before,
            spaceAfter=after, textColor=colour or colors.black,
        )  # fmt: skip
    for heading in ("h1", "h2"):  # h3 is preceded by a CondPageBreak instead
        styles[heading].keepWithNext = 1
    return styles


def para(markup: str, style: str = "corps") -> Paragraph:
    """A paragraph from markup, in a named style."""
    return Paragraph(markup, styles()[style])


def cell(markup: str) -> Paragraph:
    """A table cell paragraph from markup."""
    return para(markup, "cellule")


def coloured(text: str, colour: str) -> str:
    """Markup for a bold text in a colour."""
    return f'<font color="{colour}"><b>{markup(text)}</b></font>'


GRID: list[Any] = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
GRID += [("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
GRID.append(("FONT", (0, 0), (-1, -1), FONT, 8))  # tables default to Helvetica otherwise


def table(
    rows: list[list[Any]], widths: list[float], extra: list[Any] | None = None, header: int = 1
) -> Table:
    """A table with ``header`` repeated rows; strings become wrapped, escaped paragraphs."""
    cells = [
        [
            para(markup(c), "entete" if i < header else "cellule") if isinstance(c, str) else c
            for c in row
        ]
        for i, row in enumerate(rows)
    ]
    table = Table(cells, colWidths=widths, repeatRows=header, splitInRow=1, hAlign="LEFT")
    head = [("BACKGROUND", (0, 0), (-1, header - 1), LIGHT)] if header else []
    table.setStyle(
        TableStyle([*GRID, ("GRID", (0, 0), (-1, -1), 0.4, LINE), *head, *(extra or [])])
    )
    return table


def table_or(rows: list[list[Any]], widths: list[float], empty: str) -> Any:
    """The table, or a sentence when it has no row below its header."""
    return table(rows, widths) if len(rows) > 1 else para(markup(empty))


def link(url: str, text: str | None = None) -> str:
    """Markup for a clickable link to ``url``, showing ``text`` (the address itself by default)."""
    href = escape(url, {'"': "&quot;"})
    return f'<a href="{href}" color="#1f4e79"><u>{markup(text or url)}</u></a>'


def build_pages(
    story: list[Any],
    *,
    title: str,
    author: str,
    subject: str,
    creator: str,
    header: str,
    footer: str,
) -> bytes:
    """Lay out a story on A4 pages with the given metadata, running header and footer, and "Page N / M".

    Args:
        story: the flowables, in reading order.
        title: the document's title (PDF metadata).
        author: who speaks in the document (PDF metadata).
        subject: what it is about (PDF metadata).
        creator: the tool that made it (PDF metadata).
        header: the line at the top of every page (shortened with … if too long).
        footer: the line at the bottom of every page, left of the page number.

    Returns:
        The PDF bytes; the same story and texts always give the same bytes.
    """
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, invariant=1, lang="fr-FR", initialFontName=FONT,
        leftMargin=MARGIN, rightMargin=MARGIN, topMargin=2.3 * cm, bottomMargin=2 * cm,
        title=title, author=author, subject=subject, creator=creator,
    )  # fmt: skip
    top_line, bottom_line = plain(header), plain(footer)

    def decorate(canvas: Any, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor(GREY))
        canvas.setStrokeColor(LINE)
        top = A4[1] - 1.4 * cm
        canvas.drawString(MARGIN, top, fit(top_line, WIDTH, 8))
        canvas.line(MARGIN, top - 4, A4[0] - MARGIN, top - 4)
        canvas.line(MARGIN, 1.6 * cm, A4[0] - MARGIN, 1.6 * cm)
        canvas.drawString(MARGIN, 1.2 * cm, fit(bottom_line, WIDTH - 2.5 * cm, 8))
        canvas.restoreState()

    doc.build(story, onFirstPage=decorate, onLaterPages=decorate, canvasmaker=NumberedCanvas)
    return buffer.getvalue()
