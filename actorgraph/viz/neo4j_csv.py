"""The CSV folder `neo4j-admin database import full` reads back whole: every property equal.

`nodes.csv` and `relationships.csv` with typed headers (`id:ID`, `:LABEL`, `line:long`,
`amount:double`, `aliases:string[]`, `:START_ID`, `:END_ID`, `:TYPE`), the types taken
from the schema (or from the values, for properties it does not list).

Two things the import tool's defaults cannot carry, handled here rather than lost:
- a value that spans lines (a multi-line `description`) is quoted, and the import then
  needs `--multiline-fields=true`;
- list items are joined with `;`, unless an item contains one ("Roe; Jane"): then the
  first of `|`, `¦` and the ASCII unit separator that no item contains is used, and the
  import needs `--array-delimiter` with it.
`import_command` gives the exact command with the options the files need.

The folder and its files are readable by others (as `mkdir` and `open` make them under
the user's umask), so a Neo4j running as another user can import them.
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actorgraph.graph.neo4j_import import HEADER_TYPES  # neo4j-admin's header types for ours: one table
from actorgraph.graph.nodelink import LINK_SOURCE_KEY
from actorgraph.graph.spool import ARRAY_DELIMITERS, GraphRecords, records_of
from actorgraph.viz.exports import ExportError, columns_of

NODES_FILE = "nodes.csv"
RELATIONSHIPS_FILE = "relationships.csv"


@dataclass(frozen=True)
class CsvLayout:
    """What the files need from the import tool: their array delimiter, and multi-line fields."""

    array_delimiter: str = ";"
    multiline: bool = False

    def import_options(self) -> list[str]:
        """The options `neo4j-admin database import full` needs beyond its defaults."""
        options = []
        if self.array_delimiter != ";":
            options.append(f"--array-delimiter=U+{ord(self.array_delimiter):04X}")
        if self.multiline:
            options.append("--multiline-fields=true")
        return options

    def import_command(self, folder: Path | str, database: str = "neo4j") -> str:
        """The whole command, with the files in `folder` (as the import tool will see it)."""
        files = [f"--nodes={Path(folder) / NODES_FILE}", f"--relationships={Path(folder) / RELATIONSHIPS_FILE}"]
        return " ".join(["neo4j-admin database import full", database, *files, *self.import_options()])


def layout_for(data: dict[str, Any] | GraphRecords) -> CsvLayout:
    """The array delimiter and multi-line setting `data`'s values need (node-link, or a spool)."""
    tally = records_of(data).tally
    for delimiter in ARRAY_DELIMITERS:
        if delimiter not in tally.delimiters_used:
            return CsvLayout(delimiter, tally.multiline)
    raise ExportError(
        "csv: every array delimiter neo4j-admin could use ("
        + ", ".join(repr(d) for d in ARRAY_DELIMITERS)
        + ") occurs in a list item; the lists cannot be written so that they import whole"
    )


def _columns(signatures: dict[str, set[Any]], skip: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(property, header, value type) for every property but `skip`, sorted."""
    return [(key, f"{key}:{HEADER_TYPES.get(kind, 'string')}", kind) for key, kind in columns_of(signatures, skip)]


def _cell(value: Any, delimiter: str) -> str:
    if value is None:
        return ""  # neo4j-admin leaves the property out
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return delimiter.join(_cell(item, delimiter) for item in value)
    return str(value)


def _cells(values: Iterable[Any], delimiter: str) -> list[str]:
    """`_cell` of each value, text as it is (most cells: no call)."""
    return [value if type(value) is str else _cell(value, delimiter) for value in values]


def _link_signatures(records: GraphRecords) -> dict[str, set[Any]]:
    """The links' property signatures keyed as in the graph: provenance back under `source`, end points apart."""
    signatures: dict[str, set[Any]] = {}
    for key, sigs in records.tally.link_signatures.items():
        if key not in ("source", "target", "type"):
            signatures.setdefault("source" if key == LINK_SOURCE_KEY else key, set()).update(sigs)
    return signatures


def write_csv(data: dict[str, Any] | GraphRecords, folder: Path) -> CsvLayout:
    """Write `folder`/nodes.csv and relationships.csv (replacing an earlier export there); return their layout.

    An existing `folder` that holds anything but an earlier export is left alone (ExportError).
    """
    records = records_of(data)
    layout = layout_for(records)
    _check_replaceable(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    try:
        _readable_by_others(staging)
        node_columns = _columns(records.tally.node_signatures, ("id", "labels"))
        with open(staging / NODES_FILE, "w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(["id:ID", ":LABEL", *(header for _, header, _ in node_columns)])
            keys = [key for key, _, _ in node_columns]
            for node in records.nodes():
                cells = _cells(map(node.get, keys), layout.array_delimiter)
                writer.writerow([node["id"], layout.array_delimiter.join(node.get("labels", [])), *cells])
        ends = (":START_ID", ":END_ID", ":TYPE")
        link_columns = _columns(_link_signatures(records), ends)
        with open(staging / RELATIONSHIPS_FILE, "w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow([*ends, *(header for _, header, _ in link_columns)])
            keys = [LINK_SOURCE_KEY if key == "source" else key for key, _, _ in link_columns]  # the links' own names
            for link in records.links():
                cells = _cells(map(link.get, keys), layout.array_delimiter)
                writer.writerow([link["source"], link["target"], link["type"], *cells])
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return layout


def _check_replaceable(folder: Path) -> None:
    """Refuse to replace a file, or a folder that holds more than an earlier CSV export."""
    if not folder.exists():
        return
    if not folder.is_dir():
        raise ExportError(f"{folder}: exists and is not a folder; csv writes a folder of two files")
    others = sorted(path.name for path in folder.iterdir() if path.name not in (NODES_FILE, RELATIONSHIPS_FILE))
    if others:
        raise ExportError(
            f"{folder}: holds other files ({', '.join(others[:3])}{', ...' if len(others) > 3 else ''}); "
            "csv replaces the whole folder, so give an empty or new one"
        )


def _readable_by_others(folder: Path) -> None:
    """Give a `mkdtemp` folder (0700) the mode `mkdir` would: the user's umask decides."""
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)
