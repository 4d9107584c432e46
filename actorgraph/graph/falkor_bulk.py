"""FalkorDB's binary bulk-insert format (`GRAPH.BULK`): how the embedded engine writes a load.

A load of a million relationships as `UNWIND ... CREATE` batches spends most of its
time building, sending and planning Cypher; `GRAPH.BULK` (the command behind
`falkordb-bulk-loader`) takes the entities as packed binary instead and creates them
directly. Its first call (`BEGIN`) must create the graph, which is what
`EmbeddedEngine.replace_graph_rows` does with an empty call before creating the indexes
and sending the data: the staging graph that replaces the live one at the end.

The format, as FalkorDB's `src/bulk_insert/bulk_insert.c` reads it: a call is
`GRAPH.BULK key [BEGIN] node_count edge_count node_tokens edge_tokens token...`; each
token is a header (labels joined by ':' or a relationship type, NUL-terminated; a
4-byte property count; the property names, NUL-terminated) followed by entities: for a
node its property values in header order, for a relationship two 8-byte node ids and
then its values. A value is one type byte and its payload (texts NUL-terminated,
numbers 8 bytes, lists an 8-byte length and their items). Nodes get ids in the order
the server creates them (tokens in order, node tokens before relationship tokens), so
ids are assigned when a call is packed, and relationships are packed after the nodes
of the same call.

While it packs the relationships it also counts each actor's degree (`actor_degrees`),
as `degrees.py` defines it, so that the build need not count them again in Cypher.
"""

from __future__ import annotations

import contextlib
import queue
import struct
import threading
from array import array
from collections.abc import Callable
from typing import Any

from actorgraph.graph import bookkeeping, schema
from actorgraph.graph.engine import EngineError, QueryError
from actorgraph.graph.writes import NodeWrite, RelWrite, Write

_NULL, _BOOL, _DOUBLE, _STRING, _LONG, _ARRAY = range(6)
_LONG_VALUE = struct.Struct("=Bq")
_DOUBLE_VALUE = struct.Struct("=Bd")
_ARRAY_HEAD = struct.Struct("=Bq")
_ENDS = struct.Struct("=QQ")
_COUNT = struct.Struct("=I")
_TRUE, _FALSE, _NONE = bytes((_BOOL, 1)), bytes((_BOOL, 0)), bytes((_NULL,))

#: A call is sent once it holds this many entities or bytes (each call blocks the server briefly).
FLUSH_ENTITIES = 50_000
FLUSH_BYTES = 32 << 20

#: Texts travel NUL-terminated here and as a C string in Cypher parameters: a NUL would cut them short.
NUL_MESSAGE = "the embedded engine cannot store text containing NUL characters (\\x00)"


def encode_values(values: Any) -> bytes:
    """Pack property values in the bulk format; refuse what FalkorDB would store wrongly."""
    parts = []
    for value in values:
        kind = type(value)
        if kind is str:
            if "\x00" in value:
                raise QueryError(NUL_MESSAGE)
            try:
                parts.append(b"\x03%b\x00" % value.encode())
            except UnicodeEncodeError as exc:
                raise EngineError(f"text {value[:40]!r} is not valid Unicode ({exc.reason})") from None
        elif kind is int:
            try:
                parts.append(_LONG_VALUE.pack(_LONG, value))
            except struct.error:
                raise EngineError(f"the whole number {value} is too large for the embedded engine") from None
        elif kind is bool:
            parts.append(_TRUE if value else _FALSE)
        elif kind is float:
            parts.append(_DOUBLE_VALUE.pack(_DOUBLE, value))
        elif kind is list or kind is tuple:
            parts.append(_ARRAY_HEAD.pack(_ARRAY, len(value)) + encode_values(value))
        elif value is None:
            parts.append(_NONE)
        else:
            raise EngineError(f"cannot store a {kind.__name__} value ({str(value)[:40]!r})")
    return b"".join(parts)


def _header(name: str, keys: tuple[str, ...]) -> bytes:
    for key in keys:
        if key not in schema.PROPERTIES and key not in bookkeeping.PROPERTIES:  # the allow-list, as for Cypher writes
            raise EngineError(f"unknown property {key!r}")
    return b"".join([name.encode() + b"\x00", _COUNT.pack(len(keys)), *(key.encode() + b"\x00" for key in keys)])


class BulkWriter:
    """Packs rows into `GRAPH.BULK` calls and sends them from a second thread.

    Packing (Python) and inserting (the server) overlap; at most two packed calls wait.
    `send(args)` runs one call; an error there is raised by the next `add` or `finish`.
    """

    def __init__(self, send: Callable[[list[Any]], Any]) -> None:
        self._send = send
        self._nodes: dict[tuple[tuple[str, ...], tuple[str, ...]], list[tuple[str, bytes]]] = {}
        self._relations: dict[tuple[str, tuple[str, ...]], list[tuple[str, str, bytes]]] = {}
        self._entities = 0
        self._bytes = 0
        self._ids: dict[str, int] = {}
        #: Per node id: its relationships so far, as degrees.py counts them (outgoing MENTIONED_IN left out).
        self._degrees = array("q")
        #: Per node id: 1 for actors (nodes labelled Actor), whose degrees are stored.
        self._actors = bytearray()
        self.nodes_written = 0
        self.relationships_written = 0
        self._calls: queue.Queue[list[Any] | None] = queue.Queue(maxsize=2)
        self._failure: list[BaseException] = []
        self._sender = threading.Thread(target=self._run_sender, name="actorgraph-bulk-sender", daemon=True)
        self._sender.start()

    def add(self, row: Write) -> None:
        """Queue one row; a relationship's end nodes must have been added before it."""
        props = row.props
        blob = encode_values(props.values())
        if type(row) is NodeWrite:
            self._nodes.setdefault((row.labels, tuple(props)), []).append((row.id, blob))
        elif type(row) is RelWrite:
            self._relations.setdefault((row.type, tuple(props)), []).append((row.source, row.target, blob))
        else:
            raise TypeError(f"not a row: {row!r}")
        self._entities += 1
        self._bytes += len(blob)
        if self._entities >= FLUSH_ENTITIES or self._bytes >= FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        """Pack what is queued into one call and hand it to the sender."""
        if self._failure:
            raise self._failure[0]
        if not self._entities:
            return
        node_tokens, edge_tokens = [], []
        node_count = edge_count = 0
        next_id = self.nodes_written
        for (labels, keys), entities in self._nodes.items():
            for label in labels:
                schema.check_label(label)
            kind = schema.kind_of(labels)
            ordered = ":".join([kind, *(label for label in labels if label != kind)])
            for node_id, _ in entities:
                self._ids[node_id] = next_id
                next_id += 1
            self._actors.extend((b"\x01" if "Actor" in (kind, *labels) else b"\x00") * len(entities))
            node_tokens.append(_header(ordered, keys) + b"".join(blob for _, blob in entities))
            node_count += len(entities)
        self._degrees.frombytes(bytes(self._degrees.itemsize * (next_id - len(self._degrees))))
        ids, degrees = self._ids, self._degrees
        for (rel_type, keys), entities in self._relations.items():
            schema.check_rel_type(rel_type)
            try:
                ends = [(ids[source], ids[target]) for source, target, _ in entities]
            except KeyError as exc:
                raise EngineError(f"a relationship refers to node {exc.args[0]!r}, which was not written") from None
            packed = [_ENDS.pack(*end) + blob for end, (_, _, blob) in zip(ends, entities, strict=True)]
            counts_start = rel_type != "MENTIONED_IN"  # an actor's outgoing MENTIONED_IN is not counted
            for start, end in ends:
                degrees[end] += 1
                if counts_start:
                    degrees[start] += 1
            edge_tokens.append(_header(rel_type, keys) + b"".join(packed))
            edge_count += len(entities)
        args = [node_count, edge_count, len(node_tokens), len(edge_tokens), *node_tokens, *edge_tokens]
        self.nodes_written += node_count
        self.relationships_written += edge_count
        self._nodes.clear()
        self._relations.clear()
        self._entities = self._bytes = 0
        self._hand_over(args)

    def actor_degrees(self) -> dict[int, int]:
        """Each actor's degree (node id -> relationships), actors without relationships left out: after `finish`."""
        actors = self._actors
        return {node: degree for node, degree in enumerate(self._degrees) if degree and actors[node]}

    def finish(self) -> None:
        """Send what is left and wait until the server has taken every call."""
        self.flush()
        self._hand_over(None)
        self._sender.join()
        if self._failure:
            raise self._failure[0]

    def abandon(self) -> None:
        """Stop sending (after an error elsewhere); calls already sent stay in the staging graph."""
        self._failure.append(EngineError("the load was abandoned"))
        while True:  # make room for the end marker by dropping calls not sent yet
            try:
                self._calls.put_nowait(None)
                break
            except queue.Full:
                with contextlib.suppress(queue.Empty):
                    self._calls.get_nowait()
        self._sender.join(timeout=30)

    def _hand_over(self, args: list[Any] | None) -> None:
        while True:
            if self._failure and args is not None:
                raise self._failure[0]
            try:
                self._calls.put(args, timeout=0.1)
                return
            except queue.Full:
                continue

    def _run_sender(self) -> None:
        while (args := self._calls.get()) is not None:
            if self._failure:
                continue
            try:
                self._send(args)
            except BaseException as exc:  # noqa: BLE001 - handed to the packing thread
                self._failure.append(exc)
