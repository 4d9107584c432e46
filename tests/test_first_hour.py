"""A new user's first hour: every mistake is one clear line, on both engines, through the real CLI.

Bad output paths (exit 2), an empty graph (say so and name the build command), engine
errors with the query and a caret, Neo4j URIs and connection failures, suggestions for
unknown names, tables that wrap at spaces, the README's and the packaging's promises,
the `Graph` helpers, and the one error root that every command relies on.
"""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys

import pytest
from conftest import ARTICLE_DATA, MINI_DATA, MINI_SOURCES, REPO, actorgraph

# ------------------------------------------------------------------ output paths


@pytest.fixture(scope="module")
def mini_home(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    home = tmp_path_factory.mktemp("first-hour") / "home"
    built = actorgraph("build", "-q", "--data", str(MINI_DATA), "--sources", str(MINI_SOURCES), "--home", str(home))
    assert built.returncode == 0, built.stderr
    return ["--home", str(home)]


def one_error_line(result: subprocess.CompletedProcess[str], code: int = 2) -> str:
    assert result.returncode == code, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_every_bad_output_path_is_one_line_and_exit_2(mini_home, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    a_file = tmp_path / "file.txt"
    a_file.write_text("keep me\n")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.md").write_text("mine\n")
    cases = {
        ("map", "-o", str(folder)): f"error: --output {folder} is a folder; give a file name, e.g. {folder}/map.html",
        ("export", "-o", str(folder)): f"error: --output {folder} is a folder; give a file name, e.g. "
        f"{folder}/graph.json",
        ("map", "-o", f"{a_file}/x.html"): f"error: --output {a_file}/x.html: {a_file} is not a folder",
        ("export", "-f", "csv", "-o", str(a_file)): f"error: --output {a_file} is a file; this format writes a folder "
        "of files: give a folder name",
        ("export", "-f", "csv", "-o", str(busy)): f"error: --output {busy} holds other files (notes.md); csv replaces "
        "the whole folder, so give an empty or new one",
        ("map", "-o", "-"): "error: --output -: this command writes a file, not to standard output",
        ("demo", "--out", str(a_file)): f"error: --out {a_file}/actorgraph-map.html: {a_file} is not a folder",
    }
    for command, message in cases.items():
        assert one_error_line(actorgraph(*command, *mini_home)) == message, command
    assert a_file.read_text() == "keep me\n" and (busy / "notes.md").read_text() == "mine\n"
    line = one_error_line(actorgraph("export", "-f", "graphml", "-o", "/proc/x.graphml", *mini_home))
    assert line.startswith("error: --output /proc/x.graphml"), line


def test_a_csv_export_replaces_its_own_earlier_export(mini_home, tmp_path):
    target = tmp_path / "import"
    for _ in range(2):
        result = actorgraph("export", "-f", "csv", "-o", str(target), *mini_home)
        assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in target.iterdir()) == ["nodes.csv", "relationships.csv"]


# ------------------------------------------------------------------ empty graph


@pytest.mark.parametrize("engine_name", ["embedded", "neo4j"])
def test_an_empty_graph_says_so_and_names_the_build_command(engine_name, engine_cli_args, tmp_path):
    if engine_name == "embedded":
        where, build = f"embedded FalkorDB in {engine_cli_args[-1]}", f"actorgraph build --home {engine_cli_args[-1]}"
    else:
        where, build = f"Neo4j at {engine_cli_args[-1]} (database neo4j)", "actorgraph build --engine neo4j"
    message = f"the graph is empty ({where}): run `{build}` first"
    for command in (["ask", "leaders"], ["ask", "profile", "-p", "actor=Tokayev"], ["map", "-o", "m.html"]):
        result = actorgraph(*command, *engine_cli_args, cwd=tmp_path)
        assert one_error_line(result, 1) == f"error: {message}", command
    assert not (tmp_path / "m.html").exists()
    stats = actorgraph("stats", "-f", "json", *engine_cli_args)
    assert stats.returncode == 0 and stats.stderr == f"note: {message}\n"
    assert '"nodes": 0' in stats.stdout


# ------------------------------------------------------------------ engine errors

SYNTAX = {
    "embedded": [
        "error: Invalid input 'R': expected RETURN (line 1, column 14)",
        "  MATCH (n) RETRN n",
        "               ^",
        "hint: did you mean RETURN?",
    ],
    "neo4j": [
        "error: Invalid input 'RETRN': expected a graph pattern, 'FOREACH', ',', 'ORDER BY', 'CALL', 'CREATE' or one "
        "of 22 more (line 1, column 11)",
        "  MATCH (n) RETRN n",
        "            ^",
        "hint: did you mean RETURN?",
    ],
}


@pytest.mark.parametrize("engine_name", ["embedded", "neo4j"])
def test_engine_errors_show_the_query_with_a_caret_and_a_hint(engine_name, engine_cli_args):
    result = actorgraph("query", "MATCH (n) RETRN n", *engine_cli_args)
    assert result.returncode == 1 and result.stderr.splitlines() == SYNTAX[engine_name]
    unbound = actorgraph("query", "MATCH (n) RETURN m", *engine_cli_args)
    assert unbound.returncode == 1
    assert unbound.stderr.splitlines()[-1] == (
        "hint: m is not bound by MATCH, WITH or UNWIND; a value from outside is a parameter: $m with -p m=..."
    )
    missing = actorgraph("query", "RETURN $who AS who", *engine_cli_args)
    assert missing.returncode == 1
    assert missing.stderr.splitlines()[-1] == "hint: give each $parameter a value with -p name=value"
    empty = actorgraph("query", "  ", *engine_cli_args)
    assert one_error_line(empty) == (
        'error: the query is empty: give a Cypher statement, e.g. actorgraph query "MATCH (n) RETURN count(n)"'
    )


def test_neo4j_uris_and_connection_failures_say_what_is_wrong():
    start = "(`docker compose up -d --wait`, or set ACTORGRAPH_NEO4J_URI / --neo4j-uri)"
    cases = {
        "http://127.0.0.1:7474": (
            2,
            "error: Neo4j URI 'http://127.0.0.1:7474': 'http' is not a Bolt scheme (http:// is for Neo4j Browser; "
            "Bolt listens on port 7687); use bolt://HOST:7687, or neo4j://, bolt+s://, neo4j+s:// (TLS)",
        ),
        "localhost:7687": (2, "error: Neo4j URI 'localhost:7687' has no scheme: write it as bolt://localhost:7687"),
        "bolt://127.0.0.1:99999": (
            2,
            "error: Neo4j URI 'bolt://127.0.0.1:99999': the port must be a number from 1 to 65535",
        ),
        "bolt://127.0.0.1:1": (
            3,
            f"error: cannot reach Neo4j at bolt://127.0.0.1:1: nothing listens on 127.0.0.1:1; is Neo4j running? {start}",
        ),
    }
    for uri, (code, message) in cases.items():
        assert one_error_line(actorgraph("stats", "--engine", "neo4j", "--neo4j-uri", uri), code) == message, uri
    unknown_host = one_error_line(
        actorgraph("stats", "--engine", "neo4j", "--neo4j-uri", "bolt://no-such-host.invalid:7687"), 3
    )
    assert unknown_host.startswith("error: cannot reach Neo4j at bolt://no-such-host.invalid:7687: ")
    assert "is it running" not in unknown_host and "running?" not in unknown_host


# ------------------------------------------------------------------ names and tables


@pytest.fixture(scope="module")
def article_home(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    home = tmp_path_factory.mktemp("article") / "home"
    built = actorgraph("build", "-q", "--data", str(ARTICLE_DATA), "--home", str(home))
    assert built.returncode == 0, built.stderr
    return ["--home", str(home)]


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("Putin", ""),  # Пекин (Beijing), transliterated 'pekin', is no misspelling of Putin
        ("Путин", ""),
        ("Karimow", "; did you mean Islam Karimov?"),
        ("Мирзияев", "; did you mean Shavkat Mirziyoyev?"),
    ],
)
def test_suggestions_are_close_in_spelling_or_absent(article_home, name, suggestion):
    result = actorgraph("ask", "profile", "-p", f"actor={name}", *article_home)
    assert one_error_line(result) == f"error: no actor or node is called {name!r}{suggestion}"


@pytest.mark.parametrize("columns", [80, 100])
def test_tables_wrap_at_spaces_not_inside_words(article_home, columns):
    """Side by side where the words fit, else one block per row (as psql's expanded mode): never a cut word."""
    env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1", "TERM": "dumb"}
    result = subprocess.run(
        [sys.executable, "-m", "actorgraph.cli", "ask", "leaders", *article_home],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert all(len(line) <= columns for line in result.stdout.splitlines())
    cells = [cell.strip() for line in result.stdout.splitlines() for cell in re.split(r"[│┃]", line)]
    words = {word for cell in cells for word in cell.split()}
    assert {"Kassym-Jomart", "Nazarbayev", "Mirziyoyev"} <= words, result.stdout
    assert not {"Kassym-Jomar", "Mirziyoye", "Nazarbaye"} & words


# ------------------------------------------------------------------ README, packaging, API


def test_the_readme_and_packaging_keep_their_promises():
    from ruamel.yaml import YAML

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "apt-get install chromium" in readme and "../shared/sources" in readme
    assert "docker compose up -d --wait" in readme
    assert not re.search(r"docker compose up -d(?! --wait)", readme), "every start waits for Bolt"
    compose = YAML(typ="safe").load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
    assert "./import:/import" in compose["services"]["neo4j"]["volumes"]
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^license = "MIT"$', pyproject, re.MULTILINE)
    assert '"setuptools>=77"' in pyproject  # the first setuptools that reads an SPDX license string
    data_readme = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([\w.-]+\.(?:yaml|jsonl))`", data_readme))
    existing = {path.name for path in (REPO / "data").rglob("*") if path.is_file()}
    assert named and named <= existing, named - existing


def test_every_catalogue_question_is_a_graph_method_with_its_parameters(tmp_path):
    from actorgraph import Graph
    from actorgraph.queries.registry import catalogue

    for name, question in catalogue().items():
        method = getattr(Graph, name)
        parameters = list(inspect.signature(method).parameters.values())[1:]
        assert [p.name.removesuffix("_") for p in parameters] == [p.name for p in question.params], name
        assert [p.default is None for p in parameters] == [p.optional or p.type == "hops" for p in question.params]
        assert method.__doc__.startswith(question.question)
    with Graph.open(home=tmp_path / "home") as graph:
        graph.build(data=MINI_DATA, sources=MINI_SOURCES)
        assert graph.mentions("John Doe") == graph.ask("mentions", actor="John Doe") != []
        assert graph.places() == graph.ask("places")
        assert graph.leaders("Uzbekistan") == graph.leaders(country="Uzbekistan") != []


def test_analytics_uses_only_public_networkx():
    source = (REPO / "actorgraph" / "viz" / "analytics.py").read_text(encoding="utf-8")
    assert not re.search(r"networkx[\w.]* import _|nx\._", source)
    from actorgraph.viz.analytics import compute

    data = {
        "nodes": [{"id": f"place:{n}", "labels": ["Place"], "name": n} for n in "abc"],
        "links": [
            {"source": "place:a", "target": "place:b", "type": "PARTNERED_WITH", "id": "1"},
            {"source": "place:b", "target": "place:c", "type": "PARTNERED_WITH", "id": "2"},
            {"source": "place:c", "target": "place:a", "type": "PARTNERED_WITH", "id": "3"},
        ],
    }
    assert compute(data).pagerank == pytest.approx({f"place:{n}": 1 / 3 for n in "abc"}, abs=1e-6)


def test_user_errors_have_one_root_and_commands_do_not_catch_them():
    from actorgraph.errors import ActorgraphError, EmptyGraph, OutputPathError, UsageError
    from actorgraph.graph.engine import EngineError, EngineUnavailable, QueryError
    from actorgraph.loaders import DataError
    from actorgraph.queries.registry import QuestionError
    from actorgraph.queries.resolve import ResolveError
    from actorgraph.viz.maps import MapError

    codes = {
        DataError: 2,
        UsageError: 2,
        OutputPathError: 2,
        QuestionError: 2,
        ResolveError: 2,
        MapError: 2,
        EngineError: 1,
        QueryError: 1,
        EmptyGraph: 1,
        EngineUnavailable: 3,
    }
    for kind, code in codes.items():
        assert issubclass(kind, ActorgraphError) and kind.exit_code == code, kind
    for module in (REPO / "actorgraph" / "commands").glob("*.py"):
        text = module.read_text(encoding="utf-8")
        caught = re.findall(r"except \(?([\w, ]+)", text)
        assert not [
            name
            for names in caught
            for name in names.split(", ")
            if name.strip() in {k.__name__ for k in codes} | {"ActorgraphError"}
        ], module.name
    cli = (REPO / "actorgraph" / "cli.py").read_text(encoding="utf-8")
    assert cli.count("except ActorgraphError") == 1
