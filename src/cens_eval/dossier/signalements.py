"""The signalements a dossier records: those of a register that concern its solution (pure).

The dossier keeps an extract of the register, with this solution's cases only (other éditeurs'
cases never travel in someone else's dossier), hashed like every input, so that verifying the
dossier finds the same signalements again. The extract carries what the éditeur may see
(:class:`~cens_eval.model.signalement.SignalementExtrait`): never the account of the facts,
never a declarant's contact, whether the case is published or not.
"""

from __future__ import annotations

import hashlib
import json

from cens_eval.engine.signalements import about, concerning, editeur_view
from cens_eval.model.dossier import Dossier, Empreinte, SignalementDossier, SignalementsDossier
from cens_eval.model.signalement import (
    EXTRACT_FORMAT,
    ExtraitRegistre,
    Registre,
    SignalementExtrait,
)

SIGNALEMENTS_DIR = "signalements"
EXTRACT_FILE = f"{SIGNALEMENTS_DIR}/extrait.json"
"""Where a dossier folder keeps the register extract it was evaluated with."""


def extract(source: Registre | ExtraitRegistre, dossier: Dossier) -> ExtraitRegistre:
    """The cases about the dossier's solution, as the éditeur may see them, by date then id.

    ``source`` is a register (when evaluating) or the extract a dossier folder keeps (when
    verifying it): both give the same extract.
    """
    editeur, solution = dossier.editeur.nom, dossier.solution.nom
    if isinstance(source, ExtraitRegistre):
        cases = [s for s in source.signalements if about(s.solution, editeur, solution)]
    else:
        cases = [editeur_view(s) for s in concerning(source, editeur, solution)]
    return ExtraitRegistre(
        format=EXTRACT_FORMAT, signalements=sorted(cases, key=lambda s: (s.recu_le, s.id))
    )


def extract_bytes(extrait: ExtraitRegistre) -> bytes:
    """The extract as the dossier folder keeps it: JSON, keys in order, byte-stable."""
    data = extrait.model_dump(mode="json", exclude_none=True)
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def with_signalements(dossier: Dossier, extrait: ExtraitRegistre, registre_sha256: str) -> Dossier:
    """The dossier recording the signalements of ``extrait`` (shown beside their exigences)."""
    data = extract_bytes(extrait)
    section = SignalementsDossier(
        fichier=Empreinte(fichier=EXTRACT_FILE, sha256=hashlib.sha256(data).hexdigest()),
        registre_sha256=registre_sha256,
        signalements=[_shown(s) for s in extrait.signalements],
    )
    return dossier.model_copy(update={"signalements": section})


def _shown(s: SignalementExtrait) -> SignalementDossier:
    return SignalementDossier(
        id=s.id,
        recu_le=s.recu_le,
        etape=s.etape,
        declarant=s.declarant,
        principes=list(s.principes),
        exigences=list(s.exigences),
        publie_le=s.publie_le,
        reponse_publiee=s.reponse_publiee,
    )
