"""What a dossier's bytes depend on, besides its inputs: the format and the rules, each versioned.

A dossier records three versions: the tool's (``outil.version``), the **format** (the layout of
``dossier.json`` and of the files rendered from it) and the **rules** (scoring table, outcome,
scope and verdict rules). Within one format and one rules version, a dossier is reproduced byte
for byte. Across versions, what each rules version decides is kept here, so that an earlier
dossier's outcomes are recomputed exactly under the rules it was made with, and the outcomes
that today's rules move are named (``CHANGELOG.md`` says which release bumped which version).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

FORMAT_VERSION: Final = 2
"""The dossier format written today. 1: cens-eval 0.1.0. 2: rules version recorded, the folder
sealed by ``manifeste.json``, a reviewed copy by ``revue/manifeste.json`` (with its history)."""

FORMATS_READ = (1, 2)
"""Every format this version reads and verifies (a format once released stays readable)."""


@dataclass(frozen=True)
class Regles:
    """What one version of the rules decides, where versions differ."""

    version: int
    seuil_pour_tout_statut: bool
    """A measure outside its threshold makes the exigence non conforme whatever the declared
    status (v1: only a conforme declaration)."""
    reponse_hors_profil_non_justifiee: bool
    """An exigence the profil places outside the case it targets, answered other than non
    applicable, is « non applicable non justifié » (v1: scored as declared)."""
    partiel_valide_averti: bool
    """The review warns when a declared *partiellement conforme* lacking a mandatory preuve is
    validé (v2: no — a declared gap owes its justification, not the preuves of a conformity it
    does not claim, as the pre-submission check says; only claims are warned)."""
    age_des_preuves: bool
    """A preuve older than its maximum age (``age_max`` of the référentiel) at the evaluation
    date counts as missing (v1: the age of a preuve is never read)."""
    raison_hors_perimetre_reponse: bool
    """The reason an exigence is hors périmètre names the profil's actual answer (« le profil
    répond non à « … ? » (la condition demande oui) »); v1 states only the condition, which
    read as if the profil had answered it."""


REGLES: dict[int, Regles] = {
    1: Regles(
        1,
        seuil_pour_tout_statut=False,
        reponse_hors_profil_non_justifiee=False,
        partiel_valide_averti=True,
        age_des_preuves=False,
        raison_hors_perimetre_reponse=False,
    ),
    2: Regles(
        2,
        seuil_pour_tout_statut=True,
        reponse_hors_profil_non_justifiee=True,
        partiel_valide_averti=False,
        age_des_preuves=True,
        raison_hors_perimetre_reponse=True,
    ),
}
"""Every rules version ever released, by number."""

RULES_VERSION = max(REGLES)
"""The rules in force."""

REGLES_EN_VIGUEUR = REGLES[RULES_VERSION]

REPRODUCED: frozenset[tuple[int, int]] = frozenset({(1, 1), (2, 2)})
"""The (format, rules) pairs whose files this version reproduces byte for byte: a dossier made
under one of them is verified by reproducing its files; under any other known pair, by its
seal, its recorded inputs and its outcomes (``dossier verify`` says which). The fixtures of each
release (``tests/data/versions/``) check the claim."""
