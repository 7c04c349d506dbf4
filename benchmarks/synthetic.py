"""Synthetic inputs for the benchmarks: a 300-exigence référentiel, questionnaires and dossiers."""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import yaml

from cens_eval.loader.locate import packaged_referentiels_dir

ROOT = Path(__file__).resolve().parent.parent
PRINCIPES = ["bienfaisance", "non_malfaisance", "autonomie", "justice_equite", "ecoresponsabilite"]
STATUTS = ["conforme", "partiellement_conforme", "non_conforme", "non_applicable"]
CONDITIONS: list[dict[str, Any] | None] = [
    None,
    {"question": "utilise_ia", "equals": True},
    {
        "all": [
            {"question": "audience", "in": ["patients", "mixte"]},
            {"not": {"question": "utilise_ia", "equals": False}},
        ]
    },
]


def referentiel(n: int = 300, seed: int = 1) -> dict[str, Any]:
    """A valid référentiel of ``n`` exigences with preuves, conditions and both levels."""
    rng = random.Random(seed)
    exigences = []
    for i in range(n):
        exigence: dict[str, Any] = {
            "id": f"CE-BENCH-{i:03d}",
            "libelle": f"Exigence synthétique {i}",
            "enonce": "Énoncé synthétique servant aux mesures de performance. " * 3,
            "principe": PRINCIPES[i % 5],
            "niveau": "exigence" if i % 3 else "preconisation",
            "poids": rng.choice([1, 1, 2]),
            "preuves": [
                {"id": f"p{j}", "type": "document", "libelle": f"Preuve {j}", "obligatoire": j == 0}
                for j in range(rng.randint(1, 3))
            ],
            "source": {"document": "bench", "localisation": f"art. {i}"},
            "fidelite": "reconstitue",
        }
        condition = CONDITIONS[i % len(CONDITIONS)]
        if condition is not None:
            exigence["applicable_si"] = condition
        if i % 7 == 0:
            exigence["non_applicable"] = {
                "preuves": [
                    {"id": "na", "type": "attestation_sur_l_honneur", "libelle": "Attestation"}
                ]
            }
        exigences.append(exigence)
    return {
        "id": "bench",
        "version": "1",
        "titre": "Référentiel synthétique de mesure",
        "type": "sectoriel",
        "statut": "projet",
        "date_publication": "2026-01-01",
        "base_legale": "aucune (données de mesure)",
        "sources": [
            {
                "id": "bench",
                "titre": "Mesures",
                "url": "https://example.org/bench",
                "nature": "secondaire",
            }
        ],
        "exigences": exigences,
    }


def referentiels_dir(target: Path, n: int = 300) -> Path:
    """A référentiels folder holding the shipped profil vocabulary and the synthetic référentiel."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(packaged_referentiels_dir() / "profil.yaml", target / "profil.yaml")
    (target / "bench-1.yaml").write_text(
        yaml.safe_dump(referentiel(n), allow_unicode=True), "utf-8"
    )
    return target


def questionnaire(ref: dict[str, Any], seed: int) -> dict[str, Any]:
    """A questionnaire answering every exigence of ``ref`` at random.

    Preuves are URLs; a non applicable claim may name ``attestation.pdf``, which the caller writes
    beside the questionnaire.
    """
    rng = random.Random(seed)
    reponses = {}
    for e in ref["exigences"]:
        statut = rng.choice(STATUTS)
        ids = [p["id"] for p in e["preuves"]]
        preuves: list[dict[str, Any]] = [
            {"attendue": i, "url": f"https://example.org/{i}"} for i in ids if rng.random() < 0.8
        ]
        if "non_applicable" in e and statut == "non_applicable" and rng.random() < 0.8:
            preuves.append({"attendue": "na", "fichier": "attestation.pdf"})
        reponses[e["id"]] = {
            "statut": statut,
            "justification": "Justification synthétique.",
            "preuves": preuves,
        }
    return {
        "editeur": {"nom": f"Éditeur {seed}"},
        "solution": {"nom": "Bench", "version": str(seed)},
        "referentiels": [{"id": "bench", "version": "1"}],
        "profil": {
            "utilise_ia": bool(seed % 2),
            "audience": ["patients", "professionnels", "mixte"][seed % 3],
        },
        "reponses": {"bench": reponses},
    }
