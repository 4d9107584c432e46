"""Each node or link of the JSON export is the text `json.dumps(indent=1)` writes for it, whichever
way it is encoded (orjson, the json module's C encoder for plain records and lists, its Python
one for the rest), and a spool that keeps records as that text (`JSON_CODEC`) gives each record
back exactly."""

from __future__ import annotations

import json
import math
from enum import IntEnum

from hypothesis import given, settings
from hypothesis import strategies as st

from actorgraph.viz.nodelink_json import JSON_CODEC, item_text, record_bytes


class Level(IntEnum):
    HIGH = 3


def as_json_dump_writes(record: dict) -> str:
    """`record` as it appears in `json.dumps(..., indent=1)` of a node-link file (a node in "nodes")."""
    text = json.dumps({"nodes": [record]}, ensure_ascii=False, indent=1)
    return text[len('{\n "nodes": [\n  ') : -len("\n ]\n}")]


scalars = st.one_of(
    st.text(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
values = st.one_of(scalars, st.lists(scalars, max_size=4), st.lists(st.lists(scalars, max_size=2), max_size=2))
records = st.dictionaries(st.text(min_size=1, max_size=8), values, max_size=6)


@settings(max_examples=300)
@given(records)
def test_a_record_is_the_text_json_dump_writes(record):
    assert item_text(record) == as_json_dump_writes(record)
    assert record_bytes(record) == as_json_dump_writes(record).encode()


plain = st.one_of(st.text(), st.integers(min_value=-(2**65), max_value=2**65), st.booleans(), st.none())


@settings(max_examples=300)
@given(st.dictionaries(st.text(min_size=1, max_size=8), st.one_of(plain, st.lists(plain, max_size=4)), max_size=8))
def test_a_record_orjson_writes_is_the_text_json_dump_writes(record):
    """Records without floats or nested lists: orjson's, but for integers beyond 64 bits."""
    assert record_bytes(record) == as_json_dump_writes(record).encode()


def test_the_odd_values_too():
    odd = [
        {},
        {"id": "x", "labels": []},
        {"id": 1, "a": [1, 2.5, None, True, "line\nbreak \u2028 \x7f \x00"], "b": {"nested": [1]}, "c": [[1], []]},
        {"nan": math.nan, "inf": -math.inf, "zero": -0.0, "big": 10**30, "level": Level.HIGH, "levels": [Level.HIGH]},
        {'Zz "B" <&>': "\\", "кириллица": "текст"},
        {"lone": "\ud800", "in a list": ["\udfff"]},
        {"big": 2**64, "small": -(2**63) - 1, "u64": 2**64 - 1, "list": [2**64]},
        {"all": [""], "the": "\\u0000\n    ", "escapes": '\x00\x01\x1f"\\\b\f\t\r\u2028\u2029\ufeff\U0001f600'},
    ]
    for record in odd:
        assert item_text(record) == as_json_dump_writes(record)
        assert record_bytes(record) == as_json_dump_writes(record).encode("utf-8", "surrogatepass")


@settings(max_examples=300)
@given(records)
def test_the_json_spool_gives_each_record_back(record):
    again = JSON_CODEC.loads(JSON_CODEC.dumps(record))
    assert json.dumps(again, sort_keys=False) == json.dumps(record, sort_keys=False)  # NaN != NaN, its text is
    assert list(again) == list(record)
    assert JSON_CODEC.may_break_lines(JSON_CODEC.dumps(record)) or not any(
        "\n" in value or "\r" in value for value in record.values() if isinstance(value, str)
    )
