"""Progress bars: shown on a terminal for loads and exports of thousands of items, with
counts and a rate; absent with --quiet and when output is not a terminal."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest
from conftest import REPO, actorgraph

sys.path.insert(0, str(REPO / "bench"))
import synth  # noqa: E402

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture(scope="module")
def bulk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic bulk file of 6,000 relationships (and the nodes they join): over the bar's threshold."""
    folder = tmp_path_factory.mktemp("bulk")
    synth.write(6000, 3, folder)
    return folder


def on_terminal(*args: str, home: Path) -> str:
    """Run actorgraph in a pseudo-terminal and return everything it showed, without colour codes."""
    env = {**os.environ, "ACTORGRAPH_HOME": str(home), "COLUMNS": "120", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(sys.executable, ["-m", "actorgraph.cli", *args], env=env, encoding="utf-8", timeout=240)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return ANSI.sub("", child.before or "").replace("\r", "\n")


def bar_lines(output: str, label: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip().startswith(label)]


def test_build_and_export_show_counts_and_rate_on_a_terminal(bulk, tmp_path):
    home = tmp_path / "home"
    shown = on_terminal("build", "--data", str(bulk / "graph.jsonl"), "--sources", str(bulk), home=home)
    loading = bar_lines(shown, "loading")
    assert loading, shown
    total = int(re.search(r"(\d+)/(\d+)", loading[-1]).group(2))
    assert total >= 6000
    assert re.search(rf"\b{total}/{total}\b.*100%.*[\d,]+/s", loading[-1]), loading[-1]
    assert not bar_lines(shown, "checking"), "a bulk build checks and loads in one pass, under one bar"
    shown = on_terminal("validate", "--data", str(bulk / "graph.jsonl"), "--sources", str(bulk), home=home)
    checking = bar_lines(shown, "checking")
    assert checking and re.search(rf"\b{total}/{total}\b.*100%", checking[-1]), shown

    shown = on_terminal("export", "-f", "json", "-o", str(tmp_path / "g.json"), home=home)
    reading = bar_lines(shown, "reading")
    assert reading and re.search(r"(\d+)/\1\b.*100%", reading[-1]), shown


@pytest.fixture(scope="module")
def bulk_home(bulk: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with the bulk graph built once, for the commands that only read it."""
    home = tmp_path_factory.mktemp("bulk-home") / "home"
    built = actorgraph("build", "-q", "--data", str(bulk / "graph.jsonl"), "--sources", str(bulk), "--home", str(home))
    assert built.returncode == 0, built.stderr
    return home


@pytest.mark.parametrize("command", [["map", "-o", "{tmp}/m.html"], ["analyze", "--no-write"]], ids=["map", "analyze"])
def test_map_and_analyze_show_reading_the_graph_on_a_terminal(bulk_home, tmp_path, command):
    home = bulk_home
    args = [part.format(tmp=tmp_path) for part in command]
    reading = bar_lines(on_terminal(*args, home=home), "reading")
    done = re.search(r"(\d+)/\1\b.*100%", reading[-1]) if reading else None
    assert done and int(done.group(1)) >= 6000, reading  # every node and relationship read
    assert not bar_lines(on_terminal(*args, "-q", home=home), "reading")


def test_quiet_and_piped_runs_show_no_bar(bulk, tmp_path):
    home = tmp_path / "home"
    quiet = on_terminal("build", "--data", str(bulk / "graph.jsonl"), "--sources", str(bulk), "-q", home=home)
    assert not bar_lines(quiet, "loading") and not bar_lines(quiet, "checking"), quiet
    piped = actorgraph("export", "-f", "json", "-o", str(tmp_path / "g.json"), "--home", str(home))
    assert piped.returncode == 0, piped.stderr
    assert "reading" not in piped.stderr and "━" not in piped.stderr, piped.stderr
