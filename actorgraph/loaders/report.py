"""A curation report: what the data holds, and which stretches of a source nothing cites.

Computed from the validated data set itself (no engine needed), so a curator can run
it while editing files.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from actorgraph.loaders.dataset import Dataset

DERIVED_TYPES = ("MENTIONED_IN",)


@dataclass
class CurationReport:
    """Counts, isolated nodes, coverage per line range and uncovered stretches per source."""

    labels: dict[str, int]
    types: dict[str, int]
    isolated: list[str]
    per_range: dict[str, dict[str, int]]  # source -> "1-50" -> facts citing a line in it
    gaps: dict[str, list[tuple[int, int]]]  # source -> [(first, last)] line stretches citing nothing
    source_lines: dict[str, int] = field(default_factory=dict)
    #: problems in the sources themselves, recorded on the data: {record, source, line, caveat}
    caveats: list[dict[str, object]] = field(default_factory=list)
    #: facts that say more than their line (see `loaders/fidelity.py`), as text
    fidelity: list[str] = field(default_factory=list)


def _source_texts(dataset: Dataset, sources: list[Path]) -> dict[str, list[str]]:
    """The lines of every source text that can be found, by Source id."""
    texts = {}
    for node in dataset.nodes:
        if "Source" in node.labels:
            name = node.props.get("file")
            for folder in sources:
                path = folder / str(name)
                if name and path.is_file():
                    texts[node.id] = path.read_text(encoding="utf-8", errors="replace").splitlines()
                    break
    return texts


def _source_lengths(dataset: Dataset, sources: list[Path]) -> dict[str, int]:
    return {source: len(lines) for source, lines in _source_texts(dataset, sources).items()}


def _caveats(dataset: Dataset) -> list[dict[str, object]]:
    """Every record that carries a caveat about its source, in source and line order."""
    found = [
        {"record": item.id, "source": item.props["source"], "line": item.props["line"], "caveat": item.props["caveat"]}
        for item in [*dataset.nodes, *dataset.relations]
        if item.props.get("caveat")
    ]
    return sorted(found, key=lambda row: (str(row["source"]), int(row["line"]), str(row["record"])))  # type: ignore[call-overload]


def _blank_lines(dataset: Dataset, sources: list[Path]) -> dict[str, set[int]]:
    """Lines of each source that hold no words (they need no fact)."""
    blanks: dict[str, set[int]] = {}
    for node in dataset.nodes:
        name = node.props.get("file")
        for folder in sources:
            path = folder / str(name)
            if "Source" in node.labels and name and path.is_file():
                lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
                blanks[node.id] = {number for number, text in enumerate(lines, 1) if not text.strip()}
                break
    return blanks


def curation_report(dataset: Dataset, sources: list[Path], *, bucket: int = 50, min_gap: int = 5) -> CurationReport:
    """Build the report; `min_gap` is the shortest uncited stretch (in lines) worth listing."""
    labels = Counter(label for node in dataset.nodes for label in node.labels)
    types = Counter(rel.type for rel in dataset.relations)
    connected = {end for rel in dataset.relations if rel.type not in DERIVED_TYPES for end in (rel.source, rel.target)}
    isolated = sorted(node.id for node in dataset.nodes if node.id not in connected and "Source" not in node.labels)
    cited: dict[str, set[int]] = defaultdict(set)
    for item in [*dataset.nodes, *dataset.relations]:
        if getattr(item, "type", None) in DERIVED_TYPES:
            continue
        cited[item.props["source"]].add(item.props["line"])
    lengths = _source_lengths(dataset, sources)
    blanks = _blank_lines(dataset, sources)
    per_range: dict[str, dict[str, int]] = {}
    gaps: dict[str, list[tuple[int, int]]] = {}
    for source, lines in sorted(cited.items()):
        last = lengths.get(source, max(lines))
        counts: dict[str, int] = {}
        for start in range(1, last + 1, bucket):
            end = min(start + bucket - 1, last)
            counts[f"{start}-{end}"] = sum(
                1
                for item in [*dataset.nodes, *dataset.relations]
                if getattr(item, "type", None) not in DERIVED_TYPES
                and item.props["source"] == source
                and start <= item.props["line"] <= end
            )
        per_range[source] = counts
        stretches: list[tuple[int, int]] = []
        run_start = None
        empty = blanks.get(source, set())
        for number in range(1, last + 2):
            uncited = number <= last and number not in lines
            if uncited and run_start is None:
                run_start = number
            elif not uncited and run_start is not None:
                words = [n for n in range(run_start, number) if n not in empty]
                if len(words) >= min_gap:
                    stretches.append((run_start, number - 1))
                run_start = None
        gaps[source] = stretches
    from actorgraph.loaders.fidelity import fidelity_findings

    findings = fidelity_findings(dataset.relations, _source_texts(dataset, sources))
    return CurationReport(
        dict(sorted(labels.items())),
        dict(sorted(types.items())),
        isolated,
        per_range,
        gaps,
        lengths,
        _caveats(dataset),
        [str(finding) for finding in findings],
    )
