"""The signalements a dossier records: those of a register that concern its solution (pure).

The dossier keeps an extract of the register, with this solution's cases only (other éditeurs'
cases never travel in someone else's dossier), hashed like every input, so that verifying the
dossier finds the same signalements again.
"""

from __future__ import annotations

import hashlib
import json

from cens_eval.engine.signalements import concerning
from cens_eval.model.dossier import Dossier, Empreinte, SignalementDossier, SignalementsDossier
from cens_eval.model.signalement import Registre, Signalement

SIGNALEMENTS_DIR = "signalements"
EXTRACT_FILE = f"{SIGNALEMENTS_DIR}/extrait.json"
"""Where a dossier folder keeps the register extract it was evaluated with."""


def extract(registre: Registre, dossier: Dossier) -> Registre:
    """The register reduced to the signalements about the dossier's solution."""
    return Registre(signalements=concerning(registre, dossier.editeur.nom, dossier.solution.nom))


def extract_bytes(extrait: Registre) -> bytes:
    """The extract as the dossier folder keeps it: JSON, keys in order, byte-stable."""
    data = extrait.model_dump(mode="json", exclude_defaults=True)
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def with_signalements(dossier: Dossier, extrait: Registre, registre_sha256: str) -> Dossier:
    """The dossier recording the signalements of ``extrait`` (shown beside their exigences)."""
    data = extract_bytes(extrait)
    section = SignalementsDossier(
        fichier=Empreinte(fichier=EXTRACT_FILE, sha256=hashlib.sha256(data).hexdigest()),
        registre_sha256=registre_sha256,
        signalements=[
            _shown(s) for s in sorted(extrait.signalements, key=lambda s: (s.recu_le, s.id))
        ],
    )
    return dossier.model_copy(update={"signalements": section})


def _shown(s: Signalement) -> SignalementDossier:
    return SignalementDossier(
        id=s.id,
        recu_le=s.recu_le,
        etape=s.etape,
        declarant=s.declarant,
        principes=list(s.principes),
        exigences=list(s.exigences),
        publie_le=s.publication.date if s.publication else None,
        reponse_publiee=s.publication.reponse if s.publication else None,
    )
