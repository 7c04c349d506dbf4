"""Signing a folder's files before they are written: its PDF, then its manifest.

The order keeps every part checkable: the PDF (``dossier.pdf`` or ``revue.pdf``) is signed by an
incremental update, the manifest is written again with the signed PDF's SHA-256, then the
manifest is signed (``manifeste.json.p7s``, not listed in itself). The signer's key stays in
memory: nothing of it is written or shown.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from cens_eval.dossier.seal import seal_bytes
from cens_eval.model.review import DossierRevu
from cens_eval.model.seal import DOSSIER_SEAL, REVIEW_SEAL, Sceau
from cens_eval.model.signature import MANIFEST_SIGNATURE, SignatureBox
from cens_eval.render import FILE_NAMES, REVIEW_FILE_NAMES, Format
from cens_eval.signature.cms import sign_detached
from cens_eval.signature.keys import Signer
from cens_eval.signature.keys import load_signer as _load_signer
from cens_eval.signature.pdf import sign_pdf
from cens_eval.signature.validate import load_roots

__all__ = ["Signer", "load_roots", "load_signer", "sign_dossier_files", "sign_review_files"]

EDITEUR_FIELD = "Signature de l'editeur"
EVALUATEUR_FIELD = "Signature de l'evaluateur"


def load_signer(data: bytes, password: str, source: str) -> Signer:
    """The signer of a PKCS#12 file's bytes, checked for signing now.

    Raises:
        LoadError: wrong password, not PKCS#12, a certificate that may not sign or is not
            valid today (nothing is written).
    """
    return _load_signer(data, password, source, dt.datetime.now(dt.UTC))


def signed_message(signer: Signer, *, review: bool, arbitre: bool = False) -> str:
    """What a signing command tells its user: the files signed, and by whom."""
    files = "revue.pdf et revue/manifeste.json" if review else "dossier.pdf et manifeste.json"
    return f"{files} signés par {signer.name}{' (arbitre)' if arbitre else ''}."


def sign_dossier_files(files: dict[str, bytes], signer: Signer) -> dict[str, bytes]:
    """A dossier folder's generated files, its ``dossier.pdf`` and its manifest signed."""
    from cens_eval.render.signature_box import DOSSIER_BOX

    return _signed(files, FILE_NAMES[Format.PDF], DOSSIER_BOX, EDITEUR_FIELD, DOSSIER_SEAL, signer)


def sign_review_files(
    files: dict[str, bytes], reviewed: DossierRevu, signer: Signer
) -> dict[str, bytes]:
    """A reviewed copy's generated files, its ``revue.pdf`` and its review manifest signed."""
    from cens_eval.render.signature_box import review_signature_box

    pdf = REVIEW_FILE_NAMES[Format.PDF]
    box = review_signature_box(reviewed) if pdf in files else None
    return _signed(files, pdf, box, EVALUATEUR_FIELD, REVIEW_SEAL, signer)


def _signed(
    files: dict[str, bytes],
    pdf: str,
    box: SignatureBox | None,
    field: str,
    seal: str,
    signer: Signer,
) -> dict[str, bytes]:
    signed = dict(files)
    hashes: dict[str, str] = {}
    if pdf in signed:
        signed[pdf] = sign_pdf(signed[pdf], signer, box, field)
        hashes[pdf] = hashlib.sha256(signed[pdf]).hexdigest()
    if seal in signed:
        signed[seal] = _resealed(signed[seal], hashes)
        signed[seal + MANIFEST_SIGNATURE] = sign_detached(
            signed[seal], signer, dt.datetime.now(dt.UTC)
        )
    return signed


def _resealed(seal: bytes, changed: dict[str, str]) -> bytes:
    """The seal ``seal`` with the SHA-256 of the files in ``changed`` replaced."""
    sceau = Sceau.model_validate(json.loads(seal))
    hashes = {entry.fichier: changed.get(entry.fichier, entry.sha256) for entry in sceau.fichiers}
    return seal_bytes(hashes, dossier_sha256=sceau.dossier_sha256, precedente=sceau.precedente)
