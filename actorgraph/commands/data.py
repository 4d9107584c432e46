"""Commands that validate, build, count, query and export the graph."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from actorgraph.commands.common import (
    QuietOpt,
    empty_graph,
    engine_command,
    engine_from_options,
    err_console,
    fail,
    is_interactive,
    note,
)

if TYPE_CHECKING:
    from actorgraph.graph.engine import Engine
    from actorgraph.loaders.dataset import Dataset

#: Loads and exports smaller than this finish in about a second: no progress bar for them.
PROGRESS_MIN_ITEMS = 5000


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class ExportFormat(str, Enum):
    json = "json"
    graphml = "graphml"
    gexf = "gexf"
    csv = "csv"
    ftm = "ftm"


DataPathsOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--data",
        "-d",
        help="Data to load: a folder or file; repeat it to load several together, curated data first "
        "[default: $ACTORGRAPH_DATA or ./data].",
    ),
]
SourcesOpt = Annotated[
    Path | None,
    typer.Option(
        "--sources", help="Folder of source texts, to check evidence [default: ../shared/sources and others]."
    ),
]
ParamOpt = Annotated[
    list[str] | None,
    typer.Option("--param", "-p", help="A query parameter as key=value (value read as JSON when it parses)."),
]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]


def parse_params(pairs: list[str] | None) -> dict[str, Any]:
    """`["name=Astana", "years=[2018,2019]"]` -> `{"name": "Astana", "years": [2018, 2019]}`."""
    params: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            fail(f"--param {pair!r}: expected key=value", 2)
        try:
            params[key.strip()] = json.loads(value)
        except ValueError:
            params[key.strip()] = value
    return params


def read_valid_dataset(data: Path | list[Path] | None, sources: Path | None, *, quiet: bool = False) -> Dataset:
    """The data validated in memory (`loaders.read`), its notes printed; problems reach cli.main (exit 2)."""
    from actorgraph.loaders import read

    dataset = read(data, sources)
    _notes(dataset.notes, quiet)
    return dataset


def _notes(notes: list[str], quiet: bool) -> None:
    if not quiet:
        for message in notes:
            note(message)


def _progress(quiet: bool) -> Any:
    """A progress bar maker for the loaders, or None when no bar can be shown (quiet, or not a terminal)."""
    return None if quiet or not is_interactive() else progress_bar


def validate(data: DataPathsOpt = None, sources: SourcesOpt = None, quiet: QuietOpt = False) -> None:
    """Check the data files and report every problem as file:line: field: what is wrong.

    Exit status 0 when the data is valid, 2 when it is not. Nothing is written.

    Examples:
      actorgraph validate --data data/
      actorgraph validate --data data --data imports
    """
    from actorgraph.loaders import validate as check

    report = check(data, sources, progress=_progress(quiet))  # a DataError reaches cli.main (exit 2)
    _notes(report.notes, quiet)
    if not quiet:
        typer.echo(f"ok: {report.nodes} nodes and {report.relationships} relationships in {report.files} files")


def build(
    data: DataPathsOpt = None,
    sources: SourcesOpt = None,
    batch_size: Annotated[
        int,
        typer.Option(min=1, help="Rows per UNWIND batch on Neo4j (the embedded engine sizes its bulk writes itself)."),
    ] = 2000,
    quiet: QuietOpt = False,
    offline_import: Annotated[
        Path | None,
        typer.Option(
            "--offline-import",
            help="Write the graph into this folder as CSV for `neo4j-admin database import full` instead of "
            "loading it (the fastest first load of a large graph into Neo4j; prints the steps that follow).",
        ),
    ] = None,
    *,
    engine_options: dict[str, Any],
) -> None:
    """Validate the data, then replace the graph with it in one atomic step.

    Re-running it changes nothing. On bad data nothing is written (exit 2).

    Several --data paths load together (the curated data first, then imports): a node
    that several sources describe is one node, each fact keeping its own provenance. A
    lone JSON Lines file or folder is checked and loaded in one streaming pass.

    Examples:
      actorgraph build
      actorgraph build --engine neo4j --data data/
      actorgraph build --data data --data imports
      actorgraph build --data big/ --offline-import import/actorgraph   # then neo4j-admin, see docs
    """
    from actorgraph.loaders import load

    if offline_import is not None:
        _build_offline(data, sources, offline_import, quiet)
        return

    def opened() -> Any:
        return engine_from_options(**engine_options)

    report = load(data, opened, sources=sources, batch_size=batch_size, progress=_progress(quiet))
    _notes(report.notes, quiet)
    if not quiet:
        typer.echo(
            f"built {report.nodes} nodes and {report.relationships} relationships "
            f"from {report.files} files into {report.into}"
        )


def _build_offline(data: list[Path] | None, sources: Path | None, folder: Path, quiet: bool) -> None:
    """`build --offline-import`: validate as any build, write the import folder, print what comes next."""
    from actorgraph.graph.neo4j_import import ImportFolder, check_replaceable, next_steps
    from actorgraph.loaders import load
    from actorgraph.output_paths import writing_to

    check_replaceable(folder)  # before reading the data
    target = ImportFolder(folder)
    with writing_to(folder, "--offline-import"):
        report = load(data, target, sources=sources, progress=_progress(quiet))
    _notes(report.notes, quiet)
    assert target.plan is not None
    if not quiet:
        typer.echo(
            f"wrote {report.nodes} nodes and {report.relationships} relationships from {report.files} files "
            f"to {folder} for neo4j-admin; Neo4j is unchanged until you import it:"
        )
        typer.echo(next_steps(target.plan))


def stats(
    fmt: FormatOpt = OutputFormat.table,
    *,
    engine_options: dict[str, Any],
) -> None:
    """Count nodes per label and relationships per type.

    Example: actorgraph stats --format json
    """
    from actorgraph.graph.nodelink import count_graph
    from actorgraph.output import print_rows

    with engine_from_options(**engine_options) as graph:
        counts = count_graph(graph)
        if not counts["totals"]["nodes"]:  # zero is the right count, but say why and what to do
            note(str(empty_graph(graph, engine_options)))
    if fmt == OutputFormat.json:
        typer.echo(json.dumps(counts, ensure_ascii=False, indent=2))
        return
    rows = [{"what": "label", "name": k, "count": v} for k, v in counts["labels"].items()]
    rows += [{"what": "type", "name": k, "count": v} for k, v in counts["types"].items()]
    rows += [{"what": "total", "name": k, "count": v} for k, v in counts["totals"].items()]
    print_rows(rows, fmt.value)


def query(
    cypher: Annotated[str, typer.Argument(help="A Cypher query; pass values as $parameters.")],
    param: ParamOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    write: Annotated[bool, typer.Option("--write", help="Allow the query to write (read-only otherwise).")] = False,
    *,
    engine_options: dict[str, Any],
) -> None:
    """Run one Cypher query (read-only unless --write) and print its rows.

    Examples:
      actorgraph query "MATCH (c:Country) RETURN c.name AS country ORDER BY country"
      actorgraph query "MATCH (p:Person {id: \\$id})-[r]->(x) RETURN type(r), x.name" -p id=person:islam-karimov
      actorgraph query "MATCH (o:Organization) RETURN o.name" --format csv
    """
    from actorgraph.output import print_rows

    if not cypher.strip():
        fail('the query is empty: give a Cypher statement, e.g. actorgraph query "MATCH (n) RETURN count(n)"', 2)
    params = parse_params(param)
    with engine_from_options(**engine_options) as graph:
        rows = graph.run(cypher, params, write=write)
    print_rows(rows, fmt.value)


def export(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="File to write (a folder for csv; - for stdout with json and ftm).")
    ],
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Export format.")] = ExportFormat.json,
    dynamic: Annotated[
        bool,
        typer.Option("--dynamic", help="GEXF only: a timeline (intervals from start/end) instead of a static graph."),
    ] = False,
    *,
    engine_options: dict[str, Any],
    quiet: QuietOpt = False,
) -> None:
    """Export the whole graph: node-link JSON, GraphML, GEXF, CSV for neo4j-admin import, or FollowTheMoney.

    Examples:
      actorgraph export --format json -o graph.json
      actorgraph export --format gexf -o graph.gexf      # open in Gephi
      actorgraph export --format gexf --dynamic -o timeline.gexf
      actorgraph export --format csv -o import/          # neo4j-admin database import
      actorgraph export --format ftm -o graph.ftm.json   # FollowTheMoney entities (Aleph, nomenklatura)
    """
    from actorgraph.output_paths import check_file, check_folder, writing_to

    if dynamic and fmt != ExportFormat.gexf:
        fail(f"--dynamic: only for --format gexf, not {fmt.value}", 2)
    if fmt == ExportFormat.csv:  # checked before reading the whole graph
        check_folder(output)
    else:
        check_file(output, example=f"graph.{fmt.value}", stdout=fmt in (ExportFormat.json, ExportFormat.ftm))
    from actorgraph.graph.spool import MARSHAL, Spool, read_spool
    from actorgraph.viz.nodelink_json import JSON_CODEC

    # only Gephi needs the parallel links, only Gephi and CSV the value types; JSON is spooled as the text it writes
    spool = Spool(
        parallel=fmt in (ExportFormat.graphml, ExportFormat.gexf),
        values=fmt in (ExportFormat.graphml, ExportFormat.gexf, ExportFormat.csv),
        codec=JSON_CODEC if fmt == ExportFormat.json else MARSHAL,
    )
    with spool:
        with engine_from_options(**engine_options) as graph, reading_progress(graph, quiet=quiet) as advance:
            read_spool(graph, spool, progress=advance)
        nodes, links = spool.tally.nodes, spool.tally.links
        with writing_status(f"writing {fmt.value} to {output}", nodes + links, quiet=quiet), writing_to(output):
            message = write_export_file(spool, fmt.value, output, dynamic=dynamic)
    if not quiet and str(output) != "-":
        err_console().print(f"wrote {nodes} nodes and {links} links to {output}", markup=False)
        if message:
            err_console().print(message, markup=False, highlight=False, soft_wrap=True)


def write_export_file(data: Any, fmt: str, output: Path, *, dynamic: bool = False) -> str | None:
    """Write `data` (a spool, or a node-link dict) atomically: a temporary file renamed into place.

    A failure leaves nothing half-written; `-` writes json and ftm to stdout.
    """
    from actorgraph.viz.exports import ftm_note, write_export, write_ftm_entities
    from actorgraph.viz.nodelink_json import write_node_link

    if fmt == "json" and str(output) == "-":
        from actorgraph.graph.spool import records_of

        write_node_link(records_of(data), sys.stdout)
        return None
    if fmt == "ftm" and str(output) == "-":
        return ftm_note(write_ftm_entities(data, sys.stdout))  # an ExportError reaches cli.main (exit 2)
    return write_export(data, fmt, output, dynamic=dynamic)  # an ExportError reaches cli.main (exit 2)


def schema_cmd(
    fmt: FormatOpt = OutputFormat.table,
    apply: Annotated[
        bool,
        typer.Option(
            "--apply",
            help="Create the indexes and per-node counts `build` creates (e.g. after neo4j-admin import), then exit.",
        ),
    ] = False,
    *,
    engine_options: dict[str, Any],
) -> None:
    """List the allowed node labels and relationship types (the schema's allow-list), or apply the indexes.

    `--apply` creates exactly the indexes `build` creates, with the same code, and counts
    what builds store on nodes for questions to read (idempotent; the data is untouched).
    A store made by `neo4j-admin database import` has none of them until then.

    Examples:
      actorgraph schema
      actorgraph schema --apply --engine neo4j --neo4j-uri bolt://localhost:7687
    """
    from actorgraph.graph import schema
    from actorgraph.output import print_rows

    if apply:
        with engine_from_options(**engine_options) as graph:
            graph.ensure_schema()
            graph.count_stored()
            typer.echo(f"applied the indexes and counts `build` creates to {graph.describe()}")
        return

    rows = [{"kind": "label", "name": s.name, "description": s.description} for s in schema.LABELS.values()]
    rows += [
        {
            "kind": "relationship",
            "name": s.name,
            "description": f"{s.description} ({'/'.join(s.sources)} -> {'/'.join(s.targets)})",
        }
        for s in schema.RELATIONSHIPS.values()
    ]
    print_rows(rows, fmt.value)


def read_whole_graph(graph: Engine, *, quiet: bool = False) -> dict[str, Any]:
    """The graph as node-link data (`map`), under a progress bar when it is big."""
    from actorgraph.graph.nodelink import read_node_link

    with reading_progress(graph, quiet=quiet) as advance:
        return read_node_link(graph, progress=advance)


def reading_progress(graph: Engine, *, quiet: bool = False) -> Any:
    """A progress bar for reading the whole graph (counting it first costs two queries, so only when shown)."""
    total = 0
    if _shows_progress(PROGRESS_MIN_ITEMS, quiet):
        total = graph.run("MATCH (n) RETURN count(n) AS n")[0]["n"]
        total += graph.run("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    return progress_bar("reading", total, quiet=quiet)


def _shows_progress(total: int, quiet: bool) -> bool:
    """Progress is shown on a terminal, unless asked to be quiet, for work on thousands of items."""
    return not quiet and is_interactive() and total >= PROGRESS_MIN_ITEMS


def writing_status(description: str, total: int, *, quiet: bool = False) -> Any:
    """A spinner with the elapsed time while one long call writes a file (no counts to show)."""
    import contextlib

    if not _shows_progress(total, quiet):
        return contextlib.nullcontext()
    from rich.markup import escape

    return err_console().status(f"[bold]{escape(description)}")  # the description names the user's file


def progress_bar(description: str, total: int, *, quiet: bool = False) -> Any:
    """A rich progress bar with counts and rate, or a no-op when quiet or not a terminal."""
    import contextlib

    if not _shows_progress(total, quiet):
        return contextlib.nullcontext(lambda n: None)

    @contextlib.contextmanager
    def bar() -> Any:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn
        from rich.progress import TimeElapsedColumn as Elapsed

        rate = TextColumn("{task.fields[rate]}/s")  # items per second: rich only has a bytes/s column
        columns = [BarColumn(), MofNCompleteColumn(), TaskProgressColumn(), rate, Elapsed()]
        with Progress(f"[bold]{description}", *columns, console=err_console(), transient=False) as progress:
            task = progress.add_task(description, total=total, rate="-")

            def advance(n: int) -> None:
                progress.advance(task, n)
                speed = progress.tasks[0].speed  # rich's moving average of items per second
                progress.update(task, rate=f"{speed:,.0f}" if speed else "-")

            yield advance

    return bar()


def register(app: typer.Typer) -> None:
    app.command()(engine_command(build))
    app.command()(validate)
    app.command()(engine_command(stats))
    app.command()(engine_command(query))
    app.command()(engine_command(export))
    app.command("schema")(engine_command(schema_cmd))
