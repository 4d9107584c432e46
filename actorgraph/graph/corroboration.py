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
sets) counts them before it writes (`with_counts`: a dict, no server work), so
the nodes are created with them. The server counts after a load of Cypher statements,
after an import by another tool (`schema --apply`) and, on a graph that has them, after
a write through `query --write`. A graph streamed from one JSON Lines path (built for
size) is not counted: asking the server took 34 s of a 1M-relationship build and
counting rows as they stream 80 s of a 10M one (bench/RESULTS.md), so `corroborated`
counts every fact there instead (its `{{^corroboration}}` form, which the registry runs
on a graph without the values), as it did before. The
values are bookkeeping, not data: node-link reads (`export`, `map`, `analyze`) and the
explorer leave them out.
"""

from __future__ import annotations

import re
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


def count_facts(relations: Iterable[RelWrite]) -> dict[str, tuple[int | None, list[str]]]:
    """Both values of every node that starts a fact: node id -> (`SOURCES` or None, `SINGLE`), as the Cypher counts.

    A fact's sources are counted per modality and over every modality (sources missing
    not counted). Nearly every fact has one relationship, kept as one (source, modality)
    pair; a dict of sets per modality is made only for a fact that has several.
    """
    facts: dict[tuple[str, str, str], Any] = {}
    for rel in relations:
        if rel.type == "MENTIONED_IN":
            continue
        key = (rel.source, rel.type, rel.target)
        said = (rel.props.get("source"), rel.props.get("modality") or "stated")
        before = facts.get(key)
        if before is None:
            facts[key] = said
            continue
        if type(before) is tuple:
            before = facts[key] = {before[1]: {before[0]}}
        before.setdefault(said[1], set()).add(said[0])
    counted: dict[str, list[Any]] = {}
    for (start, _, _), said in facts.items():
        per_modality = {said[1]: {said[0]}} if type(said) is tuple else said
        per_modality = {modality: found - {None} for modality, found in per_modality.items()}
        node = counted.setdefault(start, [0, set()])
        every = set().union(*per_modality.values())
        node[0] = max(node[0], len(every))
        node[1].update(modality for modality, found in per_modality.items() if len(found) == 1)
        if len(every) == 1:
            node[1].add(ALL)
    return {start: (most if most >= 2 else None, sorted(single)) for start, (most, single) in counted.items()}


def with_counts(rows: Sequence[Write]) -> Iterator[Write]:
    """`rows` (every node before the relationships that need it), each node that starts a fact with its two values.

    For a load held in memory: its relationships are counted first, so that the values
    go in with the nodes and no write is left to do after them.
    """
    values = count_facts(row for row in rows if type(row) is RelWrite)
    for row in rows:
        counted = values.get(row.id) if type(row) is NodeWrite else None
        if counted is not None:
            props = {**row.props, SINGLE: counted[1]}
            if counted[0] is not None:
                props[SOURCES] = counted[0]
            row = NodeWrite(row.id, row.labels, props)
        yield row
