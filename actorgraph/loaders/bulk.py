"""Streaming bulk loading from JSON Lines: one pass, and memory does not grow with the file.

One record per line, the same fields as a YAML record plus `"kind": "node"` or
`"kind": "relation"`. A single pass reads each line, validates it and hands the row to
the engine at once, so reading, checking and writing overlap. The checks are YAML's:
each record through `records.parse` (its fast decoder, `quick_record`, accepts only
what `parse` accepts), the records against each other through `rules.py`, with the
same messages. Engines write a load into a staging graph that replaces the live one
only at the end: when the pass finds a problem it stops handing rows over, keeps
checking, and then raises `DataError` with every problem, and the engine drops what it
had staged. Nothing half-written is ever visible.

What grows is what must: node ids with their labels and source (one shared tuple per
combination), and an 8-byte hash per relationship id (to refuse duplicates). A record
that refers to something not read yet (a relationship before its end nodes, a record
before its Source node) is remembered by its position in the file and handled after
the pass; so are the duplicates, whose first definitions are looked up again then.
Two sources defining one node id raise `SeveralSources`: `road.py` then reads the files
in memory, where such records are joined. MENTIONED_IN relationships are not derived
in bulk mode (they would need every mention of every node in memory).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import msgspec

from actorgraph.graph import schema
from actorgraph.graph.engine import Engine, ProgressCallback
from actorgraph.graph.writes import DEFAULT_BATCH_SIZE, NodeWrite, RelWrite, Write
from actorgraph.loaders.jsonline import decode_line, raw_record
from actorgraph.loaders.problems import DataError, Problem, display_path
from actorgraph.loaders.reader import data_files, links_outside
from actorgraph.loaders.records import JSON_SUSPECT_BYTES, NodeRecord, RelationRecord, parse, quick_record
from actorgraph.loaders.rules import (
    SourceText,
    allowed_ends,
    duplicate_node,
    duplicate_relation,
    relation_ends,
    source_text,
    unknown_source,
)

MAX_PROBLEMS = 1000
#: The longest line read (any 100,000-character record fits, as in YAML files); longer ones are skipped unread.
MAX_LINE_BYTES = 400_000
BULK_SUFFIXES = (".jsonl", ".ndjson")
PROGRESS_EVERY = 5000


def bulk_files(data: Path) -> list[Path]:
    """The JSON Lines files of a bulk data set (a file, or the files in a folder, as `reader.data_files` finds them)."""
    if not data.exists():
        return []
    return [path for path in data_files(data) if path.suffix in BULK_SUFFIXES]


def is_bulk(data: Path) -> bool:
    return bool(bulk_files(data))


def count_lines(data: Path) -> int:
    """Lines in a bulk data set (C-speed newline counting), for a progress bar's total."""
    total = 0
    for path in bulk_files(data):
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 22):
                total += chunk.count(b"\n")
    return total


@dataclass
class BulkIndex:
    """What a pass found: counts, the files read, and notes for the user."""

    nodes: int = 0
    relations: int = 0
    notes: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


class SeveralSources(Exception):
    """Two sources define one node id: merging them needs every record in memory (`dataset.py`)."""


class _Pass:
    """One validating pass over the files; `rows()` yields what to write while no problem is known.

    The rules are those of `rules.py`, as for YAML; what differs is the index. Each node
    id maps to one shared (labels, source, kind) tuple; a relationship leaves an 8-byte
    hash. Where a message needs more (the line a duplicate was first defined at, whether
    it has the same content), the files are read again after the pass, for those ids only.
    """

    def __init__(self, files: list[Path], sources: list[Path], progress: ProgressCallback | None) -> None:
        self.files = files
        self.names = [display_path(path) for path in files]
        self.sources = sources
        self.progress = progress
        self.index = BulkIndex(files=files)
        self.problems: list[Problem] = []
        self.nodes: dict[str, tuple[tuple[str, ...], str, str]] = {}  # id -> (labels, source, kind), shared
        self.shapes: dict[tuple[tuple[str, ...], str], tuple[tuple[str, ...], str, str]] = {}
        self.broken: set[str] = set()  # ids of nodes reported invalid: references to them are not problems too
        self.pending: set[str] = set()  # nodes read but not written yet (their Source came later)
        self.texts: dict[str, SourceText | None] = {}  # every Source read so far, and its text if at hand
        self.relation_hashes: set[int] = set()
        self.rules: dict[str, tuple[frozenset[str], frozenset[str], bool]] = {}  # `rules.allowed_ends` per type
        # duplicates seen: (file number, line, "node" or "relation", id); reported after the pass
        self.duplicates: list[tuple[int, int, str, str]] = []
        self.suspect = True  # whether the file being read may write a character the checks refuse
        # records put off until the end of the pass, per file: (byte offset, line number) pairs
        self.later_nodes: list[array] = [array("q") for _ in files]
        self.later_relations: list[array] = [array("q") for _ in files]

    @property
    def failing(self) -> bool:
        return bool(self.problems or self.duplicates)

    # ---------------------------------------------------------------- the pass
    def rows(self) -> Iterator[Write]:
        unreported = 0
        for number, path in enumerate(self.files):
            offset = 0
            self.suspect = contains(path, JSON_SUSPECT_BYTES)  # a fast search of the file, not one per line
            blank = True  # no line holds anything yet: a blank file is refused, as in memory
            with path.open("rb") as handle:
                for line_number, (raw_line, size) in enumerate(bounded_lines(handle), 1):
                    start, offset = offset, offset + size
                    if blank and (raw_line is None or raw_line.strip()):
                        blank = False
                    if raw_line is None:
                        message = f"line is {size:,} bytes long (limit {MAX_LINE_BYTES:,})"
                        self.problems.append(Problem(self.names[number], line_number, "file", message))
                        continue
                    if self.progress:
                        unreported += 1
                        if unreported == PROGRESS_EVERY:
                            self.progress(unreported)
                            unreported = 0
                    if len(self.problems) + len(self.duplicates) >= MAX_PROBLEMS:
                        break
                    row = self._record(number, line_number, raw_line, start, later=False)
                    if row is not None and not self.problems and not self.duplicates:
                        yield row
            if blank:
                self.problems.append(Problem(self.names[number], 1, "file", "the file is empty"))
        if self.progress and unreported:
            self.progress(unreported)
        for later in (self.later_nodes, self.later_relations):  # nodes first: relationships need them
            yield from self._put_off(later)
        self.index.notes = list(dict.fromkeys(self.index.notes))
        if self.duplicates:
            self.problems += self._duplicate_problems()
        if self.problems:
            raise DataError(self.problems)

    def _put_off(self, later: list[array]) -> Iterator[Write]:
        """The records put off during the pass, read again now that everything is known."""
        for number, path in enumerate(self.files):
            positions = later[number]
            if not positions:
                continue
            with path.open("rb") as handle:
                for at in range(0, len(positions), 2):
                    if len(self.problems) >= MAX_PROBLEMS:
                        return
                    handle.seek(positions[at])
                    row = self._record(number, positions[at + 1], handle.readline(), positions[at], later=True)
                    if row is not None and not self.failing:
                        yield row

    def _record(self, number: int, line: int, raw_line: bytes, offset: int, *, later: bool) -> Write | None:
        if not raw_line.strip():
            return None
        # records put off are read the slow way: if they are wrong, `parse` says how
        quick = None if later else quick_record(raw_line, self.nodes, suspect=self.suspect)
        if quick is not None:
            if quick[0] == "node":
                return self._node(number, line, offset, later, quick[1], quick[2])
            return self._relation(number, line, offset, later, quick[1], quick[2])
        record = self._parse(self.names[number], line, raw_line)
        if isinstance(record, NodeRecord):
            return self._node(number, line, offset, later, record.all_labels, record.stored())
        if isinstance(record, RelationRecord):
            ident = (record.rel_id, record.type, record.from_, record.to)
            return self._relation(number, line, offset, later, ident, record.stored())
        return None

    def _parse(self, name: str, line: int, raw_line: bytes) -> NodeRecord | RelationRecord | None:
        """A line the slow way, as YAML records are checked: every problem of the record is kept."""
        record, found = parse_line(name, line, raw_line)
        self.problems += found
        if record is None and found:
            broken = _node_id(raw_line)
            if broken is not None:
                self.broken.add(broken)
        return record

    # ---------------------------------------------------------------- nodes
    def _node(
        self, number: int, line: int, offset: int, later: bool, labels: tuple[str, ...], props: dict[str, Any]
    ) -> Write | None:
        name = self.names[number]
        node_id, source = props["id"], props["source"]
        if not later:
            first = self.nodes.get(node_id)
            if first is not None:
                if first[1] != source:
                    raise SeveralSources(node_id)
                self.duplicates.append((number, line, "node", node_id))
            else:
                shape = self.shapes.get((labels, source))
                if shape is None:
                    shape = self.shapes[(labels, source)] = (labels, source, schema.kind_of(labels))
                self.nodes[node_id] = shape
                self.index.nodes += 1
                if "Source" in labels:
                    self._add_source(node_id, props)
            if source not in self.texts:
                if first is None:
                    self.pending.add(node_id)
                self.later_nodes[number].extend((offset, line))
                return None
        else:
            self.pending.discard(node_id)
        if not self._provenance(props, name, line):
            return None
        return NodeWrite(node_id, labels, props)

    def _add_source(self, source_id: str, props: dict[str, Any]) -> None:
        self.texts[source_id], note = source_text(source_id, props, self.sources)
        if note:
            self.index.notes.append(note)

    # ---------------------------------------------------------------- relationships
    def _relation(
        self, number: int, line: int, offset: int, later: bool, ident: tuple[str, str, str, str], props: dict[str, Any]
    ) -> Write | None:
        name = self.names[number]
        rel_id, rel_type, start, end = ident
        if not later:
            digest = hash(rel_id)  # 64 bits, as likely to collide as any 8-byte digest, and computed in C
            if digest in self.relation_hashes:
                self.duplicates.append((number, line, "relation", rel_id))
            else:
                self.relation_hashes.add(digest)
                self.index.relations += 1
            nodes, pending = self.nodes, self.pending
            if (
                start not in nodes
                or end not in nodes
                or (pending and (start in pending or end in pending))
                or props["source"] not in self.texts
            ):
                self.later_relations[number].extend((offset, line))
                return None
        first, second = self.nodes.get(start), self.nodes.get(end)
        rule = self.rules.get(rel_type) or self.rules.setdefault(rel_type, allowed_ends(rel_type))
        ends_ok = (  # `rules.ends_allowed`, inlined: it runs once per relationship
            first is not None
            and second is not None
            and not rule[0].isdisjoint(first[0])
            and not rule[1].isdisjoint(second[0])
            and (rule[2] or start != end)
        )
        if not ends_ok:
            labels = (first[0] if first else None, second[0] if second else None)
            self.problems += relation_ends(name, line, rel_type, (start, end), labels, self.nodes, self.broken)
        if not self._provenance(props, name, line) or not ends_ok:
            return None
        return RelWrite(rel_id, rel_type, start, end, first[2], second[2], props)  # type: ignore[index]

    # ---------------------------------------------------------------- provenance
    def _provenance(self, props: dict[str, Any], name: str, line: int) -> bool:
        """The record's Source exists and (when its text is at hand) the evidence is on the cited line."""
        source = props["source"]
        if source not in self.texts:
            self.problems.append(unknown_source(name, line, source))
            return False
        text = self.texts[source]
        wrong = text.check(props["line"], props["evidence"]) if text is not None else None
        if wrong is not None:
            self.problems.append(Problem(name, line, *wrong))
            return False
        return True

    # ---------------------------------------------------------------- duplicates, after the pass
    def _duplicate_problems(self) -> list[Problem]:
        """The messages for the duplicates seen, as `rules.py` words them: the files are read again for them."""
        wanted = {(kind, ident) for _, _, kind, ident in self.duplicates}
        at_duplicates = {(number, line) for number, line, _, _ in self.duplicates}
        firsts: dict[tuple[str, str], tuple[int, int, bytes]] = {}
        lines_at: dict[tuple[int, int], bytes] = {}
        for number, path in enumerate(self.files):
            with path.open("rb") as handle:
                for line_number, (raw_line, _) in enumerate(bounded_lines(handle), 1):
                    if raw_line is None:
                        continue
                    if (number, line_number) in at_duplicates:
                        lines_at[(number, line_number)] = raw_line
                    key = _identity(raw_line)
                    if key in wanted and key not in firsts:
                        firsts[key] = (number, line_number, raw_line)
        problems = []
        for number, line, kind, ident in self.duplicates:
            first_number, first_line, first_raw = firsts.get((kind, ident), (number, line, b""))
            first_at = (self.names[first_number], first_line)
            if kind == "relation":
                record, _ = parse_line(self.names[number], line, lines_at[(number, line)])
                if (first_number, first_line) == (number, line) or not isinstance(record, RelationRecord):
                    # two ids with one 64-bit hash (about 1 in 10^7 for a million): string hashes
                    # differ between runs, so the next run will not meet it
                    message = "its id shares a 64-bit hash with an earlier one's; nothing was wrong: run it again"
                    problems.append(Problem(self.names[number], line, "key", message))
                    continue
                problems.append(
                    duplicate_relation(self.names[number], line, record.type, (record.from_, record.to), first_at)
                )
                continue
            first, _ = parse_line(self.names[first_number], first_line, first_raw)
            again, _ = parse_line(self.names[number], line, lines_at[(number, line)])
            same = (
                first is not None
                and again is not None
                and first.model_dump(by_alias=True) == again.model_dump(by_alias=True)
            )
            problems.append(duplicate_node(self.names[number], line, ident, first_at, same))
        return problems


def parse_line(name: str, line: int, raw_line: bytes) -> tuple[NodeRecord | RelationRecord | None, list[Problem]]:
    """One JSON line checked as a YAML record is (`records.parse`): the record, or all its problems."""
    raw, problems = raw_record(name, line, raw_line)
    return parse(raw) if raw is not None else (None, problems)


def _identity(raw_line: bytes) -> tuple[str, str] | None:
    """("node", id) or ("relation", relationship id) of a JSON line, or None when it has neither."""
    try:
        data = msgspec.json.decode(raw_line)
    except (msgspec.DecodeError, UnicodeDecodeError):  # NaN, a lone surrogate, a huge number: read slowly
        data, _ = decode_line(raw_line)
    if not isinstance(data, dict):
        return None
    if data.get("kind") == "node" and isinstance(data.get("id"), str):
        return "node", data["id"]
    if data.get("kind") == "relation":
        key = data.get("key")
        base = f"{data.get('from')}>{data.get('type')}>{data.get('to')}"
        return "relation", f"{base}#{key}" if key not in (None, "") else base
    return None


def _node_id(raw_line: bytes) -> str | None:
    found = _identity(raw_line)
    return found[1] if found and found[0] == "node" else None


def contains(path: Path, needles: tuple[bytes, ...], chunk: int = 1 << 22) -> bool:
    """Whether the file holds any of `needles` (single bytes: a memchr each, ~0.03 ns a byte)."""
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            if any(needle in block for needle in needles):
                return True
    return False


def bounded_lines(handle: BinaryIO, limit: int = MAX_LINE_BYTES) -> Iterator[tuple[bytes | None, int]]:
    """(line, its size in bytes) for each line; None for a line over `limit`, skipped without holding it."""
    while line := handle.readline(limit + 1):
        if len(line) <= limit or line.endswith(b"\n"):
            yield line, len(line)
            continue
        size = len(line)
        while chunk := handle.readline(1 << 20):  # the rest of the line, a megabyte at a time
            size += len(chunk)
            if chunk.endswith(b"\n"):
                break
        yield None, size


def _start(data: Path, sources: list[Path] | None, progress: ProgressCallback | None) -> _Pass:
    files = bulk_files(data)
    if not files:
        raise DataError([Problem(display_path(data), 0, "data", "no .jsonl files found here")])
    outside = links_outside(files, data)
    if outside:
        raise DataError(outside)
    return _Pass(files, sources or [], progress)


def validate_bulk(
    data: Path, sources: list[Path] | None = None, *, progress: ProgressCallback | None = None
) -> BulkIndex:
    """Check a bulk data set without writing anything; raise DataError listing every problem.

    `progress` hears about the lines read.
    """
    checking = _start(data, sources, progress)
    for _ in checking.rows():
        pass
    return checking.index


def build_bulk(
    engine: Engine,
    data: Path,
    sources: list[Path] | None = None,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: ProgressCallback | None = None,
) -> BulkIndex:
    """Replace the graph with a bulk data set in one streaming pass; raise DataError on problems.

    On problems (or any other failure) the engine keeps its previous graph.
    `progress` hears about the lines read.
    """
    loading = _start(data, sources, progress)
    engine.replace_graph_rows(loading.rows(), batch_size=batch_size)
    return loading.index
