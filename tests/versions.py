"""A « 1.6 » of the shipped téléconsultation référentiel, made by the tests from the shipped 1.5.1.

The changes are chosen from the loaded files (the shipped référentiel and the MediLink
questionnaire), never from hard-coded counts: one exigence added, one removed, one statement
changed, one préconisation made mandatory.
"""

from __future__ import annotations

import copy
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cens_eval.loader.referentiels import load_catalogue
from cens_eval.model.vocabulary import Niveau

from .conftest import QUESTIONNAIRES, REFERENTIELS

MEDILINK = QUESTIONNAIRES / "teleconsult-medilink" / "questionnaire.yaml"
SHIPPED = REFERENTIELS / "teleconsultation-1.5.1.yaml"
NEW_ID = "ETH.99-essai"


@dataclass(frozen=True)
class Version16:
    """A référentiels folder holding the shipped files and the 1.6, and what the 1.6 changed."""

    folder: Path
    added: str
    removed: str
    changed: str
    made_mandatory: str
    answered: tuple[str, ...]
    """The exigences MediLink answers in 1.5.1."""


def medilink_answers() -> dict[str, Any]:
    data = yaml.safe_load(MEDILINK.read_text("utf-8"))
    return data["reponses"]["teleconsultation"]


def make_version_16(
    tmp_path: Path, edit: Any = None, *, version: str = "1.6", name: str = "referentiels"
) -> Version16:
    """Copy the shipped référentiels to ``tmp_path/name`` and add ``teleconsultation-<version>``.

    ``edit(data, chosen)`` may change the new version's raw data further.
    """
    folder = tmp_path / name
    shutil.copytree(REFERENTIELS, folder)
    shipped = load_catalogue(REFERENTIELS).get("teleconsultation", "1.5.1")
    assert shipped is not None
    answered = tuple(medilink_answers())
    by_id = {e.id: e for e in shipped.exigences}
    preconisations = [
        i
        for i in answered
        if by_id[i].niveau is Niveau.PRECONISATION and by_id[i].obligatoire_a_partir_du is None
    ]
    mandatory = [i for i in answered if by_id[i].niveau is Niveau.EXIGENCE]
    chosen = {
        "made_mandatory": preconisations[0],
        "removed": preconisations[-1],
        "changed": "ETH.12" if "ETH.12" in mandatory else mandatory[0],
    }
    data = yaml.safe_load(SHIPPED.read_text("utf-8"))
    data["version"] = version
    exigences = data["exigences"]
    for e in exigences:
        if e["id"] == chosen["changed"]:
            e["enonce"] += (
                " Dans cette version, refuser une finalité est aussi simple que l'accepter."
            )
        if e["id"] == chosen["made_mandatory"]:
            e["niveau"] = "exigence"
    data["exigences"] = [e for e in exigences if e["id"] != chosen["removed"]]
    template = next(
        e
        for e in exigences
        if "applicable_si" not in e and e.get("preuves") and e["id"] not in chosen.values()
    )
    new = copy.deepcopy(template)
    new.update(
        id=NEW_ID,
        libelle="Exigence ajoutée par la version d'essai",
        enonce="Le système présente au patient le nom de l'éditeur avant la téléconsultation.",
    )
    new.pop("non_applicable", None)
    new.pop("remplace", None)
    data["exigences"].append(new)
    if edit is not None:
        edit(data, chosen)
    (folder / f"teleconsultation-{version}.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8"
    )
    return Version16(folder, NEW_ID, answered=answered, **chosen)


def copy_medilink(tmp_path: Path) -> Path:
    """The MediLink questionnaire and its evidence, copied (inputs are never modified)."""
    target = tmp_path / "medilink"
    shutil.copytree(MEDILINK.parent, target)
    return target / "questionnaire.yaml"


def renamed(edits: dict[str, str]) -> Any:
    """An edit for :func:`make_version_16` giving exigence OLD the id NEW, by ``remplace: OLD``.

    The exigence keeps its text: an answer to OLD answered the text NEW now carries.
    """

    def edit(data: dict[str, Any], chosen: dict[str, str]) -> None:
        assert not set(edits) & set(chosen.values())  # the 1.6's own changes stay apart
        for e in data["exigences"]:
            if e["id"] in edits:
                e["remplace"], e["id"] = e["id"], edits[e["id"]]

    return edit
