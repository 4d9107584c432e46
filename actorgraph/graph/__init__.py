"""Schema (the allow-list) and engines behind one `Engine` interface."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from actorgraph.graph.engine import Engine

ENGINES = ("embedded", "neo4j")


def open_engine(name: str = "embedded", *, home: str | Path | None = None, **options: Any) -> Engine:
    """Open an engine by name: `embedded` (FalkorDB, the default) or `neo4j`.

    `home` is the embedded engine's data directory; Neo4j takes `uri`, `user`,
    `password` and `database` (each defaulting to its ACTORGRAPH_NEO4J_* variable).
    """
    if name == "embedded":
        from actorgraph.config import home_dir
        from actorgraph.graph.embedded import open_embedded

        return open_embedded(home_dir(home), keep_running=bool(options.get("keep_running")))
    if name == "neo4j":
        from actorgraph.graph.neo4j_engine import open_neo4j

        return open_neo4j(**{k: v for k, v in options.items() if k in ("uri", "user", "password", "database")})
    raise ValueError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")
