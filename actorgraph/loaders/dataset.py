"""A whole data set, validated: records checked one by one, then against each other.

`load_dataset(path)` returns a `Dataset` or raises `DataError` listing every
problem. Cross-record checks: duplicate ids, references to missing nodes, the
schema's allowed end points of each relationship type, self-relations, unknown
sources, and (when the source text can be found) that each evidence phrase really
occurs on its line.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from actorgraph.graph import schema
from actorgraph.loaders.problems import DataError, Problem, source_not_found
from actorgraph.loaders.reader import RawRecord, read_records
from actorgraph.loaders.records import NodeRecord, RelationRecord, parse


@dataclass
class NodeRow:
    """A node ready to write."""

    id: str
    labels: tuple[str, ...]
    props: dict[str, Any]

    @property
    def kind(self) -> str:
        return schema.kind_of(self.labels)


@dataclass
class RelRow:
    """A relationship ready to write."""

    id: str
    type: str
    source: str  # start node id
    target: str  # end node id
    props: dict[str, Any]


@dataclass
class Dataset:
    """Validated nodes and relationships, plus notes for the user (e.g. unchecked evidence)."""

    nodes: list[NodeRow] = field(default_factory=list)
    relations: list[RelRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files: int = 0

    def kind_of(self, node_id: str) -> str:
        return self._kinds[node_id]

    def __post_init__(self) -> None:
        self._kinds: dict[str, str] = {}

    def index(self) -> None:
        self._kinds = {node.id: node.kind for node in self.nodes}


def normalise(text: str) -> str:
    """Collapse white space, for comparing evidence with a source line."""
    return " ".join(text.split())


def load_dataset(data: Path | list[Path], sources: list[Path] | None = None) -> Dataset:
    """Read and validate everything under `data` (one path, or several in order); raise DataError with all problems.

    A node id defined by records of different sources is one node: the first record
    read (so the first `data` path: put the curated data first) gives its name and
    provenance; later ones add the properties it lacks (codes, dates), their names
    become aliases, and each one's own provenance becomes a MENTIONED_IN to its source.
    """
    raw_records, problems = read_records(data)
    nodes: list[tuple[RawRecord, NodeRecord]] = []
    relations: list[tuple[RawRecord, RelationRecord]] = []
    broken_ids: set[str] = set()  # ids of nodes reported already: references to them are not errors too
    for raw in raw_records:
        record, found = parse(raw)
        problems += found
        if isinstance(record, NodeRecord):
            nodes.append((raw, record))
        elif isinstance(record, RelationRecord):
            relations.append((raw, record))
        elif raw.kind == "node" and isinstance(raw.data.get("id"), str):
            broken_ids.add(raw.data["id"])
    dataset = Dataset(files=len({raw.file for raw in raw_records}))
    problems += _cross_check(nodes, relations, sources or [], dataset, broken_ids)
    if problems:
        raise DataError(problems)
    dataset.nodes = _merged_nodes([record for _, record in nodes])
    dataset.relations = [RelRow(rec.rel_id, rec.type, rec.from_, rec.to, rec.stored()) for _, rec in relations]
    dataset.relations += _mentions(nodes, relations)
    dataset.nodes.sort(key=lambda node: node.id)
    dataset.relations.sort(key=lambda rel: rel.id)
    dataset.index()
    return dataset


def _merged_nodes(records: list[NodeRecord]) -> list[NodeRow]:
    """One row per id: the first record's properties, plus what later records from other sources add."""
    rows: dict[str, NodeRow] = {}
    for record in records:
        row = rows.get(record.id)
        if row is None:
            rows[record.id] = NodeRow(record.id, record.all_labels, record.stored())
            continue
        props = row.props
        for key, value in record.stored().items():
            if key in schema.PROVENANCE or key in ("id", "mentions"):
                continue
            if key == "name" and value != props.get("name"):
                props["aliases"] = sorted({*props.get("aliases", []), value})
            elif key == "aliases":
                props["aliases"] = sorted({*props.get("aliases", []), *value})
            elif key not in props:
                props[key] = value
        row.labels = schema.closure([*row.labels, *record.all_labels])
    return list(rows.values())


def _cross_check(
    nodes: list[tuple[RawRecord, NodeRecord]],
    relations: list[tuple[RawRecord, RelationRecord]],
    sources: list[Path],
    dataset: Dataset,
    broken_ids: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[Problem]:
    problems: list[Problem] = []
    by_id: dict[str, tuple[RawRecord, NodeRecord]] = {}
    defined: set[tuple[str, str]] = set()  # (id, source): one source defines a node once
    for raw, node in nodes:
        if node.id in by_id and (node.id, node.source) not in defined:
            first = by_id[node.id]
            if first[1].kind != node.kind:
                problems.append(
                    Problem(
                        raw.file,
                        raw.line_of("labels"),
                        "labels",
                        f"{node.id!r} is a {first[1].kind} at {first[0].file}:{first[0].line}, not a {node.kind}",
                    )
                )
            defined.add((node.id, node.source))
        elif node.id in by_id:
            first = by_id[node.id][0]
            same = by_id[node.id][1].model_dump(by_alias=True) == node.model_dump(by_alias=True)
            what = "duplicate id (same content)" if same else "duplicate id with different content"
            problems.append(
                Problem(
                    raw.file,
                    raw.line_of("id"),
                    "id",
                    f"{what}: {node.id!r} is first defined at {first.file}:{first.line}",
                )
            )
        else:
            by_id[node.id] = (raw, node)
            defined.add((node.id, node.source))
    source_nodes = {node_id: node for node_id, (_, node) in by_id.items() if "Source" in node.labels}
    texts = _source_texts(source_nodes, sources, dataset)
    seen_relations: dict[str, RawRecord] = {}
    for raw, rel in relations:
        spec = schema.RELATIONSHIPS[rel.type]
        for end, node_id, allowed in (("from", rel.from_, spec.sources), ("to", rel.to, spec.targets)):
            if node_id not in by_id and node_id in broken_ids:
                continue
            if node_id not in by_id:
                problems.append(
                    Problem(raw.file, raw.line_of(end), end, f"no node has id {node_id!r}{_suggest(node_id, by_id)}")
                )
                continue
            labels = by_id[node_id][1].all_labels
            if not set(labels) & set(allowed):
                problems.append(
                    Problem(
                        raw.file,
                        raw.line_of(end),
                        end,
                        f"{rel.type} cannot {'start' if end == 'from' else 'end'} at {node_id!r} "
                        f"({'/'.join(labels)}); allowed: {', '.join(allowed)}",
                    )
                )
        if rel.from_ == rel.to and not spec.allow_self:
            problems.append(
                Problem(
                    raw.file, raw.line_of("to"), "to", f"a {rel.type} relationship cannot join {rel.from_!r} to itself"
                )
            )
        if rel.rel_id in seen_relations:
            first = seen_relations[rel.rel_id]
            problems.append(
                Problem(
                    raw.file,
                    raw.line,
                    "key",
                    f"the same {rel.type} from {rel.from_!r} to {rel.to!r} is at {first.file}:{first.line}; give each a distinct `key`",
                )
            )
        seen_relations[rel.rel_id] = raw
    for raw, record in [*nodes, *relations]:
        if record.source not in source_nodes:
            problems.append(
                Problem(raw.file, raw.line_of("source"), "source", f"no Source node has id {record.source!r}")
            )
            continue
        lines = texts.get(record.source)
        if lines is None:
            continue
        if record.line > len(lines):
            problems.append(
                Problem(
                    raw.file, raw.line_of("line"), "line", f"the source has only {len(lines)} lines, not {record.line}"
                )
            )
        elif normalise(record.evidence) not in normalise(lines[record.line - 1]):
            problems.append(
                Problem(
                    raw.file,
                    raw.line_of("evidence"),
                    "evidence",
                    f"not found on line {record.line} of {_file_of(source_nodes[record.source])}",
                )
            )
    return problems


def _file_of(node: NodeRecord) -> str:
    return str((node.model_extra or {}).get("file") or node.id)


def _suggest(node_id: str, known: dict[str, Any]) -> str:
    import difflib

    close = difflib.get_close_matches(node_id, list(known), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _source_texts(source_nodes: dict[str, NodeRecord], sources: list[Path], dataset: Dataset) -> dict[str, list[str]]:
    """The lines of each source text that can be found; notes for those that cannot."""
    texts: dict[str, list[str]] = {}
    for node_id, node in source_nodes.items():
        if (node.model_extra or {}).get("version"):  # a data set (a table): evidence is the row's key fields
            continue
        name = (node.model_extra or {}).get("file")
        found = next((folder / name for folder in sources if name and (folder / name).is_file()), None)
        if found is None:
            dataset.notes.append(source_not_found(str(name or node_id), sources))
            continue
        raw = found.read_bytes()
        expected = (node.model_extra or {}).get("sha256")
        if expected and hashlib.sha256(raw).hexdigest() != expected:
            dataset.notes.append(f"source text {found} differs from the sha256 recorded on {node_id}")
        texts[node_id] = raw.decode("utf-8", errors="replace").splitlines()
    return texts


def _mentions(
    nodes: list[tuple[RawRecord, NodeRecord]], relations: list[tuple[RawRecord, RelationRecord]]
) -> list[RelRow]:
    """MENTIONED_IN from every node to its source, with every line that speaks of it."""
    lines: dict[tuple[str, str], set[int]] = defaultdict(set)
    for _, node in nodes:
        if "Source" not in node.labels:
            lines[(node.id, node.source)].update([node.line, *node.mentions])
    for _, rel in relations:
        for node_id in (rel.from_, rel.to):
            if (node_id, rel.source) in lines:
                lines[(node_id, rel.source)].add(rel.line)
    by_source = {(node.id, node.source): node for _, node in reversed(nodes)}  # the first record of each source
    rows = []
    for (node_id, source), mentioned in lines.items():
        node = by_source[(node_id, source)]
        props = {
            "id": f"{node_id}>MENTIONED_IN>{source}",
            "source": source,
            "line": node.line,
            "evidence": node.evidence,
            "lines": sorted(mentioned),
        }
        rows.append(RelRow(props["id"], "MENTIONED_IN", node_id, source, props))
    return rows
