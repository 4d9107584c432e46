"""Node properties actorgraph stores for its own questions, not data: one list, and how to leave them out.

`degrees.py` keeps each actor's degree (`most_connected`), `corroboration.py` what
`corroborated` reads. Node-link reads (`export`, `map`, `analyze`) and the explorer's
node pages leave them out; a user's `analyze --write-back` figures
(`schema.ANALYTICS_PROPERTIES`) are data the user asked for, and stay.
"""

from __future__ import annotations

from typing import Any

from actorgraph.graph import corroboration, degrees

#: Every node property builds store that is not data.
PROPERTIES: tuple[str, ...] = (degrees.DEGREE_PROPERTY, *corroboration.PROPERTIES)


def without_bookkeeping(props: dict[str, Any]) -> dict[str, Any]:
    """`props` without the stored bookkeeping (it is not the node's data); `props` itself is changed and returned."""
    for name in PROPERTIES:
        props.pop(name, None)
    return props
