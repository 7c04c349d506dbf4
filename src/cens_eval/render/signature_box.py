"""Where each PDF shows a signature on page 1, taken from the layout itself (never guessed).

- ``revue.pdf``: the « Signature » cell of the validation block (« Validation de la revue »),
  wherever the cover's length puts it; the review is laid out again to find it.
- ``dossier.pdf``: the opening space of the cover, at the right, above the title.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import Table

from cens_eval.model.review import DossierRevu
from cens_eval.model.signature import SignatureBox
from cens_eval.render.pdf_kit import MARGIN, build_pages

TOP = A4[1] - 2.3 * cm
"""The top of every page's frame (the top margin of ``build_pages``)."""

DOSSIER_BOX = SignatureBox(0, A4[0] - MARGIN - 7.5 * cm, TOP - 1.45 * cm, A4[0] - MARGIN, TOP)
"""The éditeur's signature on ``dossier.pdf``: the 1.5 cm the cover leaves free above its title."""

LABEL = 0.55 * cm
"""The height of the cell's « Signature » label, left clear above the signature."""


class ValidationBlock(Table):  # type: ignore[misc]
    """The validation block of a review's cover; drawn as any table, its place can be recorded."""

    def __init__(self, *args: Any, signature_column: int = 1, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.signature_column = signature_column
        self.places: list[SignatureBox] | None = None

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        """Draw the table; when recording, note the rectangle of its signature cell."""
        if self.places is not None:
            left, bottom = canvas.absolutePosition(x, y)
            start = left + sum(self._colWidths[: self.signature_column])
            end = start + self._colWidths[self.signature_column]
            self.places.append(
                SignatureBox(
                    canvas.getPageNumber() - 1,
                    start + 3,
                    bottom + 3,
                    end - 3,
                    bottom + self._height - LABEL,
                )
            )
        super().drawOn(canvas, x, y, _sW)


def review_signature_box(dossier: DossierRevu) -> SignatureBox:
    """The « Signature » cell of the review's validation block, as ``revue.pdf`` lays it out."""
    from cens_eval.render.review_report_pdf import review_story

    story = review_story(dossier)
    blocks = [f for f in story if isinstance(f, ValidationBlock)]
    places: list[SignatureBox] = []
    for block in blocks:
        block.places = places
    # margins and frames only: the texts move nothing
    build_pages(story, title="", author="", subject="", creator="", header="", footer="")
    return places[0]
