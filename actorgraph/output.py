"""Render query rows as a rich table, JSON or CSV (shared by `query`, `ask` and the console)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, is_dataclass
from typing import Any

FORMATS = ("table", "json", "csv")


def jsonable(value: Any) -> Any:
    """Engine values (nodes, relationships, paths, dates) as JSON-friendly data."""
    from actorgraph.graph.engine import Node, Path, Relationship

    if isinstance(value, Node):
        return {"labels": value.labels, **{k: jsonable(v) for k, v in value.properties.items()}}
    if isinstance(value, Relationship):
        return {"type": value.type, **{k: jsonable(v) for k, v in value.properties.items()}}
    if isinstance(value, Path):
        return {
            "nodes": [jsonable(n) for n in value.nodes],
            "relationships": [jsonable(r) for r in value.relationships],
        }
    if is_dataclass(value) and not isinstance(value, type):
        return jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def cell(value: Any) -> str:
    """One value as short text for a table or CSV cell."""
    value = jsonable(value)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return "; ".join(str(v) for v in value)
    return json.dumps(value, ensure_ascii=False)


def render_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps([jsonable(row) for row in rows], ensure_ascii=False, indent=2)


def render_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    columns = list(rows[0]) if rows else []
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(column)) for column in columns])
    return buffer.getvalue()


def print_rows(rows: list[dict[str, Any]], fmt: str = "table", *, title: str | None = None) -> None:
    """Print rows to stdout in `fmt`; tables show every value, header and title as text, never markup."""
    import sys

    if fmt == "json":
        sys.stdout.write(render_json(rows) + "\n")
        return
    if fmt == "csv":
        sys.stdout.write(render_csv(rows))
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    columns = list(rows[0]) if rows else []
    cells = [[cell(row.get(column)) for column in columns] for row in rows]
    widths = column_widths([[column, *(row[i] for row in cells)] for i, column in enumerate(columns)], console.width)
    if widths is None:  # too many columns for whole words side by side: one block per row instead
        console.print(record_blocks(columns, cells, title=title))
    else:
        console.print(text_table(columns, cells, widths, title=title))
    console.print(Text(f"{len(rows)} row{'s' if len(rows) != 1 else ''}", style="dim"))


def record_blocks(columns: list[str], cells: list[list[str]], *, title: str | None = None) -> Any:
    """Rows as blocks of `column  value` lines (as psql's expanded mode), for terminals too narrow for a table."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title) if title else None, show_header=False, expand=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for row in cells:
        for index, (column, value) in enumerate(zip(columns, row, strict=True)):
            table.add_row(Text(column), Text(value), end_section=index == len(columns) - 1)
    return table


def text_table(
    columns: list[str], cells: list[list[str]], widths: list[int | None], *, title: str | None = None
) -> Any:
    """A rich Table of plain-text cells whose columns are wide enough for their longest words.

    rich narrows the widest columns first when a table is too wide, and folds whatever
    no longer fits, even in the middle of a word (`Kassym-Jomart` became `Kassym-Jomar` /
    `t` at 80 columns). Here each column gets at least its longest word (up to
    `MAX_WORD_WIDTH`) and the rest of the width goes to the columns with the most text,
    so cells wrap at spaces; only a word longer than that is folded.
    """
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title) if title else None, show_lines=False, expand=False)
    for column, column_width in zip(columns, widths, strict=True):
        table.add_column(Text(column), overflow="fold", width=column_width)
    for row in cells:
        table.add_row(*(Text(value) for value in row))
    return table


#: A column is never narrowed below its longest word, up to this many cells.
MAX_WORD_WIDTH = 24


def column_widths(columns: list[list[str]], width: int) -> list[int | None] | None:
    """Content widths for columns of text (header first) in a table `width` cells wide; None = rich decides.

    Columns that fit together keep their natural width. Otherwise each column gets its
    longest word (at most `MAX_WORD_WIDTH`), and what is left is shared out in
    proportion to how much more text each column holds. When not even the longest
    words fit side by side, None: the rows are better shown one block each.
    """
    from rich.cells import cell_len

    if not columns:
        return []
    available = width - (3 * len(columns) + 1)  # borders and one space of padding on each side
    longest = [max((cell_len(line) for text in column for line in text.splitlines()), default=0) for column in columns]
    if sum(longest) <= available:
        return [None] * len(columns)
    words = [
        min(MAX_WORD_WIDTH, max((cell_len(word) for text in column for word in text.split()), default=1))
        for column in columns
    ]
    words = [min(word, whole) or 1 for word, whole in zip(words, longest, strict=True)]
    spare = available - sum(words)
    if spare < 0:
        return None
    wants = [whole - word for word, whole in zip(words, longest, strict=True)]
    total = sum(wants) or 1
    shares = [word + spare * want // total for word, want in zip(words, wants, strict=True)]
    for index in sorted(range(len(shares)), key=lambda i: -wants[i])[: available - sum(shares)]:
        shares[index] += 1  # the cells lost to rounding, to the columns that want most
    return [min(share, whole) for share, whole in zip(shares, longest, strict=True)]
