"""Python helpers: open a graph, ask the catalogue's questions, get plain rows.

    >>> from actorgraph import Graph
    >>> with Graph.open(home=tmp_home) as g:
    ...     _ = g.build(data=mini_data, sources=mini_sources)
    ...     [row["leader"] for row in g.leaders(country="Uzbekistan")]
    ['Shavkat Mirziyoyev']

Every question of the catalogue (`actorgraph ask --list`) is a method of the same
name, made from the catalogue itself (`g.profile("Tokayev")`, `g.paths("Kazakhstan",
"SCO", max_hops=3)`). Names may be given in any language or spelling (`"Мирзиёев"`,
`"mirziyoev"`); each method returns `Rows`, a list of dicts with `.to_df()` for pandas
users.
"""

from __future__ import annotations

import inspect
import keyword
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from actorgraph.graph.engine import Engine, Row

if TYPE_CHECKING:
    from actorgraph.queries.registry import Question


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

        The same load as `actorgraph build` (`loaders.load`): YAML and JSON Lines alike,
        e.g. `g.build("events.jsonl")` or `g.build(["data", "imports"])` after `actorgraph import`.
        Returns the counts written; raises `DataError` (every problem) and keeps the previous graph.
        """
        from actorgraph.loaders import load

        report = load(data, self.engine, sources=sources)
        return {"nodes": report.nodes, "relationships": report.relationships}

    def sources(self) -> Rows:
        """The Source nodes, with how many nodes, relationships and mentions each gives (`actorgraph sources`)."""
        from actorgraph.queries.sources import source_counts

        return Rows(source_counts(self.engine))


# ----------------------------------------------------------- catalogue helpers
#: Python types of the catalogue's parameter types, for the helpers' signatures.
PARAM_TYPES: dict[str, Any] = {"actor": str, "text": str, "int": int, "hops": int}


def python_name(name: str) -> str:
    """A parameter's name as a Python argument: `from` (a keyword) becomes `from_`."""
    return f"{name}_" if keyword.iskeyword(name) else name


def _helper(question: Question) -> Callable[..., Rows]:
    """A `Graph` method that asks `question`, with its parameters as arguments in the catalogue's order.

    Optional parameters default to None. Should a required parameter follow an
    optional one, everything from the first optional one on is keyword-only (a
    signature cannot put a required parameter after a default).
    """
    optional = [param.optional or param.type == "hops" for param in question.params]
    first_optional = optional.index(True) if True in optional else len(optional)
    keyword_only_from = first_optional if not all(optional[first_optional:]) else len(optional)
    parameters = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    for index, (param, is_optional) in enumerate(zip(question.params, optional, strict=True)):
        kind = inspect.Parameter.KEYWORD_ONLY if index >= keyword_only_from else inspect.Parameter.POSITIONAL_OR_KEYWORD
        kind_type = PARAM_TYPES.get(param.type, str)
        annotation = kind_type | None if is_optional else kind_type
        default = None if is_optional else inspect.Parameter.empty
        parameters.append(inspect.Parameter(python_name(param.name), kind, default=default, annotation=annotation))
    signature = inspect.Signature(parameters, return_annotation=Rows)
    names = {python_name(param.name): param.name for param in question.params}

    def method(self: Graph, *args: Any, **kwargs: Any) -> Rows:
        bound = signature.bind(self, *args, **kwargs)
        return self.ask(question.name, **{names[key]: value for key, value in bound.arguments.items() if key != "self"})

    method.__name__ = method.__qualname__ = question.name
    method.__qualname__ = f"Graph.{question.name}"
    method.__signature__ = signature  # type: ignore[attr-defined]
    lines = [question.question, "", "Same as `actorgraph ask " + question.name + "`."]
    if question.params:
        lines += ["", "Parameters:"]
        lines += [
            f"    {p.name}: {p.type}{', optional' if p.optional else ''}"
            + (f" (e.g. {p.example})" if p.example else "")
            for p in question.params
        ]
    method.__doc__ = "\n".join(lines)
    return method


def _add_helpers() -> None:
    """One method on `Graph` per catalogue question, named after it: they cannot drift apart."""
    from actorgraph.queries.registry import catalogue

    for name, question in catalogue().items():
        if name in vars(Graph):
            raise RuntimeError(f"catalogue question {name!r} would hide Graph.{name}")
        setattr(Graph, name, _helper(question))


_add_helpers()
