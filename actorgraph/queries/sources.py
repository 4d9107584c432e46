"""The sources in a graph and what each contributes (`actorgraph sources`, `Graph.sources`)."""

from __future__ import annotations

from typing import Any

from actorgraph.graph.engine import Engine

#: Each query aggregates over the whole graph once (no per-source scan).
_SOURCES = "MATCH (s:Source) RETURN s.id AS id, s.name AS name, s.file AS file, s.language AS language"
_NODES = "MATCH (n) WHERE n.source IS NOT NULL AND NOT 'Source' IN labels(n) RETURN n.source AS source, count(n) AS n"
_RELATIONS = (
    "MATCH ()-[r]->() WHERE type(r) <> 'MENTIONED_IN' AND r.source IS NOT NULL RETURN r.source AS source, count(r) AS n"
)
_MENTIONED = "MATCH (n)-[r:MENTIONED_IN]->(s:Source) RETURN s.id AS source, count(r) AS n"
#: Relationships of each source whose from/type/to another source states too.
_CORROBORATED = (
    "MATCH (a)-[r]->(b) WHERE type(r) <> 'MENTIONED_IN' AND r.source IS NOT NULL "
    "WITH a, type(r) AS t, b, collect(DISTINCT r.source) AS sources WHERE size(sources) > 1 "
    "UNWIND sources AS source RETURN source, count(*) AS n"
)


def source_counts(graph: Engine) -> list[dict[str, Any]]:
    """One row per Source node: its id, name, file, language and counts, sorted by id."""
    counts = {}
    for column, cypher in (
        ("nodes", _NODES),
        ("relationships", _RELATIONS),
        ("mentioned", _MENTIONED),
        ("corroborated", _CORROBORATED),
    ):
        counts[column] = {row["source"]: row["n"] for row in graph.run(cypher)}
    rows = []
    for source in sorted(graph.run(_SOURCES), key=lambda row: row["id"]):
        rows.append(
            {
                "source": source["id"],
                "name": source["name"],
                "file": source["file"],
                "language": source["language"],
                **{column: found.get(source["id"], 0) for column, found in counts.items()},
            }
        )
    return rows
