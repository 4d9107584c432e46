"""Network analytics with networkx: centrality, PageRank, communities, cut points.

Computed on the stated relationships (MENTIONED_IN and the Source node are left out,
since they would make every node a neighbour of the article). `write_back` stores
the figures as node properties so queries and maps can use them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from actorgraph.graph import schema
from actorgraph.graph.engine import Engine
from actorgraph.viz.maps import select

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


def compute(data: dict[str, Any], *, seed: int = 7, betweenness_sample: int | None = None) -> Figures:
    """Degree, betweenness, PageRank, Louvain communities, articulation points and bridges."""
    import networkx as nx

    directed = to_networkx(data)
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


def write_back(engine: Engine, data: dict[str, Any], figures: Figures) -> int:
    """Store degree, betweenness, pagerank and community on the nodes; return how many."""
    kinds: dict[str, list[dict[str, Any]]] = {}
    for node in data["nodes"]:
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
