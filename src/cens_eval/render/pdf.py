"""PDF rendering of a conformity dossier: French, A4, identical bytes for the same dossier.

Fonts, typography, outline and metadata come from :mod:`cens_eval.render.pdf_kit`. The cover
states, beside the verdicts, what keeps the dossier from being complete (overdue engagements,
unanswered exigences, missing mandatory preuves), each pointing to where it is detailed.

The cover is one page whatever the dossier's size: every list on it names its first
:data:`COVER_NAMED` items, then « et K autres », pointing to where all of them are (a list that
fits is printed whole, exactly as before).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)

from cens_eval.constants import QUESTIONNAIRE_DIR
from cens_eval.model.dossier import (
    Dossier,
    ResultatDossier,
)
from cens_eval.model.fidelity import (
    FIDELITE_DEFINITIONS,
    FIDELITE_LABELS,
    reconstituted,
    reconstituted_caveat,
)
from cens_eval.model.results import Blocage, EtatPreparation, PointPreparation
from cens_eval.model.signalement import DECLARANT_LABELS, ETAPE_LABELS
from cens_eval.model.vocabulary import (
    PRINCIPE_LABELS,
    VERDICT_LABELS,
    Fidelite,
    Niveau,
    Principe,
    Resultat,
    StatutReferentiel,
    Verdict,
)
from cens_eval.render.generated_text import typographic
from cens_eval.render.pdf_card import (
    RESULT_COLOURS,
    anchor,
    exigence_card,
    result_markup,
    small,
)
from cens_eval.render.pdf_fidelity import caveat_paragraphs, counts_markup, labelled_id
from cens_eval.render.pdf_kit import (
    FONT,
    GREEN,
    GREY,
    GRID,
    LIGHT,
    LINE,
    ORANGE,
    RED,
    SERIES,
    TITLE,
    WIDTH,
    Mark,
    build_document,
    cell,
    coloured,
    date_fr,
    digest_markup,
    heading,
    markup,
    para,
    path_markup,
    plain,
    score_text,
    table,
    table_or,
    valeur_text,
)

VERDICT_COLOURS = {Verdict.CONFORME: GREEN, Verdict.NON_CONFORME: RED}
RESULT_COLOURS |= {Resultat.NON_APPLICABLE_JUSTIFIE: GREY, Resultat.PREUVES_MANQUANTES: ORANGE}
RESULT_COLOURS[Resultat.PARTIELLEMENT_CONFORME] = ORANGE
STATUTS = {
    s: s.value.replace("_", " ").replace("evaluation", "évaluation") for s in StatutReferentiel
}
COVER_NAMED = 12
"""Items a list on the cover names before « et K autres » (the cover stays one page)."""


def cover_limit(dossier: Dossier) -> int:
    """How many items a cover list names: :data:`COVER_NAMED` from format 2 on.

    Format 1 (cens-eval 0.1.0) named them all, and its dossiers are reproduced as they were.
    """
    return COVER_NAMED if dossier.version_format >= 2 else sys.maxsize


def render_pdf(dossier: Dossier, inserted: Sequence[Any] = ()) -> bytes:
    """Render the dossier as a PDF document.

    Args:
        dossier: the conformity dossier to print.
        inserted: flowables placed right after the cover (a review, for instance).

    Returns:
        The PDF bytes; the same dossier always gives the same bytes (no clock, fixed IDs).
    """
    with typographic(dossier):
        return build_document(dossier, build_story(dossier, inserted))


def build_story(dossier: Dossier, inserted: Sequence[Any] = ()) -> list[Any]:
    """The document's flowables, in reading order.

    Args:
        dossier: the conformity dossier to print.
        inserted: flowables placed right after the cover.

    Returns:
        Cover and conclusion, blocking gaps, scores per principle, exigences per principle,
        scope and dates, then the evidence annex.
    """
    front = [Mark("Couverture et conclusion"), *_cover(dossier), PageBreak()]
    front += [*inserted, *([PageBreak()] if inserted else [])]
    # format 2 on, section 3 follows the scores on the same page when a card fits (format 1:
    # always a new page, as 0.1.0 printed it)
    section_break = PageBreak() if dossier.version_format < 2 else CondPageBreak(8 * cm)
    front += [*_blocking(dossier), *_scores(dossier), section_break]
    return [*front, *_exigences(dossier), *_scope_and_dates(dossier), PageBreak(), *_annex(dossier)]


def _heading(ref: ResultatDossier, style: str = "h2", level: int = 1) -> Paragraph:
    return heading(f"{ref.titre} ({ref.id} {ref.version})", style, level)


def _to_card(referentiel: str, exigence: str) -> str:
    """Markup for an exigence id that links to its card in section 3."""
    return f'<a href="#{escape(anchor(referentiel, exigence))}">{markup(exigence)}</a>'


# ---- sections ---------------------------------------------------------------------------------


def _cover(d: Dossier) -> list[Any]:
    e, s, stamp = d.editeur, d.solution, d.genere_le
    limit = cover_limit(d)
    ident = ", ".join(x for x in (f"SIREN {e.siren}" if e.siren else "", e.contact or "") if x)
    facts: list[list[Any]] = [
        [
            "Éditeur",
            cell(
                f"<b>{markup(e.nom)}</b><br/>{markup(ident)}"
                if ident
                else f"<b>{markup(e.nom)}</b>"
            ),
        ],
        ["Solution", cell(f"<b>{markup(s.nom)}</b> version {markup(s.version)}")],
        *([["Description", s.description]] if s.description else []),
        ["Date d'évaluation", date_fr(d.as_of)],
        *(
            [
                [
                    "Valable jusqu'au",
                    f"{date_fr(d.valide_jusqu_au)} (première preuve datée à renouveler)",
                ]
            ]
            if d.valide_jusqu_au
            else []
        ),
        ["Dossier généré le", f"{date_fr(stamp.date())} à {stamp:%H:%M} {stamp.tzname() or ''}"],
        ["Outil", d.outil_texte()],
    ]
    statuts = {(r.id, r.version): r.statut for r in d.referentiels}
    refs: list[list[Any]] = [["Référentiel", "Version", "Statut", "Verdict"]]
    for r in d.resultats:
        verdict = coloured(VERDICT_LABELS[r.verdict], VERDICT_COLOURS[r.verdict])
        explication = _shortened(
            r.explication, r.bloquantes, "section 1, « Écarts bloquants »", limit
        )
        title = f"<b>{markup(r.titre)}</b><br/>{markup(r.id)} — {markup(explication)}"
        verdict += f"<br/>{counts_markup(r.par_fidelite)}"
        missing = d.preparation.du_referentiel(r.id)
        if not missing.complet:
            title += "<br/>" + coloured(f"À compléter : {missing.resume()}", ORANGE)
        refs.append([cell(title), r.version, STATUTS[statuts[(r.id, r.version)]], cell(verdict)])
    overall = Verdict.CONFORME if d.conforme else Verdict.NON_CONFORME
    why = (
        "La solution satisfait toutes les exigences obligatoires des référentiels évalués."
        if d.conforme
        else f"{sum(len(r.bloquantes) for r in d.resultats)} exigence(s) obligatoire(s) non "
        "satisfaite(s) empêchent la conformité : voir la section 1, « Écarts bloquants »."
    )
    conclusion = f"Conclusion : {coloured(VERDICT_LABELS[overall], VERDICT_COLOURS[overall])}"
    if not d.preparation.complet:
        conclusion += f" — {coloured('dossier incomplet', ORANGE)}"
    lines = [[para(conclusion, "conclusion")], [para(markup(why))]]
    lines += [[x] for x in _readiness(d.preparation, limit)]
    every_gap = [b for r in d.resultats for b in r.bloquantes]
    lines += [[x] for x in _caveat(every_gap, cover=True, limit=limit)]
    box = Table(lines, colWidths=[WIDTH])
    colour = VERDICT_COLOURS[overall] if d.preparation.complet or not d.conforme else ORANGE
    frame = colors.HexColor(colour)
    box.setStyle(
        [*GRID, ("BOX", (0, 0), (-1, -1), 1.2, frame), ("BACKGROUND", (0, 0), (-1, -1), LIGHT)]
    )
    return [
        Spacer(1, 1.5 * cm),
        para("Référentiels d'éthique du numérique en santé (CENS)", "soustitre"),
        para(markup(TITLE), "titre"),
        para(markup(f"{s.nom} {s.version} — {e.nom}"), "soustitre"),
        Spacer(1, 1 * cm),
        table(facts, [4 * cm, WIDTH - 4 * cm], [("BACKGROUND", (0, 0), (0, -1), LIGHT)], 0),
        Spacer(1, 0.6 * cm),
        table(refs, [9 * cm, 2 * cm, 2.6 * cm, 3.4 * cm]),
        Spacer(1, 2),
        para(small(_legend())),
        *(
            para(markup(f"Non applicable : {x.id} — {x.raison}"))
            for x in d.referentiels_non_applicables
        ),
        Spacer(1, 0.8 * cm),
        box,
    ]


def _readiness(p: EtatPreparation, limit: int) -> list[Paragraph]:
    """What the verdict must not hide, each kind counted, its exigences named and linked."""
    if p.complet:
        return []

    def named(points: Sequence[PointPreparation], detail: bool = False) -> str:
        return _first_named(
            [
                _to_card(x.referentiel, x.exigence)
                + (f" ({markup(_bounded(x.preuves, limit))})" if detail and x.preuves else "")
                for x in points
            ],
            [anchor(x.referentiel, x.exigence) for x in points],
            limit,
        )

    preuves = sum(len(x.preuves) for x in p.preuves_manquantes)
    kinds = [
        (
            len(p.engagements_depasses),
            "engagement dépassé",
            "engagements dépassés",
            _first_named(
                [
                    f"{_to_card(x.referentiel, x.exigence)} (échéance : {markup(date_fr(x.date))})"
                    if x.date
                    else _to_card(x.referentiel, x.exigence)
                    for x in p.engagements_depasses
                ],
                [anchor(x.referentiel, x.exigence) for x in p.engagements_depasses],
                limit,
            ),
            "section 4, « Engagements de l'éditeur »",
        ),
        (
            len(p.sans_reponse),
            "exigence sans réponse",
            "exigences sans réponse",
            named(p.sans_reponse),
            "section 3, « Exigences par principe »",
        ),
        (
            preuves,
            "preuve obligatoire manquante",
            "preuves obligatoires manquantes",
            named(p.preuves_manquantes, detail=True),
            "section 3, fiche de chaque exigence",
        ),
    ]
    head = markup(
        "Le dossier n'est pas complet : le verdict ne tient compte que de ce qu'il contient."
    )
    lines = [f"<b>{head}</b>"]
    for count, one, many, which, where in kinds:
        if count:
            label = f"{count} {one if count == 1 else many}"
            lines.append(f"• {coloured(label, ORANGE)} : {which} — voir {markup(where)}.")
    return [para("<br/>".join(lines))]


def _blocking(d: Dossier) -> list[Any]:
    story: list[Any] = [
        heading("1. Écarts bloquants", "h1", 0),
        para("Exigences obligatoires non satisfaites : chacune rend le référentiel non conforme."),
    ]
    for r in d.resultats:
        rows: list[list[Any]] = [["Exigence", "Libellé", "Résultat", "Raison"]]
        for b in r.bloquantes:
            name = cell(labelled_id(b.id, b.fidelite))
            rows.append([name, b.libelle, cell(result_markup(b.resultat)), b.raison])
        widths = [2.4 * cm, 6.6 * cm, 3 * cm, 5 * cm]
        story += [_heading(r), table_or(rows, widths, "Aucun écart bloquant.")]
        story += _caveat(r.bloquantes)
    return story


def _scores(d: Dossier) -> list[Any]:
    note = "Score : part du poids des exigences comptées qui est satisfaite ; « — » : aucune exigence comptée."
    story: list[Any] = [
        Spacer(1, 0.4 * cm),
        heading("2. Scores par principe", "h1", 0),
        para(markup(note)),
    ]
    for r in d.resultats:
        by_key = {(s.principe, s.niveau): s for s in r.scores}
        rows: list[list[Any]] = [["Principe", *(["", "comptées", "exclues"] * 2)]]
        rows[0][1], rows[0][4] = "Exigences obligatoires", "Préconisations"
        for principe in (*Principe, None):
            row = [PRINCIPE_LABELS[principe] if principe else "Ensemble"]
            for niveau in Niveau:
                s = by_key.get((principe, niveau))
                row += (
                    [score_text(s.score), str(len(s.comptees)), str(len(s.exclues))]
                    if s
                    else ["—"] * 3
                )
            rows.append(row)
        widths = [3.4 * cm, *([2.8 * cm, 2.1 * cm, 1.6 * cm] * 2)]
        figures = table(rows, widths, [("BACKGROUND", (0, -1), (-1, -1), LIGHT)])
        story.append(KeepTogether([_heading(r), para(markup(r.explication)), _chart(r), figures]))
    return story


def _chart(r: ResultatDossier) -> Drawing:
    """Grouped bars per principle, mandatory exigences vs préconisations (no score: no bar, "—")."""
    by_key = {(s.principe, s.niveau): s.score for s in r.scores}
    drawing = Drawing(WIDTH, 205, initialFontName=FONT, initialFontSize=8)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 30, WIDTH - 50, 135
    chart.data = [[float(by_key.get((p, n)) or 0) for p in Principe] for n in Niveau]
    chart.barLabelArray = [
        [plain(score_text(by_key.get((p, n)))) for p in Principe] for n in Niveau
    ]
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
    cats.categoryNames = [plain(PRINCIPE_LABELS[p]) for p in Principe]
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
    story: list[Any] = [heading("3. Exigences par principe", "h1", 0)]
    files = frozenset(p.chemin for p in d.manifeste)
    for r in d.resultats:
        story += [CondPageBreak(6 * cm), _heading(r)]
        for principe in Principe:
            items = [e for e in r.exigences if e.principe is principe]
            story += [CondPageBreak(4 * cm), heading(PRINCIPE_LABELS[principe], "h3", 2)]
            if not items:
                story.append(cell("Aucune exigence de ce principe dans le périmètre."))
            for e in items:
                reported = d.signalements.sur(r.id, e.id) if d.signalements else []
                card = exigence_card(e, reported, anchor(r.id, e.id), files)
                story += [card, Spacer(1, 6)]
    return story


def _caveat(
    bloquantes: Sequence[Blocage], *, cover: bool = False, limit: int = COVER_NAMED
) -> list[Paragraph]:
    """The warning on blocking gaps that rest on reconstituted exigences, if any, as a sentence.

    On the cover, its list of exigences is shortened (:func:`_shortened`).
    """
    caveat = reconstituted_caveat([(b.id, b.fidelite) for b in bloquantes])
    if caveat is not None and cover:
        caveat = _shortened(caveat, bloquantes, "section 1, « Écarts bloquants »", limit)
    return caveat_paragraphs(caveat)


def _others(count: int) -> str:
    """« et 1 autre », « et 1 490 autres »: the items a shortened list leaves out."""
    number = f"{count:,}".replace(",", "\u00a0")
    return f"et {number} {'autre' if count == 1 else 'autres'}"


def _bounded(names: Sequence[str], limit: int) -> str:
    """Names joined by commas, the first ``limit`` only, then how many others."""
    if len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:limit])} {_others(len(names) - limit)}"


def _first_named(parts: Sequence[str], targets: Sequence[str], limit: int) -> str:
    """Markup of the first ``limit`` parts, then « et K autres » linking to the next one.

    Args:
        parts: each item's markup, in order.
        targets: each item's destination in the document (its exigence card), in order.
        limit: how many to name (:func:`cover_limit`).
    """
    if len(parts) <= limit:
        return ", ".join(parts)
    more = f'<a href="#{escape(targets[limit])}">{_others(len(parts) - limit)}</a>'
    return f"{', '.join(parts[:limit])} {more}"


def _shortened(text: str, bloquantes: Sequence[Blocage], where: str, limit: int) -> str:
    """A text naming blocking gaps (the verdict's explanation, the caveat) with its lists shortened.

    The text is the engine's one wording; only its lists of exigence ids (every blocking gap,
    the reconstituted ones) are cut to their first :data:`COVER_NAMED` ids, then « et K autres
    (voir ``where``) ». A text whose lists fit is returned unchanged.
    """
    lists = [[b.id for b in bloquantes], reconstituted([(b.id, b.fidelite) for b in bloquantes])]
    for ids in lists:
        if len(ids) > limit:
            text = text.replace(", ".join(ids), f"{_bounded(ids, limit)}, voir {where}")
    return text


def _legend() -> str:
    return "Fidélité : " + " ; ".join(
        f"{FIDELITE_LABELS[f]} = {FIDELITE_DEFINITIONS[f]}" for f in Fidelite
    )


def _scope_and_dates(d: Dossier) -> list[Any]:
    story: list[Any] = [
        CondPageBreak(6 * cm),
        heading("4. Périmètre, échéances et engagements", "h1", 0),
        heading("Hors périmètre", "h2", 1),
    ]
    for r in d.resultats:
        rows = [["Exigence", "Raison"], *([x.id, x.raison] for x in r.hors_perimetre)]
        empty = "Aucune exigence hors périmètre."
        story += [CondPageBreak(3 * cm), _heading(r, "h3", 2)]
        story.append(table_or(rows, [3 * cm, WIDTH - 3 * cm], empty))
    for x in d.referentiels_non_applicables:
        story.append(para(markup(f"Référentiel non applicable : {x.id} — {x.raison}")))
    dates: list[list[Any]] = [["Date", "Référentiel", "Exigence", "Explication"]]
    for e in d.echeances:
        dates.append([date_fr(e.date), e.referentiel, f"{e.exigence} — {e.libelle}", e.explication])
    promises: list[list[Any]] = [["Échéance", "Référentiel", "Exigence", "Action"]]
    for g in d.engagements:
        when = cell(
            markup(date_fr(g.echeance))
            + (f"<br/>{coloured('en retard', RED)}" if g.en_retard else "")
        )
        promises.append([when, g.referentiel, f"{g.exigence} — {g.libelle}", g.action])
    widths = [2.6 * cm, 2.8 * cm, 5.6 * cm, 6 * cm]
    story += [heading("Échéances", "h2", 1), table_or(dates, widths, "Aucune échéance.")]
    return [
        *story,
        heading("Engagements de l'éditeur", "h2", 1),
        table_or(promises, widths, "Aucun engagement."),
        *_signalements(d),
    ]


def _signalements(d: Dossier) -> list[Any]:
    """The éthicovigilance signalements about the solution, when a register was given."""
    if d.signalements is None:
        return []
    rows: list[list[Any]] = [["Signalement", "Étape", "Exigences concernées", "Réponse publiée"]]
    for s in d.signalements.signalements:
        exigences = ", ".join(f"{e.referentiel} {e.exigence}" for e in s.exigences) or "aucune"
        published = (
            f"{date_fr(s.publie_le)} : {s.reponse_publiee}"
            if s.publie_le and s.reponse_publiee
            else "—"
        )
        step = f"{ETAPE_LABELS[s.etape]} (reçu le {date_fr(s.recu_le)}, {DECLARANT_LABELS[s.declarant].lower()})"
        rows.append([s.id, step, exigences, published])
    note = (
        "Signalements d'éthicovigilance sur la solution, tirés du registre donné à l'évaluation "
        "(empreinte SHA-256 de l'extrait dans l'annexe). Ils sont montrés pour information et "
        "ne changent aucun score."
    )
    return [
        heading("Signalements d'éthicovigilance", "h2", 1),
        para(markup(note)),
        table_or(
            rows,
            [2.8 * cm, 4 * cm, 4 * cm, WIDTH - 10.8 * cm],
            "Aucun signalement sur la solution.",
        ),
    ]


def _annex(d: Dossier) -> list[Any]:
    def sha(value: str) -> Paragraph:
        return cell(digest_markup(value))

    def path(value: str, width: float, target: str | None = None) -> Paragraph:
        shown = path_markup(value, width - 8)
        if target is None:
            return cell(shown)
        href = escape(target, {'"': "&quot;"})
        return cell(f'<a href="{href}" color="#1f4e79">{shown}</a>')

    q, vocab = d.questionnaire, d.vocabulaire_profil
    given: list[tuple[str, str, str]] = [
        (q.fichier, "questionnaire", q.sha256),
        (vocab.fichier, "vocabulaire du profil", vocab.sha256),
        *((r.fichier, f"référentiel {r.id} {r.version}", r.sha256) for r in d.referentiels),
    ]
    if d.calendrier is not None:
        calendrier = d.calendrier
        given.append(
            (calendrier.fichier, "calendrier de passage à l'obligation", calendrier.sha256)
        )
    if d.signalements is not None:
        extract = d.signalements.fichier
        given.append((extract.fichier, "signalements (extrait du registre)", extract.sha256))
    columns = [6.2 * cm, 4.4 * cm, WIDTH - 10.6 * cm]
    inputs: list[list[Any]] = [["Fichier", "Rôle", "SHA-256"]]
    inputs += [[path(f, columns[0], f), role, sha(h)] for f, role, h in given]
    pieces: list[list[Any]] = [["Chemin", "Octets", "SHA-256"]]
    widths = [8.9 * cm, 1.7 * cm, WIDTH - 10.6 * cm]
    pieces += [
        [
            path(p.chemin, widths[0], f"{QUESTIONNAIRE_DIR}/{p.chemin}"),
            f"{p.taille:,}".replace(",", "\u00a0"),
            sha(p.sha256),
        ]
        for p in d.manifeste
    ]
    profil: list[list[Any]] = [
        ["Question", "Réponse déclarée"],
        *([d.questions_profil.get(k, k), valeur_text(v)] for k, v in d.profil.items()),
    ]
    return [
        heading("Annexe — Profil, empreintes et pièces justificatives", "h1", 0),
        heading("Profil déclaré", "h2", 1),
        table_or(profil, [7 * cm, WIDTH - 7 * cm], "Aucun critère déclaré."),
        heading("Fichiers d'entrée", "h2", 1),
        table(inputs, columns),
        heading("Pièces justificatives (manifeste)", "h2", 1),
        table(pieces, widths) if d.manifeste else para("Aucune pièce jointe."),
    ]
