"""Each actor's degree stored on the actor itself by the embedded engine, so `most_connected` is a sort.

Counting every actor's relationships is a whole-graph traversal: 0.46-0.83 s per
`most_connected` on a 100k-relationship graph read back from its snapshot, against a
50 ms target (bench/RESULTS.md). Neo4j keeps each node's degree in its node record and
answers `COUNT { (n)--() }` from there, so it needs nothing stored; FalkorDB has no such
shortcut, so the embedded engine counts once, when the graph is built, and keeps the
count in `DEGREE_PROPERTY` on each actor that has relationships.

What is counted: every relationship of the actor in either direction, parallel ones
each, `MENTIONED_IN` left out (it ends at a Source, and would make the article the
neighbour of everything); what `most_connected` has always counted. The count is of the
finished graph (after every source's rows, a node several sources describe being one
node), so it is right whatever the sources, and it is refreshed after any write that
adds or deletes relationships (`actorgraph query --write`).

How it is counted, two ways that count the same (tests/test_degrees.py compares them):

- a bulk load (`falkor_bulk.BulkWriter`) counts while it packs the relationships, and
  `store_degrees(write, counted=...)` only writes the counts, by batches of node ids
  (1.2 s for 1M relationships, where counting them in Cypher took 7 s);
- otherwise (a build from Cypher statements, a refresh after a write) Cypher counts,
  one range of node ids at a time (`for_node_ranges`): one query over the whole graph
  made the server hold a row per actor and every pending update at once (bench/RESULTS.md).

`DEGREE_PROPERTY` is bookkeeping, not data: node-link reads (`export`, `map`, `analyze`)
leave it out (`bookkeeping.py`), as `schema.ANALYTICS_PROPERTIES` are not (those a user asked for).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from actorgraph.graph.engine import Row

#: The node property holding an actor's stored degree (absent on actors without relationships).
DEGREE_PROPERTY = "actorgraph_degree"

#: Runs one write query with its parameters on the graph being counted and returns its rows.
Write = Callable[[str, dict[str, Any] | None], list[Row]]

#: Node ids a ranged query covers at once: its rows and pending updates are at most this many nodes'.
RANGE_NODE_IDS = 20_000
#: Counted degrees sent per query.
WRITE_BATCH = 5_000

#: Forget the stored degrees in a range (before counting again after a write: an actor may have lost all its relationships).
CLEAR_CYPHER = (
    f"MATCH (n:Actor) WHERE id(n) >= $first AND id(n) < $stop AND n.{DEGREE_PROPERTY} IS NOT NULL "
    f"SET n.{DEGREE_PROPERTY} = NULL"
)

#: Count and store in a range. Outgoing edges are traversed; incoming ones too, not read with indegree(),
#: which is 10-40x slower. An actor's incoming edges are never MENTIONED_IN.
STORE_CYPHER = f"""
CALL {{
  MATCH (n:Actor)-[r]->()
  WHERE id(n) >= $first AND id(n) < $stop AND type(r) <> 'MENTIONED_IN'
  RETURN n, count(r) AS relationships
  UNION ALL
  MATCH (n:Actor)<-[r]-()
  WHERE id(n) >= $first AND id(n) < $stop
  RETURN n, count(r) AS relationships
}}
WITH n, toInteger(sum(relationships)) AS relationships
SET n.{DEGREE_PROPERTY} = relationships
"""

#: Store degrees counted elsewhere: `$rows` of [node id, degree] (`WITH` first, so that the match is an id seek).
WRITE_CYPHER = (
    f"UNWIND $rows AS row WITH row[0] AS node, row[1] AS relationships "
    f"MATCH (n) WHERE id(n) = node SET n.{DEGREE_PROPERTY} = relationships"
)


def for_node_ranges(write: Write, cyphers: Iterable[str], width: int | None = None) -> None:
    """Run each of `cyphers` (a per-node write limited to `$first <= id(n) < $stop`) over every node id, a range at a time.

    The ranges are `width` node ids wide (`RANGE_NODE_IDS` when not given), so the
    server holds one range's rows and pending updates, never the whole graph's. The
    queries run range after range, all of them for a range before the next range.
    """
    cyphers = list(cyphers)
    last = write("MATCH (n) RETURN max(id(n)) AS last", None)[0]["last"]
    if last is None:
        return
    width = width or RANGE_NODE_IDS
    for first in range(0, int(last) + 1, width):
        for cypher in cyphers:
            write(cypher, {"first": first, "stop": first + width})


def store_degrees(write: Write, *, fresh: bool = True, counted: Mapping[int, int] | None = None) -> None:
    """Store every actor's degree through `write(cypher, params)`, which runs a write on the graph to count.

    `fresh`: the graph has no stored degrees yet (a build's new graph); otherwise the old
    ones are cleared first. `counted`: the degrees already counted by the load (actor
    node id -> degree, actors without relationships left out), written as they are.
    """
    if counted is not None:
        pairs = iter(counted.items())
        while batch := [[node, degree] for node, degree in itertools.islice(pairs, WRITE_BATCH)]:
            write(WRITE_CYPHER, {"rows": batch})
        return
    for_node_ranges(write, [STORE_CYPHER] if fresh else [CLEAR_CYPHER, STORE_CYPHER])
