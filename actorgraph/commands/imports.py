"""`actorgraph import`: the standard political-science data sets as data files joined to the graph."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from actorgraph.commands.common import DataOpt, QuietOpt, err_console


class DatasetName(str, Enum):
    archigos = "archigos"
    cow_states = "cow-states"
    gw_states = "gw-states"
    atop = "atop"


def import_cmd(
    dataset: Annotated[DatasetName, typer.Argument(help="Which data set the file holds.")],
    path: Annotated[Path, typer.Argument(help="The data set: an .rda/.rds file (peacesciencer) or its CSV.")],
    out: Annotated[Path, typer.Option("--output", "-o", help="Folder to write <dataset>.jsonl into.")],
    data: DataOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Convert a standard data set into data files, joined to the actors the curated data has.

    Writes OUT/<dataset>.jsonl: one Source node for the data set (citation, version,
    sha256 of the file) and records whose provenance is the input row (`line`) and its
    key fields (`evidence`). Countries join the curated ones through ISO codes; leaders
    join by country, overlapping dates and name across scripts. Uncertain joins are
    not made: they are printed and listed in OUT/<dataset>.review.txt (input:row, the
    row's key fields and the node or nodes it may be). Import the states before the data sets that use
    their codes (gw-states before archigos, cow-states before atop), into one folder,
    then build the curated data and the folder together.

    Examples:
      actorgraph import cow-states cow_states.rda -o imports/
      actorgraph import gw-states gw_states.rda -o imports/
      actorgraph import archigos archigos.rda -o imports/
      actorgraph import atop atop_alliance.rda -o imports/
      actorgraph build --data data --data imports
    """
    from actorgraph.config import data_dir
    from actorgraph.datasets import convert
    from actorgraph.errors import OutputPathError
    from actorgraph.loaders.problems import display_path
    from actorgraph.output_paths import writing_to

    if out.exists() and not out.is_dir():
        raise OutputPathError(f"--output {out}: not a folder")
    console = err_console()
    # a DatasetError (a DataError: every problem, exit 2) reaches cli.main, which shows it
    with console.status(f"importing {dataset.value}", spinner="dots") if not quiet else _nothing(), writing_to(out):
        result = convert(dataset.value, path, out, data=data_dir(data))
    for line in result.uncertain:
        console.print(f"review: {line}", markup=False, highlight=False, soft_wrap=True)
    if not quiet:
        for line in result.joined:
            console.print(f"joined: {line}", markup=False, highlight=False, soft_wrap=True)
        to_review = f", listed in {display_path(result.review)}" if result.review else ""
        typer.echo(
            f"wrote {result.nodes} nodes and {result.relations} relationships to {display_path(result.output)} "
            f"({len(result.joined)} joined to existing nodes, {len(result.uncertain)} to review{to_review})"
        )


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def register(app: typer.Typer) -> None:
    app.command("import")(import_cmd)
