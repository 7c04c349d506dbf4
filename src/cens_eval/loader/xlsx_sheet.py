"""Untrusted workbooks read as tables: every stored cell, columns found by their header.

Guards: size on disk and uncompressed (zip bomb), no macros, XML parsed through defusedxml
(openpyxl uses it when installed), formulas and error values refused (never evaluated), cells
bounded. Nothing in the file is trusted to say where the data is: a sheet is read to its last
stored cell whatever its ``<dimension>`` says, a column is found by its header, and a cell, a
header or a row key given twice is refused rather than one of them silently winning.

A table is read as a person sees it in a spreadsheet: a hidden sheet, a hidden column read, or a
hidden row holding a value is refused (it would be read without being seen); a cell merged down
one column gives its value to every row it covers that holds anything else; a merge across
columns holding a value, a merge of the header with the rows below, and a value stored under a
merge (which no spreadsheet shows) are refused at their cell.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
import warnings
import zipfile
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cens_eval.constants import MAX_CELL_CHARS, MAX_WORKBOOK_BYTES, MAX_WORKBOOK_UNCOMPRESSED_BYTES
from cens_eval.errors import LoadError, Problem
from cens_eval.loader.files import read_bytes
from cens_eval.model.base import stripped

Loc = tuple[str | int, ...]


def open_workbook(path: Path) -> tuple[Any, str]:
    """Open an untrusted workbook read-only after the container checks; returns it and its SHA-256."""
    name = str(path)
    raw = read_bytes(path, MAX_WORKBOOK_BYTES, name)
    _check_container(path, name)
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise LoadError.at(name, "", "defusedxml est requis pour lire un classeur")
    try:
        with warnings.catch_warnings():  # openpyxl warns in English about what it skips
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many types on a malformed archive
        raise LoadError.at(name, "", "classeur illisible (archive ou XML invalide)") from None
    return wb, hashlib.sha256(raw).hexdigest()


@contextmanager
def reading(path: Path, wb: Any) -> Iterator[None]:
    """Read an open workbook, then close it; any parser failure becomes a refusal of the file.

    openpyxl parses sheets lazily, so a malformed part surfaces only while reading, as any of
    its many exception types (or as a warning, silenced: the library never prints).
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    except LoadError:
        raise
    except Exception:  # untrusted archive: every parser failure is an input problem
        raise LoadError.at(str(path), "", "classeur illisible (archive ou XML invalide)") from None
    finally:
        wb.close()


def _check_container(path: Path, name: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise LoadError.at(name, "", "ce fichier n'est pas un classeur .xlsx valide") from None
    if any(info.filename.lower().endswith("vbaproject.bin") for info in infos):
        raise LoadError.at(name, "", "classeur refusé : il contient des macros")
    if sum(info.file_size for info in infos) > MAX_WORKBOOK_UNCOMPRESSED_BYTES:
        raise LoadError.at(name, "", "classeur refusé : contenu décompressé trop volumineux")


def _number_format(wb: Any, style_id: Any) -> str:
    """The number format of a cell's style (``General`` when the style says none)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    try:
        fmt_id = wb._cell_styles[int(style_id)].numFmtId
    except (IndexError, TypeError, ValueError, AttributeError):
        return "General"
    if fmt_id in BUILTIN_FORMATS:
        return str(BUILTIN_FORMATS[fmt_id])
    try:
        return str(wb._number_formats[fmt_id - 164])
    except (IndexError, TypeError):
        return "General"


Cell = tuple[int, Any, str, str]
"""One stored cell of a row: its column, value, type and number format."""


@dataclass
class _Layout:
    """What a sheet's XML says about how it is shown: hidden rows and columns, merged ranges."""

    hidden_rows: set[int] = field(default_factory=set)
    shown_rows: set[int] = field(default_factory=set)
    """Rows said to be shown (a height, or ``hidden="0"``): they count when rows hide by default."""
    rows_hidden_by_default: bool = False
    """The sheet's ``zeroHeight``: a row is hidden unless it says otherwise."""
    hidden_columns: set[int] = field(default_factory=set)
    merges: list[str] = field(default_factory=list)
    """The ``ref`` of each merged range, as written (``A2:A5``)."""

    def row_hidden(self, number: int) -> bool:
        """Whether a row is hidden in a spreadsheet."""
        if number in self.hidden_rows:
            return True
        return self.rows_hidden_by_default and number not in self.shown_rows


def _stored_cells(ws: Any, layout: _Layout) -> Iterator[tuple[int, int, Any, str, str]]:
    """Every cell the sheet's XML stores, in file order: row, column, value, type, number format.

    openpyxl's read-only rows stop at the sheet's ``<dimension>`` and silently drop a row
    stored out of order or twice: the sheet's own parser is read directly instead (the same
    one openpyxl's read-only sheets use, on the same shared strings and date formats). Once the
    sheet is read, ``layout`` holds what it says about hidden rows, columns and merged cells.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    wb = ws.parent
    with ws._get_source() as source:
        parser = WorkSheetParser(
            source,
            ws._shared_strings,
            data_only=False,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        for _, cells in parser.parse():
            for cell in cells:
                number_format = "General"
                if cell["data_type"] == "n" and cell["value"] is not None:
                    number_format = _number_format(wb, cell.get("style_id"))
                yield cell["row"], cell["column"], cell["value"], cell["data_type"], number_format
    _read_layout(parser, layout)


def _read_layout(parser: Any, layout: _Layout) -> None:
    """Hidden rows and columns (hidden, or of zero size) and merged ranges, from a parsed sheet."""
    layout.rows_hidden_by_default = _true(getattr(parser.sheet_format, "zeroHeight", None))
    for number, attrs in parser.row_dimensions.items():
        hidden = _hidden(attrs, "ht")
        if hidden is not None:
            (layout.hidden_rows if hidden else layout.shown_rows).add(int(number))
    for attrs in parser.column_dimensions.values():
        if _hidden(attrs, "width"):
            first, last = int(attrs.get("min", 0)), int(attrs.get("max", 0))
            layout.hidden_columns.update(range(max(first, 1), min(last, _MAX_COLUMN) + 1))
    if parser.merged_cells is not None:
        layout.merges = [str(m.ref) for m in parser.merged_cells.mergeCell if m.ref]


_MAX_COLUMN = 16384
"""The last column of a spreadsheet (XFD)."""


def _true(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true")


def _hidden(attrs: dict[str, Any], size: str) -> bool | None:
    """Whether a row (``ht``) or column (``width``) is hidden: said so, or of size zero; None unsaid."""
    if _true(attrs.get("hidden")):
        return True
    try:
        if size in attrs:
            return float(attrs[size]) == 0
    except (TypeError, ValueError):
        pass
    return False if "hidden" in attrs else None


def column_letter(column: int) -> str:
    """The letters of a column number (1 is A, 27 is AA)."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def header_key(text: str) -> str:
    """A header as compared: spacing and case do not matter."""
    return " ".join(text.split()).casefold()


def label_key(value: Any) -> str:
    """A dropdown label as compared: typed with any case and spacing, it is the same label."""
    return header_key(str(value))


def cell_text(value: Any) -> Any:
    """A cell read as text: a number as written (``2`` for 2.0); any other non-text as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return str(int(value)) if float(value).is_integer() else str(value)


_ZEROS = re.compile(r"0+(\.0+)?")
"""A number format that writes every digit it holds: ``000000000``, ``0.00``."""


def typed_number(value: Any, number_format: str) -> str | None:
    """The text a number cell shows when its format says exactly how it was typed, or None.

    A number cell keeps no trace of how it was typed: ``3.0`` and ``3``, ``4.10`` and ``4.1``,
    ``012345678`` and ``12345678`` are the same number. Only a format of zeros (``0.00``,
    ``000000000``) writes a number one way; any other (``General``…) leaves it unknown.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not _ZEROS.fullmatch(number_format):
        return None
    whole, _, decimals = number_format.partition(".")
    text = f"{value:0{len(whole) + (len(decimals) + 1 if decimals else 0)}.{len(decimals)}f}"
    if float(text) != float(value):  # the format rounds the number: not what was typed
        return None
    return text


_FRENCH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def shown(text: str, width: int = 60) -> str:
    """A text from the file, on one line and shortened, for a message."""
    line = " ".join(text.split())
    return line if len(line) <= width else f"{line[: width - 1]}…"


@dataclass(frozen=True)
class Table:
    """What one sheet of a workbook must hold: a header row, then one row per key.

    Attributes:
        sheet: the sheet's name.
        columns: (key, header) of every column the sheet may have.
        read: the columns the reader uses, besides the key: their header is required.
        key: the column naming each row.
        duplicate: message for a key given twice, with ``{key}`` and ``{cell}`` (the first cell).
        optional: columns read whose header may be missing (added after workbooks were issued).
    """

    sheet: str
    columns: Sequence[tuple[str, str]]
    read: Collection[str]
    key: str
    duplicate: str
    optional: Collection[str] = ()


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a table: its key, and the value of each column read (None when empty)."""

    sheet: str
    number: int
    key: str
    values: dict[str, Any]
    letters: dict[str, str]
    formats: dict[str, str] = field(default_factory=dict)
    """The number format of each column read that holds a number."""
    key_column: str = ""
    """The column of the key."""
    key_value: Any = None
    """The key's cell as stored (a number stays a number: see :meth:`WorkbookReader.exact_key`)."""

    def get(self, column: str) -> Any:
        """The value in a column, or None."""
        return self.values.get(column)

    def typed(self, column: str) -> str | None:
        """A number in a column as it was typed, when its format says so exactly (else None)."""
        return typed_number(self.values.get(column), self.formats.get(column, "General"))

    def where(self, column: str) -> str:
        """The cell of a column in this row, as ``Feuille!C12``."""
        return f"{self.sheet}!{self.letters[column]}{self.number}"


class WorkbookReader:
    """Reads tables of an open workbook, refusing what it cannot read exactly, with the cell."""

    def __init__(self, name: str, wb: Any) -> None:
        self.name, self.wb = name, wb
        self.problems: list[Problem] = []
        self.cells: dict[Loc, str] = {}

    def problem(self, where: str, message: str) -> None:
        """Record a problem at a cell."""
        self.problems.append(Problem(self.name, where, message))

    def check_sheets(self, known: Collection[str]) -> None:
        """Refuse every sheet that is not one of ``known``: nothing in it would be read."""
        for title in self.wb.sheetnames:
            if title not in known:
                self.problem(
                    f"{title}!A1", f"feuille « {title} » inconnue : elle ne serait pas lue"
                )

    def table(self, spec: Table) -> list[Row] | None:
        """The rows of a sheet, by key, or None when the sheet is missing, hidden or its header wrong.

        Empty rows are skipped; a row with values but no key, a key given twice, a value in a
        column without header, and any formula, error value or oversized text in the columns
        read are refused, each at its cell. What a spreadsheet would not show as read is refused
        too (a hidden column read, a hidden row holding a value, a value under a merge), and a
        cell merged down a column is read in every row it covers (:meth:`_unmerged`).
        """
        if spec.sheet not in self.wb.sheetnames:
            self.problem("", f"feuille « {spec.sheet} » absente du classeur")
            return None
        if self.wb[spec.sheet].sheet_state != "visible":
            self.problem(
                f"{spec.sheet}!A1",
                f"feuille « {spec.sheet} » masquée : elle serait lue sans être vue ; "
                "l'afficher dans le tableur",
            )
            return None
        layout = _Layout()
        try:
            rows = list(self._stored_rows(spec.sheet, layout))
        except _Disorder:
            return None
        table = _TableReading(self, spec)
        if not table.header(rows[0][1] if rows and rows[0][0] == 1 else []):
            return None
        read = {column for column, key in table.columns.items() if key in table.read}
        for column in sorted(read & layout.hidden_columns):
            self.problem(
                f"{spec.sheet}!{column_letter(column)}1",
                f"colonne « {table.titles[table.columns[column]]} » masquée : elle serait lue "
                "sans être vue ; l'afficher dans le tableur",
            )
        for number, cells in self._unmerged(spec.sheet, rows, layout.merges, read):
            if layout.row_hidden(number):
                shown_cells = [c for c, value, _, _ in cells if c in read and not _blank(value)]
                if shown_cells:
                    self.problem(
                        f"{spec.sheet}!{column_letter(shown_cells[0])}{number}",
                        f"ligne {number} masquée : elle serait lue sans être vue ; "
                        "l'afficher (ou la supprimer) dans le tableur",
                    )
                    continue
            if number != 1:
                table.row(number, cells)
        return table.rows

    def _stored_rows(self, title: str, layout: _Layout) -> Iterator[tuple[int, list[Cell]]]:
        """Each stored row of a sheet with its cells, in order; then ``layout`` is known.

        A file that stores a cell out of order or twice is refused: Excel never writes one, and
        openpyxl would silently skip the row or keep one of the two cells.
        """
        number, last = 0, (0, 0)
        cells: list[Cell] = []
        for row, column, value, data_type, number_format in _stored_cells(self.wb[title], layout):
            if row < 1 or column < 1:
                self.problem("", f"classeur mal formé : cellule hors de la feuille « {title} »")
                raise _Disorder
            if (row, column) <= last:
                self.problem(
                    f"{title}!{column_letter(column)}{row}",
                    "cellule enregistrée deux fois ou hors d'ordre (classeur mal formé)",
                )
                raise _Disorder
            last = (row, column)
            if row != number and cells:
                yield number, cells
                cells = []
            number = row
            cells.append((column, value, data_type, number_format))
        if cells:
            yield number, cells

    def _unmerged(
        self, title: str, rows: list[tuple[int, list[Cell]]], merges: list[str], read: set[int]
    ) -> list[tuple[int, list[Cell]]]:
        """The rows as a spreadsheet shows them: a cell merged down a column, in each row.

        Only merges touching a column read matter. A cell merged down one column gives its
        value to every row it covers that holds something else (a row shown empty stays
        empty). Refused at their cell: a value stored under a merge (no spreadsheet shows it),
        a merge across columns holding a value (which column is it?), a header merged with the
        cells below, and merges that overlap (a malformed file).
        """
        if not merges:
            return rows
        from openpyxl.utils.cell import range_boundaries

        numbers = [number for number, _ in rows]
        by_row = {number: {cell[0]: cell for cell in cells} for number, cells in rows}
        content = {
            n for n, cells in by_row.items() if any(not _blank(c[1]) for c in cells.values())
        }
        covered: set[tuple[int, int]] = set()
        for ref in merges:
            try:
                first_column, top, last_column, bottom = range_boundaries(ref)
            except (ValueError, TypeError):
                first_column = None
            if first_column is None or None in (top, last_column, bottom):
                self.problem("", f"classeur mal formé : fusion « {shown(ref)} » illisible")
                continue
            columns = sorted(read.intersection(range(first_column, last_column + 1)))
            if not columns:
                continue
            start = f"{title}!{column_letter(first_column)}{top}"
            origin = by_row.get(top, {}).get(first_column)
            value = None if origin is None or _blank(origin[1]) else origin
            inside = numbers[
                bisect.bisect_left(numbers, top) : bisect.bisect_right(numbers, bottom)
            ]
            for number in inside:
                for column in columns:
                    if (number, column) in covered:
                        self.problem(
                            start, f"fusions qui se chevauchent ({ref}) : classeur mal formé"
                        )
                        return rows
                    covered.add((number, column))
                    cell = by_row[number].get(column)
                    if (number, column) != (top, first_column) and cell and not _blank(cell[1]):
                        self.problem(
                            f"{title}!{column_letter(column)}{number}",
                            f"valeur cachée sous la fusion {ref} : aucun tableur ne la montre ; "
                            "défusionner les cellules ou vider celle-ci",
                        )
            if value is None or (bottom == top and last_column == first_column):
                continue
            if last_column > first_column:
                self.problem(
                    start,
                    f"cellules fusionnées {ref} sur plusieurs colonnes : les défusionner "
                    "(une valeur par cellule)",
                )
            elif top == 1:
                self.problem(
                    start,
                    f"en-tête fusionné avec les cellules en dessous ({ref}) : les défusionner",
                )
            elif value[2] not in ("f", "e"):  # a formula or an error is refused at its own cell
                for number in inside:
                    cell = by_row[number].get(first_column)
                    if number != top and number in content and (cell is None or _blank(cell[1])):
                        by_row[number][first_column] = (first_column, *value[1:])
        return [(n, sorted(by_row[n].values(), key=lambda c: c[0])) for n in numbers]

    def _header(self, spec: Table, cells: list[tuple[int, Any, str, str]]) -> dict[str, int] | None:
        """Column of each key, by the header of row 1; None once unknown, repeated or missing."""
        keys = {header_key(title): key for key, title in spec.columns}
        titles = dict(spec.columns)
        found: dict[str, int] = {}
        before = len(self.problems)
        for column, value, data_type, _ in cells:
            ref = f"{spec.sheet}!{column_letter(column)}1"
            text = self._value(ref, value, data_type)
            if text is None:
                continue
            key = keys.get(header_key(str(text)))
            if key is None:
                self.problem(ref, f"colonne « {shown(str(text))} » inconnue")
            elif key in found:
                self.problem(ref, f"colonne « {titles[key]} » déjà en {column_letter(found[key])}1")
            else:
                found[key] = column
        for key, title in spec.columns:
            required = key in spec.read and key not in spec.optional
            if (required or key == spec.key) and key not in found:
                self.problem(f"{spec.sheet}!A1", f"en-tête « {title} » introuvable en ligne 1")
        return None if len(self.problems) > before else found

    def _value(self, ref: str, value: Any, data_type: str) -> Any:
        """One cell's value: text without surrounding spaces, or None; formulas and errors refused."""
        if data_type == "f":
            self.problem(ref, "formule refusée : saisir une valeur")
            return None
        if data_type == "e":
            self.problem(
                ref, f"valeur d'erreur « {shown(str(value))} » refusée : saisir une valeur"
            )
            return None
        if isinstance(value, str):
            if len(value) > MAX_CELL_CHARS:
                self.problem(ref, f"cellule trop longue (plus de {MAX_CELL_CHARS} caractères)")
                return None
            return stripped(value) or None
        return value

    def date(self, where: str, value: Any) -> Any:
        """A date cell as ``AAAA-MM-JJ``; a text ``JJ/MM/AAAA`` too, any other text as it is.

        A date typed the French way in a text cell is read as that day (an impossible day is
        refused, never moved); a number or any other value is refused (None).
        """
        if isinstance(value, dt.datetime):
            if value.time() != dt.time():
                self.problem(where, "date attendue sans heure (AAAA-MM-JJ)")
                return None
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str) and (french := _FRENCH_DATE.fullmatch(value.strip())):
            day, month, year = (int(part) for part in french.groups())
            try:
                return dt.date(year, month, day).isoformat()
            except ValueError:
                self.problem(where, f"date « {value.strip()} » impossible (JJ/MM/AAAA)")
                return None
        if value is None or isinstance(value, str):
            return value
        self.problem(where, "date attendue (JJ/MM/AAAA)")
        return None

    def exact_text(self, row: Row, column: str, label: str, digits: int | None = None) -> Any:
        """A text field that may hold a number typed by a person: read only when exact.

        A number cell keeps no trace of how it was typed (``3.0`` or ``3``, ``4.10`` or ``4.1``,
        ``012345678`` or ``12345678``): it is read only when its format shows the typing
        (:func:`typed_number`), or, for a field of ``digits`` digits, when it has exactly that
        many. Anything else is refused at its cell, asking for the cell to be typed as text.

        Args:
            row: the row read.
            column: the column of the field.
            label: the field's name in the message (« SIREN », « version »).
            digits: how many digits the field always has (a SIREN: 9), if fixed.

        Returns:
            The text, the value itself when it is no number, or None once refused.
        """
        value = row.get(column)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return value
        typed = row.typed(column)
        if digits is not None:
            if typed is None and float(value).is_integer() and len(str(int(value))) == digits:
                typed = str(int(value))
            if typed is None or not typed.isdigit() or len(typed) != digits:
                self.problem(
                    row.where(column),
                    f"{label} : {digits} chiffres attendus, saisir la cellule en texte",
                )
                return None
            return typed
        if typed is None:
            self.problem(row.where(column), _as_text(label, value, "3 ou 3.0 ? 4.1 ou 4.10 ?"))
            return None
        return typed

    def exact_key(self, row: Row, label: str) -> str | None:
        """A row's key typed as a number, read only when its format shows how (else refused).

        ``1.10`` typed in a number cell is stored 1.1: read as is, the key would silently
        become another one.

        Returns:
            The key, or None once refused at its cell.
        """
        value = row.key_value
        if isinstance(value, bool) or not isinstance(value, int | float):
            return row.key
        typed = typed_number(value, row.formats.get(row.key_column, "General"))
        if typed is None:
            self.problem(row.where(row.key_column), _as_text(label, value, "1.1 ou 1.10 ?"))
        return typed


def _as_text(label: str, value: Any, example: str) -> str:
    """The refusal of a number whose typing is unknown, asking for the cell to be text."""
    return (
        f"{label} : le nombre {cell_text(value)} ne dit pas comment il a été saisi ({example}) : "
        "saisir la cellule en texte (format Texte, ou une apostrophe devant)"
    )


class _Disorder(Exception):
    """A sheet stores a cell out of order or twice: it is not read further."""


class _TableReading:
    """One sheet read as a table: its header, then row after row, by key."""

    def __init__(self, reader: WorkbookReader, spec: Table) -> None:
        self.reader, self.spec = reader, spec
        self.read = {*spec.read, spec.key}
        self.titles = dict(spec.columns)
        self.columns: dict[int, str] = {}
        """The key of each column, by number (known once the header is read)."""
        self.letters: dict[str, str] = {}
        self.first: dict[str, str] = {}
        self.rows: list[Row] = []

    def header(self, cells: list[Cell]) -> bool:
        """Read the header row (row 1); False when the sheet cannot be read (reported)."""
        found = self.reader._header(self.spec, cells)
        if found is None:
            return False
        self.columns = {column: key for key, column in found.items()}
        self.letters = {key: column_letter(column) for key, column in found.items()}
        return True

    def row(self, number: int, cells: list[Cell]) -> None:
        """Read one stored row below the header."""
        sheet, values, formats = self.spec.sheet, {}, {}
        for column, value, data_type, number_format in cells:
            key = self.columns.get(column)
            if key in self.read:
                values[key] = self.reader._value(
                    f"{sheet}!{column_letter(column)}{number}", value, data_type
                )
                formats[key] = number_format
            elif key is not None:
                values[key] = None if _blank(value) else value
            elif not _blank(value):
                self.reader.problem(
                    f"{sheet}!{column_letter(column)}{number}",
                    "valeur dans une colonne sans en-tête : elle ne serait pas lue",
                )
        if all(v is None for v in values.values()):
            return
        key_cell = f"{self.letters[self.spec.key]}{number}"
        raw_key = values.pop(self.spec.key, None)
        if raw_key is None:
            self.reader.problem(
                f"{sheet}!{key_cell}",
                f"ligne remplie sans « {self.titles[self.spec.key]} » : la renseigner ou vider la ligne",
            )
            return
        row_key = str(cell_text(raw_key))
        if row_key in self.first:
            message = self.spec.duplicate.format(key=row_key, cell=self.first[row_key])
            self.reader.problem(f"{sheet}!{key_cell}", message)
            return
        self.first[row_key] = key_cell
        read = {k: v for k, v in values.items() if k in self.read}
        shapes = {k: v for k, v in formats.items() if k in read or k == self.spec.key}
        self.rows.append(
            Row(sheet, number, row_key, read, self.letters, shapes, self.spec.key, raw_key)
        )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not stripped(value))
