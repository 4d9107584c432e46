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

from collections.abc import Callable, Iterable, Iterator
from typing import Any

SOURCES = "actorgraph_sources"
RANK = "actorgraph_rank"
MODALITY_SOURCES = "actorgraph_modality_sources"
MODALITY_RANK = "actorgraph_modality_rank"
#: Every relationship property this module keeps (none is data).
PROPERTIES = (SOURCES, RANK, MODALITY_SOURCES, MODALITY_RANK)
#: The two ranks, indexed per relationship type on both engines.
INDEXED = (RANK, MODALITY_RANK)

#: The facts of one of the two groupings: (extra grouping, properties for the count and the rank).
_GROUPINGS = (
    ("", SOURCES, RANK),
    (", coalesce(r.modality, 'stated') AS modality", MODALITY_SOURCES, MODALITY_RANK),
)
#: Every fact in `corroborated`'s order, with its relationships (`{rels}`: collected as what).
_FACTS = """
MATCH (a)-[r]->(b)
WHERE type(r) <> 'MENTIONED_IN'
WITH a, type(r) AS relation, b{group}, count(DISTINCT r.source) AS sources, collect({rels}) AS rels
ORDER BY sources DESC, a.name, relation, b.name, a.id, b.id
"""
#: In one query: facts collected in order (per modality when grouped by it); a fact's place in its list is its rank.
_STORE = """
WITH {by}collect({{sources: sources, rels: rels}}) AS facts
UNWIND range(0, size(facts) - 1) AS rank
WITH facts[rank] AS fact, rank
UNWIND fact.rels AS r
SET r.{sources} = fact.sources, r.{rank} = rank
"""
#: In batches (Neo4j): each fact's relationships found again by element id.
_SET_BY_ID = "UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row.id SET r.{sources} = row.sources, r.{rank} = row.rank"


def store_cypher() -> list[str]:
    """The two writes that store every fact's counts and ranks (all modalities, then each modality apart)."""
    return [
        _FACTS.format(group=group, rels="r") + _STORE.format(by="modality, " if group else "", sources=n, rank=rank)
        for group, n, rank in _GROUPINGS
    ]


def store_corroboration(write: Callable[[str], Any]) -> None:
    """Count and rank every fact through `write(cypher)`, in the transaction `write` runs in.

    Nothing needs clearing first: every stated relationship belongs to one fact and one
    modality, so each write overwrites all four properties of every one of them.
    """
    for cypher in store_cypher():
        write(cypher)


def batched_writes(read: Callable[[str], Iterable[dict[str, Any]]], rows: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """The same counts as writes of at most `rows` relationships each, on Neo4j (by element id).

    For a graph too large for one transaction (a staged build): `read(cypher)` returns the
    facts in order, with their relationships' element ids; the ranks are counted here.
    Done in one query with `CALL { } IN TRANSACTIONS`, Neo4j counted each batched row's
    share of the whole list of facts: over its 1.3 GiB of transaction memory for 24k
    relationships.
    """
    for group, sources, rank in _GROUPINGS:
        cypher = _SET_BY_ID.format(sources=sources, rank=rank)
        places: dict[Any, int] = {}
        batch: list[dict[str, Any]] = []
        returned = ", modality" if group else ""
        for fact in read(_FACTS.format(group=group, rels="elementId(r)") + f"RETURN sources, rels{returned}"):
            place = places.setdefault(fact.get("modality"), 0)
            places[fact.get("modality")] = place + 1
            batch += ({"id": rel, "sources": fact["sources"], "rank": place} for rel in fact["rels"])
            if len(batch) >= rows:
                yield cypher, {"rows": batch}
                batch = []
        if batch:
            yield cypher, {"rows": batch}


#: Stated relationships without stored counts (a graph built before they existed, or
#: loaded by another tool): `corroborated` must not answer "nothing" from such a graph.
UNCOUNTED = f"MATCH ()-[r]->() WHERE type(r) <> 'MENTIONED_IN' AND r.{RANK} IS NULL RETURN 1 AS uncounted LIMIT 1"
