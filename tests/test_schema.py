"""The schema is the one allow-list: everything outside it is refused before any Cypher exists."""

from __future__ import annotations

import pytest

from actorgraph.graph import schema
from actorgraph.loaders.statements import node_statement, relation_statement


def test_design_labels_and_types_are_all_listed():
    design_labels = {
        "Actor", "Country", "Person", "Organization", "Leader", "Researcher", "Journalist", "Diplomat",
        "IntergovernmentalOrganization", "ThinkTank", "University", "Company", "Media", "Bank", "Government",
        "Agreement", "Event", "Initiative", "Publication", "Claim", "Place", "Source",
    }  # fmt: skip
    design_types = {
        "LEADS", "NATIONAL_OF", "AFFILIATED_WITH", "MEMBER_OF", "BASED_IN", "LOCATED_IN", "PARTY_TO",
        "ADOPTED_AT", "HELD_IN", "PARTICIPATED_IN", "PROPOSED", "MADE", "ABOUT", "RESPONDED_TO", "AUTHORED",
        "INVESTED_IN", "OPERATES_IN", "PARTNERED_WITH", "COOPERATES_WITH", "MENTIONED_IN",
    }  # fmt: skip
    assert design_labels <= set(schema.LABELS)
    assert design_types <= set(schema.RELATIONSHIPS)


def test_every_spec_refers_only_to_known_labels_and_kinds():
    for spec in schema.LABELS.values():
        assert spec.kind in schema.KINDS
        assert set(spec.implies) <= set(schema.LABELS)
    for spec in schema.RELATIONSHIPS.values():
        assert set(spec.sources) <= set(schema.LABELS) and set(spec.targets) <= set(schema.LABELS)
    for name in ("Actor", "Agreement", "Event", "Claim", "Source"):
        assert name in schema.KINDS


def test_closure_adds_implied_labels():
    assert schema.closure(["Leader"]) == ("Actor", "Person", "Leader")
    assert schema.closure(["Company"]) == ("Actor", "Organization", "Company")
    assert schema.primary_label(("Actor", "Person", "Leader")) == "Leader"
    assert schema.kind_of(("Actor", "Person")) == "Actor"


@pytest.mark.parametrize("bad", ["Evil", "Person) DETACH DELETE n //", "actor", "`Actor`"])
def test_unknown_labels_are_refused_before_cypher_is_built(bad):
    with pytest.raises(schema.SchemaError):
        node_statement(("Actor", bad))
    with pytest.raises(schema.SchemaError):
        relation_statement("LEADS", bad, "Country")


@pytest.mark.parametrize("bad", ["KNOWS", "LEADS]->() DETACH DELETE n //", "leads"])
def test_unknown_relationship_types_are_refused(bad):
    with pytest.raises(schema.SchemaError):
        relation_statement(bad, "Actor", "Actor")


def test_statements_keep_values_out_of_the_text():
    cypher = node_statement(("Actor", "Person", "Leader"))
    assert "$rows" in cypher and "r.id" in cypher and "r.props" in cypher
    assert cypher.startswith("UNWIND $rows AS r CREATE (n:Actor:Person:Leader {id: r.id})")
