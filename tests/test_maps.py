"""Maps without a browser: option checks, kinds drawn distinctly, labels cut, layout without overlaps."""

from __future__ import annotations

import pytest
from conftest import actorgraph

from actorgraph.graph import schema
from actorgraph.viz.layout import count_overlaps, layout, node_box
from actorgraph.viz.maps import COLOUR_BY, SIZE_BY, MapError, auto_title, build_map, select, short_label


def test_every_kind_has_its_own_colour_and_shape():
    pairs = [(spec.colour.lower(), spec.shape) for spec in schema.LABELS.values()]
    assert len(set(pairs)) == len(pairs)


@pytest.mark.parametrize(
    ("option", "value", "choices"), [("--colour-by", "comunity", COLOUR_BY), ("--size-by", "pagernk", SIZE_BY)]
)
def test_unknown_map_options_are_errors_naming_the_choices(tmp_path, option, value, choices):
    result = actorgraph("map", "-o", str(tmp_path / "m.html"), option, value)
    assert result.returncode == 2
    assert repr(value) in result.stderr and all(choice in result.stderr for choice in choices)
    assert "Traceback" not in result.stderr and not (tmp_path / "m.html").exists()
    with pytest.raises(MapError, match="choose one of"):
        build_map({"nodes": [], "links": []}, **{option[2:].replace("-", "_"): value})


def test_long_names_are_wrapped_and_cut():
    name = "Declaration on Allied Relations between the Republic of Kazakhstan and the Republic of Uzbekistan"
    label = short_label(name)
    lines = label.split("\n")
    assert len(lines) == 2 and all(len(line) <= 22 for line in lines) and label.endswith("…")
    assert short_label("Astana") == "Astana"
    assert len(short_label("x" * 80).replace("\n", "")) <= 44


def test_layout_leaves_no_estimated_overlap_and_pins_the_centre():
    ids = [f"n{i}" for i in range(60)]
    edges = [("n0", f"n{i}") for i in range(1, 60)] + [(f"n{i}", f"n{i + 1}") for i in range(1, 59)]
    boxes = {i: node_box(f"Some fairly long name {i}", "dot" if int(i[1:]) % 2 else "box", 12) for i in ids}
    positions = layout(ids, edges, boxes, centre="n0")
    assert positions["n0"] == (0.0, 0.0)
    assert count_overlaps(positions, boxes) == 0
    assert layout(ids, edges, boxes, centre="n0") == positions  # deterministic


GRAPH = {
    "nodes": [
        {"id": "country:a", "labels": ["Actor", "Country"], "name": "Aland"},
        {"id": "country:b", "labels": ["Actor", "Country"], "name": "Bland"},
        {"id": "org:c", "labels": ["Actor", "Organization"], "name": "Club"},
        {"id": "org:d", "labels": ["Actor", "Organization"], "name": "Only A's"},
        {"id": "agreement:e", "labels": ["Agreement"], "name": "Pact", "date": "2021-01-01"},
    ],
    "links": [
        {"source": "country:a", "target": "org:c", "type": "MEMBER_OF"},
        {"source": "country:b", "target": "org:c", "type": "MEMBER_OF"},
        {"source": "country:a", "target": "org:d", "type": "MEMBER_OF"},
        {"source": "country:a", "target": "agreement:e", "type": "PARTY_TO"},
        {"source": "country:b", "target": "agreement:e", "type": "PARTY_TO"},
    ],
}


def test_two_foci_keep_what_joins_them_and_the_title_says_so():
    shown = {node["id"] for node in select(GRAPH, focus=["Aland", "Bland"], hops=1)["nodes"]}
    assert shown == {"country:a", "country:b", "org:c", "agreement:e"}
    assert (
        auto_title(GRAPH, ["country:a", "country:b"], {"hops": 1}) == "Aland and Bland: what joins them within 1 step"
    )
    assert auto_title(GRAPH, ["country:a"], {"hops": 2}) == "Aland and everything within 2 steps"
    page = build_map(GRAPH, focus="Aland", hops=1, year_from=2020)
    assert "Aland and everything within 1 step (2020–…)" in page
    assert "Years: 2020 to any" in page
