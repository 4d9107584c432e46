"""FollowTheMoney entities, one JSON object per line, for Aleph, OpenSanctions and nomenklatura.

Built with the `followthemoney` package itself (`pip install 'actorgraph[ftm]'`), so every
property is cleaned by FtM's own types. The mapping:

- countries -> `PublicBody` (the state), with `country` and `jurisdiction` codes;
  people -> `Person` (`nationality` codes from NATIONAL_OF); organizations ->
  `Organization`, `Company` (companies, banks) or `PublicBody` (governments), with a
  `country` code from BASED_IN; events -> `Event` (dates, HELD_IN as `country` or
  `location`, PARTICIPATED_IN as `involved`, hosts as `organizer`);
- MEMBER_OF and AFFILIATED_WITH -> `Membership`; LEADS -> a `Position` (its `name` from
  the role and the country or organization) and an `Occupancy` with the term's dates;
  REPRESENTS -> `Representation`; any other relationship between two exported entities ->
  `UnknownLink` whose `role` is the relationship type;
- every `Source` -> `Document`; every entity's provenance -> a `Documentation` (the source
  document, `role` "line N", `summary` the evidence phrase); relationship entities cite it
  as `proof` with the line and evidence in `description`.

Agreements, initiatives, claims, publications and places have no FtM schema that fits
and are left out, as are the relationships that touch them: `write_ftm` returns their
counts, so the CLI can say so. Our ids become FtM ids (`person:jane-roe` ->
`person.jane-roe`, `_` -> `U`: both are one-to-one on our lowercase ids);
relationship entities get a hash of their relationship id.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import IO, Any

from actorgraph.graph import schema
from actorgraph.graph.nodelink import LINK_SOURCE_KEY

#: Relationship types that become a Membership (LEADS, REPRESENTS and the folded ones have their own
#: mapping; any other becomes an UnknownLink between two exported entities).
MEMBERSHIPS = ("MEMBER_OF", "AFFILIATED_WITH")
#: Relationship types folded into the properties of their start or end entity.
FOLDED = ("NATIONAL_OF", "BASED_IN", "HELD_IN", "PARTICIPATED_IN", "MENTIONED_IN")


def ftm_id(our_id: str) -> str:
    """Our node id as a valid FtM id, one-to-one: `country:kazakhstan` -> `country.kazakhstan`."""
    text = str(our_id).replace("_", "U").replace(":", ".", 1)
    return text if text[-1].isalnum() else f"{text}X"


def _schema_for(labels: list[str]) -> str | None:
    """The FtM schema for a node with these labels, or None when FtM has none that fits."""
    if "Country" in labels:
        return "PublicBody"
    if "Person" in labels:
        return "Person"
    if "Company" in labels or "Bank" in labels:
        return "Company"
    if "Government" in labels:
        return "PublicBody"
    if "Organization" in labels:
        return "Organization"
    if "Event" in labels:
        return "Event"
    if "Source" in labels:
        return "Document"
    return None


class FtmWriter:
    """Turns node-link data into FtM entity proxies (see the module docstring for the mapping)."""

    def __init__(self, data: dict[str, Any]) -> None:
        from followthemoney import model
        from followthemoney.types import registry

        self.model = model
        self.registry = registry
        self.data = data
        self.nodes = {node["id"]: node for node in data["nodes"]}
        self.entities: dict[str, Any] = {}
        self.left_out: Counter[str] = Counter()

    # -------------------------------------------------------------- nodes

    def _country_code(self, node: dict[str, Any]) -> str | None:
        for name in (node.get("name"), *(node.get("aliases") or [])):
            code = self.registry.country.clean(name) if name else None
            if code:
                return code
        return None

    def _make_nodes(self) -> None:
        for node in self.data["nodes"]:
            kind = _schema_for(node.get("labels", []))
            if kind is None:
                self.left_out[schema.kind_of(node.get("labels", []))] += 1
                continue
            entity = self.model.make_entity(kind)
            entity.id = ftm_id(node["id"])
            if kind == "Document":
                entity.add("title", node.get("title") or node.get("name"))
                entity.add("fileName", node.get("file"))
                entity.add("language", _languages(node.get("language")), quiet=True)
                entity.add("summary", node.get("description"))
            else:
                entity.add("name", node.get("name") or node["id"])
                aliases = [node.get("name_kk"), node.get("name_ru"), *(node.get("aliases") or [])]
                entity.add("alias", [alias for alias in aliases if alias and alias != node.get("name")])
                entity.add("description", node.get("description"))
                entity.add("notes", node.get("note"))
            if "Country" in node.get("labels", []):
                code = self._country_code(node)
                entity.add("country", code)
                entity.add("jurisdiction", code)
            if kind == "Person":
                entity.add("position", node.get("title"))
            if kind == "Event":
                entity.add("date", node.get("date"), quiet=True)
                entity.add("startDate", node.get("start"), quiet=True)
                entity.add("endDate", node.get("end"), quiet=True)
            self.entities[node["id"]] = entity

    # ------------------------------------------------------ relationships

    def _code_of(self, node_id: str) -> str | None:
        node = self.nodes.get(node_id)
        return self._country_code(node) if node and "Country" in node.get("labels", []) else None

    def _fold(self, link: dict[str, Any]) -> bool:
        """Add a relationship to its end entities' properties; True when it is of a type that folds."""
        kind = link["type"]
        if kind not in FOLDED:
            return False
        start, end = self.entities.get(link["source"]), self.entities.get(link["target"])
        target = self.nodes.get(link["target"], {})
        code = self._code_of(link["target"])
        if kind == "MENTIONED_IN":
            pass  # the mentions are the Documentation entities
        elif kind == "NATIONAL_OF" and start is not None and code:
            start.add("nationality", code)
        elif kind in ("BASED_IN", "HELD_IN") and start is not None:
            if code:
                start.add("country", code)
            else:
                start.add("address" if kind == "BASED_IN" else "location", target.get("name"))
        elif kind == "PARTICIPATED_IN" and start is not None and end is not None:
            end.add("involved", start.id)
            if link.get("role") in ("host", "organizer", "organiser"):
                end.add("organizer", start.id)
        else:
            self.left_out[f"{kind} relationship"] += 1
        return True

    def _link_entity(self, link: dict[str, Any]) -> Iterator[Any]:
        """The entities (one, or a Position and its Occupancy) a relationship becomes."""
        from followthemoney.util import make_entity_id

        start, end, kind = self.entities.get(link["source"]), self.entities.get(link["target"]), link["type"]
        rel_id = str(link.get("id") or f"{link['source']}>{kind}>{link['target']}")
        if kind in MEMBERSHIPS and start is not None and end is not None and end.schema.is_a("Organization"):
            entity = self.model.make_entity("Membership")
            entity.add("member", start.id)
            entity.add("organization", end.id)
            entity.add("role", link.get("role"))
        elif kind == "LEADS" and start is not None and end is not None and start.schema.name == "Person":
            post = self.model.make_entity("Position")
            role = str(link.get("role") or "leader")
            post.id = make_entity_id("actorgraph-position", link["target"], role)
            post.add("name", f"{role[:1].upper()}{role[1:]} of {self.nodes[link['target']].get('name')}")
            post.add("country", self._code_of(link["target"]))
            if end.schema.is_a("Organization"):
                post.add("organization", end.id)
            yield post
            entity = self.model.make_entity("Occupancy")
            entity.add("holder", start.id)
            entity.add("post", post.id)
        elif kind == "REPRESENTS" and start is not None and end is not None:
            entity = self.model.make_entity("Representation")
            entity.add("agent", start.id)
            entity.add("client", end.id)
            entity.add("role", link.get("role"))
        elif start is not None and end is not None:
            entity = self.model.make_entity("UnknownLink")
            entity.add("subject", start.id)
            entity.add("object", end.id)
            entity.add("role", " ".join(str(part) for part in (kind, link.get("domain") or link.get("role")) if part))
        else:
            self.left_out[f"{kind} relationship"] += 1
            return
        entity.id = make_entity_id("actorgraph-relationship", rel_id)
        entity.add("startDate", link.get("start") or link.get("date"), quiet=True)
        entity.add("endDate", link.get("end"), quiet=True)
        source = self.entities.get(str(link.get(LINK_SOURCE_KEY)))
        if source is not None:
            entity.add("proof", source.id)
        if link.get("line") is not None:
            entity.add("description", f"line {link['line']}: {link.get('evidence', '')}".strip())
        yield entity

    # ----------------------------------------------------------- provenance

    def _documentation(self, node: dict[str, Any]) -> Any | None:
        """A Documentation tying an exported node to the Source document and line it comes from."""
        from followthemoney.util import make_entity_id

        entity, source = self.entities.get(node["id"]), self.entities.get(str(node.get("source")))
        if entity is None or source is None or entity is source or not entity.schema.is_a("Thing"):
            return None
        doc = self.model.make_entity("Documentation")
        doc.id = make_entity_id("actorgraph-documentation", node["id"])
        doc.add("document", source.id)
        doc.add("entity", entity.id)
        if node.get("line") is not None:
            doc.add("role", f"line {node['line']}")
        doc.add("summary", node.get("evidence"))
        return doc

    def entities_in_order(self) -> Iterator[Any]:
        """Every entity: documents and nodes by id, then relationships, then provenance."""
        self._make_nodes()
        links = []
        for link in self.data["links"]:
            if not self._fold(link):
                links.extend(self._link_entity(link))
        yield from self.entities.values()
        seen = set()
        for entity in links:
            if entity.id not in seen:  # one Position per role and country, held in several terms
                seen.add(entity.id)
                yield entity
        for node in self.data["nodes"]:
            doc = self._documentation(node)
            if doc is not None:
                yield doc


def _languages(value: Any) -> list[str]:
    """`"kk, ru, en"` -> the parts; FtM cleans each to its ISO 639-3 code."""
    return [part.strip() for part in str(value or "").replace(";", ",").split(",") if part.strip()]


def write_ftm(data: dict[str, Any], stream: IO[str]) -> Counter[str]:
    """Write one FtM entity per line to `stream`; return what was left out, by kind."""
    writer = FtmWriter(data)
    for entity in writer.entities_in_order():
        stream.write(json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True))
        stream.write("\n")
    return writer.left_out
