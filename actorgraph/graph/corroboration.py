"""What `corroborated` needs to know of each node, stored on the node when the graph is built.

`corroborated` lists facts (from / relation / to) by how many distinct sources state
them, then by the names of their ends. Counting sources per fact at query time is a
whole-graph aggregation: 91-197 ms on the article + data sets graph (24k stated
relationships) against a 50 ms target (bench/RESULTS.md). Two small values per node
let the question visit only the nodes whose facts can be in its answer:

* `SOURCES`: the most distinct sources any one of the node's outgoing facts has
  (every modality counted), kept only when it is 2 or more. A fact that several
  sources state, in any modality, starts at such a node.
* `SINGLE`: the modalities in which the node starts a fact stated by one source
  only, plus `all` if it starts a fact with one source over every modality. Each node
  listing the asked modality adds at least one single-source fact to the answer, so
  the first `limit` of them by name (and every node of the same name as the last)
  hold the first `limit` single-source facts. Every node with outgoing facts has the
  list, empty if it has no such fact: a graph without them was not counted.

Both are written on the new graph before anyone reads it (embedded: on the staging
graph; Neo4j: in the load's transaction, or after a staged build's switch while readers
still wait), and again after any write through `query --write`. They are bookkeeping,
not data: node-link reads (`export`, `map`, `analyze`) and the explorer leave them out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

SOURCES = "actorgraph_sources"
SINGLE = "actorgraph_single"
#: Every node property this module keeps (none is data).
PROPERTIES = (SOURCES, SINGLE)
#: The value in `SINGLE` for a fact with one source over every modality (`-p modality=all`).
ALL = "all"

#: Per node `a` (grouped by `a`), from its outgoing facts' relationships `r` to `b`: both values.
#: A fact's sources per modality first, then over every modality (the union of those lists).
_COUNT_AND_SET = f"""
WITH a, type(r) AS relation, b, coalesce(r.modality, 'stated') AS modality, collect(DISTINCT r.source) AS sources
WITH a, relation, b, collect(CASE WHEN size(sources) = 1 THEN modality END) AS single, collect(sources) AS lists
WITH a, single, size(reduce(every = [], s IN lists | every + [x IN s WHERE NOT x IN every])) AS count
WITH a, max(count) AS most, collect(CASE WHEN count = 1 THEN '{ALL}' END) AS alls, collect(single) AS singles
SET a.{SOURCES} = CASE WHEN most >= 2 THEN most END,
    a.{SINGLE} = reduce(found = alls[0..1], s IN singles | found + [x IN s WHERE NOT x IN found])
"""
_FACTS = "MATCH (a)-[r]->(b) WHERE type(r) <> 'MENTIONED_IN'"

#: Count and store on the whole graph in one query (a fresh graph, or after CLEAR_CYPHER).
STORE_CYPHER = _FACTS + _COUNT_AND_SET
_UNSET = f"SET a.{SOURCES} = NULL, a.{SINGLE} = NULL"
#: Forget stored values (before counting again after a write: a node may have lost its facts).
CLEAR_CYPHER = f"MATCH (a) WHERE a.{SINGLE} IS NOT NULL {_UNSET}"


def batched_cypher(rows: int) -> tuple[str, str]:
    """CLEAR and STORE as writes of at most `rows` nodes a transaction (Neo4j auto-commit `IN TRANSACTIONS`)."""
    clear = f"MATCH (a) WHERE a.{SINGLE} IS NOT NULL CALL (a) {{ {_UNSET} }} IN TRANSACTIONS OF {rows} ROWS"
    store = f"MATCH (a) CALL (a) {{ {_FACTS} {_COUNT_AND_SET} }} IN TRANSACTIONS OF {rows} ROWS"
    return clear, store


#: A relationship in a query's text: `-[`, `]-`, `--`, `<-` or `->` (see `write_changes_counts`).
_RELATIONSHIP_PATTERN = re.compile(r"-\[|\]-|--|<-|->")


def write_changes_counts(cypher: str, *, relationships_changed: bool, properties_changed: bool) -> bool:
    """Whether a write (`query --write`) may have changed what is stored here, so it must be counted again.

    Creating or deleting relationships may; setting or removing properties may only if
    the query names a relationship (a fact's `source` or `modality`): a write without
    any relationship pattern in its text can bind no relationship (`analyze --write-back`
    sets node figures in batches, and counting again after each would cost a whole-graph pass).
    """
    return relationships_changed or (properties_changed and bool(_RELATIONSHIP_PATTERN.search(cypher)))


def store_corroboration(write: Callable[[str], Any], *, fresh: bool = True) -> None:
    """Store both values through `write(cypher)`; `fresh`: the graph has none yet (a build's new graph)."""
    if not fresh:
        write(CLEAR_CYPHER)
    write(STORE_CYPHER)


#: A node with a stored `SINGLE`: every counted graph with facts has one.
_COUNTED = f"MATCH (a) WHERE a.{SINGLE} IS NOT NULL RETURN 1 AS counted LIMIT 1"
_FACT = f"{_FACTS} RETURN 1 AS fact LIMIT 1"


def uncounted(run: Callable[[str], list[Any]]) -> bool:
    """Whether a graph has facts and no stored values (built by an older version, or loaded by another tool).

    `run(cypher)` reads. Asked only when `corroborated` answered nothing, so it costs nothing otherwise.
    """
    return bool(run(_FACT)) and not run(_COUNTED)
