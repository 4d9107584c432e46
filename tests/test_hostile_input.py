"""Hostile input files and parameters: bounded cost, text shown as text, no secret echoed.

The values the engines cannot take (64-bit overflow, NaN, NUL, lone surrogates, keys
given twice, bytes that are not UTF-8, huge lines) are cases of the bad-input corpus
(tests/bad_input/unstorable_values_*, yaml_alias_bomb: exact messages, both engines,
graph untouched). Here: the alias bomb under a memory cap, rich markup in data and
parameters, symbolic links out of a data folder, and a password inside a Neo4j URI.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MINI_DATA, MINI_SOURCES, actorgraph

#: The alias bomb must be refused within this much address space (Python and its imports take ~300 MB).
MEMORY_CAP = 768 * 2**20


def alias_bomb(folder: Path) -> Path:
    """A 700-byte YAML file whose nested aliases stand for ten billion values in one node's `aliases`."""
    folder.mkdir(parents=True)
    lines = [
        "source: source:x",
        "nodes:",
        "  - {id: place:bomb, labels: [Place], name: Bomb, line: 1, evidence: one}",
        "  - id: place:bomb2",
        "    aliases:",
        "      - &a0 [x, x, x, x, x, x, x, x, x, x]",
    ]
    lines += [f"      - &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    (folder / "bomb.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_a_yaml_alias_bomb_is_refused_at_its_line_in_bounded_memory_and_time(tmp_path):
    alias_bomb(tmp_path / "d")

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "actorgraph.cli", "validate", "--data", "d"],
        cwd=tmp_path,
        preexec_fn=cap,  # noqa: PLW1509 - the cap is the point of the test
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
    )
    assert time.monotonic() - started < 30
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        "d/bomb.yaml:7: yaml: alias *a0: anchors and aliases are not allowed in data files; write the value out",
        "error: 1 problem(s); nothing was written.",
    ]


@pytest.fixture(scope="module")
def built_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("markup") / "home"
    result = actorgraph("build", "-q", "--data", str(MINI_DATA), "--sources", str(MINI_SOURCES), "--home", str(home))
    assert result.returncode == 0, result.stderr
    return home


@pytest.mark.parametrize(
    "actor",
    ["[/x]", "[link=https://example.org]click[/link]", "[bold]Tokayev", "\\[x]"],
)
def test_markup_in_a_parameter_is_shown_as_typed(built_home, actor):
    result = actorgraph("ask", "profile", "-p", f"actor={actor}", "--home", str(built_home))
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"error: no actor or node is called {actor!r}\n"


def test_markup_in_a_column_name_is_shown_as_typed(built_home):
    result = actorgraph("query", "RETURN 1 AS `[/x]`, 2 AS `[red]r`", "--home", str(built_home))
    assert result.returncode == 0, result.stderr
    assert "[/x]" in result.stdout and "[red]r" in result.stdout


def _with_source_file(tmp_path: Path, file_name: str) -> Path:
    """The mini data set with its Source's `file` renamed (so the text is not found)."""
    data = tmp_path / "data"
    shutil.copytree(MINI_DATA, data)
    nodes = data / "demo" / "nodes.yaml"
    nodes.write_text(
        nodes.read_text(encoding="utf-8").replace("file: mini.txt", f"file: {json.dumps(file_name)}"), encoding="utf-8"
    )
    return data


def test_markup_in_data_is_shown_as_typed_on_both_load_roads(tmp_path):
    name = "m[/x][link=https://example.org]y.txt"
    data = _with_source_file(tmp_path, name)
    home = ["--home", str(tmp_path / "home")]
    note = f"note: source text {name!r} not found (looked in: "
    built = actorgraph("build", "--data", str(data), "--sources", str(tmp_path / "nothing-here"), *home)
    assert built.returncode == 0, built.stderr
    assert built.stderr.startswith(note), built.stderr
    # JSON Lines: the note comes after the graph was replaced, and used to crash there
    records = [
        {"kind": "node", "id": "source:m", "labels": ["Source"], "name": "M", "file": name, "source": "source:m"},
        {"kind": "node", "id": "place:m", "labels": ["Place"], "name": "[/x]", "source": "source:m"},
    ]
    bulk = tmp_path / "bulk.jsonl"
    bulk.write_text("".join(json.dumps(r | {"line": 1, "evidence": "one"}) + "\n" for r in records), encoding="utf-8")
    loaded = actorgraph("build", "--data", str(bulk), "--sources", str(tmp_path / "nothing-here"), *home)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stderr.startswith(note), loaded.stderr
    found = actorgraph("query", "MATCH (p:Place) RETURN p.name AS name", "-f", "json", *home)
    assert json.loads(found.stdout) == [{"name": "[/x]"}]


SECRET = "secret-token-4417: do not print"


@pytest.mark.parametrize("suffix", [".yaml", ".jsonl"])
def test_a_data_file_linking_outside_its_folder_is_refused_unread(tmp_path, suffix):
    secret = tmp_path / "private.txt"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / f"notes{suffix}").symlink_to(secret)
    result = actorgraph("validate", "--data", "data", cwd=tmp_path)
    assert result.returncode == 2
    assert SECRET.split(":")[0] not in result.stdout + result.stderr
    assert result.stderr.splitlines() == [
        f"data/notes{suffix}:0: file: is a symbolic link to a file outside data; copy the file into the data folder "
        "instead",
        "error: 1 problem(s); nothing was written.",
    ]


def test_a_link_inside_the_data_folder_is_read(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(MINI_DATA, data)
    (data / "demo" / "relations.yaml").rename(data / "relations.yaml.real")
    (data / "demo" / "relations.yaml").symlink_to(data / "relations.yaml.real")
    result = actorgraph("validate", "--data", str(data), "--sources", str(MINI_SOURCES))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok: 14 nodes and 29 relationships in 2 files\n"


def test_a_top_level_key_that_is_not_a_key_is_not_quoted(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.yaml").write_text("root:$6$salt$hash:20228:0:99999:7:::: 1\nrelatons: []\n")
    result = actorgraph("validate", "--data", "data", cwd=tmp_path)
    assert result.returncode == 2
    assert "$6$" not in result.stderr
    assert result.stderr.splitlines() == [
        "data/x.yaml:1: (a top-level key, not shown): unknown top-level key; expected source, nodes, relations",
        "data/x.yaml:2: relatons: unknown top-level key; expected source, nodes, relations",
        "error: 2 problem(s); nothing was written.",
    ]


def test_a_password_inside_a_neo4j_uri_is_never_printed(tmp_path):
    password = "S3cret-in-uri-7731"
    for command in (["stats"], ["build", "--data", str(MINI_DATA)]):
        result = actorgraph(*command, "--engine", "neo4j", "--neo4j-uri", f"bolt://neo4j:{password}@127.0.0.1:1")
        assert result.returncode == 2, result.stderr
        assert password not in result.stdout + result.stderr
        assert result.stderr == (
            "error: Neo4j URI 'bolt://***@127.0.0.1:1' carries a user or password: give them in "
            "ACTORGRAPH_NEO4J_USER and ACTORGRAPH_NEO4J_PASSWORD (or --neo4j-user, --neo4j-password), not in the "
            "URI\n"
        )
    from actorgraph import Graph
    from actorgraph.errors import UsageError

    with pytest.raises(UsageError) as caught:
        Graph.open(f"neo4j+s://admin:{password}@db.example.org:7687")
    assert password not in str(caught.value) and "neo4j+s://***@db.example.org:7687" in str(caught.value)


def test_a_value_the_yaml_library_itself_fails_on_is_a_problem_at_its_line(tmp_path):
    """Found by fuzzing: ruamel.yaml raises IndexError on the plain value `+_` (a traceback before)."""
    folder = tmp_path / "data" / "c"
    folder.mkdir(parents=True)
    (folder / "nodes.yaml").write_text("source: source:x\nnodes:\n  - {id: place:a, name: +_}\n", encoding="utf-8")
    result = actorgraph("validate", "--data", str(tmp_path / "data"), "--sources", str(tmp_path))
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "nodes.yaml:3: yaml: the YAML reader failed on this file (IndexError" in result.stderr, result.stderr
