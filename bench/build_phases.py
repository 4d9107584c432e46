"""Where an embedded build's time and memory go: each phase's wall time, server CPU and server peak RSS.

    python bench/synth.py -n 1000000 --seed 1 -o /tmp/synth-1m
    python bench/build_phases.py /tmp/synth-1m /tmp/home-phases               # the build as it is
    python bench/build_phases.py /tmp/synth-1m /tmp/home-phases cypher        # degrees counted in Cypher
    python bench/build_phases.py /tmp/synth-1m /tmp/home-phases line_after    # line indexes made after the insert
    python bench/build_phases.py /tmp/synth-1m /tmp/home-phases noline        # no line indexes (what they cost)

Runs `loaders.load` in this process against a kept-up server of a fresh home, and
wraps the engine's steps (bulk insert, index fill, degrees, the two saves) to print,
per phase, the wall time, the server's and this process's CPU seconds, and the
server's peak resident set (its VmHWM, reset through /proc/PID/clear_refs at the
start of each phase: needs the right to write there, as root or the server's owner).
Stop the server afterwards (its pid is printed). A tool for finding costs, not a
benchmark of record: bench/run_all.py --ten-million is that.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from actorgraph.graph import embedded  # noqa: E402
from actorgraph.graph.falkor_bulk import BulkWriter  # noqa: E402
from actorgraph.graph.falkor_server import cpu_ticks  # noqa: E402
from actorgraph.loaders import load  # noqa: E402

VARIANTS = ("cypher", "line_after", "noline")
TICK = os.sysconf("SC_CLK_TCK")


def status_mb(pid: int, key: str) -> int:
    """A /proc/PID/status size (VmHWM:, VmRSS:) in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1]) // 1024
    return 0


class Phases:
    """Prints each phase's costs when `mark(name)` ends it, and starts the next."""

    def __init__(self, server: int) -> None:
        self.server = server
        self.start: dict[str, float] = {}

    def mark(self, name: str) -> None:
        pid = self.server
        if self.start:
            print(
                f"{name:22s} wall {time.perf_counter() - self.start['wall']:7.2f} s  "
                f"server CPU {cpu_ticks(pid) / TICK - self.start['server']:7.2f} s  "
                f"loader CPU {time.process_time() - self.start['loader']:7.2f} s  "
                f"server peak {status_mb(pid, 'VmHWM:')} MiB (RSS {self.start['rss']:.0f} -> {status_mb(pid, 'VmRSS:')})",
                flush=True,
            )
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # the peak from here on
        self.start = {
            "wall": time.perf_counter(),
            "server": cpu_ticks(pid) / TICK,
            "loader": time.process_time(),
            "rss": status_mb(pid, "VmRSS:"),
        }


def instrument(phases: Phases, variants: set[str]) -> None:
    """Wrap the engine's build steps so that each ends a phase (and apply the variants)."""
    finish, await_indexes, store, schema, save = (
        BulkWriter.finish,
        embedded.EmbeddedEngine._await_indexes,
        embedded.store_degrees,
        embedded.schema_statements,
        embedded.EmbeddedEngine._save,
    )

    def timed_finish(self: BulkWriter) -> None:
        finish(self)
        phases.mark("bulk insert")

    def timed_await(self: Any, graph: Any) -> None:
        if "line_after" in variants:
            for cypher, params in schema():
                if "line" in cypher:
                    self._call(graph, cypher, params, write=True)
            phases.mark("create line indexes")
        await_indexes(self, graph)
        phases.mark("fill indexes")

    def timed_store(write: Any, **options: Any) -> None:
        if "cypher" in variants:
            options.pop("counted", None)
        store(write, **options)
        phases.mark("store degrees")

    def chosen_schema() -> list[Any]:
        statements = schema()
        if variants & {"line_after", "noline"}:
            statements = [s for s in statements if "line" not in s[0]]
        return statements

    def timed_save(self: Any) -> None:
        save(self)
        phases.mark("save")

    BulkWriter.finish = timed_finish  # type: ignore[method-assign]
    embedded.EmbeddedEngine._await_indexes = timed_await  # type: ignore[method-assign]
    embedded.store_degrees = timed_store
    embedded.schema_statements = chosen_schema
    embedded.EmbeddedEngine._save = timed_save  # type: ignore[method-assign]


def main() -> None:
    if len(sys.argv) < 3 or not set(sys.argv[3:]) <= set(VARIANTS):
        raise SystemExit(__doc__)
    folder, home, variants = Path(sys.argv[1]), Path(sys.argv[2]), set(sys.argv[3:])
    engine = embedded.open_embedded(home, keep_running=True)
    server = engine._state["pid"]
    print(f"server pid {server}, variants {sorted(variants) or 'none'}", flush=True)
    engine.replace_graph(iter(()))  # the graph key exists: the build replaces it, as every build after the first
    phases = Phases(server)
    instrument(phases, variants)
    phases.mark("(start)")
    start, server_cpu, loader_cpu = time.perf_counter(), cpu_ticks(server) / TICK, time.process_time()
    load(str(folder / "graph.jsonl"), engine, sources=folder)
    print(
        f"whole load: wall {time.perf_counter() - start:.1f} s, server CPU {cpu_ticks(server) / TICK - server_cpu:.1f} s, "
        f"loader CPU {time.process_time() - loader_cpu:.1f} s"
    )
    engine.close()


if __name__ == "__main__":
    main()
