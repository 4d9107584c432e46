"""A whole data set, validated: records checked one by one, then against each other.

`load_dataset(path)` returns a `Dataset` or raises `DataError` listing every
problem. Cross-record checks (`rules.py`, shared with the streaming road): duplicate
ids, references to missing nodes, the schema's allowed end points of each relationship
type, self-relations, unknown sources, and (when the source text can be found) that
each evidence phrase really occurs on its line. Records of several sources defining
one id are joined into one node here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from actorgraph.graph import schema
from actorgraph.loaders import rules
from actorgraph.loaders.problems import DataError, Problem
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
    """The rules of `rules.py` over records held in memory (the index: every record's first definition)."""
    problems: list[Problem] = []
    by_id: dict[str, tuple[RawRecord, NodeRecord]] = {}
    defined: set[tuple[str, str]] = set()  # (id, source): one source defines a node once
    for raw, node in nodes:
        if node.id in by_id and (node.id, node.source) not in defined:
            first_raw, first = by_id[node.id]
            if first.kind != node.kind:
                where = (first_raw.file, first_raw.line)
                problems.append(
                    rules.kind_conflict(raw.file, raw.line_of("labels"), node.id, first.kind, where, node.kind)
                )
            defined.add((node.id, node.source))
        elif node.id in by_id:
            first_raw, first = by_id[node.id]
            same = first.model_dump(by_alias=True) == node.model_dump(by_alias=True)
            problems.append(
                rules.duplicate_node(raw.file, raw.line_of("id"), node.id, (first_raw.file, first_raw.line), same)
            )
        else:
            by_id[node.id] = (raw, node)
            defined.add((node.id, node.source))
    texts: dict[str, rules.SourceText | None] = {}
    for node_id, (_, node) in by_id.items():
        if "Source" in node.labels:
            texts[node_id], note = rules.source_text(node_id, node.stored(), sources)
            if note:
                dataset.notes.append(note)
    labels = {node_id: node.all_labels for node_id, (_, node) in by_id.items()}
    seen_relations: dict[str, RawRecord] = {}
    for raw, rel in relations:
        ends = (rel.from_, rel.to)
        if not (
            rel.from_ in labels
            and rel.to in labels
            and rules.ends_allowed(rel.type, rel.from_, rel.to, labels[rel.from_], labels[rel.to])
        ):
            lines = {"from": raw.line_of("from"), "to": raw.line_of("to")}
            ends_labels = (labels.get(rel.from_), labels.get(rel.to))
            problems += rules.relation_ends(raw.file, lines, rel.type, ends, ends_labels, labels, broken_ids)
        if rel.rel_id in seen_relations:
            first_raw = seen_relations[rel.rel_id]
            problems.append(
                rules.duplicate_relation(raw.file, raw.line, rel.type, ends, (first_raw.file, first_raw.line))
            )
        seen_relations[rel.rel_id] = raw
    for raw, record in [*nodes, *relations]:
        if record.source not in texts:
            problems.append(rules.unknown_source(raw.file, raw.line_of("source"), record.source))
            continue
        text = texts[record.source]
        wrong = text.check(record.line, record.evidence) if text is not None else None
        if wrong is not None:
            problems.append(Problem(raw.file, raw.line_of(wrong[0]), *wrong))
    return problems


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
