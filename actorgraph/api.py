"""Python helpers: open a graph, ask the catalogue's questions, get plain rows.

    >>> from actorgraph import Graph
    >>> with Graph.open(home=tmp_home) as g:
    ...     _ = g.build(data=mini_data, sources=mini_sources)
    ...     [row["leader"] for row in g.leaders(country="Uzbekistan")]
    ['Shavkat Mirziyoyev']

Names may be given in any language or spelling (`"Мирзиёев"`, `"mirziyoev"`); each
method returns `Rows`, a list of dicts with `.to_df()` for pandas users.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from actorgraph.graph.engine import Engine, Row


class Rows(list[Row]):
    """Query rows: a plain list of dicts, plus `to_df()` when pandas is installed."""

    def to_df(self) -> Any:
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_df() needs pandas: pip install pandas") from exc
        return pd.DataFrame(list(self))


class Graph:
    """A graph on one engine. Use `Graph.open()`, and close it (or use `with`)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, uri: str | None = None, *, home: str | Path | None = None, **options: Any) -> Graph:
        """The embedded engine (`Graph.open()`), or Neo4j (`Graph.open("bolt://host:7687", user=..., password=...)`)."""
        from actorgraph.graph import open_engine

        if uri:
            return cls(open_engine("neo4j", uri=uri, **options))
        return cls(open_engine("embedded", home=home))

    def close(self) -> None:
        self.engine.close()

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- general
    def query(self, cypher: str, **params: Any) -> Rows:
        """Run any read-only Cypher with parameters: `g.query("MATCH (n {id: $id}) RETURN n.name", id=...)`."""
        return Rows(self.engine.run(cypher, params))

    def ask(self, name: str, **params: Any) -> Rows:
        """Run a catalogue question by name (see `questions()`)."""
        from actorgraph.queries.registry import ask

        return Rows(ask(self.engine, name, **params))

    @staticmethod
    def questions() -> list[str]:
        """Names of the catalogue's questions."""
        from actorgraph.queries.registry import catalogue

        return list(catalogue())

    def resolve(self, name: str) -> str:
        """The id of the node a name refers to, in any language or spelling."""
        from actorgraph.queries.resolve import resolve

        return resolve(self.engine, name).id

    def build(
        self, data: str | Path | list[str | Path] | None = None, sources: str | Path | None = None
    ) -> dict[str, int]:
        """Validate the data (default: the curated article; or several paths, curated first) and replace the graph.

        YAML and JSON Lines are read alike, e.g. `g.build(["data", "imports"])` after `actorgraph import`.
        """
        from actorgraph.config import data_dir, sources_dirs
        from actorgraph.loaders import build_graph, load_dataset
        from actorgraph.queries.resolve import forget

        folders = [data_dir(path) for path in data] if isinstance(data, list) else [data_dir(data)]
        counts = build_graph(self.engine, load_dataset(folders, sources_dirs(folders[0], sources)))
        forget(self.engine)
        return counts

    # ------------------------------------------------------- catalogue helpers
    def profile(self, actor: str) -> Rows:
        """Every relationship of an actor, both directions, with evidence."""
        return self.ask("profile", actor=actor)

    def leaders(self, country: str | None = None) -> Rows:
        """Who led which country, and when."""
        return self.ask("leaders", country=country)

    def memberships(self, member: str) -> Rows:
        """Organizations a country (or organization) belongs to."""
        return self.ask("memberships", member=member)

    def shared_memberships(self, a: str, b: str) -> Rows:
        """Organizations two countries both belong to."""
        return self.ask("shared_memberships", a=a, b=b)

    def agreements_between(self, a: str, b: str) -> Rows:
        """Agreements both are party to, with dates and the event of adoption."""
        return self.ask("agreements_between", a=a, b=b)

    def timeline(self, from_year: int | None = None, to_year: int | None = None, country: str | None = None) -> Rows:
        """Events in date order, optionally by years and country."""
        return self.ask("timeline", from_year=from_year, to_year=to_year, country=country)

    def participants(self, event: str) -> Rows:
        """Who took part in or hosted an event."""
        return self.ask("participants", event=event)

    def initiatives(self, proposer: str | None = None) -> Rows:
        """Who proposed which initiative and what became of it."""
        return self.ask("initiatives", proposer=proposer)

    def expert_views(self, about: str | None = None, topic: str | None = None) -> Rows:
        """What experts said about an actor or topic, ordered by stance."""
        return self.ask("expert_views", about=about, topic=topic)

    def responses(self) -> Rows:
        """Claims that answer other claims."""
        return self.ask("responses")

    def disagreements(self) -> Rows:
        """Claims of opposite stance about the same subject."""
        return self.ask("disagreements")

    def paths(self, a: str, b: str, max_hops: int | None = None) -> Rows:
        """Shortest chains of stated relationships between two actors, with evidence per hop."""
        return self.ask("paths", a=a, b=b, max_hops=max_hops)

    def neighbourhood(self, actor: str, hops: int | None = None) -> Rows:
        """Nodes within N steps of an actor."""
        return self.ask("neighbourhood", actor=actor, hops=hops)

    def co_participants(self, actor: str) -> Rows:
        """Actors that took part in the same events."""
        return self.ask("co_participants", actor=actor)

    def investments(self) -> Rows:
        """Who invests or operates where, with figures."""
        return self.ask("investments")

    def most_connected(self, limit: int | None = None) -> Rows:
        """Actors with the most stated relationships."""
        return self.ask("most_connected", limit=limit)

    def at_lines(self, first: int, last: int) -> Rows:
        """Every fact drawn from a range of source lines."""
        return self.ask("at_lines", first=first, last=last)

    def corroborated(self, min_sources: int | None = None, limit: int | None = None) -> Rows:
        """Facts by the number of sources that state them, each source with its line and evidence."""
        return self.ask("corroborated", min_sources=min_sources, limit=limit)

    def sources(self) -> Rows:
        """The Source nodes, with how many nodes, relationships and mentions each gives (`actorgraph sources`)."""
        from actorgraph.queries.sources import source_counts

        return Rows(source_counts(self.engine))
