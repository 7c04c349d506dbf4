"""PDF rendering of a conformity dossier: French, A4, identical bytes for the same dossier.

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
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from cens_eval.condition import Valeur
from cens_eval.dossier import Dossier, ExigenceDossier, PreuveDossier, ResultatDossier
from cens_eval.vocabulary import (
    NIVEAU_LABELS,
    PRINCIPE_LABELS,
    RESULTAT_LABELS,
    STATUT_LABELS,
    VERDICT_LABELS,
    Niveau,
    Principe,
    Resultat,
    StatutReferentiel,
    Verdict,
)

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
VERDICT_COLOURS = {Verdict.CONFORME: GREEN, Verdict.NON_CONFORME: RED}
RESULT_COLOURS = dict.fromkeys(Resultat, RED) | {Resultat.CONFORME: GREEN}
RESULT_COLOURS |= {Resultat.NON_APPLICABLE_JUSTIFIE: GREY, Resultat.PREUVES_MANQUANTES: ORANGE}
RESULT_COLOURS[Resultat.PARTIELLEMENT_CONFORME] = ORANGE
STATUTS = {
    s: s.value.replace("_", " ").replace("evaluation", "évaluation") for s in StatutReferentiel
}
MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"


def render_pdf(dossier: Dossier) -> bytes:
    """Render the dossier as a PDF document.

    Args:
        dossier: the conformity dossier to print.

    Returns:
        The PDF bytes; the same dossier always gives the same bytes (no clock, fixed IDs).
    """
    buffer, story = io.BytesIO(), build_story(dossier)  # the story registers the fonts
    sol = dossier.solution
    refs = ", ".join(f"{r.id} {r.version}" for r in dossier.referentiels)
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, invariant=1, lang="fr-FR", initialFontName=FONT,
        leftMargin=MARGIN, rightMargin=MARGIN, topMargin=2.3 * cm, bottomMargin=2 * cm,
        title=f"{TITLE} — {sol.nom} {sol.version}", author=dossier.editeur.nom,
        subject=f"Évaluation CENS au {_date(dossier.as_of)} : {refs}",
        creator=f"{dossier.outil.nom} {dossier.outil.version}",
    )  # fmt: skip
    header = _plain(f"{sol.nom} {sol.version} — {dossier.editeur.nom} — {TITLE}")
    footer = _plain(
        f"{dossier.outil.nom} {dossier.outil.version} — évaluation au {_date(dossier.as_of)}"
    )

    def decorate(canvas: Any, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor(GREY))
        canvas.setStrokeColor(LINE)
        top = A4[1] - 1.4 * cm
        canvas.drawString(MARGIN, top, _fit(header, WIDTH, 8))
        canvas.line(MARGIN, top - 4, A4[0] - MARGIN, top - 4)
        canvas.line(MARGIN, 1.6 * cm, A4[0] - MARGIN, 1.6 * cm)
        canvas.drawString(MARGIN, 1.2 * cm, footer)
        canvas.restoreState()

    doc.build(story, onFirstPage=decorate, onLaterPages=decorate, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()


def build_story(dossier: Dossier) -> list[Any]:
    """The document's flowables, in reading order.

    Args:
        dossier: the conformity dossier to print.

    Returns:
        Cover and conclusion, blocking gaps, scores per principle, exigences per principle,
        scope and dates, then the evidence annex.
    """
    front = [*_cover(dossier), PageBreak(), *_blocking(dossier), *_scores(dossier), PageBreak()]
    return [*front, *_exigences(dossier), *_scope_and_dates(dossier), PageBreak(), *_annex(dossier)]


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that defers pages until the end to print "Page N / M" on each."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont(FONT, 8)
            self.setFillColor(colors.HexColor(GREY))
            self.drawRightString(A4[0] - MARGIN, 1.2 * cm, f"Page {number} / {len(self._pages)}")
            super().showPage()
        super().save()


# ---- text -------------------------------------------------------------------------------------


@cache
def _covered() -> frozenset[int]:
    """Register the Vera family shipped with reportlab; return the code points all faces draw."""
    folder = Path(reportlab.__file__).parent / "fonts"
    faces = [TTFont(FONT, str(folder / "Vera.ttf")), TTFont(FONT_BOLD, str(folder / "VeraBd.ttf"))]
    for face in faces:
        pdfmetrics.registerFont(face)
    registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
    return frozenset(faces[0].face.charToGlyph) & frozenset(faces[1].face.charToGlyph)


def _plain(text: str) -> str:
    """The text with every character the font lacks replaced (→ becomes ->, ₂ becomes 2…)."""
    covered = _covered()
    out = []
    for ch in text.translate(_FALLBACKS):
        if ch == "\n" or ord(ch) in covered:
            out.append(ch)
        elif ch.isspace():
            out.append(" ")
        else:
            base = unicodedata.normalize("NFKD", ch)
            out.append(base if all(ord(c) in covered for c in base) else "?")
    return "".join(out)


def _m(text: str) -> str:
    """Paragraph markup for a plain text: glyphs replaced, XML escaped, line breaks kept."""
    return escape(_plain(text)).replace("\n", "<br/>")


def _fit(text: str, width: float, size: float) -> str:
    """Shorten a one-line text with … so that it fits the width (header only)."""
    while pdfmetrics.stringWidth(text, FONT, size) > width and len(text) > 1:
        text = text[:-2] + "…"
    return text


def _date(day: dt.date) -> str:
    return f"{day.day} {MONTHS.split()[day.month - 1]} {day.year}"


def _score(score: Decimal | None) -> str:
    return "—" if score is None else f"{score}\u00a0%".replace(".", ",")


def _valeur(value: Valeur | Decimal) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value).replace(".", ",") if isinstance(value, Decimal) else value


# ---- building blocks --------------------------------------------------------------------------


@cache
def _styles() -> dict[str, ParagraphStyle]:
    _covered()
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


def _p(markup: str, style: str = "corps") -> Paragraph:
    return Paragraph(markup, _styles()[style])


def _c(markup: str) -> Paragraph:
    """A table cell paragraph from markup."""
    return _p(markup, "cellule")


def _coloured(text: str, colour: str) -> str:
    return f'<font color="{colour}"><b>{_m(text)}</b></font>'


GRID: list[Any] = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
GRID += [("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
GRID.append(("FONT", (0, 0), (-1, -1), FONT, 8))  # tables default to Helvetica otherwise


def _table(
    rows: list[list[Any]], widths: list[float], extra: list[Any] | None = None, header: int = 1
) -> Table:
    """A table with ``header`` repeated rows; strings become wrapped, escaped paragraphs."""
    cells = [
        [_p(_m(c), "entete" if i < header else "cellule") if isinstance(c, str) else c for c in row]
        for i, row in enumerate(rows)
    ]
    table = Table(cells, colWidths=widths, repeatRows=header, splitInRow=1, hAlign="LEFT")
    head = [("BACKGROUND", (0, 0), (-1, header - 1), LIGHT)] if header else []
    table.setStyle(
        TableStyle([*GRID, ("GRID", (0, 0), (-1, -1), 0.4, LINE), *head, *(extra or [])])
    )
    return table


def _table_or(rows: list[list[Any]], widths: list[float], empty: str) -> Any:
    """The table, or a sentence when it has no row below its header."""
    return _table(rows, widths) if len(rows) > 1 else _p(_m(empty))


def _heading(ref: ResultatDossier, style: str = "h2") -> Paragraph:
    return _p(_m(f"{ref.titre} ({ref.id} {ref.version})"), style)


# ---- sections ---------------------------------------------------------------------------------


def _cover(d: Dossier) -> list[Any]:
    e, s, stamp = d.editeur, d.solution, d.genere_le
    ident = ", ".join(x for x in (f"SIREN {e.siren}" if e.siren else "", e.contact or "") if x)
    facts: list[list[Any]] = [
        ["Éditeur", _c(f"<b>{_m(e.nom)}</b><br/>{_m(ident)}" if ident else f"<b>{_m(e.nom)}</b>")],
        ["Solution", _c(f"<b>{_m(s.nom)}</b> version {_m(s.version)}")],
        *([["Description", s.description]] if s.description else []),
        ["Date d'évaluation", _date(d.as_of)],
        ["Dossier généré le", f"{_date(stamp.date())} à {stamp:%H:%M} {stamp.tzname() or ''}"],
        ["Outil", f"{d.outil.nom} {d.outil.version}"],
    ]
    statuts = {(r.id, r.version): r.statut for r in d.referentiels}
    refs: list[list[Any]] = [["Référentiel", "Version", "Statut", "Verdict"]]
    for r in d.resultats:
        verdict = _coloured(VERDICT_LABELS[r.verdict], VERDICT_COLOURS[r.verdict])
        title = f"<b>{_m(r.titre)}</b><br/>{_m(r.id)} — {_m(r.explication)}"
        refs.append([_c(title), r.version, STATUTS[statuts[(r.id, r.version)]], _c(verdict)])
    overall = Verdict.CONFORME if d.conforme else Verdict.NON_CONFORME
    why = (
        "La solution satisfait toutes les exigences obligatoires des référentiels évalués."
        if d.conforme
        else f"{sum(len(r.bloquantes) for r in d.resultats)} exigence(s) obligatoire(s) non "
        "satisfaite(s) empêchent la conformité : voir la section 1, « Écarts bloquants »."
    )
    conclusion = f"Conclusion : {_coloured(VERDICT_LABELS[overall], VERDICT_COLOURS[overall])}"
    box = Table([[_p(conclusion, "conclusion")], [_p(_m(why))]], colWidths=[WIDTH])
    frame = colors.HexColor(VERDICT_COLOURS[overall])
    box.setStyle(
        [*GRID, ("BOX", (0, 0), (-1, -1), 1.2, frame), ("BACKGROUND", (0, 0), (-1, -1), LIGHT)]
    )
    return [
        Spacer(1, 1.5 * cm),
        _p("Référentiels d'éthique du numérique en santé (CENS)", "soustitre"),
        _p(_m(TITLE), "titre"),
        _p(_m(f"{s.nom} {s.version} — {e.nom}"), "soustitre"),
        Spacer(1, 1 * cm),
        _table(facts, [4 * cm, WIDTH - 4 * cm], [("BACKGROUND", (0, 0), (0, -1), LIGHT)], 0),
        Spacer(1, 0.6 * cm),
        _table(refs, [9 * cm, 2 * cm, 2.6 * cm, 3.4 * cm]),
        *(_p(_m(f"Non applicable : {x.id} — {x.raison}")) for x in d.referentiels_non_applicables),
        Spacer(1, 0.8 * cm),
        box,
    ]


def _blocking(d: Dossier) -> list[Any]:
    story: list[Any] = [
        _p("1. Écarts bloquants", "h1"),
        _p("Exigences obligatoires non satisfaites : chacune rend le référentiel non conforme."),
    ]
    for r in d.resultats:
        rows: list[list[Any]] = [["Exigence", "Libellé", "Résultat", "Raison"]]
        rows += [
            [_c(f"<b>{_m(b.id)}</b>"), b.libelle, _c(_result(b.resultat)), b.raison]
            for b in r.bloquantes
        ]
        widths = [2.4 * cm, 6.6 * cm, 3 * cm, 5 * cm]
        story += [_heading(r), _table_or(rows, widths, "Aucun écart bloquant.")]
    return story


def _scores(d: Dossier) -> list[Any]:
    note = "Score : part du poids des exigences comptées qui est satisfaite ; « — » : aucune exigence comptée."
    story: list[Any] = [Spacer(1, 0.4 * cm), _p("2. Scores par principe", "h1"), _p(_m(note))]
    for r in d.resultats:
        by_key = {(s.principe, s.niveau): s for s in r.scores}
        rows: list[list[Any]] = [["Principe", *(["", "comptées", "exclues"] * 2)]]
        rows[0][1], rows[0][4] = "Exigences obligatoires", "Préconisations"
        for principe in (*Principe, None):
            row = [PRINCIPE_LABELS[principe] if principe else "Ensemble"]
            for niveau in Niveau:
                s = by_key.get((principe, niveau))
                row += (
                    [_score(s.score), str(len(s.comptees)), str(len(s.exclues))] if s else ["—"] * 3
                )
            rows.append(row)
        widths = [3.4 * cm, *([2.8 * cm, 2.1 * cm, 1.6 * cm] * 2)]
        table = _table(rows, widths, [("BACKGROUND", (0, -1), (-1, -1), LIGHT)])
        story.append(KeepTogether([_heading(r), _p(_m(r.explication)), _chart(r), table]))
    return story


def _chart(r: ResultatDossier) -> Drawing:
    """Grouped bars per principle, mandatory exigences vs préconisations (no score: no bar, "—")."""
    by_key = {(s.principe, s.niveau): s.score for s in r.scores}
    drawing = Drawing(WIDTH, 205, initialFontName=FONT, initialFontSize=8)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 30, WIDTH - 50, 135
    chart.data = [[float(by_key.get((p, n)) or 0) for p in Principe] for n in Niveau]
    chart.barLabelArray = [[_plain(_score(by_key.get((p, n)))) for p in Principe] for n in Niveau]
    chart.barLabelFormat = "values"
    chart.barLabels.fontName, chart.barLabels.fontSize = FONT, 6.5
    chart.barLabels.boxAnchor, chart.barLabels.dy = "s", 2
    chart.groupSpacing, chart.barSpacing, chart.bars.strokeColor = 14, 2, None
    for i, colour in enumerate(SERIES):
        chart.bars[i].fillColor = colour
    axis = chart.valueAxis
    axis.valueMin, axis.valueMax, axis.valueStep, axis.labelTextFormat = 0, 100, 20, "%d\u00a0%%"
    axis.labels.fontName, axis.labels.fontSize = FONT, 7
    axis.visibleGrid, axis.gridStrokeColor, axis.gridStrokeWidth = 1, LINE, 0.3
    cats = chart.categoryAxis
    cats.categoryNames = [_plain(PRINCIPE_LABELS[p]) for p in Principe]
    cats.labels.fontName, cats.labels.fontSize, cats.labels.dy = FONT, 7.5, -4
    legend = Legend()
    legend.x, legend.y, legend.dx, legend.dy, legend.deltax = 40, 198, 8, 8, 150
    legend.fontName, legend.fontSize, legend.columnMaximum, legend.alignment = FONT, 8, 1, "right"
    legend.colorNamePairs = list(
        zip(SERIES, ["Exigences obligatoires", "Préconisations"], strict=True)
    )
    drawing.add(chart)
    drawing.add(legend)
    return drawing


def _exigences(d: Dossier) -> list[Any]:
    story: list[Any] = [_p("3. Exigences par principe", "h1")]
    for r in d.resultats:
        story += [CondPageBreak(6 * cm), _heading(r)]
        for principe in Principe:
            items = [e for e in r.exigences if e.principe is principe]
            story += [CondPageBreak(4 * cm), _p(_m(PRINCIPE_LABELS[principe]), "h3")]
            if not items:
                story.append(_c("Aucune exigence de ce principe dans le périmètre."))
            story += [x for e in items for x in (_exigence(e), Spacer(1, 6))]
    return story


def _exigence(e: ExigenceDossier) -> Table:
    """One exigence: a title row (repeated on a new page), then one row per field."""
    niveau = NIVEAU_LABELS[e.niveau]
    if e.niveau_effectif is not e.niveau:
        niveau += f" (niveau effectif : {NIVEAU_LABELS[e.niveau_effectif].lower()})"
    if e.poids != 1:
        niveau += f", poids {_valeur(e.poids)}"
    statut = STATUT_LABELS[e.statut_declare] if e.statut_declare else "non renseigné"
    fields = [
        ("Résultat", _result(e.resultat, " — bloquante" if e.bloquante else "")),
        ("Niveau", _m(niveau)),
        ("Statut déclaré", _m(statut)),
        ("Justification", _m(e.justification or "—")),
        ("Preuves fournies", "<br/>".join(_preuve(p) for p in e.preuves) or "aucune"),
    ]
    if e.preuves_manquantes:
        missing = _m(", ".join(e.preuves_manquantes))
        fields.append(("Preuves manquantes", f'<font color="{RED}">{missing}</font>'))
    fields.append(("Explication", "<br/>".join(_m(x) for x in e.explication) or "—"))
    if e.engagement:
        promise = f"{e.engagement.action} (échéance : {_date(e.engagement.echeance)})"
        fields.append(("Engagement", _m(promise)))
    rows = [[_c(f"<b>{_m(e.id)}</b>"), _c(f"<b>{_m(e.libelle)}</b>")]]
    rows += [[_p(_m(label), "etiquette"), _c(value)] for label, value in fields]
    # No spans, and split inside a long row rather than before it (a row may exceed a page).
    table = Table(rows, [3.1 * cm, WIDTH - 3.1 * cm], repeatRows=1, splitByRow=0, splitInRow=1)
    lines = [("BOX", (0, 0), (-1, -1), 0.5, LINE), ("LINEBELOW", (0, 0), (-1, -1), 0.3, LINE)]
    table.setStyle([*GRID, *lines, ("BACKGROUND", (0, 0), (-1, 0), LIGHT)])
    return table


def _result(resultat: Resultat, suffix: str = "") -> str:
    return _coloured(RESULTAT_LABELS[resultat] + suffix, RESULT_COLOURS[resultat])


def _preuve(p: PreuveDossier) -> str:
    given = [
        f"fichier {p.fichier}" if p.fichier else "",
        f"URL {p.url}" if p.url else "",
        f"déclaration « {p.declaration} »" if p.declaration else "",
        f"valeur {_valeur(p.valeur)}" if p.valeur is not None else "",
    ]
    text = f"<b>{_m(p.attendue)}</b> {_m('→ ' + ', '.join(g for g in given if g))}"
    if p.libelle_attendu:
        text += f'<br/><font size="7" color="{GREY}">{_m(p.libelle_attendu)}</font>'
    return text


def _scope_and_dates(d: Dossier) -> list[Any]:
    story: list[Any] = [CondPageBreak(6 * cm), _p("4. Périmètre, échéances et engagements", "h1")]
    story.append(_p("Hors périmètre", "h2"))
    for r in d.resultats:
        rows = [["Exigence", "Raison"], *([x.id, x.raison] for x in r.hors_perimetre)]
        empty = "Aucune exigence hors périmètre."
        story += [CondPageBreak(3 * cm), _heading(r, "h3")]
        story.append(_table_or(rows, [3 * cm, WIDTH - 3 * cm], empty))
    for x in d.referentiels_non_applicables:
        story.append(_p(_m(f"Référentiel non applicable : {x.id} — {x.raison}")))
    dates: list[list[Any]] = [["Date", "Référentiel", "Exigence", "Explication"]]
    for e in d.echeances:
        dates.append([_date(e.date), e.referentiel, f"{e.exigence} — {e.libelle}", e.explication])
    promises: list[list[Any]] = [["Échéance", "Référentiel", "Exigence", "Action"]]
    for g in d.engagements:
        when = _c(
            _m(_date(g.echeance)) + (f"<br/>{_coloured('en retard', RED)}" if g.en_retard else "")
        )
        promises.append([when, g.referentiel, f"{g.exigence} — {g.libelle}", g.action])
    widths = [2.6 * cm, 2.8 * cm, 5.6 * cm, 6 * cm]
    story += [_p("Échéances", "h2"), _table_or(dates, widths, "Aucune échéance.")]
    return [
        *story,
        _p("Engagements de l'éditeur", "h2"),
        _table_or(promises, widths, "Aucun engagement."),
    ]


def _annex(d: Dossier) -> list[Any]:
    def sha(value: str) -> Paragraph:
        return _p(escape(value), "mono")

    q, vocab = d.questionnaire, d.vocabulaire_profil
    inputs: list[list[Any]] = [
        ["Fichier", "Rôle", "SHA-256"],
        [q.fichier, "questionnaire", sha(q.sha256)],
        [vocab.fichier, "vocabulaire du profil", sha(vocab.sha256)],
        *([r.fichier, f"référentiel {r.id} {r.version}", sha(r.sha256)] for r in d.referentiels),
    ]
    pieces: list[list[Any]] = [["Chemin", "Octets", "SHA-256"]]
    pieces += [
        [p.chemin, f"{p.taille:,}".replace(",", "\u00a0"), sha(p.sha256)] for p in d.manifeste
    ]
    profil: list[list[Any]] = [
        ["Critère", "Valeur déclarée"],
        *([k, _valeur(v)] for k, v in d.profil.items()),
    ]
    return [
        _p("Annexe — Profil, empreintes et pièces justificatives", "h1"),
        _p("Profil déclaré", "h2"),
        _table_or(profil, [7 * cm, WIDTH - 7 * cm], "Aucun critère déclaré."),
        _p("Fichiers d'entrée", "h2"),
        _table(inputs, [5.1 * cm, 3.2 * cm, 8.7 * cm]),
        _p("Pièces justificatives (manifeste)", "h2"),
        _table(pieces, [6.8 * cm, 1.5 * cm, 8.7 * cm])
        if d.manifeste
        else _p("Aucune pièce jointe."),
    ]
