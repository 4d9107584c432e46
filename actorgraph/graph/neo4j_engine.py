"""The Neo4j 5 engine, on the official `neo4j` driver (Bolt).

Reads run in READ-access sessions through `execute_read`, so Neo4j itself refuses
writes (and a cluster reached by a `neo4j://` URI can serve them from followers);
writes use `execute_write`. Both are managed transactions, which the driver retries on
transient errors (deadlocks, leader switches) for up to `MAX_RETRY_S` seconds. Every
session shares one bookmark manager, so reads after a build in the same process see it.

Replacing the graph takes one of two ways (docs/neo4j-rebuilds.md says why):

* **One transaction** when the old and the new graph together have at most
  `ONE_TRANSACTION_ROWS` nodes and relationships: the old graph is deleted and the new
  one written, committed at the end. A failure, a lost connection or a killed loader
  rolls it back on the server; readers keep reading the old graph meanwhile. Not
  retried: the rows are an iterator consumed once; the user runs `build` again.
* **Staged** above that (a transaction's memory grows with its rows: replacing 1M
  relationships in one needed 5.4 GiB): the new graph is written beside the old one in
  batches and switched to by a build marker (`neo4j_staged.py`). Readers wait while
  such a build runs and refuse, naming the repair, once its loader has died.

Readers see one whole graph or the other. Neo4j reads are READ COMMITTED, so one
query that scans the graph while a load commits could see nodes from both sides of
the commit. To rule that out, every load announces its commit with a *generation
marker*: an empty index named `actorgraph_generation_<n>_<unix time>` on a label no
node carries (schema, not data, so the graph and its exports stay untouched). The
writer creates marker n+1, commits the load, then drops marker n. A read runs
`SHOW INDEXES` before and after its query in the same transaction and is retried
unless both show the same single marker (and no build marker): a query that
overlapped a commit always sees the marker set change, or two markers. A marker pair
left by a loader killed in that instant must not stall readers: each load's
transaction carries its own tag in its metadata and in its marker's name, and while
two markers stand a read asks the server (`SHOW TRANSACTIONS`) whether that load is
still open; if it is not, the load has committed or died, the graph will not change
under the read, and the read stands. The next build tidies the stale marker. Commands
that read with several queries run them all in that one guarded transaction
(`read_consistent`).
"""

from __future__ import annotations

import itertools
import os
import re
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from actorgraph.graph import corroboration, neo4j_staged
from actorgraph.graph.engine import (
    Engine,
    EngineError,
    EngineUnavailable,
    Node,
    Path,
    ProgressCallback,
    QueryError,
    Relationship,
    Row,
    Statement,
)
from actorgraph.graph.neo4j_staged import StagedBuild, build_markers, incomplete
from actorgraph.graph.schema import KINDS, RELATIONSHIPS
from actorgraph.graph.writes import DEFAULT_BATCH_SIZE, NodeWrite, Write, batches, node_statement

DEFAULT_URI = "bolt://localhost:7687"
DEFAULT_USER = "neo4j"
DEFAULT_DATABASE = "neo4j"
#: How long the driver retries a managed transaction that hit a transient error.
MAX_RETRY_S = 10
#: Properties that catalogue queries filter or sort on, range-indexed on every kind label.
#: All are validated to be short (ISO dates, a stance from a fixed list, line numbers).
#: Not `name` or `topic`: free text, and Neo4j's range (~8 KB) and text (~32 KB) indexes
#: refuse longer values, yet untrusted input with a 10,000-character name must still load.
#: Name lookups go through the full-text index, which has no such limit.
INDEXED_PROPERTIES = ("date", "start", "stance", "line")
FULLTEXT_INDEX = "actorgraph_names"
FULLTEXT_PROPERTIES = ("name", "name_kk", "name_ru", "aliases")
#: Generation markers (see the module docstring): index names, and the label they index.
GENERATION_PREFIX = "actorgraph_generation_"
GENERATION_LABEL = neo4j_staged.MARKER_LABEL
GENERATION_NAME = re.compile(rf"^{GENERATION_PREFIX}(\d+)_(\d+)(?:_([0-9a-f]+))?$")
#: The transaction metadata key that tags a load (its value is in the load's marker name).
LOAD_TAG = "actorgraph_load"
LOAD_OPEN = (
    f"SHOW TRANSACTIONS YIELD metaData WHERE metaData.{LOAD_TAG} = $tag AND metaData.{LOAD_TAG} IS NOT NULL "
    "RETURN count(*) AS open"
)
MARKERS = (
    f"SHOW INDEXES YIELD name WHERE name STARTS WITH '{GENERATION_PREFIX}' "
    f"OR name STARTS WITH '{neo4j_staged.BUILD_PREFIX}' RETURN name ORDER BY name"
)
#: The most rows (the old graph's nodes and relationships plus the new graph's) a build
#: replaces in ONE transaction; larger builds are staged in batches (`neo4j_staged`).
#: A row took ~2 KB of transaction memory (1M relationships: 5.4 GiB), so 100,000 rows stay
#: near 250 MB, inside docker-compose.yml's 768 MB. ACTORGRAPH_NEO4J_TX_ROWS overrides it.
ONE_TRANSACTION_ROWS = 100_000
#: Two untagged markers (older versions) older than this are left over from a loader killed while committing.
STALE_SWITCH_S = 120
#: How long a read keeps retrying while loads keep committing under it.
READ_RETRY_S = 60
T = TypeVar("T")
HINT_START = "is it running? (`docker compose up -d --wait`, or set ACTORGRAPH_NEO4J_URI / --neo4j-uri)"


def open_neo4j(
    uri: str | None = None, user: str | None = None, password: str | None = None, database: str | None = None
) -> Neo4jEngine:
    """Connect to Neo4j; arguments default to the ACTORGRAPH_NEO4J_* environment variables.

    No password (empty or unset) means no authentication, as on the test server.
    """
    return Neo4jEngine(
        uri or os.environ.get("ACTORGRAPH_NEO4J_URI") or DEFAULT_URI,
        user or os.environ.get("ACTORGRAPH_NEO4J_USER") or DEFAULT_USER,
        password if password is not None else os.environ.get("ACTORGRAPH_NEO4J_PASSWORD", ""),
        database or os.environ.get("ACTORGRAPH_NEO4J_DATABASE") or DEFAULT_DATABASE,
    )


def schema_ddl() -> dict[str, str]:
    """The DDL `ensure_schema` runs, by the name of what it creates; labels come only from the allow-list.

    `id` gets a range index per kind, not a uniqueness constraint, as on the embedded
    engine: loads refuse duplicate ids before writing (`loaders/`), and a constraint made
    replacing a graph slower with its size squared. A load deletes the old graph in the
    transaction that writes the new one, and each node it then created was checked
    against every entry that transaction had removed from the constraint's index
    (100k relationships: 25 s to replace against 7.5 s into an empty database; 10k: 2.0
    against 1.6 s; with plain indexes the replacement takes 10 s; bench/RESULTS.md).
    """
    ddl = {}
    for kind in KINDS:
        for prop in ("id", *INDEXED_PROPERTIES):
            name = f"actorgraph_{kind.lower()}_{prop}"
            ddl[name] = f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{kind}) ON (n.{prop})"
    for rel in RELATIONSHIPS:  # at_lines seeks a range of lines per relationship type
        name = f"actorgraph_rel_{rel.lower()}_line"
        ddl[name] = f"CREATE INDEX {name} IF NOT EXISTS FOR ()-[r:{rel}]-() ON (r.line)"
    properties = ", ".join(f"n.{prop}" for prop in FULLTEXT_PROPERTIES)
    ddl[FULLTEXT_INDEX] = (
        f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (n:{'|'.join(KINDS)}) ON EACH [{properties}]"
    )
    return ddl


def schema_statements() -> list[str]:
    """The DDL `ensure_schema` runs (each is idempotent)."""
    return list(schema_ddl().values())


class Neo4jEngine(Engine):
    """A Neo4j 5 server reached over Bolt. The password is never shown in messages."""

    name = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str) -> None:
        import logging

        import neo4j
        from neo4j import exceptions

        from actorgraph.graph.neo4j_connect import check_bolt_uri, connection_failed

        # the driver logs failures as warnings too; without a handler Python prints them raw on stderr
        logging.getLogger("neo4j").addHandler(logging.NullHandler())
        self.uri, self.user, self.database = check_bolt_uri(uri), user, database
        self.one_transaction_rows = int(os.environ.get("ACTORGRAPH_NEO4J_TX_ROWS") or ONE_TRANSACTION_ROWS)
        self._driver: Any = None
        # every session and query of this engine shares one bookmark manager, so on a cluster a
        # read after a build waits for a member that has the build (read-your-writes)
        self._bookmarks = neo4j.GraphDatabase.bookmark_manager()
        try:
            self._driver = neo4j.GraphDatabase.driver(
                uri,
                auth=(user, password) if password else None,
                connection_timeout=5,
                max_transaction_retry_time=MAX_RETRY_S,
                # no "relationship type not in the database" warnings on every catalogue query
                notifications_min_severity="OFF",
            )
            self._driver.verify_connectivity()
            self._driver.execute_query(
                "RETURN 1", database_=database, routing_=neo4j.RoutingControl.READ, bookmark_manager_=self._bookmarks
            )
        except exceptions.AuthError as exc:
            self._close_quietly()
            if not password:
                raise EngineUnavailable(
                    f"Neo4j at {uri} requires a password: set ACTORGRAPH_NEO4J_PASSWORD (or --neo4j-password)"
                ) from exc
            raise EngineUnavailable(
                f"Neo4j at {uri} refused user {user!r}: wrong user or password "
                "(check ACTORGRAPH_NEO4J_USER / ACTORGRAPH_NEO4J_PASSWORD, or the password in .env)"
            ) from exc
        except exceptions.Neo4jError as exc:
            self._close_quietly()
            code = exc.code or ""
            if "DatabaseNotFound" in code:
                raise EngineUnavailable(
                    f"Neo4j at {uri} has no database {database!r}: set ACTORGRAPH_NEO4J_DATABASE "
                    "(Neo4j Community has only 'neo4j')"
                ) from exc
            if "CredentialsExpired" in code:
                raise EngineUnavailable(
                    f"Neo4j at {uri} accepted user {user!r} but its password must be changed first: "
                    "log in once in Neo4j Browser (http://localhost:7474) and choose a new one"
                ) from exc
            raise EngineUnavailable(f"Neo4j at {uri} refused the connection: {_first_line(exc)}") from exc
        except (exceptions.DriverError, OSError, ValueError) as exc:
            self._close_quietly()
            raise connection_failed(uri, exc) from exc

    def _close_quietly(self) -> None:
        driver, self._driver = self._driver, None
        if driver is not None:
            try:
                driver.close()
            except Exception:  # noqa: BLE001 - closing after a failure must not hide it
                pass

    def _session(self, access: str) -> Any:
        if self._driver is None:
            raise EngineUnavailable(f"the connection to Neo4j at {self.uri} is closed")
        return self._driver.session(
            database=self.database, default_access_mode=access, bookmark_manager=self._bookmarks
        )

    def _write_session(self) -> Any:
        import neo4j

        return self._session(neo4j.WRITE_ACCESS)

    def _load_open(self, tag: str) -> bool:
        """Whether the load tagged `tag` still holds a transaction open on the server.

        Asked of the member that takes writes (where loads run): on a cluster, a follower
        that serves reads does not know the leader's transactions.
        """
        import neo4j

        records, _, _ = self._driver.execute_query(
            LOAD_OPEN,
            {"tag": tag},
            database_=self.database,
            routing_=neo4j.RoutingControl.WRITE,
            bookmark_manager_=None,
        )
        return bool(records[0]["open"])

    # ------------------------------------------------------------------ queries
    def run(self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[Row]:
        import neo4j

        if write:
            with self._errors("the query"), self._session(neo4j.WRITE_ACCESS) as session:
                rows, counters = session.execute_write(lambda tx: _written(tx, cypher, params))
            relationships_changed = bool(counters.relationships_created or counters.relationships_deleted)
            if corroboration.write_changes_counts(
                cypher, relationships_changed=relationships_changed, properties_changed=bool(counters.properties_set)
            ) and corroboration.has_counts(self.run):
                with self._errors("counting the facts' sources again after the write"):
                    self.count_stored()
            return rows
        return self.read_consistent(lambda reader: reader.run(cypher, params))

    def read_consistent(self, work: Callable[[Engine], T]) -> T:
        """Run all of `work`'s reads in one read transaction, again if a load committed meanwhile."""
        import neo4j

        def guarded(tx: Any) -> tuple[list[str], bool, T | None, list[str]]:
            before = _markers(tx)
            if build_markers(before):  # a staged build is under way or was interrupted: read nothing
                return before, True, None, before
            switching = self._switching(before)  # asked before the reads: a load that is not open cannot commit
            result = work(_TransactionReader(tx))
            return before, switching, result, _markers(tx)

        with self._errors("the query"):
            deadline = time.monotonic() + READ_RETRY_S
            while True:
                with self._session(neo4j.READ_ACCESS) as session:
                    before, switching, result, after = session.execute_read(guarded)
                if before == after and not switching:
                    return result  # type: ignore[return-value]  # None only while a build marker stands
                building = build_markers(before)
                if building and not self._load_open(building[-1].tag) and self._still_marked(building[-1]):
                    raise incomplete(self.describe(), building[-1])  # a lease that is gone never comes back
                if time.monotonic() > deadline:
                    if building:
                        raise EngineError(
                            f"a build has been replacing the graph in {self.describe()} for "
                            f"{int(time.time()) - building[-1].started} s; run this again when it has finished"
                        )
                    raise QueryError(
                        f"the graph was replaced while this query ran, again and again for {READ_RETRY_S} s; "
                        "run it again when the builds have finished"
                    )
                time.sleep(0.2 if building else 0.02)  # a load is writing or committing: read once it has

    def replace_graph(self, statements: Iterable[Statement], *, progress: ProgressCallback | None = None) -> None:
        """Delete the old graph and write the new one in ONE transaction (see the module docstring)."""
        with self._load() as tx:
            for cypher, params in statements:
                tx.run(cypher, params).consume()
                if progress:
                    progress(len(params.get("rows", ())) or 1)

    def replace_graph_rows(
        self,
        rows: Iterable[Write],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        progress: ProgressCallback | None = None,
    ) -> None:
        """As `replace_graph`: in one transaction if old and new graph fit in `one_transaction_rows`, else staged.

        Node batches return each new node's `elementId`, and relationship batches find
        their end nodes by it: a direct lookup instead of a seek in the `id` index. After
        the old graph's deletion in the same transaction, every index seek also works
        through that deleted state: replacing a 100k graph spent 71 s in relationship
        batches matched by `id` and 2.3 s matched by element id (bench/RESULTS.md).
        Only the first `one_transaction_rows` rows are held in memory to choose the way.
        """
        with self._errors("the load (the previous graph is unchanged)"):
            self.ensure_schema()
            self._repair_interrupted_build()
            room = self.one_transaction_rows - self._graph_rows()
            iterator = iter(rows)
            head = list(itertools.islice(iterator, max(room, 0) + 1))
            rows = itertools.chain(head, iterator)
        if len(head) > room:
            self._replace_staged(batches(rows, batch_size), progress)
            return
        element_ids: dict[str, str] = {}
        node_cypher: dict[tuple[str, ...], str] = {}
        with self._load(prepared=True, counted=True) as tx:
            for batch in batches(rows, batch_size):
                first = batch[0]
                cypher = ""
                if isinstance(first, NodeWrite):
                    cypher = node_cypher.setdefault(
                        first.labels, f"{node_statement(first.labels)} RETURN r.id AS id, elementId(n) AS element_id"
                    )
                neo4j_staged.write_batch(tx, batch, element_ids, cypher)
                if progress:
                    progress(len(batch))

    def _replace_staged(self, stream: Iterable[Any], progress: ProgressCallback | None) -> None:
        """Stage the new graph in batches, switch to it, delete the old one (see `neo4j_staged`)."""
        tag = secrets.token_hex(6)
        build = StagedBuild(self._write_session, tag)
        unchanged = "the load (the previous graph is unchanged)"
        with self._errors(unchanged), neo4j_staged.lease(self._write_session, LOAD_TAG, tag):
            with self._errors(unchanged):
                build.mark("staging")
                try:
                    build.stage(stream, progress)
                except BaseException:
                    try:  # the old graph is still the graph: take the staged part away again
                        build.abandon()
                    except Exception:  # noqa: BLE001 - the marker stays; readers are told to rebuild
                        pass
                    raise
                build.mark("switched")
            # from here on the new graph is the graph; a failure leaves the marker, and the repair
            finished = (
                f"removing the old graph after the new one was written (run `{neo4j_staged.REPAIR_COMMAND}` again)"
            )
            with self._errors(finished):
                build.finish()
                self._new_generation(tag, commit=build.unmark)

    def _still_marked(self, marker: neo4j_staged.BuildMarker) -> bool:
        """Whether `marker` still stands (a build that finished in the meantime has dropped it)."""
        import neo4j

        with self._session(neo4j.READ_ACCESS) as session:
            return marker.name in session.execute_read(_markers)

    def _graph_rows(self) -> int:
        """Nodes plus relationships in the graph now (from Neo4j's counts store: instant)."""
        import neo4j

        with self._session(neo4j.WRITE_ACCESS) as session:
            nodes = session.run("MATCH (n) RETURN count(n) AS n").single()["n"]
            return nodes + session.run("MATCH ()-[r]->() RETURN count(r) AS n").single()["n"]

    def _repair_interrupted_build(self) -> None:
        """Before a build: refuse if another runs; finish or undo what an interrupted one left."""
        import neo4j

        with self._session(neo4j.WRITE_ACCESS) as session:
            markers = build_markers(_markers(session))
        for marker in markers:
            if self._load_open(marker.tag):
                raise EngineError(
                    f"another build has been replacing the graph in {self.describe()} for "
                    f"{int(time.time()) - marker.started} s; run this again when it has finished"
                )
        if markers:
            neo4j_staged.repair(self._write_session, markers)

    @contextmanager
    def _load(self, *, prepared: bool = False, counted: bool = False) -> Iterator[Any]:
        """The one write transaction of a load: old graph deleted first, committed as a new generation.

        `counted`: rows carry what `corroborated` reads (`corroboration.with_counts`), or a streamed
        load leaves it out; otherwise (Cypher statements) the server counts it.
        """
        import neo4j

        tag = secrets.token_hex(6)
        with self._errors("the load (the previous graph is unchanged)"):
            if not prepared:
                self.ensure_schema()
                self._repair_interrupted_build()
            with (
                self._session(neo4j.WRITE_ACCESS) as session,
                session.begin_transaction(metadata={LOAD_TAG: tag}) as tx,
            ):
                # leaving the block without commit() (an error, Ctrl-C) rolls everything back
                tx.run("MATCH (n) DETACH DELETE n").consume()
                yield tx
                if not counted:  # the new graph's counts, before anyone sees it
                    tx.run(corroboration.STORE_CYPHER).consume()
                self._new_generation(tag, commit=tx.commit)

    def _new_generation(self, tag: str, commit: Callable[[], None]) -> None:
        """Run `commit` between creating the next generation marker and dropping the older ones."""
        import neo4j

        with self._session(neo4j.WRITE_ACCESS) as session:
            older = [name for name in _markers(session) if GENERATION_NAME.match(name)]
            numbers = [int(match.group(1)) for name in older if (match := GENERATION_NAME.match(name))]
            generation = max(numbers, default=0) + 1
            marker = f"{GENERATION_PREFIX}{generation:09d}_{int(time.time())}_{tag}"
            # two markers may not index the same property: each indexes its own
            session.run(f"CREATE INDEX {marker} FOR (n:{GENERATION_LABEL}) ON (n.generation_{generation})").consume()
            try:
                commit()
            finally:
                # even after a failed commit: a commit that failed on the way back may have
                # happened, and a newer marker on an unchanged graph costs readers nothing
                for name in older:
                    session.run(f"DROP INDEX {name} IF EXISTS").consume()

    def count_stored(self) -> None:
        """Count again what builds store on nodes (`corroboration.py`), in batched transactions."""
        neo4j_staged.clean(self._write_session, corroboration.batched_cypher(neo4j_staged.CLEAN_TX_ROWS))

    def ensure_schema(self) -> None:
        """Range indexes on `id` and on filtered properties per kind, a full-text index on names (idempotent)."""
        import neo4j

        with self._errors("creating the schema"), self._session(neo4j.WRITE_ACCESS) as session:
            # databases built by earlier versions have uniqueness constraints on `id` under
            # the names the plain indexes now take (see `schema_ddl`): replace them
            older = "SHOW CONSTRAINTS YIELD name WHERE name STARTS WITH 'actorgraph_' RETURN name"
            for record in list(session.run(older)):
                session.run(f"DROP CONSTRAINT `{record['name']}` IF EXISTS").consume()
            # only what is missing (running all of them on every build cost ~1.3 s even when they
            # all existed), and all in one transaction: the indexes are then populated together, in
            # one scan of the store, instead of one scan and one schema transaction each
            existing = {record["name"] for record in session.run("SHOW INDEXES YIELD name")}
            missing = [cypher for name, cypher in schema_ddl().items() if name not in existing]
            if missing:
                with session.begin_transaction() as tx:
                    for cypher in missing:
                        tx.run(cypher).consume()
                    tx.commit()
            session.run("CALL db.awaitIndexes(300)").consume()

    def labels(self) -> list[str]:
        return sorted(row["label"] for row in self.run("MATCH (n) UNWIND labels(n) AS label RETURN DISTINCT label"))

    def relationship_types(self) -> list[str]:
        return sorted(row["t"] for row in self.run("MATCH ()-[r]->() RETURN DISTINCT type(r) AS t"))

    def describe(self) -> str:
        return f"Neo4j at {self.uri} (database {self.database})"

    def close(self) -> None:
        self._close_quietly()

    def _switching(self, markers: list[str]) -> bool:
        """Whether a load is committing now: two generation markers, and the newer one's load still open.

        A load killed after writing its marker has no open transaction: the read goes on at
        once instead of waiting for the marker to grow stale (it took 60-120 s before).
        """
        generations = [name for name in markers if name.startswith(GENERATION_PREFIX)]
        if len(generations) < 2:
            return False
        match = GENERATION_NAME.match(generations[-1])
        if match is None:
            return True
        if match.group(3):
            return self._load_open(match.group(3))
        return time.time() - int(match.group(2)) < STALE_SWITCH_S

    @contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        """Turn driver errors into `QueryError` / `EngineUnavailable` with messages fit for users."""
        from neo4j import exceptions

        try:
            yield
        except exceptions.Neo4jError as exc:
            code, message = exc.code or "", exc.message or str(exc)
            if "AccessMode" in code or "read access mode" in message:
                raise QueryError(
                    "this query writes, and the graph is open read-only (use --write to allow writes)"
                ) from exc
            if "too large to index" in message:
                raise QueryError(
                    f"{what} failed: a value is too long for a Neo4j index (ids, dates and stances must stay "
                    f"under 8 KB): {_first_line(exc)}"
                ) from exc
            if "MemoryLimitExceeded" in code or "MemoryPool" in code:
                raise QueryError(
                    f"{what} failed: Neo4j ran out of transaction memory; raise db.memory.transaction.total.max "
                    "(NEO4J_db_memory_transaction_total_max in docker-compose.yml)"
                ) from exc
            if isinstance(exc, exceptions.TransientError):
                raise QueryError(f"{what} failed on a passing Neo4j error; run it again: {_first_line(exc)}") from exc
            raise QueryError(message) from exc
        except (exceptions.ServiceUnavailable, exceptions.SessionExpired, exceptions.IncompleteCommit, OSError) as exc:
            raise EngineUnavailable(f"lost the connection to Neo4j at {self.uri} during {what}; {HINT_START}") from exc
        except exceptions.DriverError as exc:
            raise QueryError(f"{what} failed: {_first_line(exc)}") from exc


def _markers(runner: Any) -> list[str]:
    """The generation markers now committed, in order (`runner`: a session or a transaction)."""
    return [record["name"] for record in runner.run(MARKERS)]


def _written(tx: Any, cypher: str, params: dict[str, Any] | None) -> tuple[list[Row], Any]:
    """A write's rows, and its counters (what it created, deleted and set)."""
    result = tx.run(cypher, params or {})
    rows = [{key: _plain(value) for key, value in record.items()} for record in result]
    return rows, result.consume().counters


class _TransactionReader:
    """The reads of `read_consistent`, all in one transaction (the `Engine` methods readers use)."""

    name = "neo4j"

    def __init__(self, tx: Any) -> None:
        self.tx = tx

    def run(self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[Row]:
        return list(self.stream(cypher, params))

    def stream(self, cypher: str, params: dict[str, Any] | None = None) -> Iterator[Row]:
        for record in self.tx.run(cypher, params or {}):
            yield {key: _plain(value) for key, value in record.items()}

    def stream_whole(self, cypher: str, by_node_ids: str) -> Iterator[Row]:
        """The whole read in one query: the driver fetches its records in batches as they are read."""
        return self.stream(cypher)

    def read_consistent(self, work: Callable[[Any], T]) -> T:
        return work(self)


def _first_line(exc: BaseException) -> str:
    """The first line of an error's message (server messages can run to a paragraph)."""
    from neo4j.exceptions import Neo4jError

    text = ((exc.message if isinstance(exc, Neo4jError) else None) or str(exc)).strip() or type(exc).__name__
    return text.splitlines()[0]


def _plain(value: Any) -> Any:
    """Convert driver values to the engine-neutral types in `engine.py` (temporals to ISO strings)."""
    from neo4j import graph

    if isinstance(value, graph.Node):
        return Node(labels=sorted(value.labels), properties={k: _plain(v) for k, v in value.items()})
    if isinstance(value, graph.Relationship):
        return Relationship(
            type=value.type,
            start=value.start_node.element_id if value.start_node is not None else None,
            end=value.end_node.element_id if value.end_node is not None else None,
            properties={k: _plain(v) for k, v in value.items()},
        )
    if isinstance(value, graph.Path):
        return Path(nodes=[_plain(n) for n in value.nodes], relationships=[_plain(r) for r in value.relationships])
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value
