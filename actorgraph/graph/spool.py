"""A whole graph read once into a temporary file, then given back in node-link order, a record at a time.

Exports must be sorted (two exports of one graph are identical) and their headers need
facts about every value (a GraphML column's type, the CSV array delimiter, the parallel
relationships Gephi would merge). Holding a 1M-relationship graph as Python dicts for
that took 2.8 GB. Here each node and link is written to a spool file as it is read
(`marshal`: exact for every value type a property can have), the facts are tallied on
the way (`Tally`), and only each record's sort key and place in the file stay in memory:
the writers then read the records back in order. The read itself runs in
`Engine.read_consistent`, so every record comes from one graph; if a build swaps the
graph meanwhile, the spool is emptied and filled again.

`in_memory(data)` gives the same interface over a node-link dict already in memory (tests,
small graphs), so each writer has one code path.

A spool may keep its records in another form than marshal's (a `Codec`): the JSON export
keeps each as the text it writes (`nodelink_json.JSON_CODEC`), so that writing the file
is copying it in order, not decoding and encoding every record again.
"""

from __future__ import annotations

import marshal
import mmap
import os
import tempfile
from array import array
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from actorgraph.graph.engine import Engine
from actorgraph.graph.nodelink import link_record, node_record, read_records

#: Records read from the spool between two releases of the pages they were read from.
RELEASE_EVERY = 20_000
#: Array delimiters a CSV export may use, in order of preference (neo4j_csv.py).
ARRAY_DELIMITERS = (";", "|", "¦", "\x1f")


@dataclass(frozen=True)
class Codec:
    """How a spool writes a record as bytes and reads it back exactly."""

    dumps: Callable[[dict[str, Any]], bytes]
    loads: Callable[[bytes], dict[str, Any]]
    #: Whether a record's bytes say it may hold a line break (False: surely none), to spare a look at each text.
    may_break_lines: Callable[[bytes], bool]


#: `marshal`: exact for every value type a property can have, and quick both ways.
MARSHAL = Codec(marshal.dumps, marshal.loads, lambda blob: b"\n" in blob or b"\r" in blob)


def signature(value: Any) -> Any:
    """What decides which value types `value` fits: its type, and for a list the types of its items."""
    if isinstance(value, list):
        return (list, frozenset(map(type, value)))
    return type(value)


def link_sort_key(link: dict[str, Any]) -> tuple[str, str, str, str]:
    """Links are sorted by id, then end points and type (`nodelink.read_node_link`)."""
    return (str(link.get("id", "")), str(link["source"]), link["type"], str(link["target"]))


class Tally:
    """Facts about every node and link seen, for export headers: value types, delimiters, parallel links.

    `parallel=False` leaves out the links' end points and types (only GraphML and GEXF need
    them: about 100 MB for 1M links); `values=False` the value types, delimiters and line
    breaks (JSON needs none of them: 1.3 us a link), leaving the counts and Source ids.
    """

    def __init__(self, *, parallel: bool = True, values: bool = True) -> None:
        self.node_signatures: dict[str, set[Any]] = {}
        self.link_signatures: dict[str, set[Any]] = {}
        self.delimiters_used: set[str] = set()
        self.multiline = False
        self.source_ids: list[str] = []
        self.nodes = 0
        self.links = 0
        self.tracks_parallel = parallel
        self.tracks_values = values
        self.link_triples = array("q")  # a hash of each link's (source, target, type), in reading order
        self._shared: set[int] | None = None
        self._shapes: set[tuple[Any, ...]] = set()

    def add_node(self, node: dict[str, Any], *, may_break_lines: bool = True) -> None:
        """Count `node`; `may_break_lines=False` when it is known to hold no line break (saves a look at each text)."""
        self.nodes += 1
        if self.tracks_values:
            self._values(node, self.node_signatures, may_break_lines)
        if "Source" in node.get("labels", ()):
            self.source_ids.append(str(node["id"]))

    def add_link(self, link: dict[str, Any], *, may_break_lines: bool = True) -> None:
        self.links += 1
        if self.tracks_values:
            self._values(link, self.link_signatures, may_break_lines)
        if self.tracks_parallel:
            self.link_triples.append(hash((link["source"], link["target"], link["type"])))
            self._shared = None

    def _values(self, item: dict[str, Any], signatures: dict[str, set[Any]], may_break_lines: bool) -> None:
        types = tuple(map(type, item.values()))
        shape = (signatures is self.node_signatures, tuple(item), types)
        if shape not in self._shapes:  # records of one shape add the same scalar signatures
            self._shapes.add(shape)
            for key, value in item.items():
                if value is not None and type(value) is not list:
                    signatures.setdefault(key, set()).add(type(value))
        if list in types:
            for key, value in item.items():
                if type(value) is list:
                    signatures.setdefault(key, set()).add(signature(value))
                    self._list_texts("\0".join(map(str, value)))
        if may_break_lines and not self.multiline:
            self.multiline = any(type(value) is str and ("\n" in value or "\r" in value) for value in item.values())

    def _list_texts(self, joined: str) -> None:
        """Note the delimiters and line breaks in a list's items, `joined` by a character that is neither."""
        for delimiter in ARRAY_DELIMITERS:
            if delimiter in joined:
                self.delimiters_used.add(delimiter)
        if not self.multiline and ("\n" in joined or "\r" in joined):
            self.multiline = True

    def maybe_parallel(self, position: int) -> bool:
        """Whether the link read at `position` may share end points and type with another (a hash says)."""
        if self._shared is None:  # hashes that occur twice or more: found in a sorted copy, not a counter
            self._shared = {first for first, second in pairwise(sorted(self.link_triples)) if first == second}
        return self.link_triples[position] in self._shared


class Spool:
    """A graph's nodes and links in a temporary file; `nodes()` and `links()` give them back sorted."""

    def __init__(self, *, parallel: bool = True, values: bool = True, codec: Codec = MARSHAL) -> None:
        """`parallel` and `values`: what the tally keeps (`Tally`); `codec`: how the records are kept."""
        self.parallel_links = parallel
        self.value_facts = values
        self.codec = codec
        handle, self.path = tempfile.mkstemp(prefix="actorgraph-export-", suffix=".spool")
        self._file = os.fdopen(handle, "w+b")
        os.unlink(self.path)  # gone with the process, whatever happens
        self._map: mmap.mmap | None = None
        self.clear()

    def clear(self) -> None:
        """Forget everything read (a read that has to start again)."""
        self._close_map()
        self._file.seek(0)
        self._file.truncate()
        self.tally = Tally(parallel=self.parallel_links, values=self.value_facts)
        self._node_keys: list[str] = []
        self._node_at: tuple[array, array] = (array("q"), array("q"))  # start and length of each record
        self._link_keys: list[str] = []
        self._link_order: array | None = None
        self._link_at: tuple[array, array] = (array("q"), array("q"))
        self._size = 0
        self._reads = 0

    def _put(self, record: dict[str, Any], places: tuple[array, array]) -> bool:
        """Write `record`; whether it may hold a line break (`Codec.may_break_lines`), if the tally asks."""
        blob = self.codec.dumps(record)
        places[0].append(self._size)
        places[1].append(len(blob))
        self._file.write(blob)
        self._size += len(blob)
        return self.value_facts and self.codec.may_break_lines(blob)

    def add_node(self, node: dict[str, Any]) -> None:
        self.tally.add_node(node, may_break_lines=self._put(node, self._node_at))
        self._node_keys.append(str(node["id"]))

    def add_link(self, link: dict[str, Any]) -> None:
        self.tally.add_link(link, may_break_lines=self._put(link, self._link_at))
        self._link_keys.append(str(link.get("id", "")))

    def _record(self, places: tuple[array, array], position: int) -> dict[str, Any]:
        return self.codec.loads(self._blob(places, position))

    def _blob(self, places: tuple[array, array], position: int) -> bytes:
        if self._map is None:
            self._file.flush()
            self._map = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)
        self._reads += 1
        if self._reads % RELEASE_EVERY == 0:
            # pages read stay mapped and count as this process's memory (250 MB for 1M links):
            # let them go; the kernel keeps them cached, and a later read maps them again
            self._map.madvise(mmap.MADV_DONTNEED)
        start = places[0][position]
        return self._map[start : start + places[1][position]]

    def nodes(self) -> Iterator[dict[str, Any]]:
        """The nodes, sorted by id (as `read_node_link` sorts them)."""
        return map(self.codec.loads, self.node_blobs())

    def node_blobs(self) -> Iterator[bytes]:
        """The nodes as the codec wrote them, sorted by id."""
        order = sorted(range(len(self._node_keys)), key=self._node_keys.__getitem__)
        for position in order:
            yield self._blob(self._node_at, position)

    def link_order(self) -> array:
        """Positions of the links in `read_node_link`'s order: by id, ties by end points and type.

        Worked out once; the ids it sorts by are then let go (100 MB for 1M links).
        """
        if self._link_order is None:
            self._link_order = array("q", self._sort_links())
            self._link_keys = []
        return self._link_order

    def _sort_links(self) -> list[int]:
        keys = self._link_keys
        order = sorted(range(len(keys)), key=keys.__getitem__)
        start = 0
        while start < len(order):
            end = start + 1
            while end < len(order) and keys[order[end]] == keys[order[start]]:
                end += 1
            if end - start > 1:  # the same id (or none): the rest of the key decides
                order[start:end] = sorted(
                    order[start:end], key=lambda position: link_sort_key(self._record(self._link_at, position))
                )
            start = end
        return order

    def links(self) -> Iterator[dict[str, Any]]:
        """The links, sorted as `read_node_link` sorts them."""
        return map(self.codec.loads, self.link_blobs())

    def link_blobs(self) -> Iterator[bytes]:
        """The links as the codec wrote them, sorted as `links()`."""
        for position in self.link_order():
            yield self._blob(self._link_at, position)

    def parallel(self) -> set[tuple[Any, Any, str]]:
        """(source, target, type) of every group of links that share them (exactly, not by hash)."""
        counts: Counter[tuple[Any, Any, str]] = Counter()
        for position in range(len(self._link_at[0])):
            if not self.tally.tracks_parallel or self.tally.maybe_parallel(position):
                link = self._record(self._link_at, position)
                counts[(link["source"], link["target"], link["type"])] += 1
        return {triple for triple, count in counts.items() if count > 1}

    def _close_map(self) -> None:
        if self._map is not None:
            self._map.close()
            self._map = None

    def close(self) -> None:
        self._close_map()
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class InMemory:
    """A node-link dict in memory behind the `Spool` interface (its lists are already sorted)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.tally = Tally()
        for node in data["nodes"]:
            self.tally.add_node(node)
        for link in data["links"]:
            self.tally.add_link(link)

    def nodes(self) -> Iterator[dict[str, Any]]:
        return iter(self.data["nodes"])

    def links(self) -> Iterator[dict[str, Any]]:
        return iter(self.data["links"])

    def parallel(self) -> set[tuple[Any, Any, str]]:
        counts = Counter((link["source"], link["target"], link["type"]) for link in self.data["links"])
        return {triple for triple, count in counts.items() if count > 1}


GraphRecords = Spool | InMemory


def records_of(data: dict[str, Any] | GraphRecords) -> GraphRecords:
    """`data` as records to write: a spool as it is, a node-link dict wrapped."""
    return InMemory(data) if isinstance(data, dict) else data


def read_spool(engine: Engine, spool: Spool, *, progress: Callable[[int], None] | None = None) -> Spool:
    """Fill `spool` with the whole graph, all of it from one graph (`Engine.read_consistent`)."""
    report = progress or (lambda n: None)

    def work(reader: Engine) -> Spool:
        spool.clear()
        nodes, links = read_records(reader, report)
        for row in nodes:
            spool.add_node(node_record(row))
        for row in links:
            spool.add_link(link_record(row))
        return spool

    return engine.read_consistent(work)
