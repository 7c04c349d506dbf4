"""Hostile inputs through the real command line, each in a bounded subprocess.

One row per (reader, case). Every reader of untrusted files is driven by the command that uses
it, in a child process limited to 2 GiB of address space and 60 s (less for the cases that must
be refused quickly). Each row checks the exit code (2 invalid input, 1 failed verification of a
dossier), a French message on stderr located at its file (``file:line:``, ``file:Sheet!C12:`` or
``file: …`` for a whole-file problem), no traceback and no internal error, and that nothing was
left behind: no output, no hidden temporary file beside it.

The selected rows are prepared and run by one module fixture, in parallel (one child per core,
each started from the main thread so that ``preexec_fn`` is safe; a row is prepared while the
others run); each test then checks its row's outcome. Big inputs are generated at run time and
deleted once their row has run. Rows listed in ``BUGS`` document bugs found in ``src``
(xfail, strict): each reason says what happens today.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import openpyxl
import pytest
import yaml

import cens_eval
from cens_eval.constants import MAX_DOSSIER_JSON_BYTES
from cens_eval.loader.locate import packaged_referentiels_dir

# Slow (every case runs the command in a bounded subprocess): run by the README's test command and CI,
# left out by the fast loop (pytest -m "not slow").
pytestmark = pytest.mark.slow

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
REFERENTIELS = packaged_referentiels_dir()
DATA = TESTS / "data"
BASE = DATA / "questionnaires" / "base"
VALID_REFERENTIEL = DATA / "referentiel_valide.yaml"
AS_OF = "2026-11-22"

MEMORY_LIMIT = 2 * 1024**3
TIMEOUT = 60.0
QUICK = 8.0
"""Cases that must be refused quickly (a document too big once parsed) get this budget."""

MB = 1024 * 1024
SECRET = "SECRET-CENS-HOSTILE"

# ---- readers ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reader:
    """One reader of untrusted files and the command that drives it."""

    name: str
    filename: str
    """Name of the input inside a case folder (for ``dossier``: the file mutated in the copy)."""
    syntax: str
    """``yaml``, ``json`` or ``xlsx``: how its base input is written and mutated."""


REFERENTIEL = Reader("referentiel", "ref.yaml", "yaml")
VOCABULAIRE = Reader("vocabulaire", "profil.yaml", "yaml")
PROFIL = Reader("profil", "reponses-profil.yaml", "yaml")
Q_YAML = Reader("questionnaire-yaml", "questionnaire.yaml", "yaml")
Q_JSON = Reader("questionnaire-json", "questionnaire.json", "json")
Q_XLSX = Reader("questionnaire-xlsx", "questionnaire.xlsx", "xlsx")
R_YAML = Reader("revue-yaml", "revue.yaml", "yaml")
R_XLSX = Reader("revue-xlsx", "revue.xlsx", "xlsx")
DOSSIER = Reader("dossier", "dossier.json", "json")
BATCH = Reader("batch", "dossier.json", "json")
"""``batch`` over a folder holding a valid dossier and a hostile one (``lot/b``)."""

SIGNALEMENTS = Reader("signalements", "registre.yaml", "yaml")
"""``signalements check`` of an éthicovigilance register."""
CALENDRIER = Reader("calendrier", "calendrier.yaml", "yaml")
"""``evaluate --calendrier`` of the base questionnaire with a phase-in calendar."""
CATALOGUE_OSCAL = Reader("catalogue-oscal", "catalog.json", "json")
"""``referentiels import`` of an OSCAL catalog (the valid référentiel exported)."""
ARBITRAGE = Reader("arbitrage", "arbitrage.yaml", "yaml")
"""``review arbitrate`` of two independent reviews of the dossier, with an arbitration file."""

TEXT_READERS = (
    REFERENTIEL,
    VOCABULAIRE,
    PROFIL,
    Q_YAML,
    Q_JSON,
    R_YAML,
    DOSSIER,
    SIGNALEMENTS,
    CALENDRIER,
    CATALOGUE_OSCAL,
    ARBITRAGE,
)
YAML_READERS = tuple(r for r in TEXT_READERS if r.syntax == "yaml")
XLSX_READERS = (Q_XLSX, R_XLSX)
TAG_READERS = (REFERENTIEL, PROFIL, Q_YAML, R_YAML)
"""Readers for the extra YAML rows: the parsing layer is shared, these cover each model kind."""
FILE_READERS = (*TEXT_READERS, *XLSX_READERS)
ALL_READERS = (*FILE_READERS, BATCH)
QUESTIONNAIRES = (Q_YAML, Q_JSON, Q_XLSX)


@dataclass
class World:
    """Valid inputs every case starts from, built once per module."""

    root: Path
    dossier: Path
    texts: dict[str, str] = field(default_factory=dict)
    workbooks: dict[str, bytes] = field(default_factory=dict)
    secret: Path = Path()
    dossier_digest: str = ""

    def input_path(self, reader: Reader, case_dir: Path) -> Path:
        if reader is DOSSIER:
            return case_dir / "dossier" / reader.filename
        return case_dir / reader.filename


def command(reader: Reader, world: World, target: Path, out_dir: Path) -> list[str]:
    """The arguments that make ``reader`` read ``target``; outputs go under ``out_dir``."""
    if reader in (REFERENTIEL, VOCABULAIRE):
        return ["referentiels", "validate", str(target)]
    if reader is PROFIL:
        return ["questionnaire", "init", "--profil", str(target), "-o", str(out_dir / "q.yaml")]
    if reader in QUESTIONNAIRES:
        return [
            "evaluate",
            str(target),
            "--as-of",
            AS_OF,
            "-o",
            str(out_dir / "dossier"),
            "--formats",
            "json",
        ]
    if reader in (R_YAML, R_XLSX):
        dossier = target.parent / "dossier" if (target.parent / "dossier").is_dir() else None
        return [
            "review",
            "apply",
            str(dossier or world.dossier),
            str(target),
            "-o",
            str(out_dir / "revu"),
            "--formats",
            "json",
        ]
    if reader is ARBITRAGE:
        reviews = [str(world.root / name) for name in INDEPENDENT_REVIEWS]
        arbitrated = ["--arbitrage", str(target), "-o", str(out_dir / "arbitre")]
        return [
            "review",
            "arbitrate",
            str(world.dossier),
            *reviews,
            *arbitrated,
            "--formats",
            "json",
        ]
    if reader is BATCH:
        return ["batch", str(target), "-o", str(out_dir / "synthese.xlsx"), "--jobs", "1"]
    if reader is SIGNALEMENTS:
        return ["signalements", "check", str(target)]
    if reader is CATALOGUE_OSCAL:
        return ["referentiels", "import", str(target), "-o", str(out_dir / "r.yaml")]
    if reader is CALENDRIER:
        base = world.root / "source" / "questionnaire.yaml"
        return [
            "evaluate",
            str(base),
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--calendrier",
            str(target),
        ]
    assert reader is DOSSIER
    return ["dossier", "verify", str(target)]


# ---- cases --------------------------------------------------------------------------------------

Build = Callable[[Reader, World, Path], Path]
"""Write a case's input into its folder; returns the path given on the command line."""


@dataclass(frozen=True)
class Case:
    reader: Reader
    name: str
    build: Build
    message: str
    """Regular expression the French message on stderr must contain (when the input is refused)."""
    where: str = "line"
    """How the message is located: ``line``, ``cell``, ``file`` (``file: message``, a problem of
    the whole file), ``place`` (a line, or the whole file for a document-wide limit such as
    nesting or size) or ``any``."""
    codes: frozenset[int] = frozenset({2})
    culprit: Callable[[Path], Path] | None = None
    """The file the message names, from the case folder (default: the reader's input)."""
    accepted: bool = False
    """May be accepted (exit 0 or 1, output written) instead of refused."""
    output_expected: bool = False
    """The command writes its output even when it reports the problem (``batch``)."""
    explained: frozenset[int] | None = None
    """Exit codes that need the located message (default: 2, and 1 unless ``accepted``)."""
    timeout: float = TIMEOUT
    slow: bool = False
    xfail: str | None = None

    @property
    def id(self) -> str:
        return f"{self.reader.name}-{self.name}"

    def needs_message(self, code: int | None) -> bool:
        if self.explained is not None:
            return code in self.explained
        return code == 2 or not self.accepted


def _dossier_copy(world: World, case_dir: Path) -> Path:
    target = case_dir / "dossier"
    shutil.copytree(world.dossier, target, symlinks=True)
    return target


def _prepare(reader: Reader, world: World, case_dir: Path) -> None:
    """The files a reader's input needs beside it (evidence, a dossier copy)."""
    if reader in QUESTIONNAIRES:
        shutil.copytree(BASE / "preuves", case_dir / "preuves")
    if reader is DOSSIER:
        _dossier_copy(world, case_dir)


def _cli_target(reader: Reader, world: World, case_dir: Path) -> Path:
    return case_dir / "dossier" if reader is DOSSIER else world.input_path(reader, case_dir)


def text_case(
    readers: tuple[Reader, ...],
    name: str,
    mutate: Callable[[Reader, str], bytes],
    message: str,
    **options,
) -> list[Case]:
    """The same mutation of each reader's valid text input."""

    def build(reader: Reader, world: World, case_dir: Path) -> Path:
        world.input_path(reader, case_dir).write_bytes(mutate(reader, world.texts[reader.name]))
        return _cli_target(reader, world, case_dir)

    return [
        Case(r, name, build, message, culprit=_dossier_json if r is DOSSIER else None, **options)
        for r in readers
    ]


def _top_mapping_insert(reader: Reader, text: str, entry_yaml: str, entry_json: str) -> str:
    """Add a top-level entry to a valid document, keeping it well-formed."""
    if reader.syntax == "json":
        start = text.index("{")
        return text[: start + 1] + entry_json + ", " + text[start + 1 :]
    return text.rstrip("\n") + "\n" + entry_yaml + "\n"


BILLION_LAUGHS = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9)
)


def _alias_bomb(reader: Reader, text: str) -> bytes:
    return (text.rstrip("\n") + "\n" + BILLION_LAUGHS).encode()


def _flow_nesting(reader: Reader, text: str) -> bytes:
    deep = "[" * 5000 + "]" * 5000
    return _top_mapping_insert(reader, text, f"profond: {deep}", f'"profond": {deep}').encode()


def _block_nesting(reader: Reader, text: str) -> bytes:
    mapping = "".join("  " * i + f"k{i}:\n" for i in range(1500))
    return (text.rstrip("\n") + "\n" + mapping).encode()


def _block_sequence_nesting(reader: Reader, text: str) -> bytes:
    return (text.rstrip("\n") + "\nprofond:\n  " + "- " * 5000 + "x\n").encode()


def _big(size: int) -> Callable[[Reader, str], bytes]:
    def mutate(reader: Reader, text: str) -> bytes:
        data, filler = text.encode(), b"x" * size
        if reader.syntax == "json":
            start = data.index(b"{") + 1
            return b"".join([data[:start], b'"bourrage": "', filler, b'", ', data[start:]])
        return b"".join([data.rstrip(b"\n"), b"\n# ", filler, b"\n"])

    return mutate


def _wide(reader: Reader, text: str) -> bytes:
    """A few MB of tiny nodes: under the size limit, millions of nodes once parsed."""
    count = 2_400_000
    if reader.syntax == "json":
        return _top_mapping_insert(reader, text, "", '"large": [' + "0," * count + "0]").encode()
    return (text.rstrip("\n") + "\nlarge:\n" + "- 0\n" * (count // 2)).encode()


def _non_utf8(reader: Reader, text: str) -> bytes:
    return _top_mapping_insert(reader, text, "note: café", '"note": "café"').encode(
        "latin-1", "replace"
    )


def _bom(reader: Reader, text: str) -> bytes:
    return b"\xef\xbb\xbf" + text.encode()


def _nul(reader: Reader, text: str) -> bytes:
    data = text.encode()
    middle = data.index(b"\n", len(data) // 2)
    return data[:middle] + b"\x00" + data[middle:]


def _duplicate_key(reader: Reader, text: str) -> bytes:
    if reader.syntax == "json":
        first = next(iter(json.loads(text)))
        return _top_mapping_insert(reader, text, "", f'"{first}": null').encode()
    first = next(iter(yaml.safe_load(text)))
    return _top_mapping_insert(reader, text, f"{first}: null", "").encode()


def _python_tag(reader: Reader, text: str) -> bytes:
    return _top_mapping_insert(
        reader, text, f"pwned: !!python/object/apply:os.system ['echo {SECRET}']", ""
    ).encode()


def _empty(reader: Reader, text: str) -> bytes:
    return b""


LONG_FIELD = {
    "referentiel": ("titre",),
    "vocabulaire": ("questions", 0, "libelle"),
    "profil": ("audience",),
    "questionnaire-yaml": ("reponses", "teleconsultation", "ETH.08", "justification"),
    "questionnaire-json": ("reponses", "teleconsultation", "ETH.08", "justification"),
    "revue-yaml": ("avis", "teleconsultation", "ETH.08", "commentaire"),
    "dossier": ("solution", "nom"),
    "signalements": ("signalements", 0, "faits"),
    "calendrier": ("titre",),
    "catalogue-oscal": ("catalog", "metadata", "title"),
    "arbitrage": ("decisions", "teleconsultation", "ETH.08", "motif"),
}


def _long_scalar(reader: Reader, text: str) -> bytes:
    data = json.loads(text) if reader.syntax == "json" else yaml.safe_load(text)
    node = data
    *path, last = LONG_FIELD[reader.name]
    for part in path:
        node = node[part]
    node[last] = placeholder = "@@valeur-longue@@"
    if reader.syntax == "json":
        text = json.dumps(data, ensure_ascii=False, indent=2)
    else:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)
    # 1 MB of UTF-8, as a double-quoted string (valid JSON and YAML); faster than dumping it.
    return text.replace(placeholder, json.dumps("é" * (MB // 2), ensure_ascii=False), 1).encode()


def _huge_integer(reader: Reader, text: str) -> bytes:
    """A 5000-digit integer where a version (text) is expected."""
    digits = "9" * 5000
    if reader is REFERENTIEL:
        assert 'version: "1"' in text
        return text.replace('version: "1"', f"version: {digits}", 1).encode()
    assert '"version": "2.1"' in text
    return text.replace('"version": "2.1"', f'"version": {digits}', 1).encode()


def _inner_duplicate_then_truncated(reader: Reader, text: str) -> bytes:
    """A key written twice in an inner object, and the document cut before its end."""
    old = '"nom": "cens-eval"' if reader is DOSSIER else '"nom": "Essai Santé SAS"'
    assert old in text, old
    return text.replace(old, f"{old}, {old}", 1).rstrip().removesuffix("}").encode()


def _nan_constant(reader: Reader, text: str) -> bytes:
    """``NaN``: what Python's json writes for a float NaN; not JSON, and refused."""
    return _top_mapping_insert(reader, text, "", '"note": NaN').encode()


def _with_bad_statut(text: str) -> dict:
    data = json.loads(text)
    data["reponses"]["teleconsultation"]["ETH.08"]["statut"] = "conformes"
    return data


def _json_ascii_escapes(reader: Reader, text: str) -> bytes:
    """What ``json.dumps`` writes by default for a name with an emoji, and one error to locate."""
    data = _with_bad_statut(text)
    data["solution"]["nom"] = "TéléEssai \U0001f600"
    return json.dumps(data, indent=2).encode()


def _json_long_key(reader: Reader, text: str) -> bytes:
    data = json.loads(text)
    data["solution"]["k" * 1100] = "clé trop longue pour un nom de champ"
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


TAGGED_FIELD = {
    "referentiel": ("titre: Référentiel d'essai", "titre: {}"),
    "vocabulaire": ('version: "1"', "version: {}"),
    "profil": ("audience: patients", "audience: {}"),
    "questionnaire-yaml": ("solution: {nom: TeleEssai,", "solution: {{nom: {},"),
    "revue-yaml": ("nom: Claire Martin", "nom: {}"),
}


def _tagged(value: str) -> Callable[[Reader, str], bytes]:
    """A text field of the valid input given an explicitly tagged value."""

    def mutate(reader: Reader, text: str) -> bytes:
        old, new = TAGGED_FIELD[reader.name]
        assert old in text, (reader.name, old)
        return text.replace(old, new.format(value), 1).encode()

    return mutate


def _control_character(reader: Reader, text: str) -> bytes:
    return _top_mapping_insert(reader, text, "note: texte\x0bcollé", "").encode()


def _non_text_key(reader: Reader, text: str) -> bytes:
    return _top_mapping_insert(reader, text, "2024: millésime", "").encode()


def _genere_le_not_a_date(reader: Reader, text: str) -> bytes:
    old = '"genere_le": "2026-11-22T00:00:00Z"'
    assert old in text
    return text.replace(old, '"genere_le": "hier soir"', 1).encode()


def _missing(reader: Reader, world: World, case_dir: Path) -> Path:
    if reader is DOSSIER:
        return case_dir / "absent"
    return case_dir / reader.filename


def _replaced_input(make: Callable[[Path], None]) -> Build:
    """The reader's input replaced by something that is not a regular file."""

    def build(reader: Reader, world: World, case_dir: Path) -> Path:
        path = world.input_path(reader, case_dir)
        path.unlink(missing_ok=True)
        make(path)
        return _cli_target(reader, world, case_dir)

    return build


_directory = _replaced_input(Path.mkdir)
_fifo_input = _replaced_input(os.mkfifo)
_devzero_input = _replaced_input(lambda path: path.symlink_to("/dev/zero"))


def _dossier_json(case_dir: Path) -> Path:
    return case_dir / "dossier" / "dossier.json"


BOM_CODES = {
    "referentiel": 0,
    "vocabulaire": 0,
    "profil": 0,
    "questionnaire-yaml": 1,  # the base questionnaire is non conforme
    "questionnaire-json": 1,
    "revue-yaml": 0,
    "dossier": 1,
    "signalements": 0,
    "calendrier": 1,  # the base questionnaire is non conforme
    "catalogue-oscal": 0,
    "arbitrage": 0,
}

DOSSIER_REFUSED_ONE_OF = frozenset({1, 2})
"""A dossier.json rewritten by hand is refused as unreadable (2) or as modified (1)."""

TEXT_CASES: list[Case] = [
    *text_case(
        YAML_READERS,
        "alias-bomb",
        _alias_bomb,
        "document trop volumineux",
        where="place",
    ),
    *text_case(
        TEXT_READERS,
        "flow-nesting",
        _flow_nesting,
        r"imbrication trop profonde \(plus de 64",
        where="place",
    ),
    *text_case(
        YAML_READERS, "block-nesting", _block_nesting, "imbrication trop profonde", where="place"
    ),
    *text_case(
        (Q_YAML,),
        "block-sequence-nesting",
        _block_sequence_nesting,
        "imbrication trop profonde",
        where="place",
    ),
    *text_case(
        tuple(r for r in TEXT_READERS if r is not DOSSIER),
        "50-mb",
        _big(50 * MB),
        r"fichier trop volumineux \(plus de \d+ Mo\)",
        where="file",
        slow=True,
    ),
    *text_case(
        (DOSSIER,),
        "51-mb",
        _big(51 * MB),
        r"fichier trop volumineux \(plus de \d+ Mo\)",
        where="file",
        slow=True,
    ),
    *text_case(
        (REFERENTIEL, DOSSIER),
        "millions-of-nodes",
        _wide,
        "trop volumineux",
        where="place",
        timeout=QUICK,
        slow=True,
    ),
    *text_case(
        TEXT_READERS,
        "non-utf8",
        _non_utf8,
        "encodage invalide : le fichier doit être en UTF-8",
    ),
    *[
        # A BOM is accepted: the same outcome as without it (a dossier.json is then no longer
        # the bytes cens-eval wrote: modified, 1).
        replace(case, codes=frozenset({BOM_CODES[case.reader.name]}))
        for case in text_case(TEXT_READERS, "bom", _bom, ".", accepted=True)
    ],
    *text_case(TEXT_READERS, "nul-byte", _nul, "octet NUL : ce fichier n'est pas un texte"),
    *text_case(TEXT_READERS, "duplicate-key", _duplicate_key, "clé « [^»]+ » en double"),
    *text_case(YAML_READERS, "python-tag", _python_tag, "étiquette YAML non autorisée"),
    *text_case(TEXT_READERS, "empty", _empty, "le document doit être un objet|JSON invalide"),
    *text_case(
        TEXT_READERS,
        "1-mb-scalar",
        _long_scalar,
        ".",
        accepted=True,
        codes=frozenset({0, 1, 2}),
    ),
    *text_case(
        (REFERENTIEL, Q_JSON),
        "huge-integer",
        _huge_integer,
        "nombre|texte attendu|entier|trop long",
    ),
    *text_case(
        (Q_JSON,),
        "emoji-as-surrogate-escapes",
        _json_ascii_escapes,
        r"statut: attendu l'un de",
    ),
    *text_case(
        TAG_READERS,
        "control-character",
        _control_character,
        "caractère|syntaxe YAML invalide",
    ),
    *text_case(
        TAG_READERS,
        "non-text-key",
        _non_text_key,
        "clé|inconnue",
    ),
    *text_case(
        TAG_READERS,
        "binary-tag",
        _tagged("!!binary //79"),
        "étiquette YAML non autorisée|texte attendu|impossible pour",
    ),
    *text_case(
        TAG_READERS,
        "bool-tag-bad-value",
        _tagged("!!bool peut-être"),
        "étiquette YAML non autorisée|booléen|valeur",
    ),
    *text_case(
        TAG_READERS,
        "int-tag-bad-value",
        _tagged("!!int 0x_"),
        "étiquette YAML non autorisée|nombre|valeur",
    ),
    *text_case(
        (DOSSIER,),
        "date-not-a-datetime",
        _genere_le_not_a_date,
        "genere_le: .*(date|heure)",
    ),
    *text_case(
        (Q_JSON, DOSSIER),
        "duplicate-key-then-syntax-error",
        _inner_duplicate_then_truncated,
        "en double|JSON invalide",
    ),
    *text_case(
        (Q_JSON, DOSSIER),
        "nan-constant",
        _nan_constant,
        "NaN",
        codes=frozenset({2}),
    ),
    *text_case(
        (Q_JSON,),
        "key-longer-than-1024",
        _json_long_key,
        "clé inconnue",
    ),
]

GENERIC_CASES: list[Case] = [
    *[Case(r, "missing-path", _missing, "introuvable", where="file") for r in FILE_READERS],
    *[
        Case(
            r,
            "directory-for-file",
            _directory,
            "n'est pas un fichier ordinaire",
            where="file",
            culprit=_dossier_json if r is DOSSIER else None,
        )
        for r in FILE_READERS
    ],
    *[
        Case(
            r,
            "fifo-input",
            _fifo_input,
            "n'est pas un fichier ordinaire",
            where="file",
            culprit=_dossier_json if r is DOSSIER else None,
        )
        for r in (Q_YAML, DOSSIER)
    ],
    *[
        Case(
            r,
            "dev-zero-input",
            _devzero_input,
            "n'est pas un fichier ordinaire",
            where="file",
            culprit=_dossier_json if r is DOSSIER else None,
        )
        for r in (PROFIL, R_XLSX)
    ],
]

# ---- evidence named by a questionnaire ------------------------------------------------------------


def _evidence(path_text: str, setup: Callable[[Path, World], None] | None = None) -> Build:
    """The questionnaire's ETH.08 evidence replaced by ``path_text`` (after ``setup``)."""

    def build(reader: Reader, world: World, case_dir: Path) -> Path:
        if setup is not None:
            setup(case_dir, world)
        target = world.input_path(reader, case_dir)
        if reader is Q_XLSX:
            target.write_bytes(
                _edit_workbook(
                    world.workbooks[reader.name],
                    lambda wb: _set(
                        wb["teleconsultation"], "I2", f"capture-choix-lieu : {path_text}"
                    ),
                )
            )
            return target
        text = world.texts[reader.name]
        old = '"preuves/capture-lieu.png"' if reader is Q_JSON else "preuves/capture-lieu.png"
        assert old in text
        # A JSON string is also a double-quoted YAML scalar, escapes included.
        target.write_text(text.replace(old, json.dumps(path_text), 1), "utf-8")
        return target

    return build


def _link_out(case_dir: Path, world: World) -> None:
    (case_dir / "preuves" / "lien.png").symlink_to(world.secret)


def _link_dev_zero(case_dir: Path, world: World) -> None:
    (case_dir / "preuves" / "zero.png").symlink_to("/dev/zero")


def _fifo(case_dir: Path, world: World) -> None:
    os.mkfifo(case_dir / "preuves" / "tube.png")


def _loop(case_dir: Path, world: World) -> None:
    (case_dir / "preuves" / "boucle.png").symlink_to("boucle.png")


def _directory_evidence(case_dir: Path, world: World) -> None:
    (case_dir / "preuves" / "dossier.png").mkdir()


EVIDENCE_ROWS: list[tuple[str, str, Callable[[Path, World], None] | None, str]] = [
    ("dotdot", "../secret.png", None, "sort du dossier du questionnaire"),
    ("dotdot-backslash", "preuves\\..\\..\\secret.png", None, "sort du dossier"),
    ("absolute", "/etc/passwd", None, "chemin absolu refusé"),
    ("windows-drive", "C:\\Windows\\win.ini", None, "chemin absolu refusé"),
    ("symlink-out", "preuves/lien.png", _link_out, "lien refusé : .* mène hors du dossier"),
    ("symlink-dev-zero", "preuves/zero.png", _link_dev_zero, "lien refusé|n'est pas un fichier"),
    ("fifo", "preuves/tube.png", _fifo, "n'est pas un fichier ordinaire"),
    ("directory", "preuves/dossier.png", _directory_evidence, "n'est pas un fichier ordinaire"),
    ("symlink-loop", "preuves/boucle.png", _loop, "introuvable|lien refusé|n'est pas un fichier"),
    ("nul-in-path", "preuves/capture\x00lieu.png", None, "introuvable|refusé"),
]

EVIDENCE_CASES: list[Case] = [
    Case(
        reader,
        f"evidence-{name}",
        _evidence(path_text, setup),
        message,
        where="cell" if reader is Q_XLSX else "line",
    )
    for name, path_text, setup, message in EVIDENCE_ROWS
    for reader in (
        (Q_YAML, Q_JSON, Q_XLSX)
        if name in ("dotdot", "symlink-dev-zero", "nul-in-path")
        else (Q_YAML,)
    )
    if not (reader is Q_XLSX and name == "nul-in-path")  # a cell cannot hold NUL
]

# ---- workbooks --------------------------------------------------------------------------------------


def _set(ws, ref: str, value: object) -> None:
    ws[ref] = value


def _edit_workbook(data: bytes, edit: Callable[[openpyxl.Workbook], None]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    edit(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _rezip(
    data: bytes,
    parts: Callable[[str, bytes], bytes | None] = lambda name, part: part,
    extra: dict[str, bytes] | None = None,
    *,
    stored: bool = False,
) -> bytes:
    """Rewrite every part of an archive through ``parts`` (None drops it), then add ``extra``."""
    buffer = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w", method) as dst:
        for item in src.infolist():
            part = parts(item.filename, src.read(item))
            if part is not None:
                dst.writestr(item.filename, part)
        for name, part in (extra or {}).items():
            dst.writestr(name, part)
    return buffer.getvalue()


def _is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/sheet") and name.endswith(".xml")


def _with_doctype(doctype: str, part: bytes) -> bytes:
    text = part.decode()
    if text.startswith("<?xml"):
        head, _, rest = text.partition("?>")
        return (head + "?>" + doctype + rest).encode()
    return (doctype + text).encode()


def xlsx_case(
    readers: tuple[Reader, ...],
    name: str,
    mutate: Callable[[Reader, World, bytes], bytes],
    message: str,
    *,
    suffix: str = ".xlsx",
    **options,
) -> list[Case]:
    def build(reader: Reader, world: World, case_dir: Path) -> Path:
        target = case_dir / (Path(reader.filename).stem + suffix)
        target.write_bytes(mutate(reader, world, world.workbooks[reader.name]))
        return target

    return [Case(r, name, build, message, **options) for r in readers]


def _xxe(where: Callable[[str], bool]) -> Callable[[Reader, World, bytes], bytes]:
    def mutate(reader: Reader, world: World, data: bytes) -> bytes:
        doctype = f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{world.secret}">]>'

        def part(name: str, content: bytes) -> bytes:
            if not where(name):
                return content
            content = _with_doctype(doctype, content)
            # Use the entity where a reader would show it: a sheet name or a cell text.
            return content.replace(b'name="Instructions"', b'name="&xxe;"').replace(
                b"<t>ETH.08</t>", b"<t>&xxe;</t>"
            )

        return _rezip(data, part)

    return mutate


def _entity_bomb(reader: Reader, world: World, data: bytes) -> bytes:
    entities = '<!ENTITY l0 "lollollollollol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    doctype = f"<!DOCTYPE x [{entities}]>"

    def part(name: str, content: bytes) -> bytes:
        if not _is_sheet(name):
            return content
        return _with_doctype(doctype, content).replace(b"<t>ETH.08</t>", b"<t>&l9;</t>")

    return _rezip(data, part)


def _zip_bomb(reader: Reader, world: World, data: bytes) -> bytes:
    buffer = io.BytesIO(_rezip(data))
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("xl/media/zeros.bin", "w", force_zip64=True) as handle,
    ):
        chunk = bytes(MB)
        for _ in range(200):
            handle.write(chunk)
    return buffer.getvalue()


def _truncated_sheet(reader: Reader, world: World, data: bytes) -> bytes:
    return _rezip(data, lambda name, part: part[: len(part) // 2] if _is_sheet(name) else part)


def _vba(reader: Reader, world: World, data: bytes) -> bytes:
    return _rezip(data, extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})


def _same(reader: Reader, world: World, data: bytes) -> bytes:
    return data


def _not_a_zip(reader: Reader, world: World, data: bytes) -> bytes:
    return b"PK\x03\x04 ceci n'est pas un classeur" + bytes(100)


def _big_workbook(reader: Reader, world: World, data: bytes) -> bytes:
    return _rezip(data, extra={"xl/media/bourrage.bin": bytes(50 * MB)}, stored=True)


# Cells per reader: the first exigence row of the teleconsultation sheet.
EDITABLE = {"questionnaire-xlsx": ("H2", "G2", "H3"), "revue-xlsx": ("I2", "H2", "I3")}
FIRST_SHEET = {"questionnaire-xlsx": "Identité", "revue-xlsx": "Évaluateur"}


def _wb_edit(edit: Callable[[Reader, openpyxl.Workbook], None]):
    def mutate(reader: Reader, world: World, data: bytes) -> bytes:
        return _edit_workbook(data, lambda wb: edit(reader, wb))

    return mutate


def _formula(reader: Reader, wb: openpyxl.Workbook) -> None:
    wb["teleconsultation"][EDITABLE[reader.name][0]] = '=HYPERLINK("http://exemple.invalid","x")'


MARKER = "MARQUEUR-CELLULE-LONGUE"


def _long_cell(reader: Reader, world: World, data: bytes) -> bytes:
    """A cell of 1 MB, written in the XML (openpyxl itself cuts cells at Excel's limit)."""

    def mark(wb: openpyxl.Workbook) -> None:
        wb["teleconsultation"][EDITABLE[reader.name][0]] = MARKER

    long_text = ("é" * (MB // 2)).encode()
    return _rezip(
        _edit_workbook(data, mark),
        lambda name, part: part.replace(MARKER.encode(), long_text) if _is_sheet(name) else part,
    )


def _merged(reader: Reader, wb: openpyxl.Workbook) -> None:
    _, status_cell, below = EDITABLE[reader.name]
    wb["teleconsultation"].merge_cells(f"{status_cell}:{below}")


def _hidden_row(reader: Reader, wb: openpyxl.Workbook) -> None:
    wb["teleconsultation"].row_dimensions[2].hidden = True


def _hidden_column(reader: Reader, wb: openpyxl.Workbook) -> None:
    column = EDITABLE[reader.name][1].rstrip("0123456789")
    wb["teleconsultation"].column_dimensions[column].hidden = True


def _hidden_sheet(reader: Reader, wb: openpyxl.Workbook) -> None:
    wb.active = 0
    wb["teleconsultation"].sheet_state = "hidden"


def _renamed(reader: Reader, wb: openpyxl.Workbook) -> None:
    wb["teleconsultation"].title = "Feuil1"


def _deleted(reader: Reader, wb: openpyxl.Workbook) -> None:
    del wb[FIRST_SHEET[reader.name]]


def _evaluateur_key_clash(reader: Reader, wb: openpyxl.Workbook) -> None:
    wb["Évaluateur"].append(["date.jour", "", "25"])


XLSX_CASES: list[Case] = [
    *xlsx_case(
        XLSX_READERS,
        "xxe-workbook-part",
        _xxe(lambda name: name == "xl/workbook.xml"),
        "classeur illisible",
        where="file",
    ),
    *xlsx_case(
        XLSX_READERS,
        "xxe-sheet-part",
        _xxe(_is_sheet),
        "classeur illisible",
        where="file",
    ),
    *xlsx_case(XLSX_READERS, "xml-entity-bomb", _entity_bomb, "classeur illisible", where="file"),
    *xlsx_case(
        XLSX_READERS,
        "zip-bomb-200-mb",
        _zip_bomb,
        "contenu décompressé trop volumineux",
        where="file",
        slow=True,
    ),
    *xlsx_case(
        XLSX_READERS,
        "truncated-sheet-xml",
        _truncated_sheet,
        "classeur illisible",
        where="file",
    ),
    *xlsx_case(XLSX_READERS, "formula-cell", _wb_edit(_formula), "formule refusée", where="cell"),
    *xlsx_case(
        XLSX_READERS,
        "xlsm",
        _same,
        "sans macros|extension inconnue",
        where="file",
        suffix=".xlsm",
    ),
    *xlsx_case(XLSX_READERS, "xlsx-with-vbaproject", _vba, "contient des macros", where="file"),
    *xlsx_case(
        XLSX_READERS,
        "renamed-sheet",
        _wb_edit(_renamed),
        "feuille « teleconsultation » absente du classeur",
        where="file",
    ),
    *xlsx_case(
        XLSX_READERS, "missing-sheet", _wb_edit(_deleted), "absente du classeur", where="file"
    ),
    *xlsx_case(
        XLSX_READERS,
        "merged-cells",
        _wb_edit(_merged),
        ".",
        where="cell",
        accepted=True,
        codes=frozenset({0, 1, 2}),
    ),
    *xlsx_case(XLSX_READERS, "hidden-row", _wb_edit(_hidden_row), "ligne 2 masquée", where="cell"),
    *xlsx_case(XLSX_READERS, "hidden-column", _wb_edit(_hidden_column), "masquée", where="cell"),
    *xlsx_case(
        XLSX_READERS, "hidden-sheet", _wb_edit(_hidden_sheet), "feuille .* masquée", where="cell"
    ),
    *xlsx_case(
        XLSX_READERS,
        "1-mb-cell",
        _long_cell,
        r"cellule trop longue \(plus de 32767 caractères\)",
        where="cell",
    ),
    *xlsx_case(
        XLSX_READERS,
        "not-a-zip",
        _not_a_zip,
        "n'est pas un classeur .xlsx valide",
        where="file",
    ),
    *xlsx_case(
        XLSX_READERS,
        "50-mb",
        _big_workbook,
        r"fichier trop volumineux \(plus de \d+ Mo\)",
        where="file",
        slow=True,
    ),
    *xlsx_case(
        (R_XLSX,),
        "evaluateur-key-clash",
        _wb_edit(_evaluateur_key_clash),
        "date.jour",
        where="cell",
    ),
]

# ---- dossiers that parse but do not match their files -----------------------------------------------


def _dossier_edit(
    edit: Callable[[Path], None],
) -> Build:
    def build(reader: Reader, world: World, case_dir: Path) -> Path:
        edit(case_dir / "dossier")
        return case_dir / "dossier"

    return build


def _forged(edit: Callable[[Path], None]) -> Callable[[Path], None]:
    """An edit by a forger who also rewrites the seal (``manifeste.json``) to match every file:
    what the re-evaluation and the readers must still catch."""

    def forge(dossier: Path) -> None:
        edit(dossier)
        seal = dossier / "manifeste.json"
        data = json.loads(seal.read_text("utf-8"))
        files = sorted(
            p.relative_to(dossier).as_posix()
            for p in dossier.rglob("*")
            if p.is_file() and not p.is_symlink() and p != seal
        )
        data["fichiers"] = [
            {"fichier": rel, "sha256": hashlib.sha256((dossier / rel).read_bytes()).hexdigest()}
            for rel in files
        ]
        seal.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")

    return forge


def _rewrite_json(dossier: Path, change: Callable[[dict], None]) -> None:
    path = dossier / "dossier.json"
    data = json.loads(path.read_text("utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")


def _replace_text(dossier: Path, old: str, new: str) -> None:
    path = dossier / "dossier.json"
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _manifest_absent(dossier: Path) -> None:
    def change(data: dict) -> None:
        data["manifeste"].append({"chemin": "preuves/absente.pdf", "taille": 3, "sha256": "0" * 64})

    _rewrite_json(dossier, change)


def _score_edited(dossier: Path) -> None:
    path = dossier / "dossier.json"
    text = path.read_text("utf-8")
    score = re.search(r'"score": "([0-9.]+)"', text)
    assert score, "a score to edit"
    edited = "93.3" if score.group(1) != "93.3" else "12.5"
    _replace_text(dossier, score.group(0), f'"score": "{edited}"')


def _verdict_flipped(dossier: Path) -> None:
    _replace_text(dossier, '"verdict": "non_conforme"', '"verdict": "conforme"')


def _manifest_escape(dossier: Path) -> None:
    _replace_text(dossier, '"chemin": "preuves/attestation.pdf"', '"chemin": "../../../etc/passwd"')


def _manifest_nul(dossier: Path) -> None:
    _replace_text(
        dossier, '"chemin": "preuves/attestation.pdf"', '"chemin": "preuves/a\\u0000.pdf"'
    )


EVIDENCE = Path("questionnaire") / "preuves" / "capture-lieu.png"


def _evidence_swapped(
    make: Callable[[Path], None], rel: str | Path = EVIDENCE
) -> Callable[[Path], None]:
    """The dossier's file ``rel`` replaced by what ``make`` creates."""

    def edit(dossier: Path) -> None:
        target = dossier / rel
        target.unlink()
        make(target)

    return edit


def _evidence_loop(target: Path) -> None:
    target.symlink_to(target.name)


def _recorded_copy_hostile(rel: str, content: bytes) -> Callable[[Path], None]:
    """Replace a recorded input by hostile bytes, and forge its hash in dossier.json."""

    def edit(dossier: Path) -> None:
        path = dossier / rel
        old = hashlib.sha256(path.read_bytes()).hexdigest()
        path.write_bytes(content)
        _replace_text(dossier, old, hashlib.sha256(content).hexdigest())

    return edit


def _extra_referentiel(dossier: Path) -> None:
    (dossier / "referentiels" / "zz-intrus.yaml").write_text(BILLION_LAUGHS, "utf-8")


def _in_dossier(rel: str | Path) -> Callable[[Path], Path]:
    return lambda case_dir: case_dir / "dossier" / rel


def _dossier_as_file(reader: Reader, world: World, case_dir: Path) -> Path:
    path = case_dir / "dossier-fichier"
    path.write_text("{}", "utf-8")
    return path


DOSSIER_CASES: list[Case] = [
    Case(
        DOSSIER,
        "manifest-lists-absent-file",
        _dossier_edit(_manifest_absent),
        "fichier absent",
        where="file",
        codes=frozenset({1}),
        culprit=_in_dossier("questionnaire/preuves/absente.pdf"),
    ),
    Case(
        DOSSIER,
        "score-edited",
        _dossier_edit(_forged(_score_edited)),
        "contenu différent de la réévaluation",
        where="file",
        codes=frozenset({1}),
        culprit=_dossier_json,
    ),
    Case(
        DOSSIER,
        "verdict-flipped",
        _dossier_edit(_forged(_verdict_flipped)),
        r"contenu différent de la réévaluation \(sections : resultats",
        where="file",
        codes=frozenset({1}),
        culprit=_dossier_json,
    ),
    Case(
        DOSSIER,
        "manifest-path-escapes",
        _dossier_edit(_manifest_escape),
        "sort du dossier",
        where="file",
        codes=frozenset({1}),
        culprit=_in_dossier("questionnaire/../../../etc/passwd"),
    ),
    Case(
        DOSSIER,
        "manifest-path-with-nul",
        _dossier_edit(_manifest_nul),
        "fichier absent|refusé",
        where="any",
        codes=DOSSIER_REFUSED_ONE_OF,
        culprit=lambda case_dir: case_dir / "dossier",
    ),
    Case(
        DOSSIER,
        "evidence-symlink-dev-zero",
        _dossier_edit(_evidence_swapped(lambda p: p.symlink_to("/dev/zero"))),
        "lien refusé|n'est pas un fichier",
        where="file",
        codes=frozenset({1}),
        culprit=_in_dossier(EVIDENCE),
    ),
    Case(
        DOSSIER,
        "evidence-fifo",
        _dossier_edit(_evidence_swapped(os.mkfifo)),
        "n'est pas un fichier ordinaire",
        where="file",
        codes=frozenset({1}),
        culprit=_in_dossier(EVIDENCE),
    ),
    Case(
        DOSSIER,
        "evidence-symlink-loop",
        _dossier_edit(_evidence_swapped(_evidence_loop)),
        "absent|lien refusé|n'est pas un fichier",
        where="file",
        codes=frozenset({1}),
        culprit=_in_dossier(EVIDENCE),
    ),
    Case(
        DOSSIER,
        "forged-questionnaire-alias-bomb",
        _dossier_edit(
            _forged(
                _recorded_copy_hostile("questionnaire/questionnaire.yaml", BILLION_LAUGHS.encode())
            )
        ),
        "trop volumineux une fois les alias développés|contenu différent",
        where="any",
        codes=DOSSIER_REFUSED_ONE_OF,
        culprit=_in_dossier("questionnaire/questionnaire.yaml"),
    ),
    Case(
        DOSSIER,
        "forged-referentiel-python-tag",
        _dossier_edit(
            _forged(
                _recorded_copy_hostile(
                    "referentiels/teleconsultation-1.5.1.yaml",
                    b"id: !!python/object/apply:os.system ['echo " + SECRET.encode() + b"']\n",
                )
            )
        ),
        "étiquette YAML non autorisée",
        where="line",
        codes=DOSSIER_REFUSED_ONE_OF,
        culprit=_in_dossier("referentiels/teleconsultation-1.5.1.yaml"),
    ),
    Case(
        DOSSIER,
        "unrecorded-referentiel-alias-bomb",
        _dossier_edit(_forged(_extra_referentiel)),
        "trop volumineux|non enregistré|inattendu",
        where="any",
        codes=DOSSIER_REFUSED_ONE_OF,
        culprit=_in_dossier("referentiels/zz-intrus.yaml"),
    ),
    Case(
        DOSSIER,
        "file-for-directory",
        _dossier_as_file,
        "dossier introuvable",
        where="file",
    ),
    Case(
        R_YAML,
        "tampered-dossier",
        lambda reader, world, case_dir: _tampered_review_target(world, case_dir),
        "fichier modifié",
        where="file",
        codes=frozenset({1}),
        culprit=_in_dossier(EVIDENCE),
    ),
]


def _tampered_review_target(world: World, case_dir: Path) -> Path:
    dossier = _dossier_copy(world, case_dir)
    evidence = dossier / EVIDENCE
    evidence.write_bytes(evidence.read_bytes() + b"!")
    target = case_dir / R_YAML.filename
    target.write_text(world.texts[R_YAML.name], "utf-8")
    return target


def _batch(edit: Callable[[Path], None]) -> Build:
    """A folder with the valid dossier ``a`` and the dossier ``b`` changed by ``edit``."""

    def build(reader: Reader, world: World, case_dir: Path) -> Path:
        lot = case_dir / "lot"
        shutil.copytree(world.dossier, lot / "a", symlinks=True)
        shutil.copytree(world.dossier, lot / "b", symlinks=True)
        edit(lot / "b")
        return lot

    return build


def _write_dossier_json(content: str) -> Callable[[Path], None]:
    return lambda dossier: (dossier / "dossier.json").write_text(content, "utf-8")


def _alone(edit: Callable[[Path], None]) -> Callable[[Path], None]:
    """``edit`` on a folder holding nothing but its ``dossier.json``: no sign of a dossier but it."""

    def alone(dossier: Path) -> None:
        for entry in dossier.iterdir():
            if entry.name == "dossier.json":
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        edit(dossier)

    return alone


def _oversized_dossier_json(dossier: Path) -> None:
    with (dossier / "dossier.json").open("wb") as handle:
        handle.write(b'{"questionnaire": "' + b"x" * MAX_DOSSIER_JSON_BYTES + b'"}')


def _in_lot(rel: str | Path) -> Callable[[Path], Path]:
    return lambda case_dir: case_dir / "lot" / "b" / rel


BATCH_ROWS: list[tuple[str, Callable[[Path], None], str]] = [
    ("verdict-flipped", _verdict_flipped, r"modifié : .*dossier\.json"),
    ("dossier-json-not-json", _write_dossier_json("{ pas du json"), "illisible"),
    ("dossier-json-fifo", _evidence_swapped(os.mkfifo, "dossier.json"), "illisible"),
    (
        "dossier-json-flow-nesting",
        _write_dossier_json("[" * 5000 + "]" * 5000),
        "illisible : .*imbrication trop profonde",
    ),
    ("evidence-symlink-loop", _evidence_swapped(_evidence_loop), "modifié|illisible"),
    # Nothing but an unreadable dossier.json: never skipped as foreign, always its own row.
    (
        "lone-dossier-json-fifo",
        _alone(_evidence_swapped(os.mkfifo, "dossier.json")),
        "illisible : .*n'est pas un fichier ordinaire",
    ),
    ("lone-dossier-json-too-large", _alone(_oversized_dossier_json), "illisible : .*volumineux"),
    (
        "lone-dossier-json-flow-nesting",
        _alone(_write_dossier_json("[" * 5000 + "]" * 5000)),
        "illisible : .*imbrication trop profonde",
    ),
    (
        "lone-dossier-json-latin-1",
        _alone(lambda d: (d / "dossier.json").write_bytes('{"nom": "Santé"}'.encode("latin-1"))),
        "illisible : .*encodage invalide",
    ),
    ("lone-dossier-json-not-json", _alone(_write_dossier_json("{ pas du json")), "illisible"),
]

BATCH_CASES: list[Case] = [
    Case(
        BATCH,
        name,
        _batch(edit),
        message,
        where="file",
        codes=frozenset({1}),  # an unreadable dossier.json is reported, never skipped
        explained=frozenset({1}),
        culprit=lambda case_dir: case_dir / "lot" / "b",
        output_expected=True,
        timeout=QUICK,  # two small dossiers
    )
    for name, edit, message in BATCH_ROWS
]


BUGS: dict[str, str] = {}
"""Rows that fail today because of a bug in ``src``: xfail(strict=True) with what happens."""

CASES: list[Case] = [
    replace(case, xfail=BUGS.get(case.id))
    for case in [
        *TEXT_CASES,
        *GENERIC_CASES,
        *EVIDENCE_CASES,
        *XLSX_CASES,
        *DOSSIER_CASES,
        *BATCH_CASES,
    ]
]
assert len({c.id for c in CASES}) == len(CASES), "case ids are unique"
assert set(BUGS) <= {c.id for c in CASES}, set(BUGS) - {c.id for c in CASES}

# ---- running ----------------------------------------------------------------------------------------


def _limit_memory() -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["CENS_EVAL_REFERENTIELS"] = str(REFERENTIELS)
    source = str(Path(cens_eval.__file__).resolve().parent.parent)  # the cens_eval under test
    env["PYTHONPATH"] = os.pathsep.join(p for p in (source, env.get("PYTHONPATH")) if p)
    env.pop("PYTHONSTARTUP", None)
    return env


def _cli() -> list[str]:
    if (Path(cens_eval.__file__).parent / "__main__.py").is_file():
        return [sys.executable, "-m", "cens_eval"]
    return [
        sys.executable,
        "-c",
        "import sys; from cens_eval.cli import main; sys.exit(main(sys.argv[1:]))",
    ]


@dataclass
class Outcome:
    args: list[str]
    code: int | None = None
    stdout: str = ""
    stderr: str = ""
    seconds: float = 0.0
    timed_out: bool = False
    before: set[str] = field(default_factory=set)
    after: set[str] = field(default_factory=set)
    case_dir: Path = Path()
    target: Path = Path()


@dataclass
class _Job:
    case: Case
    outcome: Outcome
    out_path: Path
    err_path: Path
    process: subprocess.Popen | None = None
    started: float = 0.0


def _listing(folder: Path) -> set[str]:
    found = set()
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            found.add(os.path.relpath(os.path.join(dirpath, name), folder))
    return found


def _workers() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 2
    return max(2, min(cores, 8))


def _run_all(cases: list[Case], make: Callable[[Case], _Job]) -> list[_Job]:
    """Prepare and run each case's child, ``_workers()`` at a time, each killed at its timeout.

    A case is prepared only when a slot is free, so preparing overlaps the running children.
    """
    env, cli = _environment(), _cli()
    pending = sorted(cases, key=lambda c: not c.slow)  # slow ones first, for overlap
    running: list[_Job] = []
    done: list[_Job] = []
    while pending or running:
        while pending and len(running) < _workers():
            job = make(pending.pop(0))
            with job.out_path.open("wb") as out, job.err_path.open("wb") as err:
                job.process = subprocess.Popen(
                    [*cli, *job.outcome.args],
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=err,
                    env=env,
                    cwd=job.outcome.case_dir,
                    preexec_fn=_limit_memory,
                )
            job.started = time.monotonic()
            running.append(job)
        time.sleep(0.02)
        for job in list(running):
            assert job.process is not None
            elapsed = time.monotonic() - job.started
            if job.process.poll() is None:
                if elapsed <= job.case.timeout:
                    continue
                job.process.kill()  # our own child, by its pid
                job.process.wait()
                job.outcome.timed_out = True
            job.outcome.code = job.process.returncode
            job.outcome.seconds = elapsed
            job.outcome.stdout = job.out_path.read_text("utf-8", "replace")
            job.outcome.stderr = job.err_path.read_text("utf-8", "replace")
            job.outcome.after = _listing(job.outcome.case_dir)
            _drop_big_files(job.outcome.case_dir)
            running.remove(job)
            done.append(job)
    return done


def _drop_big_files(folder: Path) -> None:
    """Generated inputs of several MB are not kept in the temporary folder."""
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            path = Path(dirpath) / name
            if not path.is_symlink() and path.is_file() and path.stat().st_size > MB:
                path.unlink()


def _selected(request: pytest.FixtureRequest) -> set[str]:
    ids = set()
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        if item.module is sys.modules[__name__] and callspec and "case" in callspec.params:
            ids.add(callspec.params["case"].id)
    return ids


def _fill_review(data: dict) -> dict:
    data["evaluateur"] = {"nom": "Claire Martin", "organisme": "Commission"}
    data["date"] = "2026-11-25"
    for avis in data["avis"].values():
        for exigence_id in avis:
            avis[exigence_id] = {"avis": "valide", "commentaire": None}
    return data


INDEPENDENT_REVIEWS = ("r1.yaml", "r2.yaml")
"""Two independent reviews of the dossier (``World.root``): they differ on ETH.08 only."""


def _independent_reviews(root: Path, review: dict, digest: str) -> str:
    """Write the two reviews; the valid arbitration settling their disagreement, as text."""
    second = json.loads(json.dumps(review))
    second["evaluateur"] = {"nom": "Paul Durand"}
    second["avis"]["teleconsultation"]["ETH.08"] = {"avis": "non_valide", "commentaire": "Lieu."}
    for name, data in zip(INDEPENDENT_REVIEWS, (review, second), strict=True):
        (root / name).write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    decision = {"resultat": "non_conforme", "motif": "Le choix du lieu manque."}
    arbitration = {
        "arbitre": {"nom": "Jeanne Roux"},
        "date": "2026-11-27",
        "dossier_sha256": digest,
        "decisions": {"teleconsultation": {"ETH.08": decision}},
    }
    return yaml.safe_dump(arbitration, allow_unicode=True, sort_keys=False)


def _fill_review_workbook(data: bytes) -> bytes:
    def edit(wb: openpyxl.Workbook) -> None:
        values = {"evaluateur.nom": "Claire Martin", "evaluateur.organisme": "Commission"}
        values["date"] = "2026-11-25"
        for row in wb["Évaluateur"].iter_rows(min_row=2):
            if row[0].value in values:
                row[2].value = values[row[0].value]
        for row in wb["teleconsultation"].iter_rows(min_row=2):
            if row[0].value:
                row[7].value = "Validé"

    return _edit_workbook(data, edit)


def _build_world(root: Path) -> World:
    from cens_eval.loader.dossier import read_dossier
    from cens_eval.loader.questionnaire import load_questionnaire
    from cens_eval.loader.referentiels import load_catalogue, load_referentiel
    from cens_eval.render.oscal_catalog import render_catalog
    from cens_eval.render.questionnaire_xlsx import render_questionnaire_xlsx
    from cens_eval.render.review_xlsx import render_review_xlsx
    from cens_eval.render.review_yaml import render_review_yaml

    source = root / "source"
    shutil.copytree(BASE, source)
    dossier = root / "dossier"
    args = ["evaluate", str(source / "questionnaire.yaml"), "--as-of", AS_OF, "-o", str(dossier)]
    made = subprocess.run(
        [*_cli(), *args, "--formats", "json"],
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert made.returncode == 1, made.stderr  # the base questionnaire is non conforme
    world = World(root=root, dossier=dossier)
    world.secret = root / "secret.png"
    world.secret.write_text(SECRET, "utf-8")

    catalogue = load_catalogue(REFERENTIELS)
    q_text = (BASE / "questionnaire.yaml").read_text("utf-8")
    q_data = yaml.safe_load(q_text)
    loaded = load_questionnaire(source / "questionnaire.yaml", catalogue)
    recorded, raw = read_dossier(dossier)
    digest = hashlib.sha256(raw).hexdigest()
    review = _fill_review(yaml.safe_load(render_review_yaml(recorded, digest)))

    world.texts = {
        "referentiel": VALID_REFERENTIEL.read_text("utf-8"),
        "vocabulaire": (REFERENTIELS / "profil.yaml").read_text("utf-8"),
        "profil": yaml.safe_dump(q_data["profil"], allow_unicode=True, sort_keys=False),
        "questionnaire-yaml": q_text,
        "questionnaire-json": json.dumps(q_data, ensure_ascii=False, indent=2),
        "revue-yaml": yaml.safe_dump(review, allow_unicode=True, sort_keys=False),
        "dossier": raw.decode("utf-8"),
        "signalements": (ROOT / "examples" / "signalements" / "registre.yaml").read_text("utf-8"),
        "calendrier": (ROOT / "examples" / "calendriers" / "exemple-fictif.yaml").read_text(
            "utf-8"
        ),
        "catalogue-oscal": render_catalog(
            load_referentiel(VALID_REFERENTIEL, catalogue.vocabulaire)
        ).decode("utf-8"),
        "arbitrage": _independent_reviews(root, review, digest),
    }
    q = loaded.questionnaire
    world.workbooks = {
        "questionnaire-xlsx": render_questionnaire_xlsx(
            q.profil, loaded.referentiels, catalogue.vocabulaire, q
        ),
        "revue-xlsx": _fill_review_workbook(render_review_xlsx(recorded, digest)),
    }
    return world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return _build_world(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def outcomes(request: pytest.FixtureRequest, world: World) -> dict[str, Outcome]:
    """Every selected case prepared and run, in parallel; outcomes by case id."""
    wanted = _selected(request)
    logs = world.root / "_logs"
    logs.mkdir()

    def make(case: Case) -> _Job:
        case_dir = world.root / "cases" / case.id
        case_dir.mkdir(parents=True)
        _prepare(case.reader, world, case_dir)
        target = case.build(case.reader, world, case_dir)
        out_dir = case_dir / "sortie"
        out_dir.mkdir()
        outcome = Outcome(args=command(case.reader, world, target, out_dir))
        outcome.case_dir, outcome.target = case_dir, target
        outcome.before = _listing(case_dir)
        return _Job(case, outcome, logs / f"{case.id}.out", logs / f"{case.id}.err")

    world.dossier_digest = _digest_tree(world.dossier)
    jobs = _run_all([c for c in CASES if c.id in wanted], make)
    return {job.case.id: job.outcome for job in jobs}


def _digest_tree(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


# ---- checks -------------------------------------------------------------------------------------------

ENGLISH = re.compile(
    r"\b(error|errno|invalid|expected|expecting|should|input|unable|literal|exceeds|keys|"
    r"not found|no such file|permission denied|is not|cannot|failed|traceback|directory|"
    r"does not|must be)\b",
    re.IGNORECASE,
)
PARSER_DETAIL = re.compile(r"(syntaxe YAML invalide|JSON invalide) : .*")
"""The parser's own words after these French prefixes are quoted as they are (see the
référentiel syntax test): they are not checked for English."""
WHERE = {
    "line": r":\d+: ",
    "cell": r":[^:/]+![A-Z]{1,3}\d+: ",
    "file": r": ",
    "place": r"(:\d+)?: ",
    "any": "",
}


def _param(case: Case):
    marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_hostile_input_is_refused_cleanly(case: Case, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[case.id]
    report = (
        f"\n$ cens-eval {' '.join(outcome.args)}\nexit {outcome.code} in {outcome.seconds:.1f} s"
        f"\nstderr:\n{outcome.stderr[:3000]}\nstdout:\n{outcome.stdout[:1000]}"
    )
    assert not outcome.timed_out, f"no answer within {case.timeout:.0f} s" + report
    for stream in (outcome.stderr, outcome.stdout):
        assert "Traceback" not in stream, report
        assert "erreur interne" not in stream, report
        assert SECRET not in stream, "no external content is read or run" + report
    assert outcome.code in case.codes, report

    refused = case.needs_message(outcome.code)
    if refused:
        culprit = case.culprit(outcome.case_dir) if case.culprit else outcome.target
        lines = [line for line in outcome.stderr.splitlines() if line.strip()]
        assert lines, "a message on stderr" + report
        assert any(line.startswith(str(culprit)) for line in lines), (
            f"a message names {culprit}" + report
        )
        located = re.compile(re.escape(str(culprit)) + WHERE[case.where])
        assert any(located.match(line) for line in lines), f"located ({case.where})" + report
        assert re.search(case.message, outcome.stderr), f"message /{case.message}/" + report
        for line in lines:
            assert line.startswith(str(outcome.case_dir)), (
                "every message starts with the file it is about" + report
            )
            text = line.split(": ", 1)[-1].replace(str(outcome.case_dir), "")
            text = PARSER_DETAIL.sub(r"\1", text)
            assert not ENGLISH.search(text), f"French message: {line}" + report

    new = outcome.after - outcome.before
    assert not [p for p in new if any(part.startswith(".") for part in Path(p).parts)], (
        f"hidden temporary files left behind: {sorted(new)}" + report
    )
    if refused and not case.output_expected:
        assert not new, f"nothing written for a refused input: {sorted(new)}" + report
    else:
        assert all(p.startswith("sortie") for p in new), sorted(new)


def test_the_shared_dossier_is_never_modified(world: World, outcomes: dict[str, Outcome]) -> None:
    assert outcomes, "the cases ran"
    assert _digest_tree(world.dossier) == world.dossier_digest


def test_the_cases_cover_every_reader() -> None:
    covered = {c.reader.name for c in CASES}
    assert covered == {r.name for r in ALL_READERS}
    by_reader = {r.name: {c.name for c in CASES if c.reader is r} for r in TEXT_READERS}
    for reader, names in by_reader.items():
        assert {"flow-nesting", "non-utf8", "bom", "nul-byte", "duplicate-key", "empty"} <= names, (
            reader
        )
