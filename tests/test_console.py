"""The console driven as a person would: through a pseudo-terminal, keystroke by keystroke."""

from __future__ import annotations

import os
import subprocess
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
    console.expect(r"\d+\.\d ms")  # timings under result tables
    console.expect_exact(PROMPT)
    # the console says what it is connected to
    console.sendline(":engine")
    console.expect("embedded FalkorDB")
    console.expect("read-only")
    console.expect_exact(PROMPT)
    console.sendline(":schema")
    console.expect("RESPONDED_TO")
    console.expect_exact(PROMPT)


def test_console_runs_a_file_non_interactively(home, tmp_path):
    assert actorgraph("build", "--data", str(MINI_DATA), "--sources", str(MINI_SOURCES)).returncode == 0
    script = tmp_path / "questions.cypher"
    script.write_text(
        ":format json\nMATCH (c:Country)\nRETURN c.name AS name ORDER BY name;\n"
        "RETURN 'a;b' AS text;\n:params who=person:john-doe\nMATCH (p {id: $who}) RETURN p.name AS name;\n",
        encoding="utf-8",
    )
    with open(script, encoding="utf-8") as stdin:
        result = subprocess.run(
            [sys.executable, "-m", "actorgraph.cli", "console"], stdin=stdin, capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 0, result.stderr
    assert '"Kazakhstan"' in result.stdout and '"a;b"' in result.stdout and '"John Doe"' in result.stdout
    failing = subprocess.run(
        [sys.executable, "-m", "actorgraph.cli", "console"],
        input="CREATE (:Place {id: 'place:q', name: 'Q'});\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert failing.returncode == 1 and "read-only" in failing.stdout


def test_completion_offers_questions_labels_and_types():
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from actorgraph.graph.embedded import EmbeddedEngine
    from actorgraph.queries.console import Console

    completer = Console.__new__(Console)._session.__func__  # noqa: F841 - built below without an engine
    console = Console.__new__(Console)
    console.history = None
    session = console._session()

    def words(text):
        return {
            c.text for c in session.completer.get_completions(Document(text), CompleteEvent(completion_requested=True))
        }

    assert "most_connected" in words(":ask most_conn")
    assert ":PARTICIPATED_IN" in words("MATCH (a)-[:PARTICIPATED_I")
    assert ":Researcher" in words("MATCH (p:Researc")
    assert "evidence" in words("RETURN r.evide")
    assert EmbeddedEngine  # the console works over any Engine
