"""A build written straight into the CSV folder `neo4j-admin database import full` reads.

The fastest first load of a large graph into Neo4j: the loaders validate the data as
for any build and hand their rows to `ImportFolder`, an engine that writes them as CSV
instead of sending them over Bolt. The offline import tool then fills an empty (or
overwritten) database in one pass, far faster than Cypher can (bench/RESULTS.md,
"Neo4j loads at 1M: online and offline"); `actorgraph schema --apply --engine neo4j`
adds the indexes afterwards. The route, with docker compose: docs/neo4j-offline-import.md.

Rows are written as they arrive, so a property's column and type are known only at the
end: each file's header goes into a file of its own (`nodes.header.csv`), which the
import tool reads before the data (`--nodes=header,data`). A row ends at its last
property with a value; the import tool reads missing trailing fields as no value.
List items are joined with U+001F, which validation refuses in every text
(`records.XML_INVALID`), so no item can hold it. The folder is written beside its
final place and renamed into it: a failure leaves the previous folder as it was.
"""

from __future__ import annotations

import csv
import os
import shlex
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actorgraph.graph.engine import Engine, EngineError, ProgressCallback, QueryError, Row, Statement
from actorgraph.graph.spool import signature
from actorgraph.graph.writes import DEFAULT_BATCH_SIZE, NodeWrite, Write

NODES = "nodes.csv"
NODES_HEADER = "nodes.header.csv"
RELATIONSHIPS = "relationships.csv"
RELATIONSHIPS_HEADER = "relationships.header.csv"
FILES = (NODES_HEADER, NODES, RELATIONSHIPS_HEADER, RELATIONSHIPS)
ARRAY_DELIMITER = "\x1f"
#: neo4j-admin's header types for the schema's (`exports.type_of_signatures`).
HEADER_TYPES = {
    "str": "string",
    "int": "long",
    "float": "double",
    "bool": "boolean",
    "list[str]": "string[]",
    "list[int]": "long[]",
    "list[float]": "double[]",
    "list[bool]": "boolean[]",
}
#: Rows between two progress reports.
PROGRESS_EVERY = 10_000


@dataclass(frozen=True)
class ImportPlan:
    """What was written and the import command that reads it."""

    folder: Path
    nodes: int
    relationships: int
    multiline: bool

    def command(self, folder: Path | str | None = None, database: str = "neo4j") -> list[str]:
        """`neo4j-admin database import full` for these files, as seen at `folder` (default: where they are)."""
        where = Path(folder) if folder is not None else self.folder
        options = [
            f"--nodes={where / NODES_HEADER},{where / NODES}",
            f"--relationships={where / RELATIONSHIPS_HEADER},{where / RELATIONSHIPS}",
            f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}",
        ]
        if self.multiline:
            options.append("--multiline-fields=true")
        return ["neo4j-admin", "database", "import", "full", database, "--overwrite-destination", *options]


class _Columns:
    """Property columns in the order they were first seen, with every value's signature."""

    def __init__(self, skip: str = "") -> None:
        self.index: dict[str, int] = {}
        self.signatures: list[set[Any]] = []
        self.multiline = False
        self.skip = skip  # a node's `id` is its `id:ID` column, stored as the property `id`
        self.shapes: dict[tuple[tuple[str, ...], tuple[type, ...]], bool | int] = {}

    def cells(self, props: dict[str, Any]) -> list[str]:
        """`props` as CSV cells in column order (empty where a property has no value; none after the last).

        Most rows have a shape seen before (the same keys in the same order, values of the same
        scalar types, in the columns' order): those become `str()` of each value in one step.
        """
        values = list(props.values())
        shape = (tuple(props), tuple(map(type, values)))
        fast = self.shapes.get(shape)
        if fast is None:
            fast = self.shapes[shape] = self._fast(props)
        if fast is False:
            return self._cells(props)
        texts = list(map(str, values))
        if fast is not True:
            del texts[fast]  # the skipped key's place
        if not self.multiline:
            joined = "".join(texts)
            self.multiline = "\n" in joined or "\r" in joined
        return texts

    def _fast(self, props: dict[str, Any]) -> bool | int:
        """Whether rows shaped like `props` can take the fast way: True, the skipped key's place, or False."""
        if not all(type(value) in (str, int, float) for value in props.values()):
            return False
        self._cells(props)  # gives new keys their columns and records the types
        keys = [key for key in props if key != self.skip]
        if [self.index[key] for key in keys] != list(range(len(keys))):
            return False
        return list(props).index(self.skip) if self.skip in props else True

    def _cells(self, props: dict[str, Any]) -> list[str]:
        """`cells` one value at a time (lists, booleans, missing values, columns out of order)."""
        row: list[str] = []
        for key, value in props.items():
            if value is None or key == self.skip:
                continue
            at = self.index.get(key)
            if at is None:
                at = self.index[key] = len(self.signatures)
                self.signatures.append(set())
            if isinstance(value, list):
                self.signatures[at].add(signature(value))
                text = ARRAY_DELIMITER.join(_scalar(item) for item in value)
            else:
                self.signatures[at].add(type(value))
                text = _scalar(value)
            if not self.multiline and ("\n" in text or "\r" in text):
                self.multiline = True
            if at >= len(row):
                row.extend([""] * (at + 1 - len(row)))
            row[at] = text
        return row

    def header(self, fixed: list[str]) -> list[str]:
        """The header row: the fixed columns, then every property with its type."""
        from actorgraph.viz.exports import type_of_signatures

        names = sorted(self.index, key=self.index.__getitem__)
        return [
            *fixed,
            *(f"{name}:{HEADER_TYPES[type_of_signatures(name, self.signatures[self.index[name]])]}" for name in names),
        ]


def _scalar(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return value if isinstance(value, str) else str(value)


class ImportFolder(Engine):
    """A write-only engine: `replace_graph_rows` writes the folder `neo4j-admin database import full` reads."""

    name = "neo4j-import"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.plan: ImportPlan | None = None

    def replace_graph_rows(
        self,
        rows: Iterable[Write],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        progress: ProgressCallback | None = None,
    ) -> None:
        """Write `rows` as the import folder; a failure (bad data found midway) leaves the previous folder."""
        check_replaceable(self.folder)
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=self.folder.parent, prefix=f".{self.folder.name}."))
        try:
            _readable_by_others(staging)
            nodes, relationships, multiline = _write(staging, rows, progress)
            if self.folder.exists():
                shutil.rmtree(self.folder)
            os.replace(staging, self.folder)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self.plan = ImportPlan(self.folder, nodes, relationships, multiline)

    def replace_graph(self, statements: Iterable[Statement], *, progress: ProgressCallback | None = None) -> None:
        raise EngineError("an import folder is written from rows, not from Cypher statements")

    def run(self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[Row]:
        raise QueryError(f"{self.describe()} cannot be queried: import it into Neo4j first")

    def stream(self, cypher: str, params: dict[str, Any] | None = None) -> Iterator[Row]:
        raise QueryError(f"{self.describe()} cannot be queried: import it into Neo4j first")

    def ensure_schema(self) -> None:
        """Nothing to do here: `actorgraph schema --apply --engine neo4j` indexes the imported database."""

    def count_stored(self) -> None:
        """Nothing to do here: `actorgraph schema --apply --engine neo4j` counts on the imported database."""

    def describe(self) -> str:
        return f"the neo4j-admin import folder {self.folder}"

    def close(self) -> None:
        """Nothing held open."""


def _write(folder: Path, rows: Iterable[Write], progress: ProgressCallback | None) -> tuple[int, int, bool]:
    """Write the four files into `folder`; return the counts and whether a value spans lines."""
    node_columns, link_columns = _Columns(skip="id"), _Columns()
    nodes = relationships = 0
    done = 0
    with (
        open(folder / NODES, "w", newline="", encoding="utf-8") as node_file,
        open(folder / RELATIONSHIPS, "w", newline="", encoding="utf-8") as link_file,
    ):
        node_row, link_row = (
            csv.writer(node_file, lineterminator="\n").writerow,
            csv.writer(link_file, lineterminator="\n").writerow,
        )
        for row in rows:
            if isinstance(row, NodeWrite):
                node_row([row.id, ARRAY_DELIMITER.join(row.labels), *node_columns.cells(row.props)])
                nodes += 1
            else:
                link_row([row.source, row.target, row.type, *link_columns.cells(row.props)])
                relationships += 1
            done += 1
            if progress and done == PROGRESS_EVERY:
                progress(done)
                done = 0
    if progress and done:
        progress(done)
    _header(folder / NODES_HEADER, node_columns.header(["id:ID", ":LABEL"]))
    _header(folder / RELATIONSHIPS_HEADER, link_columns.header([":START_ID", ":END_ID", ":TYPE"]))
    return nodes, relationships, node_columns.multiline or link_columns.multiline


def _header(path: Path, header: list[str]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as stream:
        csv.writer(stream, lineterminator="\n").writerow(header)


def check_replaceable(folder: Path) -> None:
    """Refuse a file, or a folder holding anything but an earlier import folder (it is replaced whole)."""
    from actorgraph.errors import OutputPathError

    if not folder.exists():
        return
    if not folder.is_dir():
        raise OutputPathError(f"--offline-import {folder}: exists and is not a folder")
    others = sorted(path.name for path in folder.iterdir() if path.name not in FILES)
    if others:
        raise OutputPathError(
            f"--offline-import {folder}: holds other files ({', '.join(others[:3])}"
            f"{', ...' if len(others) > 3 else ''}); it is replaced whole, so give an empty or new folder"
        )


def _readable_by_others(folder: Path) -> None:
    """Give a `mkdtemp` folder (0700) the mode `mkdir` would, so a Neo4j running as another user can read it."""
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)


#: Where docker-compose.yml mounts `./import` in the Neo4j container.
COMPOSE_IMPORT = Path("/import")


def next_steps(plan: ImportPlan, here: Path | None = None) -> str:
    """The commands that import `plan`'s folder: with docker compose when it lies under `here`/import."""
    folder = plan.folder.resolve()
    try:
        inside: Path | None = COMPOSE_IMPORT / folder.relative_to((here or Path.cwd()).resolve() / "import")
    except ValueError:
        inside = None
    if inside is not None:
        return "\n".join(
            [
                "with docker-compose.yml (run here; ./import is /import in the container; the import replaces "
                "the database `neo4j`):",
                "  docker compose stop neo4j",
                f"  docker compose run --rm neo4j {shlex.join(plan.command(inside))}",
                "  docker compose up -d --wait",
                "  actorgraph schema --apply --engine neo4j",
            ]
        )
    return "\n".join(
        [
            "with the Neo4j server stopped (the import replaces the database `neo4j`):",
            f"  {shlex.join(plan.command())}",
            "  then start the server and run: actorgraph schema --apply --engine neo4j",
            "(with docker-compose.yml, write the folder under ./import, which the container sees as /import)",
        ]
    )
