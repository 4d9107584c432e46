"""The console driven as a person would: through a pseudo-terminal, keystroke by keystroke."""

from __future__ import annotations

import os
import sys

import pexpect
import pytest
from conftest import MINI_DATA, MINI_SOURCES, actorgraph

PROMPT = "actorgraph>"


@pytest.fixture
def console(home):
    assert actorgraph("build", "--data", str(MINI_DATA), "--sources", str(MINI_SOURCES)).returncode == 0
    env = {**os.environ, "ACTORGRAPH_HOME": str(home), "COLUMNS": "160", "LINES": "50", "TERM": "xterm"}
    child = pexpect.spawn(
        sys.executable, ["-m", "actorgraph.cli", "console"], env=env, encoding="utf-8", timeout=30, dimensions=(50, 160)
    )
    child.expect_exact(PROMPT)
    yield child
    child.sendline(":quit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_query_completion_error_and_refused_write(console):
    # a multi-line query ending with ;
    console.sendline("MATCH (c:Country)")
    console.expect_exact("...>")
    console.sendline("RETURN c.name AS name ORDER BY name;")
    console.expect("Kazakhstan")
    console.expect("Uzbekistan")
    console.expect_exact(PROMPT)
    # Tab completion of a relationship type
    console.send("MATCH (p)-[:PARTICIPATED_I")
    console.send("\t")
    console.expect("PARTICIPATED_IN")
    console.sendcontrol("c")
    console.expect_exact(PROMPT)
    # a syntax error is shown, and the session goes on
    console.sendline("MATCH (n RETURN n;")
    console.expect("error")
    console.expect_exact(PROMPT)
    console.sendline("RETURN 40 + 2 AS answer;")
    console.expect("42")
    console.expect_exact(PROMPT)
    # a write is refused by the engine
    console.sendline("CREATE (:Place {id: 'place:x', name: 'X'});")
    console.expect("read-only")
    console.expect_exact(PROMPT)
    # a named question with a name in another script
    console.sendline(":ask leaders country=Өзбекстан")
    console.expect("Shavkat Mirziyoyev")
    console.expect_exact(PROMPT)
