"""Builds that overlap, die or fail to save never destroy the graph, and every read sees one graph (issue 19).

Each test here failed on the code before the fix (noted per test): overlapping builds
on one home, a build killed right after its swap, a failed save with a reader
attached, an unloadable graph.rdb, multi-query reads during builds, a server lost
while a build saves, a Neo4j load killed right after its generation marker, and the
home's file modes. Graphs are small and loops bounded, so that each test takes seconds.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import MINI_DATA, MINI_SOURCES, REPO, actorgraph, export_json
from test_faults import fill, tiny_disk  # noqa: F401 - the fixture is used by name

from actorgraph.graph import open_engine
from actorgraph.graph.falkor_server import RDB_FILE, STATE_FILE, children_of, servers_of

MINI = ["--data", str(MINI_DATA), "--sources", str(MINI_SOURCES)]


def synth(root: Path, relationships: int, seed: int = 1) -> list[str]:
    """A synthetic JSON Lines data set (bench/synth.py) whose ids differ from the mini data set's."""
    sys.path.insert(0, str(REPO / "bench"))
    import synth as generator

    folder = root / f"synth-{relationships}-{seed}"
    if not folder.exists():
        generator.write(relationships, seed, folder)
    return ["--data", str(folder / "graph.jsonl"), "--sources", str(folder)]


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    full = {**os.environ, **(env or {}), "NO_COLOR": "1", "COLUMNS": "200"}
    full.pop("ACTORGRAPH_NEO4J_PASSWORD", None)
    return subprocess.Popen(
        [sys.executable, "-m", "actorgraph.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=full,
    )


def stats(*args: str) -> dict:
    result = actorgraph("stats", "-f", "json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


# ------------------------------------------------------------------ item 1: overlapping builds
def test_overlapping_builds_both_finish_and_leave_a_loadable_graph(home, tmp_path):
    """Before: two builds 0-0.3 s apart shared one staging key; one failed ("Invalid graph
    operation on empty key") in 5 of 8 trials, and sometimes graph.rdb could not be loaded."""
    small, big = MINI, synth(tmp_path, 20_000)
    assert actorgraph("build", *big).returncode == 0
    big_stats = stats()
    assert actorgraph("build", *small).returncode == 0
    small_stats = stats()
    for delay in (0.0, 0.15, 0.3):
        first = cli("build", "-q", *big)
        time.sleep(delay)
        second = cli("build", "-q", *small)
        for build in (first, second):
            _, err = build.communicate(timeout=120)
            assert build.returncode == 0, err
        # both done, the server stopped: this start loads graph.rdb from disk
        assert wait_for(lambda: not servers_of(home), 10)
        assert stats() in (small_stats, big_stats)  # whichever build took the lock second


def test_a_build_that_cannot_get_the_lock_is_refused_clearly(home):
    """Before: there was no lock; the build went ahead beside the other one."""
    import fcntl

    assert actorgraph("build", *MINI).returncode == 0
    before = export_json()
    fd = os.open(home / "build.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, b"4242", 0)
        result = actorgraph("build", *MINI, env={"ACTORGRAPH_BUILD_WAIT_S": "1"})
    finally:
        os.close(fd)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "another build (pid 4242) is replacing the graph" in result.stderr
    assert "waiting for it to finish" in result.stderr  # said at once, not only after the wait
    assert "another build (pid 4242) is still replacing the graph" in result.stderr
    assert export_json() == before


def test_an_unloadable_graph_rdb_falls_back_to_the_last_good_snapshot(home, tmp_path):
    """Before: the server failed to start on every command until the file was removed by hand."""
    assert actorgraph("build", *MINI).returncode == 0
    good = stats()  # this start loaded graph.rdb: it is now the last good snapshot
    assert actorgraph("build", *synth(tmp_path, 2000)).returncode == 0
    rdb = home / RDB_FILE
    rdb.write_bytes(rdb.read_bytes()[: rdb.stat().st_size // 2])  # a torn snapshot
    result = actorgraph("stats", "-f", "json")
    assert result.returncode == 0, result.stderr
    assert "could not be loaded" in result.stderr and "last good snapshot" in result.stderr
    assert json.loads(result.stdout) == good
    assert list(home.glob(f"{RDB_FILE}.broken-*")), "the unloadable file must be kept for inspection"


# --------------------------------------------------------------- item 3: durable before visible
KILL_AFTER_SWAP = """
import os, signal, sys, time
import redis.connection
base = getattr(redis.connection, "AbstractConnection", redis.connection.Connection)
send = base.send_packed_command
when = sys.argv.pop(1)
def send_then_die(self, command, check_health=True):
    payload = command if isinstance(command, (bytes, bytearray)) else b"".join(command)
    if b"RENAME" in payload and when == "before-swap":
        os.kill(os.getpid(), signal.SIGKILL)  # saved with its pending mark, not swapped
    send(self, command, check_health)
    if b"RENAME" in payload:
        time.sleep(0.3)  # the server has swapped; the build dies before anything else
        os.kill(os.getpid(), signal.SIGKILL)
base.send_packed_command = send_then_die
sys.argv = ["actorgraph", "build", "-q", *sys.argv[1:]]
from actorgraph.cli import main
main()
"""


@pytest.mark.parametrize("when", ["after-swap", "before-swap"])
def test_a_build_killed_at_its_swap_never_brings_the_old_graph_back(home, tmp_path, when):
    """Before: readers saw the new graph, and once the server stopped (SHUTDOWN NOSAVE) the old one came back.

    Killed after saving but before swapping, the build is complete on disk: the next command finishes it.
    """
    assert actorgraph("build", *MINI).returncode == 0
    old = stats()
    env = {**os.environ, "ACTORGRAPH_SERVER_IDLE_S": "600"}
    killed = subprocess.run(
        [sys.executable, "-c", KILL_AFTER_SWAP, when, *synth(tmp_path, 2000)], capture_output=True, text=True, env=env
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    new = stats()  # the server the build left behind
    assert new != old
    assert wait_for(lambda: not servers_of(home), 10)
    assert stats() == new  # a new server, from the file on disk
    assert stats() == new


def test_a_failed_save_never_shows_the_new_graph_to_a_reader(tiny_disk, tmp_path):  # noqa: F811
    """Before: the swap came before the save, so a reader attached to the server saw the
    graph whose save then failed, and the old one again after the server stopped."""
    home = tiny_disk / "home"
    args = ["--home", str(home)]
    assert actorgraph("build", *MINI, *args).returncode == 0
    old = export_json(*args)
    reader = open_engine("embedded", home=home)  # keeps this server up through the failed build
    try:
        filler = fill(tiny_disk, 8192)
        result = actorgraph("build", *synth(tmp_path, 2000), *args)
        assert result.returncode != 0 and "Traceback" not in result.stderr
        assert reader.run("MATCH (n) RETURN count(n) AS n") == [{"n": len(old["nodes"])}]
        filler.unlink()
    finally:
        reader.close()
    assert export_json(*args) == old


# ---------------------------------------------------------- item 2: multi-query reads are one graph
READER = """
import json, sys, time
from actorgraph.graph import open_engine
from actorgraph.graph.nodelink import count_graph, read_node_link
from actorgraph.graph.spool import Spool, read_spool
import pathlib
name, opts, stop = sys.argv[1], json.loads(sys.argv[2]), pathlib.Path(sys.argv[3])
engine = open_engine(name, **opts)
reads, problems = 0, []
while not stop.exists():
    data = read_node_link(engine)
    ids = {node["id"] for node in data["nodes"]}
    dangling = [link for link in data["links"] if link["source"] not in ids or link["target"] not in ids]
    if dangling:
        problems.append(f"export: {len(data['nodes'])} nodes, {len(dangling)} of {len(data['links'])} links dangling")
    with Spool() as spool:  # what `export` writes from: pages read in one consistent read
        read_spool(engine, spool)
        ids = {node["id"] for node in spool.nodes()}
        if any(link["source"] not in ids or link["target"] not in ids for link in spool.links()):
            problems.append(f"spooled export: {len(ids)} nodes, links dangling")
    counts = count_graph(engine)
    if sum(counts["types"].values()) != counts["totals"]["relationships"]:
        problems.append(f"stats: types add up to {sum(counts['types'].values())}, total {counts['totals']}")
    known = [json.loads(line) for line in sys.argv[5:]]
    if counts not in known:
        problems.append(f"stats: {counts['totals']} is neither graph")
    reads += 1
    pathlib.Path(sys.argv[4]).write_text(str(reads))
    if reads == 1:
        print("reading", flush=True)
engine.close()
print(json.dumps({"reads": reads, "problems": problems[:5]}))
"""


def test_stats_and_exports_see_one_graph_while_builds_alternate(engine_name, engine_cli_args, tmp_path):
    """Before: stats mixed totals of one graph with counts of the other, exports had dangling links."""
    from actorgraph.graph.nodelink import count_graph
    from actorgraph.loaders import build_graph, load, load_dataset

    synth_args = synth(tmp_path, 3000 if engine_name == "embedded" else 300)
    stop = tmp_path / "stop"
    mini = load_dataset(MINI_DATA, [MINI_SOURCES])
    if engine_name == "embedded":
        opts = {"home": engine_cli_args[engine_cli_args.index("--home") + 1]}
    else:
        opts = {"uri": engine_cli_args[engine_cli_args.index("--neo4j-uri") + 1], "password": ""}
    writer = open_engine(engine_name, **opts)
    try:

        def build(round_: int) -> None:
            if round_ % 2:
                build_graph(writer, mini)
            else:
                load(Path(synth_args[1]), writer, sources=Path(synth_args[3]))

        build(1)
        known = [count_graph(writer)]
        build(0)
        known.append(count_graph(writer))
        rounds = 10 if engine_name == "embedded" else 3  # Neo4j loads take seconds each
        readers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    textwrap.dedent(READER),
                    engine_name,
                    json.dumps(opts),
                    str(stop),
                    str(tmp_path / f"reads-{number}"),
                    *map(json.dumps, known),
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for number in range(2)
        ]
        for reader in readers:
            assert reader.stdout is not None and reader.stdout.readline().strip() == "reading"
        round_ = 0
        # at least `rounds` builds, and on until each reader has read 3 times under them (bounded)
        while round_ < rounds or (round_ < 4 * rounds and min(reads_so_far(tmp_path)) < 3):
            build(round_)
            assert all(reader.poll() is None for reader in readers), "a reader stopped early"
            round_ += 1
    finally:
        stop.touch()
        writer.close()
    for reader in readers:
        out, err = reader.communicate(timeout=120)
        assert reader.returncode == 0, err
        report = json.loads(out)
        assert report["reads"] >= 3, report
        assert report["problems"] == [], report


def freeze_children(pid: int) -> list[int]:
    """SIGSTOP the running children of `pid` (a server's snapshot children); the pids stopped."""
    stopped = []
    for child in children_of(pid):
        with contextlib.suppress(ProcessLookupError, FileNotFoundError):
            os.kill(child, signal.SIGSTOP)
            state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
            if state == "T":  # stopped, not a zombie that finished just before
                stopped.append(child)
    return stopped


def reads_so_far(folder: Path) -> list[int]:
    return [int(path.read_text() or 0) for path in sorted(folder.glob("reads-*"))] or [0]


# ------------------------------------------------------------------ item 8: clean errors
def test_a_server_lost_while_a_build_saves_is_a_clean_error(home, tmp_path):
    """Before: redis.exceptions.ConnectionError from _save, as a traceback."""
    assert actorgraph("build", *MINI).returncode == 0
    old = export_json()
    engine = open_engine("embedded", home=home)  # keeps the server (and its pid) known
    server = engine._state["pid"]
    try:
        build = cli("build", "-q", *synth(tmp_path, 20_000), env={"ACTORGRAPH_HOME": str(home)})
        # Freeze the first snapshot child we catch, so that the save cannot finish before the
        # server is killed (on a busy machine a small snapshot could otherwise end in between,
        # and a build whose last save ended is rightly a success).
        frozen: list[int] = []

        def caught() -> bool:
            frozen.extend(freeze_children(server))
            return bool(frozen) or build.poll() is not None

        assert wait_for(caught, 60)
        assert build.poll() is None, "the build ended before it saved"
        os.kill(server, signal.SIGKILL)
        for child in frozen:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        _, err = build.communicate(timeout=60)
    finally:
        engine.close()
    assert build.returncode == 3 and "Traceback" not in err, err
    assert "lost the embedded server" in err
    again = export_json()
    assert again == old or len(again["nodes"]) > len(old["nodes"])  # the old graph, or the whole new one


def test_parameters_the_embedded_server_cannot_take_are_clear_errors(home):
    """Before: a ValueError traceback (a backtick in a map key); a parse error (1e999 sent as inf)."""
    for param, expected in (('m={"a`b": 1}', "backtick"), ("m=1e999", "not a finite number")):
        result = actorgraph("query", "RETURN $m AS m", "-p", param)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert expected in result.stderr


# --------------------------------------------------------------------- item 10: file modes
def test_the_home_and_its_files_are_private(home):
    """Before: the home was 0755 and graph.rdb and server.json 0644."""
    assert actorgraph("build", *MINI).returncode == 0
    engine = open_engine("embedded", home=home)
    try:
        assert stat.S_IMODE(os.stat(home / STATE_FILE).st_mode) == 0o600
    finally:
        engine.close()
    assert stat.S_IMODE(os.stat(home).st_mode) == 0o700
    for path in home.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


# ---------------------------------------------------------------- item 9: Neo4j dead builds
KILL_AT_COMMIT = """
import os, signal, sys
import neo4j
def die(self):
    os.kill(os.getpid(), signal.SIGKILL)  # the marker is written, the load is not committed
neo4j.Transaction.commit = die
from actorgraph.graph import open_engine
from actorgraph.loaders import load
engine = open_engine("neo4j", uri=sys.argv[1], password="")
load(sys.argv[2], engine, sources=sys.argv[3])
"""


def test_a_neo4j_read_after_a_load_killed_at_its_commit_does_not_stall(neo4j_uri, tmp_path):
    """Before: reads retried for 60 s and then failed, as the stale marker pair looked like a commit."""
    from conftest import wipe_neo4j

    wipe_neo4j(neo4j_uri)
    engine_args = ["--engine", "neo4j", "--neo4j-uri", neo4j_uri]
    assert actorgraph("build", *MINI, *engine_args).returncode == 0
    old = stats(*engine_args)
    killed = subprocess.run(
        [sys.executable, "-c", KILL_AT_COMMIT, neo4j_uri, str(MINI_DATA), str(MINI_SOURCES)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    engine = open_engine("neo4j", uri=neo4j_uri, password="")
    try:
        markers = engine.run("SHOW INDEXES YIELD name WHERE name STARTS WITH 'actorgraph_generation_' RETURN name")
        assert len(markers) == 2, "the killed load must have left its marker beside the last one"
    finally:
        engine.close()
    started = time.monotonic()
    assert stats(*engine_args) == old
    assert time.monotonic() - started < 15
    assert actorgraph("build", *MINI, *engine_args).returncode == 0  # and the next build tidies up
    assert stats(*engine_args) == old
