"""Whole-graph reads as users run them: `export` in every format and `stats`, with time and peak memory.

    python bench/synth.py -n 1000000 --seed 1 -o /tmp/synth-1m
    actorgraph build -q --data /tmp/synth-1m/graph.jsonl --sources /tmp/synth-1m --home /tmp/home-1m
    python bench/whole_graph.py --home /tmp/home-1m --out /tmp/exports [--formats json csv] [--ask 30]

Each command is its own `actorgraph` process (the one found next to this Python), run
against an embedded server this script keeps up, so that the server's peak RSS during
the command can be told apart from the load of its snapshot: the server's high-water
mark is reset (`/proc/<pid>/clear_refs`) before each command and read after it. The
command's own peak RSS comes from `wait4`. `--ask N` times `Graph.ask("most_connected")`
N times in this process (p50/p95), as a user's script calls it. To measure another
commit, run it with `PYTHONPATH=<that tree>` from outside the work tree.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

FORMATS = ("json", "graphml", "gexf", "csv")


def high_water_kb(pid: int) -> int:
    """VmHWM of a process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def reset_high_water(pid: int) -> None:
    """Start a process's peak RSS again from its current RSS (Linux `clear_refs` 5)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(command: list[str], server: int) -> dict[str, str]:
    """Run one command; its wall and CPU time, its peak RSS, and the server's CPU and peak RSS meanwhile.

    CPU seconds say more than wall time on a machine shared with other work.
    """
    reset_high_water(server)
    server_cpu = cpu_seconds(server)
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    errors = child.stderr.read().decode() if child.stderr else ""
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed ({status}): {errors[-2000:]}")
    load = os.getloadavg()[0]
    return {
        "load": f"{load:.1f}",
        "wall s": f"{seconds:.1f}",
        "command CPU s": f"{usage.ru_utime + usage.ru_stime:.1f}",
        "server CPU s": f"{cpu_seconds(server) - server_cpu:.1f}",
        "command peak RSS MB": f"{usage.ru_maxrss / 1024:.0f}",
        "server peak RSS MB": f"{high_water_kb(server) / 1024:.0f}",
    }


def table(rows: list[dict[str, str]]) -> str:
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(row[key] for key in keys) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", type=Path, required=True, help="an embedded home with a built graph")
    parser.add_argument("--out", type=Path, required=True, help="folder for the exported files (replaced)")
    parser.add_argument("--formats", nargs="*", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--ask", type=int, default=0, help="time Graph.ask('most_connected') this many times")
    args = parser.parse_args()

    import actorgraph
    from actorgraph.graph.embedded import open_embedded
    from actorgraph.graph.falkor_server import servers_of

    print(f"actorgraph from {Path(actorgraph.__file__).parent}", flush=True)
    cli = str(Path(sys.executable).parent / "actorgraph")
    home = args.home.resolve()
    keeper = open_embedded(home, keep_running=True)  # the server stays up between the commands
    try:
        (server,) = servers_of(home)
        rows = []
        commands = [("stats", [cli, "stats", "-f", "json", "--home", str(home)])]
        args.out.mkdir(parents=True, exist_ok=True)
        for fmt in args.formats:
            target = args.out / (f"graph-{fmt}" if fmt == "csv" else f"graph.{fmt}")
            commands.append(
                (f"export -f {fmt}", [cli, "export", "-q", "-f", fmt, "-o", str(target), "--home", str(home)])
            )
        for name, command in commands:
            rows.append({"command": name, **measure(command, server)})
            print(rows[-1], flush=True)
        print(table(rows))
        if args.ask:
            from actorgraph.api import Graph

            graph = Graph(keeper)
            times = []
            for _ in range(args.ask):
                start = time.perf_counter()
                graph.ask("most_connected")
                times.append((time.perf_counter() - start) * 1000)
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            print(f"Graph.ask('most_connected') x{args.ask}: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms")
    finally:
        keeper.keep_running = False
        keeper.close()


if __name__ == "__main__":
    main()
