"""Each node or link of the JSON export is the text `json.dumps(indent=1)` writes for it, whichever
way it is encoded (the C encoder for plain records and lists, the Python one for the rest), and a
spool that keeps records as that text (`JSON_CODEC`) gives each record back exactly."""

from __future__ import annotations

import json
import math
from enum import IntEnum

from hypothesis import given, settings
from hypothesis import strategies as st

from actorgraph.viz.nodelink_json import JSON_CODEC, item_text


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


def test_the_odd_values_too():
    odd = [
        {},
        {"id": "x", "labels": []},
        {"id": 1, "a": [1, 2.5, None, True, "line\nbreak \u2028 \x7f \x00"], "b": {"nested": [1]}, "c": [[1], []]},
        {"nan": math.nan, "inf": -math.inf, "zero": -0.0, "big": 10**30, "level": Level.HIGH, "levels": [Level.HIGH]},
        {'Zz "B" <&>': "\\", "кириллица": "текст"},
    ]
    for record in odd:
        assert item_text(record) == as_json_dump_writes(record)


@settings(max_examples=300)
@given(records)
def test_the_json_spool_gives_each_record_back(record):
    again = JSON_CODEC.loads(JSON_CODEC.dumps(record))
    assert json.dumps(again, sort_keys=False) == json.dumps(record, sort_keys=False)  # NaN != NaN, its text is
    assert list(again) == list(record)
    assert JSON_CODEC.may_break_lines(JSON_CODEC.dumps(record)) or not any(
        "\n" in value or "\r" in value for value in record.values() if isinstance(value, str)
    )
