"""The fidelity labels as the PDFs print them beside a verdict: the éditeur's dossier and the review.

One wording (:mod:`cens_eval.model.fidelity`), one look: the counts per label under a verdict,
the label under an exigence id, and the warning on blocking gaps that rest on reconstituted
exigences, in orange.
"""

from __future__ import annotations

from collections.abc import Mapping

from reportlab.platypus import Paragraph

from cens_eval.model.fidelity import FIDELITE_LABELS
from cens_eval.model.vocabulary import Fidelite
from cens_eval.render.pdf_card import fidelite_markup, small
from cens_eval.render.pdf_kit import ORANGE, coloured, markup, para


def counts_markup(counts: Mapping[Fidelite, int]) -> str:
    """The counts per fidelity label, one a line, under a verdict; reconstituted ones stand out."""
    lines = [small("Fidélité des exigences :")]
    for fidelite, count in counts.items():
        text = f"{FIDELITE_LABELS[fidelite]} : {count}"
        stands_out = fidelite is Fidelite.RECONSTITUE and count > 0
        lines.append(coloured(text, ORANGE) if stands_out else small(text))
    return "<br/>".join(lines)


def labelled_id(exigence: str, fidelite: Fidelite) -> str:
    """Markup for an exigence id in bold with its fidelity label under it, in its colour."""
    return f"<b>{markup(exigence)}</b><br/>{fidelite_markup(fidelite)}"


def caveat_paragraphs(caveat: str | None) -> list[Paragraph]:
    """The warning on reconstituted blocking gaps as one orange sentence, or nothing."""
    if caveat is None:
        return []
    return [para(coloured(f"{caveat[0].upper()}{caveat[1:]}.", ORANGE))]
