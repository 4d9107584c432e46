"""`actorgraph ingest` (a draft data file from a new text) and `actorgraph sources` (sources with counts)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from actorgraph.commands.common import DataOpt, QuietOpt, engine_command, engine_from_options, err_console, fail
from actorgraph.commands.data import FormatOpt, OutputFormat, SourcesOpt


class Language(str, Enum):
    kk = "kk"
    ru = "ru"
    en = "en"


def ingest(
    file: Annotated[Path, typer.Argument(help="The text to read: UTF-8, one paragraph or line of prose per line.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Draft to write (default: ./FILE-STEM.draft.yaml).")
    ] = None,
    source_id: Annotated[
        str | None, typer.Option("--source-id", help="Id of the new Source node (default: source:FILE-STEM).")
    ] = None,
    language: Annotated[
        Language | None,
        typer.Option("--language", "-l", help="Language of the text (default: detected from its letters)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the output file if it exists.")] = False,
    data: DataOpt = None,
    sources: SourcesOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Read a new text and write a draft data file for a person to review before it loads.

    The draft holds a Source node for the text, a MENTIONED_IN (with every line) for each
    node of the graph the text names, in any language and inflected form, `candidates:`
    for names the graph does not know yet, and `suggestions:` for known actors named in
    one sentence. `actorgraph validate` refuses the draft until both lists are reviewed.
    An existing file is never overwritten without --force.

    Examples:
      actorgraph ingest news.txt -o data/kz-uz-relations/80-news.yaml
      actorgraph ingest interview.txt --language ru --source-id source:interview-2023
      actorgraph validate && actorgraph build
    """
    from actorgraph.commands.data import writing_status
    from actorgraph.graph import schema
    from actorgraph.ingest import build_matcher, ingest, known_from_dataset
    from actorgraph.ingest.draft import render
    from actorgraph.ingest.reading import read_text
    from actorgraph.output_paths import write_text_atomically

    output = output or Path(f"{file.stem}.draft.yaml")
    if source_id is not None and (not source_id.startswith("source:") or not schema.ID_PATTERN.match(source_id)):
        fail(f"--source-id {source_id!r}: expected source:SLUG in lower-case ASCII, e.g. source:interview-2023", 2)
    if output.exists() and not force:
        fail(f"{output} exists; pass --force to overwrite it (nothing was written)", 2)
    if output.exists() and output.is_dir():
        fail(f"{output} is a folder; name a file to write", 2)
    text = read_text(file)  # bad input is refused before the graph's names are loaded (an IngestError: exit 2)
    dataset = _known_data(data, sources, quiet)
    known, props = known_from_dataset(dataset)
    taken = {node.id for node in dataset.nodes}
    with writing_status(f"reading {file}", len(text.lines), quiet=quiet):
        matcher, nodes = build_matcher(known, props)
        lang = language.value if language else None
        draft = ingest(file, matcher, nodes, language=lang, source_id=source_id, text=text)
    if draft.source_id in taken:
        fail(f"the graph already has a node {draft.source_id!r}; choose another --source-id", 2)
    same = [
        node.id for node in dataset.nodes if "Source" in node.labels and node.props.get("sha256") == draft.text.sha256
    ]
    if same:
        draft.notes.append(f"this text is already in the graph as {same[0]}")
    try:
        write_text_atomically(output, render(draft), mode=0o644)  # never half a draft
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror or exc}", 2)
    if quiet:
        return
    console = err_console()
    for note in draft.notes:
        console.print(f"[yellow]note:[/] {note}")
    lines = len({line for found in draft.mentions.values() for line in found})
    typer.echo(
        f"wrote {output}: {len(draft.mentions)} known nodes on {lines} lines, "
        f"{len(draft.candidates)} candidates, {len(draft.suggestions)} suggestions ({draft.language})"
    )
    if draft.candidates or draft.suggestions:
        typer.echo(f"review `candidates:` and `suggestions:` in {output}, then: actorgraph validate")


def _known_data(data: Path | None, sources: Path | None, quiet: bool) -> Any:
    """The curated data whose names a new text is searched for.

    Drafts still under review (open `candidates:` or `suggestions:`) are left out with a
    note, so a second text can be ingested while the first one is being reviewed; any
    other problem in the data stops here, as `validate` would.
    """
    from actorgraph.commands.data import read_valid_dataset
    from actorgraph.config import data_dir
    from actorgraph.loaders import DataError, read
    from actorgraph.loaders.problems import display_path
    from actorgraph.loaders.reader import REVIEW_SECTIONS, data_files

    folder = data_dir(data)
    try:
        return read(folder, sources)
    except DataError as exc:
        under_review = {p.file for p in exc.problems if p.field in REVIEW_SECTIONS}
        if not under_review or any(p.file not in under_review for p in exc.problems):
            return read_valid_dataset(data, sources, quiet=True)  # prints every problem, exits 2
    if not quiet:
        for name in sorted(under_review):
            err_console().print(f"[yellow]note:[/] {name} is still under review: its names are not used")
    kept = [path for path in data_files(folder) if display_path(path) not in under_review]
    if not kept:
        fail(f"{folder}: every data file is a draft under review; nothing is known to look for", 2)
    return read_valid_dataset(kept, sources, quiet=True)


def sources_cmd(
    fmt: FormatOpt = OutputFormat.table,
    *,
    engine_options: dict[str, Any],
) -> None:
    """List the sources in the graph, with how many nodes, relationships and mentions each gives.

    `corroborated` counts the relationships of a source that another source states too
    (see `actorgraph ask corroborated`).

    Example: actorgraph sources --format json
    """
    from actorgraph.output import print_rows
    from actorgraph.queries.sources import source_counts

    with engine_from_options(**engine_options) as graph:
        rows = source_counts(graph)
    print_rows(rows, fmt.value, title="Sources" if fmt == OutputFormat.table else None)


def register(app: typer.Typer) -> None:
    app.command()(ingest)
    app.command("sources")(engine_command(sources_cmd))
