"""Each fact's number of sources and its place in `corroborated`'s order, stored on its relationships at build time.

`corroborated` lists facts (from / relation / to) by how many distinct sources state
them. Counting is a whole-graph aggregation: on the article + data sets graph (24k
stated relationships) FalkorDB took 40 ms just to read every relationship's type and
modality, and the query ran 90-120 ms (p50) on both engines against a 50 ms target
(bench/RESULTS.md). So both engines count once, when a graph is built, and after any
write that changes relationships or properties (the console's `--write`), and keep on
every stated relationship (every type but MENTIONED_IN):

* `SOURCES` / `RANK`: the number of distinct `source`s of its fact (every relationship
  from `a` to `b` of its type, whatever the modality) and that fact's 0-based place in
  `corroborated`'s order (sources descending, then from, relation, to, their ids);
* `MODALITY_SOURCES` / `MODALITY_RANK`: the same among the facts' relationships of its own
  modality (`-p modality=stated` etc. counts only those).

The engine that answers is the engine that sorted, so the order (of names with odd
characters, of missing values) is that engine's own. The query is then an index seek of
the first `limit` ranks per relationship type (both engines index both ranks per type,
as they index `line`). Ranks sort by count first, so the facts with at least
`min_sources` sources are a prefix of them: `rank < limit AND sources >= min_sources` is
exactly the plain query's first `limit` rows.

These four properties are bookkeeping, not data: node-link reads (`export`, `map`,
`analyze`) leave them out, as they leave out the stored degree (`degrees.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SOURCES = "actorgraph_sources"
RANK = "actorgraph_rank"
MODALITY_SOURCES = "actorgraph_modality_sources"
MODALITY_RANK = "actorgraph_modality_rank"
#: Every relationship property this module keeps (none is data).
PROPERTIES = (SOURCES, RANK, MODALITY_SOURCES, MODALITY_RANK)
#: The two ranks, indexed per relationship type on both engines.
INDEXED = (RANK, MODALITY_RANK)

#: `{group}` is the grouping beyond from/relation/to; `{sources}` and `{rank}` the properties set.
#: Facts are ordered as `corroborated` orders them, collected in that order (per modality
#: when grouped by it), and each fact's place in its list is its rank.
_STORE = """
MATCH (a)-[r]->(b)
WHERE type(r) <> 'MENTIONED_IN'
WITH a, type(r) AS relation, b{group}, count(DISTINCT r.source) AS sources, collect(r) AS rels
ORDER BY sources DESC, a.name, relation, b.name, a.id, b.id
WITH {by}collect({{sources: sources, rels: rels}}) AS facts
UNWIND range(0, size(facts) - 1) AS rank
{set_each}
"""
_SET = "WITH facts[rank] AS fact, rank UNWIND fact.rels AS r SET r.{sources} = fact.sources, r.{rank} = rank"
#: Neo4j above one transaction's size (a staged build): the SETs committed in batches.
_SET_BATCHED = "CALL (facts, rank) {{ " + _SET + " }} IN TRANSACTIONS OF {rows} ROWS"


def store_cypher(*, batched_rows: int = 0) -> list[str]:
    """The two writes that store every fact's counts and ranks (all modalities, then each modality apart).

    `batched_rows`: commit the SETs in transactions of that many facts (Neo4j only, in an
    auto-commit transaction); 0 sets everything in the query's own transaction.
    """
    statements = []
    for group, by, sources, rank in (
        ("", "", SOURCES, RANK),
        (", coalesce(r.modality, 'stated') AS modality", "modality, ", MODALITY_SOURCES, MODALITY_RANK),
    ):
        set_each = (_SET_BATCHED if batched_rows else _SET).format(sources=sources, rank=rank, rows=batched_rows)
        statements.append(_STORE.format(group=group, by=by, set_each=set_each))
    return statements


def store_corroboration(write: Callable[[str], Any], *, batched_rows: int = 0) -> None:
    """Count and rank every fact through `write(cypher)`; every stated relationship gets new values.

    Nothing needs clearing first: every stated relationship belongs to one fact and one
    modality, so each write overwrites all four properties of every one of them.
    """
    for cypher in store_cypher(batched_rows=batched_rows):
        write(cypher)


#: Stated relationships without stored counts (a graph built before they existed, or
#: loaded by another tool): `corroborated` must not answer "nothing" from such a graph.
UNCOUNTED = f"MATCH ()-[r]->() WHERE type(r) <> 'MENTIONED_IN' AND r.{RANK} IS NULL RETURN 1 AS uncounted LIMIT 1"
