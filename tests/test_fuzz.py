"""Fuzzing the loaders (hypothesis): mutated valid inputs end in a result or a located LoadError.

Mutations are made on bytes (flip, insert, delete, truncate, duplicate a slice) and on the
structure (a node of the parsed document replaced by junk, deleted, or a key added). Every
loader must either return, or raise :class:`LoadError` whose problems all name the input file,
say something in French, and are placed at a line or a cell (a whole-file problem, such as
a size or a missing file, may have no place). Nothing else may escape. A smaller number of
examples goes through the command line (in-process), where the exit code must be 0, 1 or 2
and no internal error may be printed.

Known bugs, each pinned by an xfail row of ``test_hostile.py``, are tolerated by their message
(``KNOWN_BUGS``) so that fuzzing goes on looking for others. ``CENS_EVAL_FUZZ_EXAMPLES=1500``
runs a deeper search (about 5 minutes).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cens_eval.errors import LoadError
from cens_eval.loader.dossier import read_dossier
from cens_eval.loader.profil import load_profil
from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.loader.referentiels import load_profil_vocabulary, load_referentiel
from cens_eval.loader.review import load_review
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.dossier import Dossier
from cens_eval.model.profil import VocabulaireProfil

from .conftest import REFERENTIELS

# Slow (hypothesis explores many inputs per property): run by the README's test command and CI,
# left out by the fast loop (pytest -m "not slow").
pytestmark = pytest.mark.slow

DATA = Path(__file__).parent / "data"
BASE = DATA / "questionnaires" / "base"
AS_OF = dt.date(2026, 11, 22)

EXAMPLES = int(os.environ.get("CENS_EVAL_FUZZ_EXAMPLES", "120"))
"""Examples per loader test; raise it for a deeper run (the command line gets a sixth)."""
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CLI_FUZZ = settings(FUZZ, max_examples=max(EXAMPLES // 6, 10))

# ---- what an acceptable failure looks like ------------------------------------------------------

LINE_OR_CELL = re.compile(r"\d+|[^!]+![A-Z]{1,3}\d+")
WHOLE_FILE = (
    "fichier trop volumineux",
    "fichier introuvable",
    "fichier n'est pas un fichier ordinaire",
    "lecture impossible",
    "extension inconnue",
    "document trop volumineux",
    "imbrication trop profonde",
)
"""Problems about the whole file (or a document-wide limit): the only ones allowed without a
line or a cell."""
PARSER_DETAIL = re.compile(r"(syntaxe YAML invalide|JSON invalide) : .*")
"""The parser's own words after these prefixes are quoted as they are (see the référentiel tests)."""
ENGLISH = re.compile(
    r"\b(error|errno|invalid|expected|expecting|should|input|not found|no such|is not|cannot|"
    r"failed|traceback|must|field required|unexpected|exceeds)\b",
    re.IGNORECASE,
)


KNOWN_BUGS: list[tuple[re.Pattern[str], str]] = []
"""Messages of bugs pinned by xfail rows of test_hostile.py (``<reader>-<row>``): tolerated
here so that fuzzing keeps looking for other problems. Remove an entry with its xfail."""


def _known_bug(problem: object) -> bool:
    return any(pattern.search(str(problem)) for pattern, _ in KNOWN_BUGS)


def assert_clean_refusal(exc: LoadError, path: Path) -> None:
    assert exc.problems, "a LoadError says what is wrong"
    for problem in exc.problems:
        assert problem.file == str(path), problem
        assert problem.message.strip(), problem
        if _known_bug(problem):
            continue
        text = PARSER_DETAIL.sub(r"\1", problem.message)
        assert not ENGLISH.search(text), f"French message expected: {problem}"
        if problem.where:
            assert LINE_OR_CELL.fullmatch(problem.where), problem
        else:
            assert problem.message.startswith(WHOLE_FILE), f"unlocated: {problem}"


def attempt(load: Callable[[], Any], path: Path) -> None:
    """The only acceptable endings: a result, or a clean LoadError."""
    try:
        load()
    except LoadError as exc:
        assert_clean_refusal(exc, path)


# ---- byte mutations -----------------------------------------------------------------------------

TOKENS = [
    b"&a ",
    b"*a",
    b"!!python/object:os.system ",
    b"!!binary ",
    b"!!bool ",
    b"!!int ",
    b"!!float ",
    b"!!set ",
    b"!!timestamp ",
    b"{",
    b"}",
    b"[",
    b"]",
    b": ",
    b"\n- ",
    b"\n  ",
    b"\t",
    b"'",
    b'"',
    b"#",
    b"---\n",
    b"...\n",
    b"? ",
    b"|\n",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"\\u",
    b"9" * 70,
    b"null",
    b"2026-02-30",
    b"<<: *a\n",
]


@st.composite
def byte_mutation(draw: st.DrawFn, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        size = len(out)
        at = draw(st.integers(0, max(size, 1) * 4)) % (size + 1)
        kind = draw(st.sampled_from(["flip", "insert", "token", "delete", "truncate", "duplicate"]))
        if kind == "flip" and size:
            at = min(at, size - 1)
            out[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "token":
            out[at:at] = draw(st.sampled_from(TOKENS))
        elif kind == "delete":
            del out[at : at + draw(st.integers(1, 64))]
        elif kind == "truncate":
            del out[at:]
        elif kind == "duplicate":
            piece = bytes(out[at : at + draw(st.integers(1, 200))])
            where = draw(st.integers(0, size)) % (size + 1)
            out[where:where] = piece * draw(st.integers(1, 3))
    return bytes(out)


# ---- structure mutations ------------------------------------------------------------------------

TEXT = st.text(st.characters(codec="utf-8"), max_size=40)  # NUL and control characters too
LONG_TEXT = st.sampled_from(["x" * 30_000, "é" * 25_000, "ab\n" * 10_000, "🩺" * 6_000])


def scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**80), 10**80),  # beyond the 64-digit limit, far below Python's own
        st.floats(),  # NaN and infinities included: JSON writes them as NaN, Infinity
        TEXT,
        st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
        st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 1, 1)),
        LONG_TEXT,
        st.sampled_from(["conforme", "valide", "non_applicable", "preuves/attestation.pdf"]),
        st.sampled_from(["../x", "/etc/passwd", "preuves", "", "2026-11-22", "1.5.1", "oui"]),
    )


def keys(for_json: bool) -> st.SearchStrategy[Any]:
    """Mapping keys: text, known field names, and in YAML any scalar (``2024: x``, ``null: y``)."""
    text = st.one_of(
        TEXT,
        st.sampled_from(["id", "statut", "preuves", "avis", "fichier", "version", "questions"]),
    )
    if for_json:
        return text
    others = st.one_of(st.none(), st.booleans(), st.integers(-5, 5000), st.dates())
    return st.one_of(text, text, others)


def junk(for_json: bool) -> st.SearchStrategy[Any]:
    def containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(
            st.lists(children, max_size=3), st.dictionaries(keys(for_json), children, max_size=3)
        )

    return st.recursive(scalars(), containers, max_leaves=6)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*prefix, i))
    return found


@st.composite
def structure_mutation(draw: st.DrawFn, data: Any, for_json: bool) -> Any:
    """A deep copy of ``data`` with one to three nodes replaced, deleted or added."""
    data = copy.deepcopy(data)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        kind = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if not path:
            if kind == "replace":
                data = draw(junk(for_json))
            continue
        parent = data
        try:
            for part in path[:-1]:
                parent = parent[part]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation changed the shape
        last = path[-1]
        if not isinstance(parent, dict | list):
            continue
        if isinstance(parent, list) and not (isinstance(last, int) and last < len(parent)):
            continue
        if isinstance(parent, dict) and last not in parent:
            continue
        if kind == "replace":
            parent[last] = draw(junk(for_json))
        elif kind == "delete":
            del parent[last]
        elif isinstance(parent, dict):
            parent[draw(keys(for_json))] = draw(junk(for_json))
        else:
            parent.insert(last, draw(junk(for_json)))
    return data


def dump(data: Any, syntax: str) -> bytes:
    if syntax == "json":
        return json.dumps(data, ensure_ascii=False, default=str, indent=1).encode()
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()


# ---- valid inputs to start from ----------------------------------------------------------------


class Bases:
    """Valid inputs to mutate, and what the loaders need beside them.

    A plain class: hypothesis prints a failing example's arguments, a dataclass field by field.
    """

    referentiel: bytes
    vocabulaire_yaml: bytes
    profil: bytes
    questionnaire_yaml: bytes
    questionnaire_json: bytes
    revue: bytes
    dossier: Dossier
    dossier_sha256: str
    dossier_json: bytes
    dossier_dir: Path
    vocabulaire: VocabulaireProfil
    catalogue: Catalogue

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)

    def __repr__(self) -> str:
        return "Bases(…)"


@pytest.fixture(scope="module")
def bases(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Bases:
    from cens_eval.cli import main
    from cens_eval.render.review_yaml import render_review_yaml

    q_text = (BASE / "questionnaire.yaml").read_bytes()
    q_data = yaml.safe_load(q_text)
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(BASE, root / "source")
    dossier_dir = root / "dossier"
    source = root / "source" / "questionnaire.yaml"
    args = ["evaluate", str(source), "--as-of", AS_OF.isoformat(), "-o", str(dossier_dir)]
    code = main(["--referentiels", str(REFERENTIELS), *args, "--formats", "json"])
    assert code == 1  # the base questionnaire is non conforme
    dossier, raw = read_dossier(dossier_dir)
    digest = hashlib.sha256(raw).hexdigest()
    review = yaml.safe_load(render_review_yaml(dossier, digest))
    review["evaluateur"] = {"nom": "Claire Martin", "organisme": "Commission"}
    review["date"] = "2026-11-25"
    for avis in review["avis"].values():
        for exigence_id in avis:
            avis[exigence_id] = {"avis": "valide"}
    return Bases(
        referentiel=(DATA / "referentiel_valide.yaml").read_bytes(),
        vocabulaire_yaml=(REFERENTIELS / "profil.yaml").read_bytes(),
        profil=dump(q_data["profil"], "yaml"),
        questionnaire_yaml=q_text,
        questionnaire_json=dump(q_data, "json"),
        revue=dump(review, "yaml"),
        dossier=dossier,
        dossier_sha256=digest,
        dossier_json=raw,
        dossier_dir=dossier_dir,
        vocabulaire=load_profil_vocabulary(REFERENTIELS / "profil.yaml"),
        catalogue=catalogue,
    )


class Folder:
    """A fresh temporary folder per example (hypothesis reuses the test's fixtures)."""

    def __init__(self, with_evidence: bool = False) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="cens-fuzz-")
        self.path = Path(self._tmp.name)
        if with_evidence:
            shutil.copytree(BASE / "preuves", self.path / "preuves")

    def write(self, name: str, data: bytes) -> Path:
        path = self.path / name
        path.write_bytes(data)
        return path

    def __enter__(self) -> Folder:
        return self

    def __exit__(self, *exc: object) -> None:
        self._tmp.cleanup()


# ---- loaders, in process ------------------------------------------------------------------------


def _parsed(raw: bytes, syntax: str) -> Any:
    return json.loads(raw) if syntax == "json" else yaml.safe_load(raw)


@FUZZ
@given(data=st.data())
def test_referentiel_loader_survives_byte_mutations(bases: Bases, data) -> None:
    raw = data.draw(byte_mutation(bases.referentiel))
    with Folder() as folder:
        path = folder.write("ref.yaml", raw)
        attempt(lambda: load_referentiel(path, bases.vocabulaire), path)


@FUZZ
@given(data=st.data())
def test_referentiel_loader_survives_structure_mutations(bases: Bases, data) -> None:
    mutated = data.draw(structure_mutation(_parsed(bases.referentiel, "yaml"), for_json=False))
    with Folder() as folder:
        path = folder.write("ref.yaml", dump(mutated, "yaml"))
        attempt(lambda: load_referentiel(path, bases.vocabulaire), path)


@FUZZ
@given(data=st.data())
def test_vocabulary_loader_survives_mutations(bases: Bases, data) -> None:
    if data.draw(st.booleans(), label="bytes"):
        raw = data.draw(byte_mutation(bases.vocabulaire_yaml))
    else:
        mutated = structure_mutation(_parsed(bases.vocabulaire_yaml, "yaml"), for_json=False)
        raw = dump(data.draw(mutated), "yaml")
    with Folder() as folder:
        path = folder.write("profil.yaml", raw)
        attempt(lambda: load_profil_vocabulary(path), path)


@FUZZ
@given(data=st.data())
def test_profil_answers_loader_survives_mutations(bases: Bases, data) -> None:
    if data.draw(st.booleans(), label="bytes"):
        raw = data.draw(byte_mutation(bases.profil))
    else:
        raw = dump(data.draw(structure_mutation(_parsed(bases.profil, "yaml"), False)), "yaml")
    with Folder() as folder:
        path = folder.write("reponses.yaml", raw)
        attempt(lambda: load_profil(path, bases.vocabulaire), path)


QUESTIONNAIRE_SYNTAXES = pytest.mark.parametrize("syntax", ["yaml", "json"])


def _questionnaire_base(bases: Bases, syntax: str) -> bytes:
    return bases.questionnaire_json if syntax == "json" else bases.questionnaire_yaml


@QUESTIONNAIRE_SYNTAXES
@FUZZ
@given(data=st.data())
def test_questionnaire_loader_survives_byte_mutations(bases: Bases, syntax: str, data) -> None:
    raw = data.draw(byte_mutation(_questionnaire_base(bases, syntax)))
    with Folder(with_evidence=True) as folder:
        path = folder.write(f"questionnaire.{syntax}", raw)
        attempt(lambda: load_questionnaire(path, bases.catalogue), path)


@QUESTIONNAIRE_SYNTAXES
@FUZZ
@given(data=st.data())
def test_questionnaire_loader_survives_structure_mutations(bases: Bases, syntax: str, data) -> None:
    base = _parsed(_questionnaire_base(bases, syntax), syntax)
    mutated = data.draw(structure_mutation(base, for_json=syntax == "json"))
    with Folder(with_evidence=True) as folder:
        path = folder.write(f"questionnaire.{syntax}", dump(mutated, syntax))
        attempt(lambda: load_questionnaire(path, bases.catalogue), path)


@FUZZ
@given(data=st.data())
def test_review_loader_survives_byte_mutations(bases: Bases, data) -> None:
    raw = data.draw(byte_mutation(bases.revue))
    with Folder() as folder:
        path = folder.write("revue.yaml", raw)
        attempt(lambda: load_review(path, bases.dossier, bases.dossier_sha256), path)


@FUZZ
@given(data=st.data())
def test_review_loader_survives_structure_mutations(bases: Bases, data) -> None:
    syntax = data.draw(st.sampled_from(["yaml", "json"]), label="syntax")
    mutated = data.draw(structure_mutation(_parsed(bases.revue, "yaml"), syntax == "json"))
    with Folder() as folder:
        path = folder.write(f"revue.{syntax}", dump(mutated, syntax))
        attempt(lambda: load_review(path, bases.dossier, bases.dossier_sha256), path)


@FUZZ
@given(data=st.data())
def test_dossier_json_reader_survives_mutations(bases: Bases, data) -> None:
    if data.draw(st.booleans(), label="bytes"):
        raw = data.draw(byte_mutation(bases.dossier_json))
    else:
        mutated = structure_mutation(_parsed(bases.dossier_json, "json"), for_json=True)
        raw = dump(data.draw(mutated), "json")
    with Folder() as folder:
        (folder.path / "d").mkdir()
        path = folder.write("d/dossier.json", raw)
        attempt(lambda: read_dossier(path.parent), path)


def test_the_mutators_are_not_the_identity(bases: Bases) -> None:
    """A guard on the generators themselves: most examples differ from the valid input."""
    seen: list[bytes] = []

    @settings(FUZZ, max_examples=30)
    @given(data=st.data())
    def collect(data) -> None:
        seen.append(data.draw(byte_mutation(bases.referentiel)))
        seen.append(
            dump(data.draw(structure_mutation(yaml.safe_load(bases.referentiel), False)), "yaml")
        )

    collect()
    original = dump(yaml.safe_load(bases.referentiel), "yaml")
    changed = [s for s in seen if s not in (bases.referentiel, original)]
    assert len(changed) >= len(seen) * 0.8


# ---- the command line, in process ---------------------------------------------------------------


def assert_cli_ending(result) -> None:
    assert result.code in (0, 1, 2), (result.code, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert "erreur interne" not in result.stderr, result.stderr


@CLI_FUZZ
@given(data=st.data())
def test_cli_validate_survives_mutated_referentiels(bases: Bases, run_cli, data) -> None:
    if data.draw(st.booleans(), label="bytes"):
        raw = data.draw(byte_mutation(bases.referentiel))
    else:
        raw = dump(data.draw(structure_mutation(yaml.safe_load(bases.referentiel), False)), "yaml")
    with Folder() as folder:
        path = folder.write("ref.yaml", raw)
        assert_cli_ending(run_cli("referentiels", "validate", str(path)))


@CLI_FUZZ
@given(data=st.data())
def test_cli_evaluate_survives_mutated_questionnaires(bases: Bases, run_cli, data) -> None:
    syntax = data.draw(st.sampled_from(["yaml", "json"]), label="syntax")
    base = _questionnaire_base(bases, syntax)
    if data.draw(st.booleans(), label="bytes"):
        raw = data.draw(byte_mutation(base))
    else:
        raw = dump(data.draw(structure_mutation(_parsed(base, syntax), syntax == "json")), syntax)
    with Folder(with_evidence=True) as folder:
        path = folder.write(f"questionnaire.{syntax}", raw)
        out = folder.path / "sortie" / "dossier"
        result = run_cli(
            "evaluate", str(path), "--as-of", AS_OF.isoformat(), "-o", str(out), "--formats", "json"
        )
        assert_cli_ending(result)
        assert out.exists() == (result.code in (0, 1)), result.stderr
        if out.exists():
            assert run_cli("dossier", "verify", str(out)).code == 0
        leftovers = [p.name for p in out.parent.iterdir()] if out.parent.exists() else []
        assert leftovers in ([], ["dossier"]), leftovers


@CLI_FUZZ
@given(data=st.data())
def test_cli_review_apply_survives_mutated_reviews(bases: Bases, run_cli, data) -> None:
    if data.draw(st.booleans(), label="bytes"):
        raw = data.draw(byte_mutation(bases.revue))
    else:
        raw = dump(data.draw(structure_mutation(yaml.safe_load(bases.revue), False)), "yaml")
    with Folder() as folder:
        path = folder.write("revue.yaml", raw)
        out = folder.path / "revu"
        result = run_cli(
            "review",
            "apply",
            str(bases.dossier_dir),
            str(path),
            "-o",
            str(out),
            "--formats",
            "json",
        )
        assert_cli_ending(result)
        assert out.exists() == (result.code == 0), result.stderr
        assert sorted(p.name for p in folder.path.iterdir()) in (
            ["revue.yaml"],
            ["revu", "revue.yaml"],
        )


@CLI_FUZZ
@given(data=st.data())
def test_cli_dossier_verify_survives_mutated_dossier_json(bases: Bases, run_cli, data) -> None:
    if data.draw(st.booleans(), label="bytes"):
        raw = data.draw(byte_mutation(bases.dossier_json))
    else:
        mutated = structure_mutation(json.loads(bases.dossier_json), for_json=True)
        raw = dump(data.draw(mutated), "json")
    with Folder() as folder:
        copy = folder.path / "dossier"
        shutil.copytree(bases.dossier_dir, copy)
        (copy / "dossier.json").write_bytes(raw)
        result = run_cli("dossier", "verify", str(copy))
        assert_cli_ending(result)
        if raw != bases.dossier_json:
            assert result.code in (1, 2), "a changed dossier.json is never intact"
