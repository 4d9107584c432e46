"""Each actor's degree stored on the actor itself by the embedded engine, so `most_connected` is a sort.

Counting every actor's relationships is a whole-graph traversal: 0.46-0.83 s per
`most_connected` on a 100k-relationship graph read back from its snapshot, against a
50 ms target (bench/RESULTS.md). Neo4j keeps each node's degree in its node record and
answers `COUNT { (n)--() }` from there, so it needs nothing stored; FalkorDB has no such
shortcut, so the embedded engine counts once, when the graph is built, and keeps the
count in `DEGREE_PROPERTY` on each actor that has relationships.

What is counted: every relationship of the actor in either direction, parallel ones
each, `MENTIONED_IN` left out (it ends at a Source, and would make the article the
neighbour of everything); what `most_connected` has always counted. The count runs on
the finished graph (after every source's rows, a node several sources describe being
one node), so it is right whatever the sources, and it is refreshed after any write that
adds or deletes relationships (`actorgraph query --write`).

`DEGREE_PROPERTY` is bookkeeping, not data: node-link reads (`export`, `map`, `analyze`)
leave it out (`bookkeeping.py`), as `schema.ANALYTICS_PROPERTIES` are not (those a user asked for).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: The node property holding an actor's stored degree (absent on actors without relationships).
DEGREE_PROPERTY = "actorgraph_degree"

#: Forget stored degrees (before counting again after a write: an actor may have lost all its relationships).
CLEAR_CYPHER = f"MATCH (n:Actor) WHERE n.{DEGREE_PROPERTY} IS NOT NULL SET n.{DEGREE_PROPERTY} = NULL"

#: Count and store. Outgoing edges are traversed; incoming ones too, not read with indegree(), which is
#: 20-40x slower on a graph loaded from a snapshot. An actor's incoming edges are never MENTIONED_IN.
STORE_CYPHER = f"""
CALL {{
  MATCH (n:Actor)-[r]->()
  WHERE type(r) <> 'MENTIONED_IN'
  RETURN n, count(r) AS relationships
  UNION ALL
  MATCH (n:Actor)<-[r]-()
  RETURN n, count(r) AS relationships
}}
WITH n, toInteger(sum(relationships)) AS relationships
SET n.{DEGREE_PROPERTY} = relationships
"""


def store_degrees(write: Callable[[str], Any], *, fresh: bool = True) -> None:
    """Store every actor's degree through `write(cypher)`, which runs a write on the graph to count.

    `fresh`: the graph has no stored degrees yet (a build's new graph); otherwise the old
    ones are cleared first.
    """
    if not fresh:
        write(CLEAR_CYPHER)
    write(STORE_CYPHER)
