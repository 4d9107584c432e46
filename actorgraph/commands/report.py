"""`actorgraph report`: the curation report (what is in the data, what is missing)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from actorgraph.commands.common import DataOpt
from actorgraph.commands.data import FormatOpt, OutputFormat, SourcesOpt, read_valid_dataset


def report(
    data: DataOpt = None,
    sources: SourcesOpt = None,
    bucket: Annotated[int, typer.Option(min=5, help="Lines per range in the coverage table.")] = 50,
    min_gap: Annotated[int, typer.Option(min=1, help="Shortest uncited stretch (non-blank lines) to list.")] = 5,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Show what the curated data holds and which stretches of each source no fact cites.

    Counts per label and type, nodes with no relationship, facts per line range, the
    stretches of the source text that nothing is drawn from yet, the problems recorded
    in the sources themselves (caveats), and facts that say more than their line
    (an expectation stated as fact, a reply without a note; see data/README.md).

    Example: actorgraph report --bucket 100
    """
    from dataclasses import asdict

    from rich.console import Console
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    from actorgraph.config import data_dir, sources_dirs
    from actorgraph.loaders.report import curation_report

    dataset = read_valid_dataset(data, sources, quiet=True)
    result = curation_report(dataset, sources_dirs(data_dir(data), sources), bucket=bucket, min_gap=min_gap)
    if fmt == OutputFormat.json:
        typer.echo(json.dumps(asdict(result), ensure_ascii=False, indent=2))
        return
    console = Console(highlight=False)
    counts = Table(title="Nodes per label and relationships per type")
    counts.add_column("label / type")
    counts.add_column("count", justify="right")
    for name, count in [*result.labels.items(), *result.types.items()]:
        counts.add_row(name, str(count))
    console.print(counts)
    console.print(
        f"Nodes without any relationship ({len(result.isolated)}): " + (", ".join(result.isolated) or "none"),
        markup=False,
    )
    for source, ranges in result.per_range.items():
        table = Table(title=f"Facts per line range of {source}")
        table.add_column("lines")
        table.add_column("facts", justify="right")
        for span, count in ranges.items():
            table.add_row(span, str(count))
        console.print(table)
        gaps = result.gaps.get(source, [])
        listing = ", ".join(f"{a}-{b}" for a, b in gaps) or "none"
        console.print(f"Stretches of {source} no fact cites ({len(gaps)}): {listing}", markup=False)
    console.print(f"Problems in the sources themselves ({len(result.caveats)} caveats):", markup=False)
    for row in result.caveats:
        console.print(Padding(Text(f"{row['source']} line {row['line']}: {row['record']}"), (0, 0, 0, 2)))
        console.print(Padding(Text(str(row["caveat"])), (0, 0, 0, 4)))
    console.print(f"Facts that say more than their line ({len(result.fidelity)}):", markup=False)
    for finding in result.fidelity:
        console.print(Padding(Text(finding), (0, 0, 0, 2)))


def register(app: typer.Typer) -> None:
    app.command()(report)
