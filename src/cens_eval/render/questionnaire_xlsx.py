"""The questionnaire workbook an éditeur fills: identity, profil, one locked sheet per référentiel.

Every answer written is read back as it was (:mod:`cens_eval.loader.workbook`): a text that a
cell cannot hold is refused (:class:`UnwritableText`) rather than written otherwise.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from cens_eval.constants import MAX_CELL_CHARS
from cens_eval.errors import CensEvalError
from cens_eval.model.applicability import scope
from cens_eval.model.mesure import attendue_text
from cens_eval.model.migration import A_RECONFIRMER_COLUMNS, SHEET_A_RECONFIRMER
from cens_eval.model.profil import Profil, QuestionProfil, TypeQuestion, VocabulaireProfil
from cens_eval.model.questionnaire import PreuveFournie, Questionnaire, Reponse, Reprise
from cens_eval.model.questionnaire_sheets import (
    COLUMN_LETTER,
    COLUMNS,
    IDENTITE_COLUMNS,
    IDENTITE_FIELDS,
    INSTRUCTIONS,
    PROFIL_COLUMNS,
    READ_ONLY_COLUMNS,
    REFERENTIELS_COLUMNS,
    SHEET_IDENTITE,
    SHEET_INSTRUCTIONS,
    SHEET_PROFIL,
    SHEET_REFERENTIELS,
    Columns,
    preuve_line,
    sheet_title,
    unwritable_character,
)
from cens_eval.model.referentiel import Exigence, Referentiel
from cens_eval.model.reprise_cells import reprise_cells
from cens_eval.model.reprises import RepriseProposee
from cens_eval.model.vocabulary import NIVEAU_LABELS, PRINCIPE_LABELS, STATUT_LABELS, Portee
from cens_eval.render.preuves import number_text
from cens_eval.render.xlsx_cells import (
    DATE_FORMAT,
    HEADER_FILL,
    HEADER_FONT,
    LOCKED_FILL,
    TEXT_FORMAT,
    UNLOCKED,
    WRAP,
    date_validation,
    dropdown,
    fit_rows,
    print_setup,
    protect,
    put,
)

Loc = tuple[str | int, ...]


class UnwritableText(CensEvalError):
    """Texts of a questionnaire that a workbook cell cannot hold, each with its location.

    Attributes:
        texts: (location in the questionnaire, French reason) of each text refused.
    """

    def __init__(self, texts: list[tuple[Loc, str]]) -> None:
        self.texts = texts
        super().__init__("; ".join(f"{' › '.join(map(str, loc))} : {why}" for loc, why in texts))


def render_questionnaire_xlsx(
    profil: Profil,
    referentiels: Sequence[Referentiel],
    vocabulaire: VocabulaireProfil,
    questionnaire: Questionnaire | None = None,
    reprises: Sequence[RepriseProposee] = (),
) -> bytes:
    """The workbook for a profil; with a questionnaire, its identity and answers are filled in.

    ``reprises``: the answers a new questionnaire takes from another exigence (as
    ``questionnaire init`` proposes them): each written in « Reprise de », a pre-fill through
    a partial link with « non » in « Reprise confirmée ».

    Raises:
        UnwritableText: a text of the questionnaire holds a character no cell can hold, or its
            preuves do not fit in one cell.
    """
    if questionnaire is not None:
        refused = unwritable_texts(questionnaire, referentiels)
        if refused:
            raise UnwritableText(refused)
    wb = Workbook()
    instructions = wb.active
    assert instructions is not None
    instructions.title = SHEET_INSTRUCTIONS
    for row, line in enumerate(INSTRUCTIONS, start=1):
        instructions.cell(row=row, column=1, value=line)
    instructions["A1"].font = Font(bold=True, size=14)
    instructions.column_dimensions["A"].width = 120
    print_setup(instructions)
    _identite(wb.create_sheet(SHEET_IDENTITE), questionnaire)
    _profil(wb.create_sheet(SHEET_PROFIL), profil, vocabulaire)
    _referentiels(wb.create_sheet(SHEET_REFERENTIELS), referentiels)
    for ref in referentiels:
        answers = questionnaire.reponses.get(ref.id, {}) if questionnaire else {}
        _answers(wb.create_sheet(sheet_title(ref.id)), ref, profil, answers, reprises)
    if questionnaire is not None and _to_reconfirm(questionnaire, referentiels):
        _a_reconfirmer(wb.create_sheet(SHEET_A_RECONFIRMER), questionnaire, referentiels)
    for ws in wb.worksheets[1:]:
        fit_rows(ws)
        print_setup(ws, title_rows=1)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def unwritable_texts(
    questionnaire: Questionnaire, referentiels: Sequence[Referentiel]
) -> list[tuple[Loc, str]]:
    """The texts of a questionnaire that its workbook could not hold, with their location."""
    texts: list[tuple[Loc, str | None]] = [
        ((section, field), getattr(getattr(questionnaire, section), field))
        for section, field, _ in IDENTITE_FIELDS
    ]
    for ref in referentiels:
        for exigence_id, reponse in questionnaire.reponses.get(ref.id, {}).items():
            loc: Loc = ("reponses", ref.id, exigence_id)
            texts.append(((*loc, "justification"), reponse.justification))
            if reponse.engagement is not None:
                texts.append(((*loc, "engagement", "action"), reponse.engagement.action))
            for i, p in enumerate(reponse.preuves):
                for name in ("fichier", "url", "declaration"):
                    value = getattr(p, name)
                    texts.append(
                        ((*loc, "preuves", i, name), None if value is None else str(value))
                    )
    for ref_id, exigence_id, marks in _to_reconfirm(questionnaire, referentiels):
        loc = ("reponses", ref_id, exigence_id, "a_reconfirmer")
        texts += [((*loc, i), mark) for i, mark in enumerate(marks)]
    refused = [(loc, why) for loc, text in texts if text and (why := unwritable_character(text))]
    for ref_id, exigence_id, marks in _to_reconfirm(questionnaire, referentiels):
        loc = ("reponses", ref_id, exigence_id, "a_reconfirmer")
        if any("\n" in mark for mark in marks) or len("\n".join(marks)) > MAX_CELL_CHARS:
            refused.append((loc, "à reconfirmer : une ligne par changement, dans une cellule"))
    for ref in referentiels:
        for exigence_id, reponse in questionnaire.reponses.get(ref.id, {}).items():
            if len(_preuves_cell(reponse) or "") > MAX_CELL_CHARS:
                why = f"preuves trop longues pour une cellule (plus de {MAX_CELL_CHARS} caractères)"
                refused.append((("reponses", ref.id, exigence_id, "preuves"), why))
    return refused


def _to_reconfirm(
    questionnaire: Questionnaire, referentiels: Sequence[Referentiel]
) -> list[tuple[str, str, list[str]]]:
    """(référentiel, exigence, what changed) of every answer still to reconfirm."""
    return [
        (ref.id, exigence_id, reponse.a_reconfirmer)
        for ref in referentiels
        for exigence_id, reponse in questionnaire.reponses.get(ref.id, {}).items()
        if reponse.a_reconfirmer
    ]


def _a_reconfirmer(
    ws: Worksheet, questionnaire: Questionnaire, referentiels: Sequence[Referentiel]
) -> None:
    """The answers to reconfirm, one row each: deleting a row confirms the answer (not locked)."""
    _header(ws, A_RECONFIRMER_COLUMNS)
    rows = _to_reconfirm(questionnaire, referentiels)
    for row, (ref_id, exigence_id, marks) in enumerate(rows, start=2):
        for col, value in enumerate((row - 1, ref_id, exigence_id, "\n".join(marks)), start=1):
            put(ws, row, col, value).alignment = WRAP


def _header(ws: Worksheet, columns: Columns) -> None:
    for col, (_, title, width) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=col, value=title)
        cell.fill, cell.font, cell.alignment = HEADER_FILL, HEADER_FONT, WRAP
        ws.column_dimensions[chr(ord("A") + col - 1)].width = width
    ws.freeze_panes = "A2"


def _identite(ws: Worksheet, questionnaire: Questionnaire | None) -> None:
    _header(ws, IDENTITE_COLUMNS)
    for row, (section, field, label) in enumerate(IDENTITE_FIELDS, start=2):
        ws.cell(row=row, column=1, value=f"{section}.{field}").fill = LOCKED_FILL
        ws.cell(row=row, column=2, value=label).fill = LOCKED_FILL
        value = None
        if questionnaire is not None:
            value = getattr(getattr(questionnaire, section), field)
        cell = put(ws, row, 3, value)
        cell.protection, cell.alignment = UNLOCKED, WRAP
        cell.number_format = TEXT_FORMAT  # a SIREN keeps its leading zero, a version « 3.0 »
    protect(ws)


def _profil(ws: Worksheet, profil: Profil, vocabulaire: VocabulaireProfil) -> None:
    _header(ws, PROFIL_COLUMNS)
    for row, question in enumerate((q for q in vocabulaire.questions if q.id in profil), start=2):
        put(ws, row, 1, question.id).fill = LOCKED_FILL
        label = put(ws, row, 2, question.libelle)
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
        validation = dropdown(
            choices,
            "Réponse au profil",
            "Choisissez une réponse dans la liste : " + ", ".join(choices) + ".",
        )
        validation.allow_blank = False
        ws.add_data_validation(validation)
        validation.add(cell)
        help_text = put(ws, row, 4, _aide(question))
        help_text.fill, help_text.alignment = LOCKED_FILL, WRAP
    protect(ws)


def _aide(question: QuestionProfil) -> str | None:
    """The help text of a profil question, with what each choice means."""
    lines = [question.aide] if question.aide else []
    lines += [f"{c.id} : {c.libelle}" for c in question.choix if c.libelle != c.id]
    return "\n".join(lines) or None


def _referentiels(ws: Worksheet, referentiels: Sequence[Referentiel]) -> None:
    _header(ws, REFERENTIELS_COLUMNS)
    for row, ref in enumerate(referentiels, start=2):
        for col, value in enumerate((ref.id, ref.version, ref.titre), start=1):
            cell = put(ws, row, col, value)
            cell.fill, cell.number_format = LOCKED_FILL, TEXT_FORMAT
    protect(ws)


def _answers(
    ws: Worksheet,
    ref: Referentiel,
    profil: Profil,
    answers: dict[str, Reponse],
    reprises: Sequence[RepriseProposee] = (),
) -> None:
    _header(ws, COLUMNS)
    taken = {r.cible[1]: r for r in reprises if r.cible[0] == ref.id}
    confirmations = dropdown(
        ["oui", "non"],
        "Reprise confirmée",
        "Choisissez oui (la réponse reprise vaut ici, vérifiée) ou non.",
    )
    ws.add_data_validation(confirmations)
    statuts = dropdown(
        list(STATUT_LABELS.values()), "Statut", "Choisissez un statut dans la liste déroulante."
    )
    dates = date_validation("Échéance de l'engagement")
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
        editable = [*_answer_cells(reponse), *_reprise_cells(reponse, taken.get(exigence.id))]
        for col, value in enumerate([*fixed, *editable], start=1):
            cell = put(ws, row, col, value)
            cell.alignment = WRAP
            if col <= READ_ONLY_COLUMNS:
                cell.fill = LOCKED_FILL
            else:
                cell.protection = UNLOCKED
        ws[f"{COLUMN_LETTER['engagement_echeance']}{row}"].number_format = DATE_FORMAT
        statuts.add(f"{COLUMN_LETTER['statut']}{row}")
        dates.add(f"{COLUMN_LETTER['engagement_echeance']}{row}")
        confirmations.add(f"{COLUMN_LETTER['reprise_confirmee']}{row}")
    ws.auto_filter.ref = f"A1:{COLUMN_LETTER['reprise_confirmee']}{max(row, 2)}"
    protect(ws)


def expected_preuves_text(exigence: Exigence) -> str:
    """The expected preuves of an exigence, one per line, as shown to the éditeur."""
    lines = []
    for p in exigence.preuves:
        lines.append(f"{p.id} ({attendue_text(p)}) : {p.libelle}")
    if exigence.non_applicable:
        for p in exigence.non_applicable.preuves:
            lines.append(f"si non applicable — {p.id} ({p.type.value}) : {p.libelle}")
    return "\n".join(lines)


def _preuve(p: PreuveFournie) -> str:
    return preuve_line(
        p.attendue,
        valeur=None if p.valeur is None else number_text(p.valeur),
        fichier=p.fichier,
        url=None if p.url is None else str(p.url),
        declaration=p.declaration,
        date=None if p.date is None else p.date.isoformat(),
        periode=None
        if p.periode is None
        else (p.periode.debut.isoformat(), p.periode.fin.isoformat()),
    )


def _preuves_cell(reponse: Reponse) -> str | None:
    return "\n".join(_preuve(p) for p in reponse.preuves) or None


def _reprise_cells(reponse: Reponse | None, proposed: RepriseProposee | None) -> list[object]:
    """« Reprise de » and « Reprise confirmée »: as answered, else as proposed (if any)."""
    if reponse is not None:
        return list(reprise_cells(reponse.reprise))
    if proposed is None:
        return [None, None]
    source = Reprise(referentiel=proposed.source[0], exigence=proposed.source[1])
    return list(reprise_cells([source], ask=not proposed.lien.complete))


def _answer_cells(reponse: Reponse | None) -> list[object]:
    if reponse is None:
        return [None, None, None, None, None]
    engagement = reponse.engagement
    return [
        STATUT_LABELS[reponse.statut] if reponse.statut else None,
        reponse.justification,
        _preuves_cell(reponse),
        engagement.action if engagement else None,
        engagement.echeance if engagement else None,
    ]
