"""Where a PDF shows its signature, and what a verification found about one signature (pure)."""

from __future__ import annotations

from dataclasses import dataclass

MANIFEST_SIGNATURE = ".p7s"
"""The suffix of a manifest's detached signature: ``manifeste.json.p7s`` beside ``manifeste.json``."""


@dataclass(frozen=True)
class SignatureBox:
    """A rectangle of a PDF page, in points from its lower left corner (page 1 is 0)."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class SignatureCheck:
    """One signature of a folder, as verified: intact or not, who signed, and whether trusted."""

    file: str
    """The file signed (``revue.pdf``) or the signature file (``revue/manifeste.json.p7s``)."""
    signer: str
    """The signer's name and organisation, as the certificate gives them (empty: unreadable)."""
    signed_at: str
    """The signing time the signature reports (``25/11/2026 10:42 UTC``), or empty."""
    problem: str | None = None
    """Why the signature is broken (integrity, certificate invalid at signing): None when intact."""
    trusted: bool = False
    """Whether its certificate chains to a root the user gave (``--ac``)."""

    @property
    def status(self) -> str:
        """The verdict in words, as every report prints it."""
        if self.problem is not None:
            return f"signature invalide : {self.problem}"
        if self.trusted:
            return "certificat de confiance"
        return "signature intègre, émetteur non vérifié"


def rendered_as(data: bytes, rendered: bytes) -> bool:
    """Whether a file holds the rendering ``rendered``: the same bytes, or those bytes signed.

    A signed PDF is its unsigned rendering followed by an incremental update carrying the
    signature; whether that signature is intact is checked apart (``signature.validate``).
    """
    if data == rendered:
        return True
    return data.startswith(rendered) and b"/ByteRange" in data[len(rendered) :]
