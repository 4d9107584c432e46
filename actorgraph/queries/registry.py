"""The catalogue of named questions: one `.cypher` file each, described by its header.

A header is a block of `//` comments at the top of the file:

    // name: leaders
    // question: Who led which country, and when?
    // param: country (actor, optional) e.g. Uzbekistan
    // order: line, kind, _id           (optional: sort rows by these columns in Python)
    // ordered: route                   (optional: list columns whose order matters)
    // stored: corroboration            (optional: what builds store that the query reads; see STORED_CHECKS)

Parameter types: `actor` (a name in any language or spelling, resolved to a node id),
`text`, `int`, `hops` (a small integer spliced into a variable-length pattern,
where Cypher allows no parameter: `{{hops}}`, or its halves `{{hops_from_a}}` (the
larger) and `{{hops_from_b}}` for a search from both ends) and `modality` (which facts to answer with: `stated`
when not given, one of `schema.MODALITIES`, or `all`; the query compares
`coalesce(r.modality, 'stated')` with it, since a relationship without `modality` is stated).

Every answer is fully ordered (its ORDER BY ends in keys no two rows share), so both
engines give the same rows in the same order; tests/test_fidelity.py compares them. `{{stated}}` is replaced by the schema's
relationship types except MENTIONED_IN, and `{{limit}}` by a validated integer.

Id lookups use the per-kind `id` index (both engines index `id` on each of
`schema.KINDS`, and every node has exactly one kind label): `{{NAME_kind}}` is replaced
by the kind label of the node the actor parameter NAME resolved to, so a query writes
`MATCH (a:{{actor_kind}}) WHERE a.id = $actor` instead of scanning every node. The
label comes from the resolver (which read each node's labels from the graph) and is
checked against `schema.KINDS`; nothing else can be spliced.

An optional parameter can change the shape of a query: `{{#NAME}}...{{/NAME}}` is kept
only when NAME is given and `{{^NAME}}...{{/NAME}}` only when it is not (so a query can
start from the given node instead of filtering every row with `$NAME IS NULL OR ...`).
The engine names work the same way (`{{#neo4j}}...{{/neo4j}}`), for the rare question
where the two engines have no fast form in common (see most_connected.cypher).

A query that must seek an index per label or relationship type (FalkorDB indexes a
relationship property per type only, and neither engine seeks an index for a label-less
or many-typed pattern) repeats a block: `{{*each_kind}}...{{kind}}...{{/each_kind}}` once
per label of `schema.KINDS` and `{{*each_stated}}...{{type}}...{{/each_stated}}` once per
relationship type except MENTIONED_IN, joined with `UNION ALL` (see at_lines.cypher).

Columns whose names start with `_` are sort keys only (ids that make the order total):
they are used by ORDER BY and `order`, then dropped from the rows returned.

Nothing from a user is ever spliced: values travel as parameters.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from actorgraph.errors import UsageError
from actorgraph.graph import corroboration, schema
from actorgraph.graph.engine import Engine, Row

PARAM_LINE = re.compile(
    r"^(?P<name>\w+)\s*\((?P<type>\w+)(?P<optional>,\s*optional)?\)\s*(?:e\.g\.\s*(?P<example>.*))?$"
)
PARAM_TYPES = ("actor", "text", "int", "hops", "modality")
#: `-p modality=all` answers with every relationship, whatever its modality.
ALL_MODALITIES = "all"
MAX_HOPS = 4
DEFAULT_HOPS = 2
DEFAULT_LIMIT = 10
PLACEHOLDER = re.compile(r"\{\{([#^/]?)(\w+)\}\}")
SECTION = re.compile(r"\{\{([#^])(\w+)\}\}(.*?)\{\{/\2\}\}", re.DOTALL)
ENGINE_SECTIONS = ("embedded", "neo4j")  # engine names, usable as section names for a per-engine variant
#: What a query may read that builds store (`// stored:`), and whether a graph lacks it (given a read). The query
#: has a `{{#name}}` form that reads it and a `{{^name}}` form for graphs without it (streamed, imported, older).
STORED_CHECKS = {"corroboration": corroboration.uncounted}
REPEAT = re.compile(r"\{\{\*(each_kind|each_stated)\}\}(.*?)\{\{/\1\}\}", re.DOTALL)


class QuestionError(UsageError, ValueError):
    """A question was asked wrongly (unknown name, missing or bad parameter): exit status 2."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    optional: bool
    example: str | None


@dataclass(frozen=True)
class Question:
    """One catalogue entry: its name, the question in plain English, parameters and Cypher."""

    name: str
    question: str
    params: tuple[Param, ...]
    cypher: str
    order: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
    ordered: tuple[str, ...] = ()  # list columns whose order means something (a route): never sorted
    stored: tuple[str, ...] = ()  # what builds store that the query reads (see `STORED_CHECKS`)

    def usage(self) -> str:
        parts = [f"{p.name}={p.example or '...'}" for p in self.params]
        return f"actorgraph ask {self.name}" + "".join(f' -p "{part}"' for part in parts)


def _parse(text: str, filename: str) -> Question:
    header: dict[str, list[str]] = {}
    body: list[str] = []
    for line in text.splitlines():
        if line.startswith("//") and not body:
            key, _, value = line[2:].strip().partition(":")
            header.setdefault(key.strip(), []).append(value.strip())
        else:
            body.append(line)
    params = []
    for spec in header.get("param", []):
        match = PARAM_LINE.match(spec)
        if not match or match["type"] not in PARAM_TYPES:
            raise ValueError(f"{filename}: bad param line {spec!r}")
        params.append(Param(match["name"], match["type"], bool(match["optional"]), match["example"]))
    stored = _stored(filename, header.get("stored", []))
    _check_placeholders(filename, "\n".join(body), params, stored)
    return Question(
        name=header["name"][0],
        question=header["question"][0],
        params=tuple(params),
        cypher="\n".join(body).strip(),
        order=tuple(col.strip() for spec in header.get("order", []) for col in spec.split(",")),
        ordered=tuple(col.strip() for spec in header.get("ordered", []) for col in spec.split(",")),
        notes=tuple(header.get("note", [])),
        stored=stored,
    )


def _stored(filename: str, specs: list[str]) -> tuple[str, ...]:
    """What builds store that a question reads (`// stored: corroboration`): checked when it answers nothing."""
    names = tuple(name.strip() for spec in specs for name in spec.split(","))
    unknown = set(names) - set(STORED_CHECKS)
    if unknown:
        raise ValueError(f"{filename}: unknown stored counts {sorted(unknown)[0]!r} (known: {sorted(STORED_CHECKS)})")
    return names


def _check_placeholders(filename: str, cypher: str, params: list[Param], stored: tuple[str, ...] = ()) -> None:
    """Refuse a query file whose placeholders the registry would not fill (a typo would reach the engine)."""
    optional = {p.name for p in params if p.optional}
    allowed = {"stated", "limit", "hops", "hops_from_a", "hops_from_b"} | {
        f"{p.name}_kind" for p in params if p.type == "actor"
    }
    for section in SECTION.finditer(cypher):
        if section[2] not in optional | set(ENGINE_SECTIONS) | set(stored):
            raise ValueError(
                f"{filename}: section {section[0][:20]!r} names no optional parameter, engine or stored count"
            )
    for block in REPEAT.finditer(cypher):
        inner = "{{kind}}" if block[1] == "each_kind" else "{{type}}"
        if inner not in block[2] or PLACEHOLDER.search(block[2].replace(inner, "")):
            raise ValueError(f"{filename}: {block[1]} block without {inner}, or with other placeholders")
    for placeholder in PLACEHOLDER.finditer(SECTION.sub(lambda m: m[3], REPEAT.sub("", cypher))):
        if placeholder[1] or placeholder[2] not in allowed:
            raise ValueError(f"{filename}: unknown, nested or unbalanced placeholder {placeholder[0]!r}")


def kind_label(labels: tuple[str, ...] | list[str]) -> str:
    """The one kind label (from schema.KINDS) among a node's labels: the label its `id` is indexed under."""
    kinds = [label for label in labels if label in schema.KINDS]
    if len(kinds) != 1:
        raise QuestionError(f"a node must have exactly one of the labels {', '.join(schema.KINDS)}, not {labels}")
    return kinds[0]


@cache
def catalogue() -> dict[str, Question]:
    """Every question shipped in this package, by name."""
    questions = {}
    for entry in sorted(resources.files("actorgraph.queries").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".cypher"):
            question = _parse(entry.read_text(encoding="utf-8"), entry.name)
            questions[question.name] = question
    return questions


def get_question(name: str) -> Question:
    try:
        return catalogue()[name]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(name, list(catalogue()), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see `actorgraph ask --list`"
        raise QuestionError(f"no question named {name!r}{hint}") from None


def _small_int(value: Any, name: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise QuestionError(f"{name} must be a whole number, not {value!r}") from None
    if not low <= number <= high:
        raise QuestionError(f"{name} must be between {low} and {high}, not {number}")
    return number


def prepare(
    engine: Engine, question: Question, values: dict[str, Any], lacking: Collection[str] = ()
) -> tuple[str, dict[str, Any]]:
    """Check and resolve parameters; return the Cypher to run and its parameters.

    `lacking`: stored counts (`// stored:`) the graph does not have, whose `{{^name}}` form runs instead.
    """
    from actorgraph.queries.resolve import resolve

    unknown = set(values) - {p.name for p in question.params}
    if unknown:
        known = ", ".join(p.name for p in question.params) or "none"
        raise QuestionError(f"{question.name} takes no parameter {sorted(unknown)[0]!r} (parameters: {known})")
    params: dict[str, Any] = {}
    given = {p.name for p in question.params if values.get(p.name) not in (None, "")} | {engine.name}
    given |= set(question.stored) - set(lacking)
    variants = {m[2] for m in SECTION.finditer(question.cypher)} & set(ENGINE_SECTIONS)
    if variants and engine.name not in variants:
        raise QuestionError(f"{question.name} has no form for the {engine.name} engine (only {sorted(variants)})")
    cypher = SECTION.sub(lambda m: m[3] if (m[2] in given) == (m[1] == "#") else "", question.cypher)
    cypher = REPEAT.sub(_repeat, cypher)
    cypher = cypher.replace("{{stated}}", "|".join(stated_types()))
    for param in question.params:
        value = values.get(param.name)
        if value is None or value == "":
            if not param.optional and param.type != "hops":
                raise QuestionError(f"{question.name} needs -p {param.name}=... (e.g. {param.example})")
        if param.type == "actor" and value not in (None, ""):
            node = resolve(engine, str(value))
            value = node.id
            cypher = cypher.replace(f"{{{{{param.name}_kind}}}}", kind_label(node.labels))
        elif param.type == "modality":
            value = schema.DEFAULT_MODALITY if value in (None, "") else str(value).strip().lower()
            if value not in (*schema.MODALITIES, ALL_MODALITIES):
                choices = ", ".join((*schema.MODALITIES, ALL_MODALITIES))
                raise QuestionError(f"{param.name} must be one of {choices}, not {values.get(param.name)!r}")
        elif param.type == "int" and value not in (None, ""):
            value = _small_int(value, param.name, -(10**9), 10**9)
        elif param.type == "hops":
            hops = DEFAULT_HOPS if value in (None, "") else _small_int(value, param.name, 1, MAX_HOPS)
            cypher = cypher.replace("{{hops}}", str(hops))
            # a path searched from both ends: the longer half from `a`, the shorter (maybe 0) from `b`
            cypher = cypher.replace("{{hops_from_a}}", str((hops + 1) // 2)).replace("{{hops_from_b}}", str(hops // 2))
            continue
        params[param.name] = None if value == "" else value
    if "{{limit}}" in cypher:
        limit = _small_int(params.pop("limit", None) or DEFAULT_LIMIT, "limit", 1, 10_000)
        cypher = cypher.replace("{{limit}}", str(limit))
    left = PLACEHOLDER.search(cypher)
    if left:  # a kind placeholder of an optional parameter that was not given, outside its section
        raise QuestionError(f"{question.name}: {left[0]} needs its parameter")
    return cypher, params


def stated_types() -> list[str]:
    """The schema's relationship types that state a fact (all but MENTIONED_IN)."""
    return [t for t in schema.RELATIONSHIPS if t != "MENTIONED_IN"]


def _repeat(block: re.Match[str]) -> str:
    """One copy of a repeated block per kind label or stated type, joined with UNION ALL."""
    if block[1] == "each_kind":
        return "\nUNION ALL\n".join(block[2].replace("{{kind}}", kind) for kind in schema.KINDS)
    return "\nUNION ALL\n".join(block[2].replace("{{type}}", rel) for rel in stated_types())


def ask(engine: Engine, name: str, **values: Any) -> list[Row]:
    """Run a named question on an engine, read-only, and return its rows."""
    question = get_question(name)
    cypher, params = prepare(engine, question, values)
    rows = engine.run(cypher, params)
    if not rows and question.stored:  # nothing, or a graph without the counts the question reads?
        lacking = [stored for stored in question.stored if STORED_CHECKS[stored](engine.run)]
        if lacking:
            rows = engine.run(*prepare(engine, question, values, lacking))
    if question.order:
        rows.sort(key=lambda row: tuple((row.get(col) is None, row.get(col) or 0) for col in question.order))
    return [
        {
            key: value if key in question.ordered else _sorted_list(value)
            for key, value in row.items()
            if not key.startswith("_")
        }
        for row in rows
    ]


def _sorted_list(value: Any) -> Any:
    """collect() has no order: sort lists of plain values so answers are the same on every engine."""
    if isinstance(value, list) and all(isinstance(item, str | int | float) for item in value):
        return sorted(value, key=lambda item: (str(type(item)), item))
    return value
