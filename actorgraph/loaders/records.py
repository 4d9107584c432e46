"""Validated records (pydantic): one node or relation, checked against the schema.

Field-level rules live here (types, ids, dates, allow-listed labels, types and
properties, evidence length); rules that need the whole data set (references,
duplicates, evidence against the source text) live in `rules.py`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Container
from typing import Annotated, Any, Literal

import msgspec
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from actorgraph.graph import schema
from actorgraph.loaders.problems import Problem
from actorgraph.loaders.reader import RawRecord

CORE_NODE_FIELDS = ("id", "labels", "mentions")
CORE_RELATION_FIELDS = ("from", "type", "to", "key")

#: Whole numbers both engines store (and exports write): 64-bit signed.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
#: The longest text any field may hold (as a YAML line may: see reader.MAX_LINE_CHARS).
MAX_TEXT_CHARS = 100_000
#: Neo4j refuses index keys over 8 KB ("too large to index"); 2,000 characters fit in any script.
MAX_INDEXED_CHARS = 2_000
INDEXED_FIELDS = ("id", "from", "to", "stance", "date", "start", "key")
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
#: Characters XML 1.0 cannot hold (GraphML and GEXF are XML): C0 controls but tab, LF and CR; U+FFFE, U+FFFF.
XML_INVALID = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: NUL and the characters above, searched for in the texts of a JSON line that may hold them.
UNSTORABLE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: A JSON line can write those characters only as an escape (a backslash) or, for U+FFFE and
#: U+FFFF, as UTF-8 starting with this byte: a file with neither cannot hold them.
JSON_SUSPECT_BYTES = (b"\\", b"\xef")


def unstorable(value: Any, field: str = "") -> str | None:
    """Why an engine or an export could not take `value` as it is, or None if they can.

    Numbers beyond 64 bits, NaN and infinities (JSON has no such numbers), NUL
    characters (FalkorDB reads text as C strings), lone surrogates (not Unicode; no
    UTF-8 encoder writes them), control characters XML cannot hold, and texts longer
    than the limits.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        if not INT64_MIN <= value <= INT64_MAX:
            shown = str(value) if len(str(value)) <= 30 else f"{str(value)[:12]}...({len(str(value))} digits)"
            return f"the whole number {shown} is too large: the engines store 64-bit integers (at most {INT64_MAX})"
        return None
    if isinstance(value, float):
        if math.isfinite(value):
            return None
        shown = "NaN" if math.isnan(value) else "-Infinity" if value < 0 else "Infinity"
        return f"{shown} is not a finite number; the engines and JSON store only finite numbers"
    if isinstance(value, str):
        if "\x00" in value:
            return "contains a NUL character (\\0 or \\u0000), which the engines cannot store"
        surrogate = LONE_SURROGATE.search(value)
        if surrogate:
            return f"contains a lone surrogate (\\u{ord(surrogate.group()):04x}), which is not valid Unicode"
        control = XML_INVALID.search(value)
        if control:
            return (
                f"contains the control character U+{ord(control.group()):04X}, "
                "which the GraphML and GEXF exports (XML) cannot hold"
            )
        limit = MAX_INDEXED_CHARS if field in INDEXED_FIELDS else MAX_TEXT_CHARS
        if len(value) > limit:
            return f"is {len(value):,} characters long (limit {limit:,})"
        return None
    if isinstance(value, list | tuple):
        return next((reason for item in value if (reason := unstorable(item, field))), None)
    if isinstance(value, dict):
        return next((reason for item in value.values() if (reason := unstorable(item, field))), None)
    return None


def _check_date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and 1000 <= value <= 9999:
        return str(value)
    if not isinstance(value, str) or not schema.DATE_PATTERN.match(value):
        raise ValueError(f"{value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    parts = [int(part) for part in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a real date ({exc})") from None
    return value


def check_property(name: str, value: Any) -> Any:
    """Check one property against the schema's type; return the value as stored."""
    spec = schema.PROPERTIES.get(name)
    if spec is None:
        raise ValueError("unknown property; allowed: " + ", ".join(sorted(schema.PROPERTIES)))
    if name in schema.ANALYTICS_PROPERTIES:
        raise ValueError("is computed by `actorgraph analyze`, not curated")
    kind = spec.type
    if kind == "date":
        return _check_date(value)
    if name == "modality" and value not in schema.MODALITIES:
        raise ValueError(f"{_describe(value)} is not a modality; allowed: {', '.join(schema.MODALITIES)}")
    if kind == "str":
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"expected a non-empty text, got {_describe(value)}")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number, got {_describe(value)}")
        return value
    if kind in ("float", "number"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"expected a number, got {_describe(value)}")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {_describe(value)}")
        return value
    if kind in ("list[str]", "list[int]"):
        item_type = str if kind == "list[str]" else int
        if not isinstance(value, list) or not all(
            isinstance(item, item_type) and not isinstance(item, bool) for item in value
        ):
            raise ValueError(
                f"expected a list of {'texts' if item_type is str else 'whole numbers'}, got {_describe(value)}"
            )
        return value
    raise ValueError(f"schema type {kind!r} is not supported")  # pragma: no cover


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return "an empty text" if not value.strip() else f"text {value[:40]!r}"
    return f"{type(value).__name__} {str(value)[:40]!r}"


class _Provenance(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True, str_strip_whitespace=False)

    source: str
    line: int = Field(ge=1)
    evidence: str

    @field_validator("line", mode="before")
    @classmethod
    def _strict_line(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a line number (whole number >= 1), got {_describe(value)}")
        return value

    @field_validator("source", "evidence", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"expected a non-empty text, got {_describe(value)}")
        return value

    @field_validator("evidence")
    @classmethod
    def _short_evidence(cls, value: str) -> str:
        words = len(value.split())
        if words > schema.MAX_EVIDENCE_WORDS:
            raise ValueError(f"has {words} words; at most {schema.MAX_EVIDENCE_WORDS} may be quoted")
        return value

    def properties(self, core: tuple[str, ...]) -> dict[str, Any]:
        """Every stored property (provenance included), checked against the schema."""
        stored = {"source": self.source, "line": self.line, "evidence": self.evidence}
        for key, value in (self.model_extra or {}).items():
            if key in core or value is None:
                continue
            stored[key] = check_property(key, value)
        return stored

    @model_validator(mode="after")
    def _extras(self) -> _Provenance:
        errors = []
        for key, value in (self.model_extra or {}).items():
            if key in CORE_NODE_FIELDS + CORE_RELATION_FIELDS or value is None:
                continue
            try:
                check_property(key, value)
            except ValueError as exc:
                errors.append(f"{key}\x1f{exc}")
        if errors:
            raise ValueError("\x1e".join(errors))
        return _check_interval(self)


class NodeRecord(_Provenance):
    """A node: id, labels, name and provenance; other properties from the schema."""

    id: str
    labels: list[str]
    name: str
    mentions: list[int] = []

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not schema.ID_PATTERN.match(value):
            raise ValueError(f"{value!r} is not a valid id: use kind:slug in lower-case ASCII, e.g. country:kazakhstan")
        return value

    @field_validator("labels", mode="before")
    @classmethod
    def _labels(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            raise ValueError("expected a list of one or more labels")
        unknown = [label for label in value if not isinstance(label, str) or label not in schema.LABELS]
        if unknown:
            raise ValueError(f"unknown label {unknown[0]!r}; allowed: {', '.join(sorted(schema.LABELS))}")
        kinds = {schema.LABELS[label].kind for label in value}
        if len(kinds) > 1:
            raise ValueError(f"mixes kinds {', '.join(sorted(kinds))}; a node is one kind of thing")
        return value

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: Any) -> Any:
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"expected a non-empty text, got {_describe(value)}")
        return value

    @model_validator(mode="after")
    def _required_by_label(self) -> NodeRecord:
        extra = self.model_extra or {}
        if extra.get("modality") is not None:
            raise ValueError("modality\x1fbelongs on a relationship (how the source puts it), not on a node")
        for label in self.labels:
            for required in schema.LABELS[label].required:
                if extra.get(required) in (None, ""):
                    raise ValueError(f"{required}\x1fis required on a {label} node")
        return self

    @property
    def all_labels(self) -> tuple[str, ...]:
        return schema.closure(self.labels)

    @property
    def kind(self) -> str:
        return schema.kind_of(self.labels)

    def stored(self) -> dict[str, Any]:
        props = self.properties(CORE_NODE_FIELDS)
        props["name"] = self.name
        props["id"] = self.id
        return props


class RelationRecord(_Provenance):
    """A relationship between two node ids, with provenance."""

    from_: str = Field(alias="from")
    type: str
    to: str
    key: str | None = None

    @field_validator("type")
    @classmethod
    def _type(cls, value: str) -> str:
        if value not in schema.RELATIONSHIPS:
            raise ValueError(f"unknown relationship type {value!r}; allowed: {', '.join(sorted(schema.RELATIONSHIPS))}")
        return value

    @field_validator("from_", "to", mode="before")
    @classmethod
    def _endpoint(cls, value: Any) -> Any:
        if not isinstance(value, str) or not schema.ID_PATTERN.match(value):
            raise ValueError(f"{value!r} is not a node id (kind:slug)")
        return value

    @field_validator("key", mode="before")
    @classmethod
    def _key(cls, value: Any) -> Any:
        return None if value is None else str(value)

    @property
    def rel_id(self) -> str:
        base = f"{self.from_}>{self.type}>{self.to}"
        return f"{base}#{self.key}" if self.key else base

    def stored(self) -> dict[str, Any]:
        props = self.properties(CORE_RELATION_FIELDS)
        props["id"] = self.rel_id
        return props


def _check_interval(record: Any) -> Any:
    """`end` may not come before `start` (compared at the precision both have)."""
    extra = record.model_extra or {}
    try:
        start, end = _check_date(extra["start"]), _check_date(extra["end"])
    except (KeyError, ValueError):
        return record  # missing, or reported as a bad date already
    width = min(len(start), len(end))
    if end[:width] < start[:width]:
        raise ValueError(f"end\x1f{end} is before start {start}")
    return record


def parse(raw: RawRecord) -> tuple[NodeRecord | RelationRecord | None, list[Problem]]:
    """Validate one raw record; return it, or the problems found (each at its field's line)."""
    model = NodeRecord if raw.kind == "node" else RelationRecord
    core = ("id", "labels", "name", "mentions") if raw.kind == "node" else ("from", "type", "to", "key")
    allowed = (set(core) | set(schema.PROPERTIES)) - set(schema.ANALYTICS_PROPERTIES) - {"lines"}
    if raw.kind == "relation" and raw.data.get("type") == "MENTIONED_IN":
        allowed.add("lines")  # a MENTIONED_IN written by `actorgraph ingest` lists every line
    problems = [
        Problem(raw.file, raw.line_of(key), key, "unknown property; allowed: " + ", ".join(sorted(allowed)))
        for key in raw.data
        if key not in allowed
    ]
    problems += [
        Problem(raw.file, raw.line_of(key), key, reason)
        for key, value in raw.data.items()
        if (reason := unstorable(value, key))
    ]
    try:
        record = model.model_validate(raw.data)
    except ValidationError as exc:
        for error in exc.errors():
            problems += _problems_from_error(raw, error)
        return None, problems
    return (None, problems) if problems else (record, [])


def _problems_from_error(raw: RawRecord, error: Any) -> list[Problem]:
    location = [str(part) for part in error.get("loc", ())]
    field = location[0] if location else raw.kind
    field = "from" if field == "from_" else field
    message = str(error.get("msg", "invalid"))
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if error.get("type") == "missing":
        return [Problem(raw.file, raw.line, field, "is required")]
    problems = []
    for part in message.split("\x1e"):
        if "\x1f" in part:
            sub_field, sub_message = part.split("\x1f", 1)
            problems.append(Problem(raw.file, raw.line_of(sub_field), sub_field, sub_message))
        else:
            if error.get("type") == "greater_than_equal":
                part = f"must be 1 or more, got {error.get('input')!r}"
            problems.append(Problem(raw.file, raw.line_of(field), field if location else raw.kind, part))
    return problems


# --- the fast path for bulk loading -------------------------------------------------
#
# Bulk files hold millions of records, and a pydantic model per record costs ~10 µs.
# `quick_record` decodes a JSON line straight into msgspec structs generated from the
# schema (types, allow-listed fields, labels, relationship types and id patterns are
# checked in C), checks the few remaining rules in Python, and returns what the record
# stores. It accepts only records that certainly pass the models above; anything else
# (an error, or an unusual spelling such as a single label given as text) returns None
# and goes through `parse`, which says what is wrong. tests/test_quick_records.py checks
# with hypothesis that both agree. Bulk lines carry their record type in `kind`, so the
# `kind` property cannot be given in bulk files (it never could).

_NONBLANK = Annotated[str, msgspec.Meta(pattern=r"\S", max_length=MAX_TEXT_CHARS)]
_TEXT = Annotated[str, msgspec.Meta(max_length=MAX_TEXT_CHARS)]
_INT64 = Annotated[int, msgspec.Meta(ge=INT64_MIN, le=INT64_MAX)]
_FINITE = Annotated[float, msgspec.Meta(ge=-1.7976931348623157e308, le=1.7976931348623157e308)]
_BULK_EXTRAS = tuple(
    name
    for name in schema.PROPERTIES
    if name not in {"kind", "id", "name", "source", "line", "evidence", "lines", *schema.ANALYTICS_PROPERTIES}
)
_QUICK_TYPES: dict[str, Any] = {
    "str": _NONBLANK,
    "int": _INT64,
    "float": _INT64 | _FINITE,
    "number": _INT64 | _FINITE,
    "bool": bool,
    "list[str]": list[_TEXT],
    "list[int]": list[_INT64],
    "date": str | int,  # checked in Python: a real calendar date
}
_MODALITY = Literal[schema.MODALITIES]  # type: ignore[valid-type]
_EXTRA_FIELDS = [
    (name, (_MODALITY if name == "modality" else _QUICK_TYPES[schema.PROPERTIES[name].type]) | None, None)
    for name in _BULK_EXTRAS
]
_NODE_EXTRA_FIELDS = [field for field in _EXTRA_FIELDS if field[0] != "modality"]  # a relationship's property only
_PROVENANCE_FIELDS = [
    ("source", _TEXT),
    ("line", Annotated[int, msgspec.Meta(ge=1, le=INT64_MAX)]),
    ("evidence", _TEXT),
]
_STRUCT_OPTIONS = {"tag_field": "kind", "forbid_unknown_fields": True, "omit_defaults": True}
_QuickNode = msgspec.defstruct(
    "_QuickNode",
    [
        ("id", Annotated[str, msgspec.Meta(pattern=schema.ID_PATTERN.pattern, max_length=MAX_INDEXED_CHARS)]),
        ("labels", Annotated[list[Literal[tuple(schema.LABELS)]], msgspec.Meta(min_length=1)]),  # type: ignore[misc]
        ("name", _NONBLANK),
        *_PROVENANCE_FIELDS,
        *_NODE_EXTRA_FIELDS,
    ],
    tag="node",
    **_STRUCT_OPTIONS,
)
_RELATION_FIELDS = [
    ("from_", _TEXT, msgspec.field(name="from")),
    ("type", Literal[tuple(schema.RELATIONSHIPS)]),  # type: ignore[misc]
    ("to", _TEXT),
    *_PROVENANCE_FIELDS,
    ("key", Annotated[str, msgspec.Meta(max_length=MAX_INDEXED_CHARS)] | None, None),
]
#: the usual relationship, with provenance and nothing else: read without building a dict first
_PlainRelation = msgspec.defstruct("_PlainRelation", _RELATION_FIELDS, tag="relation", **_STRUCT_OPTIONS)
_QuickRelation = msgspec.defstruct(
    "_QuickRelation", [*_RELATION_FIELDS, *_EXTRA_FIELDS], tag="relation", **_STRUCT_OPTIONS
)
_PLAIN_DECODER = msgspec.json.Decoder(_QuickNode | _PlainRelation)
_QUICK_DECODER = msgspec.json.Decoder(_QuickNode | _QuickRelation)
_NODE_CORE = frozenset(("kind", "id", "labels", "name", "source", "line", "evidence"))
_RELATION_CORE = frozenset(("kind", "from", "type", "to", "key", "source", "line", "evidence"))
_DATES = frozenset(name for name in _BULK_EXTRAS if schema.PROPERTIES[name].type == "date")
_LABEL_SETS: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]] | None] = {}


def _label_set(labels: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(all labels, properties they require) for labels of one kind; None if they mix kinds."""
    key = tuple(labels)
    if key not in _LABEL_SETS:
        one_kind = len({schema.LABELS[label].kind for label in labels}) == 1
        required = tuple(dict.fromkeys(name for label in labels for name in schema.LABELS[label].required))
        _LABEL_SETS[key] = (schema.closure(labels), required) if one_kind else None
    return _LABEL_SETS[key]


def _quick_stored(data: dict[str, Any], core: frozenset[str]) -> dict[str, Any] | None:
    """Provenance and other properties as stored, once the types are known to be right; None if unsure."""
    evidence = data["evidence"]
    if not 0 < len(evidence.split()) <= schema.MAX_EVIDENCE_WORDS or not data["source"].strip():
        return None
    stored = {"source": data["source"], "line": data["line"], "evidence": evidence}
    if data.keys() - core:  # other properties (a set difference in C: most records have none)
        for key, value in data.items():
            if key in core:
                continue
            if key in _DATES:
                try:
                    value = _check_date(value)
                except ValueError:
                    return None
            stored[key] = value
        if "start" in stored and "end" in stored:
            width = min(len(stored["start"]), len(stored["end"]))
            if stored["end"][:width] < stored["start"][:width]:
                return None
    return stored


def quick_record(
    raw_line: bytes, known_ids: Container[str] = (), *, suspect: bool = True
) -> tuple[str, Any, dict[str, Any]] | None:
    """A bulk line that is certainly valid on its own, as stored; None if it needs `parse`.

    Nodes give `("node", all labels, stored)`, relations give
    `("relation", (relationship id, type, from, to), stored)`. `known_ids` are node ids
    already checked: their pattern is not matched again. `suspect=False` says the file holds
    none of `JSON_SUSPECT_BYTES` (checked once per file), so its texts need not be searched
    for NUL and control characters (msgspec itself refuses lone surrogates).
    """
    try:
        found = _PLAIN_DECODER.decode(raw_line)
    except msgspec.ValidationError:  # other properties, or something wrong
        try:
            found = _QUICK_DECODER.decode(raw_line)
        except (msgspec.ValidationError, msgspec.DecodeError, UnicodeDecodeError):
            return None
    except (msgspec.DecodeError, UnicodeDecodeError):
        return None
    # msgspec keeps the last of two equal keys. A line holds two quote marks per key and per
    # text: more than the fields decoded account for means a repeated key (or an escaped
    # quote, or a `null`), and `parse` decides. Counting one byte in C costs ~0.2 µs a line.
    if type(found) is _PlainRelation:
        if raw_line.count(b'"') != (30 if found.key is not None else 26):
            return None
        if suspect and UNSTORABLE_CHARS.search(f"{found.from_} {found.to} {found.source} {found.evidence} {found.key}"):
            return None  # `parse` says which field
        return _plain_relation(found, known_ids)
    data = msgspec.to_builtins(found)
    if raw_line.count(b'"') != _quotes(data):
        return None
    if suspect and _unstorable_chars(data):
        return None
    if data["kind"] == "node":
        label_set = _label_set(data["labels"])
        if label_set is None or any(data.get(name) in (None, "") for name in label_set[1]):
            return None
        stored = _quick_stored(data, _NODE_CORE)
        if stored is None:
            return None
        stored["name"] = data["name"]
        stored["id"] = data["id"]
        return "node", label_set[0], stored
    stored = _quick_stored(data, _RELATION_CORE)
    ident = _relation_ident(data["from"], data["type"], data["to"], data.get("key"), known_ids)
    if stored is None or ident is None:
        return None
    stored["id"] = ident[0]
    return "relation", ident, stored


def _unstorable_chars(data: dict[str, Any]) -> bool:
    """Whether any text of a decoded record holds NUL or a control character XML cannot hold."""
    texts = []
    for value in data.values():
        if value.__class__ is str:
            texts.append(value)
        elif value.__class__ is list:
            texts += [item for item in value if item.__class__ is str]
    return bool(UNSTORABLE_CHARS.search(" ".join(texts)))


def _quotes(data: dict[str, Any]) -> int:
    """How many quote marks a JSON object holding `data` has, written without escaped quotes."""
    texts = 0
    for value in data.values():
        texts += 1 + (value.__class__ is str)
        if value.__class__ is list:
            texts += sum(item.__class__ is str for item in value)
    return 2 * texts


def _relation_ident(
    start: str, rel_type: str, end: str, key: str | None, known_ids: Container[str]
) -> tuple[str, str, str, str] | None:
    """(relationship id, type, from, to) if both ends are node ids; the id as `RelationRecord.rel_id` makes it."""
    if (start not in known_ids and not schema.ID_PATTERN.match(start)) or (
        end not in known_ids and not schema.ID_PATTERN.match(end)
    ):
        return None
    return (f"{start}>{rel_type}>{end}#{key}" if key else f"{start}>{rel_type}>{end}"), rel_type, start, end


def _plain_relation(found: Any, known_ids: Container[str]) -> tuple[str, Any, dict[str, Any]] | None:
    """`quick_record` for a relationship with no other properties than provenance."""
    source, evidence = found.source, found.evidence
    if not 0 < len(evidence.split()) <= schema.MAX_EVIDENCE_WORDS or not source.strip():
        return None
    ident = _relation_ident(found.from_, found.type, found.to, found.key, known_ids)
    if ident is None:
        return None
    return "relation", ident, {"source": source, "line": found.line, "evidence": evidence, "id": ident[0]}
