"""A detached CMS signature (``.p7s``) over a manifest, made with the signer's key.

The manifest lists every file of the folder part with its SHA-256 (the signed PDF's included):
signing it covers the workbook, the JSON and the preuves as well.
"""

from __future__ import annotations

import asyncio
import datetime as dt

from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

from cens_eval.signature.keys import Signer


def sign_detached(data: bytes, signer: Signer, now: dt.datetime) -> bytes:
    """The DER-encoded detached CMS signature of ``data``, dated ``now`` (a ``.p7s`` file's bytes)."""
    signed = asyncio.run(
        signer.signer.async_sign_general_data(
            data,
            "sha256",
            detached=True,
            signed_attr_settings=PdfCMSSignedAttributes(signing_time=now),
        )
    )
    return bytes(signed.dump())
