"""What the graph already has: the curated data's countries and leaders, and earlier imports.

Imports join to these instead of creating a second node for the same actor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import orjson

from actorgraph.datasets.crosswalk import iso3
from actorgraph.datasets.names import skeleton, surname


@dataclass(frozen=True)
class Term:
    """A curated LEADS relationship: who led which country, when (open end = still in office)."""

    person: str
    country: str
    start: str | None
    end: str | None


@dataclass
class Known:
    """Countries by ISO code, people by the skeleton of their surnames, and their terms."""

    countries: dict[str, str] = field(default_factory=dict)  # iso3 -> node id
    country_names: dict[str, str] = field(default_factory=dict)  # id -> name
    people: dict[str, set[str]] = field(default_factory=dict)  # surname skeleton -> person ids
    names: dict[str, str] = field(default_factory=dict)  # person id -> name
    terms: list[Term] = field(default_factory=list)
    codes: dict[tuple[str, int], str] = field(default_factory=dict)  # ("cow_code", 705) -> id (earlier imports)
    ids: set[str] = field(default_factory=set)  # every node id already taken


def known_from_curated(data: Path | None) -> Known:
    """Read the curated YAML data (without validating it: `validate` does that) for joins."""
    from actorgraph.loaders.reader import read_records

    known = Known()
    if data is None or not data.exists():
        return known
    records, _ = read_records(data)
    for raw in records:
        row = raw.data
        node_id = row.get("id")
        if raw.kind == "node" and isinstance(node_id, str):
            known.ids.add(node_id)
            labels = row.get("labels") or []
            spellings = [row.get("name"), row.get("name_ru"), row.get("name_kk"), *(row.get("aliases") or [])]
            spellings = [text for text in spellings if isinstance(text, str) and text.strip()]
            if "Country" in labels:
                known.country_names[node_id] = str(row.get("name"))
                for text in spellings:
                    code = iso3(text)
                    if code:
                        known.countries.setdefault(code, node_id)
            if "Person" in labels or "Leader" in labels:
                known.names[node_id] = str(row.get("name"))
                for text in spellings:
                    known.people.setdefault(skeleton(surname(text)), set()).add(node_id)
        elif raw.kind == "relation" and row.get("type") == "LEADS":
            known.terms.append(
                Term(str(row.get("from")), str(row.get("to")), _text(row.get("start")), _text(row.get("end")))
            )
    return known


def add_import(known: Known, path: Path, code_property: str) -> None:
    """Take the country nodes (and their `code_property`) written by an earlier import."""
    with path.open("rb") as handle:
        for line in handle:
            record = orjson.loads(line)
            if record.get("kind") != "node" or "Country" not in record.get("labels", ()):
                continue
            known.ids.add(record["id"])
            if isinstance(record.get(code_property), int):
                known.codes[(code_property, record[code_property])] = record["id"]
            if record.get("iso3"):
                known.countries.setdefault(record["iso3"], record["id"])


def _text(value: object) -> str | None:
    return None if value is None else str(value)
