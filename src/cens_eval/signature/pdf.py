"""A PAdES baseline signature on a PDF, appended as an incremental update.

The PDF's bytes are kept as they are and the signature is written after them (a new revision):
the unsigned rendering stays a prefix of the signed file, so that a verification can render the
PDF again and compare it with what was signed. The signature is visible in the given box (the
validation block of page 1), showing the signer's name and the signing date.
"""

from __future__ import annotations

import io

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.stamp import TextStampStyle

from cens_eval.model.signature import SignatureBox
from cens_eval.signature.keys import Signer

STAMP = TextStampStyle(
    stamp_text="Signé électroniquement par\n%(signer)s\nle %(ts)s",
    timestamp_format="%d/%m/%Y à %H:%M %Z",
    border_width=1,
)


def sign_pdf(data: bytes, signer: Signer, box: SignatureBox | None, field: str) -> bytes:
    """``data`` signed by ``signer`` (PAdES baseline B), visible in ``box`` (None: invisible).

    ``field`` names the signature field: each signer of a document gets its own.
    """
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    spec = fields.SigFieldSpec(
        sig_field_name=field,
        on_page=box.page if box else 0,
        box=(round(box.x1), round(box.y1), round(box.x2), round(box.y2)) if box else None,
    )
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=signer.name,
    )
    pdf_signer = signers.PdfSigner(meta, signer.signer, stamp_style=STAMP, new_field_spec=spec)
    out = io.BytesIO()
    try:
        pdf_signer.sign_pdf(writer, output=out)
    except PdfError as exc:  # a PDF of ours is always signable: this is a bug, not bad input
        raise ValueError(f"signature du PDF impossible : {exc}") from exc
    return out.getvalue()
