"""Seals: the manifest of a folder's files (every file and its SHA-256), made and read (pure).

A dossier folder (format 2 on) holds ``manifeste.json``: every file of the dossier part and its
SHA-256, rendered files included, so that a file changed, removed or added after the fact is
named whatever version verifies it. A reviewed copy adds ``revue/manifeste.json`` over the
review's files, bound to the SHA-256 of the ``dossier.json`` reviewed and to the review before it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from cens_eval.model.dossier import Empreinte
from cens_eval.model.seal import DOSSIER_SEAL, Sceau


def seal_bytes(
    hashes: Mapping[str, str],
    *,
    dossier_sha256: str | None = None,
    precedente: Empreinte | None = None,
) -> bytes:
    """The seal of files given by their path in the folder and their SHA-256 (same input, same bytes)."""
    sceau = Sceau(
        fichiers=[Empreinte(fichier=rel, sha256=hashes[rel]) for rel in sorted(hashes)],
        dossier_sha256=dossier_sha256,
        precedente=precedente,
    )
    data = sceau.model_dump(mode="json", exclude_none=True)
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def sealed(
    files: Mapping[str, bytes],
    copies: Mapping[str, str],
    seal_path: str = DOSSIER_SEAL,
    *,
    dossier_sha256: str | None = None,
    precedente: Empreinte | None = None,
) -> dict[str, bytes]:
    """``files`` with the seal over them and over ``copies`` (their SHA-256) added at ``seal_path``."""
    hashes = {rel: hashlib.sha256(data).hexdigest() for rel, data in files.items()}
    hashes.update(copies)
    seal = seal_bytes(hashes, dossier_sha256=dossier_sha256, precedente=precedente)
    return {**files, seal_path: seal}
