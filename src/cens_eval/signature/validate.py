"""Check the signatures of a PDF and of a detached CMS file, offline.

For each signature: its integrity (the bytes signed are the bytes present, and the PDF's
signature covers the whole file), its signer (subject and organisation), the certificate's
validity at the signing time the signature reports, and trust: « certificat de confiance » only
when the chain reaches one of the roots the user gave. No network is used: no timestamp
authority is contacted and no revocation list or OCSP responder is consulted.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from collections.abc import Sequence

from asn1crypto import cms, pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_detached_cms, validate_pdf_signature
from pyhanko.sign.validation.generic_cms import extract_self_reported_ts
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from cens_eval.errors import LoadError
from cens_eval.model.signature import SignatureCheck

Roots = Sequence[asn1_x509.Certificate]

UNREADABLE_PDF = "PDF illisible : sa structure ne permet pas de lire la signature"
UNREADABLE = "signature illisible (fichier endommagé ou qui n'est pas une signature CMS)"


def load_roots(data: bytes, source: str) -> list[asn1_x509.Certificate]:
    """The root certificates of a PEM file (one or more ``CERTIFICATE`` blocks).

    Raises:
        LoadError: no certificate could be read from it.
    """
    roots = []
    try:
        if pem.detect(data):
            for kind, _, der in pem.unarmor(data, multiple=True):
                if kind == "CERTIFICATE":
                    roots.append(asn1_x509.Certificate.load(der))
        else:
            roots.append(asn1_x509.Certificate.load(data))
        for root in roots:
            _ = root.subject.native  # parse now: a damaged certificate is refused here
    except (ValueError, TypeError):
        roots = []
    if not roots:
        raise LoadError.at(
            source, "", "aucun certificat d'autorité lisible (fichier PEM de certificats attendu)"
        )
    return roots


def _context(roots: Roots, moment: dt.datetime | None) -> ValidationContext:
    return ValidationContext(
        trust_roots=list(roots),
        allow_fetching=False,
        revocation_mode="soft-fail",
        moment=moment,
        best_signature_time=moment,
    )


def _who(certificate: asn1_x509.Certificate) -> str:
    subject = certificate.subject.native
    name = subject.get("common_name") or certificate.subject.human_friendly
    organisation = subject.get("organization_name")
    return f"{name} ({organisation})" if organisation else str(name)


def _when(moment: dt.datetime | None) -> str:
    return f"{moment.astimezone(dt.UTC):%d/%m/%Y %H:%M} UTC" if moment else ""


def _expiry(certificate: asn1_x509.Certificate, moment: dt.datetime | None) -> str | None:
    """Why the certificate was not valid at ``moment`` (None: it was, or no moment reported)."""
    if moment is None:
        return None
    validity = certificate["tbs_certificate"]["validity"]
    start, end = validity["not_before"].native, validity["not_after"].native
    if not start <= moment <= end:
        return (
            f"certificat non valide à la date de signature (valide du {start:%d/%m/%Y} au "
            f"{end:%d/%m/%Y})"
        )
    return None


def check_pdf(data: bytes, shown: str, roots: Roots) -> list[SignatureCheck]:
    """Every signature of a PDF, checked (none: an unsigned PDF)."""
    # pyHanko parses bytes from a folder nobody vouches for: whatever it raises on them is a
    # damaged signature to report, never a crash (here and below).
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:
        return [SignatureCheck(shown, "", "", UNREADABLE_PDF)]
    checks = []
    for index, embedded in enumerate(signatures):
        try:
            moment = embedded.self_reported_timestamp
            status = validate_pdf_signature(embedded, _context(roots, moment))
        except Exception:
            checks.append(SignatureCheck(shown, "", "", UNREADABLE))
            continue
        last = index == len(signatures) - 1
        problem = None
        if not (status.intact and status.valid):
            problem = "le contenu ne correspond plus à la signature : fichier modifié"
        elif last and status.coverage is not SignatureCoverageLevel.ENTIRE_FILE:
            problem = "contenu ajouté après la signature : fichier modifié"
        elif not last and not status.docmdp_ok:
            problem = "modifié après la signature au-delà d'une signature ajoutée"
        else:
            problem = _expiry(status.signing_cert, moment)
        checks.append(
            SignatureCheck(
                shown,
                _who(status.signing_cert),
                _when(moment),
                problem,
                trusted=problem is None and status.trusted,
            )
        )
    return checks


def check_detached(data: bytes, signature: bytes, shown: str, roots: Roots) -> SignatureCheck:
    """The detached CMS signature ``signature`` (a ``.p7s`` file's bytes) of ``data``, checked."""
    try:
        signed = cms.ContentInfo.load(signature)
        signed_data = signed["content"]
        _ = signed_data.native  # parse now: a damaged file is reported here
        reported = extract_self_reported_ts(signed_data["signer_infos"][0])
        status = asyncio.run(
            async_validate_detached_cms(
                data, signed_data, signer_validation_context=_context(roots, reported)
            )
        )
    except Exception:
        return SignatureCheck(shown, "", "", UNREADABLE)
    problem = None
    if not (status.intact and status.valid):
        problem = "le fichier signé ne correspond plus à la signature : fichier modifié"
    else:
        problem = _expiry(status.signing_cert, reported)
    return SignatureCheck(
        shown,
        _who(status.signing_cert),
        _when(reported),
        problem,
        trusted=problem is None and status.trusted,
    )
