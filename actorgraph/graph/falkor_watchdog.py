"""Stops an embedded server that no client has used for a while: `python -m actorgraph.graph.falkor_watchdog HOME PID`.

Normally the last actorgraph process to close stops its server. A process killed
before it could (kill -9, a crash, a kill during start-up) would leave the server
running for ever; redis-server has no idle timeout of its own, so `falkor_server.py`
starts this small process beside every server. Every `POLL_S` it lists the server's
clients over the unix socket (its own connection is named and not counted); once
there has been none for `IDLE_S` it takes the home's server lock, checks again and
sends SHUTDOWN NOSAVE (everything committed is saved already). It exits when the
server does. Standard library only, so that it starts fast.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import sys
import time
from pathlib import Path

from actorgraph.graph.falkor_server import (
    IDLE_S,
    LOCK_FILE,
    STATE_FILE,
    WATCHDOG_NAME,
    cleanup,
    locked,
    pid_alive,
    servers_of,
)

POLL_S = 0.25
#: A watchdog started before its server gives up when no server on its socket appears in this long.
FIND_S = 120.0


class _Connection:
    """A minimal RESP client over a unix socket: enough for CLIENT LIST and SHUTDOWN."""

    def __init__(self, path: str) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(path)
        self.buffer = b""

    def command(self, *args: str) -> object:
        payload = f"*{len(args)}\r\n" + "".join(f"${len(a.encode())}\r\n{a}\r\n" for a in args)
        self.sock.sendall(payload.encode())
        return self._reply()

    def _line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the server closed the connection")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def _reply(self) -> object:
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"$":
            size = int(rest)
            if size < 0:
                return None
            while len(self.buffer) < size + 2:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise ConnectionError("the server closed the connection")
                self.buffer += chunk
            data, self.buffer = self.buffer[:size], self.buffer[size + 2 :]
            return data.decode(errors="replace")
        if kind == b"-":
            raise RuntimeError(rest.decode(errors="replace"))
        return rest.decode(errors="replace")

    def users(self) -> int:
        """Clients other than watchdogs."""
        listing = str(self.command("CLIENT", "LIST"))
        return sum(1 for line in listing.splitlines() if line and f" name={WATCHDOG_NAME} " not in f" {line} ")

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


def _state(home: Path) -> dict[str, object] | None:
    try:
        return json.loads((home / STATE_FILE).read_text())
    except (OSError, ValueError):
        return None


def find_server(home: Path, socket_path: str) -> int:
    """The pid of the server of `home` listening on `socket_path` (0 if none yet).

    From the state file once it is written, else from /proc: redis-server's process
    title names its unix socket (`redis-server unixsocket:/path`), so a server whose
    command was killed before it wrote the state file is found too.
    """
    state = _state(home)
    if state and state.get("socket") == socket_path and state.get("pid"):
        return int(state["pid"])  # type: ignore[arg-type]
    for pid in servers_of(home, deleted_too=True):  # the home may be gone before the server is found
        with contextlib.suppress(OSError):
            if socket_path in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
                return pid
    return 0


def watch(home: Path, pid: int, idle_s: float = IDLE_S, socket_path: str | None = None) -> None:
    """Wait for the server `pid` of `home` to stay unused for `idle_s`, then stop it.

    `pid` 0: started before its server, find it on `socket_path` (give up after FIND_S).
    """
    started = time.monotonic()
    while not pid and socket_path:
        pid = find_server(home, socket_path)
        if not pid and (time.monotonic() - started > FIND_S or not Path(socket_path).parent.exists()):
            return  # never started, or already stopped and cleaned up (its folder is gone)
        time.sleep(0 if pid else POLL_S)
    connection = None
    idle_since = time.monotonic()
    while pid_alive(pid):
        time.sleep(POLL_S)
        try:
            if connection is None:
                if socket_path:
                    if not os.path.exists(socket_path):
                        continue  # still starting: the idle clock runs on
                    connection = _Connection(socket_path)
                    connection.command("CLIENT", "SETNAME", WATCHDOG_NAME)
                    continue
                state = _state(home)
                if not state or state.get("pid") != pid or not os.path.exists(str(state["socket"])):
                    continue  # still starting (or being replaced): the idle clock runs on
                connection = _Connection(str(state["socket"]))
                connection.command("CLIENT", "SETNAME", WATCHDOG_NAME)
            if connection.users():
                idle_since = time.monotonic()
                continue
        except (OSError, ConnectionError, RuntimeError, ValueError):
            if connection is not None:
                connection.close()
                connection = None
            continue  # loading a big graph, or gone: the loop condition decides
        if time.monotonic() - idle_since < idle_s:
            continue
        if not home.is_dir():  # deleted under its server: no lock to take, no data to keep
            _shut_down(connection, pid)
            _remove_run_folder(socket_path)
            return
        with locked(home / LOCK_FILE):
            state = _state(home)
            try:
                if connection.users():  # someone came while we waited for the lock
                    idle_since = time.monotonic()
                    continue
            except (OSError, ConnectionError, RuntimeError):
                pass  # the server is going already: shutting it down below changes nothing
            _shut_down(connection, pid)
            if state and state.get("pid") == pid:
                cleanup(home, state)
            else:
                _remove_run_folder(socket_path)  # a server no state file knew of
        return


def _shut_down(connection: _Connection, pid: int) -> None:
    """Stop the server without saving (every committed write was saved), and wait up to 5 s for it to exit."""
    with contextlib.suppress(OSError, ConnectionError, RuntimeError):
        connection.command("SHUTDOWN", "NOSAVE")  # the connection closes as the server stops
    deadline = time.monotonic() + 5
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.01)


def _remove_run_folder(socket_path: str | None) -> None:
    """Remove the folder of the server's socket, if it is one actorgraph made (`actorgraph-...`)."""
    if socket_path and Path(socket_path).parent.name.startswith("actorgraph-"):
        shutil.rmtree(Path(socket_path).parent, ignore_errors=True)


def main(argv: list[str]) -> None:
    home, pid = Path(argv[1]), int(argv[2])
    socket_path = argv[3] if len(argv) > 3 else None
    with contextlib.suppress(KeyboardInterrupt):
        watch(home, pid, socket_path=socket_path)


if __name__ == "__main__":
    main(sys.argv)
