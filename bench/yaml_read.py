"""Reading YAML data: the libyaml fast path (loaders/yaml_fast.py) against ruamel alone.

`actorgraph validate` is timed end to end (a fresh process each run, median of --runs)
on two data sets: the article's data (the defaults, from the repository) and a generated
file of --records small records (tests/test_faults.py `big_dataset`). The baseline is
the same command with `read_file(..., fast=False)`, in the same run, so the ratio
holds on a busy machine. Also the seconds of `read_records` alone, in process.

    .venv/bin/python bench/yaml_read.py --records 40000 --runs 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

#: Runs the CLI, with ruamel alone when the first argument is "ruamel".
RUN = """
import functools, sys
import actorgraph.loaders.reader as reader
if sys.argv.pop(1) == "ruamel":
    reader.read_file = functools.partial(reader.read_file, fast=False)
from actorgraph.cli import main
sys.argv[0] = "actorgraph"
main()
"""


def cli_seconds(mode: str, args: list[str], runs: int) -> float:
    """Median wall seconds of `actorgraph validate ARGS` (which must succeed)."""
    times = []
    env = {**os.environ, "NO_COLOR": "1"}
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", RUN, mode, "validate", "-q", *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
        )
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"validate failed ({mode}): {done.stderr[-2000:]}")
    return statistics.median(times)


def read_seconds(mode: str, data: Path, runs: int) -> float:
    """Median seconds of `read_records(data)` in this process, after one untimed run."""
    from actorgraph.loaders import reader

    original = reader.read_file
    if mode == "ruamel":
        reader.read_file = lambda path: original(path, fast=False)
    try:
        reader.read_records(data)  # warm: imports, regexps
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            reader.read_records(data)
            times.append(time.perf_counter() - start)
        return statistics.median(times)
    finally:
        reader.read_file = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=40_000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    from test_faults import big_dataset

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generated = big_dataset(root, options.records)[:4]  # --data, --sources (not the build's --batch-size)
        sets = [
            ("article (validate defaults)", [], REPO / "data"),
            (f"{options.records:,} generated", generated, root / "big"),
        ]
        print("| data | step | ruamel s | libyaml s | ruamel / libyaml |")
        print("|---|---|---|---|---|")
        for name, args, data in sets:
            rows = (
                ("`actorgraph validate`", [cli_seconds(mode, args, options.runs) for mode in ("ruamel", "libyaml")]),
                ("`read_records` only", [read_seconds(mode, data, options.runs) for mode in ("ruamel", "libyaml")]),
            )
            for step, (slow, fast) in rows:
                print(f"| {name} | {step} | {slow:.2f} | {fast:.2f} | {slow / fast:.1f} |", flush=True)


if __name__ == "__main__":
    main()
