"""The electronic signatures a folder carries: its PDFs' and its manifests', each checked.

Signed files are the folder's own renderings (``dossier.pdf``, ``revue.pdf`` and those kept in
``historique/``) and the manifests' detached signatures (``manifeste.json.p7s``…). A preuve
that happens to be a signed PDF is the éditeur's evidence, not a signature of the folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cens_eval.loader.dossier import folder_files
from cens_eval.model.seal import DOSSIER_SEAL, HISTORY_DIR, REVIEW_SEAL
from cens_eval.model.signature import MANIFEST_SIGNATURE, SignatureCheck

DOSSIER_SIGNED = ("dossier.pdf", DOSSIER_SEAL + MANIFEST_SIGNATURE)
"""The dossier part's signed files (the éditeur's signature)."""
REVIEW_SIGNED = ("revue.pdf", REVIEW_SEAL + MANIFEST_SIGNATURE)
"""A review's signed files (the evaluator's), at the root or in ``historique/N/``."""


def _signed_files(folder: Path) -> list[str]:
    def signed(rel: str) -> bool:
        if rel.startswith(f"{HISTORY_DIR}/"):
            parts = rel.split("/", 2)
            return len(parts) == 3 and parts[2] in REVIEW_SIGNED
        return rel in DOSSIER_SIGNED or rel in REVIEW_SIGNED

    return sorted(rel for rel in folder_files(folder) if signed(rel))


def folder_signatures(folder: Path, roots: Sequence[Any] = ()) -> list[SignatureCheck]:
    """Every signature of the folder's renderings and manifests, checked against ``roots``.

    ``roots`` are the trusted root certificates (``signature.validate.load_roots``); without
    them, an intact signature is « signature intègre, émetteur non vérifié ». An unsigned folder
    gives none (and loads no signature machinery).
    """
    checks: list[SignatureCheck] = []
    for rel in _signed_files(folder):
        path = folder / rel
        try:
            data = path.read_bytes()
        except OSError:
            continue  # missing or unreadable: the seal names it
        if rel.endswith(MANIFEST_SIGNATURE):
            from cens_eval.signature.validate import check_detached

            signed = path.with_name(path.name.removesuffix(MANIFEST_SIGNATURE))
            try:
                content = signed.read_bytes()
            except OSError:
                checks.append(SignatureCheck(rel, "", "", f"{signed.name} absent"))
                continue
            checks.append(check_detached(content, data, rel, roots))
        elif b"/ByteRange" in data:
            from cens_eval.signature.validate import check_pdf

            checks += check_pdf(data, rel, roots)
    return checks
