"""Whole-graph reads on the embedded server, a range of node ids at a time, decoded lean.

Reading a 1M-relationship graph in one query made the server hold the whole answer
(1 GB) and the FalkorDB client turn every value into objects of its own: 100k
relationships with their properties took 0.8-1.3 s in the server and 22 s in the
client (bench/RESULTS.md). Here the same query runs once per range of node ids
(`WHERE id(n) >= $first AND id(n) < $stop` is a `NodeByIdSeek`, so each page costs its
own size: no SKIP, which FalkorDB pays for with every row before it), its reply is read
in FalkorDB's compact form through redis' parser (hiredis, in C, when installed) and
decoded here with a table of the few value types whole-graph reads return.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from actorgraph.graph.engine import Row

#: Node ids in the first page; later pages grow or shrink to hold about `PAGE_ROWS` rows.
PAGE_NODE_IDS = 100
#: Rows a page aims at: bigger pages cost the server and this process memory, smaller ones round trips.
PAGE_ROWS = 10_000

# FalkorDB's compact value types (see the falkordb client's ResultSetScalarTypes)
_NULL, _STRING, _INTEGER, _BOOLEAN, _DOUBLE, _ARRAY, _MAP = 1, 2, 3, 4, 5, 6, 10
#: Types whose compact value is already the Python value (the connection decodes strings).
_AS_IS = (_STRING, _INTEGER)


def value(cell: list[Any]) -> Any:
    """One compact `[type, value]` cell as the client would decode it (nodes and the rarer types through it)."""
    kind, raw = cell
    if kind == _STRING:
        return raw.decode() if isinstance(raw, bytes) else raw
    if kind == _INTEGER:
        return int(raw)
    if kind == _MAP:
        return {
            (raw[i].decode() if isinstance(raw[i], bytes) else raw[i]): value(raw[i + 1]) for i in range(0, len(raw), 2)
        }
    if kind == _ARRAY:
        return [value(item) for item in raw]
    if kind == _NULL:
        return None
    if kind == _DOUBLE:
        return float(raw)
    if kind == _BOOLEAN:
        return (raw.decode() if isinstance(raw, bytes) else raw) == "true"
    raise ValueError(f"a whole-graph read returned a value of FalkorDB type {kind}, which it does not decode")


def pages(
    query: Callable[[str, dict[str, Any]], list[Any]], cypher: str, params: dict[str, Any], last_id: int
) -> Iterator[Row]:
    """Rows of `cypher` (which limits its anchor to `$first <= id(n) < $stop`) for node ids 0..`last_id`.

    `query(cypher, params)` returns the raw compact reply: `[header, rows, statistics]`.
    Pages of relationships are as uneven as the nodes' degrees, so each page's width in
    node ids follows the rows the last one brought.
    """
    first, width = 0, PAGE_NODE_IDS
    while first <= last_id:
        reply = query(cypher, {**params, "first": first, "stop": first + width})
        first += width
        rows = reply[1] if len(reply) == 3 else []  # a reply without rows has no row section
        if rows:
            columns = [column[1].decode() if isinstance(column[1], bytes) else column[1] for column in reply[0]]
            for row in rows:
                yield dict(
                    zip(
                        columns,
                        [
                            cell[1] if cell[0] in _AS_IS and not isinstance(cell[1], bytes) else value(cell)
                            for cell in row
                        ],
                        strict=True,
                    )
                )
        # the next page as wide as this one's density says holds PAGE_ROWS, growing at most 4x a page
        width = max(1, min(width * 4, width * PAGE_ROWS // max(len(rows), 1)))
