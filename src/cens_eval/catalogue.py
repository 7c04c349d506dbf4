"""The set of référentiels in use, with the profil vocabulary they share and their content hashes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cens_eval.profil import VocabulaireProfil
from cens_eval.referentiel import Referentiel


@dataclass(frozen=True)
class Catalogue:
    """Référentiels loaded together (sorted by id then version) and their shared profil vocabulary."""

    vocabulaire: VocabulaireProfil
    referentiels: tuple[Referentiel, ...]
    sha256: dict[tuple[str, str], str] = field(default_factory=dict)
    """SHA-256 of each référentiel file's bytes, by (id, version)."""
    fichiers: dict[tuple[str, str], Path] = field(default_factory=dict)
    """The file each référentiel was read from, by (id, version)."""
    vocabulaire_fichier: Path | None = None
    vocabulaire_sha256: str = ""

    def get(self, referentiel_id: str, version: str | None = None) -> Referentiel | None:
        """The référentiel with this id (and version, when given); None when absent."""
        for ref in self.referentiels:
            if ref.id == referentiel_id and (version is None or ref.version == version):
                return ref
        return None

    def versions(self, referentiel_id: str) -> list[str]:
        """Versions available for a référentiel id."""
        return [r.version for r in self.referentiels if r.id == referentiel_id]
