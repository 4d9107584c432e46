"""`export --format ftm`: FollowTheMoney entities that the followthemoney library itself accepts."""

from __future__ import annotations

import json

import pytest
from conftest import MINI_DATA, MINI_SOURCES, actorgraph

followthemoney = pytest.importorskip("followthemoney", reason="the followthemoney package (actorgraph[ftm])")


@pytest.fixture(scope="module")
def entities(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """The mini data set built on the embedded engine and exported to stdout as FtM, by id."""
    home = ["--home", str(tmp_path_factory.mktemp("ftm") / "home")]
    assert actorgraph("build", "--data", str(MINI_DATA), "--sources", str(MINI_SOURCES), "-q", *home).returncode == 0
    result = actorgraph("export", "-f", "ftm", "-o", "-", *home)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    found = {}
    for line in lines:
        entity = json.loads(line)  # one entity per line
        assert entity["id"] not in found, entity["id"]
        found[entity["id"]] = entity
    return found


def test_every_entity_passes_the_librarys_own_schema(entities):
    from followthemoney import model
    from followthemoney.types import registry

    for entity in entities.values():
        schema = model.get(entity["schema"])
        assert schema is not None and not schema.abstract, entity
        assert schema.validate(entity) is None  # raises InvalidData on a bad value
        assert set(schema.required) <= set(entity["properties"]), entity
        proxy = model.get_proxy(entity)
        assert proxy.to_dict() == {**entity, "id": proxy.id}  # nothing lost when the library reads it
        for prop, values in entity["properties"].items():
            if schema.properties[prop].type == registry.entity:
                assert all(value in entities for value in values), (entity["id"], prop, values)  # no dangling reference


def test_actors_memberships_terms_events_and_provenance_map_as_documented(entities):
    def one(schema: str, **props: str) -> dict:
        matches = [
            e
            for e in entities.values()
            if e["schema"] == schema and all(value in e["properties"].get(key, []) for key, value in props.items())
        ]
        assert len(matches) == 1, (schema, props, matches)
        return matches[0]

    kazakhstan = entities["country.kazakhstan"]
    assert kazakhstan["schema"] == "PublicBody" and kazakhstan["properties"]["country"] == ["kz"]
    assert "Қазақстан" in kazakhstan["properties"]["alias"]
    mirziyoyev = entities["person.shavkat-mirziyoyev"]
    assert mirziyoyev["schema"] == "Person" and "Мирзиёев" in mirziyoyev["properties"]["alias"]
    assert entities["org.sco"]["schema"] == "Organization"
    one("Membership", member="country.kazakhstan", organization="org.sco")
    term = one("Occupancy", holder="person.shavkat-mirziyoyev")
    assert term["properties"]["startDate"] == ["2016-12-14"]
    post = entities[term["properties"]["post"][0]]
    assert post["schema"] == "Position" and post["properties"]["name"] == ["President of Uzbekistan"]
    assert post["properties"]["country"] == ["uz"]
    meeting = entities["event.2019-turkmenbashi-consultative-meeting"]
    assert meeting["schema"] == "Event" and meeting["properties"]["date"] == ["2019"]
    assert sorted(meeting["properties"]["involved"]) == ["country.kazakhstan", "country.uzbekistan"]
    assert meeting["properties"]["location"] == ["Turkmenbashi"]
    document = entities["source.mini"]
    assert document["schema"] == "Document" and document["properties"]["fileName"] == ["mini.txt"]
    cited = one("Documentation", entity="person.shavkat-mirziyoyev")
    assert cited["properties"]["document"] == ["source.mini"] and cited["properties"]["role"] == ["line 3"]
    assert cited["properties"]["summary"] == ["President Mirziyoyev (Мирзиёев) leads Uzbekistan"]
    membership = one("Membership", member="country.uzbekistan", organization="org.organization-of-turkic-states")
    assert membership["properties"]["proof"] == ["source.mini"] and membership["properties"]["startDate"] == ["2019"]


def test_the_export_says_what_ftm_has_no_schema_for(home, tmp_path):
    assert actorgraph("build", "--data", str(MINI_DATA), "--sources", str(MINI_SOURCES), "-q").returncode == 0
    path = tmp_path / "graph.ftm.json"
    result = actorgraph("export", "-f", "ftm", "-o", str(path))
    assert result.returncode == 0, result.stderr
    assert "left out (no FollowTheMoney schema fits): " in result.stderr and "2 Claim" in result.stderr
    assert all(json.loads(line)["schema"] for line in path.read_text(encoding="utf-8").splitlines())
