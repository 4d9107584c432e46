"""The bad-input corpus: exact messages, exit status 2, no traceback, and the graph untouched.

Each folder in tests/bad_input/ (see cases.py) is copied to a temporary place; run
there, `validate` and `build` must print exactly the lines of its expected.txt
(every problem in one run), exit 2 without a traceback, and leave the graph as it was
on both engines (checked by exporting it before and after all the failed builds).
"""

from __future__ import annotations

import sys

import pytest
from conftest import MINI_DATA, MINI_SOURCES, TESTS, actorgraph, actorgraph_in_process, export_json

sys.path.insert(0, str(TESTS / "bad_input"))
from cases import GENERATED, case_names, expected, materialise  # noqa: E402

CASES = case_names()


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("case/")]


def test_corpus_is_big_and_fully_specified():
    assert len(CASES) >= 30
    assert set(GENERATED) <= set(CASES)
    assert all(expected(name) for name in CASES)
    assert len(expected("many_problems_at_once")) == 3


@pytest.mark.parametrize("name", CASES)
def test_validate_reports_exactly(name, tmp_path):
    cwd = materialise(name, tmp_path)
    result = actorgraph_in_process("validate", "--data", "case", "--sources", ".", cwd=cwd)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert problem_lines(result.stderr) == expected(name)
    assert "nothing was written" in result.stderr


def test_a_refused_file_is_exit_status_2_for_the_real_command(tmp_path):
    """The corpus runs in process (same entry point); the process itself ends the same way."""
    cwd = materialise("many_problems_at_once", tmp_path)
    for command in (["validate"], ["build", "--home", str(tmp_path / "home")]):
        result = actorgraph(*command, "--data", "case", "--sources", ".", cwd=cwd)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert problem_lines(result.stderr) == expected("many_problems_at_once")


@pytest.mark.parametrize("engine_name", ["embedded", "neo4j"])
def test_failed_builds_leave_the_graph_byte_for_byte(engine_name, engine_cli_args, tmp_path):
    built = actorgraph("build", "--data", str(MINI_DATA), "--sources", str(MINI_SOURCES), *engine_cli_args)
    assert built.returncode == 0, built.stderr
    before = export_json(*engine_cli_args)
    for name in CASES:
        cwd = materialise(name, tmp_path)
        result = actorgraph_in_process("build", "--data", "case", "--sources", ".", *engine_cli_args, cwd=cwd)
        assert result.returncode == 2, (name, result.stderr)
        assert "Traceback" not in result.stderr, name
        assert problem_lines(result.stderr) == expected(name), name
    assert export_json(*engine_cli_args) == before
