"""`actorgraph query` is read-only unless --write, and the ENGINE enforces it.

The CLI does no keyword matching: writes spelled in lower case, split by comments or
odd spacing, or tucked inside FOREACH are still refused (FalkorDB GRAPH.RO_QUERY,
Neo4j read access mode), while a read whose string literal says CREATE runs. Every
refusal leaves the exported graph exactly as it was; with --write the write happens.
"""

from __future__ import annotations

import json

import pytest
from conftest import MINI_DATA, MINI_SOURCES, actorgraph, export_json

WRITES = [
    "CREATE (:Place {id: 'place:new', name: 'New'})",
    "cReAtE\n\t(:Place {id: 'place:new', name: 'New'})",
    "MATCH (n) WITH n LIMIT 1 CREATE/**/(:Place {id: 'place:new', name: 'New'})",
    "MERGE (:Place {id: 'place:new', name: 'New'})",
    "MATCH (n) SET n.note = 'x'",
    "MATCH (n) WITH n LIMIT 1 FOREACH (x IN [1] | SET n.note = 'x' + 'y')",
    "MATCH (n) DETACH DELETE n",
    "match (n)-[r]->() delete r",
    "MATCH (n) REMOVE n.name",
]
WRITING_PROCEDURES = {
    "embedded": "CALL db.idx.fulltext.createNodeIndex('Place', 'note')",
    "neo4j": "CALL db.createLabel('Intruder')",
}
NEW_PLACE = "MATCH (p:Place {id: 'place:new'}) RETURN count(p) AS n"


def build(engine_args: list[str]) -> list[str]:
    result = actorgraph("build", "--data", str(MINI_DATA), "--sources", str(MINI_SOURCES), "-q", *engine_args)
    assert result.returncode == 0, result.stderr
    return engine_args


@pytest.fixture(scope="module")
def _built_once() -> dict[str, tuple[list[str], list]]:
    return {}


def _counts(args: list[str]) -> list:
    """Node and relationship counts of the engine `args` select, read in this process (no CLI start)."""
    from actorgraph.graph import open_engine

    if args[1] == "embedded":
        return []  # a home of this module's own: nothing else writes there
    with open_engine("neo4j", uri=args[args.index("--neo4j-uri") + 1], password="") as engine:
        return engine.run("MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r")


@pytest.fixture
def built(engine_name: str, request: pytest.FixtureRequest, tmp_path_factory, _built_once) -> list[str]:
    """The mini data set, built once per engine for the tests that must leave it as it was.

    Each of them checks that it did (an export before and after, or a read), and the graph
    is built again if its counts changed in between (Neo4j's database is shared by the session).
    """
    if engine_name in _built_once:
        args, counts = _built_once[engine_name]
        if _counts(args) == counts:
            return args
    if engine_name == "embedded":
        args = build(["--engine", "embedded", "--home", str(tmp_path_factory.mktemp("readonly") / "home")])
    else:
        args = build(request.getfixturevalue("engine_cli_args"))  # a wiped database
    _built_once[engine_name] = (args, _counts(args))
    return args


def query(args: list[str], cypher: str, *extra: str):
    return actorgraph("query", cypher, "-f", "json", *extra, *args)


def test_writes_are_refused_by_the_engine(built, engine_name):
    before = export_json(*built)
    for cypher in [*WRITES, WRITING_PROCEDURES[engine_name]]:
        result = query(built, cypher)
        assert result.returncode == 1, (cypher, result.stdout)
        assert "read-only" in result.stderr, (cypher, result.stderr)
        assert "Traceback" not in result.stderr, cypher
    assert export_json(*built) == before


def test_the_word_create_in_a_string_literal_is_a_read(built):
    result = query(built, "RETURN 'CREATE (n) SET n.x = 1 DELETE n' AS text, $p AS p", "-p", "p=MERGE")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"text": "CREATE (n) SET n.x = 1 DELETE n", "p": "MERGE"}]


def test_with_write_the_write_happens(engine_cli_args):
    built = build(engine_cli_args)  # its own graph: this test changes it
    before = json.loads(query(built, "MATCH (n) RETURN count(n) AS n").stdout)[0]["n"]
    written = query(built, "cReAtE (:Place {id: 'place:new', name: 'New'})", "--write")
    assert written.returncode == 0, written.stderr
    assert json.loads(query(built, NEW_PLACE).stdout) == [{"n": 1}]
    assert json.loads(query(built, "MATCH (n) RETURN count(n) AS n").stdout) == [{"n": before + 1}]
