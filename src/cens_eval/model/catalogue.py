"""The set of référentiels in use, with the profil vocabulary they share and their content hashes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from cens_eval.errors import LoadError, Problem
from cens_eval.model.profil import VocabulaireProfil
from cens_eval.model.referentiel import Referentiel

Cle = tuple[str, str]
"""A référentiel's (id, version)."""


class Catalogue:
    """The référentiels of one folder, by (id, version), and their shared profil vocabulary.

    What each file holds is known from the start (its id, version, name and SHA-256); its
    exigences are read and checked when the référentiel is first asked for, so that evaluating
    a questionnaire reads only the référentiels it answers. :attr:`referentiels` reads them all.
    """

    def __init__(
        self,
        vocabulaire: VocabulaireProfil,
        fichiers: Mapping[Cle, Path],
        sha256: Mapping[Cle, str],
        read: Callable[[Cle], Referentiel],
        *,
        vocabulaire_fichier: Path | None = None,
        vocabulaire_sha256: str = "",
        deja_lus: Mapping[Cle, Referentiel] | None = None,
    ) -> None:
        self.vocabulaire = vocabulaire
        self.vocabulaire_fichier = vocabulaire_fichier
        self.vocabulaire_sha256 = vocabulaire_sha256
        self.cles: tuple[Cle, ...] = tuple(sorted(fichiers))
        """Every (id, version) available, sorted."""
        self.fichiers: dict[Cle, Path] = dict(fichiers)
        """The file each référentiel is read from."""
        self.sha256: dict[Cle, str] = dict(sha256)
        """SHA-256 of each référentiel file's bytes."""
        self._read = read
        self._lus: dict[Cle, Referentiel] = dict(deja_lus or {})

    @property
    def referentiels(self) -> tuple[Referentiel, ...]:
        """Every référentiel, read and checked (sorted by id then version); all problems at once."""
        problems: list[Problem] = []
        for key in self.cles:
            try:
                self._load(key)
            except LoadError as exc:
                problems += exc.problems
        if problems:
            raise LoadError(problems)
        return tuple(self._lus[key] for key in self.cles)

    def get(self, referentiel_id: str, version: str | None = None) -> Referentiel | None:
        """The référentiel with this id (and version, when given); None when absent.

        Raises:
            LoadError: the référentiel's file is invalid.
        """
        for key in self.cles:
            if key[0] == referentiel_id and (version is None or key[1] == version):
                return self._load(key)
        return None

    def versions(self, referentiel_id: str) -> list[str]:
        """Versions available for a référentiel id."""
        return [v for i, v in self.cles if i == referentiel_id]

    def ids(self) -> list[str]:
        """Every référentiel id available, sorted, once each."""
        return sorted({i for i, _ in self.cles})

    def _load(self, key: Cle) -> Referentiel:
        ref = self._lus.get(key)
        if ref is None:
            ref = self._lus[key] = self._read(key)
        return ref
