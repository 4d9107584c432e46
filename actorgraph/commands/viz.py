"""`actorgraph map` (interactive HTML network maps) and `actorgraph analyze` (networkx figures)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from actorgraph.commands.common import (
    QuietOpt,
    empty_graph,
    engine_command,
    engine_from_options,
    err_console,
    fail,
)

MAIN_MAP_LABELS = ["Actor", "Agreement", "Event", "Initiative", "Place"]


def map_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path(
        "out/actorgraph-map.html"
    ),
    focus: Annotated[
        list[str] | None,
        typer.Option(
            help="Draw only this actor's neighbourhood (any spelling); repeat it for what joins several actors."
        ),
    ] = None,
    hops: Annotated[int, typer.Option(min=1, max=4, help="Steps around --focus.")] = 1,
    labels: Annotated[
        list[str] | None, typer.Option("--labels", help="Only nodes with these labels (repeatable).")
    ] = None,
    types: Annotated[
        list[str] | None, typer.Option("--types", help="Only these relationship types (repeatable).")
    ] = None,
    year_from: Annotated[int | None, typer.Option("--from", help="Leave out things dated before this year.")] = None,
    year_to: Annotated[int | None, typer.Option("--to", help="Leave out things dated after this year.")] = None,
    query: Annotated[
        str | None, typer.Option("--query", help="Map only the nodes a catalogue question's answer names.")
    ] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="A --query parameter, key=value.")] = None,
    title: Annotated[
        str | None, typer.Option(help="Title shown on the map [default: what it shows, e.g. its focus].")
    ] = None,
    size_by: Annotated[
        str, typer.Option(help="Node size: degree, pagerank or betweenness (the page can switch too).")
    ] = "degree",
    colour_by: Annotated[
        str, typer.Option("--colour-by", "--color-by", help="Node colour: kind or community (the page can switch too).")
    ] = "kind",
    *,
    engine_options: dict[str, Any],
    quiet: QuietOpt = False,
) -> None:
    """Write an interactive network map: one HTML file that works offline.

    Examples:
      actorgraph map -o out/map.html --labels Actor --labels Agreement --labels Event
      actorgraph map -o out/uz.html --focus Өзбекстан --hops 1
      actorgraph map -o out/kz-uz.html --focus Kazakhstan --focus Uzbekistan --title "What joins them"
      actorgraph map -o out/2021.html --from 2021 --to 2021 --title "2021"
      actorgraph map -o out/ties.html --query agreements_between -p a=Kazakhstan -p b=Uzbekistan
    """
    from actorgraph.commands.data import parse_params, read_whole_graph, writing_status
    from actorgraph.output_paths import check_file, writing_to
    from actorgraph.queries.registry import ask
    from actorgraph.viz.maps import check_options, nodes_named_in, write_map

    check_options(size_by=size_by, colour_by=colour_by)  # a MapError reaches cli.main (exit 2)
    check_file(output, example="map.html")  # before reading the whole graph
    only = None
    with engine_from_options(**engine_options) as graph:
        data = read_whole_graph(graph, quiet=quiet)
        if not data["nodes"]:
            raise empty_graph(graph, engine_options)
        if query:
            only = nodes_named_in(data, ask(graph, query, **parse_params(param)))
            if not only:
                fail(f"the answer to {query!r} names no node to map", 2)
    total = len(data["nodes"]) + len(data["links"])
    with writing_status(f"drawing the map in {output}", total, quiet=quiet), writing_to(output):
        shown = write_map(
            data,
            output,
            title=title,
            focus=focus,
            hops=hops,
            labels=labels,
            types=types,
            year_from=year_from,
            year_to=year_to,
            size_by=size_by,
            colour_by=colour_by,
            only=only,
        )
    if not quiet:
        err_console().print(f"wrote {output} ({shown['nodes']} nodes, {shown['edges']} relationships)", markup=False)


def analyze(
    top: Annotated[int, typer.Option(min=1, help="How many actors to list.")] = 15,
    write: Annotated[bool, typer.Option("--write/--no-write", help="Store the figures as node properties.")] = True,
    *,
    engine_options: dict[str, Any],
    quiet: QuietOpt = False,
) -> None:
    """Degree, betweenness, PageRank, Louvain communities, articulation points and bridges.

    The figures are written back as node properties (degree, betweenness, pagerank,
    community) for queries and for `map --size-by pagerank --colour-by community`.

    Example: actorgraph analyze --top 10
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from actorgraph.commands.data import reading_progress, writing_status
    from actorgraph.viz.analytics import compute, read_networkx, write_back

    with engine_from_options(**engine_options) as graph:
        with reading_progress(graph, quiet=quiet) as advance:
            data = read_networkx(graph, progress=advance)  # the stated relationships, straight into networkx
        if not len(data) and not graph.run("MATCH (n) RETURN count(n) AS n")[0]["n"]:
            raise empty_graph(graph, engine_options)
        total = len(data) + data.number_of_edges()
        with writing_status("computing centralities and communities", total, quiet=quiet):
            figures = compute(data)
        if write:
            with writing_status("writing the figures back", total, quiet=quiet):
                write_back(graph, data, figures)
    console = Console(highlight=False)
    table = Table(title="Most central actors")
    for column in ("actor", "degree", "betweenness", "pagerank", "community"):
        table.add_column(column, justify="left" if column == "actor" else "right")
    ranked = sorted(figures.pagerank, key=lambda node: (-figures.pagerank[node], node))[:top]
    for node in ranked:
        table.add_row(
            Text(str(figures.names.get(node, node))),
            str(figures.degree[node]),
            f"{figures.betweenness.get(node, 0):.3f}",
            f"{figures.pagerank[node]:.4f}",
            str(figures.community.get(node, "")),
        )
    console.print(table)
    communities = len(set(figures.community.values()))
    console.print(
        f"{communities} communities; articulation points: "
        + (", ".join(figures.names.get(n, n) for n in figures.articulation_points[:15]) or "none"),
        markup=False,
    )
    console.print(f"{len(figures.bridges)} bridges (relationships whose removal splits the graph)", markup=False)


def register(app: typer.Typer) -> None:
    app.command("map")(engine_command(map_cmd))
    app.command()(engine_command(analyze))
