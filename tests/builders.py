"""Build small référentiels and questionnaires in tests, filling the fields a case does not care about."""

from __future__ import annotations

from typing import Any

from cens_eval.model.questionnaire import Questionnaire
from cens_eval.model.referentiel import Referentiel


def referentiel(
    exigences: list[dict[str, Any]], applicable_si: dict[str, Any] | None = None
) -> Referentiel:
    full = []
    for e in exigences:
        item = {
            "libelle": f"Libellé {e['id']}",
            "enonce": f"Énoncé de {e['id']}.",
            "source": {"document": "src", "localisation": "art. 1"},
            "fidelite": "reconstitue",
            **e,
        }
        item["preuves"] = [{"libelle": f"Preuve {p['id']}", **p} for p in e.get("preuves", [])]
        if "non_applicable" in e:
            item["non_applicable"] = {
                **e["non_applicable"],
                "preuves": [
                    {"libelle": f"Preuve {p['id']}", **p} for p in e["non_applicable"]["preuves"]
                ],
            }
        full.append(item)
    data: dict[str, Any] = {
        "id": "essai",
        "version": "1",
        "titre": "Référentiel d'essai",
        "type": "sectoriel",
        "statut": "opposable",
        "date_publication": "2024-01-01",
        "base_legale": "L. 1470-5 CSP",
        "sources": [
            {"id": "src", "titre": "Source", "url": "https://example.org", "nature": "officielle"}
        ],
        "exigences": full,
    }
    if applicable_si is not None:
        data["applicable_si"] = applicable_si
    return Referentiel.model_validate(data)


def questionnaire(
    profil: dict[str, Any], reponses: dict[str, Any], ref_id: str = "essai"
) -> Questionnaire:
    return Questionnaire.model_validate(
        {
            "editeur": {"nom": "Éditeur d'essai"},
            "solution": {"nom": "Solution", "version": "1"},
            "referentiels": [{"id": ref_id, "version": "1"}],
            "profil": profil,
            "reponses": {ref_id: reponses} if reponses else {},
        }
    )


def answered(q: Questionnaire) -> Questionnaire:
    """The questionnaire without its empty answers: an exigence left blank is no answer (a
    workbook row left empty gives none, a YAML template's blank fields an empty one)."""
    from cens_eval.model.questionnaire import Reponse

    reponses = {
        ref: {k: r for k, r in answers.items() if r != Reponse()}
        for ref, answers in q.reponses.items()
    }
    return q.model_copy(update={"reponses": reponses})
