"""Each fact's place in `corroborated`'s order, stored on its relationships when the graph is built.

`corroborated` lists facts (from / relation / to) by how many distinct sources state
them. Counting is a whole-graph aggregation: on the article + data sets graph (24k
stated relationships) FalkorDB took 40 ms just to read every relationship's type and
modality, and the query ran 90-120 ms (p50) on both engines against a 50 ms target
(bench/RESULTS.md). So both engines sort the facts once, when a graph is built, and
again after any write that changes relationships or properties (the console's
`--write`), and mark the first `RANKED` facts' relationships (every type but MENTIONED_IN):

* `RANK`: the fact's 0-based place in `corroborated`'s order (distinct sources
  descending, then from, relation, to, their ids), counting every relationship from
  `a` to `b` of its type whatever its modality (`-p modality=all`);
* `MODALITY_RANK`: its place among the facts of its own modality, counting only their
  relationships of that modality (`-p modality=stated` etc.).

`limit` is at most `RANKED`, so later facts need no rank. The question then seeks the
first `limit` ranks per relationship type (both engines index both per type, as they
index `line`) and counts those facts' sources from the relationships it found: every
relationship of a ranked fact (of its modality) carries the rank. Ranks sort by count
first, so the facts with at least `min_sources` sources come first, and keeping those of
the first `limit` ranks is exactly the plain query's first `limit` rows. The engine that
answers is the engine that sorted, so the order (of names with odd characters, of
missing values) is its own.

Both properties are bookkeeping, not data: node-link reads (`export`, `map`,
`analyze`) leave them out, as they leave out the stored degree (`degrees.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

RANK = "actorgraph_rank"
MODALITY_RANK = "actorgraph_modality_rank"
#: Every relationship property this module keeps (none is data); both are indexed per type.
PROPERTIES = (RANK, MODALITY_RANK)
#: Facts ranked in each order: the catalogue's largest `limit` (queries/registry.py, MAX_LIMIT).
RANKED = 10_000

#: The two orders: (extra grouping, property for the rank).
_ORDERS = (("", RANK), (", coalesce(r.modality, 'stated') AS modality", MODALITY_RANK))
#: Every fact in `corroborated`'s order, with its relationships (`{rels}`: collected as what).
_FACTS = """
MATCH (a)-[r]->(b)
WHERE type(r) <> 'MENTIONED_IN'
WITH a, type(r) AS relation, b{group}, count(DISTINCT r.source) AS sources, collect({rels}) AS rels
ORDER BY sources DESC, a.name, relation, b.name, a.id, b.id
"""
#: In one query: the first facts' relationships collected in order (per modality when grouped by it);
#: a fact's place in its list is its rank.
_STORE = """
WITH {by}collect(rels)[0..{ranked}] AS facts
UNWIND range(0, size(facts) - 1) AS rank
UNWIND facts[rank] AS r
SET r.{rank} = rank
"""
#: In batches (Neo4j): each fact's relationships found again by element id.
_SET_BY_ID = "UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row.id SET r.{rank} = row.rank"
#: Ranks of an earlier count: a fact may have left the first `RANKED`.
_CLEAR = "MATCH ()-[r]->() WHERE r.{rank} IS NOT NULL SET r.{rank} = NULL"


def store_cypher(*, fresh: bool = True) -> list[str]:
    """The writes that rank every fact (all modalities, then each modality apart); `fresh`: no ranks yet."""
    statements = [] if fresh else [_CLEAR.format(rank=rank) for _, rank in _ORDERS]
    for group, rank in _ORDERS:
        store = _STORE.format(by="modality, " if group else "", ranked=RANKED, rank=rank)
        statements.append(_FACTS.format(group=group, rels="r") + store)
    return statements


def store_ranks(write: Callable[[str], Any], *, fresh: bool = True) -> None:
    """Rank every fact through `write(cypher)`, in the transaction `write` runs in.

    `fresh`: the graph has no ranks yet (a build's new graph); otherwise they are cleared first.
    """
    for cypher in store_cypher(fresh=fresh):
        write(cypher)


def batched_writes(read: Callable[[str], Iterable[Any]], rows: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """The same ranks as writes of at most `rows` relationships each, on Neo4j (by element id), after a clear.

    For a graph too large for one transaction (a staged build): `read(cypher)` returns the
    facts in order, with their relationships' element ids; the ranks are counted here.
    """
    for _, rank in _ORDERS:
        yield _CLEAR.format(rank=rank), {}
    for group, rank in _ORDERS:
        cypher = _SET_BY_ID.format(rank=rank)
        places: dict[Any, int] = {}
        batch: list[dict[str, Any]] = []
        returned = ", modality" if group else ""
        for fact in read(_FACTS.format(group=group, rels="elementId(r)") + f"RETURN rels{returned}"):
            place = places.get(fact.get("modality"), 0)
            if place >= RANKED:
                continue
            places[fact.get("modality")] = place + 1
            batch += ({"id": rel, "rank": place} for rel in fact["rels"])
            if len(batch) >= rows:
                yield cypher, {"rows": batch}
                batch = []
        if batch:
            yield cypher, {"rows": batch}


#: A relationship with the first rank: every counted graph with stated relationships has one.
_FIRST = f"MATCH ()-[r]->() WHERE r.{RANK} = 0 RETURN 1 AS counted LIMIT 1"
_STATED = "MATCH ()-[r]->() WHERE type(r) <> 'MENTIONED_IN' RETURN 1 AS stated LIMIT 1"


def uncounted(run: Callable[[str], list[Any]]) -> bool:
    """Whether a graph has stated relationships and no ranks (built by an older version, or by another tool).

    `run(cypher)` reads. Two scans at worst: asked only when `corroborated` answered nothing.
    """
    return bool(run(_STATED)) and not run(_FIRST)
