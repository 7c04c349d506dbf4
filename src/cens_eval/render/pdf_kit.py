"""Building blocks of cens-eval's PDF documents: the embedded font, safe text, styles, tables, pages.

The text font is Bitstream Vera, shipped inside reportlab, so the output does not depend on the
fonts of the machine. Arrows, which Vera lacks, are drawn from Symbol, one of the standard PDF
fonts every reader provides; other characters Vera lacks (narrow spaces, subscripts…) are
replaced by safe equivalents before drawing, so that no glyph ever renders as a box. Every text
goes through :mod:`cens_eval.render.typography` (French no-break spaces) on its way in.

Documents carry an outline (bookmarks, see :func:`heading`), their metadata and, as creation
date, the date the caller gives: no clock is read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
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
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from cens_eval.model.condition import Valeur
from cens_eval.model.dossier import Dossier
from cens_eval.render.generated_text import KEPT
from cens_eval.render.typography import (
    NBSP,
    NNBSP,
    apostrophes,
    apostrophes_markup,
    date_fr,
    french,
    french_markup,
)

__all__ = ["date_fr"]  # re-exported: the PDF renderers import it from here

FONT, FONT_BOLD = "Vera", "Vera-Bold"  # Bitstream Vera, shipped in reportlab/fonts
MONO = "Courier"  # a standard PDF font: only used for ASCII hexadecimal digests and paths
SYMBOL = "Symbol"  # a standard PDF font: only used for the arrows Vera lacks
ARROWS = "→←⇒↔"
"""Characters drawn from Symbol in paragraphs (a plain table string falls back to ->…)."""
_FALLBACKS = str.maketrans(
    {"→": "->", "←": "<-", "⇒": "=>", "↔": "<->", "✓": "oui", "✗": "non", "\u2009": " "}
    | dict.fromkeys("\u2010\u2011", "-")
    | {NNBSP: chr(0xE02F)}
)
"""Characters Vera lacks that French texts use, with their replacement."""
_ARROW_SPLIT = re.compile(f"([{ARROWS}])")

TITLE = "Dossier de conformité éthique"
MARGIN = 2 * cm
WIDTH = A4[0] - 2 * MARGIN
GREEN, RED, ORANGE, GREY = "#1b7a3a", "#b3261e", "#b85c00", "#5f6368"
SERIES = (colors.HexColor("#1f4e79"), colors.HexColor("#8fb4da"))
LIGHT = colors.HexColor("#eef1f5")
LINE = colors.HexColor("#b8c0cc")


def build_document(dossier: Dossier, story: list[Any]) -> bytes:
    """Lay out a dossier's story: its metadata, running header and footer, and "Page N / M"."""
    sol = dossier.solution
    refs = ", ".join(f"{r.id} {r.version}" for r in dossier.referentiels)
    return build_pages(
        story,
        title=f"{TITLE} — {sol.nom} {sol.version}",
        author=dossier.editeur.nom,
        subject=f"Évaluation CENS au {date_fr(dossier.as_of)} : {refs}",
        creator=f"{dossier.outil.nom} {dossier.outil.version}",
        keywords=["CENS", "éthique", "numérique en santé", *(r.id for r in dossier.referentiels)],
        header=f"{sol.nom} {sol.version} — {dossier.editeur.nom} — {TITLE}",
        footer=f"{dossier.outil.nom} {dossier.outil.version} — évaluation au {date_fr(dossier.as_of)}",
        created=dossier.genere_le,
    )


def dated(created: dt.datetime | dt.date | None) -> Any:
    """A canvas maker whose documents carry ``created`` as creation date (None: none known).

    reportlab's invariant mode writes 1 January 2000; the dossier's own date is truer and just
    as stable. A date without time is taken at midnight UTC.
    """

    def make(*args: Any, **kwargs: Any) -> NumberedCanvas:
        return NumberedCanvas(*args, created=created, **kwargs)

    return make


class NumberedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that defers pages until the end to print "Page N / M" on each."""

    def __init__(
        self, *args: Any, created: dt.datetime | dt.date | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._marks: list[tuple[str, dict[str, Any]]] = []
        self._outlined = 0
        if created is not None:
            _set_creation_date(self, created)

    def showPage(self) -> None:
        """Keep the page to number it at the end."""
        self._pages.append(dict(self.__dict__))
        self._marks = []
        self._startPage()

    def bookmarkPage(self, key: str, **kwargs: Any) -> None:
        """Remember a destination on this page; it is written when the page is (see ``save``)."""
        self._marks = [*self._marks, (key, kwargs)]

    def outline(self, title: str, level: int) -> None:
        """Add an outline entry (a bookmark) pointing at the current position on this page."""
        self._outlined += 1
        key = f"plan{self._outlined}"
        self.bookmarkHorizontal(key, 0, 0)
        self.addOutlineEntry(title, key, level, closed=level > 0)
        self.showOutline()

    def save(self) -> None:
        """Print every kept page with its "Page N / M" footer, then save."""
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            for key, kwargs in state["_marks"]:
                Canvas.bookmarkPage(self, key, **kwargs)
            self.setFont(FONT, 8)
            self.setFillColor(colors.HexColor(GREY))
            self.drawRightString(A4[0] - MARGIN, 1.2 * cm, f"Page {number} / {len(self._pages)}")
            super().showPage()
        super().save()


def _set_creation_date(canvas: Canvas, created: dt.datetime | dt.date) -> None:
    """Make the document's CreationDate and ModDate ``created``, whatever the environment says."""
    if not isinstance(created, dt.datetime):
        created = dt.datetime.combine(created, dt.time(), dt.UTC)
    offset = created.utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds()) // 60
    stamp = canvas._doc._timeStamp
    stamp.YMDhms = created.timetuple()[:6]
    stamp.dhh, stamp.dmm = int(minutes / 60), abs(minutes) % 60
    # the file identifier is derived from the date too, never from SOURCE_DATE_EPOCH or the clock
    canvas._doc.signature = hashlib.md5(created.isoformat().encode(), usedforsecurity=False)


# ---- text -------------------------------------------------------------------------------------


_STAND_INS = {0xE0A0: 0xA0, 0xE02F: 0x202F}
"""Private-use code points drawn with the space glyph and named as no-break spaces."""


class _Vera(TTFont):  # type: ignore[misc]
    """Vera that keeps no-break spaces (U+00A0, narrow U+202F) in the PDF's text layer.

    reportlab draws U+00A0 as an ordinary space and Vera lacks U+202F (which reportlab would
    also break lines at), so text extraction (copy, search) would lose them. Here each is laid
    out and drawn as a private-use stand-in with the space's glyph (narrower for U+202F), and
    the subset's Unicode map names the real character.
    """

    def __init__(self, name: str, path: str) -> None:
        super().__init__(name, path)
        face = self.face
        for code, width in ((0xE0A0, 1.0), (0xE02F, 0.6), (0x202F, 0.6)):  # 202F: for the subset
            face.charToGlyph[code] = face.charToGlyph[0x20]
            face.charWidths[code] = round(face.charWidths[0x20] * width)

    def splitString(self, text: str, doc: Any, encoding: str = "utf-8") -> Any:
        """Encode as reportlab does, no-break spaces kept (see the class)."""
        if NBSP not in text and chr(0xE02F) not in text:
            return super().splitString(text, doc, encoding)
        result = super().splitString(text.replace(NBSP, chr(0xE0A0)), doc, encoding)
        for subset in self.state[doc].subsets:
            for i, code in enumerate(subset):
                if code in _STAND_INS:
                    subset[i] = _STAND_INS[code]
        return result


@cache
def covered() -> frozenset[int]:
    """Register the Vera family shipped with reportlab; return the code points all faces draw."""
    folder = Path(reportlab.__file__).parent / "fonts"
    faces = [_Vera(FONT, str(folder / "Vera.ttf")), _Vera(FONT_BOLD, str(folder / "VeraBd.ttf"))]
    for face in faces:
        pdfmetrics.registerFont(face)
    registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
    drawable = frozenset(faces[0].face.charToGlyph) & frozenset(faces[1].face.charToGlyph)
    return drawable - {0xE0A0, 0x202F}


def plain(text: str) -> str:
    """The text in French typography, every character the font lacks replaced (→ becomes ->…)."""
    return _drawable(french(_elided(text)))


def _elided(text: str, markup: bool = False) -> str:
    """The text with typographic apostrophes while a format 2 document is laid out."""
    kept = KEPT.get()
    if kept is None:
        return text
    return apostrophes_markup(text, kept) if markup else apostrophes(text, kept)


def _drawable(text: str) -> str:
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
    """Paragraph markup for a plain text, in French typography, XML escaped, line breaks kept.

    Arrows are drawn from Symbol; other glyphs Vera lacks are replaced (see :func:`plain`).
    """
    pieces = _ARROW_SPLIT.split(french(text))
    return "".join(
        f'<font name="{SYMBOL}">{piece}</font>' if i % 2 else escape(_drawable(piece))
        for i, piece in enumerate(pieces)
    ).replace("\n", "<br/>")


def fit(text: str, width: float, size: float) -> str:
    """Shorten a one-line text with … so that it fits the width (header only)."""
    while pdfmetrics.stringWidth(text, FONT, size) > width and len(text) > 1:
        text = text[:-2] + "…"
    return text


def score_text(score: Decimal | None) -> str:
    """A rounded score as shown: 87,5 %, or — when nothing is counted."""
    return "—" if score is None else f"{score}{NBSP}%".replace(".", ",")


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
    for style in styles.values():  # a paragraph never leaves one line alone on a page
        style.allowWidows = style.allowOrphans = 0
    return styles


def para(markup: str, style: str = "corps") -> Paragraph:
    """A paragraph from markup, in a named style, in French typography."""
    return Paragraph(typeset(markup), styles()[style])


def typeset(markup: str) -> str:
    """Markup in French typography, with the spaces Vera lacks replaced by ones it has."""
    return french_markup(_elided(markup, markup=True)).replace(NNBSP, chr(0xE02F))


class Heading(Paragraph):  # type: ignore[misc]
    """A heading paragraph that is also an entry of the document's outline (bookmarks)."""

    def __init__(self, markup: str, style: str, title: str, level: int) -> None:
        super().__init__(typeset(markup), styles()[style])
        self.outline_title, self.outline_level = title, level

    def draw(self) -> None:
        """Draw the heading and point an outline entry at its top."""
        canvas = self.canv
        if isinstance(canvas, NumberedCanvas):
            canvas.saveState()
            canvas.translate(0, self.height)
            canvas.outline(self.outline_title, self.outline_level)
            canvas.restoreState()
        super().draw()


def heading(text: str, style: str, level: int) -> Heading:
    """A heading in a named style, listed in the PDF outline at ``level`` (0: a section)."""
    return Heading(markup(text), style, " ".join(_elided(text).split()), level)


class Mark(Flowable):  # type: ignore[misc]
    """An invisible outline entry at the current position (for a part without a heading)."""

    def __init__(self, title: str, level: int = 0) -> None:
        super().__init__()
        self.title, self.level = title, level

    def wrap(self, _width: float, _height: float) -> tuple[float, float]:
        """Take no room."""
        return 0, 0

    def draw(self) -> None:
        """Point an outline entry here."""
        if isinstance(self.canv, NumberedCanvas):
            self.canv.outline(self.title, self.level)


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
    """Markup for a clickable link to ``url``, showing ``text`` (the address itself by default).

    ``url`` may be a web address or a path relative to the PDF's folder (a file of the dossier).
    """
    href = escape(url, {'"': "&quot;"})
    return f'<a href="{href}" color="#1f4e79"><u>{markup(text or url)}</u></a>'


def path_markup(path: str, width: float, size: float = 8, font: str = FONT) -> str:
    """Markup for a file path that breaks only after a ``/`` to fit ``width`` (points).

    A single name longer than the width is left to the paragraph to break.
    """
    lines: list[str] = []
    for part in re.findall(r"[^/]*/|[^/]+$", path):
        if lines and pdfmetrics.stringWidth(lines[-1] + part, font, size) <= width:
            lines[-1] += part
        else:
            lines.append(part)
    return "<br/>".join(escape(_drawable(line)) for line in lines)


def digest_markup(digest: str, size: float = 7.5) -> str:
    """Markup for a hexadecimal digest in groups of eight, in a monospaced font."""
    groups = " ".join(digest[i : i + 8] for i in range(0, len(digest), 8))
    return f'<font name="{MONO}" size="{size}">{escape(groups)}</font>'


def build_pages(
    story: list[Any],
    *,
    title: str,
    author: str,
    subject: str,
    creator: str,
    header: str,
    footer: str,
    created: dt.date | dt.datetime | None = None,
    keywords: list[str] | None = None,
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
        created: the document's creation date (PDF metadata), given by the caller.
        keywords: the document's keywords (PDF metadata).

    Returns:
        The PDF bytes; the same story and texts always give the same bytes.
    """
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, invariant=1, lang="fr-FR", initialFontName=FONT,
        leftMargin=MARGIN, rightMargin=MARGIN, topMargin=2.3 * cm, bottomMargin=2 * cm,
        title=title, author=author, subject=subject, creator=creator, keywords=keywords or [],
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

    doc.build(story, onFirstPage=decorate, onLaterPages=decorate, canvasmaker=dated(created))
    return buffer.getvalue()
