"""The YAML review template: the éditeur's declaration as comments, avis and commentaire to fill."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Sequence

from cens_eval.model.dossier import Dossier, ExigenceDossier, SignalementDossier
from cens_eval.model.evolution import RevueAnterieure
from cens_eval.model.signalement import ETAPE_LABELS
from cens_eval.model.vocabulary import NIVEAU_LABELS, RESULTAT_LABELS, STATUT_LABELS
from cens_eval.render.preuves import preuve_text
from cens_eval.render.reprises import reprise_review_hint
from cens_eval.render.review_precedent import mark_text, previous_text, suggestion

_NOT_YAML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters a YAML stream cannot hold, even in a comment."""


def _one_line(text: str) -> str:
    """A text from the dossier made safe for a comment: one line, every character YAML holds."""

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _NOT_YAML.sub(escape, " ".join(text.split()))


def render_review_yaml(
    dossier: Dossier,
    dossier_sha256: str,
    prior: RevueAnterieure | None = None,
    evaluateur: str | None = None,
) -> str:
    """A review to fill for a dossier: one entry per in-scope exigence.

    ``evaluateur``: the evaluator's name, filled in (one template per evaluator).

    Read back as it is written, it is refused only for what the evaluator must fill (the
    evaluator's name and the review's date): texts from the dossier stay in comments, on one
    line each. With ``prior`` (the previous reviewed dossier), each exigence says whether it is
    unchanged since, and an unchanged one suggests its previous avis, in a comment.
    """
    solution = f"{dossier.solution.nom} {dossier.solution.version}"
    out = [
        _one_line(f"# Revue du dossier de {dossier.editeur.nom} — {solution}"),
        f"# évalué au {dossier.as_of:%d/%m/%Y}. Modèle généré par cens-eval.",
        "#",
        "# Pour chaque exigence, un avis sur le résultat déclaré par l'éditeur :",
        "#   valide              le résultat déclaré est confirmé, tel quel (partiellement conforme,",
        "#                       non applicable justifié… compris) ;",
        "#   non_valide          le résultat déclaré est rejeté : donner le résultat évalué",
        "#                       (resultat: conforme | partiellement_conforme | non_conforme |",
        "#                       non_applicable_justifie | non_applicable_non_justifie) ou un",
        "#                       commentaire (sans résultat : non conforme, ou non applicable non",
        "#                       justifié pour une exigence déclarée non applicable) ;",
        "#   complement_demande  une preuve ou une précision est attendue (commentaire obligatoire).",
        "# Une exigence sans avis est traitée comme « complément demandé » et empêche l'avis final.",
        *(
            [f"# {line}" for line in textwrap.wrap(_one_line(previous_text(prior)), 98)]
            if prior
            else []
        ),
        "",
        "evaluateur:",
        f"  nom: {json.dumps(_one_line(evaluateur or ''), ensure_ascii=False)}",
        '  # organisme: ""',
        '  # fonction: ""  # rôle dans l\'évaluation',
        '  # contact: ""',
        "date:  # AAAA-MM-JJ, obligatoire : date de la revue et de sa validation",
        f'dossier_sha256: "{dossier_sha256}"  # lie la revue à ce dossier : ne pas modifier',
        "# decision_finale:  # l'avis retenu, une fois chaque exigence revue (sinon : l'avis proposé)",
        "#   opinion: favorable | favorable_reserves_non_suspensives | favorable_reserves_suspensives | defavorable",
        '#   motif: ""',
        "avis:" if dossier.resultats else "avis: {}",
    ]
    for result in dossier.resultats:
        title = _one_line(f"{result.titre} — version {result.version}")
        empty = "" if result.exigences else " {}"  # a mapping still, with nothing to review
        out.append(f"  {json.dumps(result.id)}:{empty}  # {title}")
        for e in result.exigences:
            reported = dossier.signalements.sur(result.id, e.id) if dossier.signalements else []
            out += _exigence(e, reported, prior, result.id)
    return "\n".join(out) + "\n"


def _comment(text: str) -> list[str]:
    return [f"    # {line}" for line in textwrap.wrap(_one_line(text), width=96)] or ["    #"]


def _exigence(
    e: ExigenceDossier,
    reported: Sequence[SignalementDossier] = (),
    prior: RevueAnterieure | None = None,
    referentiel: str = "",
) -> list[str]:
    statut = STATUT_LABELS[e.statut_declare] if e.statut_declare else "sans réponse"
    lines = ["", *_comment(f"{e.id} — {e.libelle} [{NIVEAU_LABELS[e.niveau_effectif]}]")]
    lines += _comment(f"Déclaré : {statut} ; résultat : {RESULTAT_LABELS[e.resultat]}")
    lines += [line for text in reprise_review_hint(e.reprises) for line in _comment(text)]
    if e.justification:
        lines += _comment(f"Justification : {e.justification}")
    for p in e.preuves:
        lines += _comment(f"Preuve {preuve_text(p)}")
    if e.preuves_manquantes:
        lines += _comment(f"Preuves manquantes : {', '.join(e.preuves_manquantes)}")
    for s in reported:
        lines += _comment(
            f"Signalement {s.id} reçu le {s.recu_le:%d/%m/%Y} ({ETAPE_LABELS[s.etape].lower()})"
        )
    avis = "      avis:"
    if prior is not None:
        followed = prior.suivi(referentiel, e.id)
        lines += _comment(mark_text(prior, followed))
        suggested = suggestion(followed)
        if suggested:
            avis += f"  # suggestion (revue précédente) : {suggested}"
    lines += [f"    {json.dumps(e.id)}:", avis, "      commentaire:", "      # resultat:"]
    return lines
