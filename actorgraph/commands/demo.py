"""`actorgraph demo`: the README's main job, from data to answers and maps in one command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from actorgraph.commands.common import DataOpt, EngineName, HomeOpt, engine_from_options, err_console, note

DEMO_QUESTIONS = (
    ("leaders", {}),
    ("shared_memberships", {"a": "Kazakhstan", "b": "Uzbekistan"}),
    ("agreements_between", {"a": "Kazakhstan", "b": "Uzbekistan"}),
    ("responses", {}),
    ("most_connected", {"limit": 8}),
)
EGO_TITLE = "Kazakhstan and Uzbekistan: direct ties and what they share"
EGO_TYPES = [
    "COOPERATES_WITH",
    "TRADES_WITH",
    "INVESTED_IN",
    "PARTY_TO",
    "MEMBER_OF",
    "PARTICIPATED_IN",
    "LEADS",
    "ADOPTED_AT",
]


def demo(
    data: DataOpt = None,
    home: HomeOpt = None,
    out: Annotated[Path, typer.Option(help="Folder for the maps.")] = Path("out"),
) -> None:
    """Build the article's graph on the embedded engine, print key answers, write two maps.

    Example: actorgraph demo --out out/
    """
    import time

    from rich.console import Console
    from rich.text import Text

    from actorgraph.commands.viz import MAIN_MAP_LABELS
    from actorgraph.graph.nodelink import count_graph, read_node_link
    from actorgraph.loaders import load
    from actorgraph.output import print_rows
    from actorgraph.output_paths import check_file, writing_to
    from actorgraph.queries.registry import ask, get_question
    from actorgraph.viz.maps import write_map

    started = time.perf_counter()
    main_map = out / "actorgraph-map.html"
    ego_map = out / "kazakhstan-uzbekistan.html"
    check_file(main_map, "--out", example="actorgraph-map.html")  # before any work
    console = Console(highlight=False)
    with engine_from_options(EngineName.embedded, home) as graph:
        loaded = load(data, graph)
        for message in loaded.notes:
            note(message)
        counts = count_graph(graph)
        totals = counts["totals"]
        console.print(
            Text.assemble(
                ("Built the graph", "bold"),
                f": {totals['nodes']} nodes and {totals['relationships']} relationships "
                f"from {loaded.files} files into {graph.describe()}",
            )
        )
        kinds = ", ".join(
            f"{counts['labels'].get(label, 0)} {label}"
            for label in ("Country", "Person", "Organization", "Agreement", "Event", "Claim")
        )
        console.print(f"  {kinds}", markup=False)
        for name, params in DEMO_QUESTIONS:
            rows = ask(graph, name, **params)
            print_rows(rows, title=get_question(name).question)
        full = read_node_link(graph)
    with writing_to(out, "--out"):
        shown = write_map(
            full,
            main_map,
            title="Kazakhstan–Uzbekistan relations and Central Asian cooperation",
            labels=MAIN_MAP_LABELS,
        )
        ego = write_map(
            full,
            ego_map,
            title=EGO_TITLE,
            focus=["Kazakhstan", "Uzbekistan"],
            hops=1,
            types=EGO_TYPES,
        )
    console.print(
        Text.assemble(
            ("Maps", "bold"),
            f" (open in a browser; they work offline):\n  {main_map.resolve()}  ({shown['nodes']} nodes)"
            f"\n  {ego_map.resolve()}  ({ego['nodes']} nodes)",
        )
    )
    err_console().print(f"done in {time.perf_counter() - started:.1f} s")


def register(app: typer.Typer) -> None:
    app.command()(demo)
