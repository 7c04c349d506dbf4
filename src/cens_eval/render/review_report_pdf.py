"""A reviewed dossier as a PDF, in the evaluator's voice from its first page.

Page 1 is the review's cover: who reviewed, when, which dossier (with the SHA-256 of its
``dossier.json``), the verdict of each référentiel as declared and as assessed with the assessed
blocking gaps, the proposed and the final opinion, and the validation block. Then the assessed
blocking gaps, the agreement and over-declarations, the declared and assessed scores, every
exigence as declared → assessed with the avis and its comment, and the hashes. The éditeur's own
dossier (``dossier.pdf``) stays beside it, unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, PageBreak, Paragraph, Spacer, Table

from cens_eval.model.dossier import ExigenceDossier, SignalementDossier
from cens_eval.model.fidelity import reconstituted_caveat
from cens_eval.model.review import (
    AVIS_LABELS,
    OPINION_LABELS,
    DossierRevu,
    ExigenceRevue,
    Opinion,
    ReferentielRevu,
    SectionRevue,
)
from cens_eval.model.signalement import ETAPE_LABELS
from cens_eval.model.vocabulary import (
    NIVEAU_LABELS,
    PRINCIPE_LABELS,
    RESULTAT_LABELS,
    STATUT_LABELS,
    VERDICT_LABELS,
    Fidelite,
    Niveau,
    Principe,
)
from cens_eval.render.arbitration_pdf import arbitration_story
from cens_eval.render.generated_text import typographic
from cens_eval.render.pdf import VERDICT_COLOURS, cover_limit
from cens_eval.render.pdf_card import RESULT_COLOURS, fidelite_markup
from cens_eval.render.pdf_fidelity import caveat_paragraphs, counts_markup, labelled_id
from cens_eval.render.pdf_kit import (
    GREEN,
    GREY,
    GRID,
    LIGHT,
    LINE,
    ORANGE,
    RED,
    WIDTH,
    Mark,
    build_pages,
    cell,
    coloured,
    date_fr,
    digest_markup,
    heading,
    markup,
    para,
    score_text,
    table,
    table_or,
)
from cens_eval.render.preuves import preuve_text
from cens_eval.render.signature_box import ValidationBlock

TITLE = "Revue d'évaluation éthique"
OPINION_COLOURS = {
    Opinion.FAVORABLE: GREEN,
    Opinion.FAVORABLE_RESERVES_NON_SUSPENSIVES: GREEN,
    Opinion.FAVORABLE_RESERVES_SUSPENSIVES: ORANGE,
    Opinion.DEFAVORABLE: RED,
}


def render_review_report_pdf(dossier: DossierRevu) -> bytes:
    """The reviewed dossier as a PDF; the same review always gives the same bytes.

    Its metadata name the review: title, the evaluator as author, the dossier's hash and the
    review date as subject; every page's footer gives the review date and the evaluator.
    """
    r, sol = dossier.revue, dossier.solution
    with typographic(dossier):  # the header and footer too
        return build_pages(
            review_story(dossier),
            title=f"{TITLE} — {sol.nom} {sol.version}",
            author=_who(r),
            subject=(
                f"Revue du dossier de {dossier.editeur.nom} (dossier.json SHA-256 "
                f"{r.dossier_sha256}) au {date_fr(r.date)}"
            ),
            creator=f"{dossier.outil.nom} {dossier.outil.version}",
            header=f"{sol.nom} {sol.version} — {dossier.editeur.nom} — {TITLE}",
            footer=(
                f"Revue du {date_fr(r.date)} par {r.evaluateur.nom} — dossier évalué au "
                f"{date_fr(dossier.as_of)}"
            ),
            created=r.date,
        )


def review_story(d: DossierRevu) -> list[Any]:
    """The document's flowables: review cover, then the review's sections, then the hashes."""
    story = [Mark("Couverture et avis"), *_cover(d), PageBreak(), *_blocking(d)]
    story += [*_agreement(d.revue), *arbitration_story(d), *_scores(d.revue)]
    return [*story, PageBreak(), *_exigences(d), CondPageBreak(6 * cm), *_annex(d)]


def _who(r: SectionRevue) -> str:
    e = r.evaluateur
    return e.nom + "".join(f", {x}" for x in (e.fonction, e.organisme) if x)


def _label(text: str) -> Paragraph:
    return para(f'<font color="{GREY}">{markup(text)}</font>', "cellule")


def _labelled(d: DossierRevu) -> bool:
    """Whether the document shows fidelity labels (format 2 on; format 1 is reproduced as it was)."""
    return d.version_format >= 2


def _fidelite(d: DossierRevu, referentiel: str, exigence: str) -> Fidelite:
    return next(e.fidelite for e in d.resultat(referentiel).exigences if e.id == exigence)


def _gaps(ref: ReferentielRevu) -> list[tuple[str, str]]:
    """The assessed blocking gaps of a référentiel as (référentiel, exigence)."""
    return [(ref.id, x) for x in ref.bloquantes_evaluees]


def _caveat(d: DossierRevu, gaps: Sequence[tuple[str, str]]) -> list[Paragraph]:
    """The dossier's warning on assessed blocking gaps that rest on reconstituted exigences."""
    return caveat_paragraphs(reconstituted_caveat([(x, _fidelite(d, ref, x)) for ref, x in gaps]))


# ---- page 1: the review's cover ----------------------------------------------------------------


def _cover(d: DossierRevu) -> list[Any]:
    r, e, s = d.revue, d.editeur, d.solution
    ev = r.evaluateur
    role = ", ".join(x for x in (ev.fonction, ev.organisme) if x)
    evaluator = f"<b>{markup(ev.nom)}</b>" + "".join(
        f"<br/>{markup(x)}" for x in (role, ev.contact) if x
    )
    siren = f" (SIREN {e.siren})" if e.siren else ""
    reviewed = (
        f"<b>{markup(s.nom)}</b> version {markup(s.version)} — {markup(e.nom + siren)}"
        f"<br/>dossier évalué au {markup(date_fr(d.as_of))}"
    )
    facts: list[list[Any]] = [
        [_label("Évaluateur"), cell(evaluator)],
        [_label("Date de la revue"), cell(f"<b>{markup(date_fr(r.date))}</b>")],
        [_label("Dossier revu"), cell(reviewed)],
        [
            _label("Empreinte du dossier"),
            cell(f"SHA-256 de dossier.json : {digest_markup(r.dossier_sha256)}"),
        ],
    ]
    if r.historique:  # format 2 on: the reviews before this one, kept in historique/
        earlier = "<br/>".join(
            f"{h.numero}. {markup(h.evaluateur)}, le {markup(date_fr(h.date))} — "
            + (OPINION_LABELS[h.opinion_retenue] if h.opinion_retenue else "sans avis final")
            + f" (historique/{h.numero}/)"
            for h in r.historique
        )
        facts.append([_label("Revues précédentes"), cell(earlier)])
    verdicts: list[list[Any]] = [
        ["Référentiel", "Verdict déclaré", "Verdict évalué", "Écarts bloquants évalués"]
    ]
    labelled = _labelled(d)
    for ref in r.referentiels:
        declared = {b.id for b in d.resultat(ref.id).bloquantes}
        gaps = ", ".join(
            f"<b>{markup(x)}</b>" if x not in declared else markup(x)
            for x in ref.bloquantes_evaluees
        )
        assessed = coloured(VERDICT_LABELS[ref.verdict_evalue], VERDICT_COLOURS[ref.verdict_evalue])
        if labelled:  # format 2 on: the fidelity labels, as on the dossier's cover
            assessed += f"<br/>{counts_markup(d.resultat(ref.id).par_fidelite)}"
            gaps = ", ".join(
                f"{markup(x) if x in declared else f'<b>{markup(x)}</b>'} "
                f"({fidelite_markup(_fidelite(d, ref.id, x))})"
                for x in ref.bloquantes_evaluees
            )
        verdicts.append(
            [
                cell(f"<b>{markup(ref.titre)}</b><br/>{markup(ref.id)} {markup(ref.version)}"),
                cell(
                    coloured(
                        VERDICT_LABELS[ref.verdict_declare], VERDICT_COLOURS[ref.verdict_declare]
                    )
                ),
                cell(assessed),
                cell(gaps or "aucun"),
            ]
        )
    note = (
        "Écarts bloquants évalués : exigences obligatoires que les résultats retenus par "
        "l'évaluateur laissent non satisfaites ; en gras, celles que l'éditeur ne déclarait pas en écart."
    )
    return [
        Spacer(1, 0.3 * cm),
        para("Référentiels d'éthique du numérique en santé (CENS)", "soustitre"),
        para(markup(TITLE), "titre"),
        para(markup(f"{s.nom} {s.version} — {e.nom}"), "soustitre"),
        Spacer(1, 0.4 * cm),
        table(facts, [3.6 * cm, WIDTH - 3.6 * cm], [("BACKGROUND", (0, 0), (0, -1), LIGHT)], 0),
        Spacer(1, 0.3 * cm),
        table(verdicts, [6.4 * cm, 2.8 * cm, 2.8 * cm, WIDTH - 12 * cm]),
        para(f'<font size="7" color="{GREY}">{markup(note)}</font>', "cellule"),
        *(_caveat(d, [g for ref in r.referentiels for g in _gaps(ref)]) if labelled else []),
        Spacer(1, 0.3 * cm),
        _opinion_box(r, cover_limit(d)),
        Spacer(1, 0.3 * cm),
        _validation(r),
    ]


def _opinion_box(r: SectionRevue, limit: int) -> Table:
    proposed = OPINION_LABELS[r.opinion_proposee]
    rows: list[list[Any]] = [
        [
            para(
                f"Avis proposé : {coloured(proposed, OPINION_COLOURS[r.opinion_proposee])}",
                "conclusion",
            )
        ],
        [cell("<br/>".join(f"• {markup(_shortened(m, limit))}" for m in r.motifs))],
    ]
    if r.decision_finale is not None:
        final = r.decision_finale.opinion
        rows.append(
            [
                para(
                    f"Avis final retenu : {coloured(OPINION_LABELS[final], OPINION_COLOURS[final])}",
                    "conclusion",
                )
            ]
        )
        rows.append([cell(f"Motif : {markup(r.decision_finale.motif)}")])
    elif r.opinion_retenue is not None:
        retained = OPINION_LABELS[r.opinion_retenue]
        rows.append(
            [
                para(
                    f"Avis final retenu : {coloured(retained, OPINION_COLOURS[r.opinion_retenue])}",
                    "conclusion",
                )
            ]
        )
        rows.append([cell("L'évaluateur retient l'avis proposé.")])
    else:
        rows.append([para(f"Avis final : {coloured('aucun', ORANGE)}", "conclusion")])
        rows.append(
            [
                cell(
                    markup(
                        f"{len(r.sans_avis)} exigence(s) sans avis : aucun avis final ne peut être "
                        "retenu avant qu'elles soient revues."
                    )
                )
            ]
        )
    shown = r.opinion_retenue or r.opinion_proposee
    box = Table(rows, colWidths=[WIDTH], hAlign="LEFT", splitInRow=1)
    frame = colors.HexColor(OPINION_COLOURS[shown])
    box.setStyle(
        [*GRID, ("BOX", (0, 0), (-1, -1), 1.2, frame), ("BACKGROUND", (0, 0), (-1, -1), LIGHT)]
    )
    return box


def _shortened(motif: str, limit: int) -> str:
    """A motif (« label : ref A, B ; ref2 C ») naming at most ``limit`` ids per référentiel.

    The full lists are in section « Écarts bloquants après revue » and the exigence tables; a
    motif whose lists fit is returned unchanged.
    """
    label, sep, groups = motif.partition(" : ")
    shortened = []
    for group in groups.split(" ; ") if sep else []:
        ref, _, listed = group.partition(" ")
        ids = listed.split(", ")
        if len(ids) > limit:
            rest = f"{len(ids) - limit:,}".replace(",", "\u00a0")
            listed = f"{', '.join(ids[:limit])} et {rest} autres (voir les tableaux détaillés)"
        shortened.append(f"{ref} {listed}")
    return f"{label}{sep}{' ; '.join(shortened)}" if sep else motif


def _validation(r: SectionRevue) -> ValidationBlock:
    """The sign-off: name, role, date and « lu et approuvé », beside an empty signature area."""
    ev = r.evaluateur
    lines = [
        "<b>Validation de la revue</b>",
        f"Nom : <b>{markup(ev.nom)}</b>",
        *([f"Fonction : {markup(ev.fonction)}"] if ev.fonction else []),
        *([f"Organisme : {markup(ev.organisme)}"] if ev.organisme else []),
        f"Date : <b>{markup(date_fr(r.date))}</b>",
        "Mention manuscrite « Lu et approuvé » :",
    ]
    sign = _label("Signature")
    block = ValidationBlock(
        [[cell("<br/>".join(lines)), sign]],
        colWidths=[WIDTH * 0.55, WIDTH * 0.45],
        rowHeights=[3.2 * cm],
        hAlign="LEFT",
    )
    block.setStyle(
        [*GRID, ("BOX", (0, 0), (-1, -1), 0.8, LINE), ("LINEBEFORE", (1, 0), (1, 0), 0.5, LINE)]
    )
    return block


# ---- the review's sections ---------------------------------------------------------------------


def _declared_assessed(e: ExigenceRevue, bloquante: bool = False) -> str:
    """Markup for the outcome as declared → as assessed (always worded, never a bare label)."""
    assessed = RESULTAT_LABELS[e.resultat_evalue] + (" — bloquante" if bloquante else "")
    return (
        f'<font color="{GREY}">déclaré : {markup(RESULTAT_LABELS[e.resultat_declare])}</font><br/>'
        f"évalué : {coloured(assessed, RESULT_COLOURS[e.resultat_evalue])}"
    )


def _avis_text(e: ExigenceRevue) -> str:
    if e.avis is None:
        return markup("Sans avis (traitée comme complément demandé)")
    text = f"<b>{markup(AVIS_LABELS[e.avis])}</b>"
    return text + (f" — {markup(e.commentaire)}" if e.commentaire else "")


def _rows(items: list[ExigenceRevue], d: DossierRevu | None = None) -> list[list[Any]]:
    """The table of exigences; given the dossier, each id carries its fidelity label."""
    rows: list[list[Any]] = [["Exigence", "Libellé", "Résultat", "Avis et commentaire"]]
    rows += [
        [
            cell(
                f"<b>{markup(e.referentiel)}</b><br/>{markup(e.id)}"
                if d is None
                else f"{markup(e.referentiel)}<br/>{labelled_id(e.id, _fidelite(d, e.referentiel, e.id))}"
            ),
            e.libelle,
            cell(_declared_assessed(e)),
            cell(_avis_text(e)),
        ]
        for e in items
    ]
    return rows


WIDTHS = [2.9 * cm, 5.2 * cm, 3.9 * cm, WIDTH - 12 * cm]


def _blocking(d: DossierRevu) -> list[Any]:
    story: list[Any] = [
        heading("1. Écarts bloquants évalués", "h1", 0),
        para(
            markup(
                "Exigences obligatoires que les résultats retenus par l'évaluateur laissent non "
                "satisfaites : chacune rend le référentiel non conforme après revue."
            )
        ),
    ]
    for ref in d.revue.referentiels:
        items = [e for e in ref.exigences if e.bloquante_evaluee]
        story += [
            heading(f"{ref.titre} ({ref.id} {ref.version})", "h2", 1),
            para(markup(ref.explication_evaluee)),
            table_or(
                _rows(items, d if _labelled(d) else None),
                WIDTHS,
                "Aucun écart bloquant après revue.",
            ),
            *(_caveat(d, _gaps(ref)) if _labelled(d) else []),
        ]
    return story


def _agreement(r: SectionRevue) -> list[Any]:
    accord = r.accord
    kappa = "indéfini" if accord.kappa is None else str(accord.kappa).replace(".", ",")
    facts: list[list[Any]] = [
        [
            _label("Accord"),
            f"{score_text(accord.pourcentage)} des exigences ayant un avis ; kappa de Cohen : {kappa}",
        ],
        [_label("Détail"), accord.explication],
        [_label("Exigences sans avis"), ", ".join(r.sans_avis) or "aucune"],
    ]
    if r.avertissements:
        facts.append([_label("Points d'attention"), "\n".join(r.avertissements)])
    over = [e for ref in r.referentiels for e in ref.exigences if e.sur_declaration]
    other = [
        e
        for ref in r.referentiels
        for e in ref.exigences
        if not e.accord and not e.sur_declaration and e.avis is not None
    ]
    return [
        CondPageBreak(5 * cm),
        heading("2. Accord entre l'éditeur et l'évaluateur", "h1", 0),
        para(
            markup(
                "Un avis confirme (validé) ou rejette (non validé) le résultat déclaré par l'éditeur ; "
                "l'accord compare résultats déclarés et évalués sur les exigences qui ont un avis."
            )
        ),
        table(facts, [3.6 * cm, WIDTH - 3.6 * cm], [("BACKGROUND", (0, 0), (0, -1), LIGHT)], 0),
        heading(
            "Sur-déclarations (résultat évalué moins favorable que le résultat déclaré)", "h2", 1
        ),
        table_or(_rows(over), WIDTHS, "Aucune sur-déclaration."),
        heading("Autres désaccords", "h2", 1),
        table_or(_rows(other), WIDTHS, "Aucun autre désaccord."),
    ]


def _scores(r: SectionRevue) -> list[Any]:
    story: list[Any] = [CondPageBreak(6 * cm), heading("3. Scores déclarés et évalués", "h1", 0)]
    for ref in r.referentiels:
        rows: list[list[Any]] = [
            ["Principe", "Obligatoires déclaré", "évalué", "Préconisations déclaré", "évalué"]
        ]
        for principe in (*Principe, None):
            row: list[Any] = [PRINCIPE_LABELS[principe] if principe else "Ensemble"]
            for niveau in Niveau:
                for scores in (ref.scores_declares, ref.scores_evalues):
                    score = next(s for s in scores if s.niveau is niveau and s.principe is principe)
                    row.append(score_text(score.score))
            rows.append(row)
        story += [
            CondPageBreak(5 * cm),
            heading(f"{ref.titre} ({ref.id} {ref.version})", "h2", 1),
            table(
                rows,
                [4.2 * cm, 3.4 * cm, 2.6 * cm, 4.2 * cm, WIDTH - 14.4 * cm],
                [("BACKGROUND", (0, -1), (-1, -1), LIGHT)],
            ),
        ]
    return story


def _exigences(d: DossierRevu) -> list[Any]:
    story: list[Any] = [heading("4. Exigences par principe : résultat déclaré → évalué", "h1", 0)]
    for ref in d.revue.referentiels:
        declared = {e.id: e for e in d.resultat(ref.id).exigences}
        story += [
            CondPageBreak(6 * cm),
            heading(f"{ref.titre} ({ref.id} {ref.version})", "h2", 1),
        ]
        for principe in Principe:
            items = [e for e in ref.exigences if e.principe is principe]
            story += [CondPageBreak(4 * cm), heading(PRINCIPE_LABELS[principe], "h3", 2)]
            if not items:
                story.append(cell("Aucune exigence de ce principe dans le périmètre."))
            for e in items:
                reported = d.signalements.sur(ref.id, e.id) if d.signalements else []
                card = _exigence(e, declared[e.id], reported, labelled=_labelled(d))
                story += [card, Spacer(1, 6)]
    return story


def _exigence(
    e: ExigenceRevue,
    source: ExigenceDossier,
    reported: Sequence[SignalementDossier] = (),
    *,
    labelled: bool = False,
) -> Table:
    """One exigence: declared → assessed, the avis, the éditeur's declaration, its signalements.

    ``labelled`` (format 2 on) adds its fidelity label, as the dossier's card shows it.
    """
    niveau = NIVEAU_LABELS[e.niveau_effectif]
    statut = STATUT_LABELS[e.statut_declare] if e.statut_declare else "non renseigné"
    fields: list[tuple[str, str]] = [
        ("Résultat", _declared_assessed(e, e.bloquante_evaluee)),
        ("Avis de l'évaluateur", _avis_text(e)),
        ("Niveau effectif", markup(f"{niveau} — statut déclaré : {statut}")),
        *([("Fidélité", fidelite_markup(source.fidelite))] if labelled else []),
        ("Justification de l'éditeur", markup(source.justification or "—")),
        (
            "Preuves fournies",
            "<br/>".join(markup(preuve_text(p)) for p in source.preuves) or "aucune",
        ),
    ]
    if source.preuves_manquantes:
        labels = source.libelles_preuves_manquantes
        missing = "<br/>".join(
            f"<b>{markup(x)}</b>" + (f" — {markup(labels[x])}" if x in labels else "")
            for x in source.preuves_manquantes
        )
        fields.append(("Preuves manquantes", f'<font color="{RED}">{missing}</font>'))
    if source.engagement:
        promise = f"{source.engagement.action} (échéance : {date_fr(source.engagement.echeance)})"
        fields.append(("Engagement", markup(promise)))
    if reported:
        cases = (
            f"{s.id}, reçu le {date_fr(s.recu_le)} — {ETAPE_LABELS[s.etape].lower()}"
            for s in reported
        )
        fields.append(("Signalements", "<br/>".join(markup(c) for c in cases)))
    rows: list[list[Any]] = [[cell(f"<b>{markup(e.id)}</b>"), cell(f"<b>{markup(e.libelle)}</b>")]]
    rows += [[_label(label), cell(value)] for label, value in fields]
    # as in the dossier: no line of a card alone across a page break, its title with its rows
    block = Table(rows, [3.3 * cm, WIDTH - 3.3 * cm], repeatRows=1, splitByRow=0, splitInRow=24)
    lines = [("BOX", (0, 0), (-1, -1), 0.5, LINE), ("LINEBELOW", (0, 0), (-1, -1), 0.3, LINE)]
    keep = [("NOSPLIT", (0, 0), (-1, min(2, len(rows) - 1)))]
    block.setStyle([*GRID, *lines, *keep, ("BACKGROUND", (0, 0), (-1, 0), LIGHT)])
    return block


def _annex(d: DossierRevu) -> list[Any]:
    r = d.revue

    def sha(value: str) -> Paragraph:
        return cell(digest_markup(value))

    files: list[list[Any]] = [
        ["Fichier", "Rôle", "SHA-256"],
        ["dossier.json", "dossier revu", sha(r.dossier_sha256)],
        [r.fichier.fichier, "revue appliquée", sha(r.fichier.sha256)],
        [d.questionnaire.fichier, "questionnaire", sha(d.questionnaire.sha256)],
        *([x.fichier, f"référentiel {x.id} {x.version}", sha(x.sha256)] for x in d.referentiels),
    ]
    return [
        heading("Annexe — Empreintes", "h1", 0),
        para(
            markup(
                "La revue s'applique au seul dossier dont le dossier.json a l'empreinte ci-dessous. "
                "Le dossier de l'éditeur (dossier.pdf, dossier.xlsx, pièces) l'accompagne, inchangé ; "
                "« cens-eval dossier verify » en vérifie chaque fichier."
            )
        ),
        table(files, [5.1 * cm, 3.2 * cm, WIDTH - 8.3 * cm]),
    ]
