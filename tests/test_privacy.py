"""The embedded server is private: a 0700 socket folder, no TCP port, no server outliving its command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import MINI_DATA, MINI_SOURCES, actorgraph

from actorgraph.graph import open_engine
from actorgraph.graph.embedded import STATE_FILE

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


def test_the_neo4j_password_is_never_printed(tmp_path):
    secret = "SeCrEt-0f-t3st-9431"
    for how in (["--neo4j-password", secret], []):
        env = {} if how else {"ACTORGRAPH_NEO4J_PASSWORD": secret}
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "actorgraph.cli",
                "stats",
                "--engine",
                "neo4j",
                "--neo4j-uri",
                "bolt://127.0.0.1:1",
                *how,
            ],
            capture_output=True,
            text=True,
            env={**os.environ, **env, "COLUMNS": "200"},
            timeout=60,
        )
        assert result.returncode != 0 and "Traceback" not in result.stderr
        assert "bolt://127.0.0.1:1" in result.stderr
        assert secret not in result.stdout + result.stderr
    assert not any(secret in path.read_text(errors="replace") for path in tmp_path.rglob("*") if path.is_file())
