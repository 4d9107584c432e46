"""How values travel to and from the embedded FalkorDB server: the parameter header and result values.

FalkorDB reads query parameters from a `CYPHER name=value ...` text header in front of
the query. `params_header` writes that header with the C JSON encoder (about five
times faster than the client's pure-Python encoder on loader batches); `plain` turns
the client's result objects into the engine-neutral types of `engine.py`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from actorgraph.graph.engine import Node, Relationship
from actorgraph.graph.engine import Path as GraphPath

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


def has_nul(params: dict[str, Any]) -> bool:
    """True if any text in the parameters holds a NUL (json.dumps is C code: fast on big batches)."""
    return "\\u0000" in json.dumps(params, default=str)


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
