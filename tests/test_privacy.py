"""The embedded server is private and survives faults (readers: see test_concurrency.py)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import MINI_DATA, MINI_SOURCES, actorgraph, export_json

from actorgraph.graph import open_engine
from actorgraph.graph.embedded import STAGING_KEY, STATE_FILE

DATA = ["--data", str(MINI_DATA), "--sources", str(MINI_SOURCES)]


def _listening_inodes() -> set[str]:
    inodes = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(name).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A":  # LISTEN
                inodes.add(fields[9])
    return inodes


def _socket_inodes(pid: int) -> set[str]:
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            found.add(target[8:-1])
    return found


def _servers_for(home: Path) -> list[int]:
    try:
        socket = json.loads((home / STATE_FILE).read_text())["socket"]
    except (OSError, ValueError):
        return []
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
                state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if socket in cmdline and state != "Z":
                pids.append(int(proc.name))
    return pids


def test_server_opens_no_tcp_port_and_socket_dir_is_private(tmp_path):
    before = _listening_inodes()
    engine = open_engine("embedded", home=tmp_path)
    try:
        pid = json.loads((tmp_path / STATE_FILE).read_text())["pid"]
        assert oct(os.stat(Path(engine.socket_path).parent).st_mode & 0o777) == "0o700"
        assert not (_socket_inodes(pid) & _listening_inodes()), "the server listens on TCP"
        assert _listening_inodes() - before == set() or not (_socket_inodes(pid) & (_listening_inodes() - before))
    finally:
        engine.close()


def test_no_server_outlives_the_commands(home):
    assert actorgraph("build", *DATA).returncode == 0
    assert actorgraph("query", "MATCH (n) RETURN count(n) AS n").returncode == 0
    assert actorgraph("stats").returncode == 0
    time.sleep(0.2)
    assert _servers_for(home) == []
    assert not (home / STATE_FILE).exists()


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
    big = tmp_path / "big" / "c"
    big.mkdir(parents=True)
    (tmp_path / "big" / "text.txt").write_text("Line one of a generated text.\n", encoding="utf-8")
    lines = [
        "source: source:gen",
        "nodes:",
        "  - {id: source:gen, labels: [Source], name: Generated, file: text.txt, line: 1, evidence: Line one}",
    ]
    lines += [
        f"  - {{id: place:p{i}, labels: [Place], name: Place {i}, line: 1, evidence: Line one}}" for i in range(60000)
    ]
    (big / "nodes.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    loader = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "actorgraph.cli",
            "build",
            "--data",
            str(big.parent),
            "--sources",
            str(tmp_path / "big"),
            "--batch-size",
            "200",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    probe = open_engine("embedded", home=home)
    try:
        deadline = time.monotonic() + 120
        while not probe._exists(STAGING_KEY) and time.monotonic() < deadline and loader.poll() is None:
            time.sleep(0.05)
        assert loader.poll() is None, "the load finished before it could be interrupted"
        time.sleep(0.3)
        loader.send_signal(signal.SIGKILL)
        loader.wait(timeout=30)
        assert probe.run("MATCH (n) RETURN count(n) AS n") == [{"n": len(before["nodes"])}]
    finally:
        probe.close()
    assert export_json() == before
    assert actorgraph("build", *DATA).returncode == 0
    assert export_json() == before
