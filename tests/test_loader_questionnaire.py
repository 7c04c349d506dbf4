"""Questionnaire loading: every problem located, evidence paths confined, inputs untouched."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from cens_eval.errors import LoadError
from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.model.catalogue import Catalogue

BASE = Path(__file__).parent / "data" / "questionnaires" / "base"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "q"
    shutil.copytree(BASE, target)
    return target


def _edit(folder: Path, old: str, new: str) -> Path:
    path = folder / "questionnaire.yaml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def _messages(path: Path, catalogue: Catalogue) -> list[str]:
    with pytest.raises(LoadError) as info:
        load_questionnaire(path, catalogue)
    return [f"{p.where}: {p.message}" for p in info.value.problems]


def test_base_questionnaire_loads_with_its_manifest(folder: Path, catalogue: Catalogue) -> None:
    loaded = load_questionnaire(folder / "questionnaire.yaml", catalogue)
    assert loaded.warnings == []
    assert [p.chemin for p in loaded.pieces] == [
        "preuves/attestation.pdf",
        "preuves/capture-lieu.png",
    ]
    expected = hashlib.sha256((folder / "preuves/attestation.pdf").read_bytes()).hexdigest()
    assert loaded.pieces[0].sha256 == expected


def test_json_twin_gives_the_same_questionnaire(folder: Path, catalogue: Catalogue) -> None:
    data = yaml.safe_load((folder / "questionnaire.yaml").read_text("utf-8"))
    (folder / "questionnaire.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=2), "utf-8"
    )
    from_yaml = load_questionnaire(folder / "questionnaire.yaml", catalogue).questionnaire
    from_json = load_questionnaire(folder / "questionnaire.json", catalogue).questionnaire
    assert from_json == from_yaml


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    ETH.08:",
            "    ETH.8:",
            "21: teleconsultation › Exigence ETH.8: exigence inconnue dans teleconsultation 1.5.1 (voulez-vous dire ETH.08 ?)",
        ),
        (
            "      statut: conforme",
            "      statut: conformes",
            "22: teleconsultation › Exigence ETH.08 › statut: attendu l'un de conforme, partiellement_conforme, non_conforme, non_applicable",
        ),
        (
            "attendue: capture-choix-lieu",
            "attendue: capture-lieu",
            "24: teleconsultation › Exigence ETH.08 › preuves › 1 › attendue: preuve attendue inconnue « capture-lieu » (attendues : capture-choix-lieu, restitution-medecin)",
        ),
        (
            'version: "1.5.1"',
            'version: "1.4"',
            "4: referentiels › 1 › version: version 1.4 du référentiel teleconsultation inconnue (disponible : 1.5.1)",
        ),
        (
            "fichier: preuves/capture-lieu.png",
            "fichier: ../secret.png",
            "24: teleconsultation › Exigence ETH.08 › preuves › 1 › fichier: chemin refusé : « ../secret.png » sort du dossier du questionnaire",
        ),
        (
            "fichier: preuves/capture-lieu.png",
            "fichier: /etc/passwd",
            "24: teleconsultation › Exigence ETH.08 › preuves › 1 › fichier: chemin absolu refusé : « /etc/passwd » (indiquer un chemin relatif au questionnaire)",
        ),
        (
            "  audience: patients",
            "  audience: enfants",
            "13: profil › audience: valeur « enfants » impossible pour audience (attendu l'un de patients, professionnels, mixte)",
        ),
    ],
    ids=[
        "exigence-inconnue",
        "statut",
        "preuve-inconnue",
        "version",
        "dotdot",
        "absolu",
        "profil",
    ],
)
def test_located_errors(
    folder: Path, catalogue: Catalogue, old: str, new: str, expected: str
) -> None:
    assert _messages(_edit(folder, old, new), catalogue) == [expected]


def test_all_problems_are_reported_at_once(folder: Path, catalogue: Catalogue) -> None:
    _edit(folder, "    ETH.08:", "    ETH.8:")
    path = _edit(folder, "fichier: preuves/attestation.pdf", "fichier: ../x.pdf")
    assert len(_messages(path, catalogue)) == 2


def test_out_of_scope_answer_is_a_warning(folder: Path, catalogue: Catalogue) -> None:
    path = _edit(
        folder,
        "    ETH.08:",
        "    ETHT.01:\n      statut: conforme\n    ETH.08:",
    )
    loaded = load_questionnaire(path, catalogue)
    assert [str(w) for w in loaded.warnings] == [
        f"{path}:21: avertissement : teleconsultation › Exigence ETHT.01: exigence hors périmètre pour ce profil : réponse ignorée"
    ]
    assert all(w.warning for w in loaded.warnings)


def test_symlink_leading_out_is_refused(folder: Path, catalogue: Catalogue, tmp_path: Path) -> None:
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"x")
    (folder / "preuves" / "lien.png").symlink_to(outside)
    path = _edit(folder, "fichier: preuves/capture-lieu.png", "fichier: preuves/lien.png")
    assert _messages(path, catalogue) == [
        "24: teleconsultation › Exigence ETH.08 › preuves › 1 › fichier: lien refusé : « preuves/lien.png » mène hors du dossier du questionnaire"
    ]


def test_device_or_fifo_is_refused(folder: Path, catalogue: Catalogue) -> None:
    os.mkfifo(folder / "preuves" / "tube")
    path = _edit(folder, "fichier: preuves/capture-lieu.png", "fichier: preuves/tube")
    assert _messages(path, catalogue) == [
        "24: teleconsultation › Exigence ETH.08 › preuves › 1 › fichier: « preuves/tube » n'est pas un fichier ordinaire"
    ]


def test_missing_justification_is_not_ready_not_invalid(folder: Path, catalogue: Catalogue) -> None:
    path = _edit(
        folder, "      justification: La solution n'enregistre jamais les téléconsultations.\n", ""
    )
    loaded = load_questionnaire(path, catalogue)
    assert [(g.where, g.message) for g in loaded.gaps] == [
        (
            "16",
            "teleconsultation › Exigence ETH.09.1 › justification: justification obligatoire pour le statut non_applicable",
        )
    ]


def test_an_evidence_file_not_yet_there_is_not_ready_and_counts_as_not_given(
    folder: Path, catalogue: Catalogue
) -> None:
    path = _edit(folder, "fichier: preuves/capture-lieu.png", "fichier: preuves/absente.png")
    loaded = load_questionnaire(path, catalogue)
    assert [(g.where, g.message) for g in loaded.gaps] == [
        (
            "24",
            "teleconsultation › Exigence ETH.08 › preuves › 1 › fichier: fichier de preuve introuvable : « preuves/absente.png »",
        )
    ]
    assert loaded.questionnaire.reponse("teleconsultation", "ETH.08").preuves == []
    written = loaded.as_written.reponse("teleconsultation", "ETH.08")
    assert [p.fichier for p in written.preuves] == ["preuves/absente.png"]


def test_loading_never_modifies_inputs(folder: Path, catalogue: Catalogue) -> None:
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    load_questionnaire(folder / "questionnaire.yaml", catalogue)
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
