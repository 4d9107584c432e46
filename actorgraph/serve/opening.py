"""The explorer's engine, opened in a background thread so the server listens at once.

Opening the embedded engine on a big graph means waiting for its server to load the
snapshot (about 2 s at 100k relationships on a busy machine, more at 1M). The explorer
binds its port and serves its static files and page shell meanwhile; a request that
needs the graph waits for the opening (up to `OPEN_WAIT` seconds), and gets a 503
that says why when the graph is still opening or could not be opened. Closing waits
for an opening under way and then closes the engine, so its server never outlives
the explorer.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from actorgraph.graph.engine import Engine
    from actorgraph.serve.explorer import Explorer

#: Seconds a request waits for the graph to open before it is told to come back.
OPEN_WAIT = 60.0


class GraphNotReady(Exception):
    """The graph is still opening, or could not be opened: answered as 503 with this message."""

    def __init__(self, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Opening:
    """Opens an engine in a thread and makes the Explorer over it; requests ask `explorer()` for it."""

    def __init__(
        self,
        opener: Callable[[], AbstractContextManager[Engine]],
        make: Callable[[Engine], Explorer],
        *,
        wait: float = OPEN_WAIT,
        on_open: Callable[[Explorer, float], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.opener, self.make, self.wait = opener, make, wait
        self.on_open, self.on_failure = on_open, on_failure
        self.error: BaseException | None = None
        self._explorer: Explorer | None = None
        self._stack = contextlib.ExitStack()
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self._started = 0.0

    def start(self) -> Opening:
        """Begin opening in a daemon thread (a Ctrl-C during a long open is not held up by it)."""
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._open, name="actorgraph-open-engine", daemon=True)
        self._thread.start()
        return self

    def _open(self) -> None:
        try:
            engine = self._stack.enter_context(self.opener())
            self._explorer = self.make(engine)
        except BaseException as exc:  # noqa: BLE001 - kept and raised again by `explorer()` and the command
            self.error = exc
        finally:
            self._done.set()
        if self.error is not None:
            if self.on_failure is not None:
                self.on_failure(self.error)
        elif self.on_open is not None and self._explorer is not None:
            self.on_open(self._explorer, time.monotonic() - self._started)

    def ready(self) -> Explorer | None:
        """The Explorer if the graph is open now, None while it opens (never waits); GraphNotReady if it failed."""
        if not self._done.is_set():
            return None
        if self._explorer is None:
            raise GraphNotReady(f"the graph could not be opened: {self.error}")
        return self._explorer

    def explorer(self) -> Explorer:
        """The Explorer, waiting up to `wait` seconds for the graph to open; GraphNotReady if it cannot be had."""
        if not self._done.wait(self.wait):
            waited = time.monotonic() - self._started
            raise GraphNotReady(
                f"the graph is still opening ({waited:.0f} s so far; a big graph takes a while to load): "
                "try again in a moment",
                retry_after=5,
            )
        if self._explorer is None:
            raise GraphNotReady(f"the graph could not be opened: {self.error}")
        return self._explorer

    def close(self) -> None:
        """Wait for an opening under way, then close the engine (which stops the embedded engine's server)."""
        if self._thread is not None:
            self._thread.join()
        if self._explorer is not None:
            self._explorer.stop_background()  # its name index loader must not query a closed engine
        self._stack.close()


def explorer_of(source: Explorer | Opening) -> Callable[[], Explorer]:
    """A function giving the Explorer to use: at once for an Explorer, after the opening for an Opening."""
    if isinstance(source, Opening):
        return source.explorer
    return lambda: source


def ready_explorer(source: Explorer | Opening) -> Explorer | None:
    """The Explorer if it can answer now without waiting, else None."""
    return source.ready() if isinstance(source, Opening) else source
