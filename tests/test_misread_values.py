"""Values an input could make the tool misread: keys that differ only by spaces, numbers out of
reach (huge, too precise, infinite), answers given as numbers, and one evidence file named
several ways or too big to handle. Each is refused with a located French message (exit 2), or
read exactly."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cens_eval import constants
from cens_eval.errors import LoadError
from cens_eval.loader import evidence
from cens_eval.loader.dossier import read_dossier
from cens_eval.loader.jsonsafe import parse_json
from cens_eval.loader.yamlsafe import parse_yaml
from cens_eval.model.base import Model, Nombre, number_problem, stripped
from cens_eval.model.questionnaire import chemin_normal

from .conftest import QUESTIONNAIRES, REFERENTIELS, ROOT

DATA = Path(__file__).parent / "data"
BASE = DATA / "questionnaires" / "base"
AS_OF = "2026-11-22"
SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None)
LINE = re.compile(r"^(?P<file>[^\n]+?):(?P<line>\d+): (?P<message>.+)$")


def _copy(source: Path, tmp_path: Path) -> Path:
    folder = tmp_path / source.name
    shutil.copytree(source, folder)
    return folder


def _edit(path: Path, old: str, new: str) -> Path:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")
    return path


def _as_json(path: Path) -> Path:
    """The same questionnaire in JSON, beside it."""
    data = yaml.safe_load(path.read_text("utf-8"))
    target = path.with_suffix(".json")
    target.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), "utf-8")
    return target


def _refused(result, file: Path, line: int, message: str) -> None:
    """Exit 2, no internal error, and ``message`` located at ``file:line``."""
    assert result.code == 2, (result.stdout, result.stderr)
    assert "interne" not in result.stderr and "Traceback" not in result.stderr
    assert f"{file}:{line}: " in result.stderr, result.stderr
    located = [m for m in map(LINE.match, result.stderr.splitlines()) if m]
    assert any(
        m["file"] == str(file) and m["line"] == str(line) and message in m["message"]
        for m in located
    ), result.stderr


# ---- keys that differ only by surrounding whitespace ---------------------------------------------


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return _copy(BASE, tmp_path) / "questionnaire.yaml"


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text("utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


@pytest.mark.parametrize("syntax", ["yaml", "json"])
def test_an_answer_key_differing_only_by_spaces_is_a_duplicate(
    run_cli, base: Path, syntax: str
) -> None:
    """Without the refusal, the second answer would silently replace the first."""
    _edit(base, "    ETH.08:\n", '    ETH.08:\n      statut: non_conforme\n    "ETH.08  ":\n')
    path = base if syntax == "yaml" else _as_json(base)  # JSON keeps both spellings
    line = _line_of(path, '"ETH.08  "')
    result = run_cli("evaluate", str(path), "--as-of", AS_OF)
    _refused(
        result,
        path,
        line,
        "clé « ETH.08 » en double (« ETH.08 » et « ETH.08   » ne diffèrent que par des espaces)",
    )


@pytest.mark.parametrize("syntax", ["yaml", "json"])
def test_a_profil_key_differing_only_by_spaces_is_a_duplicate(
    run_cli, base: Path, syntax: str
) -> None:
    _edit(base, "  utilise_ia: false\n", '  utilise_ia: false\n  " utilise_ia": true\n')
    path = base if syntax == "yaml" else _as_json(base)
    line = _line_of(path, '" utilise_ia"')
    result = run_cli("evaluate", str(path), "--as-of", AS_OF)
    _refused(result, path, line, "clé « utilise_ia » en double (« utilise_ia » et «  utilise_ia »")


def test_a_duplicated_object_does_not_make_its_members_duplicates() -> None:
    text = '{\n "a": {"x": 1},\n "a\\u00a0": {"x": 2}\n}\n'
    with pytest.raises(LoadError) as info:
        parse_json(text, "d.json")
    assert [str(p) for p in info.value.problems] == [
        "d.json:3: clé « a » en double (« a » et « a\u00a0 » ne diffèrent que par des espaces)"
    ]


PADDING = st.text(alphabet=constants.WHITESPACE, max_size=3)
KEY = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._-", min_size=1, max_size=12)


@SETTINGS
@given(key=KEY, pads=st.tuples(PADDING, PADDING, PADDING, PADDING), syntax=st.sampled_from("yj"))
def test_any_two_keys_read_alike_are_refused_on_the_second_line(
    key: str, pads: tuple[str, str, str, str], syntax: str
) -> None:
    first, second = pads[0] + key + pads[1], pads[2] + key + pads[3]
    # JSON strings are YAML double-quoted scalars: both syntaxes write the key the same way.
    text = f"{{\n{json.dumps(first)}: 1,\n{json.dumps(second)}: 2\n}}\n"
    with pytest.raises(LoadError) as info:
        (parse_yaml if syntax == "y" else parse_json)(text, "f")
    [problem] = info.value.problems
    assert (problem.where, problem.message.split(" (")[0]) == ("3", f"clé « {key} » en double")


@SETTINGS
@given(keys=st.lists(KEY, min_size=1, max_size=6, unique=True), syntax=st.sampled_from("yj"))
def test_keys_read_differently_are_kept(keys: list[str], syntax: str) -> None:
    text = "{" + ", ".join(f"{json.dumps(k)}: {i}" for i, k in enumerate(keys)) + "}"
    doc = (parse_yaml if syntax == "y" else parse_json)(text, "f")
    assert doc.data == {k: i for i, k in enumerate(keys)}


def test_the_readers_strip_keys_exactly_as_the_models_do() -> None:
    """The duplicate check and pydantic's ``str_strip_whitespace`` must agree on every character."""

    class Texts(Model):
        texts: list[str]

    chars = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    read = Texts(texts=[f"{c}a{c}" for c in chars]).texts
    assert read == [stripped(f"{c}a{c}") for c in chars]


# ---- numbers ---------------------------------------------------------------------------------------


@pytest.fixture
def medilink(tmp_path: Path) -> Path:
    """A shipped example with a mesure (``taille-panel``, seuil min 10) answered on one line."""
    return _copy(QUESTIONNAIRES / "teleconsult-medilink", tmp_path) / "questionnaire.yaml"


TOO_BIG = "nombre trop grand (au plus 15 chiffres avant la virgule)"
TOO_PRECISE = "nombre trop précis (au plus 9 chiffres après la virgule)"
TOO_MANY_DIGITS = "nombre trop précis (au plus 15 chiffres significatifs)"
TOO_LONG = "nombre trop long (au plus 64 chiffres)"
NOT_FINITE = "nombre fini attendu"
VALEUR = "teleconsultation › Exigence ETH.11.1.2 › preuves › 4 › valeur: "

YAML_NUMBERS = [
    ("1e+999999999", VALEUR + TOO_BIG),  # plain text to YAML 1.1, a Decimal to the model
    ("1.0e+999999999", TOO_LONG),  # a YAML float: refused where it is read
    ("-1.0e+999999999", TOO_LONG),
    ("1.0e-999999999", TOO_LONG),
    ("'1E-999999999'", VALEUR + TOO_PRECISE),
    ("1" * 65, TOO_LONG),
    ("1234567890123456", VALEUR + TOO_BIG),
    ("0.1234567891", VALEUR + TOO_PRECISE),
    ("0.1000000000000000055511151231257827", VALEUR + TOO_PRECISE),  # 0.1 as a double, not 0.1
    ("123456789.123456789", VALEUR + TOO_MANY_DIGITS),
    (".nan", VALEUR + NOT_FINITE),
    ("-.inf", VALEUR + NOT_FINITE),
    ("'Infinity'", VALEUR + NOT_FINITE),
]


@pytest.mark.parametrize("command", ["evaluate", "convert"])
@pytest.mark.parametrize(("written", "message"), YAML_NUMBERS, ids=[w for w, _ in YAML_NUMBERS])
def test_a_number_out_of_reach_is_refused_where_it_is_written(
    run_cli, medilink: Path, tmp_path: Path, command: str, written: str, message: str
) -> None:
    path = _edit(medilink, "taille-panel, valeur: 32}", f"taille-panel, valeur: {written}}}")
    if command == "evaluate":
        result = run_cli("evaluate", str(path), "--as-of", AS_OF, "-o", str(tmp_path / "out"))
    else:
        result = run_cli("questionnaire", "convert", str(path), "-o", str(tmp_path / "q.xlsx"))
    _refused(result, path, 83, message)
    assert not (tmp_path / "out").exists() and not (tmp_path / "q.xlsx").exists()


JSON_NUMBERS = [
    ("1e+999999999", TOO_LONG),
    ("1e400", TOO_LONG),
    ("1E-70", TOO_LONG),
    ("1e20", VALEUR + TOO_BIG),
    ("0.12345678901", VALEUR + TOO_PRECISE),
    ('"1E+999999999"', VALEUR + TOO_BIG),
    ('"NaN"', VALEUR + NOT_FINITE),
    ("NaN", "valeur NaN non autorisée"),
]


@pytest.mark.parametrize(("written", "message"), JSON_NUMBERS, ids=[w for w, _ in JSON_NUMBERS])
def test_a_json_number_out_of_reach_is_refused_where_it_is_written(
    run_cli, medilink: Path, tmp_path: Path, written: str, message: str
) -> None:
    path = _as_json(medilink)
    _edit(path, '"valeur": 32', f'"valeur": {written}')
    line = _line_of(path, f'"valeur": {written}')
    result = run_cli("evaluate", str(path), "--as-of", AS_OF, "-o", str(tmp_path / "out"))
    _refused(result, path, line, message)


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("10.50", "10.50"),
        ("1_000.5", "1000.5"),
        ("1:30.5", "90.5"),
        ("12.000000001", "12.000000001"),
    ],
)
def test_a_mesure_is_read_exactly_as_written(
    run_cli, medilink: Path, tmp_path: Path, written: str, read: str
) -> None:
    path = _edit(medilink, "taille-panel, valeur: 32}", f"taille-panel, valeur: {written}}}")
    result = run_cli("evaluate", str(path), "--as-of", AS_OF, "-o", str(tmp_path / "out"))
    assert result.code in (0, 1), result.stderr
    dossier = json.loads((tmp_path / "out" / "dossier.json").read_text("utf-8"))
    valeurs = [
        p["valeur"]
        for r in dossier["resultats"]
        for e in r["exigences"]
        for p in e["preuves"]
        if p["attendue"] == "taille-panel"
    ]
    assert valeurs == [read]
    assert run_cli("dossier", "verify", str(tmp_path / "out")).code == 0


@pytest.mark.parametrize(
    ("field", "written"),
    [("poids", "1E-999999999"), ("poids", "0.0000000001"), ("seuil", "{min: 1e+999999999}")],
)
def test_a_referentiel_number_out_of_reach_is_refused(
    run_cli, tmp_path: Path, field: str, written: str
) -> None:
    path = tmp_path / "ref.yaml"
    text = (DATA / "referentiel_valide.yaml").read_text("utf-8")
    if field == "poids":
        text = text.replace(
            "    fidelite: officiel\n", f"    fidelite: officiel\n    poids: {written}\n", 1
        )
        message = f"Exigence ETH.09.1 › poids: {TOO_PRECISE}"
    else:
        text = text.replace("        type: capture\n", "        type: mesure\n", 1).replace(
            "        libelle: Écran d'information\n",
            f"        libelle: Écran d'information\n        unite: patients\n        seuil: {written}\n",
        )
        message = f"Exigence ETH.09.1 › preuves › 1 › seuil › min: {TOO_BIG}"
    path.write_text(text, "utf-8")
    line = _line_of(path, f"{field}: ")
    _refused(run_cli("referentiels", "validate", str(path)), path, line, message)


@pytest.mark.parametrize(
    ("written", "where"),
    [("0", "utilise_ia: 0"), ("1.0", "utilise_ia: 1.0"), ("[true]", "utilise_ia: [true]")],
)
def test_a_profil_answer_is_never_a_number(run_cli, base: Path, written: str, where: str) -> None:
    """``utilise_ia: 0`` used to be read as false."""
    _edit(base, "  utilise_ia: false\n", f"  utilise_ia: {written}\n")
    result = run_cli("evaluate", str(base), "--as-of", AS_OF)
    _refused(
        result, base, _line_of(base, where), "profil › utilise_ia: true, false ou un identifiant"
    )
    assert ("(pas un nombre)" in result.stderr) is (written != "[true]")


# A number the models accept: at most 15 significant digits, below 1e15, at most 9 places.
BOUNDED = st.builds(
    lambda digits, places, negative: Decimal(f"{'-' if negative else ''}{digits}").scaleb(-places),
    st.integers(0, 10**15 - 1),
    st.integers(0, 9),
    st.booleans(),
).filter(lambda d: number_problem(d) is None)


def _written(number: Decimal, form: str) -> str:
    """``number`` as a YAML float and a JSON number: with a point, maybe an exponent or zeros."""
    mantissa, _, exponent = (f"{number:e}" if form == "exponent" else f"{number:f}").partition("e")
    if "." not in mantissa:
        mantissa += "."
    return mantissa + ("00" if form == "zeros" else "0") + (f"e{exponent}" if exponent else "")


@SETTINGS
@given(number=BOUNDED, form=st.sampled_from(["plain", "exponent", "zeros"]))
def test_any_bounded_number_round_trips_exactly(number: Decimal, form: str) -> None:
    """From YAML or JSON text to the model, the dossier's JSON and back, and through a double."""
    written = _written(number, form)
    for parse in (parse_yaml, parse_json):
        value = parse(f'{{"v": {written}}}', "f").data["v"]
        assert isinstance(value, Decimal) and value == number
        assert number_problem(value) is None

    class Carrier(Model):
        v: Nombre

    dumped = Carrier(v=number).model_dump_json()
    assert Carrier.model_validate(parse_json(dumped, "f").data).v == number
    assert Decimal(repr(float(number))) == number  # an Excel cell holds it exactly


@SETTINGS
@given(
    digits=st.integers(10**15, 10**40).filter(lambda d: d % 10),
    places=st.integers(-30, 40),
    far=st.integers(10, 10**9),
)
def test_any_number_beyond_the_bounds_is_refused(digits: int, places: int, far: int) -> None:
    assert number_problem(Decimal(digits).scaleb(-places)) is not None  # 16 digits or more
    assert number_problem(Decimal((0, (1,), -far))) is not None  # one digit, too fine
    assert number_problem(Decimal((0, (1,), far + 5))) is not None  # one digit, too big


# ---- numbers read back from a dossier --------------------------------------------------------------


@pytest.fixture(scope="module")
def dossier_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    from cens_eval.cli import main

    out = tmp_path_factory.mktemp("dossier") / "d"
    source = QUESTIONNAIRES / "teleconsult-medilink" / "questionnaire.yaml"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CENS_EVAL_REFERENTIELS", str(REFERENTIELS))
        main(["evaluate", str(source), "--as-of", AS_OF, "-o", str(out), "--formats", "json"])
    return (out / "dossier.json").read_text("utf-8")


@pytest.mark.parametrize(
    ("field", "written", "message"),
    [
        ("poids", '"1E+999999999"', "poids: doit être au plus 100"),
        ("poids", '"1E-999999999"', f"poids: {TOO_PRECISE}"),
        ("poids", '"0"', "poids: doit être strictement supérieur à 0"),
        ("score", '"NaN"', f"score: {NOT_FINITE}"),
        ("valeur", '"1e+999999999"', f"valeur: {TOO_BIG}"),
        ("taille", "1e400", TOO_LONG),
        ("taille", "true", "taille: nombre entier attendu"),
        ("taille", "-1", "taille: doit être au moins 0"),
        ("taille", "209715201", "taille: doit être au plus 209715200"),
    ],
)
def test_a_number_out_of_reach_in_dossier_json_is_refused_on_reading(
    dossier_text: str, tmp_path: Path, field: str, written: str, message: str
) -> None:
    """``dossier verify`` and ``batch`` read ``dossier.json`` with this model: nothing huge gets in."""
    found = re.search(rf'("{field}": )("[^"]*"|[-0-9.]+)', dossier_text)
    assert found is not None
    text = dossier_text[: found.start(2)] + written + dossier_text[found.end(2) :]
    line = dossier_text.count("\n", 0, found.start()) + 1
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "dossier.json").write_text(text, "utf-8")
    with pytest.raises(LoadError) as info:
        read_dossier(folder)
    assert [(p.where, message in p.message) for p in info.value.problems] == [(str(line), True)]


def test_effectifs_in_dossier_json_are_counts(dossier_text: str, tmp_path: Path) -> None:
    text = re.sub(r'("effectifs": \{\s*"[a-z_]+": )\d+', r"\g<1>-3", dossier_text, count=1)
    assert text != dossier_text
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "dossier.json").write_text(text, "utf-8")
    with pytest.raises(LoadError, match="doit être au moins 0"):
        read_dossier(folder)


# ---- evidence files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    ["./preuves/capture-lieu.png", "preuves//capture-lieu.png", "'preuves\\capture-lieu.png'"],
)
def test_one_evidence_file_named_two_ways_is_one_file(
    run_cli, base: Path, tmp_path: Path, spelling: str
) -> None:
    """It used to end in « écriture impossible (File exists) »."""
    _edit(
        base,
        "        - {attendue: capture-choix-lieu, fichier: preuves/capture-lieu.png}\n",
        "        - {attendue: capture-choix-lieu, fichier: preuves/capture-lieu.png}\n"
        f"        - {{attendue: capture-choix-lieu, fichier: {spelling}}}\n",
    )
    out = tmp_path / "out"
    result = run_cli("evaluate", str(base), "--as-of", AS_OF, "-o", str(out), "--formats", "json")
    assert result.code in (0, 1), result.stderr
    dossier = json.loads((out / "dossier.json").read_text("utf-8"))
    assert [p["chemin"] for p in dossier["manifeste"]] == [
        "preuves/attestation.pdf",
        "preuves/capture-lieu.png",
    ]
    files = sorted(p.relative_to(out).as_posix() for p in (out / "questionnaire").rglob("*.*"))
    assert files == [
        "questionnaire/preuves/attestation.pdf",
        "questionnaire/preuves/capture-lieu.png",
        "questionnaire/questionnaire.yaml",
    ]
    assert run_cli("dossier", "verify", str(out)).code == 0


@SETTINGS
@given(
    parts=st.lists(
        st.text(alphabet="abcXYZ09-_é ", min_size=1, max_size=5), min_size=1, max_size=4
    ),
    separators=st.lists(st.sampled_from(["/", "//", "\\", "/./", "\\.\\"]), min_size=3, max_size=3),
    lead=st.sampled_from(["", "./", ".\\", "././"]),
)
def test_every_spelling_of_a_relative_path_has_one_normal_form(
    parts: list[str], separators: list[str], lead: str
) -> None:
    parts = [p for p in parts if p.strip(".")] or ["x"]
    spelled = lead + "".join(p + separators[i % 3] for i, p in enumerate(parts[:-1])) + parts[-1]
    assert chemin_normal(spelled) == "/".join(parts)
    assert chemin_normal(chemin_normal(spelled)) == chemin_normal(spelled)


@pytest.mark.parametrize("spelling", ["/etc/passwd", "\\\\serveur\\partage\\x.pdf", "../x.pdf"])
def test_normalising_never_makes_a_refused_path_acceptable(base: Path, spelling: str) -> None:
    assert evidence.check_evidence_path(base.parent, spelling) is not None


def test_an_evidence_file_over_the_limit_is_refused_with_its_line(run_cli, base: Path) -> None:
    big = base.parent / "preuves" / "capture-lieu.png"
    with big.open("r+b") as handle:  # sparse: nothing is written to disk, nothing is read
        handle.truncate(constants.MAX_EVIDENCE_BYTES + 1)
    result = run_cli("evaluate", str(base), "--as-of", AS_OF)
    _refused(
        result,
        base,
        _line_of(base, "preuves/capture-lieu.png"),
        "fichier trop volumineux : « preuves/capture-lieu.png » (plus de 200 Mo)",
    )


def test_an_evidence_file_at_the_limit_is_accepted(base: Path) -> None:
    big = base.parent / "preuves" / "capture-lieu.png"
    with big.open("r+b") as handle:
        handle.truncate(constants.MAX_EVIDENCE_BYTES)
    assert evidence.check_evidence_path(base.parent, "preuves/capture-lieu.png") is None


def test_files_are_hashed_in_chunks_of_bounded_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(evidence, "HASH_CHUNK_BYTES", 1000)
    data = bytes(range(256)) * 20  # 5120 bytes: five full chunks and a short one
    path = tmp_path / "x.bin"
    path.write_bytes(data)
    digest = hashlib.sha256()
    chunks = list(evidence.read_chunks(path, digest))
    assert [len(c) for c in chunks] == [1000] * 5 + [120]
    assert b"".join(chunks) == data and digest.hexdigest() == hashlib.sha256(data).hexdigest()
    assert evidence.sha256_file(path) == (hashlib.sha256(data).hexdigest(), len(data))


_PEAK = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], capture_output=True, check=False)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def _peak_kib(*args: str) -> int:
    """Peak resident memory (KiB) of the command line run in a child process."""
    command = [sys.executable, "-c", _PEAK, sys.executable, "-m", "cens_eval", *args]
    env = dict(os.environ, CENS_EVAL_REFERENTIELS=str(REFERENTIELS))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    out = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    return int(out.stdout.split()[-1])


@pytest.mark.slow
def test_a_dossier_copies_a_big_evidence_file_in_constant_memory(tmp_path: Path) -> None:
    """A 120 MB preuve used to be read whole (twice its size at peak); now chunk by chunk."""
    small = _copy(BASE, tmp_path / "small") / "questionnaire.yaml"
    big = _copy(BASE, tmp_path / "big") / "questionnaire.yaml"
    with (big.parent / "preuves" / "capture-lieu.png").open("r+b") as handle:
        handle.truncate(120 * 1024 * 1024)
    args = ("--as-of", AS_OF, "--formats", "json", "-o")
    baseline = _peak_kib("evaluate", str(small), *args, str(tmp_path / "out-small"))
    peak = _peak_kib("evaluate", str(big), *args, str(tmp_path / "out-big"))
    copied = tmp_path / "out-big" / "questionnaire" / "preuves" / "capture-lieu.png"
    assert copied.stat().st_size == 120 * 1024 * 1024
    assert peak - baseline < 40 * 1024, (baseline, peak)
