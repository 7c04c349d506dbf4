"""The YAML questionnaire template: every in-scope exigence with its statement and preuves as comments."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Sequence

from cens_eval.model.applicability import scope
from cens_eval.model.mesure import attendue_text
from cens_eval.model.profil import Profil, VocabulaireProfil
from cens_eval.model.questionnaire import Questionnaire, Reponse
from cens_eval.model.referentiel import Exigence, Referentiel
from cens_eval.model.reprises import RepriseProposee
from cens_eval.model.vocabulary import NIVEAU_LABELS, PRINCIPE_LABELS, Portee
from cens_eval.render.yaml_data import model_data, yaml_text


def _q(value: object) -> str:
    """A YAML scalar: JSON strings are valid YAML and keep accents readable."""
    return json.dumps(value, ensure_ascii=False)


def render_questionnaire_yaml(
    profil: Profil,
    referentiels: Sequence[Referentiel],
    vocabulaire: VocabulaireProfil,
    reprises: Sequence[RepriseProposee] = (),
    questionnaire: Questionnaire | None = None,
    head: Sequence[str] = (),
) -> str:
    """A questionnaire to fill in, for a profil and the référentiels that apply to it.

    ``reprises``: the exigences whose answer is taken from another one (written as a
    ``reprise`` to answer once; through a partial link, as a pre-fill to confirm). With
    ``questionnaire``, its identity and answers are written in the same commented form
    (``questionnaire convert`` and ``migrate``): an answer to an exigence outside the profil's
    scope, or to a référentiel that no longer applies, is kept after the others, said ignored.
    ``head`` adds comment lines at the top (where the file comes from).
    """
    taken = {r.cible: r for r in reprises}
    answers = questionnaire.reponses if questionnaire is not None else {}
    out = [
        "# Questionnaire d'auto-évaluation éthique (CENS) — modèle généré par cens-eval.",
        *(f"# {line}" if line else "#" for line in head),
        "# Pour chaque exigence : statut (conforme | partiellement_conforme | non_conforme | non_applicable),",
        "# justification (obligatoire sauf pour conforme) et preuves, chacune nommant la preuve attendue",
        "# qu'elle satisfait : {attendue: ID, fichier: chemin/relatif.pdf} ou {attendue: ID, url: https://…}",
        '# ou {attendue: ID, declaration: "…"} ; une mesure porte sa valeur : {attendue: ID, valeur: 72}.',
        '# Un écart peut recevoir un engagement : {action: "…", echeance: AAAA-MM-JJ}.',
        "# Vérification : cens-eval questionnaire check <ce fichier>",
        "",
        *_identity(questionnaire),
        "referentiels:",
        *(f"  - {{id: {_q(r.id)}, version: {_q(r.version)}}}" for r in referentiels),
        "profil:",
    ]
    for question in vocabulaire.questions:
        if question.id in profil:
            out.append(f"  # {question.libelle}")
            out.append(f"  {question.id}: {_q(profil[question.id])}")
    out.append("reponses:")
    written: set[tuple[str, str]] = set()
    for ref in referentiels:
        out.append(f"  {ref.id}:  # {ref.titre} — version {ref.version}")
        given = answers.get(ref.id, {})
        for exigence in ref.exigences:
            portee = scope(exigence, profil)
            if portee is not Portee.HORS_PERIMETRE:
                out += _exigence(
                    exigence, portee, given.get(exigence.id), taken.get((ref.id, exigence.id))
                )
                written.add((ref.id, exigence.id))
        out += _ignored(ref, given, written)
    return "\n".join(out) + "\n"


_IDENTITY = {
    "editeur": (("nom", '""'), ("siren", '"123456789"'), ("contact", '""')),
    "solution": (("nom", '""'), ("version", '""'), ("description", '""')),
}
"""Each identity section's fields, in order, with what shows an optional field left out."""


def _identity(questionnaire: Questionnaire | None) -> list[str]:
    """The ``editeur`` and ``solution`` sections: as given, an optional field left out commented."""
    lines = []
    for section, fields in _IDENTITY.items():
        lines.append(f"{section}:")
        given = model_data(getattr(questionnaire, section)) if questionnaire else {}
        for field, example in fields:
            if field in given:
                lines += _indented({field: given[field]}, "  ")
            elif field == "nom" or (section, field) == ("solution", "version"):
                lines.append(f"  {field}: {example}")
            else:
                lines.append(f"  # {field}: {example}")
    return lines


def _indented(data: object, indent: str) -> list[str]:
    return [f"{indent}{line}" for line in yaml_text(data).splitlines()]


def _answer(key: str, reponse: Reponse | None, indent: str) -> list[str]:
    """One exigence's answer: as given, else the fields to fill."""
    data = model_data(reponse) if reponse is not None else {}
    if not data:
        return [
            f"{indent}{key}:",
            f"{indent}  statut:  # conforme | partiellement_conforme | non_conforme | non_applicable",
            f"{indent}  justification:",
            f"{indent}  preuves: []",
        ]
    return [f"{indent}{key}:", *_indented(data, indent + "  ")]


def _ignored(
    ref: Referentiel, given: dict[str, Reponse], written: set[tuple[str, str]]
) -> list[str]:
    """The answers to ``ref``'s exigences outside the profil's scope, kept, said ignored."""
    lines = []
    for exigence_id, reponse in given.items():
        if (ref.id, exigence_id) in written:
            continue
        exigence = ref.exigence(exigence_id)
        head = f"{exigence_id} — {exigence.libelle}" if exigence else exigence_id
        lines += ["", *_comment(f"{head} : hors périmètre pour ce profil, réponse ignorée", "    ")]
        lines += _answer(_q(exigence_id), reponse, "    ")
    return lines


_KEEP_WITH = re.compile(r" (?=[?!:;»])|(?<=«) ")
"""A space before French high punctuation, or inside « », never starts a comment line."""


_NBSP = "\u00a0"


def _comment(text: str, indent: str) -> list[str]:
    glued = _KEEP_WITH.sub(_NBSP, text)
    return [f"{indent}# {line}".replace(_NBSP, " ") for line in textwrap.wrap(glued, width=96)]


def _exigence(
    exigence: Exigence,
    portee: Portee,
    reponse: Reponse | None = None,
    reprise: RepriseProposee | None = None,
) -> list[str]:
    indent = "    "
    head = f"{exigence.id} — {exigence.libelle} [{NIVEAU_LABELS[exigence.niveau]} · {PRINCIPE_LABELS[exigence.principe]}]"
    lines = ["", *_comment(head, indent), *_comment(exigence.enonce, indent)]
    if portee is Portee.NON_APPLICABLE_A_JUSTIFIER:
        lines += _comment(
            "D'après le profil, déclarer cette exigence non applicable, avec la preuve ci-dessous.",
            indent,
        )
    for p in exigence.preuves:
        lines += _comment(f"preuve {p.id} ({attendue_text(p)}) : {p.libelle}", indent)
    if exigence.non_applicable:
        for p in exigence.non_applicable.preuves:
            lines += _comment(
                f"si non applicable : preuve {p.id} ({attendue_text(p)}) : {p.libelle}", indent
            )
    if reprise is not None and reponse is None:
        return lines + _reprise(exigence.id, reprise, indent)
    return lines + _answer(_q(exigence.id), reponse, indent)


def _reprise(exigence_id: str, reprise: RepriseProposee, indent: str) -> list[str]:
    """An answer taken by reference (full link) or pre-filled from another exigence (partial)."""
    ref_id, source_id = reprise.source
    source = f"{ref_id} {source_id}"
    link = f"{exigence_id} {reprise.lien.relation} {source}"
    if reprise.lien.complete:
        text = (
            f"Réponse reprise de {source} ({link}) : sa réponse et ses preuves valent ici, "
            "par référence. N'ajouter que les preuves attendues ici qu'elle ne donne pas ; "
            "pour répondre autrement, retirer « reprise »."
        )
        confirmee = ""
    else:
        text = (
            f"Réponse pré-remplie depuis {source} ({link}, lien partiel) : non comptée tant "
            "qu'elle n'est pas confirmée. La vérifier, puis écrire confirmee: true ; ou retirer "
            "« reprise » et répondre."
        )
        confirmee = ", confirmee: false"
    return [
        *_comment(text, indent),
        f"{indent}{_q(exigence_id)}:",
        f"{indent}  reprise: {{referentiel: {_q(ref_id)}, exigence: {_q(source_id)}{confirmee}}}",
        f"{indent}  preuves: []",
    ]


def render_profil_yaml(vocabulaire: VocabulaireProfil) -> str:
    """A profil to fill in: every question with its help text and the answers it takes.

    Each answer is left empty: ``questionnaire init --profil`` names every one not yet given.
    """
    out = [
        "# Profil de la solution — modèle généré par cens-eval (questionnaire init --modele-profil).",
        "# Répondre à chaque question après les deux-points : true (oui) ou false (non), ou l'un",
        "# des choix proposés. Puis : cens-eval questionnaire init --profil <ce fichier> -o questionnaire.yaml",
    ]
    for question in vocabulaire.questions:
        out += ["", *_comment(question.libelle, "")]
        if question.aide:
            out += _comment(f"Aide : {question.aide}", "")
        if question.choix:
            out += _comment(
                "Réponses possibles : "
                + " ; ".join(f"{c.id} ({c.libelle})" for c in question.choix),
                "",
            )
        else:
            out += _comment("Réponses possibles : true (oui) ; false (non)", "")
        out.append(f"{question.id}:")
    return "\n".join(out) + "\n"
