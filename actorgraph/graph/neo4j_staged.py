"""Replace a Neo4j graph too large for one transaction: staged in batches, switched by a marker.

A build's new graph is written beside the old one in transactions of `STAGE_TX_ROWS`
rows, every new node carrying the extra label `ActorgraphStaged`. One schema change (a
*build marker*, an empty index whose name carries the build's tag and phase) is the
commit point: while the marker says `staging`, the old graph is the graph and the
staged nodes are scrap; once it says `switched`, the new graph is the graph and every
node without the label is scrap. The old graph is then deleted and the label removed,
each in batches (`CALL { } IN TRANSACTIONS`), so no transaction grows with the graph.
docs/neo4j-rebuilds.md says why this design and what readers see.

Readers never look at a graph while any build marker stands (`Neo4jEngine.read_consistent`):
they wait while the build's lease transaction is open, and once it is gone (the loader was
killed or lost its connection) they refuse with `GraphIncomplete`, which names the command
that repairs the graph. The next build finishes or undoes what the marker's phase says
(`repair`) before it writes anything.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from actorgraph.graph import schema
from actorgraph.graph.engine import EngineError, ProgressCallback
from actorgraph.graph.writes import NodeWrite, RelWrite, node_statement

#: The label every node of a build in progress carries (not a schema label: no data set can use it).
STAGED_LABEL = "ActorgraphStaged"
#: The label the markers' empty indexes are on (no node ever carries it).
MARKER_LABEL = "ActorgraphGeneration"
BUILD_PREFIX = "actorgraph_build_"
#: A build's phases, in order: the marker names the one it is in.
PHASES = ("staging", "switched", "unmarking")
BUILD_NAME = re.compile(rf"^{BUILD_PREFIX}([0-9a-f]+)_(\d+)_({'|'.join(PHASES)})$")
#: Rows written per staging transaction. A transaction's memory grows with its rows (the
#: single-transaction replacement of 1M relationships needed 5.4 GiB, ~2 KB a row); 20,000
#: rows stay near 50 MB, far below the 768 MB docker-compose.yml allows all transactions.
STAGE_TX_ROWS = 20_000
#: Rows per inner transaction when deleting or relabelling in batches.
CLEAN_TX_ROWS = 10_000
#: Transient errors (deadlock, leader switch) a batched clean-up query is run again after.
CLEAN_ATTEMPTS = 3
REPAIR_COMMAND = "actorgraph build --engine neo4j"


class GraphIncomplete(EngineError):
    """An interrupted build left the Neo4j graph unfit to read; the message names the repair."""


@dataclass(frozen=True)
class BuildMarker:
    """One build marker: the build's tag, when it started (Unix time) and its phase."""

    name: str
    tag: str
    started: int
    phase: str


def build_markers(names: Iterable[str]) -> list[BuildMarker]:
    """The build markers among index names, the most advanced phase of each build last."""
    found = [
        BuildMarker(name, match.group(1), int(match.group(2)), match.group(3))
        for name in names
        if (match := BUILD_NAME.match(name))
    ]
    return sorted(found, key=lambda marker: (marker.started, marker.tag, PHASES.index(marker.phase)))


def describe_phase(marker: BuildMarker) -> str:
    """What an interrupted build of `marker`'s phase left, for users."""
    if marker.phase == "staging":
        return "while writing the new graph beside the old one"
    if marker.phase == "switched":
        return "after switching to the new graph, while deleting the old one"
    return "after switching to the new graph, while tidying it"


def incomplete(where: str, marker: BuildMarker) -> GraphIncomplete:
    """The error readers get while an interrupted build's marker stands."""
    started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(marker.started))
    return GraphIncomplete(
        f"the graph in {where} is incomplete: a build started {started} was interrupted "
        f"{describe_phase(marker)}; run `{REPAIR_COMMAND}` (with your data options) again to repair it "
        "(it first clears what the interrupted build left)"
    )


def staged_node_statement(labels: tuple[str, ...]) -> str:
    """CREATE staged nodes and return their element ids (labels allow-listed by `node_statement`)."""
    return f"{node_statement(labels)} SET n:{STAGED_LABEL} RETURN r.id AS id, elementId(n) AS element_id"


def write_batch(
    tx: Any, batch: list[NodeWrite] | list[RelWrite], element_ids: dict[str, str], node_cypher: str
) -> None:
    """Run one batch; node batches record each new node's element id, relationship batches use them."""
    from actorgraph.graph.engine import QueryError

    first = batch[0]
    if isinstance(first, NodeWrite):
        result = tx.run(node_cypher, {"rows": [{"id": row.id, "props": row.props} for row in batch]})
        element_ids.update((record["id"], record["element_id"]) for record in result)
        return
    schema.check_rel_type(first.type)
    try:
        rows = [{"a": element_ids[row.source], "b": element_ids[row.target], "props": row.props} for row in batch]
    except KeyError as exc:
        raise QueryError(f"a relationship refers to node {exc.args[0]!r}, which was not written") from None
    tx.run(
        "UNWIND $rows AS r MATCH (a) WHERE elementId(a) = r.a MATCH (b) WHERE elementId(b) = r.b "
        f"CREATE (a)-[x:{first.type}]->(b) SET x = r.props",
        {"rows": rows},
    ).consume()


#: Deleting everything on one side of a build, relationships first (a node's DETACH DELETE
#: would take all of a hub's relationships into one inner transaction).
_DELETE_STAGED = (
    f"MATCH (n:{STAGED_LABEL})-[r]->() CALL (r) {{ DELETE r }} IN TRANSACTIONS OF {CLEAN_TX_ROWS} ROWS",
    f"MATCH (n:{STAGED_LABEL}) CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF {CLEAN_TX_ROWS} ROWS",
)
_DELETE_UNSTAGED = (
    f"MATCH (n)-[r]->() WHERE NOT n:{STAGED_LABEL} CALL (r) {{ DELETE r }} IN TRANSACTIONS OF {CLEAN_TX_ROWS} ROWS",
    f"MATCH (n) WHERE NOT n:{STAGED_LABEL} CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF {CLEAN_TX_ROWS} ROWS",
)
_UNMARK = f"MATCH (n:{STAGED_LABEL}) CALL (n) {{ REMOVE n:{STAGED_LABEL} }} IN TRANSACTIONS OF {CLEAN_TX_ROWS} ROWS"


class StagedBuild:
    """The phases of one staged build; `session` opens a WRITE session (with the engine's bookmarks)."""

    def __init__(self, session: Callable[[], Any], tag: str) -> None:
        self.session = session
        self.tag = tag
        self.started = int(time.time())
        self.phase: str | None = None

    def mark(self, phase: str) -> None:
        """Create the marker of `phase`, then drop the build's earlier one: the marker creation is the step."""
        name = f"{BUILD_PREFIX}{self.tag}_{self.started}_{phase}"
        with self.session() as session:
            session.run(f"CREATE INDEX {name} FOR (n:{MARKER_LABEL}) ON (n.build_{self.tag}_{phase})").consume()
            if self.phase is not None:
                session.run(f"DROP INDEX {BUILD_PREFIX}{self.tag}_{self.started}_{self.phase} IF EXISTS").consume()
        self.phase = phase

    def unmark(self) -> None:
        """Drop this build's marker: the graph is whole again."""
        if self.phase is not None:
            with self.session() as session:
                session.run(f"DROP INDEX {BUILD_PREFIX}{self.tag}_{self.started}_{self.phase} IF EXISTS").consume()
            self.phase = None

    def stage(self, batches: Iterable[list[NodeWrite] | list[RelWrite]], progress: ProgressCallback | None) -> None:
        """Write every batch as staged nodes and relationships, `STAGE_TX_ROWS` rows per transaction."""
        element_ids: dict[str, str] = {}
        node_cypher: dict[tuple[str, ...], str] = {}

        def write(tx: Any, chunk: list[list[NodeWrite] | list[RelWrite]]) -> None:
            for batch in chunk:
                first = batch[0]
                cypher = ""
                if isinstance(first, NodeWrite):
                    cypher = node_cypher.setdefault(first.labels, staged_node_statement(first.labels))
                write_batch(tx, batch, element_ids, cypher)

        for chunk in _chunks(batches, STAGE_TX_ROWS):
            with self.session() as session:
                session.execute_write(write, chunk)
            if progress:
                for batch in chunk:
                    progress(len(batch))

    def finish(self) -> None:
        """After the switch: delete the old graph, then take the label off the new one."""
        clean(self.session, _DELETE_UNSTAGED)
        self.mark("unmarking")
        clean(self.session, (_UNMARK,))

    def abandon(self) -> None:
        """Before the switch: delete what was staged and drop the marker (the old graph stays)."""
        clean(self.session, _DELETE_STAGED)
        self.unmark()


def repair(session: Callable[[], Any], markers: list[BuildMarker]) -> None:
    """Finish or undo interrupted builds by their markers' phases, then drop the markers."""
    by_tag: dict[str, BuildMarker] = {}
    for marker in markers:
        by_tag[marker.tag] = marker  # sorted: the most advanced phase of each build wins
    for marker in by_tag.values():
        if marker.phase == "staging":
            clean(session, _DELETE_STAGED)
        elif marker.phase == "switched":
            clean(session, (*_DELETE_UNSTAGED, _UNMARK))
        else:
            clean(session, (_UNMARK,))
    with session() as opened:
        for marker in markers:
            opened.run(f"DROP INDEX {marker.name} IF EXISTS").consume()


def clean(session: Callable[[], Any], queries: Iterable[str]) -> None:
    """Run batched clean-up queries (auto-commit: `IN TRANSACTIONS` needs it), again after a transient error.

    Each query deletes or relabels what is left, so running it again is safe.
    """
    from neo4j.exceptions import TransientError

    for cypher in queries:
        for attempt in range(CLEAN_ATTEMPTS):
            try:
                with session() as opened:
                    opened.run(cypher).consume()
                break
            except TransientError:
                if attempt == CLEAN_ATTEMPTS - 1:
                    raise
                time.sleep(0.5 * (attempt + 1))


@contextmanager
def lease(session: Callable[[], Any], tag_key: str, tag: str) -> Iterator[None]:
    """Hold an empty transaction tagged `tag` open for the whole build: readers ask the server for it.

    When the loader dies (kill -9, lost connection) the server ends the transaction, and
    readers know the build is not coming back.
    """
    with session() as opened:
        tx = opened.begin_transaction(metadata={tag_key: tag})
        try:
            tx.run("RETURN 1").consume()
            yield
        finally:
            try:
                tx.rollback()
            except Exception:  # noqa: BLE001 - the lease only says "alive"; losing it must not hide the build's outcome
                pass


def _chunks(
    batches: Iterable[list[NodeWrite] | list[RelWrite]], rows: int
) -> Iterator[list[list[NodeWrite] | list[RelWrite]]]:
    """Group batches into chunks of at least `rows` rows (one transaction each)."""
    chunk: list[list[NodeWrite] | list[RelWrite]] = []
    size = 0
    for batch in batches:
        chunk.append(batch)
        size += len(batch)
        if size >= rows:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk
