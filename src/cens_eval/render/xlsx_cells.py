"""Cell-level helpers shared by every workbook cens-eval writes: typed, formula-safe, byte-stable."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal

import openpyxl.xml
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from cens_eval.model.questionnaire_sheets import UNWRITABLE
from cens_eval.render.generated_text import KEPT
from cens_eval.render.typography import apostrophes

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "dd/mm/yyyy"
FORMULA_PREFIXES = ("=", "+", "-", "@")
LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
"""Grey background of the cells a form locks."""
UNLOCKED = Protection(locked=False)
"""Protection of the cells a form leaves open."""
TEXT_FORMAT = "@"
"""Number format of a cell whose content is text even when it looks like a number (SIREN, version)."""
LINE_HEIGHT = 15.0
"""Points per line of 11-point text, as Excel and LibreOffice space them (a little more)."""
MAX_ROW_HEIGHT = 409.0
"""The tallest row a workbook can hold, in points."""
CHARS_PER_WIDTH = 1.05
"""Characters of running text per unit of column width (the width of a digit), kept on the safe
side for the wider fonts that replace Calibri where it is not installed."""
DEFAULT_WIDTH = 8.43
"""Width of a column whose width is not set."""
PORTRAIT_WIDTH = 100
"""Total column width beyond which a sheet prints in landscape."""


def protect(ws: Worksheet) -> None:
    """Lock a form sheet, leaving its unlocked cells editable and its columns resizable, sortable, filterable."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    ws.protection.sort = False


LXML_WRITER = (
    "openpyxl a été importé avant cens_eval alors que lxml est installé : il écrirait d'autres "
    "octets que la commande, et `dossier verify` croirait le classeur modifié ; importer "
    "cens_eval avant openpyxl, ou définir OPENPYXL_LXML=False avant de lancer Python"
)


def workbook_bytes(wb: Workbook, generated_at: dt.datetime) -> bytes:
    """Save a workbook with its properties and archive entries dated ``generated_at``.

    Raises:
        RuntimeError: openpyxl was imported with lxml's writer (before cens_eval, which turns
            it off): its bytes would differ from those the command writes and verifies.
    """
    if openpyxl.xml.LXML:
        raise RuntimeError(LXML_WRITER)
    stamp = naive_utc(generated_at)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = wb.properties.lastModifiedBy = "cens-eval"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # unlike wb.save, keeps properties.modified
    return _dated_archive(buffer.getvalue(), stamp)


def naive_utc(moment: dt.datetime) -> dt.datetime:
    """A moment as naive UTC, the only form Excel cells and properties hold."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def _dated_archive(data: bytes, stamp: dt.datetime) -> bytes:
    """The same archive with every entry dated ``stamp`` instead of the time of writing.

    A ZIP entry holds the years 1980 to 2107 only: a stamp outside is brought to the nearest.
    """
    year = min(max(stamp.year, 1980), 2107)
    date_time = (year, stamp.month, stamp.day, stamp.hour, stamp.minute, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info))
    return out.getvalue()


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def put(ws: Worksheet, row: int, col: int, value: object) -> Cell:
    r"""Write one value; text that looks like a formula stays text, numbers and dates stay typed.

    A character no cell can hold is shown as an escape (``\x07``) instead: the workbook opens,
    and nothing disappears unseen. Cells read back are checked before, never escaped.
    """
    if isinstance(value, str):
        value = UNWRITABLE.sub(_visible, value)
        if (kept := KEPT.get()) is not None:  # a format 2 dossier's workbook
            value = apostrophes(value, kept)
    elif isinstance(value, Decimal):
        value = float(value)
    cell: Cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True
    elif isinstance(value, dt.datetime):
        cell.number_format = f"{DATE_FORMAT} hh:mm"
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    return cell


def header(ws: Worksheet, row: int, col: int, title: str) -> None:
    """A styled header cell."""
    cell = put(ws, row, col, title)
    cell.fill, cell.font, cell.alignment = HEADER_FILL, HEADER_FONT, WRAP


def table(
    ws: Worksheet, columns: Sequence[tuple[str, int]], rows: Iterable[Sequence[object]]
) -> int:
    """A table from row 1, ready to read and to print; returns its last row.

    Styled header, wrapped cells, rows as tall as their text, frozen header repeated on every
    printed page, auto-filter, fitted to the page's width.
    """
    for col, (title, width) in enumerate(columns, start=1):
        header(ws, 1, col, title)
        ws.column_dimensions[get_column_letter(col)].width = width
    last = 1
    for last, values in enumerate(rows, start=2):
        for col, value in enumerate(values, start=1):
            put(ws, last, col, value).alignment = WRAP
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(last, 2)}"
    fit_rows(ws)
    print_setup(ws, title_rows=1)
    return last


def dropdown(
    choices: Sequence[str], title: str, error: str, prompt: str | None = None
) -> DataValidation:
    """A dropdown list that refuses any other value, with its French title and messages.

    Args:
        choices: the labels offered, in order.
        title: the title of the error (and prompt) box.
        error: what the éditeur reads when typing another value.
        prompt: shown when the cell is selected, if given.
    """
    validation = DataValidation(
        type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True
    )
    validation.showErrorMessage = True
    validation.errorStyle = "stop"
    validation.errorTitle, validation.error = title, error
    if prompt is not None:
        validation.showInputMessage = True
        validation.promptTitle, validation.prompt = title, prompt
    return validation


def date_validation(title: str, prompt: str | None = None) -> DataValidation:
    """A date cell's validation: a date after 2000, refused otherwise with a French message."""
    validation = DataValidation(
        type="date", operator="greaterThan", formula1="36526", allow_blank=True
    )
    validation.showErrorMessage = True
    validation.errorStyle = "stop"
    validation.errorTitle = title
    validation.error = "Saisissez une date (JJ/MM/AAAA)."
    if prompt is not None:
        validation.showInputMessage = True
        validation.promptTitle, validation.prompt = title, prompt
    return validation


def text_lines(text: str, chars: float) -> int:
    """How many lines a text takes once wrapped at about ``chars`` characters a line.

    Words are kept whole, as Excel and LibreOffice wrap them; a word longer than a line is cut.
    """
    per = max(int(chars), 1)
    lines = 0
    for paragraph in text.split("\n"):
        count, used = 1, 0
        for word in paragraph.split(" "):
            size = len(word)
            if used and used + 1 + size <= per:
                used += 1 + size
                continue
            if used:
                count += 1
            count += (size - 1) // per if size else 0
            used = size % per or (per if size else 0)
        lines += count
    return lines


def _widths(ws: Worksheet) -> dict[tuple[int, int], float]:
    """Width of every merged range's first cell: the sum of the columns it spans."""
    merged: dict[tuple[int, int], float] = {}
    for cells in ws.merged_cells.ranges:
        first_col, first_row, last_col, _ = range_boundaries(str(cells))
        merged[(first_row, first_col)] = sum(
            column_width(ws, col) for col in range(first_col, last_col + 1)
        )
    return merged


def column_width(ws: Worksheet, col: int) -> float:
    """The width of a column, as set or by default."""
    dimension = ws.column_dimensions.get(get_column_letter(col))
    return dimension.width if dimension is not None and dimension.width else DEFAULT_WIDTH


def fit_rows(ws: Worksheet, first: int = 1) -> None:
    """Give every row from ``first`` the height its wrapped text needs.

    LibreOffice keeps the default height of a row whose height is not written, and prints
    wrapped text over the next rows: the height is estimated from each text's length and its
    column's width (one rule for every workbook cens-eval writes).
    """
    merged = _widths(ws)
    inside = {
        (row, col)
        for cells in ws.merged_cells.ranges
        for row, col in ((c[0], c[1]) for c in cells.cells)
    } - set(merged)
    for row in ws.iter_rows(min_row=first):
        lines, size = 1, 11.0
        for cell in row:
            if not isinstance(cell.value, str) or (cell.row, cell.column) in inside:
                continue
            size = max(size, float(cell.font.sz or 11))
            if not cell.alignment.wrap_text:
                continue
            width = merged.get((cell.row, cell.column)) or column_width(ws, cell.column)
            chars = width * CHARS_PER_WIDTH * 11 / float(cell.font.sz or 11)
            if cell.font.b:
                chars *= 0.9
            lines = max(lines, text_lines(cell.value, chars))
        if lines > 1 or size > 11:
            height = lines * LINE_HEIGHT * size / 11 + 2
            ws.row_dimensions[row[0].row].height = min(round(height, 1), MAX_ROW_HEIGHT)


def numbers_left(ws: Worksheet) -> None:
    """Align every number and date of a sheet on the left, as its column's header and text are.

    A number keeps Excel's right alignment otherwise, and prints against the text of the cell
    to its right (``2ETH.12, ETH.30``, ``6—``), or a date far from its label in a wide cell.
    """
    for row in ws.iter_rows():
        for cell in row:
            value = cell.value
            if isinstance(value, int | float | dt.date) and not isinstance(value, bool):
                now = cell.alignment
                cell.alignment = Alignment(
                    horizontal="left", vertical=now.vertical, wrap_text=now.wrap_text
                )


def print_setup(
    ws: Worksheet,
    title_rows: int | None = None,
    landscape: bool | None = None,
    gridlines: bool = True,
) -> None:
    """A4, fitted to one page wide, header rows on every page, sheet name and page in the footer.

    Args:
        ws: the sheet.
        title_rows: how many rows from the top repeat on every printed page.
        landscape: the orientation; by default landscape when the columns are too wide for
            portrait.
        gridlines: whether the cells' grid is printed (tables: yes; a page with charts: no).
    """
    if landscape is None:
        total = sum(column_width(ws, col) for col in range(1, ws.max_column + 1))
        landscape = total > PORTRAIT_WIDTH
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.2, footer=0.3)
    ws.print_options.gridLines = gridlines
    if title_rows:
        ws.print_title_rows = f"1:{title_rows}"
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.right.text = "Page &P / &N"
