"""The rules a record must meet against the rest of the data: one copy for every road.

A load reads records (YAML, JSON Lines, or whatever reader comes next) and checks each
one on its own (`records.parse`), then against the others: ids defined once per source,
relationship ends that exist and that the schema allows for the type (by every label of
the node, not only its kind), one relationship per `from`/`type`/`to`/`key`, a known
Source, and evidence found on its line of the source text. The in-memory road
(`dataset.py`) and the streaming road (`bulk.py`) differ only in how they keep the id
index; both build their problems with the functions here, so a file says the same
whatever its format and whichever road reads it.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from actorgraph.graph import schema
from actorgraph.loaders.problems import Problem, source_not_found

#: Ids searched for a "did you mean" hint: beyond this a hint costs seconds per problem.
SUGGEST_MAX_IDS = 20_000
#: Evidence checks remembered per source text (phrases repeat a lot in event data); cleared when full.
EVIDENCE_CACHE = 200_000


def normalise(text: str) -> str:
    """Collapse white space, for comparing evidence with a source line."""
    return " ".join(text.split())


# ------------------------------------------------------------------- node ids
def duplicate_node(file: str, line: int, node_id: str, first: tuple[str, int], same: bool) -> Problem:
    """One source defining `node_id` twice (`first` is where it was defined first)."""
    what = "duplicate id (same content)" if same else "duplicate id with different content"
    return Problem(file, line, "id", f"{what}: {node_id!r} is first defined at {first[0]}:{first[1]}")


def kind_conflict(file: str, line: int, node_id: str, first_kind: str, first: tuple[str, int], kind: str) -> Problem:
    """Two sources defining one node id as different kinds of thing."""
    return Problem(file, line, "labels", f"{node_id!r} is a {first_kind} at {first[0]}:{first[1]}, not a {kind}")


# ------------------------------------------------------------------- relationships
@functools.cache
def allowed_ends(rel_type: str) -> tuple[frozenset[str], frozenset[str], bool]:
    """The labels a relationship type may start and end at (any one of them), and whether it may loop."""
    spec = schema.RELATIONSHIPS[rel_type]
    return frozenset(spec.sources), frozenset(spec.targets), spec.allow_self


def ends_allowed(
    rel_type: str, start: str, end: str, start_labels: tuple[str, ...], end_labels: tuple[str, ...]
) -> bool:
    """Whether the schema allows `rel_type` between nodes carrying these labels (the fast yes of `relation_ends`)."""
    sources, targets, allow_self = allowed_ends(rel_type)
    return not sources.isdisjoint(start_labels) and not targets.isdisjoint(end_labels) and (allow_self or start != end)


def relation_ends(
    file: str,
    lines: dict[str, int] | int,
    rel_type: str,
    ends: tuple[str, str],
    labels: tuple[tuple[str, ...] | None, tuple[str, ...] | None],
    known: Collection[str],
    broken: Collection[str] = (),
) -> list[Problem]:
    """Every problem with a relationship's two ends: missing nodes, labels the type does not allow, a loop.

    `labels` are the end nodes' labels (None: no such node), `lines` the line of each
    field (or one line for all), `known` the node ids (for a "did you mean" hint) and
    `broken` the ids of nodes already reported as invalid (no second problem for them).
    """
    spec = schema.RELATIONSHIPS[rel_type]
    problems: list[Problem] = []
    for end, node_id, node_labels, allowed in (
        ("from", ends[0], labels[0], spec.sources),
        ("to", ends[1], labels[1], spec.targets),
    ):
        line = lines if isinstance(lines, int) else lines.get(end, 0)
        if node_labels is None:
            if node_id not in broken:
                problems.append(Problem(file, line, end, f"no node has id {node_id!r}{_suggest(node_id, known)}"))
        elif not set(node_labels) & set(allowed):
            verb = "start" if end == "from" else "end"
            problems.append(
                Problem(
                    file,
                    line,
                    end,
                    f"{rel_type} cannot {verb} at {node_id!r} ({'/'.join(node_labels)}); allowed: {', '.join(allowed)}",
                )
            )
    if ends[0] == ends[1] and not spec.allow_self:
        line = lines if isinstance(lines, int) else lines.get("to", 0)
        problems.append(Problem(file, line, "to", f"a {rel_type} relationship cannot join {ends[0]!r} to itself"))
    return problems


def duplicate_relation(file: str, line: int, rel_type: str, ends: tuple[str, str], first: tuple[str, int]) -> Problem:
    """The same `from`/`type`/`to` (and `key`) twice."""
    return Problem(
        file,
        line,
        "key",
        f"the same {rel_type} from {ends[0]!r} to {ends[1]!r} is at {first[0]}:{first[1]}; give each a distinct `key`",
    )


def _suggest(node_id: str, known: Collection[str]) -> str:
    if len(known) > SUGGEST_MAX_IDS:
        return ""
    close = difflib.get_close_matches(node_id, list(known), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


# ------------------------------------------------------------------- sources and evidence
def unknown_source(file: str, line: int, source: str) -> Problem:
    return Problem(file, line, "source", f"no Source node has id {source!r}")


@dataclass
class SourceText:
    """The lines of one source text, normalised once, and the evidence checks made against it."""

    name: str
    lines: list[str]
    _seen: dict[tuple[int, str], tuple[str, str] | None] = field(default_factory=dict)

    def check(self, line: int, evidence: str) -> tuple[str, str] | None:
        """(field, what is wrong) when `evidence` is not on `line`, else None."""
        key = (line, evidence)
        if key in self._seen:
            return self._seen[key]
        if line > len(self.lines):
            found: tuple[str, str] | None = ("line", f"the source has only {len(self.lines)} lines, not {line}")
        elif normalise(evidence) not in self.lines[line - 1]:
            found = ("evidence", f"not found on line {line} of {self.name}")
        else:
            found = None
        if len(self._seen) >= EVIDENCE_CACHE:
            self._seen.clear()
        self._seen[key] = found
        return found


def source_text(node_id: str, props: dict[str, Any], folders: list[Path]) -> tuple[SourceText | None, str | None]:
    """A Source node's text (None when there is none to check against) and a note for the user, if any.

    A Source with a `version` is a data set (a table): its records' evidence is the row's
    key fields, so no text is looked for. A text whose sha256 differs from the one
    recorded is still used (each phrase is checked on its line), with a note.
    """
    if props.get("version"):
        return None, None
    name = props.get("file")
    found = next((folder / name for folder in folders if name and (folder / name).is_file()), None)
    if found is None:
        return None, source_not_found(str(name or node_id), folders)
    raw = found.read_bytes()
    note = None
    expected = props.get("sha256")
    if expected and hashlib.sha256(raw).hexdigest() != expected:
        note = f"source text {found} differs from the sha256 recorded on {node_id}"
    lines = [normalise(line) for line in raw.decode("utf-8", errors="replace").splitlines()]
    return SourceText(str(name), lines), note
