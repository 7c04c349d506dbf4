"""The questionnaire workbook an éditeur fills: identity, profil, one locked sheet per référentiel."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cens_eval.applicability import Portee, scope
from cens_eval.profil import Profil, TypeQuestion, VocabulaireProfil
from cens_eval.questionnaire import Questionnaire, Reponse
from cens_eval.referentiel import Exigence, Referentiel
from cens_eval.render.preuves import preuve_text
from cens_eval.render.xlsx_cells import (
    HEADER_FILL,
    HEADER_FONT,
    LOCKED_FILL,
    UNLOCKED,
    WRAP,
    protect,
    put,
)
from cens_eval.vocabulary import NIVEAU_LABELS, PRINCIPE_LABELS, STATUT_LABELS
from cens_eval.workbook_layout import (
    COLUMN_LETTER,
    COLUMNS,
    IDENTITE_FIELDS,
    INSTRUCTIONS,
    READ_ONLY_COLUMNS,
    SHEET_IDENTITE,
    SHEET_INSTRUCTIONS,
    SHEET_PROFIL,
    SHEET_REFERENTIELS,
)


def render_questionnaire_xlsx(
    profil: Profil,
    referentiels: Sequence[Referentiel],
    vocabulaire: VocabulaireProfil,
    questionnaire: Questionnaire | None = None,
) -> bytes:
    """The workbook for a profil; with a questionnaire, its identity and answers are filled in."""
    wb = Workbook()
    instructions = wb.active
    assert instructions is not None
    instructions.title = SHEET_INSTRUCTIONS
    for row, line in enumerate(INSTRUCTIONS, start=1):
        instructions.cell(row=row, column=1, value=line)
    instructions["A1"].font = Font(bold=True, size=14)
    instructions.column_dimensions["A"].width = 120
    _identite(wb.create_sheet(SHEET_IDENTITE), questionnaire)
    _profil(wb.create_sheet(SHEET_PROFIL), profil, vocabulaire)
    _referentiels(wb.create_sheet(SHEET_REFERENTIELS), referentiels)
    for ref in referentiels:
        answers = questionnaire.reponses.get(ref.id, {}) if questionnaire else {}
        _answers(wb.create_sheet(ref.id[:31]), ref, profil, answers)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _header(ws: Worksheet, titles: Sequence[str], widths: Sequence[int]) -> None:
    for col, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        cell = ws.cell(row=1, column=col, value=title)
        cell.fill, cell.font, cell.alignment = HEADER_FILL, HEADER_FONT, WRAP
        ws.column_dimensions[chr(ord("A") + col - 1)].width = width
    ws.freeze_panes = "A2"


def _identite(ws: Worksheet, questionnaire: Questionnaire | None) -> None:
    _header(ws, ["Champ", "Libellé", "Valeur"], [22, 40, 60])
    for row, (section, field, label) in enumerate(IDENTITE_FIELDS, start=2):
        ws.cell(row=row, column=1, value=f"{section}.{field}").fill = LOCKED_FILL
        ws.cell(row=row, column=2, value=label).fill = LOCKED_FILL
        value = None
        if questionnaire is not None:
            value = getattr(getattr(questionnaire, section), field)
        cell = put(ws, row, 3, value)
        cell.protection, cell.alignment = UNLOCKED, WRAP
    protect(ws)


def _profil(ws: Worksheet, profil: Profil, vocabulaire: VocabulaireProfil) -> None:
    _header(ws, ["Question", "Libellé", "Réponse"], [30, 80, 18])
    for row, question in enumerate((q for q in vocabulaire.questions if q.id in profil), start=2):
        ws.cell(row=row, column=1, value=question.id).fill = LOCKED_FILL
        label = ws.cell(row=row, column=2, value=question.libelle)
        label.fill, label.alignment = LOCKED_FILL, WRAP
        answer = profil[question.id]
        shown = ("oui" if answer else "non") if isinstance(answer, bool) else answer
        cell = ws.cell(row=row, column=3, value=shown)
        cell.protection = UNLOCKED
        choices = (
            ["oui", "non"]
            if question.type is TypeQuestion.BOOLEEN
            else [c.id for c in question.choix]
        )
        validation = DataValidation(
            type="list", formula1='"' + ",".join(choices) + '"', allow_blank=False
        )
        ws.add_data_validation(validation)
        validation.add(cell)
    protect(ws)


def _referentiels(ws: Worksheet, referentiels: Sequence[Referentiel]) -> None:
    _header(ws, ["Référentiel", "Version", "Titre"], [26, 12, 100])
    for row, ref in enumerate(referentiels, start=2):
        for col, value in enumerate((ref.id, ref.version, ref.titre), start=1):
            ws.cell(row=row, column=col, value=value).fill = LOCKED_FILL
    protect(ws)


def _answers(ws: Worksheet, ref: Referentiel, profil: Profil, answers: dict[str, Reponse]) -> None:
    _header(ws, [title for _, title, _ in COLUMNS], [width for _, _, width in COLUMNS])
    statuts = DataValidation(
        type="list", formula1='"' + ",".join(STATUT_LABELS.values()) + '"', allow_blank=True
    )
    statuts.error = "Choisissez un statut dans la liste."
    dates = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True)
    ws.add_data_validation(statuts)
    ws.add_data_validation(dates)
    row = 1
    for exigence in ref.exigences:
        if scope(exigence, profil) is Portee.HORS_PERIMETRE:
            continue
        row += 1
        fixed = [
            exigence.id,
            exigence.libelle,
            PRINCIPE_LABELS[exigence.principe],
            NIVEAU_LABELS[exigence.niveau],
            exigence.enonce,
            expected_preuves_text(exigence),
        ]
        reponse = answers.get(exigence.id)
        editable = _answer_cells(reponse)
        for col, value in enumerate([*fixed, *editable], start=1):
            cell = put(ws, row, col, value)
            cell.alignment = WRAP
            if col <= READ_ONLY_COLUMNS:
                cell.fill = LOCKED_FILL
            else:
                cell.protection = UNLOCKED
        statuts.add(f"{COLUMN_LETTER['statut']}{row}")
        dates.add(f"{COLUMN_LETTER['engagement_echeance']}{row}")
    ws.auto_filter.ref = f"A1:{COLUMN_LETTER['engagement_echeance']}{max(row, 2)}"
    protect(ws)


def expected_preuves_text(exigence: Exigence) -> str:
    """The expected preuves of an exigence, one per line, as shown to the éditeur."""
    lines = []
    for p in exigence.preuves:
        mark = "obligatoire" if p.obligatoire else "facultative"
        unit = f", en {p.unite}" if p.unite else ""
        lines.append(f"{p.id} ({p.type.value}{unit}, {mark}) : {p.libelle}")
    if exigence.non_applicable:
        for p in exigence.non_applicable.preuves:
            lines.append(f"si non applicable — {p.id} ({p.type.value}) : {p.libelle}")
    return "\n".join(lines)


def _answer_cells(reponse: Reponse | None) -> list[object]:
    if reponse is None:
        return [None, None, None, None, None]
    engagement = reponse.engagement
    return [
        STATUT_LABELS[reponse.statut] if reponse.statut else None,
        reponse.justification,
        "\n".join(preuve_text(p) for p in reponse.preuves) or None,
        engagement.action if engagement else None,
        engagement.echeance if engagement else None,
    ]
