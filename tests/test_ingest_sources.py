"""Two sources in one graph: ingest a new text, review the draft, build it with the article.

The review is done as a person would: a candidate becomes a node, two suggestions
become relationships (one of which the article states too), the rest is deleted. Then
the real CLI validates and builds on each engine, and the answers show each fact with
its own source and line, one node per actor, and the corroborated fact with two sources.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ARTICLE_DATA, TESTS, actorgraph

from actorgraph import Graph
from actorgraph.graph.nodelink import read_node_link
from actorgraph.loaders import load_dataset
from actorgraph.queries.registry import ask

NEWS = TESTS / "fixtures" / "ingest" / "news-kk.txt"
ARTICLE = "source:kz-uz-relations"


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory) -> Path:
    """A data folder: the article's files plus the news draft, reviewed and valid."""
    from ruamel.yaml import YAML

    data = tmp_path_factory.mktemp("two-sources") / "data"
    shutil.copytree(ARTICLE_DATA / "kz-uz-relations", data / "kz-uz-relations")
    (data / "sources").mkdir()
    shutil.copy(NEWS, data / "sources" / NEWS.name)
    draft = data / "kz-uz-relations" / "80-news-kk.yaml"
    result = actorgraph("ingest", str(NEWS), "-o", str(draft), "--data", str(data))
    assert result.returncode == 0, result.stderr

    yaml = YAML(typ="rt")
    document = yaml.load(draft.read_text(encoding="utf-8"))
    candidate = next(c for c in document["candidates"] if c["name"] == "Садыр Жапаров")
    document["nodes"].append(
        {
            "id": candidate["id"],
            "labels": ["Leader"],
            "name": "Sadyr Japarov",
            "name_kk": candidate["name"],
            "line": candidate["line"],
            "evidence": candidate["evidence"],
        }
    )
    wanted = {
        ("person:shavkat-mirziyoyev", "LEADS", "country:uzbekistan"),
        ("country:uzbekistan", "MEMBER_OF", "org:sco"),
    }
    for suggestion in document["suggestions"]:
        for rel_type in suggestion["types"]:
            if (suggestion["from"], rel_type, suggestion["to"]) in wanted:
                document["relations"].append(
                    {key: suggestion[key] for key in ("from", "to", "key", "line", "evidence")} | {"type": rel_type}
                )
    del document["candidates"], document["suggestions"]
    with draft.open("w", encoding="utf-8") as stream:
        yaml.dump(document, stream)
    result = actorgraph("validate", "--data", str(data))
    assert result.returncode == 0, result.stderr
    return data


def test_reviewed_draft_loads_with_the_article_on_each_engine(
    reviewed, engine_name, engine_cli_args, request, tmp_path
):
    result = actorgraph("build", "--data", str(reviewed), "-q", *engine_cli_args)
    assert result.returncode == 0, result.stderr

    result = actorgraph("sources", "--format", "json", *engine_cli_args)
    assert result.returncode == 0, result.stderr
    rows = {row["source"]: row for row in json.loads(result.stdout)}
    assert {ARTICLE, "source:news-kk"} <= set(rows)  # with any other source the data holds (general knowledge)
    news = rows["source:news-kk"]
    assert news["file"] == "news-kk.txt" and news["language"] == "kk"
    assert (news["nodes"], news["relationships"], news["corroborated"]) == (1, 2, 2)
    assert news["mentioned"] == 9  # eight known nodes, and the new one from its own provenance
    dataset = load_dataset(reviewed)  # what the data files hold, to compare the counts with
    stated = [rel for rel in dataset.relations if rel.type != "MENTIONED_IN" and rel.props["source"] == ARTICLE]
    assert rows[ARTICLE]["corroborated"] >= 2 and rows[ARTICLE]["relationships"] == len(stated)

    from actorgraph.graph import open_engine

    if engine_name == "embedded":
        graph = open_engine("embedded", home=Path(engine_cli_args[engine_cli_args.index("--home") + 1]))
    else:
        graph = open_engine("neo4j", uri=request.getfixturevalue("neo4j_uri"), password="")
    try:
        # one node per actor: the news adds provenance, not a second Mirziyoyev
        count = graph.run("MATCH (p:Person) WHERE p.id = 'person:shavkat-mirziyoyev' RETURN count(p) AS n")
        assert count[0]["n"] == 1
        profile = ask(graph, "profile", actor="Mirziyoyev")
        leads = {(row["source"], row["line"]) for row in profile if row["relation"] == "LEADS"}
        assert leads == {(ARTICLE, 611), ("source:news-kk", 3)}
        corroborated = Graph(graph).corroborated(min_sources=2)  # the Python helper runs the same question
        assert {row["source"] for row in Graph(graph).sources()} == set(rows)
        facts = {(row["from"], row["relation"], row["to"]): row for row in corroborated}
        row = facts[("Shavkat Mirziyoyev", "LEADS", "Uzbekistan")]
        assert row["source_count"] == 2 and sorted(row["sources"]) == [ARTICLE, "source:news-kk"]
        assert ("Uzbekistan", "MEMBER_OF", "Shanghai Cooperation Organisation") in facts
        assert all(r["source_count"] >= 2 for r in corroborated)
        paths = ask(graph, "paths", a="Mirziyoyev", b="Uzbekistan", max_hops=1)
        hops = {hop for row in paths for hop in row["evidence"]}
        assert any(hop.startswith("LEADS (line 3 of source:news-kk, stated): ") for hop in hops), hops
        assert any(hop.startswith(f"LEADS (line 611 of {ARTICLE}, stated): ") for hop in hops), hops
        mentions = ask(graph, "mentions", actor="Tokayev")
        assert len(mentions) == 2  # one MENTIONED_IN per source, each with its lines
        exported = read_node_link(graph)
        news_links = [link for link in exported["links"] if link.get("evidence_source") == "source:news-kk"]
        assert {link["type"] for link in news_links} == {"LEADS", "MEMBER_OF", "MENTIONED_IN"}
        japarov = next(node for node in exported["nodes"] if node["id"] == "person:sadyr-zhaparov")
        assert japarov["source"] == "source:news-kk" and japarov["line"] == 6
    finally:
        graph.close()
