"""The signed files of a dossier folder, read: its PDFs' and its manifests' signatures.

Signed files are the folder's own renderings (``dossier.pdf``, ``revue.pdf`` and those kept in
``historique/``) and the manifests' detached signatures (``manifeste.json.p7s``…). A preuve
that happens to be a signed PDF is the éditeur's evidence, not a signature of the folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cens_eval.loader.dossier import folder_files
from cens_eval.model.seal import DOSSIER_SEAL, HISTORY_DIR, REVIEW_SEAL
from cens_eval.model.signature import MANIFEST_SIGNATURE

DOSSIER_SIGNED = ("dossier.pdf", DOSSIER_SEAL + MANIFEST_SIGNATURE)
"""The dossier part's signed files (the éditeur's signature)."""
REVIEW_SIGNED = ("revue.pdf", REVIEW_SEAL + MANIFEST_SIGNATURE)
"""A review's signed files (the evaluator's), at the root or in ``historique/N/``."""


@dataclass(frozen=True)
class SignedFile:
    """A file of the folder that may carry a signature, read."""

    rel: str
    data: bytes
    signed: bytes | None = None
    """For a detached signature (``.p7s``): the bytes of the file it signs (None: absent)."""

    @property
    def detached(self) -> bool:
        """Whether it is a manifest's detached signature (else a PDF)."""
        return self.rel.endswith(MANIFEST_SIGNATURE)


def _is_signed(rel: str) -> bool:
    if rel.startswith(f"{HISTORY_DIR}/"):
        parts = rel.split("/", 2)
        return len(parts) == 3 and parts[2] in REVIEW_SIGNED
    return rel in DOSSIER_SIGNED or rel in REVIEW_SIGNED


def signed_files(folder: Path) -> list[SignedFile]:
    """The folder's PDFs that carry a signature, and its manifests' signatures, by path.

    An unsigned PDF is left out; a file that cannot be read is left to the seal to name.
    """
    found = []
    for rel in sorted(r for r in folder_files(folder) if _is_signed(r)):
        path = folder.joinpath(*rel.split("/"))
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if rel.endswith(MANIFEST_SIGNATURE):
            try:
                signed: bytes | None = path.with_name(
                    path.name.removesuffix(MANIFEST_SIGNATURE)
                ).read_bytes()
            except OSError:
                signed = None
            found.append(SignedFile(rel, data, signed))
        elif b"/ByteRange" in data:
            found.append(SignedFile(rel, data))
    return found
