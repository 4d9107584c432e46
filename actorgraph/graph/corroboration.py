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

A load held in memory (YAML, or several data paths: the article and the standard data
sets) counts them before it writes (`with_counts`: a few arrays, no server work), so
the nodes are created with them. The server counts after a load of Cypher statements,
after an import by another tool (`schema --apply`) and, on a graph that has them, after
a write through `query --write`. A graph streamed from one JSON Lines path (built for
size) is not counted: asking the server took 34 s of a 1M-relationship build and
counting rows as they stream 80 s of a 10M one (bench/RESULTS.md), so `corroborated`
counts every fact there instead (`UNCOUNTED` in the registry), as it did before. The
values are bookkeeping, not data: node-link reads (`export`, `map`, `analyze`) and the
explorer leave them out.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from actorgraph.graph.writes import NodeWrite, RelWrite, Write

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


def store_corroboration(write: Callable[[str, dict[str, Any] | None], Any], *, fresh: bool = True) -> None:
    """Store both values through `write(cypher, params)`; `fresh`: the graph has none yet (a build's new graph)."""
    if not fresh:
        write(CLEAR_CYPHER, None)
    write(STORE_CYPHER, None)


#: A node with a stored `SINGLE`: every counted graph with facts has one.
_COUNTED = f"MATCH (a) WHERE a.{SINGLE} IS NOT NULL RETURN 1 AS counted LIMIT 1"
_FACT = f"{_FACTS} RETURN 1 AS fact LIMIT 1"


def has_counts(run: Callable[[str], list[Any]]) -> bool:
    """Whether a graph has the stored values (`run(cypher)` reads): a node with its list, at most one scan."""
    return bool(run(_COUNTED))


def uncounted(run: Callable[[str], list[Any]]) -> bool:
    """Whether a graph has facts and no stored values (streamed, built by an older version, or imported).

    `run(cypher)` reads. Asked only when `corroborated` answered nothing, so it costs nothing otherwise.
    """
    return bool(run(_FACT)) and not has_counts(run)


_TYPE_BITS, _NODE_BITS = 6, 29  # a fact's key: start (29 bits), end (29 bits), type (6 bits) in 64
_ALL_BIT = 1 << 31  # in a node's mask: a fact with one source over every modality; bits 0-30: modalities


class FactCounter:
    """Counts `SOURCES` and `SINGLE` of every node while a load's rows pass, in a few compact arrays.

    Per relationship (MENTIONED_IN aside) 13 bytes: its fact's key (start, end and type
    as small numbers), its source and its modality. At the end the keys are sorted
    (numpy): a fact with one relationship, nearly all of them, adds its modality to its
    start node's mask; the few with several are counted one by one, as the Cypher does.
    """

    def __init__(self) -> None:
        self._nodes: dict[str, int] = {}
        self._types: dict[str, int] = {}
        self._sources: dict[Any, int] = {None: 0}
        self._modalities: dict[str, int] = {}
        self._keys = array("Q")
        self._source_codes = array("I")
        self._modality_codes = array("B")

    def watch(self, rows: Iterable[Write]) -> Iterator[Write]:
        """Yield `rows` unchanged, counting each relationship on the way."""
        nodes, types, sources, modalities = self._nodes, self._types, self._sources, self._modalities
        add_key, add_source, add_modality = self._keys.append, self._source_codes.append, self._modality_codes.append
        for row in rows:
            if type(row) is RelWrite and row.type != "MENTIONED_IN":
                start = nodes.setdefault(row.source, len(nodes))
                end = nodes.setdefault(row.target, len(nodes))
                kind = types.setdefault(row.type, len(types))
                props = row.props
                source = props.get("source")
                modality = props.get("modality") or "stated"
                add_key((start << (_NODE_BITS + _TYPE_BITS)) | (end << _TYPE_BITS) | kind)
                add_source(sources.setdefault(source, len(sources)))
                add_modality(modalities.setdefault(modality, len(modalities)))
            yield row
        if len(nodes) >= 1 << _NODE_BITS or len(types) > 1 << _TYPE_BITS or len(modalities) > 31:
            raise ValueError("too many nodes, relationship types or modalities to count facts' sources")

    def node_values(self) -> Iterator[tuple[str, int | None, list[str]]]:
        """(node id, `SOURCES` or None, `SINGLE`) for every node that starts a fact, in no order.

        Sorting puts a fact's relationships side by side; a relationship is alone in its
        fact when it starts a run of equal keys and the next one starts another. Arrays
        are dropped as soon as they are used: at 10M relationships each is 10-80 MB.
        """
        import numpy as np

        if not self._keys:
            return
        keys = np.frombuffer(self._keys, dtype=np.uint64)
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        sources = np.frombuffer(self._source_codes, dtype=np.uint32)[order]
        modalities = np.frombuffer(self._modality_codes, dtype=np.uint8)[order]
        del order
        starts = (keys >> np.uint64(_NODE_BITS + _TYPE_BITS)).astype(np.uint32)
        first = np.ones(len(keys), dtype=bool)
        np.not_equal(keys[1:], keys[:-1], out=first[1:])
        del keys
        alone = first.copy()
        alone[:-1] &= first[1:]  # the next relationship starts another fact
        masks = np.zeros(len(self._nodes), dtype=np.uint32)
        stated = alone & (sources != 0)  # a fact of one relationship with a source: one source, in its modality
        bits = (np.uint32(1) << modalities[stated].astype(np.uint32)) | np.uint32(_ALL_BIT)
        np.bitwise_or.at(masks, starts[stated], bits)
        del stated, bits
        most = np.zeros(len(self._nodes), dtype=np.int32)
        several = np.flatnonzero(~alone)
        del alone
        bounds = [*np.flatnonzero(first[several]).tolist(), len(several)]
        for begin, stop in zip(bounds, bounds[1:], strict=False):
            rows = several[begin:stop]
            node = int(starts[rows[0]])
            per_modality: dict[int, set[int]] = {}
            for source, modality in zip(sources[rows].tolist(), modalities[rows].tolist(), strict=True):
                if source:
                    per_modality.setdefault(modality, set()).add(source)
            every = set().union(*per_modality.values())
            if len(every) == 1:
                masks[node] |= np.uint32(_ALL_BIT)
            most[node] = max(int(most[node]), len(every))
            for modality, found in per_modality.items():
                if len(found) == 1:
                    masks[node] |= np.uint32(1 << modality)
        has_facts = np.zeros(len(self._nodes), dtype=bool)
        has_facts[starts] = True
        del starts, sources, modalities, first, several
        names = sorted(self._modalities, key=self._modalities.__getitem__)
        lists: dict[int, list[str]] = {}  # a few masks recur: one list each
        ids = list(self._nodes)
        for node in np.flatnonzero(has_facts).tolist():
            mask = int(masks[node])
            single = lists.get(mask)
            if single is None:
                single = lists[mask] = [ALL] * bool(mask & _ALL_BIT) + [
                    name for code, name in enumerate(names) if mask >> code & 1
                ]
            count = int(most[node])
            yield ids[node], count if count >= 2 else None, single


def with_counts(rows: Sequence[Write]) -> Iterator[Write]:
    """`rows` (every node before the relationships that need it), each node that starts a fact with its two values.

    For a load held in memory: its relationships are counted first, so that the values
    go in with the nodes and no write is left to do after them.
    """
    counter = FactCounter()
    for _ in counter.watch(row for row in rows if type(row) is RelWrite):
        pass
    values = {node_id: (sources, single) for node_id, sources, single in counter.node_values()}
    for row in rows:
        counted = values.get(row.id) if type(row) is NodeWrite else None
        if counted is not None:
            row = NodeWrite(row.id, row.labels, {**row.props, SOURCES: counted[0], SINGLE: counted[1]})
            if counted[0] is None:
                del row.props[SOURCES]
        yield row
