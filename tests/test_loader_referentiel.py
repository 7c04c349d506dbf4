"""Located errors of the référentiel loader, and hostile YAML refused cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest

from cens_eval.errors import LoadError
from cens_eval.loader.referentiels import load_profil_vocabulary, load_referentiel
from cens_eval.model.profil import VocabulaireProfil

from .conftest import REFERENTIELS

DATA = Path(__file__).parent / "data"
BROKEN = sorted((DATA / "referentiels_casses").glob("*.yaml"))


@pytest.fixture(scope="module")
def vocabulaire() -> VocabulaireProfil:
    return load_profil_vocabulary(REFERENTIELS / "profil.yaml")


def test_valid_reference_file_loads(vocabulaire: VocabulaireProfil) -> None:
    ref = load_referentiel(DATA / "referentiel_valide.yaml", vocabulaire)
    assert [e.id for e in ref.exigences] == ["ETH.09.1", "ETH.08"]


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_referentiel_gives_its_located_messages(
    path: Path, vocabulaire: VocabulaireProfil
) -> None:
    expected = [
        line.removeprefix("# attendu: ")
        for line in path.read_text("utf-8").splitlines()
        if line.startswith("# attendu: ")
    ]
    assert expected, "each broken file states what it expects"
    with pytest.raises(LoadError) as info:
        load_referentiel(path, vocabulaire)
    got = [f"{p.where}: {p.message}" for p in info.value.problems]
    assert got == expected
    assert all(p.file == str(path) for p in info.value.problems)


def _write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "ref.yaml"
    if isinstance(text, str):
        path.write_text(text, "utf-8")
    else:
        path.write_bytes(text)
    return path


BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("alias bomb", BILLION_LAUGHS, "document trop volumineux une fois les alias développés"),
        (
            "deep flow nesting",
            "a: " + "[" * 5000 + "]" * 5000,
            "imbrication trop profonde (plus de 64 niveaux)",
        ),
        (
            "deep block nesting",
            "".join("  " * i + f"k{i}:\n" for i in range(200)),
            "imbrication trop profonde",
        ),
        (
            "non UTF-8",
            "titre: caf\xe9\n".encode("latin-1"),
            "encodage invalide : le fichier doit être en UTF-8",
        ),
        ("NUL byte", b"id: a\x00b\n", "octet NUL : ce fichier n'est pas un texte"),
        (
            "python tag",
            "id: !!python/object/apply:os.system [echo]\n",
            "étiquette YAML non autorisée",
        ),
        ("recursive alias", "a: &a [*a]\n", "structure récursive"),
        ("not a mapping", "- a\n- b\n", "le document doit être un objet (clé: valeur)"),
    ],
)
def test_hostile_yaml_is_refused_with_a_french_message(
    tmp_path: Path, vocabulaire: VocabulaireProfil, name: str, content: str | bytes, message: str
) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(LoadError) as info:
        load_referentiel(path, vocabulaire)
    assert any(message in p.message for p in info.value.problems), info.value.problems


def test_oversized_file_is_refused_before_parsing(
    tmp_path: Path, vocabulaire: VocabulaireProfil
) -> None:
    path = tmp_path / "big.yaml"
    with path.open("w") as handle:
        handle.write("x: '")
        handle.write("a" * (6 * 1024 * 1024))
        handle.write("'\n")
    with pytest.raises(LoadError) as info:
        load_referentiel(path, vocabulaire)
    assert "fichier trop volumineux" in info.value.problems[0].message


def test_bom_is_accepted(tmp_path: Path, vocabulaire: VocabulaireProfil) -> None:
    text = (DATA / "referentiel_valide.yaml").read_text("utf-8")
    path = _write(tmp_path, "\ufeff".encode() + text.encode())
    assert load_referentiel(path, vocabulaire).id == "essai"
