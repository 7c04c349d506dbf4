"""The YAML arbitration template: each disagreement with what each evaluator said, to decide."""

from __future__ import annotations

import json
import textwrap

from cens_eval.model.comparison import Comparaison, Desaccord
from cens_eval.model.vocabulary import NIVEAU_LABELS, RESULTAT_LABELS
from cens_eval.render.comparison_text import avis_text, kappa_text, number
from cens_eval.render.review_yaml import _one_line


def _comment(text: str, indent: str) -> list[str]:
    return [f"{indent}# {line}" for line in textwrap.wrap(_one_line(text), width=96)]


def render_arbitration_yaml(c: Comparaison, arbitre: str | None = None) -> str:
    """An arbitration to fill for compared reviews: one entry per exigence to decide.

    Read back as written, it is refused only for what the arbitre must fill: name, date, and
    each decided outcome with its motif. What the evaluators said stays in comments.
    """
    out = [
        *_comment(
            f"Arbitrage des revues indépendantes du dossier de {c.editeur} — {c.solution}", ""
        ),
        f"# évalué au {c.as_of:%d/%m/%Y}. Modèle généré par cens-eval.",
        *(
            line
            for r in c.revues
            for line in _comment(f"R{r.numero} : {r.evaluateur}, le {r.date:%d/%m/%Y}", "")
        ),
        *(
            f"# Accord R{p.revues[0]} / R{p.revues[1]} : {number(p.pourcentage, ' %')} ; "
            f"kappa de Cohen : {kappa_text(p.kappa)}"
            for p in c.paires
        ),
        "#",
        "# Pour chaque désaccord, le résultat retenu par l'arbitre et son motif (obligatoires) :",
        "#   resultat: conforme | partiellement_conforme | non_conforme | non_applicable_justifie |",
        "#             non_applicable_non_justifie | preuves_manquantes",
        "# Une exigence sans avis dans une revue peut être décidée de même ; sinon, elle reste sans",
        "# avis dans la revue finale. Les autres exigences gardent le résultat commun des revues.",
        "",
        "arbitre:",
        f"  nom: {json.dumps(_one_line(arbitre or ''), ensure_ascii=False)}",
        '  # organisme: ""',
        '  # fonction: ""',
        "date:  # AAAA-MM-JJ, obligatoire : date de l'arbitrage et de la revue finale",
        f'dossier_sha256: "{c.dossier_sha256}"  # lie l\'arbitrage à ce dossier : ne pas modifier',
        "# decision_finale:  # l'avis retenu (sinon : l'avis proposé sur les résultats arbitrés)",
        "#   opinion: favorable | favorable_reserves_non_suspensives | favorable_reserves_suspensives | defavorable",
        '#   motif: ""',
    ]
    entries: dict[str, list[str]] = {}
    for d in c.desaccords:
        entries.setdefault(d.referentiel, []).extend(_entry(d))
    for n in c.non_comparees:
        sans = ", ".join(f"R{i}" for i in n.sans_avis)
        entries.setdefault(n.referentiel, []).extend(
            [
                "",
                *_comment(
                    f"{n.id} [{NIVEAU_LABELS[n.niveau_effectif]}] — sans avis : {sans}", "    "
                ),
                f"    # {json.dumps(n.id)}:",
                "    #   resultat:",
                '    #   motif: ""',
            ]
        )
    out.append("decisions:" if entries else "decisions: {}")
    for ref, lines in entries.items():
        out += [f"  {json.dumps(ref)}:", *lines]
    return "\n".join(out) + "\n"


def _entry(d: Desaccord) -> list[str]:
    about = (
        f"{d.id} — {d.libelle} [{NIVEAU_LABELS[d.niveau_effectif]}] ; "
        f"déclaré : {RESULTAT_LABELS[d.resultat_declare]}"
    )
    said = (f"R{a.revue} ({a.evaluateur}) : {avis_text(a)}" for a in d.avis)
    return [
        "",
        *_comment(about, "    "),
        *(line for text in said for line in _comment(text, "    ")),
        f"    {json.dumps(d.id)}:",
        "      resultat:",
        '      motif: ""',
    ]
