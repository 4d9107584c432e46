"""Faults: nothing lost, clear errors.

An unwritable home and a full disk (a real, tiny tmpfs) each give a clear one-line
error, and the saved graph stays; kill -9 of the embedded server (idle or mid-query) is noticed and repaired by the
next command; kill -9 of the loader mid-load leaves the previous graph on both engines; Neo4j
killed during a load fails it cleanly, and restarted on its files it still holds the old graph.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MINI_DATA, MINI_SOURCES, REPO, actorgraph, export_json
from test_privacy import _servers_for

from actorgraph.graph import open_engine
from actorgraph.graph.embedded import STAGING_PREFIX, STATE_FILE

DATA = ["--data", str(MINI_DATA), "--sources", str(MINI_SOURCES)]


def big_bulk_dataset(root: Path, relationships: int) -> list[str]:
    """A synthetic JSON Lines data set (bench/synth.py): streamed, so it starts writing at once.

    The embedded engine loads 300k relationships in seconds; on Neo4j 20k keep a load
    in one transaction (old + new under `ONE_TRANSACTION_ROWS`) for several seconds.
    """
    sys.path.insert(0, str(REPO / "bench"))
    import synth

    synth.write(relationships, 7, root / "bulk")
    return ["--data", str(root / "bulk" / "graph.jsonl"), "--sources", str(root / "bulk")]


def start_build(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    env.pop("ACTORGRAPH_NEO4J_PASSWORD", None)
    return subprocess.Popen(
        [sys.executable, "-m", "actorgraph.cli", "build", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def wait_until_neo4j_load_writes(uri: str, loader: subprocess.Popen[str], timeout: float = 360) -> None:
    """Return once the loader holds an open transaction on the server that has written (holds locks).

    Asks the server (`SHOW TRANSACTIONS`) rather than sleeping, so a test can prove the kill
    came in the middle of the write and not before it started or after it finished. The
    limit is generous: with the suite in parallel on a busy machine, checking 40k YAML
    records before the first write took over 120 s.
    """
    import neo4j

    deadline = time.monotonic() + timeout
    with neo4j.GraphDatabase.driver(uri, auth=None) as driver:
        while loader.poll() is None and time.monotonic() < deadline:
            records, _, _ = driver.execute_query(
                "SHOW TRANSACTIONS YIELD currentQuery, activeLockCount "
                "WHERE activeLockCount > 0 AND NOT currentQuery STARTS WITH 'SHOW' RETURN count(*) AS writing",
                database_="neo4j",
            )
            if records[0]["writing"]:
                time.sleep(0.5)  # a few more batches in
                break
            time.sleep(0.1)
    assert loader.poll() is None, "the load finished (or failed) before it could be interrupted"
    assert time.monotonic() < deadline, "the load never started writing"


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A 2 MiB tmpfs (needs root and mount); skipped where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Fill `disk` to the brim, then free `leave` bytes."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


@pytest.mark.parametrize("leave", [0, 8192], ids=["no-room-at-all", "no-room-to-save"])
def test_full_disk_is_a_clear_error_and_keeps_the_graph(tiny_disk, leave):
    home = ["--home", str(tiny_disk / "home")]
    assert actorgraph("build", *DATA, *home).returncode == 0
    before = export_json(*home)
    filler = fill(tiny_disk, leave)
    result = actorgraph("build", *DATA, *home)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and ("No space left" in errors[0] or "bytes free" in errors[0]), result.stderr
    filler.unlink()
    assert export_json(*home) == before


def test_loader_killed_mid_load_on_neo4j_leaves_previous_graph(neo4j_uri, tmp_path):
    from conftest import wipe_neo4j

    wipe_neo4j(neo4j_uri)
    engine = ["--engine", "neo4j", "--neo4j-uri", neo4j_uri]
    assert actorgraph("build", *DATA, *engine).returncode == 0
    before = export_json(*engine)
    loader = start_build(*big_bulk_dataset(tmp_path, 20_000), *engine)
    wait_until_neo4j_load_writes(neo4j_uri, loader)
    loader.send_signal(signal.SIGKILL)
    loader.wait(timeout=30)
    assert export_json(*engine) == before
    assert actorgraph("build", *DATA, *engine).returncode == 0
    assert export_json(*engine) == before


def test_neo4j_going_away_mid_load_fails_cleanly(tmp_path):
    fixture = pytest.importorskip("neo4j_fixture")
    workdir = tmp_path / "neo4j"
    workdir.mkdir()
    server, uri = fixture.start_server(workdir)
    try:
        engine = ["--engine", "neo4j", "--neo4j-uri", uri]
        assert actorgraph("build", *DATA, *engine).returncode == 0
        before = export_json(*engine)
        loader = start_build(*big_bulk_dataset(tmp_path, 20_000), *engine)
        wait_until_neo4j_load_writes(uri, loader)
        server.kill()  # SIGKILL: no clean shutdown, the store must recover on restart
        server.wait(timeout=30)
        _, err = loader.communicate(timeout=120)
        assert loader.returncode != 0
        assert "Traceback" not in err
        assert "Neo4j" in err, err
    finally:
        fixture.stop(server)
    # restart on a copy of the killed server's files: it recovers the graph before the load
    again = tmp_path / "neo4j-again"
    again.mkdir()
    server, uri = fixture.start_server(again, copy_from=fixture.server_folder(workdir))
    try:
        engine = ["--engine", "neo4j", "--neo4j-uri", uri]
        assert export_json(*engine) == before
        assert actorgraph("build", *DATA, *engine).returncode == 0
        assert export_json(*engine) == before
    finally:
        fixture.stop(server)


def test_unwritable_home_is_a_clear_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    result = actorgraph("stats", "--home", str(blocker / "home"))
    assert result.returncode == 3
    assert "cannot use" in result.stderr and "--home" in result.stderr and "Traceback" not in result.stderr


def test_server_killed_while_idle_is_restarted_with_saved_data(home):
    assert actorgraph("build", *DATA).returncode == 0
    before = export_json()
    engine = open_engine("embedded", home=home, keep_running=True)
    pid = json.loads((home / STATE_FILE).read_text())["pid"]
    engine.close()
    os.kill(pid, signal.SIGKILL)
    result = actorgraph("stats", "--format", "json")
    assert result.returncode == 0
    assert "no longer running" in result.stderr and "restarted it from the last saved data" in result.stderr
    assert export_json() == before


def test_server_killed_during_a_query_fails_cleanly_then_recovers(home):
    assert actorgraph("build", *DATA).returncode == 0
    before = export_json()
    slow = "UNWIND range(1, 30000000) AS i WITH i WHERE i % 7 = 0 RETURN count(i) AS n"
    query = subprocess.Popen(
        [sys.executable, "-m", "actorgraph.cli", "query", slow],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while not _servers_for(home) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    for pid in _servers_for(home):
        os.kill(pid, signal.SIGKILL)
    out, err = query.communicate(timeout=60)
    assert query.returncode != 0 and "Traceback" not in err and "run the command again" in err
    again = actorgraph("stats")
    assert again.returncode == 0 and "restarted" in again.stderr
    assert export_json() == before


def test_loader_killed_mid_load_leaves_previous_graph(home, tmp_path):
    assert actorgraph("build", *DATA).returncode == 0
    before = export_json()
    loader = start_build(*big_bulk_dataset(tmp_path, 300_000))
    probe = open_engine("embedded", home=home)
    try:
        deadline = time.monotonic() + 120
        keys: list[str] = []
        while not keys and time.monotonic() < deadline and loader.poll() is None:
            time.sleep(0.05)
            keys = list(probe._db.connection.scan_iter(match=f"{STAGING_PREFIX}*"))
        staging = probe._db.select_graph(str(keys[0]))
        written = 0
        while not written and time.monotonic() < deadline and loader.poll() is None:
            time.sleep(0.05)
            written = probe._call(staging, "MATCH (n) RETURN count(n) AS n", None, write=False)[0]["n"]
        staged = probe.run("MATCH (n) RETURN count(n) AS n")  # the live graph, read while the load writes
        assert loader.poll() is None, "the load finished before it could be interrupted"
        assert written > 0, "the kill must come while the new graph is being written"
        loader.send_signal(signal.SIGKILL)
        loader.wait(timeout=30)
        assert staged == [{"n": len(before["nodes"])}]
        assert probe.run("MATCH (n) RETURN count(n) AS n") == [{"n": len(before["nodes"])}]
    finally:
        probe.close()
    assert export_json() == before
    assert actorgraph("build", *DATA).returncode == 0
    assert export_json() == before
