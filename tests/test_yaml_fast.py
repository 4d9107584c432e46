"""The libyaml fast path (loaders/yaml_fast.py) reads every file exactly as ruamel does.

`read_file(path)` (fast path first) and `read_file(path, fast=False)` (ruamel only)
must return the same records and problems, with values of the same type (True is
not 1, 1.0 is not 1, a date is not a string), for the shipped data and fixtures,
every case of the bad-input corpus, and generated documents full of scalars that
YAML 1.1 and 1.2 read differently.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import TESTS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actorgraph.loaders import reader, yaml_fast

sys.path.insert(0, str(TESTS / "bad_input"))
from cases import case_names, materialise  # noqa: E402

REPO = TESTS.parent
NOISE_EXAMPLES = int(os.environ.get("YAML_FAST_NOISE_EXAMPLES", "400"))
SHIPPED = sorted((REPO / "data").rglob("*.y*ml")) + sorted((TESTS / "fixtures").rglob("*.y*ml"))


def typed(value: Any) -> Any:
    """A value with the type of every part spelled out, so True != 1 and 1.0 != 1 here."""
    if isinstance(value, dict):
        return ("dict", [(typed(key), typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [typed(item) for item in value])
    if isinstance(value, float) and value != value:
        return ("float", "nan")
    return (type(value).__name__, repr(value))


def outcome(path: Path, fast: bool) -> Any:
    """What read_file gives, types spelled out; a crash counts too (ruamel's `+_` raises IndexError)."""
    try:
        records, problems = reader.read_file(path, fast=fast)
    except Exception as exc:  # noqa: BLE001 - both paths must fail alike
        return ("raised", type(exc).__name__, str(exc))
    return (
        [(r.kind, r.file, r.line, typed(r.data), sorted(r.lines.items())) for r in records],
        [(p.file, p.line, p.field, p.message) for p in problems],
    )


def assert_same(path: Path) -> None:
    """Both paths give the same; where ruamel itself crashes, libyaml may read the file instead.

    (ruamel raises NotImplementedError on some comment layouts, IndexError on `+_`: its
    bugs, not messages to keep. When the fast path falls back, the crash is the same.)
    """
    fast, slow = outcome(path, fast=True), outcome(path, fast=False)
    if slow[0] == "raised" and fast[0] != "raised":
        return
    assert fast == slow, path.read_text(encoding="utf-8", errors="replace")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: str(path.relative_to(REPO)))
def test_shipped_files_read_the_same(path):
    assert_same(path)


def test_shipped_data_takes_the_fast_path():
    """Otherwise the tests above would compare ruamel with itself."""
    for path in sorted((REPO / "data").rglob("*.yaml")):
        assert yaml_fast.load(path.read_text(encoding="utf-8")) is not None, path


@pytest.mark.parametrize("name", case_names())
def test_bad_input_cases_read_the_same(name, tmp_path):
    folder = materialise(name, tmp_path) / "case"
    files = sorted(folder.rglob("*.y*ml"))
    for path in files:
        assert_same(path)


# Plain scalars that YAML 1.1 (PyYAML's default) and 1.2 (ruamel) read differently, and others.
TRICKY = [
    *"NO No no yes Yes YES on On ON off OFF y n Y N true True TRUE false False FALSE tRue".split(),
    *"010 0o10 0o8 0x1F 0X1F 0b101 1_000 1__0 1:20 190:20:30 -0 +5 +0 007 08 12e03 1e3 1.5e3 1. .5".split(),
    *".inf -.inf +.inf .Inf -.INF .nan .NaN .NAN inf nan ~ null Null NULL nULL = << 0.1 -1.5 1_0.5".split(),
    *"2024-01-05 2024-1-5 2024-01 2001-12-14t21:59:43.10-05:00 2001-12-14 2001-12-14T21:59:43Z".split(),
    *"12:30 12:30:00 1.0e+3 123456789012345678901234567890 -123 9223372036854775808".split(),
    "2001-12-14 21:59:43.10 -5",
    "+_",
    "Қазақстан",
    "a\n\ufeff",
    "a b: c",
    "x #not a comment",
    "",
    "'quoted'",
    '"NO"',
    "'010'",
    '"tab\\there \\u00e9 \\x41"',
    "'it''s'",
    "[a, NO, 1]",
    "{a: 1, b: [yes, no]}",
    "[]",
    "{}",
    "!!str 5",
    "!custom x",
    "&a 1",
    "*a",
    "[a, *a]",
]
KEYS = ["id", "name", "NO", "yes", "on", "y", "date", "'line'", '"quoted key"', "1", "true", "null", "<<", "~"]
BLOCKS = [
    "|\n{i}  first line\n{i}  second line\n",
    "|-\n{i}  kept\n\n{i}  trailing\n\n",
    "|+\n{i}  keep\n\n",
    ">\n{i}  folded\n{i}  text\n\n{i}  para\n{i}    more indented\n{i}  back\n",
    ">-\n{i}  folded NO yes 010\n",
    "|2\n{i}    indented\n",
    "\n{i}  plain continued\n{i}  over lines\n",
    '"double\n{i}  continued"\n',
]

scalar_text = st.one_of(
    st.sampled_from(TRICKY),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12).map(json.dumps),
    st.text(st.sampled_from("aZ09 -_.:#'\"é№{}[],!&*|>?%@`~"), min_size=1, max_size=8),
)


@st.composite
def document(draw: Any) -> str:
    """A data file: a top-level `source:`, `nodes:`/`relations:` lists of records, sometimes odd sections."""
    lines = []
    if draw(st.booleans()):
        lines.append(f"source: {draw(scalar_text)}")
    for section in draw(st.lists(st.sampled_from(["nodes", "relations", "candidates", "extra", "NO"]), max_size=3)):
        if draw(st.integers(0, 5)) == 0:
            lines.append(f"{section}: {draw(scalar_text)}")
            continue
        lines.append(f"{section}:")
        for _ in range(draw(st.integers(0, 3))):
            fields = draw(st.lists(st.sampled_from(KEYS), min_size=0, max_size=4))
            if draw(st.booleans()) and fields:
                body = ", ".join(f"{key}: {draw(scalar_text)}" for key in fields)
                lines.append(f"  - {{{body}}}")
                continue
            lines.append("  -" if not fields else f"  - {fields[0]}: {draw(scalar_text)}")
            for key in fields[1:]:
                if draw(st.integers(0, 3)) == 0:
                    lines.append(f"    {key}: " + draw(st.sampled_from(BLOCKS)).format(i="    ").rstrip("\n"))
                elif draw(st.integers(0, 5)) == 0:
                    lines.append(f"    {key}:")
                    lines += [f"      - {draw(scalar_text)}" for _ in range(draw(st.integers(0, 2)))]
                else:
                    lines.append(f"    {key}: {draw(scalar_text)}")
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    return newline.join(lines) + newline


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=document())
def test_generated_documents_read_the_same(text, tmp_path):
    path = tmp_path / "doc.yaml"
    path.write_text(text, encoding="utf-8", newline="")
    assert_same(path)


@settings(max_examples=NOISE_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.sampled_from(["", "source: ", "nodes:\n  - id: ", "nodes:\n  - id: x\n    name: ", "nodes:\n  "]),
    text=st.text(st.sampled_from("ab1 -:#'\"\n[]{},&*!|>?.~%@`\\Nnoe\t\ufeff\u00a0é+_"), max_size=40),
)
def test_yaml_shaped_noise_reads_the_same(start, text, tmp_path):
    """Arbitrary near-YAML: wherever libyaml and ruamel disagree about syntax, ruamel must decide."""
    path = tmp_path / "doc.yaml"
    path.write_text(start + text, encoding="utf-8", newline="")
    assert_same(path)


@pytest.mark.parametrize("scalar", [s for s in TRICKY if s and s[0] not in "[{!&*'\""])
def test_each_plain_scalar_is_ruamels_value(scalar, tmp_path):
    """One record per tricky plain scalar, and the fast path must take it (or refuse it for ruamel)."""
    text = f"nodes:\n  - value: {scalar}\n"
    path = tmp_path / "one.yaml"
    path.write_text(text, encoding="utf-8")
    assert_same(path)
    document = yaml_fast.load(text)
    if document is not None:
        value = document["nodes"][0]["value"]
        assert isinstance(value, (str, int, float, bool, type(None), datetime.date)), (scalar, value)


@pytest.mark.parametrize(
    "text",
    [
        "nodes:\n  - &a {id: x}\n",  # an anchor alone
        "nodes:\n  - {id: x, id: y}\n",  # a duplicate key
        "nodes:\n  - {<<: {id: x}}\n",  # a merge key
        "nodes:\n  - {? [a]: b}\n",  # a complex key
        "nodes:\n  - {1: b}\n",  # a key that is not a string
        "nodes:\n  - !!map {id: x}\n",  # an explicit tag
        "%YAML 1.1\n---\nnodes: [{id: NO}]\n",  # a directive
        "nodes: []\n---\nnodes: []\n",  # two documents
        "# only a comment\n",
        "nodes: " + "[" * 60 + "]" * 60 + "\n",  # deep nesting
        "nodes:\n  - id: x\n\tbad: y\n",
    ],
)
def test_unusual_documents_go_to_ruamel(text, tmp_path):
    assert yaml_fast.load(text) is None
    path = tmp_path / "odd.yaml"
    path.write_text(text, encoding="utf-8")
    assert_same(path)
