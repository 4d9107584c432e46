"""Streaming bulk loading from JSON Lines: memory does not grow with the file.

One record per line, the same fields as a YAML record plus `"kind": "node"` or
`"kind": "relation"`. The file is read several times instead of being held in memory:

1. nodes: each validated with the same pydantic models as YAML; ids and their kind
   kept (the only thing that grows, with the number of nodes);
2. relations: validated, references and allowed end points checked; duplicates
   found through 8-byte hashes of relationship ids;
3. and 4. the writes, nodes then relationships, in batched `UNWIND` statements,
   streamed into the engine's all-or-nothing `replace_graph`.

Every problem is reported as `file:line: field: what is wrong` before anything is
written. MENTIONED_IN relationships are not derived in bulk mode (they would need
every mention of every node in memory).
"""

from __future__ import annotations

import hashlib
import json
import queue
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from actorgraph.graph import schema
from actorgraph.graph.engine import Engine, ProgressCallback, Statement
from actorgraph.loaders.dataset import normalise
from actorgraph.loaders.problems import DataError, Problem, display_path
from actorgraph.loaders.reader import RawRecord
from actorgraph.loaders.records import NodeRecord, RelationRecord, check_property, parse
from actorgraph.loaders.statements import DEFAULT_BATCH_SIZE, node_statement, relation_statement

MAX_PROBLEMS = 1000
BULK_SUFFIXES = (".jsonl", ".ndjson")


def bulk_files(data: Path) -> list[Path]:
    """The JSON Lines files of a bulk data set (a file, or the files in a folder)."""
    if data.is_file():
        return [data] if data.suffix in BULK_SUFFIXES else []
    return sorted(path for path in data.rglob("*") if path.suffix in BULK_SUFFIXES and path.is_file())


def is_bulk(data: Path) -> bool:
    return bool(bulk_files(data))


@dataclass
class BulkIndex:
    """What validation keeps: node kinds by id, counts, and notes."""

    kinds: dict[str, str] = field(default_factory=dict)
    nodes: int = 0
    relations: int = 0
    notes: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    texts: dict[str, list[str]] = field(default_factory=dict)


def _records(files: list[Path], problems: list[Problem]) -> Iterator[tuple[str, RawRecord]]:
    for path in files:
        name = display_path(path)
        with path.open("rb") as handle:
            for number, raw_line in enumerate(handle, 1):
                if not raw_line.strip():
                    continue
                try:
                    data = json.loads(raw_line)
                except (UnicodeDecodeError, ValueError) as exc:
                    problems.append(Problem(name, number, "json", f"not a JSON record: {exc}"))
                    continue
                if not isinstance(data, dict) or data.get("kind") not in ("node", "relation"):
                    problems.append(
                        Problem(name, number, "kind", "each line must be an object with kind 'node' or 'relation'")
                    )
                    continue
                kind = data.pop("kind")
                yield kind, RawRecord(kind, name, number, data)


def _enough(problems: list[Problem]) -> bool:
    return len(problems) >= MAX_PROBLEMS


def count_lines(data: Path) -> int:
    """Lines in a bulk data set (C-speed newline counting), for a progress bar's total."""
    total = 0
    for path in bulk_files(data):
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 22):
                total += chunk.count(b"\n")
    return total


def _counted(records: Iterator[Any], progress: ProgressCallback | None, every: int = 5000) -> Iterator[Any]:
    """Pass `records` through, telling `progress` about each `every` lines read."""
    if progress is None:
        yield from records
        return
    count = 0
    for record in records:
        count += 1
        if count == every:
            progress(count)
            count = 0
        yield record
    progress(count)


def validate_bulk(
    data: Path, sources: list[Path] | None = None, *, progress: ProgressCallback | None = None
) -> BulkIndex:
    """Passes 1 and 2: validate everything, keeping only ids and kinds. Raises DataError.

    `progress` hears about the records read, twice per record (once per pass).
    """
    files = bulk_files(data)
    if not files:
        raise DataError([Problem(display_path(data), 0, "data", "no .jsonl files found here")])
    index = BulkIndex(files=files)
    problems: list[Problem] = []
    source_files: dict[str, str] = {}
    for kind, raw in _counted(_records(files, problems), progress):
        if kind != "node" or _enough(problems):
            continue
        record, found = parse(raw)
        problems += found
        if isinstance(record, NodeRecord):
            if record.id in index.kinds:
                problems.append(Problem(raw.file, raw.line, "id", f"duplicate id {record.id!r}"))
                continue
            index.kinds[record.id] = record.kind
            index.nodes += 1
            if "Source" in record.labels:
                source_files[record.id] = str((record.model_extra or {}).get("file") or "")
    for source_id, file_name in source_files.items():
        found_path = next(
            (folder / file_name for folder in sources or [] if file_name and (folder / file_name).is_file()), None
        )
        if found_path is None:
            index.notes.append(f"source text {file_name or source_id!r} not found: evidence phrases were not checked")
        else:
            index.texts[source_id] = found_path.read_text(encoding="utf-8", errors="replace").splitlines()
    seen: set[bytes] = set()
    for kind, raw in _counted(_records(files, problems), progress):
        if _enough(problems):
            break
        record, found = parse(raw) if kind == "relation" else (None, [])
        problems += found
        if kind == "node":
            node_source = raw.data.get("source")
            if node_source not in source_files:
                problems.append(Problem(raw.file, raw.line, "source", f"no Source node has id {node_source!r}"))
            else:
                _check_evidence(raw, index, problems)
            continue
        if not isinstance(record, RelationRecord):
            continue
        spec = schema.RELATIONSHIPS[record.type]
        for end, node_id, allowed in (("from", record.from_, spec.sources), ("to", record.to, spec.targets)):
            node_kind = index.kinds.get(node_id)
            if node_kind is None:
                problems.append(Problem(raw.file, raw.line, end, f"no node has id {node_id!r}"))
            elif node_kind not in allowed and not any(schema.LABELS[label].kind == node_kind for label in allowed):
                problems.append(
                    Problem(
                        raw.file,
                        raw.line,
                        end,
                        f"{record.type} cannot {'start' if end == 'from' else 'end'} at a {node_kind}",
                    )
                )
        digest = hashlib.blake2b(record.rel_id.encode(), digest_size=8).digest()
        if digest in seen:
            problems.append(
                Problem(
                    raw.file,
                    raw.line,
                    "key",
                    f"the same {record.type} from {record.from_!r} to {record.to!r} appears twice; give each a distinct `key`",
                )
            )
        seen.add(digest)
        if record.source not in source_files:
            problems.append(Problem(raw.file, raw.line, "source", f"no Source node has id {record.source!r}"))
        else:
            _check_evidence(raw, index, problems)
        index.relations += 1
    if problems:
        raise DataError(problems)
    return index


def _check_evidence(raw: RawRecord, index: BulkIndex, problems: list[Problem]) -> None:
    lines = index.texts.get(raw.data.get("source"))
    line, evidence = raw.data.get("line"), raw.data.get("evidence")
    if lines is None or not isinstance(line, int) or not isinstance(evidence, str):
        return
    if not 1 <= line <= len(lines) or normalise(evidence) not in normalise(lines[line - 1]):
        problems.append(Problem(raw.file, raw.line, "evidence", f"not found on line {line} of the source"))


NODE_CORE = ("labels", "mentions")
RELATION_CORE = ("from", "type", "to", "key")
DATE_PROPERTIES = frozenset(name for name, spec in schema.PROPERTIES.items() if spec.type == "date")


def _stored(data: dict[str, Any], core: tuple[str, ...]) -> dict[str, Any]:
    """The properties to store for a record that validation has already accepted.

    The write passes do not validate again (that is what makes them fast); they only
    normalise what validation would have: dates given as numbers.
    """
    props = {key: value for key, value in data.items() if key not in core and value is not None}
    for key in DATE_PROPERTIES & props.keys():
        props[key] = check_property(key, props[key])
    return props


def bulk_statements(index: BulkIndex, batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Statement]:
    """Passes 3 and 4: batched statements for nodes, then relationships, read from the files."""
    ignored: list[Problem] = []
    batches: dict[Any, list[dict[str, Any]]] = {}

    def flush(key: Any, cypher: str) -> Iterator[Statement]:
        rows = batches.pop(key, [])
        if rows:
            yield cypher, {"rows": rows}

    for kind, raw in _records(index.files, ignored):
        if kind != "node":
            continue
        key = schema.closure(raw.data["labels"])
        batches.setdefault(key, []).append({"id": raw.data["id"], "props": _stored(raw.data, NODE_CORE)})
        if len(batches[key]) >= batch_size:
            yield from flush(key, node_statement(key))
    for key in list(batches):
        yield from flush(key, node_statement(key))
    for kind, raw in _records(index.files, ignored):
        if kind != "relation":
            continue
        data = raw.data
        rel_id = f"{data['from']}>{data['type']}>{data['to']}" + (
            f"#{data['key']}" if data.get("key") is not None else ""
        )
        key = (data["type"], index.kinds[data["from"]], index.kinds[data["to"]])
        props = _stored(data, RELATION_CORE)
        props["id"] = rel_id
        batches.setdefault(key, []).append({"id": rel_id, "source": data["from"], "target": data["to"], "props": props})
        if len(batches[key]) >= batch_size:
            yield from flush(key, relation_statement(*key))
    for key in list(batches):
        yield from flush(key, relation_statement(*key))


def build_bulk(
    engine: Engine,
    index: BulkIndex,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: ProgressCallback | None = None,
) -> dict[str, int]:
    """Replace the graph with a validated bulk data set, streaming.

    The statements are prepared in a second thread while the engine waits for its
    server, so reading the files and running the queries overlap.
    """
    engine.replace_graph(prefetch(bulk_statements(index, batch_size)), progress=progress)
    return {"nodes": index.nodes, "relationships": index.relations}


_DONE = object()


def prefetch(items: Iterable[Any], depth: int = 4) -> Iterator[Any]:
    """Yield `items`, produced ahead (at most `depth` waiting) by a daemon thread.

    Memory stays bounded by `depth` items. An exception in the producer is raised
    here; if the consumer stops early (the engine failed), the producer stops too.
    """
    ready: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()
    failure: list[BaseException] = []

    def hand_over(item: Any) -> bool:
        """Queue `item` for the consumer, waiting for room; False once the consumer has stopped."""
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not hand_over(item):
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            failure.append(exc)
        hand_over(_DONE)

    worker = threading.Thread(target=produce, name="actorgraph-bulk-reader", daemon=True)
    worker.start()
    try:
        while (item := ready.get()) is not _DONE:
            yield item
        if failure:
            raise failure[0]
    finally:
        stop.set()
        worker.join(timeout=5)
