"""Read a whole graph from any engine as DESIGN.md's node-link dict, and count it.

`{"nodes": [{"id", "labels": [...], ...properties}], "links": [{"source", "target",
"type", ...properties}]}`, sorted so that two reads of the same graph are identical.

In links, `source` and `target` are the end points (as node-link JSON and networkx
expect), so a relationship's provenance `source` property is written as
`evidence_source` there (see `LINK_SOURCE_KEY`); nodes keep `source`.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from actorgraph.graph.bookkeeping import without_bookkeeping
from actorgraph.graph.engine import Engine, Row

#: Rows between two progress reports while reading (a call per row would cost more than it shows).
PROGRESS_EVERY = 1000

NODES_CYPHER = "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"
#: The same, for the nodes in one range of internal ids (see `Engine.stream_whole`).
NODES_BY_ID = "MATCH (n) WHERE id(n) >= $first AND id(n) < $stop RETURN labels(n) AS labels, properties(n) AS props"
#: The key that holds a relationship's provenance `source` in a node-link link.
LINK_SOURCE_KEY = "evidence_source"

LINKS_CYPHER = "MATCH (a)-[r]->(b) RETURN a.id AS source, b.id AS target, type(r) AS type, properties(r) AS props"
LINKS_BY_ID = (
    "MATCH (a) WHERE id(a) >= $first AND id(a) < $stop MATCH (a)-[r]->(b) "
    "RETURN a.id AS source, b.id AS target, type(r) AS type, properties(r) AS props"
)


def read_node_link(engine: Engine, *, progress: Callable[[int], None] | None = None) -> dict[str, list[dict[str, Any]]]:
    """The whole graph as a node-link dict (nodes sorted by id, links by id/end points).

    `progress`, if given, is called with the number of nodes and links read since its last call.
    """
    report = progress or (lambda n: None)
    return engine.read_consistent(lambda reader: _read_node_link(reader, report))


def _read_node_link(engine: Engine, report: Callable[[int], None]) -> dict[str, list[dict[str, Any]]]:
    rows, link_rows = read_records(engine, report)
    nodes = [node_record(row) for row in rows]
    links = [link_record(row) for row in link_rows]
    nodes.sort(key=lambda node: str(node["id"]))
    links.sort(key=lambda link: (str(link.get("id", "")), str(link["source"]), link["type"], str(link["target"])))
    return {"nodes": nodes, "links": links}


def read_records(engine: Engine, report: Callable[[int], None]) -> tuple[Iterator[Row], Iterator[Row]]:
    """The rows of every node, then of every link, in no order (nodes first: iterate them first)."""
    nodes = _reporting(engine.stream_whole(NODES_CYPHER, NODES_BY_ID), report)
    links = _reporting(engine.stream_whole(LINKS_CYPHER, LINKS_BY_ID), report)
    return nodes, links


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection meanwhile (then as it was before).

    A whole-graph read builds millions of lists and dicts that die young but are alive
    together while a page of the reply is parsed; the collector ran again and again over
    all of them and took 5 of the 13 s of CPU that reading 1M relationships cost
    (bench/RESULTS.md). What the read leaves behind is freed by reference counting.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def node_record(row: Row) -> dict[str, Any]:
    """A node row as a node-link node: id, sorted labels, then its properties sorted (bookkeeping left out)."""
    props = without_bookkeeping(dict(row["props"]))
    node = {"id": props.pop("id", None), "labels": sorted(row["labels"])}
    node.update(sorted(props.items()))
    return node


def link_record(row: Row) -> dict[str, Any]:
    """A link row as a node-link link: end points, type, then its properties sorted (see `LINK_SOURCE_KEY`)."""
    props = dict(row["props"])
    if "source" in props:
        props[LINK_SOURCE_KEY] = props.pop("source")
    link = {"source": row["source"], "target": row["target"], "type": row["type"]}
    link.update(sorted(props.items()))
    return link


def _reporting(rows: Iterable[Row], report: Callable[[int], None]) -> Iterator[Row]:
    """Yield `rows` (the collector paused: `paused_gc`), telling `report` how many have passed
    every `PROGRESS_EVERY` rows and at the end."""
    count = 0
    with paused_gc():
        for count, row in enumerate(rows, 1):
            yield row
            if count % PROGRESS_EVERY == 0:
                report(PROGRESS_EVERY)
    report(count % PROGRESS_EVERY)


def count_graph(engine: Engine) -> dict[str, dict[str, int]]:
    """Counts of nodes per label and relationships per type, all of one graph."""
    return engine.read_consistent(_count_graph)


def _count_graph(engine: Engine) -> dict[str, dict[str, int]]:
    labels = engine.run("MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS count")
    types = engine.run("MATCH ()-[r]->() RETURN type(r) AS type, count(r) AS count")
    totals = engine.run("MATCH (n) RETURN count(n) AS nodes")
    rels = engine.run("MATCH ()-[r]->() RETURN count(r) AS relationships")
    return {
        "labels": {row["label"]: row["count"] for row in sorted(labels, key=lambda row: row["label"])},
        "types": {row["type"]: row["count"] for row in sorted(types, key=lambda row: row["type"])},
        "totals": {"nodes": totals[0]["nodes"], "relationships": rels[0]["relationships"]},
    }


def with_metadata(data: dict[str, Any], *, exported_at: str | None = None) -> dict[str, Any]:
    """`data` as networkx's node-link JSON reads it whole: a directed multigraph with its metadata.

    `networkx.node_link_graph(data, edges="links")` then builds a MultiDiGraph with every
    link (two relationships between the same nodes stay two edges, keyed by their `id`).
    `graph` says where the data came from (the `Source` nodes), how big it is and when it
    was exported: `exported_at` is UTC now, or `$SOURCE_DATE_EPOCH` (reproducible exports).
    """
    sources = [str(node["id"]) for node in data["nodes"] if "Source" in node.get("labels", ())]
    graph = metadata(sources, len(data["nodes"]), len(data["links"]), exported_at)
    return {"directed": True, "multigraph": True, "graph": graph, **data}


def metadata(sources: list[str], nodes: int, links: int, exported_at: str | None = None) -> dict[str, Any]:
    """The `graph` object of a node-link export: generator, Source ids (sorted), counts, export time."""
    return {
        "generator": f"actorgraph {_version()}",
        "sources": sorted(sources),
        "nodes": nodes,
        "links": links,
        "exported_at": exported_at or export_time(),
    }


def export_time() -> str:
    """Now in UTC as ISO 8601 (seconds), or the time `$SOURCE_DATE_EPOCH` gives."""
    import os
    from datetime import UTC, datetime

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("actorgraph")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"
