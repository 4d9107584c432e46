"""Read a data set's table, from R's `.rda`/`.rds` or from CSV, as numbered rows of plain values.

Row numbers are what a user would look up: the line of the file for CSV (the header is
line 1), the 1-based row of the data frame for R files. Every problem is reported as
`file:row: column: what is wrong`.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actorgraph.loaders.problems import DataError, Problem, display_path

R_SUFFIXES = (".rda", ".rdata", ".rds")
#: A row whose every value is missing is dropped rather than reported; a CSV this big is refused.
MAX_CSV_FIELD = 10_000


class DatasetError(DataError):
    """The input is not the named data set, or a row is wrong; nothing was written."""


@dataclass(frozen=True)
class Table:
    """A data set's rows, each with the number a user finds it by."""

    path: Path
    columns: tuple[str, ...]
    rows: list[tuple[int, dict[str, Any]]]


def read_table(path: Path, required: Sequence[str], *, label: str) -> Table:
    """Read `path` (.rda/.rds or .csv) and check it has the columns `required` of data set `label`."""
    name = display_path(path)
    if not path.is_file():
        raise DatasetError([Problem(name, 0, "file", "no such file")])
    if path.suffix.lower() in R_SUFFIXES:
        columns, rows = _read_r(path, name)
    elif path.suffix.lower() in (".csv", ".tsv", ".tab"):
        columns, rows = _read_csv(path, name, "\t" if path.suffix.lower() != ".csv" else ",")
    else:
        raise DatasetError([Problem(name, 0, "file", "expected an R data file (.rda, .rds) or a CSV file")])
    missing = [column for column in required if column not in columns]
    if missing:
        raise DatasetError(
            [
                Problem(
                    name,
                    1,
                    "columns",
                    f"this is not the {label} data set: missing {', '.join(missing)} (it has {', '.join(columns[:12])})",
                )
            ]
        )
    return Table(path, tuple(columns), rows)


def _read_r(path: Path, name: str) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    import pyreadr

    try:
        frames = pyreadr.read_r(str(path))
    except Exception as exc:  # pyreadr raises its own LibrdataError, and others for odd files
        raise DatasetError([Problem(name, 0, "file", f"cannot read it as an R data file ({exc})")]) from None
    if len(frames) != 1:
        found = ", ".join(str(key) for key in frames) or "nothing"
        raise DatasetError([Problem(name, 0, "file", f"expected one data frame, found {found}")])
    frame = next(iter(frames.values()))
    columns = [str(column) for column in frame.columns]
    rows = []
    for number, values in enumerate(frame.itertuples(index=False, name=None), 1):
        rows.append((number, {column: _plain(value) for column, value in zip(columns, values, strict=True)}))
    return columns, rows


def _plain(value: Any) -> Any:
    """pandas/numpy values as plain Python: missing -> None, whole floats stay floats (checked later)."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    if isinstance(value, str):
        return value
    if hasattr(value, "isoformat"):  # dates read from R's Date class
        return value.isoformat()[:10]
    return value


def _read_csv(path: Path, name: str, delimiter: str) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raw = path.read_bytes()
        line = raw[: exc.start].count(b"\n") + 1
        raise DatasetError([Problem(name, line, "file", "is not valid UTF-8: save it as UTF-8")]) from None
    if "\x00" in text:
        raise DatasetError([Problem(name, 0, "file", "contains NUL bytes: this is not a CSV file")])
    csv.field_size_limit(MAX_CSV_FIELD)
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter)
    try:
        header = next(reader, None)
        if not header:
            raise DatasetError([Problem(name, 1, "file", "the file is empty")])
        columns = [column.strip() for column in header]
        rows = []
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            number = reader.line_num
            if len(values) != len(columns):
                raise DatasetError(
                    [Problem(name, number, "row", f"has {len(values)} fields, the header has {len(columns)}")]
                )
            rows.append((number, {column: _csv_value(value) for column, value in zip(columns, values, strict=True)}))
    except csv.Error as exc:
        raise DatasetError([Problem(name, reader.line_num, "row", f"not valid CSV: {exc}")]) from None
    return columns, rows


def _csv_value(text: str) -> str | None:
    """CSV cells as text; R's and Stata's spellings of a missing value become None."""
    text = text.strip()
    return None if text in ("", "NA", ".", "NaN") else text
