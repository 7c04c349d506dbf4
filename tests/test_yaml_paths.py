"""The one-pass YAML reading gives exactly what the careful node-by-node path gives.

Plain documents (no alias, tag or merge key) are built straight from the event stream; every
other document, and every error, takes the careful path. Both must agree on the data, and on
the problems reported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cens_eval.errors import LoadError
from cens_eval.loader.locate import packaged_referentiels_dir
from cens_eval.loader.yamlevents import build_plain
from cens_eval.loader.yamlsafe import _Loader, _parse_carefully, parse_yaml

REFERENTIELS = packaged_referentiels_dir()

ROOT = Path(__file__).parent.parent
SHIPPED = sorted(
    [*REFERENTIELS.glob("*.yaml"), *ROOT.glob("questionnaires/*/*.yaml")],
    key=lambda p: p.name,
)
TEST_FILES = sorted((ROOT / "tests" / "data").rglob("*.yaml"))


def _both(text: str) -> tuple[Any, Any]:
    """What each path makes of a text: the data, or the problems as text."""
    results = []
    for parse in (parse_yaml, _parse_carefully):
        try:
            results.append(("data", parse(text, "f.yaml").data))
        except LoadError as exc:
            results.append(("error", [str(p) for p in exc.problems]))
    return results[0], results[1]


def _plain(text: str) -> bool:
    loader = _Loader(text)
    try:
        return build_plain(loader)[0]
    finally:
        loader.dispose()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_files_take_the_one_pass_path_and_give_the_same_data(path: Path) -> None:
    text = path.read_text("utf-8")
    assert _plain(text)
    fast, careful = _both(text)
    assert fast == careful
    assert fast[0] == "data"


@pytest.mark.parametrize("path", TEST_FILES, ids=lambda p: str(p.relative_to(ROOT / "tests")))
def test_test_inputs_give_the_same_data_or_the_same_problems(path: Path) -> None:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        pytest.skip("not UTF-8: refused before parsing")
    fast, careful = _both(text)
    assert fast == careful


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("a: 1\nb: [x, 'y']\n", True),
        ("a: &x [1]\nb: *x\n", False),
        ("base: &b {k: 1}\nautre:\n  <<: *b\n", False),
        ("a: !!str 1\n", False),
        ("a: 1\na: 2\n", False),
        ("? [1, 2]\n: x\n", False),
        ("a: 1\n---\nb: 2\n", False),
        ("a: [1\n", False),
        ('"<<": 1\n', True),
    ],
)
def test_what_takes_the_careful_path(text: str, plain: bool) -> None:
    assert _plain(text) is plain
    fast, careful = _both(text)
    assert fast == careful


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(
        [
            "yes",
            "No",
            "on",
            "~",
            "null",
            "1_000",
            "0x1F",
            "0o17",
            "1:30",
            "2024-01-31",
            "=",
            "<<",
            ".inf",
            "-.5",
        ]
    ),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(st.text(max_size=10), st.integers(), st.booleans()), inner, max_size=4
        ),
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(documents, st.booleans(), st.sampled_from([None, '"', "'", "|"]))
def test_random_documents_give_the_same_data(data: Any, flow: bool, style: str | None) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, default_style=style, allow_unicode=True)
    fast, careful = _both(text)
    assert fast == careful


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.sampled_from(SHIPPED), st.integers(min_value=0), st.binary(min_size=1, max_size=4))
def test_damaged_files_give_the_same_data_or_the_same_problems(
    path: Path, at: int, junk: bytes
) -> None:
    raw = path.read_bytes()
    cut = at % len(raw)
    text = (raw[:cut] + junk + raw[cut:]).decode("utf-8", errors="replace")
    fast, careful = _both(text)
    assert fast == careful
