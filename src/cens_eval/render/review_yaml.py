"""The YAML review template: the éditeur's declaration as comments, avis and commentaire to fill."""

from __future__ import annotations

import json
import textwrap

from cens_eval.dossier import Dossier, ExigenceDossier
from cens_eval.render.preuves import preuve_text
from cens_eval.vocabulary import NIVEAU_LABELS, RESULTAT_LABELS, STATUT_LABELS


def render_review_yaml(dossier: Dossier, dossier_sha256: str) -> str:
    """A review to fill for a dossier: one entry per in-scope exigence."""
    out = [
        f"# Revue du dossier de {dossier.editeur.nom} — {dossier.solution.nom} {dossier.solution.version}",
        f"# évalué au {dossier.as_of:%d/%m/%Y}. Modèle généré par cens-eval.",
        "# Pour chaque exigence : avis (valide | non_valide | complement_demande) et commentaire",
        "# (obligatoire sauf pour valide). Une exigence sans avis est traitée comme « complément demandé ».",
        "",
        "evaluateur:",
        '  nom: ""',
        '  # organisme: ""',
        '  # contact: ""',
        "date:  # AAAA-MM-JJ",
        f'dossier_sha256: "{dossier_sha256}"  # lie la revue à ce dossier : ne pas modifier',
        "# decision_finale:  # seulement pour retenir un autre avis que celui proposé",
        "#   opinion: favorable | favorable_reserves_non_suspensives | favorable_reserves_suspensives | defavorable",
        '#   motif: ""',
        "avis:",
    ]
    for result in dossier.resultats:
        out.append(f"  {result.id}:  # {result.titre} — version {result.version}")
        for e in result.exigences:
            out += _exigence(e)
    return "\n".join(out) + "\n"


def _comment(text: str) -> list[str]:
    return [f"    # {line}" for line in textwrap.wrap(" ".join(text.split()), width=96)] or [
        "    #"
    ]


def _exigence(e: ExigenceDossier) -> list[str]:
    statut = STATUT_LABELS[e.statut_declare] if e.statut_declare else "sans réponse"
    lines = ["", *_comment(f"{e.id} — {e.libelle} [{NIVEAU_LABELS[e.niveau_effectif]}]")]
    lines += _comment(f"Déclaré : {statut} ; résultat : {RESULTAT_LABELS[e.resultat]}")
    if e.justification:
        lines += _comment(f"Justification : {e.justification}")
    for p in e.preuves:
        lines += _comment(f"Preuve {preuve_text(p)}")
    if e.preuves_manquantes:
        lines += _comment(f"Preuves manquantes : {', '.join(e.preuves_manquantes)}")
    lines += [f"    {json.dumps(e.id)}:", "      avis:", "      commentaire:"]
    return lines
