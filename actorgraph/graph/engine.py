"""The one interface every graph engine implements (embedded FalkorDB, Neo4j).

Query modules, loaders, maps and the CLI only ever talk to an `Engine`, so the same
Cypher runs on both. Rows come back as plain dicts keyed by the RETURN column names,
with nodes and relationships converted to plain dicts too (see `Node`, `Relationship`).
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from actorgraph.errors import ActorgraphError
from actorgraph.graph.writes import DEFAULT_BATCH_SIZE, Statement, Write, write_statements

Row = dict[str, Any]
T = TypeVar("T")
#: Called with the number of items just written, for progress bars.
ProgressCallback = Callable[[int], None]


class _PropertyAccess:
    """`item["name"]` and `item.get("name")` read an entity's properties."""

    properties: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.properties[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.properties.get(key, default)


@dataclass
class Node(_PropertyAccess):
    """A node as returned by any engine: its labels and its properties."""

    labels: list[str]
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class Relationship(_PropertyAccess):
    """A relationship as returned by any engine: type, end-point ids and properties."""

    type: str
    start: Any
    end: Any
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class Path:
    """A path: alternating nodes and relationships."""

    nodes: list[Node]
    relationships: list[Relationship]


class EngineError(ActorgraphError, RuntimeError):
    """An engine could not do what was asked; the message is fit to show a user."""

    exit_code = 1


class EngineUnavailable(EngineError):
    """The engine cannot be reached or started (exit status 3)."""

    exit_code = 3


class QueryError(EngineError):
    """A query was refused or failed (syntax error, write in read-only mode, ...).

    The engine's raw message is kept in `raw`; the error reads as the message, the
    query line with a caret at the fault and a hint, where the message is recognised.
    """

    exit_code = 1

    def __init__(self, message: str) -> None:
        from actorgraph.graph.cypher_errors import explain

        self.raw = message
        super().__init__(explain(message))


class Engine(abc.ABC):
    """A property-graph engine that runs Cypher with parameters.

    Use as a context manager, or call `close()`: it releases connections and stops
    any server process the engine started.
    """

    #: Short name: "embedded" or "neo4j".
    name: str = "engine"

    @abc.abstractmethod
    def run(self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[Row]:
        """Run one Cypher statement and return its rows.

        With `write=False` the engine itself refuses any write (FalkorDB read-only
        query; Neo4j read access mode), raising `QueryError`.
        """

    def stream(self, cypher: str, params: dict[str, Any] | None = None) -> Iterator[Row]:
        """Read rows one by one (engines that can stream override this)."""
        yield from self.run(cypher, params)

    def stream_whole(self, cypher: str, by_node_ids: str) -> Iterator[Row]:
        """Rows of a read of the whole graph (`export`, `map`, `analyze`), as lightly as the engine can.

        `cypher` reads everything at once; `by_node_ids` is the same read limited to the
        nodes (or to the relationships starting at nodes) with `$first <= id(n) < $stop`,
        for engines whose big answers cost more than their pages (the embedded one:
        `falkor_pages.py`). Rows come in no particular order. Call it inside
        `read_consistent` when the read is one of several that must agree.
        """
        yield from self.stream(cypher)

    def read_consistent(self, work: Callable[[Engine], T]) -> T:
        """Run `work(reader)`, whose several read queries must all see one and the same graph.

        One query always sees one whole graph; several in a row could see a build's old
        graph and then its new one (`stats` adding up wrong, an `export` with links to
        nodes it does not have). Engines override this: Neo4j runs them in one read
        transaction checked by its generation markers, the embedded engine checks its
        generation counter before and after. Either reads again when a build committed
        in between, so `work` must have no effects besides reading (and progress reports).
        """
        return work(self)

    @abc.abstractmethod
    def replace_graph(
        self,
        statements: Iterable[Statement],
        *,
        progress: ProgressCallback | None = None,
    ) -> None:
        """Atomically replace the whole graph by the one the statements build.

        Either every statement succeeds and the new graph becomes visible at once,
        or the previous graph stays exactly as it was. One exception: a Neo4j build too
        large for one transaction, whose process is killed, leaves a graph that reads
        refuse (naming the repair) until the next build (docs/neo4j-rebuilds.md). The engine creates the
        indexes its new graph needs (see `ensure_schema`). `progress` is called after
        each statement with the number of rows it carried (`len(params["rows"])`).
        Statements are `UNWIND $rows AS r CREATE ...` batches built by the loaders.
        """

    def replace_graph_rows(
        self,
        rows: Iterable[Write],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        progress: ProgressCallback | None = None,
    ) -> None:
        """Atomically replace the whole graph by `rows` (each relationship after its end nodes).

        The same all-or-nothing promise as `replace_graph`; an exception raised by the
        `rows` iterator (a loader that finds a problem midway) leaves the previous graph.
        By default the rows become batched Cypher statements; an engine with a faster
        write path of its own overrides this. `progress` hears about rows written.
        """
        self.replace_graph(write_statements(rows, batch_size), progress=progress)

    @abc.abstractmethod
    def count_stored(self) -> None:
        """Count again what builds store on nodes for questions to read (`degrees.py`, `corroboration.py`).

        A build and `run(..., write=True)` keep them current; this is for a graph another
        tool loaded (`neo4j-admin database import`), through `actorgraph schema --apply`.
        """

    @abc.abstractmethod
    def ensure_schema(self) -> None:
        """Create the indexes and constraints queries rely on (idempotent)."""

    def labels(self) -> list[str]:
        """Node labels present in the graph."""
        return sorted(row["label"] for row in self.run("CALL db.labels() YIELD label RETURN label"))

    def relationship_types(self) -> list[str]:
        """Relationship types present in the graph."""
        rows = self.run("CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType AS t")
        return sorted(row["t"] for row in rows)

    def describe(self) -> str:
        """Where this engine is, for messages (never includes a password)."""
        return self.name

    @abc.abstractmethod
    def close(self) -> None:
        """Release connections; stop any server process this engine started."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
