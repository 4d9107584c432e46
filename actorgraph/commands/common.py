"""Options and helpers shared by every command: engine selection, errors, output."""

from __future__ import annotations

import contextlib
import functools
import inspect
import sys
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from actorgraph.graph.engine import Engine


class EngineName(str, Enum):
    embedded = "embedded"
    neo4j = "neo4j"


EngineOpt = Annotated[
    EngineName, typer.Option("--engine", "-e", help="Graph engine: embedded FalkorDB, or a Neo4j 5 server.")
]
HomeOpt = Annotated[
    Path | None,
    typer.Option("--home", help="Embedded engine's data directory [default: $ACTORGRAPH_HOME or the user data dir]."),
]
DataOpt = Annotated[
    Path | None, typer.Option("--data", "-d", help="Folder of curated data [default: $ACTORGRAPH_DATA or ./data].")
]
Neo4jUriOpt = Annotated[
    str | None, typer.Option("--neo4j-uri", envvar="ACTORGRAPH_NEO4J_URI", help="Bolt URI, e.g. bolt://localhost:7687.")
]
Neo4jUserOpt = Annotated[str | None, typer.Option("--neo4j-user", envvar="ACTORGRAPH_NEO4J_USER", help="Neo4j user.")]
Neo4jPasswordOpt = Annotated[
    str | None,
    typer.Option(
        "--neo4j-password",
        envvar="ACTORGRAPH_NEO4J_PASSWORD",
        help="Neo4j password (prefer the environment variable).",
        show_default=False,
    ),
]
Neo4jDatabaseOpt = Annotated[
    str | None, typer.Option("--neo4j-database", envvar="ACTORGRAPH_NEO4J_DATABASE", help="Neo4j database name.")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars or chatter.")]


def err_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def note(message: str) -> None:
    """Print `note: message` to stderr; the message is text, never markup (it names files and values)."""
    from rich.text import Text

    err_console().print(Text.assemble(("note:", "yellow"), " ", message), soft_wrap=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Stop the command with a one-line error (shown by `cli.main`, exit status `code`)."""
    from actorgraph.errors import UsageError

    raise UsageError(message, code)


@contextlib.contextmanager
def engine_from_options(
    engine: EngineName = EngineName.embedded,
    home: Path | None = None,
    neo4j_uri: str | None = None,
    neo4j_user: str | None = None,
    neo4j_password: str | None = None,
    neo4j_database: str | None = None,
    **extra: Any,
) -> Iterator[Engine]:
    """Open the chosen engine, print its notices, close it at the end (errors reach `cli.main`)."""
    from actorgraph.graph import open_engine

    opened = open_engine(
        engine.value,
        home=home,
        uri=neo4j_uri,
        user=neo4j_user,
        password=neo4j_password,
        database=neo4j_database,
        **extra,
    )
    for notice in getattr(opened, "notices", []):
        note(str(notice))
    if hasattr(opened, "on_notice"):
        opened.on_notice = note  # from now on, say it when it happens
    try:
        yield opened
    finally:
        opened.close()


def build_command(engine_options: dict[str, Any]) -> str:
    """The `actorgraph build` that fills the graph these engine options open."""
    words = ["actorgraph", "build"]
    if engine_options.get("engine") == EngineName.neo4j:
        words += ["--engine", "neo4j"]
    elif engine_options.get("home"):
        words += ["--home", str(engine_options["home"])]
    return " ".join(words)


def empty_graph(graph: Engine, engine_options: dict[str, Any]) -> Exception:
    """The error for a command that needs a built graph and found none."""
    from actorgraph.errors import EmptyGraph

    return EmptyGraph(graph.describe(), build_command(engine_options))


def require_built(graph: Engine, engine_options: dict[str, Any]) -> None:
    """Raise `EmptyGraph` (saying to run `actorgraph build`) when the graph has no node at all."""
    if not graph.run("MATCH (n) RETURN 1 AS found LIMIT 1"):
        raise empty_graph(graph, engine_options)


#: The options every engine-using command takes, with their defaults.
ENGINE_OPTIONS: dict[str, tuple[Any, Any]] = {
    "engine": (EngineOpt, EngineName.embedded),
    "home": (HomeOpt, None),
    "neo4j_uri": (Neo4jUriOpt, None),
    "neo4j_user": (Neo4jUserOpt, None),
    "neo4j_password": (Neo4jPasswordOpt, None),
    "neo4j_database": (Neo4jDatabaseOpt, None),
}


def engine_command(func: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command the engine options (--engine, --home, --neo4j-*), passed as `engine_options`.

    The command declares `*, engine_options: dict[str, Any]`; typer sees the options in
    the wrapper's signature, so every command spells them the same way.
    """
    signature = inspect.signature(func, eval_str=True)
    kept = [p for p in signature.parameters.values() if p.name != "engine_options"]
    keyword = inspect.Parameter.KEYWORD_ONLY
    added = [
        inspect.Parameter(name, keyword, default=default, annotation=kind)
        for name, (kind, default) in ENGINE_OPTIONS.items()
    ]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        options = {name: kwargs.pop(name, default) for name, (_, default) in ENGINE_OPTIONS.items()}
        return func(*args, engine_options=options, **kwargs)

    parameters = sorted(kept + added, key=lambda p: p.kind)  # keyword-only after the others
    wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in parameters} | {"return": signature.return_annotation}
    return wrapper


def is_interactive() -> bool:
    """True when stdout is a terminal (progress bars only then)."""
    return sys.stdout.isatty() and sys.stderr.isatty()
