"""One exigence of a dossier as a PDF card, and the marks it shares with the rest of the document."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import (
    Table,
)

from cens_eval.constants import QUESTIONNAIRE_DIR
from cens_eval.model.dossier import (
    ExigenceDossier,
    PreuveDossier,
    SignalementDossier,
    SourceDossier,
)
from cens_eval.model.fidelity import (
    FIDELITE_LABELS,
)
from cens_eval.model.signalement import ETAPE_LABELS
from cens_eval.model.vocabulary import (
    NIVEAU_LABELS,
    RESULTAT_LABELS,
    STATUT_LABELS,
    Fidelite,
    Resultat,
)
from cens_eval.render.pdf_kit import (
    FONT,
    GREEN,
    GREY,
    GRID,
    LIGHT,
    LINE,
    ORANGE,
    RED,
    WIDTH,
    cell,
    coloured,
    date_fr,
    link,
    markup,
    plain,
    valeur_text,
)
from cens_eval.render.reprises import provenance

RESULT_COLOURS = dict.fromkeys(Resultat, RED) | {Resultat.CONFORME: GREEN}

FIDELITE_COLOURS = {
    Fidelite.OFFICIEL: GREEN,
    Fidelite.PARAPHRASE: GREY,
    Fidelite.RECONSTITUE: ORANGE,
}


def anchor(referentiel: str, exigence: str) -> str:
    """The name of an exigence card's destination, for links inside the document."""
    return f"exigence:{referentiel}:{exigence}"


def exigence_card(
    e: ExigenceDossier,
    reported: Sequence[SignalementDossier] = (),
    name: str = "",
    files: frozenset[str] = frozenset(),
) -> Table:
    """One exigence: a title row (repeated on a new page), then one row per field.

    ``reported``: the éthicovigilance signalements about the solution that concern it;
    ``name``: the destination other pages link to (see :func:`anchor`); ``files``: the evidence
    files the dossier folder holds (linked, relative to the folder).
    """
    niveau = NIVEAU_LABELS[e.niveau]
    if e.niveau_effectif is not e.niveau:
        niveau += f" (niveau effectif : {NIVEAU_LABELS[e.niveau_effectif].lower()})"
    if e.poids != 1:
        niveau += f", poids {valeur_text(e.poids)}"
    statut = STATUT_LABELS[e.statut_declare] if e.statut_declare else "non renseigné"
    fields: list[tuple[str, str]] = [
        ("Résultat", result_markup(e.resultat, " — bloquante" if e.bloquante else "")),
        ("Niveau", Plain(niveau)),
        # The label alone (the cover's legend defines it), drawn as a plain string in its colour.
        ("Fidélité", Plain(FIDELITE_LABELS[e.fidelite])),
        ("Source", _source(e.source)),
        *([("Choix du projet", _choices(e))] if e.choix_du_projet else []),
        ("Statut déclaré", Plain(statut)),
        *([("Réponse", markup(provenance(e.reprises) or ""))] if e.reprises else []),
        ("Justification", markup(e.justification or "—")),
        ("Preuves fournies", "<br/>".join(_preuve(p, files) for p in e.preuves) or "aucune"),
    ]
    if e.preuves_manquantes:
        named = e.libelles_preuves_manquantes
        missing = "<br/>".join(
            f"<b>{markup(x)}</b>" + (f" — {markup(named[x])}" if x in named else "")
            for x in e.preuves_manquantes
        )
        fields.append(("Preuves manquantes", f'<font color="{RED}">{missing}</font>'))
    fields.append(("Explication", "<br/>".join(markup(x) for x in e.explication) or "—"))
    if e.engagement:
        promise = f"{e.engagement.action} (échéance : {date_fr(e.engagement.echeance)})"
        fields.append(("Engagement", markup(promise)))
    if reported:
        cases = "<br/>".join(
            markup(f"{s.id}, reçu le {date_fr(s.recu_le)} — {ETAPE_LABELS[s.etape].lower()}")
            for s in reported
        )
        fields.append(("Signalements", cases))
    target = f'<a name="{escape(name)}"/>' if name else ""
    rows: list[list[Any]] = [
        [cell(f"{target}<b>{markup(e.id)}</b>"), cell(f"<b>{markup(e.libelle)}</b>")]
    ]
    # Labels and one-line values are drawn as plain table strings: a Paragraph per cell is
    # what makes a long dossier slow to lay out.
    rows += [
        [plain(label), plain(value) if isinstance(value, Plain) else cell(value)]
        for label, value in fields
    ]
    # No spans, and split inside a long row rather than before it (a row may exceed a page),
    # but never leave less than two lines of a card on either side of a page break, and keep
    # the title with the first rows (no card title alone at a page's foot).
    table = Table(rows, [3.1 * cm, WIDTH - 3.1 * cm], repeatRows=1, splitByRow=0, splitInRow=24)
    lines = [("BOX", (0, 0), (-1, -1), 0.5, LINE), ("LINEBELOW", (0, 0), (-1, -1), 0.3, LINE)]
    labels = [
        ("FONT", (0, 1), (0, -1), FONT, 7.5),
        ("TEXTCOLOR", (0, 1), (0, -1), colors.HexColor(GREY)),
    ]
    keep = [("NOSPLIT", (0, 0), (-1, min(2, len(rows) - 1)))]
    label_row = 1 + [label for label, _ in fields].index("Fidélité")
    colour = colors.HexColor(FIDELITE_COLOURS[e.fidelite])
    fidelity = [("TEXTCOLOR", (1, label_row), (1, label_row), colour)]
    table.setStyle(
        [*GRID, *lines, *labels, *keep, *fidelity, ("BACKGROUND", (0, 0), (-1, 0), LIGHT)]
    )
    return table


class Plain(str):
    """A short one-line value, drawn as a plain table string rather than a Paragraph."""

    __slots__ = ()


def result_markup(resultat: Resultat, suffix: str = "") -> str:
    """An outcome in its colour (green when conforme, red otherwise)."""
    return coloured(RESULTAT_LABELS[resultat] + suffix, RESULT_COLOURS[resultat])


def _choices(e: ExigenceDossier) -> str:
    """What the project chose where no source says (level, weight…), and why; one a line."""
    return "<br/>".join(
        f"<b>{markup(c.porte_sur)}</b> : {markup(c.raison)}" for c in e.choix_du_projet
    )


def small(text: str) -> str:
    """Markup for a small grey note."""
    return f'<font size="7" color="{GREY}">{markup(text)}</font>'


def fidelite_markup(fidelite: Fidelite) -> str:
    """A fidelity label in its colour (reconstitué stands out)."""
    return coloured(FIDELITE_LABELS[fidelite], FIDELITE_COLOURS[fidelite])


def _source(source: SourceDossier) -> str:
    address = link(source.lien) if source.lien else markup(source.url)
    text = f"{markup(source.titre)} — {markup(source.localisation)}<br/>{address}"
    if source.consulte_le:
        text += f" {small(f'(consultée le {date_fr(source.consulte_le)})')}"
    return text


def _preuve(p: PreuveDossier, files: frozenset[str] = frozenset()) -> str:
    """A declared preuve; its file (when the dossier holds it) and its URL are clickable."""
    given: list[str] = []
    if p.fichier:
        shown = markup(p.fichier)
        if p.fichier in files:
            shown = link(f"{QUESTIONNAIRE_DIR}/{p.fichier}", p.fichier)
        given.append(f"fichier {shown}")
    if p.url:
        web = p.url.lower().startswith(("https://", "http://"))
        given.append(f"URL {link(p.url) if web else markup(p.url)}")
    if p.declaration:
        given.append(markup(f"déclaration « {p.declaration} »"))
    if p.valeur is not None:
        given.append(markup(f"valeur {valeur_text(p.valeur)}"))
    text = f"<b>{markup(p.attendue)}</b> {markup('→')} {', '.join(given)}"
    if p.libelle_attendu:
        text += f'<br/><font size="7" color="{GREY}">{markup(p.libelle_attendu)}</font>'
    return text
