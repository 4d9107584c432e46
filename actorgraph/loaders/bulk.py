"""Streaming bulk loading from JSON Lines: one pass, and memory does not grow with the file.

One record per line, the same fields as a YAML record plus `"kind": "node"` or
`"kind": "relation"`. A single pass reads each line, validates it (the same rules
and messages as YAML) and hands the row to the engine at once, so reading, checking
and writing overlap. Engines write a load into a staging graph that replaces the live
one only at the end: when the pass finds a problem it stops handing rows over, keeps
checking, and then raises `DataError` with every problem, and the engine drops what it
had staged. Nothing half-written is ever visible.

What grows is what must: node ids and kinds, and an 8-byte hash per relationship id
(to refuse duplicates). A record that refers to something not read yet (a
relationship before its end nodes, a record before its Source node) is remembered by
its position in the file and handled after the pass. MENTIONED_IN relationships are
not derived in bulk mode (they would need every mention of every node in memory).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from actorgraph.graph import schema
from actorgraph.graph.engine import Engine, ProgressCallback
from actorgraph.graph.writes import DEFAULT_BATCH_SIZE, NodeWrite, RelWrite, Write
from actorgraph.loaders.dataset import normalise
from actorgraph.loaders.jsonline import decode_line
from actorgraph.loaders.problems import DataError, Problem, display_path, source_not_found
from actorgraph.loaders.reader import RawRecord, links_outside
from actorgraph.loaders.records import JSON_SUSPECT_BYTES, NodeRecord, RelationRecord, parse, quick_record

MAX_PROBLEMS = 1000
#: The longest line read (any 100,000-character record fits, as in YAML files); longer ones are skipped unread.
MAX_LINE_BYTES = 400_000
BULK_SUFFIXES = (".jsonl", ".ndjson")
#: Evidence checks remembered (phrases repeat a lot in event data); cleared when full.
EVIDENCE_CACHE = 200_000
PROGRESS_EVERY = 5000


def bulk_files(data: Path) -> list[Path]:
    """The JSON Lines files of a bulk data set (a file, or the files in a folder)."""
    if data.is_file():
        return [data] if data.suffix in BULK_SUFFIXES else []
    return sorted(path for path in data.rglob("*") if path.suffix in BULK_SUFFIXES and path.is_file())


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


class _Pass:
    """One validating pass over the files; `rows()` yields what to write while no problem is known."""

    def __init__(self, files: list[Path], sources: list[Path], progress: ProgressCallback | None) -> None:
        self.files = files
        self.names = [display_path(path) for path in files]
        self.sources = sources
        self.progress = progress
        self.index = BulkIndex(files=files)
        self.problems: list[Problem] = []
        self.kinds: dict[str, str] = {}  # every valid node read so far
        self.pending: set[str] = set()  # nodes read but not written yet (their Source came later)
        self.source_files: dict[str, str] = {}
        self.texts: dict[str, list[str]] = {}  # normalised lines of each Source's text
        self.evidence_seen: dict[tuple[str, int, str], bool] = {}
        self.relation_hashes: set[int] = set()
        self.suspect = True  # whether the file being read may write a character the checks refuse
        self.rules: dict[str, tuple[frozenset[str], frozenset[str], bool]] = {}
        # records put off until the end of the pass, per file: (byte offset, line number) pairs
        self.later_nodes: list[array] = [array("q") for _ in files]
        self.later_relations: list[array] = [array("q") for _ in files]

    # ---------------------------------------------------------------- the pass
    def rows(self) -> Iterator[Write]:
        unreported = 0
        for number, path in enumerate(self.files):
            offset = 0
            self.suspect = contains(path, JSON_SUSPECT_BYTES)  # a fast search of the file, not one per line
            with path.open("rb") as handle:
                for line_number, (raw_line, size) in enumerate(bounded_lines(handle), 1):
                    start, offset = offset, offset + size
                    if raw_line is None:
                        message = f"line is {size:,} bytes long (limit {MAX_LINE_BYTES:,})"
                        self.problems.append(Problem(self.names[number], line_number, "file", message))
                        continue
                    if self.progress:
                        unreported += 1
                        if unreported == PROGRESS_EVERY:
                            self.progress(unreported)
                            unreported = 0
                    if len(self.problems) >= MAX_PROBLEMS:
                        break
                    row = self._record(number, line_number, raw_line, start, later=False)
                    if row is not None and not self.problems:
                        yield row
        if self.progress and unreported:
            self.progress(unreported)
        for later in (self.later_nodes, self.later_relations):  # nodes first: relationships need them
            yield from self._put_off(later)
        self._notes()
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
                    if row is not None and not self.problems:
                        yield row

    def _record(self, number: int, line: int, raw_line: bytes, offset: int, *, later: bool) -> Write | None:
        if not raw_line.strip():
            return None
        # records put off are read the slow way: if they are wrong, `parse` says how
        quick = None if later else quick_record(raw_line, self.kinds, suspect=self.suspect)
        if quick is not None:
            if quick[0] == "node":
                return self._node(number, line, offset, later, quick[1], quick[2])
            return self._relation(number, line, offset, later, quick[1], quick[2])
        name = self.names[number]
        data, problem = decode_line(raw_line)
        if problem is not None:
            self.problems.append(Problem(name, line, *problem))
            return None
        if not isinstance(data, dict) or data.get("kind") not in ("node", "relation"):
            self.problems.append(
                Problem(name, line, "kind", "each line must be an object with kind 'node' or 'relation'")
            )
            return None
        kind = data.pop("kind")
        record, found = parse(RawRecord(kind, name, line, data))
        self.problems += found
        if isinstance(record, NodeRecord):
            return self._node(number, line, offset, later, record.all_labels, record.stored())
        if isinstance(record, RelationRecord):
            ident = (record.rel_id, record.type, record.from_, record.to)
            return self._relation(number, line, offset, later, ident, record.stored())
        return None

    # ---------------------------------------------------------------- nodes
    def _node(
        self, number: int, line: int, offset: int, later: bool, labels: tuple[str, ...], props: dict[str, Any]
    ) -> Write | None:
        name = self.names[number]
        node_id = props["id"]
        if not later:
            if node_id in self.kinds:
                self.problems.append(Problem(name, line, "id", f"duplicate id {node_id!r}"))
                return None
            self.kinds[node_id] = schema.kind_of(labels)
            self.index.nodes += 1
            if "Source" in labels:
                self._add_source(node_id, str(props.get("file") or ""))
            if props["source"] not in self.source_files:
                self.pending.add(node_id)
                self.later_nodes[number].extend((offset, line))
                return None
        else:
            self.pending.discard(node_id)
        if not self._provenance(props, name, line):
            return None
        return NodeWrite(node_id, labels, props)

    def _add_source(self, source_id: str, file_name: str) -> None:
        self.source_files[source_id] = file_name
        found = next(
            (folder / file_name for folder in self.sources if file_name and (folder / file_name).is_file()), None
        )
        if found is None:
            self.index.notes.append(source_not_found(file_name or source_id, self.sources))
        else:
            text = found.read_text(encoding="utf-8", errors="replace")
            self.texts[source_id] = [normalise(text_line) for text_line in text.splitlines()]

    # ---------------------------------------------------------------- relationships
    def _relation(
        self, number: int, line: int, offset: int, later: bool, ident: tuple[str, str, str, str], props: dict[str, Any]
    ) -> Write | None:
        name = self.names[number]
        rel_id, rel_type, start, end = ident
        if not later:
            digest = hash(rel_id)  # 64 bits, as likely to collide as any 8-byte digest, and computed in C
            if digest in self.relation_hashes:
                self.problems.append(
                    Problem(
                        name,
                        line,
                        "key",
                        f"the same {rel_type} from {start!r} to {end!r} appears twice; give each a distinct `key`",
                    )
                )
                return None
            self.relation_hashes.add(digest)
            self.index.relations += 1
            kinds, pending = self.kinds, self.pending
            if (
                start not in kinds
                or end not in kinds
                or (pending and (start in pending or end in pending))
                or props["source"] not in self.source_files
            ):
                self.later_relations[number].extend((offset, line))
                return None
        start_kind, end_kind = self.kinds.get(start), self.kinds.get(end)
        rule = self.rules.get(rel_type) or self._rule(rel_type)
        ends_ok = (start_kind in rule[0] and end_kind in rule[1] and (rule[2] or start != end)) or self._ends(
            rel_type, start, end, name, line
        )
        if not self._provenance(props, name, line) or not ends_ok:
            return None
        return RelWrite(rel_id, rel_type, start, end, start_kind, end_kind, props)

    def _rule(self, rel_type: str) -> tuple[frozenset[str], frozenset[str], bool]:
        """The node kinds a relationship type may start and end at, and whether it may join a node to itself."""
        spec = schema.RELATIONSHIPS[rel_type]

        def kinds(allowed: tuple[str, ...]) -> frozenset[str]:
            return frozenset(allowed) | {schema.LABELS[label].kind for label in allowed}

        self.rules[rel_type] = (kinds(spec.sources), kinds(spec.targets), spec.allow_self)
        return self.rules[rel_type]

    def _ends(self, rel_type: str, start: str, end: str, name: str, line: int) -> bool:
        """Both end nodes exist and the schema allows this type between their kinds."""
        spec = schema.RELATIONSHIPS[rel_type]
        ok = True
        for which, node_id, allowed in (("from", start, spec.sources), ("to", end, spec.targets)):
            node_kind = self.kinds.get(node_id)
            if node_kind is None:
                self.problems.append(Problem(name, line, which, f"no node has id {node_id!r}"))
                ok = False
            elif node_kind not in allowed and not any(schema.LABELS[label].kind == node_kind for label in allowed):
                verb = "start" if which == "from" else "end"
                self.problems.append(Problem(name, line, which, f"{rel_type} cannot {verb} at a {node_kind}"))
                ok = False
        if start == end and not spec.allow_self:
            self.problems.append(
                Problem(name, line, "to", f"a {rel_type} relationship cannot join {start!r} to itself")
            )
            ok = False
        return ok

    # ---------------------------------------------------------------- provenance
    def _provenance(self, props: dict[str, Any], name: str, line: int) -> bool:
        """The record's Source exists and (when its text is at hand) the evidence is on the cited line."""
        source = props["source"]
        if source not in self.source_files:
            self.problems.append(Problem(name, line, "source", f"no Source node has id {source!r}"))
            return False
        lines = self.texts.get(source)
        if lines is None:
            return True
        cited, evidence = props["line"], props["evidence"]
        key = (source, cited, evidence)
        found = self.evidence_seen.get(key)
        if found is None:
            found = 1 <= cited <= len(lines) and normalise(evidence) in lines[cited - 1]
            if len(self.evidence_seen) >= EVIDENCE_CACHE:
                self.evidence_seen.clear()
            self.evidence_seen[key] = found
        if not found:
            self.problems.append(Problem(name, line, "evidence", f"not found on line {cited} of the source"))
        return found

    def _notes(self) -> None:
        self.index.notes = list(dict.fromkeys(self.index.notes))


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
