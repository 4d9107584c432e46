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
    """Print rows to stdout in `fmt`; tables escape markup so data is shown as text."""
    import sys

    if fmt == "json":
        sys.stdout.write(render_json(rows) + "\n")
        return
    if fmt == "csv":
        sys.stdout.write(render_csv(rows))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    table = Table(title=title, show_lines=False, expand=False)
    columns = list(rows[0]) if rows else []
    for column in columns:
        table.add_column(column, overflow="fold")
    from rich.text import Text

    for row in rows:
        table.add_row(*(Text(cell(row.get(column))) for column in columns))
    console.print(table)
    console.print(f"[dim]{len(rows)} row{'s' if len(rows) != 1 else ''}[/dim]")
