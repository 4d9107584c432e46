"""Exports of a node-link graph: GraphML and GEXF (Gephi), CSV for `neo4j-admin database import`.

GraphML and GEXF attributes must be scalars, so list properties are joined with `;`
labels are written as `Actor;Leader;Person`, and a relationship's type is its `relationship`
(and `label`) attribute, since GEXF reserves `type`. The CSV folder has `nodes.csv` and
`relationships.csv` with the typed headers neo4j-admin reads (`id:ID`, `:LABEL`,
`line:int`, `aliases:string[]`, `:START_ID`, `:END_ID`, `:TYPE`), derived from the
schema's property types.
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from actorgraph.graph import schema
from actorgraph.graph.nodelink import LINK_SOURCE_KEY

ARRAY_DELIMITER = ";"
NEO4J_TYPES = {
    "str": "string",
    "date": "string",
    "int": "int",
    "float": "float",
    "number": "double",
    "bool": "boolean",
    "list[str]": "string[]",
    "list[int]": "int[]",
}


def _scalar(value: Any) -> Any:
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(str(item) for item in value)
    return value


def to_networkx(data: dict[str, Any]) -> Any:
    """Every node and link (nothing left out) as a networkx MultiDiGraph with scalar attributes."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    for node in data["nodes"]:
        attrs = {key: _scalar(value) for key, value in node.items() if key != "id" and value is not None}
        attrs["labels"] = ARRAY_DELIMITER.join(node.get("labels", []))
        attrs["label"] = str(node.get("name") or node["id"])  # what Gephi shows
        graph.add_node(node["id"], **attrs)
    for link in data["links"]:
        attrs = {
            key: _scalar(value)
            for key, value in link.items()
            if key not in ("source", "target", "type") and value is not None
        }
        # GEXF reserves an edge's `type` (directed/undirected): the relationship type goes in
        # `relationship`, and in `label`, which Gephi shows on the edge.
        attrs["relationship"] = attrs["label"] = link["type"]
        graph.add_edge(link["source"], link["target"], key=link.get("id"), **attrs)
    return graph


def _atomic(path: Path, write: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _headers(items: list[dict[str, Any]], skip: tuple[str, ...]) -> list[tuple[str, str]]:
    keys = sorted({key for item in items for key in item if key not in skip})
    return [
        (key, f"{key}:{NEO4J_TYPES.get(schema.PROPERTIES[key].type, 'string')}" if key in schema.PROPERTIES else key)
        for key in keys
    ]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(str(item) for item in value)
    return value


def write_csv(data: dict[str, Any], folder: Path) -> None:
    """nodes.csv and relationships.csv in the neo4j-admin import header format."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    try:
        node_columns = _headers(data["nodes"], ("id", "labels"))
        with open(staging / "nodes.csv", "w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(["id:ID", ":LABEL", *(header for _, header in node_columns)])
            for node in data["nodes"]:
                writer.writerow(
                    [
                        node["id"],
                        ARRAY_DELIMITER.join(node.get("labels", [])),
                        *(_cell(node.get(key)) for key, _ in node_columns),
                    ]
                )
        links = [
            {
                ("source" if k == LINK_SOURCE_KEY else k): v
                for k, v in link.items()
                if k not in ("source", "target", "type")
            }
            | {"_s": link["source"], "_t": link["target"], "_type": link["type"]}
            for link in data["links"]
        ]
        link_columns = _headers(links, ("_s", "_t", "_type"))
        with open(staging / "relationships.csv", "w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow([":START_ID", ":END_ID", ":TYPE", *(header for _, header in link_columns)])
            for link in links:
                writer.writerow(
                    [link["_s"], link["_t"], link["_type"], *(_cell(link.get(key)) for key, _ in link_columns)]
                )
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_export(data: dict[str, Any], fmt: str, path: Path) -> None:
    """Write `data` as graphml, gexf or csv (a folder); atomically."""
    import networkx as nx

    if fmt == "graphml":
        _atomic(path, lambda tmp: nx.write_graphml(to_networkx(data), tmp, encoding="utf-8"))
    elif fmt == "gexf":
        _atomic(path, lambda tmp: nx.write_gexf(to_networkx(data), tmp, encoding="utf-8"))
    elif fmt == "csv":
        write_csv(data, path)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
