"""What a load writes: validated node and relationship rows, and their batched Cypher form.

Loaders hand engines a stream of `NodeWrite` and `RelWrite` rows (every relationship
after both of its end nodes). Engines turn them into writes their own way: Neo4j runs
the batched `UNWIND $rows AS r CREATE/MERGE ...` statements below; the embedded engine
sends FalkorDB's binary bulk format instead (`falkor_bulk.py`).

Labels and relationship types are spliced into Cypher text only after the schema's
allow-list has accepted them; every value travels as a parameter. Rows are grouped so
that each statement has one shape (same labels, or same type and end kinds). Nodes are
CREATEd, relationships too: loads write into an empty graph and validation has refused
duplicate ids, so MERGE would find nothing, and it costs (on FalkorDB a MERGE batch ran
at 2,900 nodes/s against 52,000 with CREATE; a relationship MERGE looks through the
relationships its start node already has, which grows with hubs).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from actorgraph.graph import schema

#: One write: a Cypher statement and its parameters (values are always parameters).
Statement = tuple[str, dict[str, Any]]
DEFAULT_BATCH_SIZE = 2000


@dataclass(slots=True)
class NodeWrite:
    """A node to write: its id, all its labels (kind label included) and its properties (`id` among them)."""

    id: str
    labels: tuple[str, ...]
    props: dict[str, Any]


@dataclass(slots=True)
class RelWrite:
    """A relationship to write, between two nodes written before it; `props` includes its `id`."""

    id: str
    type: str
    source: str
    target: str
    source_kind: str
    target_kind: str
    props: dict[str, Any]


Write = NodeWrite | RelWrite


def node_statement(labels: tuple[str, ...]) -> str:
    """CREATE nodes carrying `labels` (all allow-listed; the kind label first) with their `id` and properties."""
    for label in labels:
        schema.check_label(label)
    kind = schema.kind_of(labels)
    ordered = [kind, *(label for label in labels if label != kind)]
    return f"UNWIND $rows AS r CREATE (n:{':'.join(ordered)} {{id: r.id}}) SET n += r.props"


def relation_statement(rel_type: str, source_kind: str, target_kind: str) -> str:
    """CREATE relationships of one type between nodes of two kinds, each with its `id` and properties."""
    schema.check_rel_type(rel_type)
    schema.check_label(source_kind)
    schema.check_label(target_kind)
    return (
        f"UNWIND $rows AS r MATCH (a:{source_kind} {{id: r.source}}) MATCH (b:{target_kind} {{id: r.target}}) "
        f"CREATE (a)-[x:{rel_type} {{id: r.id}}]->(b) SET x += r.props"
    )


def batches(rows: Iterable[Write], batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[list[NodeWrite] | list[RelWrite]]:
    """`rows` in batches of one shape, in an order that keeps every relationship after its nodes.

    Nodes are grouped by labels, relationships by type and end kinds. Before any
    relationship batch goes out, every node batch still waiting goes out, so the nodes a
    relationship refers to have always been written when it is.
    """
    nodes: dict[tuple[str, ...], list[NodeWrite]] = {}
    relations: dict[tuple[str, str, str], list[RelWrite]] = {}

    def flush_nodes() -> Iterator[list[NodeWrite]]:
        yield from nodes.values()
        nodes.clear()

    for row in rows:
        if isinstance(row, NodeWrite):
            node_batch = nodes.setdefault(row.labels, [])
            node_batch.append(row)
            if len(node_batch) >= batch_size:
                yield nodes.pop(row.labels)
            continue
        key = (row.type, row.source_kind, row.target_kind)
        relation_batch = relations.setdefault(key, [])
        relation_batch.append(row)
        if len(relation_batch) >= batch_size:
            yield from flush_nodes()
            yield relations.pop(key)
    yield from flush_nodes()
    yield from relations.values()


def write_statements(rows: Iterable[Write], batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Statement]:
    """Batched `UNWIND` statements that write `rows` (see `batches` for the order)."""
    for batch in batches(rows, batch_size):
        first = batch[0]
        if isinstance(first, NodeWrite):
            yield node_statement(first.labels), {"rows": [{"id": row.id, "props": row.props} for row in batch]}
        else:
            cypher = relation_statement(first.type, first.source_kind, first.target_kind)
            rows_out = [{"id": r.id, "source": r.source, "target": r.target, "props": r.props} for r in batch]
            yield cypher, {"rows": rows_out}
