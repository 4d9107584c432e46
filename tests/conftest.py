"""Shared fixtures: temporary homes, the fixture data set, the CLI, and both real engines.

The `engine` fixture is parametrised over the embedded FalkorDB engine and a real
Neo4j 5 (the in-process test server from tools/neo4j-test-server). Neo4j tests skip
with a reason where Java or Maven is missing, and fail instead when
ACTORGRAPH_REQUIRE_NEO4J=1 (as in CI).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
MINI = TESTS / "fixtures" / "mini"
MINI_DATA = MINI / "data"
MINI_SOURCES = MINI / "sources"
ARTICLE_DATA = REPO / "data"
SHARED_SOURCES = REPO.parent / "shared" / "sources"
ENGINES = ("embedded", "neo4j")

try:  # the Neo4j test server fixture (tools/neo4j-test-server)
    from neo4j_fixture import neo4j_uri, wipe_neo4j  # noqa: F401
except ImportError:  # pragma: no cover - only before the Neo4j backend existed

    @pytest.fixture(scope="session")
    def neo4j_uri() -> str:
        reason = "the Neo4j test server fixture (tests/neo4j_fixture.py) is missing"
        if os.environ.get("ACTORGRAPH_REQUIRE_NEO4J") == "1":
            pytest.fail(reason)
        pytest.skip(reason)

    def wipe_neo4j(uri: str) -> None:
        raise RuntimeError("no Neo4j fixture")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh embedded-engine home, also exported as ACTORGRAPH_HOME for CLI runs."""
    path = tmp_path / "home"
    monkeypatch.setenv("ACTORGRAPH_HOME", str(path))
    return path


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    return request.param


def open_test_engine(kind: str, request: pytest.FixtureRequest, home: Path):
    """A real, empty engine: embedded FalkorDB in `home`, or the session's in-process Neo4j (wiped)."""
    from actorgraph.graph import open_engine

    if kind == "embedded":
        return open_engine("embedded", home=home)
    uri = request.getfixturevalue("neo4j_uri")
    wipe_neo4j(uri)
    return open_engine("neo4j", uri=uri, password="")


@pytest.fixture
def engine(engine_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator:
    """An empty, real engine of each kind (embedded FalkorDB; in-process Neo4j 5)."""
    opened = open_test_engine(engine_name, request, tmp_path / "engine-home")
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def engine_cli_args(engine_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> list[str]:
    """CLI options that select the same kind of engine as `engine_name` (for subprocess runs)."""
    if engine_name == "embedded":
        return ["--engine", "embedded", "--home", str(tmp_path / "cli-home")]
    uri = request.getfixturevalue("neo4j_uri")
    wipe_neo4j(uri)
    return ["--engine", "neo4j", "--neo4j-uri", uri]


#: What every command run by the tests sees: output as a terminal-less run prints it, no password.
PLAIN_OUTPUT = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
UNSET_FOR_COMMANDS = ("ACTORGRAPH_NEO4J_PASSWORD",)

#: `actorgraph(...)` runs the command's entry point in the test process unless this is set
#: (`ACTORGRAPH_TEST_PROCESSES=1 make test` runs every command as a process of its own).
EVERY_COMMAND_A_PROCESS = os.environ.get("ACTORGRAPH_TEST_PROCESSES") == "1"


def actorgraph(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
    process: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run `actorgraph` as a user would and capture its output: exit status, stdout, stderr.

    By default through its console entry point in this process (`actorgraph_in_process`):
    the same code from argument parsing to exit status, without an interpreter start
    (0.3-0.6 s of CPU, and the suite runs ~380 commands). `process=True`, a `timeout`, or
    ACTORGRAPH_TEST_PROCESSES=1 runs it as a real process instead, for what only a process
    shows (the interpreter's start and exit, a hang cut by the timeout). test_cli.py runs
    every command that way, and the tests that kill, race or signal commands start real
    processes of their own.
    """
    if not (process or timeout or EVERY_COMMAND_A_PROCESS):
        return actorgraph_in_process(*args, cwd=cwd, env=env)
    return actorgraph_process(*args, cwd=cwd, env=env, timeout=timeout or 120)


def actorgraph_process(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the real `actorgraph` command in a process of its own and capture its output."""
    full_env = {**os.environ, **(env or {}), **PLAIN_OUTPUT}
    for name in UNSET_FOR_COMMANDS:
        full_env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "actorgraph.cli", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def actorgraph_in_process(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `actorgraph` through its console entry point (`cli.main`) inside this process.

    The same code path as a process, from argument parsing to the exit status (SystemExit),
    minus the interpreter start; an exception that escapes `cli.main` (a traceback a user
    would see) fails the calling test. `env` is set in os.environ for the run, so settings
    are read when used, never at import. Output is captured as text, as a terminal-less
    run prints it.
    """
    import contextlib
    import io

    from actorgraph import cli

    out, err = io.StringIO(), io.StringIO()
    settings = {**(env or {}), **PLAIN_OUTPUT}
    saved = {name: os.environ.get(name) for name in [*settings, *UNSET_FOR_COMMANDS]}
    os.environ.update(settings)
    for name in UNSET_FOR_COMMANDS:
        os.environ.pop(name, None)
    saved_argv, saved_cwd = sys.argv, os.getcwd()
    code = 0
    try:
        sys.argv = ["actorgraph", *args]
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                cli.main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = saved_argv
        os.chdir(saved_cwd)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return subprocess.CompletedProcess(["actorgraph", *args], code, out.getvalue(), err.getvalue())


def export_json(*engine_args: str) -> dict:
    """The whole graph via `actorgraph export -f json` (the byte-level view users get).

    Without the export time (`graph.exported_at`), so that two exports of one graph compare equal.
    """
    # through cli.main in this process: the graph is what is compared here, and a test takes
    # several of these (68 in the suite), each a Python start-up as a subprocess
    result = actorgraph_in_process("export", "-f", "json", "-o", "-", "-q", *engine_args)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    data["graph"].pop("exported_at")
    return data


@pytest.fixture(scope="session")
def mini_dataset():
    """The small fixture data set, validated against its own made-up source text."""
    from actorgraph.loaders import load_dataset

    return load_dataset(MINI_DATA, [MINI_SOURCES])


#: The longest test files (Neo4j servers killed and restarted, builds raced against readers,
#: bulk loads; measured with `--durations`), handed out first: with `--dist loadfile` a worker
#: takes whole files in collection order, and a long file sent last leaves the other worker idle
#: while it finishes (longest first is the classic fix for such a tail).
LONGEST_FIRST = (  # by wall time in a full run (2026-11-29, commands in process)
    "test_faults.py",
    "test_concurrency.py",
    "test_progress.py",
    "test_query_plans.py",
    "test_faults_builds.py",
    "test_corroboration.py",
    "test_queries.py",
    "test_bench_smoke.py",
    "test_neo4j_admin_import.py",
    "test_hostile.py",
    "test_neo4j_engine.py",
    "test_cli.py",
    "test_neo4j_rebuilds.py",
    "test_fidelity.py",
    "test_yaml_fast.py",
    "test_quick_records.py",
    "test_readonly.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the files in LONGEST_FIRST before the others (tests keep their order inside a file)."""
    rank = {name: index for index, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
