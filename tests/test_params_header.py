"""The embedded engine's fast parameter encoder: whatever it sends, FalkorDB reads back exactly.

`params_header` encodes parameters with the C JSON encoder; where that cannot be read
back the same (control characters, NaN, odd keys) it declines and the client's own
encoder is used. Both paths are checked against the real server.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actorgraph.graph import open_engine
from actorgraph.graph.falkor_wire import params_header
from actorgraph.graph.falkor_wire import plain as _plain

keys = st.from_regex(r"[a-z_][a-z0-9_]{0,10}", fullmatch=True)
scalars = (
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60)
    | st.integers(-(2**62), 2**62)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.booleans()
    | st.none()
)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4), max_leaves=12
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    opened = open_engine("embedded", home=tmp_path_factory.mktemp("home"))
    yield opened
    opened.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=values)
def test_every_value_reads_back_as_the_clients_own_encoding_does(engine, value):
    rows = engine.run("RETURN $v AS v", {"v": value})  # the fast header where it accepts the value
    by_client = _plain(engine._graph.ro_query("RETURN $v AS v", {"v": value}).result_set[0][0])
    assert rows == [{"v": by_client}]
    if not _has_float(value):  # the server prints doubles to 15 digits, whichever encoder sent them
        assert rows == [{"v": value}]


def _has_float(value) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, list):
        return any(map(_has_float, value))
    if isinstance(value, dict):
        return any(map(_has_float, value.values()))
    return False


def test_loader_batches_take_the_fast_path_and_odd_values_the_safe_one():
    batch = {"rows": [{"id": "person:a", "props": {"name": 'O\'Brien "x" `y` \\ // {a: 1}', "aliases": ["Қ", "🇰🇿"]}}]}
    assert params_header(batch) is not None
    for declined in ({"v": "bell\x07"}, {"v": float("nan")}, {"v": {"@type": 1}}, {"v": 'a": 1'}):
        assert params_header(declined) is None, declined


def test_values_the_fallback_encoder_cannot_send_are_named_before_sending():
    from actorgraph.graph.falkor_wire import unsendable

    assert unsendable({"ok": {"a": [1.5, "x", None]}, "n": 2**62}) is None
    assert "backtick" in unsendable({"m": {"a`b": 1}})
    assert "parameter x: inf is not a finite number" == unsendable({"x": [1, float("inf")]})
    assert "nan" in unsendable({"x": {"y": float("nan")}})
    assert "NUL" in unsendable({"s": ["a\x00b"]})
