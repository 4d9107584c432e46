"""The `actorgraph` command: build, query, explore and map the graph of political actors."""

from __future__ import annotations

import importlib
import sys
import types

import typer

HELP = """Turn sourced political text into a graph of actors and relations, and explore it.

[bold]Start here[/bold]

  actorgraph demo              build the graph, print answers, write maps
  actorgraph ask --list        the named questions (then: ask leaders)
  actorgraph map -o map.html   an interactive map that works offline
  actorgraph console           a Cypher console, read-only by default
  actorgraph serve             a web explorer on http://127.0.0.1:8765/

Every engine command takes [bold]--engine neo4j[/bold] to use a Neo4j 5 server
(ACTORGRAPH_NEO4J_URI, _USER, _PASSWORD, _DATABASE).
"""

#: Command modules; each has `register(app)` and imports only typer at its top.
COMMAND_MODULES = ("data", "ask", "viz", "report", "demo", "imports", "serve", "ingest")

app = typer.Typer(
    name="actorgraph",
    help=HELP,
    rich_markup_mode="rich",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

for _name in COMMAND_MODULES:
    importlib.import_module(f"actorgraph.commands.{_name}").register(app)


def main() -> None:
    """Entry point of the console script: the one place where user-facing errors are shown.

    Commands raise `ActorgraphError` subclasses (see `actorgraph.errors`) and never catch
    them; here each becomes its details, then `error: message`, as plain text (messages
    carry names and values from the data, which must never be read as rich markup), and
    the error's exit code.
    """
    from actorgraph.errors import ActorgraphError

    skip_the_drivers_dataframe_support()
    try:
        app()
    except ActorgraphError as exc:
        show_error(exc)
        sys.exit(exc.exit_code)


def skip_the_drivers_dataframe_support() -> None:
    """Let the Neo4j driver start without importing pandas and numpy (0.3-0.4 s of CPU each time).

    The driver imports both when they are installed (pyreadr installs pandas) to accept
    numpy and pandas values as query parameters and to offer `Result.to_df`; the command
    never passes such values nor calls `to_df`. The driver reads them from one module,
    `neo4j._optional_deps`; the command provides it, saying both are absent. Only the
    console script does this, and only before the driver is imported: a program that
    imports actorgraph as a library keeps the driver's own behaviour.
    """
    if "neo4j" in sys.modules or "neo4j._optional_deps" in sys.modules:
        return
    absent = types.ModuleType("neo4j._optional_deps", "numpy and pandas, as the actorgraph command gives them: absent")
    absent.np = None  # type: ignore[attr-defined]
    absent.pd = None  # type: ignore[attr-defined]
    absent.__all__ = ["np", "pd"]  # type: ignore[attr-defined]
    sys.modules["neo4j._optional_deps"] = absent


def show_error(exc: BaseException) -> None:
    """Print an error to stderr as text: its detail lines, then `error: ` and its message."""
    from rich.console import Console
    from rich.text import Text

    console = Console(stderr=True, highlight=False)
    for line in getattr(exc, "details", list)():
        console.print(Text(line), soft_wrap=True)
    first, *rest = str(exc).splitlines() or [type(exc).__name__]
    console.print(Text.assemble(("error:", "bold red"), " ", first), soft_wrap=True)
    for line in rest:
        console.print(Text(line), soft_wrap=True)


if __name__ == "__main__":
    main()
