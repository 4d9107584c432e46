"""The Neo4j 5 engine, on the official `neo4j` driver (Bolt).

Reads run in READ-access sessions through `execute_read`, so Neo4j itself refuses
writes; writes use `execute_write`. Both are managed transactions, which the driver
retries on transient errors.

Replacing the graph is one write transaction: it deletes the old graph and writes the
new one, and commits only at the end. Neo4j Community has a single user database, so
this is how a load stays all-or-nothing there: a failure or an interrupted process
rolls the transaction back and the previous graph stands. Readers never see an
unfinished load, but Neo4j reads are READ COMMITTED: a single query that scans the
graph while the load commits can see nodes from both sides of the commit (the
embedded engine, which swaps a finished graph in with RENAME, has no such window). The limit is the
transaction memory of the server (`db.memory.transaction.total.max`), which holds the
article-sized and benchmark-sized graphs comfortably; for far larger imports use
`actorgraph export --format csv` and `neo4j-admin database import`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from actorgraph.graph.engine import (
    Engine,
    EngineUnavailable,
    Node,
    Path,
    ProgressCallback,
    QueryError,
    Relationship,
    Row,
    Statement,
)
from actorgraph.graph.schema import KINDS

DEFAULT_URI = "bolt://localhost:7687"
DEFAULT_USER = "neo4j"
DEFAULT_DATABASE = "neo4j"
#: Properties that catalogue queries filter or sort on, indexed on every kind label. Not
#: `name`: a range index refuses values over ~8 KB, and names are untrusted input (a
#: 10,000-character name must still load); name lookups use the full-text index.
INDEXED_PROPERTIES = ("date", "start", "stance", "topic", "line")
FULLTEXT_INDEX = "actorgraph_names"
DELETE_BATCH = 10_000


def open_neo4j(
    uri: str | None = None, user: str | None = None, password: str | None = None, database: str | None = None
) -> Neo4jEngine:
    """Connect to Neo4j; arguments default to the ACTORGRAPH_NEO4J_* environment variables."""
    return Neo4jEngine(
        uri or os.environ.get("ACTORGRAPH_NEO4J_URI") or DEFAULT_URI,
        user or os.environ.get("ACTORGRAPH_NEO4J_USER") or DEFAULT_USER,
        password if password is not None else os.environ.get("ACTORGRAPH_NEO4J_PASSWORD", ""),
        database or os.environ.get("ACTORGRAPH_NEO4J_DATABASE") or DEFAULT_DATABASE,
    )


class Neo4jEngine(Engine):
    """A Neo4j 5 server reached over Bolt. The password is never shown in messages."""

    name = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str) -> None:
        import neo4j
        from neo4j import exceptions

        self.uri, self.user, self.database = uri, user, database
        auth = (user, password) if password else None
        try:
            self._driver = neo4j.GraphDatabase.driver(
                uri,
                auth=auth,
                connection_timeout=5,
                max_transaction_retry_time=10,
                # no "relationship type not in the database" warnings on every catalogue query
                notifications_min_severity="OFF",
            )
            self._driver.verify_connectivity()
            self._driver.execute_query("RETURN 1", database_=database, routing_=neo4j.RoutingControl.READ)
        except exceptions.AuthError as exc:
            self._close_quietly()
            raise EngineUnavailable(
                f"Neo4j at {uri} refused user {user!r}: wrong user or password "
                "(set ACTORGRAPH_NEO4J_USER / ACTORGRAPH_NEO4J_PASSWORD)"
            ) from exc
        except exceptions.ClientError as exc:
            self._close_quietly()
            if "DatabaseNotFound" in (exc.code or ""):
                raise EngineUnavailable(
                    f"Neo4j at {uri} has no database {database!r} (set ACTORGRAPH_NEO4J_DATABASE; Community has 'neo4j')"
                ) from exc
            raise EngineUnavailable(f"Neo4j at {uri} refused the connection: {exc.message}") from exc
        except (exceptions.ServiceUnavailable, exceptions.DriverError, OSError, ValueError) as exc:
            self._close_quietly()
            raise EngineUnavailable(
                f"cannot reach Neo4j at {uri}: {_first_line(exc)}. Is it running? (`docker compose up -d`, "
                "or set ACTORGRAPH_NEO4J_URI)"
            ) from exc

    def _close_quietly(self) -> None:
        driver = getattr(self, "_driver", None)
        if driver is not None:
            try:
                driver.close()
            except Exception:  # noqa: BLE001 - closing after a failure must not hide it
                pass

    # ------------------------------------------------------------------ queries
    def run(self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[Row]:
        import neo4j
        from neo4j import exceptions

        def work(tx: Any) -> list[Row]:
            result = tx.run(cypher, params or {})
            return [{key: _plain(value) for key, value in record.items()} for record in result]

        access = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        try:
            with self._driver.session(database=self.database, default_access_mode=access) as session:
                return session.execute_write(work) if write else session.execute_read(work)
        except exceptions.ClientError as exc:
            if "AccessMode" in (exc.code or "") or "read access mode" in (exc.message or ""):
                raise QueryError(
                    "this query writes, and the graph is open read-only (use --write to allow writes)"
                ) from exc
            raise QueryError(exc.message or str(exc)) from exc
        except exceptions.CypherTypeError as exc:
            raise QueryError(exc.message or str(exc)) from exc
        except (exceptions.ServiceUnavailable, exceptions.SessionExpired) as exc:
            raise EngineUnavailable(f"lost the connection to Neo4j at {self.uri}: {_first_line(exc)}") from exc

    def replace_graph(self, statements: Iterable[Statement], *, progress: ProgressCallback | None = None) -> None:
        """Delete the old graph and write the new one in ONE transaction (see the module docstring)."""
        from neo4j import exceptions

        self.ensure_schema()
        try:
            with self._driver.session(database=self.database) as session:
                tx = session.begin_transaction()
                try:
                    tx.run("MATCH (n) DETACH DELETE n").consume()
                    for cypher, params in statements:
                        tx.run(cypher, params).consume()
                        if progress:
                            progress(len(params.get("rows", ())) or 1)
                    tx.commit()
                finally:
                    if tx.closed() is False:
                        tx.rollback()
        except exceptions.ClientError as exc:
            raise QueryError(exc.message or str(exc)) from exc
        except (exceptions.ServiceUnavailable, exceptions.SessionExpired) as exc:
            raise EngineUnavailable(
                f"lost the connection to Neo4j at {self.uri} during the load; the previous graph is unchanged"
            ) from exc

    def ensure_schema(self) -> None:
        """Uniqueness on `id` per kind, range indexes for filters, a full-text index on names (idempotent)."""
        statements = [
            f"CREATE CONSTRAINT actorgraph_{kind.lower()}_id IF NOT EXISTS FOR (n:{kind}) REQUIRE n.id IS UNIQUE"
            for kind in KINDS
        ]
        statements += [
            f"CREATE INDEX actorgraph_{kind.lower()}_{prop} IF NOT EXISTS FOR (n:{kind}) ON (n.{prop})"
            for kind in KINDS
            for prop in INDEXED_PROPERTIES
        ]
        labels = "|".join(KINDS)
        statements.append(
            f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (n:{labels}) "
            "ON EACH [n.name, n.name_kk, n.name_ru, n.aliases]"
        )
        with self._driver.session(database=self.database) as session:
            for cypher in statements:
                session.run(cypher).consume()

    def labels(self) -> list[str]:
        return sorted(row["label"] for row in self.run("MATCH (n) UNWIND labels(n) AS label RETURN DISTINCT label"))

    def relationship_types(self) -> list[str]:
        return sorted(row["t"] for row in self.run("MATCH ()-[r]->() RETURN DISTINCT type(r) AS t"))

    def describe(self) -> str:
        return f"Neo4j at {self.uri} (database {self.database})"

    def close(self) -> None:
        self._close_quietly()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def _plain(value: Any) -> Any:
    """Convert driver values to the engine-neutral types in `engine.py`."""
    from neo4j import graph

    if isinstance(value, graph.Node):
        return Node(labels=sorted(value.labels), properties=dict(value))
    if isinstance(value, graph.Relationship):
        return Relationship(
            type=value.type,
            start=value.start_node.element_id if value.start_node is not None else None,
            end=value.end_node.element_id if value.end_node is not None else None,
            properties=dict(value),
        )
    if isinstance(value, graph.Path):
        return Path(nodes=[_plain(n) for n in value.nodes], relationships=[_plain(r) for r in value.relationships])
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value
