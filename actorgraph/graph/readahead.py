"""Read-ahead: produce items in a second thread while the consumer waits on a server.

Neo4j runs each batch of a load while the driver waits on its socket; preparing the
next batch meanwhile (validating, grouping rows) makes the two overlap on two cores.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import Any

_DONE = object()


def prefetch(items: Iterable[Any], depth: int = 4) -> Iterator[Any]:
    """Yield `items`, produced ahead (at most `depth` waiting) by a daemon thread.

    Memory stays bounded by `depth` items. An exception in the producer is raised
    here; if the consumer stops early (the engine failed), the producer stops too.
    """
    ready: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()
    failure: list[BaseException] = []

    def hand_over(item: Any) -> bool:
        """Queue `item` for the consumer, waiting for room; False once the consumer has stopped."""
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not hand_over(item):
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            failure.append(exc)
        hand_over(_DONE)

    worker = threading.Thread(target=produce, name="actorgraph-bulk-reader", daemon=True)
    worker.start()
    try:
        while (item := ready.get()) is not _DONE:
            yield item
        if failure:
            raise failure[0]
    finally:
        stop.set()
        worker.join(timeout=5)
