"""Network analytics with networkx: centrality, PageRank, communities, cut points.

Computed on the stated relationships (MENTIONED_IN and the Source node are left out,
since they would make every node a neighbour of the article). `write_back` stores
the figures as node properties so queries and maps can use them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from actorgraph.graph import schema
from actorgraph.graph.engine import Engine
from actorgraph.graph.nodelink import link_record, node_record, read_records
from actorgraph.graph.spool import link_sort_key
from actorgraph.viz.maps import HIDDEN_LABELS, HIDDEN_TYPES, select

WRITE_BATCH = 2000


@dataclass
class Figures:
    """Per-node figures and the graph's cut points."""

    degree: dict[str, int]
    betweenness: dict[str, float]
    pagerank: dict[str, float]
    community: dict[str, int]
    articulation_points: list[str]
    bridges: list[tuple[str, str]]
    names: dict[str, str] = field(default_factory=dict)


def to_networkx(data: dict[str, Any]) -> Any:
    """A networkx MultiDiGraph of the stated relationships in a node-link dict."""
    import networkx as nx

    chosen = select(data)
    graph = nx.MultiDiGraph()
    for node in chosen["nodes"]:
        graph.add_node(node["id"], **{k: v for k, v in node.items() if k != "id"})
    for link in chosen["links"]:
        graph.add_edge(
            link["source"],
            link["target"],
            key=link.get("id"),
            **{k: v for k, v in link.items() if k not in ("source", "target")},
        )
    return graph


def read_networkx(engine: Engine, *, progress: Callable[[int], None] | None = None) -> Any:
    """What `to_networkx(data)` builds from the whole graph, built from the engine's rows as they stream.

    No node-link dict and no filtered copy of it: each row becomes its node or edge (Source
    nodes and MENTIONED_IN left out, as `maps.select` leaves them out). Nodes and edges are
    added in node-link order, as `to_networkx` adds them, so the figures are the same.
    All of it reads one graph (`Engine.read_consistent`).
    """
    import networkx as nx

    report = progress or (lambda n: None)

    def work(reader: Engine) -> Any:
        node_rows, link_rows = read_records(reader, report)
        nodes = sorted(
            (node for node in map(node_record, node_rows) if not set(node["labels"]) & set(HIDDEN_LABELS)),
            key=lambda node: str(node["id"]),
        )
        graph = nx.MultiDiGraph()
        graph.add_nodes_from((node.pop("id"), node) for node in nodes)
        del nodes
        links = [
            link
            for link in map(link_record, link_rows)
            if link["type"] not in HIDDEN_TYPES and link["source"] in graph and link["target"] in graph
        ]
        links.sort(key=link_sort_key)
        graph.add_edges_from((link.pop("source"), link.pop("target"), link.get("id"), link) for link in links)
        return graph

    return engine.read_consistent(work)


def compute(data: dict[str, Any] | Any, *, seed: int = 7, betweenness_sample: int | None = None) -> Figures:
    """Degree, betweenness, PageRank, Louvain communities, articulation points and bridges.

    `data`: node-link data, or the networkx graph `read_networkx` built.
    """
    import networkx as nx

    directed = to_networkx(data) if isinstance(data, dict) else data
    simple = nx.Graph(directed.to_undirected())
    sample = betweenness_sample if betweenness_sample and betweenness_sample < len(simple) else None
    communities = nx.community.louvain_communities(simple, seed=seed) if len(simple) else []
    community = {
        node: number
        for number, members in enumerate(sorted(communities, key=lambda c: (-len(c), min(c))))
        for node in members
    }
    return Figures(
        degree=dict(directed.degree()),
        betweenness=nx.betweenness_centrality(simple, k=sample, seed=seed),
        pagerank=nx.pagerank(nx.DiGraph(directed)) if len(directed) else {},  # networkx's public API (on scipy)
        community=community,
        articulation_points=sorted(nx.articulation_points(simple)),
        bridges=sorted(tuple(sorted(edge)) for edge in nx.bridges(simple)),
        names={node: attrs.get("name", node) for node, attrs in directed.nodes(data=True)},
    )


def write_back(engine: Engine, data: dict[str, Any] | Any, figures: Figures) -> int:
    """Store degree, betweenness, pagerank and community on the nodes; return how many.

    `data`: node-link data, or the networkx graph `read_networkx` built.
    """
    kinds: dict[str, list[dict[str, Any]]] = {}
    nodes = data["nodes"] if isinstance(data, dict) else ({"id": n, **attrs} for n, attrs in data.nodes(data=True))
    for node in nodes:
        if node["id"] not in figures.degree:
            continue
        kind = schema.kind_of(node.get("labels", []))
        kinds.setdefault(kind, []).append(
            {
                "id": node["id"],
                "degree": figures.degree[node["id"]],
                "betweenness": round(figures.betweenness.get(node["id"], 0.0), 6),
                "pagerank": round(figures.pagerank.get(node["id"], 0.0), 6),
                "community": figures.community.get(node["id"], -1),
            }
        )
    written = 0
    for kind, rows in sorted(kinds.items()):
        cypher = (
            f"UNWIND $rows AS r MATCH (n:{schema.check_label(kind)} {{id: r.id}}) "
            "SET n.degree = r.degree, n.betweenness = r.betweenness, n.pagerank = r.pagerank, n.community = r.community"
        )
        for start in range(0, len(rows), WRITE_BATCH):
            engine.run(cypher, {"rows": rows[start : start + WRITE_BATCH]}, write=True)
            written += len(rows[start : start + WRITE_BATCH])
    return written
