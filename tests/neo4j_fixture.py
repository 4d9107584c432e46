"""A real Neo4j 5 for the tests, started from tools/neo4j-test-server without Docker.

The launcher is built once with Maven (its cache makes later builds fast), started as
a child process that prints `BOLT_URI=...` when ready, and stopped at the end of the
session by closing its standard input (then SIGTERM, then SIGKILL): no JVM outlives
the tests, and if pytest itself is killed the launcher sees its stdin close and stops.
Without Java 17+ or Maven the Neo4j tests skip with the reason, unless
ACTORGRAPH_REQUIRE_NEO4J=1 (CI), where they fail.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

SERVER_DIR = Path(__file__).resolve().parents[1] / "tools" / "neo4j-test-server"
START_TIMEOUT_S = 120
BUILD_TIMEOUT_S = 900
JAVA_OPTIONS = [
    "-Xms512m",
    "-Xmx1g",
    "-XX:+UseSerialGC",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
]
#: Test servers live for seconds to minutes on a 2-core machine, where the C2 compiler's
#: threads cost more CPU than they save: with C1 only a start took 8 s of CPU instead of 13.
SHORT_LIVED = ["-XX:TieredStopAtLevel=1"]
#: Classes the test server loads, shared from a CDS archive (5.5 s of CPU per start with both).
CLASS_ARCHIVE = SERVER_DIR / "target" / "neo4j-test-server.jsa"
_build_lock = threading.Lock()


def _unavailable(reason: str) -> None:
    """Skip the Neo4j tests, or fail them where CI requires Neo4j."""
    if os.environ.get("ACTORGRAPH_REQUIRE_NEO4J") == "1":
        pytest.fail(f"Neo4j is required here (ACTORGRAPH_REQUIRE_NEO4J=1) but {reason}", pytrace=False)
    pytest.skip(f"Neo4j tests skipped: {reason}")


def _java_major(java: str) -> int:
    """The major version of `java` (17 for "17.0.15"), 0 if it cannot be told."""
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.TimeoutExpired):
        return 0
    match = re.search(r'version "(\d+)', out)
    return int(match.group(1)) if match else 0


def build_java_tool(folder: Path, why: str, unavailable: Callable[[str], None] = _unavailable) -> tuple[str, str]:
    """Build the Maven project in `folder` if its jar is missing or older than its sources.

    Returns the `java` command and the class path (the jar and its dependencies). Test
    processes (pytest-xdist workers) may ask at once: a lock file lets one build while
    the others wait. Without Java 17+ or Maven, `unavailable` is called with the reason.
    """
    java, mvn = shutil.which("java"), shutil.which("mvn")
    if not java or not mvn:
        missing = " and ".join(name for name, path in (("java", java), ("mvn", mvn)) if not path)
        unavailable(f"{missing} not found; Java 17 and Maven {why}")
    assert java and mvn
    if _java_major(java) < 17:
        unavailable(f"{java} is older than Java 17, which {folder.name} needs")
    target = folder / "target"
    jar = target / f"{folder.name}-1.0.jar"
    classpath = target / "classpath.txt"
    target.mkdir(exist_ok=True)
    with _build_lock, open(target / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        sources = [folder / "pom.xml", *folder.glob("src/**/*.java")]
        newest = max(path.stat().st_mtime for path in sources)
        if not jar.exists() or not classpath.exists() or newest > jar.stat().st_mtime:
            try:
                built = subprocess.run(
                    [mvn, "-q", "-B", "package", "-DskipTests"],
                    cwd=folder,
                    capture_output=True,
                    text=True,
                    timeout=BUILD_TIMEOUT_S,
                )
            except subprocess.TimeoutExpired:
                unavailable(f"building tools/{folder.name} took over {BUILD_TIMEOUT_S} s")
            if built.returncode != 0:
                unavailable(f"building tools/{folder.name} failed:\n{built.stdout[-2000:]}{built.stderr[-2000:]}")
    return java, f"{jar}{os.pathsep}{classpath.read_text().strip()}"


def build_launcher(*, short_lived: bool = True) -> list[str]:
    """Build the launcher with Maven if needed; return the java command that starts it.

    `short_lived` (tests): C1 only and the class archive (see `SHORT_LIVED`,
    `ensure_class_archive`); benchmarks pass False and get the full JIT.
    """
    java, classpath = build_java_tool(SERVER_DIR, "start the in-process Neo4j (bash .ci/setup-neo4j.sh)")
    main = ["-cp", classpath, "actorgraph.Neo4jTestServer"]
    if not short_lived:
        return [java, *JAVA_OPTIONS, *main]
    archive = ensure_class_archive([java, *JAVA_OPTIONS, *SHORT_LIVED, *main])
    sharing = [f"-XX:SharedArchiveFile={archive}"] if archive else []
    return [java, *JAVA_OPTIONS, *SHORT_LIVED, *sharing, *main]


def ensure_class_archive(command: list[str]) -> Path | None:
    """A CDS archive of the classes a test server loads, made once per build of the launcher.

    Made by starting the server once with `-XX:ArchiveClassesAtExit` (its classes are dumped
    when it exits); later servers map it instead of loading and verifying ~10k classes.
    None when it cannot be made (the servers then start without it, only slower).
    """
    jar = SERVER_DIR / "target" / f"{SERVER_DIR.name}-1.0.jar"
    with _build_lock, open(SERVER_DIR / "target" / ".archive.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one xdist worker makes it, the others wait
        if CLASS_ARCHIVE.exists() and CLASS_ARCHIVE.stat().st_mtime >= jar.stat().st_mtime:
            return CLASS_ARCHIVE
        partial = CLASS_ARCHIVE.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        workdir = Path(tempfile.mkdtemp(prefix="actorgraph-neo4j-archive-"))
        try:
            dump = [command[0], f"-XX:ArchiveClassesAtExit={partial}", *command[1:], str(workdir)]
            process = subprocess.Popen(
                dump, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            )
            assert process.stdin is not None and process.stdout is not None
            watchdog = threading.Timer(START_TIMEOUT_S, process.kill)  # a server that never starts
            watchdog.start()
            for line in process.stdout:
                if line.startswith("BOLT_URI="):
                    _warm_up(line.strip().split("=", 1)[1])
                    break
            process.stdin.close()  # the launcher stops; the JVM writes the archive as it exits
            process.stdout.read()
            process.wait(timeout=START_TIMEOUT_S)
            watchdog.cancel()
            if process.returncode == 0 and partial.exists():
                os.replace(partial, CLASS_ARCHIVE)
        except (OSError, subprocess.SubprocessError):
            pass
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        return CLASS_ARCHIVE if CLASS_ARCHIVE.exists() else None


def _warm_up(uri: str) -> None:
    """Run the kinds of statements the tests run, so that their classes go into the archive."""
    import neo4j

    with contextlib.suppress(Exception), neo4j.GraphDatabase.driver(uri) as driver, driver.session() as session:
        session.run("CREATE INDEX warm IF NOT EXISTS FOR (n:Warm) ON (n.id)").consume()
        session.run("UNWIND range(1, 500) AS i MERGE (n:Warm {id: i}) SET n.name = toString(i)").consume()
        session.run("MATCH (a:Warm), (b:Warm) WHERE b.id = a.id + 1 CREATE (a)-[:NEXT {at: a.id}]->(b)").consume()
        session.run("MATCH p = (:Warm)-[:NEXT*1..3]->(:Warm) RETURN count(p) AS n").consume()
        session.run("CALL db.labels() YIELD label RETURN collect(label) AS labels").consume()


def stop(process: subprocess.Popen[str]) -> None:
    """Close stdin (the launcher's stop signal), then SIGTERM, then SIGKILL. Safe to call twice."""
    if process.poll() is None:
        try:
            if process.stdin:
                process.stdin.close()
            process.wait(timeout=20)
        except (subprocess.TimeoutExpired, OSError):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def start_server(
    workdir: Path,
    *,
    auth: bool = False,
    copy_from: Path | None = None,
    heap_mb: int | None = None,
    pagecache_mb: int | None = None,
    tx_memory_mb: int | None = None,
) -> tuple[subprocess.Popen[str], str]:
    """Start the launcher in `workdir` and wait for its BOLT_URI line; return it and the URI.

    `auth=True` starts a server that requires a password (the built-in user keeps its
    initial, expired one), for tests of refused credentials. `copy_from` starts from a
    copy of an earlier server's folder (see `server_folder`), to restart a killed server.
    `heap_mb` and `pagecache_mb` size a server for benchmarks (tests use 1 GB and 64 MB);
    `tx_memory_mb` caps all transactions' memory together, as docker-compose.yml does (768).
    """
    command = build_launcher(short_lived=not heap_mb)
    if heap_mb:  # a parallel collector for a big heap: the serial one stops the world for seconds
        command = [
            "-XX:+UseParallelGC" if part == "-XX:+UseSerialGC" else part
            for part in command
            if not part.startswith(("-Xms", "-Xmx"))
        ]
        command.insert(1, f"-Xmx{heap_mb}m")
        command.insert(1, f"-Xms{heap_mb}m")
    command += [str(workdir), *(["--auth"] if auth else [])]
    if copy_from is not None:
        command += ["--copy-from", str(copy_from)]
    if pagecache_mb:
        command += ["--pagecache-mb", str(pagecache_mb)]
    if tx_memory_mb:
        command += ["--tx-memory-mb", str(tx_memory_mb)]
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    )
    atexit.register(stop, process)
    ready = threading.Event()
    found: list[str] = []
    output: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:  # ends when the launcher exits
            if line.startswith("BOLT_URI=") and not found:
                found.append(line.strip().split("=", 1)[1].rstrip("/"))
                ready.set()
            else:
                output.append(line)
        ready.set()

    threading.Thread(target=read, name="neo4j-test-server-output", daemon=True).start()
    started = time.monotonic()
    ready.wait(START_TIMEOUT_S)
    if not found:
        exited = process.poll()
        stop(process)
        status = f"exited with status {exited}" if exited is not None else "did not print its URI"
        _unavailable(
            f"the Neo4j test server {status} after {time.monotonic() - started:.0f} s "
            f"(limit {START_TIMEOUT_S} s):\n{''.join(output)[-3000:]}"
        )
    return process, found[0]


def server_folder(workdir: Path) -> Path:
    """The folder a server started in `workdir` keeps its databases in (the harness names it)."""
    folders = [path for path in workdir.iterdir() if path.is_dir()]
    assert len(folders) == 1, f"expected one server folder in {workdir}, found {folders}"
    return folders[0]


@pytest.fixture(scope="session")
def neo4j_uri() -> Iterator[str]:
    """The Bolt URI of a real, in-process Neo4j 5 (auth off), shared by the whole session."""
    workdir = Path(tempfile.mkdtemp(prefix="actorgraph-neo4j-"))
    try:
        process, uri = start_server(workdir)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    try:
        yield uri
    finally:
        stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


def wipe_neo4j(uri: str, database: str = "neo4j") -> None:
    """Empty the database between tests (data, and the markers of builds a test interrupted; indexes stay)."""
    import neo4j

    with neo4j.GraphDatabase.driver(uri, auth=None) as driver, driver.session(database=database) as session:
        # an auto-commit query, so a large graph is deleted in batches rather than one huge transaction
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
        builds = "SHOW INDEXES YIELD name WHERE name STARTS WITH 'actorgraph_build_' RETURN name"
        for record in list(session.run(builds)):
            session.run(f"DROP INDEX {record['name']} IF EXISTS").consume()


if __name__ == "__main__":  # CI's set-up: build the launcher and its class archive before the tests
    print(" ".join(build_launcher()))
