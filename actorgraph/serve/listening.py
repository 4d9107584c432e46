"""The explorer's listening socket and how it stops: no web framework needed, so the command binds at once."""

from __future__ import annotations

import signal
import socket
from typing import Any

from actorgraph.errors import ActorgraphError


class ServeError(ActorgraphError):
    """The explorer could not listen (address in use, not this machine's, no permission): exit status 1."""


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: any free one), or ServeError saying why not."""
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise ServeError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another with --port, or 0 for any free port"
        ) from None
    return sock


def machine_names() -> list[str]:
    """This machine's names and addresses: the Host headers a server on every interface may see."""
    names = {socket.gethostname(), socket.getfqdn()}
    try:
        names.update(socket.gethostbyname_ex(socket.gethostname())[2])
    except OSError:
        pass
    return sorted(names)


class Stop:
    """SIGTERM and Ctrl-C as a request to stop, acted on at safe points rather than as an exception anywhere.

    While the explorer starts, its main thread imports the web framework as the engine
    opens in another thread. An exception raised by a signal handler in the middle of an
    import can leave Python's module lock held, and the opening thread then waits for it
    for ever (seen: a SIGTERM a moment after start-up hung the process). So the handler
    only records the signal and tells the web server to shut down; the command then
    closes the engine (stopping its server) and exits 0. A second signal exits at once.
    """

    def __init__(self) -> None:
        self.signal: int | None = None
        self.server: Any = None  # the uvicorn.Server, once there is one

    def install(self) -> Stop:
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, self)
        return self

    def __call__(self, signum: int, frame: Any) -> None:
        if self.signal is not None:
            raise SystemExit(1)  # asked twice: stop now (the engine's watchdog stops an orphaned server)
        self.signal = signum
        if self.server is not None:
            self.server.should_exit = True
