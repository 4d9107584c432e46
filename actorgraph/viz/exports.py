"""Exports of a node-link graph to files, atomically: GraphML and GEXF, CSV for neo4j-admin.

The writers live in their own modules (`gephi.py`: GraphML and GEXF; `neo4j_csv.py`: the
`neo4j-admin database import` folder; `ftm.py`: FollowTheMoney entities); this one picks
the writer and owns what they share: writing without leaving half a file, and the type
of each property column.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from actorgraph.errors import UsageError
from actorgraph.graph import schema
from actorgraph.graph.spool import GraphRecords, records_of, signature
from actorgraph.output_paths import write_atomically


class ExportError(UsageError, ValueError):
    """An export that cannot be written as asked (the message says why); nothing was written (exit status 2)."""


def value_type(key: str, values: Iterable[Any]) -> str:
    """The type of property `key` in the schema's words (`str`, `int`, `float`, `bool`, `list[str]`, ...).

    The schema's type when every value fits it, else the one the values share (`str` at worst),
    so a column never claims a type one of its values does not have.
    """
    return type_of_signatures(key, {signature(value) for value in values if value is not None})


def type_of_signatures(key: str, signatures: Iterable[Any]) -> str:
    """`value_type` from the values' signatures (`spool.signature`: a type, or a list's item types)."""
    present = list(signatures)
    declared = schema.PROPERTIES[key].type if key in schema.PROPERTIES else None
    declared = {"date": "str", "number": "float"}.get(declared or "", declared)
    if declared and all(_fits(sig, declared) for sig in present):
        return declared
    for candidate in ("bool", "int", "float", "list[int]", "list[str]"):
        if present and all(_fits(sig, candidate) for sig in present):
            return candidate
    return "str"


def _fits(sig: Any, kind: str) -> bool:
    """Whether values of signature `sig` fit `kind` (bool is not an int here, an int is a float)."""
    if kind.startswith("list["):
        return isinstance(sig, tuple) and all(_fits(item, kind[5:-1]) for item in sig[1])
    return sig in {"bool": (bool,), "int": (int,), "float": (int, float)}.get(kind, (str,))


def columns_of(
    signatures: dict[str, set[Any]], skip: tuple[str, ...], added: dict[str, set[Any]] | None = None
) -> list[tuple[str, str]]:
    """(property, value type) for every property that has a value, but `skip`, plus `added`; sorted."""
    every = {key: sigs for key, sigs in signatures.items() if key not in skip} | (added or {})
    return [(key, type_of_signatures(key, every[key])) for key in sorted(every)]


def _text_file(path: Path, write: Any) -> None:
    """Write a UTF-8 text file atomically through `write(stream)`."""

    def run(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="\n") as stream:
            write(stream)

    write_atomically(path, run)


def write_export(data: dict[str, Any] | GraphRecords, fmt: str, path: Path, *, dynamic: bool = False) -> str | None:
    """Write `data` (node-link, or a spool) as json, graphml, gexf (static, or a timeline with `dynamic`),
    csv (a folder) or ftm; atomically.

    Returns what the user needs to know to use the files, if anything (the import command for csv).
    """
    from actorgraph.viz import gephi

    if fmt == "json":
        from actorgraph.viz.nodelink_json import write_node_link

        _text_file(path, lambda stream: write_node_link(records_of(data), stream))
    elif fmt == "graphml":
        _text_file(path, lambda stream: gephi.write_graphml(data, stream))
    elif fmt == "gexf":
        _text_file(path, lambda stream: gephi.write_gexf(data, stream, dynamic=dynamic))
    elif fmt == "csv":
        from actorgraph.viz.neo4j_csv import write_csv

        layout = write_csv(data, path)
        return f"import it with: {layout.import_command(path)}"
    elif fmt == "ftm":
        left_out: list[Any] = []
        _text_file(path, lambda stream: left_out.append(write_ftm_entities(data, stream)))
        return ftm_note(left_out[0])
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return None


def write_ftm_entities(data: dict[str, Any] | GraphRecords, stream: Any) -> Any:
    """FollowTheMoney entities, one per line (`ftm.py`); ExportError when the package is missing.

    FtM folds relationships into the entities at their ends, so the nodes are all held in
    memory; the links pass one at a time.
    """
    try:
        import followthemoney  # noqa: F401
    except ImportError as exc:  # pragma: no cover - followthemoney is an optional dependency
        raise ExportError(
            f"--format ftm needs the followthemoney package: pip install 'actorgraph[ftm]' ({exc})"
        ) from None
    from actorgraph.viz.ftm import write_ftm

    records = records_of(data)
    return write_ftm({"nodes": list(records.nodes()), "links": records.links()}, stream)


def ftm_note(left_out: Any) -> str | None:
    """What an FtM export left out (FtM has no schema for it), as one line, or None."""
    if not left_out:
        return None
    return "left out (no FollowTheMoney schema fits): " + ", ".join(
        f"{n} {kind}" for kind, n in sorted(left_out.items())
    )
