"""actorgraph: a graph database of political actors and relations, built from sourced text.

    >>> from actorgraph import Graph          # doctest: +SKIP
    >>> with Graph.open() as g:               # doctest: +SKIP
    ...     g.query("MATCH (c:Country) RETURN c.name AS name ORDER BY name LIMIT 1")

Heavy modules load lazily so that `actorgraph --help` starts fast.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["Graph", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "Graph":
        from actorgraph.api import Graph

        return Graph
    raise AttributeError(f"module 'actorgraph' has no attribute {name!r}")
