"""The bad-input corpus: exact messages, exit status 2, no traceback, and the graph untouched.

Each case in tests/bad_input/cases.py is written to a fresh folder; `validate` and
`build` must print exactly the lines in tests/bad_input/expected.json (every problem
in one run), exit 2 without a traceback, and leave the graph as it was on both
engines (checked by exporting it before and after all the failed builds).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from conftest import MINI_DATA, MINI_SOURCES, TESTS, actorgraph, export_json

sys.path.insert(0, str(TESTS / "bad_input"))
from cases import CASES  # noqa: E402

EXPECTED: dict[str, list[str]] = json.loads((TESTS / "bad_input" / "expected.json").read_text(encoding="utf-8"))


def make_case(name: str, root: Path) -> Path:
    case = root / name / "case"
    case.mkdir(parents=True)
    CASES[name](case)
    shutil.copy(TESTS / "bad_input" / "source.txt", case.parent / "source.txt")
    return case.parent


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("case/")]


def test_corpus_is_big_and_fully_specified():
    assert len(CASES) >= 30
    assert set(CASES) == set(EXPECTED)
    assert len(EXPECTED["many_problems_at_once"]) == 3


@pytest.mark.parametrize("name", sorted(CASES))
def test_validate_reports_exactly(name, tmp_path):
    cwd = make_case(name, tmp_path)
    result = actorgraph("validate", "--data", "case", "--sources", ".", cwd=cwd, env={"COLUMNS": "10000"})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert problem_lines(result.stderr) == EXPECTED[name]
    assert "nothing was written" in result.stderr


@pytest.mark.parametrize("engine_name", ["embedded", "neo4j"])
def test_failed_builds_leave_the_graph_byte_for_byte(engine_name, engine_cli_args, tmp_path):
    built = actorgraph("build", "--data", str(MINI_DATA), "--sources", str(MINI_SOURCES), *engine_cli_args)
    assert built.returncode == 0, built.stderr
    before = export_json(*engine_cli_args)
    for name in sorted(CASES):
        cwd = make_case(name, tmp_path)
        result = actorgraph(
            "build", "--data", "case", "--sources", ".", *engine_cli_args, cwd=cwd, env={"COLUMNS": "10000"}
        )
        assert result.returncode == 2, (name, result.stderr)
        assert "Traceback" not in result.stderr, name
        assert problem_lines(result.stderr) == EXPECTED[name], name
    assert export_json(*engine_cli_args) == before
