"""Node-link JSON written a record at a time, byte for byte as `json.dump(..., indent=1)` writes the whole dict.

`json.dump` with an indent runs the json module's Python encoder over the whole graph
held in memory; here the metadata goes first and then each node and link as it comes
out of a spool, its values encoded by the same functions the json module uses (C for
strings), so the file is the same bytes (tests compare the two).
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import IO, Any

from actorgraph.graph.nodelink import metadata
from actorgraph.graph.spool import GraphRecords

#: How deep a node or link sits in the file (top object > "nodes" list > node), and its values one deeper.
ITEM_DEPTH = 2
_OPEN = "{\n" + " " * (ITEM_DEPTH + 1)
_BETWEEN = ",\n" + " " * (ITEM_DEPTH + 1)
_CLOSE = "\n" + " " * ITEM_DEPTH + "}"


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _value(value: Any, depth: int) -> str:
    """`value` as `json.dumps(indent=1)` writes it at `depth`."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, list) and all(isinstance(item, str | int | float) or item is None for item in value):
        if not value:
            return "[]"
        inner = "\n" + " " * (depth + 1)
        return "[" + inner + ("," + inner).join(_value(item, depth + 1) for item in value) + "\n" + " " * depth + "]"
    # anything else (nested lists, maps): the json module's own encoder, indented to its depth
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * depth)


def _item(item: dict[str, Any], keys: dict[str, str]) -> str:
    """A node or link at `ITEM_DEPTH`; `keys` caches each property name's encoded `"name": `."""
    if not item:
        return "{}"
    parts = []
    for key, value in item.items():
        name = keys.get(key)
        if name is None:
            name = keys[key] = f"{encode_basestring(str(key))}: "
        kind = type(value)
        if kind is str:
            parts.append(name + encode_basestring(value))
        elif kind is int:
            parts.append(name + int.__repr__(value))
        else:
            parts.append(name + _value(value, ITEM_DEPTH + 1))
    return _OPEN + _BETWEEN.join(parts) + _CLOSE


def write_node_link(records: GraphRecords, stream: IO[str], *, exported_at: str | None = None) -> None:
    """The graph as `nodelink.with_metadata` describes it, in `json.dump(indent=1)`'s layout, with a final newline."""
    tally = records.tally
    head = {
        "directed": True,
        "multigraph": True,
        "graph": metadata(tally.source_ids, tally.nodes, tally.links, exported_at),
    }
    stream.write(json.dumps(head, ensure_ascii=False, indent=1)[:-2])  # all but the closing "\n}"
    for name, items in (("nodes", records.nodes()), ("links", records.links())):
        stream.write(f',\n "{name}": [')
        empty, keys = True, {}
        for item in items:
            stream.write("\n  " if empty else ",\n  ")
            stream.write(_item(item, keys))
            empty = False
        stream.write("]" if empty else "\n ]")
    stream.write("\n}\n")
