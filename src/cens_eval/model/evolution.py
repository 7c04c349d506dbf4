"""What changed between two dossiers of one solution: each exigence, score and verdict, and why."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import Field

from cens_eval.model.base import Model, Nombre
from cens_eval.model.review import Avis
from cens_eval.model.vocabulary import Niveau, Principe, Resultat, Verdict


class NatureEvolution(StrEnum):
    """How one exigence changed from the earlier dossier to the later one."""

    AMELIORE = "ameliore"
    DEGRADE = "degrade"
    MODIFIE_SANS_EFFET = "modifie_sans_effet"
    """Same outcome, another declaration, justification or preuve."""
    NOUVEAU = "nouveau"
    RETIRE = "retire"
    PREUVE_RENOUVELEE = "preuve_renouvelee"
    """A preuve with a maximum age given again with a later date."""
    PREUVE_EXPIREE = "preuve_expiree"
    """A preuve valid in the earlier dossier expired by the later one's date."""


NATURE_LABELS: dict[NatureEvolution, str] = {
    NatureEvolution.AMELIORE: "amélioré",
    NatureEvolution.DEGRADE: "dégradé",
    NatureEvolution.MODIFIE_SANS_EFFET: "modifié sans effet",
    NatureEvolution.NOUVEAU: "nouveau",
    NatureEvolution.RETIRE: "retiré",
    NatureEvolution.PREUVE_RENOUVELEE: "preuve renouvelée",
    NatureEvolution.PREUVE_EXPIREE: "preuve expirée",
}


class Cause(StrEnum):
    """What made an exigence change: the éditeur's answer, or something the éditeur did not do."""

    REPONSE = "reponse"
    PREUVE = "preuve"
    VERSION_REFERENTIEL = "version_referentiel"
    CALENDRIER = "calendrier"
    PERIMETRE = "perimetre"
    REGLE_DE_SCORE = "regle_de_score"


CAUSE_LABELS: dict[Cause, str] = {
    Cause.REPONSE: "réponse",
    Cause.PREUVE: "preuve",
    Cause.VERSION_REFERENTIEL: "version du référentiel",
    Cause.CALENDRIER: "calendrier",
    Cause.PERIMETRE: "périmètre (profil)",
    Cause.REGLE_DE_SCORE: "règle de score",
}


class EvolutionExigence(Model):
    """One exigence that changed, matched across référentiel versions by its declared renames."""

    referentiel: str
    id: str
    """Its id in the later dossier (in the earlier one for a removed exigence)."""
    ancien_id: str | None
    """Its id in the earlier dossier, when it had one (another one when renamed)."""
    libelle: str
    principe: Principe
    niveaux: list[Niveau]
    """Its effective level in the earlier and the later dossier (one when unchanged)."""
    nature: NatureEvolution
    causes: list[Cause]
    avant: Resultat | None
    apres: Resultat | None
    details: list[str]
    """What changed, in words (the declaration, the preuves, the référentiel's fields…)."""


class EvolutionScore(Model):
    """A score figure that moved, with the exigences that moved it."""

    referentiel: str
    principe: Principe | None
    """None for the whole référentiel."""
    niveau: Niveau
    libelle: str
    avant: Nombre | None
    apres: Nombre | None
    exigences: list[str]


class EvolutionVerdict(Model):
    """A référentiel whose verdict changed, with the exigences that changed it."""

    referentiel: str
    avant: Verdict | None
    apres: Verdict | None
    exigences: list[str]
    """The blocking exigences that appeared or disappeared."""


class DossierCompare(Model):
    """One side of the comparison: which dossier, of which version of the solution, when."""

    dossier: str
    """The folder as given on the command line."""
    sha256: str
    """SHA-256 of its ``dossier.json``."""
    solution_version: str
    as_of: dt.date
    referentiels: list[str]
    """``id version`` of each référentiel evaluated."""
    version_regles: int


class EvolutionDossier(Model):
    """Everything that changed between two dossiers of one solution."""

    format: Literal["cens-eval/evolution"] = "cens-eval/evolution"
    editeur: str
    solution: str
    ancien: DossierCompare
    nouveau: DossierCompare
    contexte: list[str] = Field(default_factory=list)
    """What changed around the answers: référentiel versions, profil, rules, calendar, date."""
    exigences: list[EvolutionExigence]
    scores: list[EvolutionScore]
    verdicts: list[EvolutionVerdict]

    @property
    def identiques(self) -> bool:
        """True when no exigence, score or verdict changed."""
        return not (self.exigences or self.scores or self.verdicts)


class SuiviExigence(Model):
    """One exigence of a dossier to review, as it stands since the previous reviewed dossier."""

    referentiel: str
    id: str
    inchangee: bool
    """Same outcome, same declaration, justification and preuves (dates included) as in the
    previous reviewed dossier: the evaluator may carry the previous avis over."""
    nature: NatureEvolution | None = None
    """How it changed (None when unchanged)."""
    causes: list[Cause] = Field(default_factory=list)
    avis: Avis | None = None
    """The previous review's avis on it (None: none given, or not reviewed then)."""
    commentaire: str | None = None
    resultat_evalue: Resultat | None = None
    """The outcome the previous review retained (None: not reviewed then)."""


class RevueAnterieure(Model):
    """The previous reviewed dossier of the same solution, and each exigence followed from it."""

    dossier: str
    """The previous reviewed folder, as given."""
    solution_version: str
    as_of: dt.date
    evaluateur: str
    date_revue: dt.date
    exigences: list[SuiviExigence]

    def suivi(self, referentiel: str, exigence: str) -> SuiviExigence | None:
        """How one exigence stands since the previous review (None: not in the dossier reviewed)."""
        return next(
            (s for s in self.exigences if s.referentiel == referentiel and s.id == exigence), None
        )

    @property
    def inchangees(self) -> int:
        """How many exigences are unchanged since the previous review."""
        return sum(1 for s in self.exigences if s.inchangee)
