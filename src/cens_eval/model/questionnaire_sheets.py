"""Layout of the questionnaire workbook, shared by its writer and its reader (no openpyxl here).

Each sheet is a table whose row 1 names the columns: the reader finds every column by its header,
so a sheet whose columns were moved still reads right, and one whose header is missing or
unknown is refused. The preuves cell has its own small syntax (:func:`preuve_line`,
:func:`parse_preuves`), written by the one and read back exactly by the other.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cens_eval.model.vocabulary import STATUT_LABELS, Statut, TypePreuve

SHEET_INSTRUCTIONS = "Instructions"
SHEET_IDENTITE = "Identité"
SHEET_PROFIL = "Profil"
SHEET_REFERENTIELS = "Référentiels"

Columns = list[tuple[str, str, int]]
"""Columns of a sheet, in the order written: (key, header, width)."""

IDENTITE_COLUMNS: Columns = [
    ("champ", "Champ", 22),
    ("libelle", "Libellé", 40),
    ("valeur", "Valeur", 60),
]
PROFIL_COLUMNS: Columns = [
    ("question", "Question", 30),
    ("libelle", "Libellé", 60),
    ("reponse", "Réponse", 18),
    ("aide", "Aide", 60),
]
REFERENTIELS_COLUMNS: Columns = [
    ("id", "Référentiel", 26),
    ("version", "Version", 12),
    ("titre", "Titre", 100),
]

IDENTITE_FIELDS: list[tuple[str, str, str]] = [
    ("editeur", "nom", "Nom de l'éditeur"),
    ("editeur", "siren", "SIREN (9 chiffres)"),
    ("editeur", "contact", "Contact (courriel du responsable)"),
    ("solution", "nom", "Nom de la solution"),
    ("solution", "version", "Version de la solution"),
    ("solution", "description", "Description courte"),
]
"""Rows 2.. of the Identité sheet: (section, field, label)."""

# Columns of a référentiel sheet (row 1 is the header, answers from row 2).
COLUMNS: Columns = [
    ("id", "Exigence", 12),
    ("libelle", "Libellé", 34),
    ("principe", "Principe", 16),
    ("niveau", "Niveau", 14),
    ("enonce", "Énoncé", 60),
    ("preuves_attendues", "Preuves attendues", 48),
    ("statut", "Statut", 22),
    ("justification", "Justification", 48),
    ("preuves", "Preuves fournies (une par ligne : identifiant : fichier, URL ou valeur)", 48),
    ("engagement_action", "Engagement (action prévue)", 34),
    ("engagement_echeance", "Échéance de l'engagement (AAAA-MM-JJ)", 18),
    ("reprise", "Reprise de (référentiel et exigence, une par ligne)", 26),
    ("reprise_confirmee", "Reprise confirmée (oui ou non)", 14),
]
READ_ONLY_COLUMNS = 6
"""The first six columns come from the référentiel and are locked."""
ANSWER_COLUMNS = frozenset(key for key, _, _ in COLUMNS[READ_ONLY_COLUMNS:])
"""The columns the éditeur fills, read back with the exigence id."""

OPTIONAL_COLUMNS = frozenset({"reprise", "reprise_confirmee"})
"""Columns added in 0.2.0: a workbook written before has none, and is read as before."""

COLUMN_LETTER = {key: chr(ord("A") + i) for i, (key, _, _) in enumerate(COLUMNS)}

STATUT_BY_LABEL: dict[str, Statut] = {
    **{label.casefold(): statut for statut, label in STATUT_LABELS.items()},
    **{statut.value: statut for statut in Statut},
}

BOOLEAN_WORDS = {
    "oui": True,
    "non": False,
    "true": True,
    "false": False,
    "vrai": True,
    "faux": False,
}


def sheet_title(referentiel_id: str) -> str:
    """The sheet of a référentiel's answers (Excel sheet names hold at most 31 characters)."""
    return referentiel_id[:31]


INSTRUCTIONS = [
    "Questionnaire d'auto-évaluation éthique (CENS) — mode d'emploi",
    "",
    "1. Feuille « Identité » : renseignez l'éditeur et la solution (colonne « Valeur »).",
    "2. Feuille « Profil » : vérifiez les réponses d'orientation ; elles déterminent les exigences applicables.",
    "3. Une feuille par référentiel : pour chaque exigence, choisissez un statut dans la liste déroulante,",
    "   justifiez (obligatoire pour non applicable, non conforme et partiellement conforme) et listez vos preuves.",
    "4. Preuves fournies : une preuve par ligne, sous la forme « identifiant : valeur », où l'identifiant est",
    "   celui de la colonne « Preuves attendues » et la valeur un chemin de fichier relatif au classeur",
    "   (ex. preuves/attestation.pdf), une URL (https://…), le texte d'une déclaration, ou un nombre pour une mesure",
    "   (ex. ecoscore : 72 | preuves/ecoscore.pdf).",
    '   Un texte entre guillemets est une déclaration ; il peut contenir « | » et des sauts de ligne, et "" y écrit',
    '   un guillemet (ex. charte : "Nous nous engageons | sans exception"). Un fichier ou une URL qui contient « | »',
    '   ou commence par un guillemet s\'écrit fichier "…" ou url "…".',
    "5. Un écart peut être assorti d'un engagement (action et échéance).",
    "6. Réponse reprise : « Reprise de » nomme l'exigence d'un autre référentiel du questionnaire dont la réponse",
    "   vaut ici (« référentiel exigence », ex. ia-sante CE-IA-17 ; une par ligne), selon le fichier des correspondances.",
    "   Statut, justification et engagement restent alors vides : ils viennent de l'exigence reprise ; n'ajoutez que",
    "   les preuves attendues ici qu'elle ne donne pas. Une réponse pré-remplie (lien partiel) ne compte qu'une fois",
    "   vérifiée : choisissez « oui » dans « Reprise confirmée ». Pour répondre vous-même, videz ces deux colonnes.",
    "7. Les colonnes grisées viennent du référentiel et sont protégées ; les formules sont refusées.",
    "   Les colonnes sont lues par leur en-tête (ligne 1) : ne le modifiez pas ; une exigence ne figure qu'une fois.",
    "8. Vérifiez le classeur avec : cens-eval questionnaire check <classeur.xlsx>",
]

# ---- what a cell can hold -------------------------------------------------------------------------

UNWRITABLE = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff\ud800-\udfff]")
"""Characters an XLSX cell cannot hold: C0 controls but tab and line feed (a carriage return
comes back as a line feed), U+FFFE, U+FFFF and lone surrogates (not XML)."""


def unwritable_character(text: str) -> str | None:
    """Why ``text`` cannot be written into a workbook cell and read back the same, or None.

    Args:
        text: a text about to be written into a cell that is read back.

    Returns:
        A French explanation naming the first character a cell cannot hold, or None.
    """
    found = UNWRITABLE.search(text)
    if found is None:
        return None
    return f"caractère U+{ord(found.group()):04X} impossible à écrire dans un classeur Excel"


# ---- the preuves cell -----------------------------------------------------------------------------

_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")
_LABELLED = re.compile(r'(fichier|url)[ \t]*"')
"""A file or URL written between quotes: ``fichier "a | b.pdf"``."""
_SPACES = " \t\r"
"""Spaces around the parts of a preuve (a line feed ends the preuve)."""
_DATE_PART = re.compile(r"^date[ \t]+(\d{4}-\d{2}-\d{2})$")
"""The day a preuve was produced: ``date 2026-03-01``."""
_PERIODE_PART = re.compile(
    r"^p[ée]riode[ \t]+(\d{4}-\d{2}-\d{2})[ \t]+au[ \t]+(\d{4}-\d{2}-\d{2})$"
)
"""The period a preuve covers: ``période 2026-01-01 au 2026-03-31``."""
_TWICE = {
    "date": "deux dates",
    "periode": "deux périodes",
    "valeur": "deux valeurs",
    "fichier": "deux fichiers",
    "url": "deux URL",
    "declaration": "deux déclarations",
}


def quoted(text: str) -> str:
    """``text`` between double quotes, each quote inside doubled."""
    return '"' + text.replace('"', '""') + '"'


def _reads_raw(text: str) -> bool:
    """Whether ``text`` written as it is reads back whole as one part of a preuve."""
    return (
        bool(text)
        and text == text.strip(_SPACES + "\n")
        and "|" not in text
        and "\n" not in text
        and not text.startswith('"')
        and _LABELLED.match(text) is None
        and _DATE_PART.match(text) is None
        and _PERIODE_PART.match(text) is None
    )


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def preuve_line(
    attendue: str,
    *,
    valeur: str | None = None,
    fichier: str | None = None,
    url: str | None = None,
    declaration: str | None = None,
    date: str | None = None,
    periode: tuple[str, str] | None = None,
) -> str:
    """One preuve as written in the preuves cell, read back exactly by :func:`parse_preuves`.

    A number, a plain path and a plain URL are written as they are; a declaration is always
    quoted; a path or URL that would not read back as itself is written ``fichier "…"`` or
    ``url "…"``.

    Args:
        attendue: the id of the expected preuve.
        valeur: the number of a mesure, as text (``72,5``).
        fichier: a path relative to the questionnaire.
        url: a URL in its normal form.
        declaration: the text of a declaration.
        date: the day the preuve was produced, ISO 8601 (``date 2026-03-01``).
        periode: the first and last days it covers, ISO 8601 (``période 2026-01-01 au 2026-03-31``).
    """
    parts = [valeur] if valeur is not None else []
    if fichier is not None:
        plain = _reads_raw(fichier) and not _is_url(fichier) and not _NUMBER.match(fichier)
        parts.append(fichier if plain else f"fichier {quoted(fichier)}")
    if url is not None:
        parts.append(url if _reads_raw(url) and _is_url(url) else f"url {quoted(url)}")
    if declaration is not None:
        parts.append(quoted(declaration))
    if date is not None:
        parts.append(f"date {date}")
    if periode is not None:
        parts.append(f"période {periode[0]} au {periode[1]}")
    return f"{attendue} : {' | '.join(parts)}"


@dataclass
class PreuvesCell:
    """The preuves read from one cell, and why some lines could not be read."""

    preuves: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def parse_preuves(text: str, kind_of: Callable[[str], TypePreuve | None]) -> PreuvesCell:
    """Read the preuves cell: one preuve per line, ``identifiant : part | part …``.

    A part between double quotes (``""`` for a quote) is a declaration, and may hold ``|`` and
    line feeds; ``fichier "…"`` and ``url "…"`` are a path and a URL so written. Any other part
    is read as typed, by the kind of preuve expected: a number for a mesure (its first one), a
    URL when it starts with ``http://`` or ``https://``, the text of a declaration, else a path.

    Args:
        text: the cell's text.
        kind_of: the type of an expected preuve, by its id (None when unknown).
    """
    return _PreuvesParser(text, kind_of).run()


class _PreuvesParser:
    def __init__(self, text: str, kind_of: Callable[[str], TypePreuve | None]) -> None:
        self.text, self.kind_of, self.pos = text, kind_of, 0
        self.cell = PreuvesCell()

    def run(self) -> PreuvesCell:
        while self._skip(_SPACES + "\n") < len(self.text):
            start = self.pos
            end = self._line_end()
            attendue, colon, _ = self.text[start:end].partition(":")
            if not colon or not attendue.strip(_SPACES):
                self._refuse(start, "(attendu « identifiant : fichier, URL ou valeur »)", sep=" ")
                self.pos = end
                continue
            self.pos = start + len(attendue) + 1
            parts = self._parts(start)
            if parts is not None:
                self._preuve(start, attendue.strip(_SPACES), parts)
        return self.cell

    def _skip(self, chars: str) -> int:
        while self.pos < len(self.text) and self.text[self.pos] in chars:
            self.pos += 1
        return self.pos

    def _line_end(self, start: int | None = None) -> int:
        end = self.text.find("\n", self.pos if start is None else start)
        return len(self.text) if end < 0 else end

    def _refuse(self, start: int, why: str, sep: str = " : ") -> None:
        line = self.text[start : self._line_end(start)].strip(_SPACES)
        shown = line if len(line) <= 80 else f"{line[:77]}…"
        self.cell.problems.append(f"preuve illisible « {shown} »{sep}{why}")

    def _parts(self, start: int) -> list[tuple[str, str]] | None:
        """The parts of one preuve, as (``fichier``, ``url``, ``texte`` or ``brut``, text)."""
        parts: list[tuple[str, str]] = []
        while True:
            self._skip(_SPACES)
            if self.pos >= len(self.text) or self.text[self.pos] in "\n|":
                self._refuse(start, "valeur manquante" if not parts else "valeur vide après « | »")
                self.pos = self._line_end()
                return None
            labelled = _LABELLED.match(self.text, self.pos)
            if labelled or self.text[self.pos] == '"':
                tag = labelled.group(1) if labelled else "texte"
                self.pos = labelled.end() - 1 if labelled else self.pos
                value = self._quoted()
                if value is None:
                    self._refuse(start, "guillemets non fermés")
                    self.pos = len(self.text)
                    return None
                parts.append((tag, value))
            else:
                end = min(self._line_end(), self._bar())
                parts.append(("brut", self.text[self.pos : end].strip(_SPACES)))
                self.pos = end
            self._skip(_SPACES)
            if self.pos >= len(self.text) or self.text[self.pos] == "\n":
                return parts
            if self.text[self.pos] != "|":
                self._refuse(start, "texte après les guillemets fermants (séparer par « | »)")
                self.pos = self._line_end()
                return None
            self.pos += 1

    def _bar(self) -> int:
        bar = self.text.find("|", self.pos)
        return len(self.text) if bar < 0 else bar

    def _quoted(self) -> str | None:
        """The text between the quotes at ``pos`` (``""`` is a quote), or None if never closed."""
        out, i = [], self.pos + 1
        while True:
            close = self.text.find('"', i)
            if close < 0:
                return None
            out.append(self.text[i:close])
            if self.text.startswith('""', close):
                out.append('"')
                i = close + 2
                continue
            self.pos = close + 1
            return "".join(out)

    def _preuve(self, start: int, attendue: str, parts: list[tuple[str, str]]) -> None:
        kind = self.kind_of(attendue)
        preuve: dict[str, Any] = {"attendue": attendue}
        for tag, value in parts:
            name, value = _field(tag, value, kind, "valeur" in preuve)
            if name in preuve:
                self._refuse(start, f"{_TWICE[name]} pour une même preuve (une preuve par ligne)")
                return
            preuve[name] = value
        self.cell.preuves.append(preuve)


def _field(tag: str, value: str, kind: TypePreuve | None, has_valeur: bool) -> tuple[str, Any]:
    """The field a part gives: a quoted or labelled part says it, a part as typed is guessed by kind."""
    if tag == "texte":
        return "declaration", value
    if tag != "brut":
        return tag, value
    if dated := _DATE_PART.match(value):
        return "date", dated.group(1)
    if period := _PERIODE_PART.match(value):
        return "periode", {"debut": period.group(1), "fin": period.group(2)}
    if kind is TypePreuve.MESURE and not has_valeur and _NUMBER.match(value):
        return "valeur", value.replace(",", ".")
    if _is_url(value):
        return "url", value
    if kind is TypePreuve.DECLARATION:
        return "declaration", value
    return "fichier", value
