"""A fast YAML reader for the happy case, built on libyaml's C parser (PyYAML).

ruamel.yaml in round-trip mode is pure Python: reading the article's data cost
~0.6 s per validate, and 40,000 small records ~26 s, nearly all of it in ruamel's
scanner, parser and composer. This module reads the parser events of libyaml and
builds the same document `reader.read_file` gets from ruamel: mappings and lists
that know the line of every key and item (`.lc.key(key)`, `.lc.item(index)`, as
ruamel's containers do) holding the same values.

Values must equal ruamel's exactly, so plain scalars are resolved with ruamel's
own YAML 1.2 core-schema tables (`NO`, `yes`, `on` stay strings, `010` is ten) and
booleans, numbers and timestamps are made by ruamel's own constructor, one scalar
at a time. Anything out of the ordinary returns None, and the caller reads the
file with ruamel, which gives today's results and messages: a syntax error, a
duplicate key, any anchor or alias, any explicit tag or directive, a merge key,
a key that is not a string, deep nesting, several documents or none.
"""

from __future__ import annotations

import functools
import re
from typing import Any

try:
    from yaml import YAMLError
    from yaml.cyaml import CParser
    from yaml.events import (
        AliasEvent,
        DocumentEndEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
        StreamStartEvent,
    )
except ImportError:  # PyYAML without libyaml: every file takes the ruamel path
    CParser = None

#: Deeper documents go to ruamel, whose recursive composer decides what happens to them.
MAX_DEPTH = 50
#: Rare characters that libyaml and ruamel read differently (line breaks they might count
#: differently; tabs, which ruamel refuses in places libyaml allows; a byte-order mark inside
#: the text): such files go to ruamel.
ODD_CHARACTERS = ("\t", "\r", "\x85", "\u2028", "\u2029", "\ufeff")
STR = "tag:yaml.org,2002:str"
NULL = "tag:yaml.org,2002:null"
INT = "tag:yaml.org,2002:int"
BLOCK_STYLES = ("|", ">")
#: A block scalar header as both parsers read it; libyaml also takes some that ruamel refuses (`|#`).
BLOCK_HEADER = re.compile(r"[|>](?:[1-9][+-]?|[+-][1-9]?)?(?: +(?:#.*)?)?\Z")
#: Integers ruamel reads as plain decimal numbers: no `+`, underscores or leading zeros.
DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]{0,17})\Z")


class Fallback(Exception):
    """This document needs ruamel (the reason does not matter: ruamel will say it)."""


class LineMap(dict):
    """A mapping that knows the line of each key (0-based), read like ruamel's `CommentedMap.lc`."""

    __slots__ = ("key_lines",)

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[str, int] = {}

    @property
    def lc(self) -> LineMap:
        return self

    def key(self, key: str) -> tuple[int, int]:
        return self.key_lines[key], 0


class LineList(list):
    """A list that knows the line of each item (0-based), read like ruamel's `CommentedSeq.lc`."""

    __slots__ = ("item_lines",)

    def __init__(self) -> None:
        super().__init__()
        self.item_lines: list[int] = []

    @property
    def lc(self) -> LineList:
        return self

    def item(self, index: int) -> tuple[int, int]:
        return self.item_lines[index], 0


class _Schema:
    """ruamel's round-trip YAML 1.2 tables: which tag a plain scalar gets, and how its value is made."""

    def __init__(self) -> None:
        from ruamel.yaml import YAML
        from ruamel.yaml.nodes import ScalarNode
        from ruamel.yaml.resolver import VersionedResolver

        resolver = VersionedResolver(version=(1, 2))
        #: first character -> [(tag, regexp)] in ruamel's order ("" for the empty scalar)
        self.resolvers: dict[str | None, list[tuple[str, Any]]] = resolver.versioned_resolver
        if self.resolvers.get(None):  # ruamel would try these for every scalar: not handled here
            raise ImportError("ruamel resolver tables have changed")
        constructor = YAML(typ="rt").constructor
        self.node = ScalarNode
        self.build = {
            "tag:yaml.org,2002:bool": constructor.construct_yaml_bool,
            "tag:yaml.org,2002:int": constructor.construct_yaml_int,
            "tag:yaml.org,2002:float": constructor.construct_yaml_float,
            "tag:yaml.org,2002:timestamp": constructor.construct_yaml_timestamp,
        }

    def tag(self, value: str) -> str:
        """The tag ruamel resolves a plain scalar to."""
        for tag, regexp in self.resolvers.get(value[:1], ()):
            if regexp.match(value):
                return str(tag)
        return STR

    def plain(self, value: str) -> Any:
        """The value ruamel gives a plain scalar (before reader._plain)."""
        tag = self.tag(value)
        if tag == STR:
            return value
        if tag == NULL:
            return None
        if tag == INT and DECIMAL.match(value):  # the common case (`line: 12`): ruamel's value, as int
            return int(value)
        build = self.build.get(tag)
        if build is None:  # merge `<<`, value `=`, anything new
            raise Fallback
        try:
            return build(self.node(tag, value, style=None))
        except Exception as exc:  # ruamel would refuse it with its own message
            raise Fallback from exc


class _Scalars:
    """The values of the scalars of one document."""

    def __init__(self, schema: _Schema, text: str) -> None:
        self.plain = schema.plain
        self.text = text  # block scalar headers are checked in it

    def value(self, event: Any) -> Any:
        """The value of a scalar event (explicit tags are refused before this)."""
        if event.implicit[0]:
            return self.plain(event.value)
        if event.style in BLOCK_STYLES and not self.plain_header(event.start_mark.index):
            raise Fallback
        return event.value  # quoted or block scalar: a string

    def plain_header(self, index: int) -> bool:
        """Whether the block scalar header at `index` (`|`, `>-`, `|2 # note`) is one both parsers read alike."""
        end = self.text.find("\n", index)
        return bool(BLOCK_HEADER.match(self.text, index, len(self.text) if end < 0 else end))


@functools.cache
def _schema() -> _Schema | None:
    try:
        return _Schema()
    except ImportError:
        return None


def load(text: str) -> Any:
    """The document in `text` as LineMap/LineList/values, or None when ruamel must read it."""
    schema = _schema()
    if CParser is None or schema is None or any(odd in text for odd in ODD_CHARACTERS):
        return None
    parser = CParser(text)
    try:
        return _document(parser, _Scalars(schema, text))
    except (Fallback, YAMLError, RecursionError, AttributeError):  # AttributeError: an event out of place
        return None
    finally:
        parser.dispose()


def _document(parser: Any, scalars: _Scalars) -> Any:
    """Build the one document of the stream from its events, refusing anything unusual."""
    get = parser.get_event
    if not isinstance(get(), StreamStartEvent):
        raise Fallback
    start = get()
    if not isinstance(start, DocumentStartEvent) or start.version or start.tags:
        raise Fallback  # no document, or `%YAML` / `%TAG` directives
    root = _node(get, get(), scalars, 0)
    if not isinstance(get(), DocumentEndEvent) or not isinstance(get(), StreamEndEvent):
        raise Fallback  # several documents
    return root


def _node(get: Any, event: Any, scalars: _Scalars, depth: int) -> Any:
    """The value that starts with `event`, reading the rest of its events."""
    if event.anchor is not None or isinstance(event, AliasEvent) or event.tag is not None:
        raise Fallback
    if isinstance(event, ScalarEvent):
        return scalars.value(event)
    if depth >= MAX_DEPTH:
        raise Fallback
    if isinstance(event, SequenceStartEvent):
        items = LineList()
        while not isinstance(event := get(), SequenceEndEvent):
            items.item_lines.append(event.start_mark.line)
            items.append(_node(get, event, scalars, depth + 1))
        return items
    if isinstance(event, MappingStartEvent):
        mapping = LineMap()
        while not isinstance(event := get(), MappingEndEvent):
            if not isinstance(event, ScalarEvent) or event.anchor is not None or event.tag is not None:
                raise Fallback  # a complex key, an alias or a tag
            key = scalars.value(event)
            if not isinstance(key, str) or key in mapping:
                raise Fallback  # a key that is not a string, or a duplicate
            mapping.key_lines[key] = event.start_mark.line
            event = get()
            if type(event) is ScalarEvent and event.anchor is None and event.tag is None:
                mapping[key] = scalars.value(event)  # most values: no call to _node
            else:
                mapping[key] = _node(get, event, scalars, depth + 1)
        return mapping
    raise Fallback
