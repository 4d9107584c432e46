"""The article's curated data: valid against the source text, and complete enough to explore.

Checks the first data set the foundation issue asks for, then loads it on both engines.
"""

from __future__ import annotations

import pytest
from conftest import ARTICLE_DATA, SHARED_SOURCES

from actorgraph.graph.nodelink import read_node_link
from actorgraph.loaders import DataError, build_graph, load_dataset

ARTICLE = "000_1c9682e6c6472fdb.txt"


@pytest.fixture(scope="module")
def article():
    if not (SHARED_SOURCES / ARTICLE).is_file():
        pytest.skip(f"the article's text is not here ({SHARED_SOURCES / ARTICLE}); CI always has it")
    try:
        return load_dataset(ARTICLE_DATA, [SHARED_SOURCES, ARTICLE_DATA / "sources"])
    except DataError as exc:  # show every problem, not just a count
        pytest.fail("the article data does not validate:\n" + "\n".join(map(str, exc.problems)))


def test_every_evidence_was_checked_against_the_text(article):
    assert not [note for note in article.notes if "not found" in note or "differs" in note], article.notes


def test_first_data_set_is_there(article):
    ids = {node.id for node in article.nodes}
    countries = {
        "kazakhstan",
        "uzbekistan",
        "kyrgyzstan",
        "tajikistan",
        "turkmenistan",
        "afghanistan",
        "russia",
        "china",
        "usa",
    }
    assert {f"country:{name}" for name in countries} <= ids
    assert {"person:shavkat-mirziyoyev", "person:islam-karimov", "person:kassym-jomart-tokayev"} <= ids
    assert {"org:sco", "org:cis", "org:organization-of-turkic-states"} <= ids
    names = {node.props["name"].lower() for node in article.nodes if "Agreement" in node.labels}
    assert any("allied" in name for name in names), sorted(names)


def test_the_article_is_curated_beyond_a_floor(article):
    actors = [node for node in article.nodes if "Actor" in node.labels]
    stated = [rel for rel in article.relations if rel.type != "MENTIONED_IN"]
    claims = [node for node in article.nodes if "Claim" in node.labels]
    assert len(actors) > 60 and len(stated) > 150 and len(claims) >= 20, (len(actors), len(stated), len(claims))


def test_leaders_lead_the_countries_the_text_says(article):
    leads = {(rel.source, rel.target) for rel in article.relations if rel.type == "LEADS"}
    assert ("person:shavkat-mirziyoyev", "country:uzbekistan") in leads
    assert ("person:islam-karimov", "country:uzbekistan") in leads
    assert ("person:kassym-jomart-tokayev", "country:kazakhstan") in leads


def test_article_loads_identically_on_each_engine(engine, article):
    build_graph(engine, article)
    graph = read_node_link(engine)
    assert len(graph["nodes"]) == len(article.nodes)
    assert len(graph["links"]) == len(article.relations)
    build_graph(engine, article)
    assert read_node_link(engine) == graph
