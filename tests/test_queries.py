"""Every catalogue question, answered from the article's data, on both engines.

Expected answers come from reading the data files (and the article), not from running
the queries; the same assertions run on the embedded engine and on Neo4j, so the
results are proven equal (order-insensitive where a question has no order).
"""

from __future__ import annotations

import pytest
from conftest import ARTICLE_DATA, SHARED_SOURCES, open_test_engine

from actorgraph.loaders import build_graph, load_dataset
from actorgraph.queries.registry import QuestionError, ask, catalogue
from actorgraph.queries.resolve import AmbiguousName, UnknownName, resolve


@pytest.fixture(scope="module", params=["embedded", "neo4j"])
def g(request, tmp_path_factory):
    """The article's graph, built once per engine for this module."""
    dataset = load_dataset(ARTICLE_DATA, [SHARED_SOURCES, ARTICLE_DATA / "sources"])
    engine = open_test_engine(request.param, request, tmp_path_factory.mktemp("queries-home"))
    build_graph(engine, dataset)
    yield engine
    engine.close()


def names(rows, column):
    return {row[column] for row in rows}


def test_catalogue_has_twenty_questions_with_headers():
    questions = catalogue()
    assert len(questions) >= 20
    for question in questions.values():
        assert "?" in question.question and question.cypher.strip()
        for param in question.params:
            assert param.example, (question.name, param.name)


def test_every_question_runs_with_its_own_example(g):
    for question in catalogue().values():
        params = {p.name: p.example for p in question.params if p.example}
        rows = ask(g, question.name, **params)
        assert isinstance(rows, list), question.name


@pytest.mark.parametrize(
    "spelling",
    [
        "Mirziyoyev",
        "mirziyoev",
        "Мирзиёев",
        "Мирзиеев",
        "Shavkat Mirziyoyev",
        "MIRZIYOYEV",
        "person:shavkat-mirziyoyev",
    ],
)
def test_name_resolution_over_spellings(g, spelling):
    assert resolve(g, spelling).id == "person:shavkat-mirziyoyev"


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("Қазақстан", "country:kazakhstan"),
        ("Казахстан", "country:kazakhstan"),
        ("ШЫҰ", "org:sco"),
        ("Turkic Council", "org:organization-of-turkic-states"),
        ("Тоқаев", "person:kassym-jomart-tokayev"),
        ("Токаев", "person:kassym-jomart-tokayev"),
        ("Астана", "place:nur-sultan"),
        ("Кушкумбаев", "person:sanat-kushkumbayev"),
        ("Күшкімбаев", "person:sanat-kushkumbayev"),
    ],
)
def test_name_resolution_across_languages(g, spelling, expected):
    assert resolve(g, spelling).id == expected


def test_unknown_and_ambiguous_names(g):
    with pytest.raises(UnknownName, match="did you mean"):
        resolve(g, "Tolopovski")
    with pytest.raises(AmbiguousName, match="event:2019-03-kazakhstan-uzbekistan-business-forum"):
        resolve(g, "Kazakhstan Uzbekistan")  # a phrase inside several names: all are listed
    with pytest.raises(QuestionError, match="needs -p actor"):
        ask(g, "profile")
    with pytest.raises(QuestionError, match="no question named"):
        ask(g, "leaderz")


def test_leaders(g):
    rows = ask(g, "leaders", country="Uzbekistan")
    assert names(rows, "leader") == {"Shavkat Mirziyoyev", "Islam Karimov"}
    assert all(row["evidence"] and row["line"] for row in rows)
    assert {row["leader"] for row in ask(g, "leaders")} >= {"Kassym-Jomart Tokayev"}


def test_profile_has_both_directions_with_evidence(g):
    rows = ask(g, "profile", actor="Karimov")
    assert {"in", "out"} == names(rows, "direction")
    assert ("out", "LEADS", "Uzbekistan") in {(r["direction"], r["relation"], r["other"]) for r in rows}
    assert ("in", "SUCCEEDED", "Shavkat Mirziyoyev") in {(r["direction"], r["relation"], r["other"]) for r in rows}


def test_memberships_and_shared(g):
    assert names(ask(g, "memberships", member="Uzbekistan"), "organization") >= {
        "United Nations", "Commonwealth of Independent States", "Shanghai Cooperation Organisation",
        "Organization of Turkic States", "Organization for Security and Co-operation in Europe",
    }  # fmt: skip
    shared = ask(g, "shared_memberships", a="Kazakhstan", b="Uzbekistan")
    assert names(shared, "organization") >= {
        "Organization of Turkic States",
        "Organization for Security and Co-operation in Europe",
    }


def test_agreements_between_with_event(g):
    rows = ask(g, "agreements_between", a="Kazakhstan", b="Uzbekistan")
    by_name = {row["agreement"]: row for row in rows}
    declaration = by_name["Declaration on Allied Relations between Kazakhstan and Uzbekistan"]
    assert declaration["date"] == "2021-12-06"
    assert declaration["adopted_at"] == "Mirziyoyev's December 2021 state visit to Kazakhstan"
    assert "Kazakhstan–Uzbekistan intergovernmental agreement on military-technical cooperation" in by_name


def test_timeline_filters(g):
    rows = ask(g, "timeline", from_year=2019, to_year=2019)
    assert {row["date"][:4] for row in rows} == {"2019"}
    assert [row["date"] for row in rows] == sorted(row["date"] for row in rows)
    in_kg = ask(g, "timeline", country="Kyrgyzstan")
    assert "Fourth Consultative Meeting of the Presidents of Central Asia" in names(in_kg, "event")


def test_participants(g):
    rows = ask(g, "participants", event="event:2021-12-06-mirziyoyev-state-visit-to-kazakhstan")
    assert {(row["participant"], row["role"]) for row in rows} == {
        ("Shavkat Mirziyoyev", "guest"), ("Kazakhstan", "host"), ("Uzbekistan", "guest"),
    }  # fmt: skip


def test_initiatives_and_fate(g):
    rows = ask(g, "initiatives", proposer="Kazakhstan")
    visa = next(row for row in rows if row["proposal"] == "Silk Road Visa")
    assert visa["date"] == "2018-06" and visa["expert_stances"] == ["skeptical", "supportive"]
    uzbek = ask(g, "initiatives", proposer="Uzbekistan")
    regional = next(
        row for row in uzbek if row["proposal"] == "Uzbekistan's initiative to strengthen regional cooperation"
    )
    assert regional["carried_out_by"] == ["Third Consultative Meeting of the Presidents of Central Asia"]


def test_expert_views_grouped_by_stance(g):
    rows = ask(g, "expert_views", about="Declaration on Allied Relations")
    stances = [row["stance"] for row in rows]
    assert stances == sorted(stances)
    assert {"supportive", "skeptical"} <= set(stances)
    assert any(row["made_by"] == ["Abduvali Saibnazarov"] for row in rows)
    topical = ask(g, "expert_views", topic="multi-vector")
    assert names(topical, "topic") == {"multi-vector foreign policy"}


def test_responses_and_disagreements(g):
    responses = ask(g, "responses")
    assert ("Mikhail Bocharnikov", "Martha Brill Olcott") in {
        (r["responder"][0], r["responded_to"][0]) for r in responses if r["responder"] and r["responded_to"]
    }
    disagreements = ask(g, "disagreements")
    assert any(
        row["subject"] == "Declaration on Allied Relations between Kazakhstan and Uzbekistan" for row in disagreements
    )
    for row in disagreements:
        assert row["positive"] != row["negative"]


def test_paths_give_a_route_with_evidence_per_hop(g):
    rows = ask(g, "paths", a="Tokayev", b="Mirziyoyev", max_hops=3)
    assert rows and rows[0]["hops"] == min(row["hops"] for row in rows)
    first = rows[0]
    assert first["route"][0] == "Kassym-Jomart Tokayev" and first["route"][-1] == "Shavkat Mirziyoyev"
    assert len(first["evidence"]) == first["hops"] and all("(line " in hop for hop in first["evidence"])


def test_neighbourhood_and_co_participants(g):
    near = ask(g, "neighbourhood", actor="Cholpon-Ata", hops=1)
    assert names(near, "name") == {"Kyrgyzstan", "Fourth Consultative Meeting of the Presidents of Central Asia"}
    assert ask(g, "neighbourhood", actor="Cholpon-Ata", hops=2) != near
    with pytest.raises(QuestionError, match="between 1 and 4"):
        ask(g, "neighbourhood", actor="Cholpon-Ata", hops=9)
    co = ask(g, "co_participants", actor="Kazakhstan")
    top = co[0]
    assert top["actor"] in {"Shavkat Mirziyoyev", "Uzbekistan"} and top["shared_events"] >= 2


def test_investments_with_figures(g):
    rows = ask(g, "investments")
    plant = next(row for row in rows if row["investor"] == "Artel Electronics" and row["relation"] == "PARTNERED_WITH")
    assert plant["amount"] == 85000000 and plant["currency"] == "USD"
    kz = next(row for row in rows if row["investor"] == "Kazakhstan" and row["relation"] == "INVESTED_IN")
    assert kz["count"] == 1056


def test_most_connected_and_lines(g):
    top = ask(g, "most_connected", limit=3)
    assert [row["actor"] for row in top][:2] == ["Uzbekistan", "Kazakhstan"] and len(top) == 3
    facts = ask(g, "at_lines", first=429, last=430)
    assert [row["line"] for row in facts] == sorted(row["line"] for row in facts)
    assert any("Bocharnikov" in row["fact"] for row in facts)


def test_small_questions(g):
    assert ask(g, "mentions", actor="Tolipov")[0]["lines"][:2] == [85, 86]
    experts = {row["person"]: row for row in ask(g, "experts")}
    assert experts["Alexander Cooley"]["institutions"] == ["Barnard College", "Harriman Institute"]
    assert experts["Farkhod Tolipov"]["country"] == ["Uzbekistan"]
    assert {row["publication"] for row in ask(g, "publications") if row["author"] == "Martha Brill Olcott"} == {
        "The Kazakhs", "Kazakhstan: Unfulfilled Promise", "Central Asia's Second Chance",
    }  # fmt: skip
    assert "military-technical" in names(ask(g, "cooperation", a="Kazakhstan", b="Uzbekistan"), "domain")
    olcott = {row["claim"] for row in ask(g, "claims_by", person="Olcott")}
    # the curated claims of hers; curation may add more, never lose these
    assert {
        "Kazakhstan retreated on democracy",
        "Kazakhstan should not push Russia's security model at the OSCE",
    } <= olcott
    assert "Transfer of power in Uzbekistan" in names(ask(g, "events_of", actor="Mirziyoyev"), "event")
    assert "Opening of the Year of Kazakhstan in Uzbekistan" not in names(
        ask(g, "events_of", actor="Mirziyoyev"), "event"
    )
    places = ask(g, "places")
    assert [row["events"] for row in places] == sorted((row["events"] for row in places), reverse=True)
    tashkent = next(row for row in places if row["place"] == "Tashkent")
    # the conference, the economic forum, the business forum, and (general knowledge) the 2021 inauguration
    assert tashkent["country"] == "Uzbekistan" and tashkent["events"] == 4
