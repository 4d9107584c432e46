"""How values travel to and from the embedded FalkorDB server: the parameter header and result values.

FalkorDB reads query parameters from a `CYPHER name=value ...` text header in front of
the query. `params_header` writes that header with the C JSON encoder (about five
times faster than the client's pure-Python encoder on loader batches); `plain` turns
the client's result objects into the engine-neutral types of `engine.py`.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from actorgraph.graph.engine import Node, Relationship
from actorgraph.graph.engine import Path as GraphPath
from actorgraph.graph.falkor_bulk import NUL_MESSAGE

#: A map key in JSON text. Inside a JSON string every `"` is escaped as `\\"`, and a string
#: value is never followed by `:`, so this matches keys only.
_JSON_KEY = re.compile(r'"([A-Za-z_][A-Za-z0-9_]*)":')
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def params_header(params: dict[str, Any]) -> str | None:
    """The `CYPHER name=value ...` header FalkorDB reads parameters from, or None.

    Encoded with the C JSON encoder, then map keys turned into Cypher identifiers.
    FalkorDB decodes JSON's short escapes (backslash, quote, \\n, \\t, \\r, \\b, \\f)
    but not `\\u00XX`, which JSON uses for other control characters (NUL among them):
    for those rare values this returns None and the caller uses the client's encoder.
    """
    parts = []
    for name, value in params.items():
        if not _IDENTIFIER.match(name):
            return None
        try:
            text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=str)
        except (ValueError, TypeError):  # NaN, infinity, keys JSON cannot take
            return None
        if "\\u00" in text:
            return None
        for key in set(_JSON_KEY.findall(text)):  # a few distinct keys: str.replace beats re.sub
            text = text.replace(f'"{key}":', f"`{key}`:")
        if '":' in text:  # a key that is not an identifier (or a value that looks like one): be safe
            return None
        parts.append(name + "=" + text)
    return "CYPHER " + " ".join(parts) + " "


def unsendable(params: dict[str, Any]) -> str | None:
    """Why the client's encoder cannot send these parameters (None if it can): said before it fails.

    The fallback encoder refuses map keys with a backtick (ValueError) and writes
    infinities and NaN as text FalkorDB cannot parse; JSON text with a NUL would cut
    the query header short.
    """

    def walk(name: str, value: Any) -> str | None:
        if isinstance(value, float) and not math.isfinite(value):
            return f"parameter {name}: {value} is not a finite number"
        if isinstance(value, str) and "\0" in value:
            return NUL_MESSAGE
        if isinstance(value, dict):
            for key, item in value.items():
                if "`" in str(key):
                    return f"parameter {name}: the map key {key!r} contains a backtick, which FalkorDB cannot take"
                if reason := walk(name, item):
                    return reason
        if isinstance(value, (list, tuple)):
            for item in value:
                if reason := walk(name, item):
                    return reason
        return None

    for name, value in params.items():
        if reason := walk(name, value):
            return reason
    return None


def plain(value: Any) -> Any:
    """Convert FalkorDB client values to the engine-neutral types in `engine.py`."""
    from falkordb import Edge
    from falkordb import Node as FNode
    from falkordb import Path as FPath

    if isinstance(value, FNode):
        return Node(labels=list(value.labels or []), properties=dict(value.properties))
    if isinstance(value, Edge):
        return Relationship(
            type=value.relation, start=value.src_node, end=value.dest_node, properties=dict(value.properties)
        )
    if isinstance(value, FPath):
        return GraphPath(nodes=[plain(n) for n in value.nodes()], relationships=[plain(e) for e in value.edges()])
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value
