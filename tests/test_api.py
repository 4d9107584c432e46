"""The Python helpers: the module's own examples run, and rows behave as documented."""

from __future__ import annotations

import doctest

from conftest import MINI_DATA, MINI_SOURCES

import actorgraph.api
from actorgraph import Graph


def test_docstring_examples_run(tmp_path):
    globs = {"tmp_home": tmp_path / "home", "mini_data": MINI_DATA, "mini_sources": MINI_SOURCES}
    result = doctest.testmod(actorgraph.api, extraglobs=globs, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 2 and result.failed == 0


def test_graph_helpers_return_plain_rows(tmp_path):
    with Graph.open(home=tmp_path) as g:
        counts = g.build(data=MINI_DATA, sources=MINI_SOURCES)
        assert counts["nodes"] == 14
        assert g.resolve("Мирзиёев") == "person:shavkat-mirziyoyev"
        rows = g.shared_memberships("Kazakhstan", "uzbekistan")
        assert {row["organization"] for row in rows} == {
            "Shanghai Cooperation Organisation",
            "Organization of Turkic States",
        }
        assert g.query("MATCH (c:Country) RETURN count(c) AS n") == [{"n": 2}]
        frame = g.leaders().to_df()
        assert list(frame["leader"]) == ["Kassym-Jomart Tokayev", "Shavkat Mirziyoyev"]
        assert "paths" in Graph.questions()
