"""Node properties actorgraph stores for its own questions, not data: one list, and how to leave them out.

`degrees.py` keeps each actor's degree (`most_connected`), `corroboration.py` what
`corroborated` reads. Node-link reads (`export`, `map`, `analyze`) and the explorer's
node pages leave them out; a user's `analyze --write-back` figures
(`schema.ANALYTICS_PROPERTIES`) are data the user asked for, and stay.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from actorgraph.graph import corroboration, degrees

#: Every node property builds store that is not data.
PROPERTIES: tuple[str, ...] = (degrees.DEGREE_PROPERTY, *corroboration.PROPERTIES)

#: Every count a bulk load made, set on nodes found by internal id (embedded), one seek per node:
#: `$rows` of [id, degree, most sources, single-source modalities] (None: no such property).
SET_BY_ID = (
    "UNWIND $rows AS row WITH row, row[0] AS node MATCH (n) WHERE id(n) = node "
    f"SET n.{degrees.DEGREE_PROPERTY} = row[1], n.{corroboration.SOURCES} = row[2], n.{corroboration.SINGLE} = row[3]"
)


def counted_rows(
    actor_degrees: Mapping[int, int],
    facts: Iterable[tuple[str, int | None, list[str]]],
    internal_id: Callable[[str], int],
    batch: int = degrees.WRITE_BATCH,
) -> Iterator[list[list[Any]]]:
    """`SET_BY_ID` rows, `batch` at a time: every node that starts a fact, then actors that start none.

    `actor_degrees`: internal id -> degree (`BulkWriter.actor_degrees`); `facts`:
    `FactCounter.node_values()`, located by `internal_id(node id)`.
    """
    left = dict(actor_degrees)

    def rows() -> Iterator[list[Any]]:
        for node_id, sources, single in facts:
            node = internal_id(node_id)
            yield [node, left.pop(node, None), sources, single]
        for node, degree in left.items():
            yield [node, degree, None, None]

    found = rows()
    while chunk := list(itertools.islice(found, batch)):
        yield chunk


def without_bookkeeping(props: dict[str, Any]) -> dict[str, Any]:
    """`props` without the stored bookkeeping (it is not the node's data); `props` itself is changed and returned."""
    for name in PROPERTIES:
        props.pop(name, None)
    return props
