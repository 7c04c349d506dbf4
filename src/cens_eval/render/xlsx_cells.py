"""Cell-level helpers shared by every workbook cens-eval writes: typed, formula-safe, byte-stable."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from cens_eval.model.questionnaire_sheets import UNWRITABLE

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


def protect(ws: Worksheet) -> None:
    """Lock a form sheet, leaving its unlocked cells editable and its columns resizable, sortable, filterable."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    ws.protection.sort = False


def workbook_bytes(wb: Workbook, generated_at: dt.datetime) -> bytes:
    """Save a workbook with its properties and archive entries dated ``generated_at``."""
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
    """The same archive with every entry dated ``stamp`` instead of the time of writing."""
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, 0)
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
    """A table from row 1: styled header, wrapped cells, frozen header, auto-filter; the last row."""
    for col, (title, width) in enumerate(columns, start=1):
        header(ws, 1, col, title)
        ws.column_dimensions[get_column_letter(col)].width = width
    last = 1
    for last, values in enumerate(rows, start=2):
        for col, value in enumerate(values, start=1):
            put(ws, last, col, value).alignment = WRAP
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(last, 2)}"
    return last
