"""A real Neo4j 5 for the tests, started from tools/neo4j-test-server without Docker.

The launcher is built once with Maven (its cache makes later builds fast), started as
a child process that prints `BOLT_URI=...` when ready, and stopped at the end of the
session by closing its standard input (then SIGTERM, then SIGKILL): no JVM outlives
the tests. Without Java or Maven the Neo4j tests skip with the reason, unless
ACTORGRAPH_REQUIRE_NEO4J=1 (CI), where they fail.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

SERVER_DIR = Path(__file__).resolve().parents[1] / "tools" / "neo4j-test-server"
START_TIMEOUT_S = 180
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


def _unavailable(reason: str) -> None:
    if os.environ.get("ACTORGRAPH_REQUIRE_NEO4J") == "1":
        pytest.fail(f"Neo4j is required here (ACTORGRAPH_REQUIRE_NEO4J=1) but {reason}")
    pytest.skip(f"Neo4j tests skipped: {reason}")


def build_launcher() -> list[str]:
    """Build the launcher with Maven if needed; return the java command that starts it."""
    java, mvn = shutil.which("java"), shutil.which("mvn")
    if not java or not mvn:
        _unavailable("Java 17 and Maven are needed to start the in-process Neo4j test server")
    jar = SERVER_DIR / "target" / "neo4j-test-server-1.0.jar"
    classpath = SERVER_DIR / "target" / "classpath.txt"
    sources = [SERVER_DIR / "pom.xml", *SERVER_DIR.glob("src/**/*.java")]
    stale = not jar.exists() or not classpath.exists() or max(p.stat().st_mtime for p in sources) > jar.stat().st_mtime
    if stale:
        built = subprocess.run(
            [mvn, "-q", "-B", "package", "-DskipTests"], cwd=SERVER_DIR, capture_output=True, text=True, timeout=900
        )
        if built.returncode != 0:
            _unavailable(f"building tools/neo4j-test-server failed:\n{built.stdout[-2000:]}{built.stderr[-2000:]}")
    return [
        java,
        *JAVA_OPTIONS,
        "-cp",
        f"{jar}{os.pathsep}{classpath.read_text().strip()}",
        "actorgraph.Neo4jTestServer",
    ]


def stop(process: subprocess.Popen[str]) -> None:
    """Close stdin (the launcher's stop signal), then SIGTERM, then SIGKILL."""
    if process.poll() is not None:
        return
    try:
        if process.stdin:
            process.stdin.close()
        process.wait(timeout=30)
    except (subprocess.TimeoutExpired, OSError):
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_server(workdir: Path) -> tuple[subprocess.Popen[str], str]:
    """Start the launcher and wait for its BOLT_URI line."""
    command = build_launcher()
    process = subprocess.Popen(
        [*command, str(workdir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    atexit.register(stop, process)
    found: list[str] = []
    output: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("BOLT_URI=") and not found:
                found.append(line.strip().split("=", 1)[1].rstrip("/"))
            else:
                output.append(line)

    threading.Thread(target=read, daemon=True).start()
    deadline = START_TIMEOUT_S
    waited = 0.0
    while not found and process.poll() is None and waited < deadline:
        threading.Event().wait(0.1)
        waited += 0.1
    if not found:
        stop(process)
        _unavailable(f"the Neo4j test server did not start in {deadline} s:\n{''.join(output)[-3000:]}")
    return process, found[0]


@pytest.fixture(scope="session")
def neo4j_uri() -> Iterator[str]:
    """The Bolt URI of a real, in-process Neo4j 5 (auth off), for the whole session."""
    workdir = Path(tempfile.mkdtemp(prefix="actorgraph-neo4j-"))
    process, uri = start_server(workdir)
    try:
        yield uri
    finally:
        stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


def wipe_neo4j(uri: str) -> None:
    """Empty the database between tests (data only; indexes and constraints stay)."""
    import neo4j

    with neo4j.GraphDatabase.driver(uri, auth=None) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n", database_="neo4j")
