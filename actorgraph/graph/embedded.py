"""The embedded engine: FalkorDB in a private server process that actorgraph starts and stops itself.

The server's life and its snapshots on disk are in `falkor_server.py`, the encoding of
parameters and results in `falkor_wire.py`, the bulk-insert format in `falkor_bulk.py`;
this module is the engine: queries, and replacing the whole graph safely.

How a build replaces the graph (`_staging`):

1. It takes the home's *build lock* (`build.lock`, an flock released if its holder
   dies): a second build waits for the first (up to `build_wait_s()`), then is refused.
2. It writes the new graph under a staging key of its own (`actorgraph__staging_<pid>_<random>`);
   readers keep reading the live graph.
3. It records `actorgraph__pending` = its staging key, and saves: the snapshot on
   disk now holds the old live graph, the complete new one, and the pending mark.
   If that save fails (a full disk), the staging graph is dropped: nothing changed.
4. In one MULTI/EXEC it renames the staging graph over the live one, deletes the
   mark and increments `actorgraph__generation`; then it saves again. If the process
   or the server dies between 3 and the second save, whoever opens the home next
   finds the mark (in memory or in the snapshot) and completes the swap first.

So readers see the new graph only once it is on disk, and never the old one after.
Commands that read with several queries (`stats`, `export`, `map`, `analyze`) use
`read_consistent`, which reads the generation before and after and reads again if a
swap came between.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from actorgraph.graph.corroboration import has_counts, store_corroboration, write_changes_counts
from actorgraph.graph.degrees import store_degrees
from actorgraph.graph.engine import (
    Engine,
    EngineError,
    EngineUnavailable,
    ProgressCallback,
    QueryError,
    Row,
    Statement,
)
from actorgraph.graph.falkor_bulk import BulkWriter
from actorgraph.graph.falkor_pages import pages
from actorgraph.graph.falkor_server import (
    SAVE_TIMEOUT_S,
    STATE_FILE,
    UNSUPPORTED_PLATFORM,
    ServerProcess,
    lost_server,
    make_private,
)
from actorgraph.graph.falkor_wire import params_header, plain, unsendable
from actorgraph.graph.schema import KINDS, RELATIONSHIPS
from actorgraph.graph.writes import DEFAULT_BATCH_SIZE, Write

__all__ = ["STATE_FILE", "EmbeddedEngine", "open_embedded", "schema_statements"]

T = TypeVar("T")
GRAPH_KEY = "actorgraph"
STAGING_PREFIX = "actorgraph__staging"
PENDING_KEY = "actorgraph__pending"
GENERATION_KEY = "actorgraph__generation"
BUILD_LOCK_FILE = "build.lock"
#: How long a build waits for another build of the same home before it gives up (seconds).
BUILD_WAIT_DEFAULT_S = 600.0


def build_wait_s() -> float:
    """The build wait: ACTORGRAPH_BUILD_WAIT_S when set, read when a build starts (not at import)."""
    return float(os.environ.get("ACTORGRAPH_BUILD_WAIT_S", BUILD_WAIT_DEFAULT_S))


#: How long a multi-query read keeps trying while builds keep swapping the graph under it.
READ_RETRY_S = 60.0
#: Progress is reported every this many rows of a bulk write.
PROGRESS_EVERY = 5000
INDEX_STATUS = "CALL db.indexes() YIELD status RETURN status"


class EmbeddedEngine(Engine):
    """FalkorDB in a private server process. See the module docstring."""

    name = "embedded"

    def __init__(self, home: Path, *, keep_running: bool = False) -> None:
        self.home = Path(home)
        self.keep_running = keep_running
        self._db: Any = None
        self._graph: Any = None
        self._closed = False
        #: Degrees the staging graph's bulk load counted (`degrees.py`), for `_staging` to store.
        self._counted_degrees: dict[int, int] | None = None
        self._prepare_home()
        self.server = ServerProcess(self.home)
        self.notices = self.server.notices
        #: Told about things worth saying while a command runs (e.g. waiting for another
        #: build); the CLI prints them at once, a library caller finds them in `notices`.
        self.on_notice: Callable[[str], None] = self.notices.append
        self._db = self.server.open()
        # a script that forgets close() (or ends with an exception) must not leave a server behind
        atexit.register(self.close)
        with self._lost():
            self._finish_interrupted_swap()
            self._graph = self._db.select_graph(GRAPH_KEY)
            if not self._exists(GRAPH_KEY):
                # read-only queries refuse a missing key: start with an empty graph and its indexes
                for cypher, params in schema_statements():
                    self._graph.query(cypher, params)

    def _prepare_home(self) -> None:
        try:
            make_private(self.home)
            # a unique probe file: processes opening the same home at once must not race
            with tempfile.TemporaryFile(dir=self.home) as probe:
                probe.write(b"ok")  # a byte, so that a full disk shows here
                probe.flush()
        except OSError as exc:
            raise EngineUnavailable(
                f"cannot use {self.home} as the actorgraph home: {exc.strerror or exc}. "
                "Choose another with --home or ACTORGRAPH_HOME."
            ) from exc

    @property
    def socket_path(self) -> str:
        return self.server.state["socket"]

    @property
    def _state(self) -> dict[str, Any]:
        return self.server.state

    @contextlib.contextmanager
    def _lost(self) -> Iterator[None]:
        """Turn a vanished server (and the server's other replies) into errors fit for users."""
        import redis

        try:
            yield
        except (redis.exceptions.ConnectionError, OSError) as exc:
            raise lost_server(exc) from exc
        except redis.exceptions.ResponseError as exc:
            raise QueryError(f"the embedded server refused: {exc}") from exc

    # ------------------------------------------------------------------ queries
    def run(self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[Row]:
        result = self._execute(self._graph, cypher, params, write=write)
        if write:
            relationships_changed = bool(result.relationships_created or result.relationships_deleted)
            if relationships_changed:
                store_degrees(self._writer(self._graph), fresh=False)  # degrees.py: they changed
            properties_changed = bool(result.properties_set or result.properties_removed)
            if write_changes_counts(
                cypher, relationships_changed=relationships_changed, properties_changed=properties_changed
            ) and has_counts(lambda read: self._call(self._graph, read, None, write=False)):
                store_corroboration(self._writer(self._graph), fresh=False)
            self._save()
        return _rows(result)

    def stream_whole(self, cypher: str, by_node_ids: str) -> Iterator[Row]:
        """`by_node_ids` a page of node ids at a time, read lean, the next page asked for early (`falkor_pages.py`)."""
        last = self._call(self._graph, "MATCH (n) RETURN max(id(n)) AS last", None, write=False)[0]["last"]
        if last is not None:
            with self._lost(), self._compact_channel() as (send, receive):
                yield from pages(send, receive, by_node_ids, {}, int(last))

    @contextlib.contextmanager
    def _compact_channel(
        self,
    ) -> Iterator[tuple[Callable[[str, dict[str, Any]], None], Callable[[], list[Any]]]]:
        """`send(cypher, params)` and `receive()` of read-only queries' compact replies, on a connection of
        their own, so that a query can be sent before the reply to the last one is read.

        A reply still on its way when the reading stops (an error, a reader that stopped
        early) would be taken for the answer to the connection's next command: such a
        connection is closed, not given back as it is.
        """
        pool = self._db.connection.connection_pool
        connection = pool.get_connection()
        pending = 0

        def send(cypher: str, params: dict[str, Any]) -> None:
            nonlocal pending
            # parameters are plain numbers here
            connection.send_command("GRAPH.RO_QUERY", GRAPH_KEY, (params_header(params) or "") + cypher, "--compact")
            pending += 1

        def receive() -> list[Any]:
            nonlocal pending
            pending -= 1  # read, or failed: a failed read closes the connection itself
            return connection.read_response()

        try:
            yield send, receive
        finally:
            if pending:
                connection.disconnect()
            pool.release(connection)

    def read_consistent(self, work: Callable[[Engine], T]) -> T:
        """Run `work(self)` so that all its queries see one graph: again if a build swapped it meanwhile."""
        deadline = time.monotonic() + READ_RETRY_S
        while True:
            before = self._generation()
            result = work(self)
            if self._generation() == before:
                return result
            if time.monotonic() > deadline:
                raise QueryError(
                    f"the graph was replaced while this command read it, again and again for {READ_RETRY_S:.0f} s; "
                    "run it again when the builds have finished"
                )

    def _generation(self) -> int:
        with self._lost():
            return int(self._db.connection.get(GENERATION_KEY) or 0)

    def _call(self, graph: Any, cypher: str, params: dict[str, Any] | None, *, write: bool) -> list[Row]:
        return _rows(self._execute(graph, cypher, params, write=write))

    def _writer(self, graph: Any) -> Callable[[str, dict[str, Any] | None], list[Row]]:
        """`write(cypher, params)` on `graph`, returning its rows: for bookkeeping steps (`degrees.py`)."""
        return lambda cypher, params: self._call(graph, cypher, params, write=True)

    def _execute(self, graph: Any, cypher: str, params: dict[str, Any] | None, *, write: bool) -> Any:
        """Run one query; FalkorDB's result (rows still in its form, and its write statistics)."""
        import redis

        header = params_header(params) if params else ""
        if header is None:  # text with control characters: the client's own (slower) encoder
            # Parameters travel as text in the query header, and the server reads it as
            # a C string: a NUL would cut the query short (and see `unsendable`).
            reason = unsendable(params or {})
            if reason:
                raise QueryError(reason)
            query, query_params = cypher, params
        else:
            query, query_params = header + cypher, None

        try:
            result = (graph.query if write else graph.ro_query)(query, query_params)
        except redis.exceptions.ResponseError as exc:
            message = str(exc)
            if "read-only" in message or "RO_QUERY" in message:
                message = "this query writes, and the graph is open read-only (use --write to allow writes)"
            raise QueryError(message) from exc
        except (redis.exceptions.ConnectionError, OSError) as exc:
            raise lost_server(exc) from exc
        return result

    def _save(self) -> None:
        self.server.save(self._db.connection)

    # ------------------------------------------------------------ replacing
    def replace_graph(
        self,
        statements: Iterable[Statement],
        *,
        progress: ProgressCallback | None = None,
    ) -> None:
        with self._staging() as staging:
            for cypher, params in schema_statements():
                self._call(staging, cypher, params, write=True)
            for cypher, params in statements:
                self._call(staging, cypher, params, write=True)
                if progress:
                    progress(len(params.get("rows", ())) or 1)
            store_corroboration(self._writer(staging))  # statements are not rows: the server counts

    def replace_graph_rows(
        self,
        rows: Iterable[Write],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        progress: ProgressCallback | None = None,
    ) -> None:
        """Write the rows with FalkorDB's binary bulk insert (`falkor_bulk.py`), then index them.

        About 10x faster than the same load as Cypher batches (bench/RESULTS.md).
        `batch_size` is not used: calls are sized by entities and bytes instead.
        """
        with self._staging() as staging:
            # an empty first call creates the graph, so its indexes exist before the data
            # and the server fills them as it inserts, while this process packs the next call
            self._bulk_call(staging.name, ["BEGIN", 0, 0, 0, 0])
            for cypher, params in schema_statements():
                self._call(staging, cypher, params, write=True)
            writer = BulkWriter(lambda args: self._bulk_call(staging.name, args))
            try:
                unreported = 0
                for row in rows:
                    writer.add(row)
                    unreported += 1
                    if progress and unreported == PROGRESS_EVERY:
                        progress(unreported)
                        unreported = 0
                writer.finish()
            except BaseException:
                writer.abandon()
                raise
            if progress and unreported:
                progress(unreported)
            self._await_indexes(staging)
            self._counted_degrees = writer.actor_degrees()  # stored by _staging, not counted again

    def _bulk_call(self, key: str, args: list[Any]) -> Any:
        """One `GRAPH.BULK` call into the staging graph, its errors in the engine's terms."""
        return self._raw_command("GRAPH.BULK", key, *args, refused="the embedded server refused the bulk write")

    def _raw_command(self, *command: Any, refused: str = "the embedded server refused") -> Any:
        """One raw server command, its errors in the engine's terms."""
        import redis

        try:
            return self._db.connection.execute_command(*command)
        except redis.exceptions.ResponseError as exc:
            raise QueryError(f"{refused}: {exc}") from exc
        except (redis.exceptions.ConnectionError, OSError) as exc:
            raise lost_server(exc) from exc

    def _await_indexes(self, graph: Any) -> None:
        """Wait until FalkorDB has finished filling the indexes it builds in the background."""
        deadline = time.monotonic() + SAVE_TIMEOUT_S
        while any(row["status"] != "OPERATIONAL" for row in self._call(graph, INDEX_STATUS, None, write=False)):
            if time.monotonic() > deadline:
                raise EngineError(f"the indexes of the new graph were not ready after {SAVE_TIMEOUT_S} s")
            time.sleep(0.01)

    @contextlib.contextmanager
    def _staging(self) -> Iterator[Any]:
        """Build a new graph under a staging key of this build, then make it durable and swap it in.

        On any error before the swap the staging graph is dropped and the live graph is
        untouched (see the module docstring for the order of saves and swap).
        """
        with self._build_lock():
            key = f"{STAGING_PREFIX}_{os.getpid()}_{secrets.token_hex(4)}"
            self._counted_degrees = None
            with self._lost():
                self._finish_interrupted_swap(locked=True)
                self._drop_staging()  # left by builds that died: nobody else builds now
            staging = self._db.select_graph(key)
            try:
                yield staging
                with self._lost():
                    if not self._exists(key):  # nothing written at all: an empty graph with its indexes
                        for cypher, params in schema_statements():
                            staging.query(cypher, params)
                    # part of the new graph, before anyone sees it; counted by the bulk load when there was one
                    counted, self._counted_degrees = self._counted_degrees, None
                    store_degrees(self._writer(staging), counted=counted)
                    self._db.connection.set(PENDING_KEY, key)
                self._save()  # durable before anyone sees it
            except BaseException:
                with contextlib.suppress(Exception):
                    self._db.connection.delete(PENDING_KEY, key)
                raise
            with self._lost():
                self._swap(key)
            self._graph = self._db.select_graph(GRAPH_KEY)
            with contextlib.suppress(EngineError):
                # the build is durable already: the snapshot holds the pending mark, and
                # the next server to load it completes the swap
                self._save()

    def _swap(self, key: str) -> None:
        """Rename the staging graph over the live one, clear the mark and bump the generation, atomically."""
        pipe = self._db.connection.pipeline(transaction=True)
        pipe.rename(key, GRAPH_KEY)
        pipe.delete(PENDING_KEY)
        pipe.incr(GENERATION_KEY)
        pipe.execute()

    def _finish_interrupted_swap(self, *, locked: bool = False) -> None:
        """Complete the swap of a build that saved its graph and then died (see the module docstring)."""
        pending = self._db.connection.get(PENDING_KEY)
        if pending is None:
            return
        with contextlib.ExitStack() as stack:
            if not locked:
                fd = os.open(self.home / BUILD_LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
                stack.callback(os.close, fd)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    return  # its build is alive and will swap it in itself
            pending = self._db.connection.get(PENDING_KEY)
            if pending is None:
                return
            key = pending if isinstance(pending, str) else pending.decode()
            if self._exists(key):
                self._swap(key)
                self.notices.append("finished replacing the graph by the last build, which had saved it and stopped")
            else:
                self._db.connection.delete(PENDING_KEY)
            self._graph = self._db.select_graph(GRAPH_KEY)
            with contextlib.suppress(EngineError):
                self._save()

    def _drop_staging(self) -> None:
        keys = list(self._db.connection.scan_iter(match=f"{STAGING_PREFIX}*"))
        if keys:
            self._db.connection.delete(*keys)

    @contextlib.contextmanager
    def _build_lock(self) -> Iterator[None]:
        """Hold the home's build lock: one build at a time, the next waits (see `build_wait_s`)."""
        path = self.home / BUILD_LOCK_FILE
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            wait_s = build_wait_s()
            deadline = time.monotonic() + wait_s
            waited = False
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "another process"
                    if not waited:
                        waited = True
                        self.on_notice(
                            f"another build (pid {holder}) is replacing the graph in {self.home}; "
                            f"waiting for it to finish (at most {wait_s:.0f} s, ACTORGRAPH_BUILD_WAIT_S)"
                        )
                    if time.monotonic() > deadline:
                        raise EngineError(
                            f"another build (pid {holder}) is still replacing the graph in {self.home}; "
                            f"waited {wait_s:.0f} s - run this build again when it has finished"
                        ) from None
                    time.sleep(0.05)
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
            yield
        finally:
            os.close(fd)

    def _exists(self, key: str) -> bool:
        return bool(self._db.connection.exists(key))

    def count_stored(self) -> None:
        write = self._writer(self._graph)
        store_degrees(write, fresh=False)
        store_corroboration(write, fresh=False)
        self._save()

    def ensure_schema(self) -> None:
        for cypher, params in schema_statements():
            with contextlib.suppress(QueryError):  # already there
                self._call(self._graph, cypher, params, write=True)

    def describe(self) -> str:
        return f"embedded FalkorDB in {self.home}"

    # ----------------------------------------------------------------- shutdown
    def close(self) -> None:
        """Disconnect; the last process to close stops the server (unless asked to keep it up).

        A server kept up is still stopped by its watchdog once unused for a while.
        """
        if self._closed:
            return
        self._closed = True
        atexit.unregister(self.close)
        with contextlib.suppress(Exception):
            self._db.connection.close()
        if self.keep_running:
            return
        self.server.release()


def _rows(result: Any) -> list[Row]:
    """A FalkorDB result's rows as dicts of plain values, keyed by column."""
    columns = [column[1] for column in result.header]
    return [dict(zip(columns, (plain(value) for value in row), strict=True)) for row in result.result_set]


def schema_statements() -> list[Statement]:
    """Indexes on `id` for every kind label, for MERGE and lookups, and on `line` for every kind and type.

    `line` lets at_lines seek a range of lines per label and relationship type instead of
    reading every relationship (FalkorDB indexes a relationship property per type only).
    """
    return [
        *((f"CREATE INDEX FOR (n:{kind}) ON (n.id)", {}) for kind in KINDS),
        *((f"CREATE INDEX FOR (n:{kind}) ON (n.line)", {}) for kind in KINDS),
        *((f"CREATE INDEX FOR ()-[r:{rel}]-() ON (r.line)", {}) for rel in RELATIONSHIPS),
    ]


def open_embedded(home: Path, *, keep_running: bool = False) -> EmbeddedEngine:
    """Start (or join) the embedded server for `home`."""
    if sys.platform != "linux":
        raise EngineUnavailable(UNSUPPORTED_PLATFORM)
    return EmbeddedEngine(home, keep_running=keep_running)
