"""`actorgraph ask` (the catalogue of named questions) and `actorgraph console`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from actorgraph.commands.common import engine_command, engine_from_options, require_built
from actorgraph.commands.data import FormatOpt, OutputFormat, ParamOpt, parse_params


def ask(
    name: Annotated[str | None, typer.Argument(help="The question's name (see --list).")] = None,
    param: ParamOpt = None,
    list_: Annotated[bool, typer.Option("--list", "-l", help="List the catalogue of questions.")] = False,
    fmt: FormatOpt = OutputFormat.table,
    *,
    engine_options: dict[str, Any],
) -> None:
    """Ask a named question of the graph; names of actors may be in any language or spelling.

    Answers give stated facts; -p modality=all adds what a source only expects,
    plans, proposes or denies (or -p modality=expected shows just that kind).
    Rows show each fact's modality, source and notes, caveats about the source too.

    Examples:
      actorgraph ask --list
      actorgraph ask leaders -p country=Uzbekistan
      actorgraph ask profile -p actor=Мирзиёев
      actorgraph ask cooperation -p a=Uzbekistan -p b=USA -p modality=all
      actorgraph ask paths -p a=Kazakhstan -p b=SCO --format json
    """
    from actorgraph.output import print_rows
    from actorgraph.queries.registry import ask as run_question
    from actorgraph.queries.registry import catalogue, get_question

    if list_ or not name:
        rows = [
            {
                "name": q.name,
                "question": q.question,
                "parameters": ", ".join(f"{p.name} ({p.type}{', optional' if p.optional else ''})" for p in q.params),
            }
            for q in catalogue().values()
        ]
        print_rows(rows, fmt.value, title="Questions you can ask")
        if fmt == OutputFormat.table:
            from actorgraph.graph.schema import MODALITIES

            typer.echo(
                "Answers hold stated facts; where a question takes `modality`, add -p modality=all "
                f"(or one of {', '.join(m for m in MODALITIES if m != 'stated')}) for the rest."
            )
        return
    question = get_question(name)
    params = parse_params(param)
    with engine_from_options(**engine_options) as graph:
        require_built(graph, engine_options)  # else every name is unknown and every answer empty
        rows = run_question(graph, name, **params)
    print_rows(rows, fmt.value, title=question.question if fmt == OutputFormat.table else None)


def console(
    write: Annotated[bool, typer.Option("--write", help="Allow queries that write (read-only otherwise).")] = False,
    *,
    engine_options: dict[str, Any],
) -> None:
    """An interactive Cypher console with completion and history (read-only unless --write).

    End a query with ';'. Commands: :help, :schema, :ask NAME key=value ..., :list,
    :params, :format table|json|csv, :engine, :quit. With input from a file or pipe it
    runs the statements in order and exits non-zero if any failed.

    Examples:
      actorgraph console --engine neo4j
      actorgraph console < questions.cypher
    """
    from actorgraph.config import home_dir
    from actorgraph.queries.console import Console

    with engine_from_options(**engine_options) as graph:
        code = Console(graph, write=write, history=home_dir(engine_options["home"]) / "console-history").loop()
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    app.command()(engine_command(ask))
    app.command()(engine_command(console))
