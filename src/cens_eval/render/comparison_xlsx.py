"""Reviews compared, as a workbook: agreement first, then the disagreements, then what was left out."""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from cens_eval.model.comparison import Comparaison, Kappa
from cens_eval.model.review import OPINION_LABELS
from cens_eval.model.vocabulary import NIVEAU_LABELS, RESULTAT_LABELS
from cens_eval.render.comparison_text import avis_text
from cens_eval.render.xlsx_cells import (
    BOLD,
    TEXT_FORMAT,
    WRAP,
    fit_rows,
    header,
    print_setup,
    put,
    table,
    workbook_bytes,
)

SHEET_ACCORD = "Accord"
SHEET_DESACCORDS = "Désaccords"
SHEET_NON_COMPAREES = "Non comparées"


def render_comparison_xlsx(c: Comparaison, generated_at: dt.datetime) -> bytes:
    """The comparison workbook; ``generated_at`` dates the file (equal inputs, equal bytes)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_ACCORD
    _accord(ws, c)
    _desaccords(wb.create_sheet(SHEET_DESACCORDS), c)
    if c.non_comparees:
        table(
            wb.create_sheet(SHEET_NON_COMPAREES),
            [("Référentiel", 18), ("Exigence", 14), ("Niveau", 14), ("Sans avis dans", 30)],
            (
                [
                    n.referentiel,
                    n.id,
                    NIVEAU_LABELS[n.niveau_effectif],
                    ", ".join(_revue(c, i) for i in n.sans_avis),
                ]
                for n in c.non_comparees
            ),
        )
    return workbook_bytes(wb, generated_at)


def _revue(c: Comparaison, numero: int) -> str:
    return f"R{numero} {c.revues[numero - 1].evaluateur}"


def _accord(ws: Worksheet, c: Comparaison) -> None:
    put(ws, 1, 1, f"Comparaison des revues — {c.solution}").font = Font(bold=True, size=14)
    rows: list[tuple[str, object]] = [
        ("Éditeur", c.editeur),
        ("Solution", c.solution),
        ("Date d'évaluation du dossier", c.as_of),
        ("Empreinte du dossier (SHA-256 de dossier.json)", c.dossier_sha256),
        ("Exigences comparées", f"{c.comparees} sur {c.exigences} (avis dans chaque revue)"),
        ("Désaccords", len(c.desaccords)),
    ]
    if c.collectif is not None:
        group = c.collectif
        rows += [
            ("Unanimité (%)", group.pourcentage),
            ("Accord moyen (%)", group.accord_moyen),
            *_kappa_rows("Kappa de Fleiss", group.kappa),
            ("Accord collectif — détail", group.explication),
        ]
    ws.column_dimensions["A"].width = 34
    for letter in "BCDEFGH":
        ws.column_dimensions[letter].width = 20
    for row, (label, value) in enumerate(rows, start=2):
        put(ws, row, 1, label).font = BOLD
        cell = put(ws, row, 2, value)
        cell.alignment = WRAP
        if isinstance(value, str):
            cell.number_format = TEXT_FORMAT
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=7)
    top = len(rows) + 3
    titles = ["Revue", "Évaluateur", "Fonction", "Organisme", "Date", "Fichier", "Avis proposé"]
    for col, title in enumerate(titles, start=1):
        header(ws, top, col, title)
    for row, r in enumerate(c.revues, start=top + 1):
        values: list[object] = [
            f"R{r.numero}",
            r.evaluateur,
            r.fonction,
            r.organisme,
            r.date,
            f"{r.fichier.fichier} (SHA-256 {r.fichier.sha256})",
            OPINION_LABELS[r.opinion_proposee],
        ]
        for col, value in enumerate(values, start=1):
            put(ws, row, col, value).alignment = WRAP
    top += len(c.revues) + 2
    titles = ["Paire", "Exigences", "Concordantes", "Accord (%)", "Kappa de Cohen", "Exact"]
    titles += ["IC 95 % bas", "IC 95 % haut", "Erreur type", "Méthode"]
    for col, title in enumerate(titles, start=1):
        header(ws, top, col, title)
    for row, p in enumerate(c.paires, start=top + 1):
        k = p.kappa
        cells: list[object] = [
            f"R{p.revues[0]} / R{p.revues[1]}",
            p.exigences,
            p.concordantes,
            p.pourcentage,
            k.valeur if k else "indéfini",
            k.exact if k else None,
            k.ic_bas if k else None,
            k.ic_haut if k else None,
            k.erreur_type if k else None,
            k.methode if k else p.explication,
        ]
        for col, value in enumerate(cells, start=1):
            put(ws, row, col, value).alignment = WRAP
    fit_rows(ws)
    print_setup(ws, landscape=True)


def _kappa_rows(label: str, k: Kappa | None) -> list[tuple[str, object]]:
    if k is None:
        return [(label, "indéfini")]
    return [
        (label, k.valeur),
        (f"{label} — valeur exacte", k.exact),
        (f"{label} — IC 95 %", f"[{k.ic_bas} ; {k.ic_haut}]".replace(".", ",")),
        (f"{label} — erreur type", k.erreur_type),
        (f"{label} — méthode", k.methode),
    ]


def _desaccords(ws: Worksheet, c: Comparaison) -> None:
    columns = [("Référentiel", 16), ("Exigence", 12), ("Libellé", 40), ("Niveau", 14)]
    columns.append(("Résultat déclaré", 18))
    columns += [(_revue(c, r.numero), 36) for r in c.revues]
    table(
        ws,
        columns,
        (
            [
                d.referentiel,
                d.id,
                d.libelle,
                NIVEAU_LABELS[d.niveau_effectif],
                RESULTAT_LABELS[d.resultat_declare],
                *(avis_text(a) for a in d.avis),
            ]
            for d in c.desaccords
        ),
    )
