"""The bulk loader's fast path (`quick_record`, msgspec) agrees with the pydantic models.

Whenever the fast path accepts a line, the models must accept it too and store exactly
the same thing; what the fast path is unsure of goes to the models, which explain.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actorgraph.graph import schema
from actorgraph.loaders.reader import RawRecord
from actorgraph.loaders.records import NodeRecord, RelationRecord, parse, quick_record

NODE = {
    "kind": "node",
    "id": "person:ada",
    "labels": ["Researcher"],
    "name": "Ada",
    "source": "source:s",
    "line": 3,
    "evidence": "Ada said so",
}
RELATION = {
    "kind": "relation",
    "from": "person:ada",
    "type": "AFFILIATED_WITH",
    "to": "org:uni",
    "source": "source:s",
    "line": 4,
    "evidence": "works at the university",
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=2),
    max_leaves=6,
)
likely_values = st.sampled_from(
    [
        "",
        " ",
        "x",
        "2019",
        "2019-02",
        "2019-02-30",
        "2019-02-28",
        "1999-12-31",
        2019,
        999,
        0,
        -1,
        1.5,
        True,
        None,
        ["a", "b"],
        ["a", 1],
        [],
        "country:kazakhstan",
        "Not An Id",
        "word " * 13,
        "Researcher",
        ["Researcher", "Official"],
        ["Researcher", "Country"],
        ["Claim"],
        "supports",
    ]
)
keys = st.sampled_from(
    sorted(set(schema.PROPERTIES) | {"id", "labels", "name", "from", "to", "type", "key", "mentions", "kind", "bogus"})
)


@st.composite
def records(draw: st.DrawFn) -> dict:
    record = dict(draw(st.sampled_from([NODE, RELATION])))
    for _ in range(draw(st.integers(0, 4))):
        action = draw(st.sampled_from(["set", "set", "drop"]))
        key = draw(keys)
        if action == "drop":
            if key != "kind":
                record.pop(key, None)
        elif key != "kind":
            record[key] = draw(likely_values | json_values)
    return record


def agree(record: dict) -> bool | None:
    """True if the fast path accepted and matched the models; None if it passed the record on."""
    line = json.dumps(record).encode()
    quick = quick_record(line)
    data = {key: value for key, value in record.items() if key != "kind"}
    model, problems = parse(RawRecord(record["kind"], "f.jsonl", 1, data))
    if quick is None:
        return None
    assert not problems and model is not None, f"fast path accepted what the models refuse: {problems}"
    kind, ident, stored = quick
    assert kind == record["kind"]
    if isinstance(model, NodeRecord):
        assert ident == model.all_labels
    else:
        assert isinstance(model, RelationRecord)
        assert ident == (model.rel_id, model.type, model.from_, model.to)
    assert stored == model.stored()
    return True


@given(records())
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_fast_path_only_accepts_what_the_models_accept_and_stores_the_same(record):
    agree(record)


def test_the_fast_path_is_taken_for_ordinary_records():
    with_extras = {**NODE, "aliases": ["A. L."], "start": 1990, "end": "2001-05", "role": "expert"}
    claim = {**NODE, "id": "claim:c1", "labels": ["Claim"], "text": "t", "stance": "supports", "topic": "trade"}
    relation_with_key = {**RELATION, "key": "2", "date": "2019-03-01"}
    for record in (NODE, RELATION, with_extras, claim, relation_with_key):
        assert agree(record) is True, record


def test_the_fast_path_passes_doubtful_records_on():
    for change in (
        {"labels": "Researcher"},  # one label as text: valid, but the models' spelling
        {"line": True},
        {"evidence": "word " * 13},
        {"name": "  "},
        {"labels": ["Researcher", "Event"]},
        {"start": "2019", "end": "2018"},
        {"date": "2019-02-30"},
        {"mentions": [1]},
        {"bogus": 1},
    ):
        assert quick_record(json.dumps({**NODE, **change}).encode()) is None, change
    assert quick_record(json.dumps({**NODE, "labels": ["Claim"]}).encode()) is None  # text, stance, topic required
    assert quick_record(json.dumps({**RELATION, "type": "LIKES"}).encode()) is None
    assert quick_record(json.dumps({**RELATION, "from": "Ada"}).encode()) is None
    assert quick_record(b"{not json") is None
