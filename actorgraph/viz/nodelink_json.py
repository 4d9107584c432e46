"""Node-link JSON written a record at a time, byte for byte as `json.dump(..., indent=1)` writes the whole dict.

`json.dump` with an indent runs the json module's Python encoder over the whole graph
held in memory; here the metadata goes first and then each node and link as it comes
out of a spool, its values encoded by the same functions the json module uses (C for
strings), so the file is the same bytes (tests compare the two). A spool made for the
JSON export (`JSON_CODEC`) already holds each record as this text: writing the file
is then copying it in order.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import IO, Any

import orjson

from actorgraph.graph.nodelink import metadata
from actorgraph.graph.spool import Codec, GraphRecords, Spool

#: How deep a node or link sits in the file (top object > "nodes" list > node), and its values one deeper.
ITEM_DEPTH = 2
_OPEN = "{\n" + " " * (ITEM_DEPTH + 1)
_BETWEEN = ",\n" + " " * (ITEM_DEPTH + 1)
_CLOSE = "\n" + " " * ITEM_DEPTH + "}"
#: Where the items of a list value start, and how it closes (its values are one deeper than the item's).
_LIST_INNER = "\n" + " " * (ITEM_DEPTH + 2)
_LIST_CLOSE = "\n" + " " * (ITEM_DEPTH + 1) + "]"


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


#: The json module's C encoder with `json.dumps(indent=1)`'s separators at `ITEM_DEPTH` and no indent of
#: its own: a record of plain values is then one call (links: 2.6 us instead of 3.1). None without C.
_FLAT = (
    c_make_encoder(None, None, encode_basestring, None, ": ", _BETWEEN, False, False, True) if c_make_encoder else None
)
#: The same for a list of plain values one level deeper (a node's labels and aliases).
_LIST = (
    c_make_encoder(None, None, encode_basestring, None, ": ", "," + _LIST_INNER, False, False, True)
    if c_make_encoder
    else None
)
#: Value types the C encoder writes as the indenting one does (exact types: not their subclasses).
_PLAIN = frozenset((str, int, float, bool, type(None)))
#: Property names whose encoded `"name": ` is kept (a bound: names are few, but a graph could have any number).
KEYS_KEPT = 10_000
_keys: dict[str, str] = {}


def item_text(item: dict[str, Any]) -> str:
    """A node or link as `json.dumps(indent=1)` writes it at `ITEM_DEPTH`."""
    if not item:
        return "{}"
    if _FLAT is not None and _PLAIN.issuperset(map(type, item.values())):
        return _OPEN + "".join(_FLAT(item, 0))[1:-1] + _CLOSE  # all its newlines are separators
    parts = []
    for key, value in item.items():
        name = _keys.get(key)
        if name is None:
            name = f"{encode_basestring(str(key))}: "
            if len(_keys) < KEYS_KEPT:
                _keys[key] = name
        kind = type(value)
        if kind is str:
            parts.append(name + encode_basestring(value))
        elif kind is int:
            parts.append(name + int.__repr__(value))
        elif kind is list and value and _LIST is not None and _PLAIN.issuperset(map(type, value)):
            parts.append(name + "[" + _LIST_INNER + "".join(_LIST(value, 0))[1:-1] + _LIST_CLOSE)
        else:
            parts.append(name + _value(value, ITEM_DEPTH + 1))
    return _OPEN + _BETWEEN.join(parts) + _CLOSE


#: Value types orjson writes as the json module does, byte for byte (its floats are not: `1e16` for `1e+16`).
_ORJSON_PLAIN = frozenset((str, int, bool, type(None)))


def record_bytes(record: dict[str, Any]) -> bytes:
    """`item_text(record)` in UTF-8 (lone surrogates passed through, as `json.loads` reads them back).

    Records of strings, integers, booleans and nulls, and lists of them (nearly all), are
    written by orjson, four times quicker: its escapes are the json module's for every
    character (checked over all of Unicode), and its `OPT_INDENT_2` layout differs from
    `indent=1` at `ITEM_DEPTH` only in how far each line is indented. Since a string never
    holds a raw line break, every newline in its output starts a line: a key's (2 spaces
    -> 3), a list item's (4 -> 4), a list's end (2 -> 3) or the record's end (0 -> 2).
    Floats, integers beyond 64 bits and lone surrogates go the json module's way.
    """
    types = set(map(type, record.values()))
    if record and _ORJSON_PLAIN.issuperset(types - {list}):
        lists = list in types
        if not lists or all(
            _ORJSON_PLAIN.issuperset(map(type, value)) for value in record.values() if type(value) is list
        ):
            try:
                text = orjson.dumps(record, option=orjson.OPT_INDENT_2)
            except orjson.JSONEncodeError:  # an integer beyond 64 bits, a lone surrogate
                pass
            else:
                if lists:
                    text = text.replace(b"\n    ", b"\n\0")  # a list's items: NUL is always escaped in strings
                text = text.replace(b"\n  ", b"\n   ")
                if lists:
                    text = text.replace(b"\n\0", b"\n    ")
                return text[:-1] + b"  }"
    return item_text(record).encode("utf-8", "surrogatepass")


#: A spool that keeps each record as the text the JSON export writes: `json.loads` gives the record
#: back exactly (floats are written as `repr` writes them, lists stay lists).
JSON_CODEC = Codec(
    dumps=record_bytes,
    loads=json.loads,
    may_break_lines=lambda blob: b"\\n" in blob or b"\\r" in blob,  # escaped: a line break is always written so
)


def _texts(records: GraphRecords, nodes: bool) -> Iterator[str]:
    """The nodes' (or links') texts in the file's order: as the spool holds them, or encoded now."""
    if isinstance(records, Spool) and records.codec is JSON_CODEC:
        blobs = records.node_blobs() if nodes else records.link_blobs()
        return (blob.decode("utf-8", "surrogatepass") for blob in blobs)
    return map(item_text, records.nodes() if nodes else records.links())


def write_node_link(records: GraphRecords, stream: IO[str], *, exported_at: str | None = None) -> None:
    """The graph as `nodelink.with_metadata` describes it, in `json.dump(indent=1)`'s layout, with a final newline."""
    tally = records.tally
    head = {
        "directed": True,
        "multigraph": True,
        "graph": metadata(tally.source_ids, tally.nodes, tally.links, exported_at),
    }
    stream.write(json.dumps(head, ensure_ascii=False, indent=1)[:-2])  # all but the closing "\n}"
    for name, texts in (("nodes", _texts(records, nodes=True)), ("links", _texts(records, nodes=False))):
        stream.write(f',\n "{name}": [')
        empty = True
        for text in texts:
            stream.write(("\n  " if empty else ",\n  ") + text)
            empty = False
        stream.write("]" if empty else "\n ]")
    stream.write("\n}\n")
