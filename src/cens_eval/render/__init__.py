"""Renderers: a finished dossier in, bytes out; no scoring and no I/O here.

Each format's module is imported only when asked for, so that ``import cens_eval`` and
``cens-eval --help`` never pay for openpyxl or reportlab.
"""

from __future__ import annotations

from enum import StrEnum
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cens_eval.model.dossier import Dossier


class Format(StrEnum):
    """Dossier file formats."""

    JSON = "json"
    XLSX = "xlsx"
    PDF = "pdf"


_RENDERERS: dict[Format, tuple[str, str]] = {
    Format.JSON: ("cens_eval.render.json_", "render_json"),
    Format.XLSX: ("cens_eval.render.xlsx", "render_xlsx"),
    Format.PDF: ("cens_eval.render.pdf", "render_pdf"),
}

# A reviewed dossier (with a ``revue`` section) adds its review to the workbook and the report.
_REVIEW_RENDERERS: dict[Format, tuple[str, str]] = {
    Format.XLSX: ("cens_eval.render.review_report_xlsx", "render_review_report_xlsx"),
    Format.PDF: ("cens_eval.render.review_report_pdf", "render_review_report_pdf"),
}

FILE_NAMES: dict[Format, str] = {f: f"dossier.{f.value}" for f in Format}
REVIEW_FILE_NAMES: dict[Format, str] = {f: f"revue.{f.value}" for f in Format}
"""The files of a reviewed dossier folder, beside the dossier's own."""


def render(dossier: Dossier, fmt: Format | str) -> bytes:
    """Render a dossier (or a reviewed dossier) in one format (``json``, ``xlsx`` or ``pdf``)."""
    table = _REVIEW_RENDERERS if getattr(dossier, "revue", None) is not None else _RENDERERS
    module_name, function_name = table.get(Format(fmt)) or _RENDERERS[Format(fmt)]
    function = getattr(import_module(module_name), function_name)
    data: bytes = function(dossier)
    return data
