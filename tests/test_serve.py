"""The explorer's routes on both real engines: search, node, source, questions, Cypher, and its safety."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import MINI_DATA, MINI_SOURCES, open_test_engine

from actorgraph.loaders import build_graph, load_dataset
from actorgraph.serve.app import CSP, create_app
from actorgraph.serve.explorer import Explorer

XSS = '<img src=x onerror="window.__xss=1">'


def hostile_data(folder):
    """The mini data set with John Doe renamed to an HTML payload (the source text is unchanged)."""
    shutil.copytree(MINI_DATA, folder)
    nodes = folder / "demo" / "nodes.yaml"
    text = nodes.read_text(encoding="utf-8")
    nodes.write_text(text.replace("name: John Doe,", f"name: '{XSS}',"), encoding="utf-8")
    return folder


def engine_servers(home: Path) -> list[int]:
    """Embedded engine servers (redis-server processes) whose working directory is `home`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and b"redis-server" in (entry / "cmdline").read_bytes():
                if os.readlink(entry / "cwd") == str(home):
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.fixture(scope="module", params=["embedded", "neo4j"])
def engine(request, tmp_path_factory):
    opened = open_test_engine(request.param, request, tmp_path_factory.mktemp("serve"))
    build_graph(opened, load_dataset(hostile_data(tmp_path_factory.mktemp("data") / "data"), [MINI_SOURCES]))
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def client(engine):
    from starlette.testclient import TestClient

    with TestClient(create_app(Explorer(engine, [MINI_SOURCES])), base_url="http://127.0.0.1:8765") as opened:
        yield opened


def test_search_resolves_any_spelling_and_lists_by_kind(client):
    for typed in ("Мирзиёев", "Мирзиеев", "mirziyoev", "Mirziyoyev"):
        results = client.get("/api/search", params={"q": typed}).json()["results"]
        assert results[0]["id"] == "person:shavkat-mirziyoyev", typed
        assert set(results[0]) == {"id", "name", "labels", "kind"} and "Person" in results[0]["labels"]
    assert client.get("/api/search", params={"q": "ШОС"}).json()["results"][0]["id"] == "org:sco"
    assert client.get("/api/search", params={"q": "zzzz-nothing"}).json()["results"] == []
    page = client.get("/search", params={"q": "declaration"}).text
    assert "<h2>Agreement</h2>" in page and "<h2>Claim</h2>" in page
    assert page.index("<h2>Agreement</h2>") < page.index("<h2>Claim</h2>")


def test_node_api_and_page_carry_names_relationships_provenance_and_claims(client):
    node = client.get("/api/node/person:shavkat-mirziyoyev").json()
    assert node["names"] == {"en": "Shavkat Mirziyoyev", "kk": None, "ru": "Шавкат Мирзиёев"}
    leads = node["relationships"]["LEADS"]
    assert leads[0]["other"] == "country:uzbekistan" and leads[0]["direction"] == "out"
    assert leads[0]["line"] and leads[0]["evidence"] and leads[0]["source"] == "source:mini"
    claims = client.get("/api/node/agreement:2021-kz-uz-allied-relations").json()["claims_about"]
    assert {c["id"] for c in claims} == {"claim:jane-roe-declaration", "claim:john-doe-declaration"}
    assert any("person:jane-roe" in c["by_ids"] for c in claims)
    page = client.get("/node/person:shavkat-mirziyoyev")
    assert page.status_code == 200 and "Шавкат Мирзиёев" in page.text
    assert 'href="/node/country:uzbekistan"' in page.text
    assert "/source/source:mini?line=3&amp;phrase=" in page.text
    network = client.get("/api/node/country:uzbekistan/network").json()
    assert {n["id"] for n in network["nodes"]} >= {"country:uzbekistan", "person:shavkat-mirziyoyev", "org:sco"}
    assert all(set(e) >= {"from", "to", "label", "year"} for e in network["edges"])
    missing = client.get("/api/node/person:nobody")
    assert missing.status_code == 404 and missing.json()["error"].startswith("no node")
    assert client.get("/node/person:nobody").status_code == 404


def test_a_hubs_page_is_bounded_and_lists_each_type_a_page_at_a_time(client, engine):
    from starlette.testclient import TestClient

    everything = client.get("/api/node/country:uzbekistan").json()
    assert not everything["truncated"] and everything["page"] is None
    members = {r["other"] for r in everything["relationships"]["MEMBER_OF"]}
    assert members == {"org:sco", "org:organization-of-turkic-states"}
    bounded = Explorer(engine, [MINI_SOURCES], max_relationships=2)  # as a hub's page is bounded at 100
    with TestClient(create_app(bounded), base_url="http://127.0.0.1") as small:
        whole = small.get("/api/node/country:uzbekistan").json()
        assert whole["truncated"] and sum(map(len, whole["relationships"].values())) == 2
        assert whole["claims_about"] == everything["claims_about"]  # the node's page keeps its claims
        page = small.get("/node/country:uzbekistan").text
        assert "Only its first 2 relationships are shown" in page
        for rel_type in whole["relationships"]:
            assert f'href="/node/country:uzbekistan?type={rel_type}"' in page, rel_type
        typed = small.get("/api/node/country:uzbekistan", params={"type": "MEMBER_OF"}).json()
        assert typed["page"] == {"type": "MEMBER_OF", "skip": 0, "size": 100, "total": 2}
        assert list(typed["relationships"]) == ["MEMBER_OF"] and typed["claims_about"] == []
        assert [r["other"] for r in typed["relationships"]["MEMBER_OF"]] == sorted(members)  # by the other's id
        second = small.get("/api/node/country:uzbekistan", params={"type": "MEMBER_OF", "skip": 1}).json()
        assert [r["other"] for r in second["relationships"]["MEMBER_OF"]] == ["org:sco"]
        assert second["relationships"]["MEMBER_OF"][0]["evidence"] == "members of the SCO"
        shown = small.get("/node/country:uzbekistan", params={"type": "MEMBER_OF", "skip": 1}).text
        assert "MEMBER_OF: 2-2 of 2" in shown and 'rel="prev"' in shown and 'rel="next"' not in shown
        for wrong in ("NOPE", "MENTIONED_IN", "MEMBER_OF]-() DETACH DELETE (m"):
            refused = small.get("/api/node/country:uzbekistan", params={"type": wrong})
            assert refused.status_code == 404 and refused.json()["error"].startswith("no relationship type"), wrong


def test_source_reader_highlights_the_line_and_phrase(client, engine):
    page = client.get("/source/source:mini", params={"line": 3, "phrase": "leads Uzbekistan"})
    assert page.status_code == 200
    assert '<li id="L3" class="cited">' in page.text and "<mark>leads Uzbekistan</mark>" in page.text
    assert '<li id="L2" class="near">' in page.text and '<li id="L4" class="near">' in page.text
    assert client.get("/source/source:nope").status_code == 404
    moved = client.get("/node/source:mini", follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] == "/source/source:mini"
    from starlette.testclient import TestClient

    with TestClient(create_app(Explorer(engine, [])), base_url="http://127.0.0.1") as bare:
        absent = bare.get("/source/source:mini", params={"line": 3})
    assert absent.status_code == 404 and "is not on this machine" in absent.text and "mini.txt" in absent.text


def test_catalogue_forms_answer_as_tables_and_networks(client):
    listing = client.get("/ask").text
    assert 'href="/ask/shared_memberships"' in listing
    form = client.get("/ask/shared_memberships").text
    assert 'name="a"' in form and 'data-complete="names-a"' in form and "<table" not in form
    answer = client.get("/ask/shared_memberships", params={"a": "Казахстан", "b": "Өзбекстан", "run": 1}).text
    assert "Shanghai Cooperation Organisation" in answer and 'id="graph-data"' in answer
    graph = json.loads(answer.split('id="graph-data">', 1)[1].split("</script>", 1)[0])
    assert {"country:kazakhstan", "country:uzbekistan", "org:sco"} <= {n["id"] for n in graph["nodes"]}
    assert any(e["label"] == "MEMBER_OF" for e in graph["edges"])
    wrong = client.get("/ask/shared_memberships", params={"a": "Nowhere", "b": "Uzbekistan", "run": 1})
    assert wrong.status_code == 200 and "no actor or node is called" in wrong.text
    assert client.get("/ask/no_such_question").status_code == 404


def test_cypher_box_reads_and_the_engine_refuses_writes(client, engine):
    before = engine.run("MATCH (n) RETURN count(n) AS n")[0]["n"]
    page = client.get("/cypher", params={"q": "MATCH (p:Leader)-[r:LEADS]->(c) RETURN p, r, c.name AS country"}).text
    assert "Uzbekistan" in page and 'id="graph-data"' in page
    for write in ("CREATE (x:Person {id: 'person:x', name: 'X'})", "MATCH (n) DETACH DELETE n"):
        refused = client.get("/cypher", params={"q": write}).text
        assert 'class="problem"' in refused and "refused" in refused
    assert engine.run("MATCH (n) RETURN count(n) AS n")[0]["n"] == before
    broken = client.get("/cypher", params={"q": "MATCH (n RETURN n"})
    assert broken.status_code == 200 and 'class="problem"' in broken.text and "Traceback" not in broken.text


def test_safe_by_default(client):
    app = client.app
    for route in app.routes:
        assert route.methods <= {"GET", "HEAD"}, route.path
    for path in ("/", "/api/search?q=x", "/node/country:uzbekistan", "/static/explorer.js", "/nope", "/api/nope"):
        response = client.get(path)
        assert response.headers["content-security-policy"] == CSP, path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "Traceback" not in response.text
    assert client.get("/api/nope").json()["status"] == 404
    for method in ("post", "put", "delete", "patch"):
        response = getattr(client, method)("/api/node/country:uzbekistan")
        assert response.status_code == 405 and response.headers["content-security-policy"] == CSP
    rebinding = client.get("/api/search?q=x", headers={"Host": "attacker.example:8765"})
    assert rebinding.status_code == 400
    assert client.get("/api/search?q=x", headers={"Host": "localhost:8765"}).status_code == 200
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP and "frame-ancestors 'none'" in CSP


def test_hostile_names_are_text_on_every_page_and_in_the_api(client):
    found = client.get("/api/search", params={"q": "onerror"}).json()["results"]
    assert found[0]["id"] == "person:john-doe" and found[0]["name"] == XSS
    assert client.get("/api/node/person:john-doe").json()["names"]["en"] == XSS
    claim = client.get("/api/node/claim:john-doe-declaration").json()
    assert claim["relationships"]["MADE"][0]["other_name"] == XSS
    pages = [
        "/search?q=onerror",
        "/node/person:john-doe",
        "/node/claim:john-doe-declaration",
        "/node/agreement:2021-kz-uz-allied-relations",
        "/ask/expert_views?run=1",
        "/cypher?q=" + quote("MATCH (p:Person) RETURN p.name AS name, p"),
        "/search?q=" + quote(XSS),
        "/cypher?q=" + quote(XSS),
    ]
    for path in pages:
        text = client.get(path).text
        assert "<img" not in text, path
        assert "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;" in text or "\\u003cimg" in text, path
    for path in ("/source/source:mini?line=6&phrase=" + quote(XSS), "/node/" + quote(XSS), "/api/node/" + quote(XSS)):
        assert "<img" not in client.get(path).text, path


def test_serve_warns_when_not_on_loopback(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "NO_COLOR": "1", "ACTORGRAPH_HOME": str(tmp_path / "home")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "actorgraph.cli", "serve", "--host", "0.0.0.0", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert line.startswith("actorgraph explorer: http://")
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "warning:" in err and "0.0.0.0" in err
    assert "Traceback" not in err
    assert proc.returncode == 0 and engine_servers(tmp_path / "home") == []


def test_a_port_in_use_is_one_clear_error(tmp_path):
    import socket

    from conftest import actorgraph

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = actorgraph("serve", "--port", str(port), "--home", str(tmp_path / "home"), timeout=60)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_binary_data_file_is_not_shown_as_text(engine, tmp_path):
    from starlette.testclient import TestClient

    (tmp_path / "mini.txt").write_bytes(b"RDX3\n\x00\x01\x02 binary")
    with TestClient(create_app(Explorer(engine, [tmp_path])), base_url="http://127.0.0.1") as other:
        page = other.get("/source/source:mini", params={"line": 3, "phrase": "leads Uzbekistan"})
    assert page.status_code == 404 and "binary data file" in page.text and "“leads Uzbekistan”" in page.text
    assert "\x00" not in page.text


# ---------------------------------------------------------------- start-up: listening before the graph is open
@pytest.fixture(scope="module")
def built_home(tmp_path_factory):
    """A home holding the mini graph, with no engine server running (every command that opened it has closed)."""
    from conftest import actorgraph

    home = tmp_path_factory.mktemp("built") / "home"
    built = actorgraph("build", "--data", str(MINI_DATA), "--sources", str(MINI_SOURCES), "--home", str(home), "-q")
    assert built.returncode == 0, built.stderr
    assert engine_servers(home) == []
    return home


@contextlib.contextmanager
def starting_elsewhere(home: Path):
    """Hold the home's start-up lock, as another actorgraph command starting or stopping its server does."""
    import fcntl

    from actorgraph.graph.falkor_server import LOCK_FILE

    with (home / LOCK_FILE).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield  # closing the file lets the lock go


def opening_over(home: Path, wait: float):
    from actorgraph.commands.common import engine_from_options
    from actorgraph.serve.opening import Opening

    return Opening(lambda: engine_from_options(home=home), lambda graph: Explorer(graph, [MINI_SOURCES]), wait=wait)


def test_the_explorer_listens_while_the_graph_opens_and_a_request_waits_for_it(built_home):
    """The real command, while the embedded engine cannot open yet: it listens, and an engine request waits."""
    import select
    import subprocess
    import sys
    import threading
    import urllib.request

    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("ACTORGRAPH_NEO4J_PASSWORD", None)
    answers: dict[str, object] = {}
    with starting_elsewhere(built_home):
        proc = subprocess.Popen(
            [sys.executable, "-m", "actorgraph.cli", "serve", "--port", "0", "--home", str(built_home)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            # it must listen and say where, though the graph cannot open yet (never wait for ever here)
            assert proc.stdout is not None and select.select([proc.stdout], [], [], 30)[0], "no URL printed"
            line = proc.stdout.readline()
            assert line.startswith("actorgraph explorer: http://127.0.0.1:"), line
            base = line.split(": ", 1)[1].strip().rstrip("/")
            with urllib.request.urlopen(base + "/static/explorer.css", timeout=10) as response:
                assert response.status == 200  # static files answer at once
            with urllib.request.urlopen(base + "/", timeout=10) as response:
                assert response.status == 200 and "still loading" in response.read().decode()

            def ask() -> None:
                with urllib.request.urlopen(base + "/api/search?q=" + quote("Мирзиёев"), timeout=60) as response:
                    answers["status"] = response.status
                    answers["results"] = json.loads(response.read())["results"]

            waiting = threading.Thread(target=ask)
            waiting.start()
            waiting.join(1.5)
            assert waiting.is_alive() and answers == {}  # the graph cannot open yet: the request waits
        except BaseException:
            proc.kill()
            raise
    try:
        waiting.join(60)  # the lock is free: the engine opens and the waiting request is answered
        assert answers["status"] == 200
        assert answers["results"][0]["id"] == "person:shavkat-mirziyoyev"
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "the graph is open" in err and "Traceback" not in err, err
    assert proc.returncode == 0 and engine_servers(built_home) == []


def test_a_graph_still_opening_or_failing_to_open_is_a_clear_503(built_home, tmp_path):
    from starlette.testclient import TestClient

    opening = None
    try:
        with starting_elsewhere(built_home):
            opening = opening_over(built_home, wait=0.3).start()
            with TestClient(create_app(opening), base_url="http://127.0.0.1") as client:
                assert client.get("/static/explorer.js").status_code == 200
                assert client.get("/ask").status_code == 200  # the forms need no graph
                shell = client.get("/")
                assert shell.status_code == 200 and "still loading" in shell.text
                api = client.get("/api/node/country:uzbekistan")
                assert api.status_code == 503 and api.headers["retry-after"] == "5"
                assert api.json()["error"].startswith("the graph is still opening")
                page = client.get("/node/country:uzbekistan")
                assert page.status_code == 503 and "still opening" in page.text and "Traceback" not in page.text
                assert page.headers["content-security-policy"] == CSP
        # the lock is free: the same app now answers from the graph
        with TestClient(create_app(opening), base_url="http://127.0.0.1") as client:
            assert client.get("/api/node/country:uzbekistan").json()["names"]["en"] == "Uzbekistan"
    finally:
        if opening is not None:
            opening.close()  # (after the lock is let go: it waits for the opening under way)
    assert engine_servers(built_home) == []

    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    failed = opening_over(not_a_folder, wait=30).start()
    try:
        with TestClient(create_app(failed), base_url="http://127.0.0.1") as client:
            for path in ("/api/search?q=x", "/"):
                response = client.get(path)
                assert response.status_code == 503 and "Traceback" not in response.text, path
                assert "the graph could not be opened: cannot use" in response.text, path
            assert client.get("/api/search?q=x").json()["status"] == 503
    finally:
        failed.close()


def test_serve_exits_with_the_engines_error_when_the_graph_cannot_open(tmp_path):
    from conftest import actorgraph

    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    result = actorgraph("serve", "--port", "0", "--home", str(not_a_folder), timeout=60)
    assert result.returncode == 3, result.stderr
    assert "error: cannot use" in result.stderr and "Traceback" not in result.stderr
