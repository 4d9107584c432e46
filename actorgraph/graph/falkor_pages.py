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
from operator import itemgetter
from typing import Any

from actorgraph.graph.engine import Row

#: Node ids in the first page; later pages grow or shrink to hold about `PAGE_ROWS` rows.
PAGE_NODE_IDS = 100
#: Rows a page aims at: bigger pages cost the server and this process memory, smaller ones round trips.
PAGE_ROWS = 10_000

# FalkorDB's compact value types (see the falkordb client's ResultSetScalarTypes)
_NULL, _STRING, _INTEGER, _BOOLEAN, _DOUBLE, _ARRAY, _MAP = 1, 2, 3, 4, 5, 6, 10
#: Types whose compact value is already the Python value (the connection decodes strings;
#: hiredis leaves a string that is not UTF-8 as bytes).
_AS_IS = frozenset((_STRING, _INTEGER))
_kind, _raw = itemgetter(0), itemgetter(1)


def values(cells: list[list[Any]]) -> list[Any]:
    """The values of compact `[type, value]` cells (an array's items, a map's values): as they are
    when all are strings and integers (two passes in C), else each decoded on its own."""
    if _AS_IS.issuperset(map(_kind, cells)):
        return list(map(_raw, cells))
    return [raw if kind in _AS_IS else value((kind, raw)) for kind, raw in cells]


def value(cell: tuple[int, Any] | list[Any]) -> Any:
    """One compact `[type, value]` cell as the client would decode it."""
    kind, raw = cell
    if kind in _AS_IS:
        return raw
    if kind == _MAP:
        return dict(zip(raw[::2], values(raw[1::2]), strict=True))
    if kind == _ARRAY:
        return values(raw)
    if kind == _NULL:
        return None
    if kind == _DOUBLE:
        return float(raw)
    if kind == _BOOLEAN:
        return (raw.decode() if isinstance(raw, bytes) else raw) == "true"
    raise ValueError(f"a whole-graph read returned a value of FalkorDB type {kind}, which it does not decode")


def pages(
    send: Callable[[str, dict[str, Any]], None],
    receive: Callable[[], list[Any]],
    cypher: str,
    params: dict[str, Any],
    last_id: int,
) -> Iterator[Row]:
    """Rows of `cypher` (which limits its anchor to `$first <= id(n) < $stop`) for node ids 0..`last_id`.

    `send(cypher, params)` sends the query on a connection of its own and `receive()`
    returns its raw compact reply: `[header, rows, statistics]`. The next page is sent
    before this one is decoded, so the server reads it while this process decodes and
    writes (a page costs about as much CPU in each). Pages of relationships are as uneven
    as the nodes' degrees, so each page's width in node ids follows the rows the last
    one brought.
    """
    first, width = 0, PAGE_NODE_IDS
    send(cypher, {**params, "first": first, "stop": first + width})
    while True:
        reply = receive()
        first += width
        rows = reply[1] if len(reply) == 3 else []  # a reply without rows has no row section
        # the next page as wide as this one's density says holds PAGE_ROWS, growing at most 4x a page
        width = max(1, min(width * 4, width * PAGE_ROWS // max(len(rows), 1)))
        more = first <= last_id
        if more:
            send(cypher, {**params, "first": first, "stop": first + width})
        if rows:
            columns = [column[1] for column in reply[0]]
            for row in rows:
                cells = []  # `value` inlined for the common types: a call per cell costs more than its work
                for kind, raw in row:
                    if kind in _AS_IS:
                        cells.append(raw)
                    elif kind == _MAP:
                        items = raw[1::2]
                        if _AS_IS.issuperset(map(_kind, items)):
                            cells.append(dict(zip(raw[::2], map(_raw, items))))  # noqa: B905
                        else:
                            cells.append(dict(zip(raw[::2], values(items))))  # noqa: B905
                    elif kind == _ARRAY:
                        cells.append(values(raw))
                    else:
                        cells.append(value((kind, raw)))
                # no strict=: zip with a keyword argument is slower to call (0.2 us, twice a row); the server
                # sends as many cells as columns, and a map's keys and values in pairs
                yield dict(zip(columns, cells))  # noqa: B905
        if not more:
            return
