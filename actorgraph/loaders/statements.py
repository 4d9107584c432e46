"""A validated data set as the rows a load writes (`graph/writes.py`), nodes first.

`dataset_statements` gives the same load as batched Cypher (what Neo4j runs), for
callers that want statements rather than rows.
"""

from __future__ import annotations

from collections.abc import Iterator

from actorgraph.graph.corroboration import with_counts
from actorgraph.graph.writes import (
    DEFAULT_BATCH_SIZE,
    NodeWrite,
    RelWrite,
    Statement,
    Write,
    node_statement,
    relation_statement,
    write_statements,
)
from actorgraph.loaders.dataset import Dataset

__all__ = ["DEFAULT_BATCH_SIZE", "dataset_statements", "dataset_writes", "node_statement", "relation_statement"]


def dataset_writes(dataset: Dataset) -> Iterator[Write]:
    """Every node of the data set, then every relationship; nodes carry what `corroborated` reads."""
    return with_counts(list(_plain_writes(dataset)))


def _plain_writes(dataset: Dataset) -> Iterator[Write]:
    """Every node of the data set, then every relationship (with its end nodes' kinds)."""
    for node in dataset.nodes:
        yield NodeWrite(node.id, node.labels, node.props)
    for rel in dataset.relations:
        yield RelWrite(
            rel.id,
            rel.type,
            rel.source,
            rel.target,
            dataset.kind_of(rel.source),
            dataset.kind_of(rel.target),
            rel.props,
        )


def dataset_statements(dataset: Dataset, batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Statement]:
    """Every statement that writes the data set: nodes first, then relationships."""
    return write_statements(dataset_writes(dataset), batch_size)
