"""Interactive HTML network maps: pyvis builds the network, our template makes it offline and safe.

pyvis 0.3.2's own templates load Bootstrap (and, in 'local' mode, vis-network) from a
CDN and fill tooltips through innerHTML. So pyvis assembles nodes, edges and options,
and `templates/map.html` inlines pyvis's bundled vis-network JS and CSS and builds
every tooltip, legend entry and search result with `textContent`: names and quotes
from the data reach the page as text, never as markup. Data is embedded as JSON with
`<`, `>` and `&` escaped, so no string can close the script element.

Small graphs use physics that stabilises and then switches off; above
`PRECOMPUTE_ABOVE` nodes, positions are computed here (an O(n) spiral by degree) and
physics stays off, so even 10,000 nodes are still at once.
"""

from __future__ import annotations

import html
import json
import math
from collections import Counter
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

from actorgraph.graph import schema
from actorgraph.graph.nodelink import LINK_SOURCE_KEY

PRECOMPUTE_ABOVE = 300
HIDDEN_TYPES = ("MENTIONED_IN",)
HIDDEN_LABELS = ("Source",)
COMMUNITY_COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip


class MapError(ValueError):
    """A map was asked for wrongly (unknown label or type, unknown focus name)."""


def _year(item: dict[str, Any]) -> int | None:
    for key in ("date", "start", "year"):
        value = item.get(key)
        if value:
            try:
                return int(str(value)[:4])
            except ValueError:
                return None
    return None


def select(
    data: dict[str, Any],
    *,
    focus: str | None = None,
    hops: int = 1,
    labels: list[str] | None = None,
    types: list[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    keep_sources: bool = False,
    only: set[str] | None = None,
) -> dict[str, Any]:
    """The part of a node-link graph a map shows (filters, then the focus's neighbourhood).

    `only` restricts the map to these node ids (e.g. the nodes a catalogue answer names).
    """
    for label in labels or []:
        if label not in schema.LABELS:
            raise MapError(f"unknown label {label!r}; allowed: {', '.join(schema.LABELS)}")
    for rel_type in types or []:
        if rel_type not in schema.RELATIONSHIPS:
            raise MapError(f"unknown relationship type {rel_type!r}; allowed: {', '.join(schema.RELATIONSHIPS)}")

    def keep_node(node: dict[str, Any]) -> bool:
        node_labels = node.get("labels", [])
        if not keep_sources and set(node_labels) & set(HIDDEN_LABELS):
            return False
        if labels and not set(node_labels) & set(labels):
            return False
        year = _year(node)
        return not (year is not None and ((year_from and year < year_from) or (year_to and year > year_to)))

    nodes = {node["id"]: node for node in data["nodes"] if keep_node(node) and (only is None or node["id"] in only)}
    links = [
        link
        for link in data["links"]
        if link["source"] in nodes
        and link["target"] in nodes
        and (keep_sources or link["type"] not in HIDDEN_TYPES)
        and (not types or link["type"] in types)
    ]
    if focus:
        from actorgraph.queries.resolve import ResolveError, resolve_among

        try:
            centre = resolve_among(list(data["nodes"]), focus).id
        except ResolveError as exc:
            raise MapError(str(exc)) from None
        if centre not in nodes:
            raise MapError(f"{focus!r} is filtered out of this map")
        neighbours: dict[str, set[str]] = {node_id: set() for node_id in nodes}
        for link in links:
            neighbours[link["source"]].add(link["target"])
            neighbours[link["target"]].add(link["source"])
        reached, frontier = {centre}, {centre}
        for _ in range(max(1, hops)):
            frontier = {n for node_id in frontier for n in neighbours[node_id]} - reached
            reached |= frontier
        nodes = {node_id: node for node_id, node in nodes.items() if node_id in reached}
        links = [link for link in links if link["source"] in reached and link["target"] in reached]
    return {"nodes": list(nodes.values()), "links": links}


def _tooltip(item: dict[str, Any], *, kind: str) -> list[str]:
    """Tooltip lines (plain text; the page inserts them with textContent)."""
    lines = []
    if kind == "node":
        lines.append(item.get("name") or item["id"])
        for key, label in (("name_kk", "kk"), ("name_ru", "ru")):
            if item.get(key):
                lines.append(f"{label}: {item[key]}")
        lines.append(" / ".join(item.get("labels", [])))
        for key in ("title", "kind", "stance", "topic", "role"):
            if item.get(key):
                lines.append(f"{key}: {item[key]}")
        if item.get("text"):
            lines.append(f"paraphrase: {item['text']}")
        for key in ("description", "note"):
            if item.get(key):
                lines.append(f"{key}: {item[key]}")
    else:
        lines.append(item["type"])
        for key in ("role", "domain"):
            if item.get(key):
                lines.append(f"{key}: {item[key]}")
        lines.append(f"modality: {item.get('modality') or schema.DEFAULT_MODALITY}")  # absent means stated
        if item.get("note"):
            lines.append(f"note: {item['note']}")
    if item.get("caveat"):
        lines.append(f"caveat (a problem in the source): {item['caveat']}")
    dates = " – ".join(str(item[k]) for k in ("start", "end") if item.get(k)) or item.get("date")
    if dates:
        lines.append(f"date: {dates}")
    if item.get("evidence"):
        source = item.get("source") if kind == "node" else item.get(LINK_SOURCE_KEY)
        lines.append(f"evidence (line {item.get('line')} of {source}): “{item['evidence']}”")
    return [str(line) for line in lines]


def _spiral_positions(order: list[str]) -> dict[str, tuple[float, float]]:
    """Sunflower spiral: the most connected nodes in the middle, O(n), no physics needed."""
    golden = math.pi * (3 - math.sqrt(5))
    return {
        node_id: (
            round(40 * math.sqrt(i) * math.cos(i * golden), 1),
            round(40 * math.sqrt(i) * math.sin(i * golden), 1),
        )
        for i, node_id in enumerate(order)
    }


def build_map(
    data: dict[str, Any],
    *,
    title: str = "actorgraph map",
    size_by: str = "degree",
    colour_by: str = "kind",
    **selection: Any,
) -> str:
    """An HTML page (one self-contained file) drawing the selected part of `data`."""
    from pyvis.network import Network

    chosen = select(data, **selection)
    degree: Counter[str] = Counter()
    for link in chosen["links"]:
        degree[link["source"]] += 1
        degree[link["target"]] += 1
    large = len(chosen["nodes"]) > PRECOMPUTE_ABOVE
    order = sorted((node["id"] for node in chosen["nodes"]), key=lambda node_id: (-degree[node_id], node_id))
    positions = _spiral_positions(order) if large else {}
    net = Network(height="100%", width="100%", directed=True, cdn_resources="remote")
    kinds_present: dict[str, str] = {}
    metric = {node["id"]: float(node.get(size_by) or 0) for node in chosen["nodes"]} if size_by != "degree" else None
    top = max(metric.values(), default=0) or 1 if metric else 1
    for node in sorted(chosen["nodes"], key=lambda node: node["id"]):
        label = schema.primary_label(node.get("labels", []))
        spec = schema.LABELS[label]
        colour = spec.colour
        if colour_by == "community" and node.get("community") is not None:
            colour = COMMUNITY_COLOURS[int(node["community"]) % len(COMMUNITY_COLOURS)]
        kinds_present[label] = colour
        size = 8 + 4 * math.sqrt(degree[node["id"]]) if metric is None else 8 + 30 * metric[node["id"]] / top
        extra = {"x": positions[node["id"]][0], "y": positions[node["id"]][1]} if large else {}
        net.add_node(
            node["id"],
            label=str(node.get("name") or node["id"]),
            color=colour,
            shape=spec.shape,
            size=round(size, 1),
            tooltip=_tooltip(node, kind="node"),
            kind=label,
            **extra,
        )
    for link in chosen["links"]:
        net.add_edge(
            link["source"], link["target"], label=link["type"], tooltip=_tooltip(link, kind="link"), arrows="to"
        )
    options = {
        "nodes": {"font": {"size": 14, "face": "sans-serif"}, "borderWidth": 1},
        "edges": {
            "font": {"size": 9, "align": "middle", "color": "#555"},
            "color": {"color": "#9aa", "highlight": "#333"},
            "smooth": False,
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
        "layout": {"improvedLayout": not large, "randomSeed": 7},
        "physics": {
            "enabled": not large,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120},
            "stabilization": {"enabled": True, "iterations": 300, "fit": True},
        },
    }
    if large:
        options["edges"]["font"]["size"] = 0  # labels of thousands of edges are noise
    legend = [
        {
            "label": label,
            "colour": colour,
            "shape": schema.LABELS[label].shape,
            "description": schema.LABELS[label].description,
        }
        for label, colour in sorted(kinds_present.items())
    ]
    payload = {
        "nodes": [_node_payload(node) for node in net.nodes],
        "edges": [
            {k: v for k, v in edge.items() if k in ("from", "to", "label", "tooltip", "arrows")} for edge in net.edges
        ],
        "options": options,
        "legend": legend,
        "title": title,
        "physics": not large,
    }
    template = Template(resources.files("actorgraph.viz").joinpath("templates/map.html").read_text(encoding="utf-8"))
    lib = resources.files("pyvis").joinpath("templates/lib/vis-9.1.2")
    return template.substitute(
        title=html.escape(title),
        vis_css=lib.joinpath("vis-network.css").read_text(encoding="utf-8"),
        vis_js=lib.joinpath("vis-network.min.js").read_text(encoding="utf-8").replace("</script", "<\\/script"),
        data=_safe_json(payload),
    )


def nodes_named_in(data: dict[str, Any], rows: list[dict[str, Any]]) -> set[str]:
    """Ids of the nodes a query's answer mentions, by id or by exact name, anywhere in its rows."""
    by_name: dict[str, set[str]] = {}
    ids = set()
    for node in data["nodes"]:
        ids.add(node["id"])
        by_name.setdefault(str(node.get("name")), set()).add(node["id"])
    found: set[str] = set()

    def visit(value: Any) -> None:
        if isinstance(value, str):
            found.update({value} if value in ids else by_name.get(value, set()))
        elif isinstance(value, list | tuple):
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            for item in value.values():
                visit(item)

    visit(rows)
    return found


def _node_payload(node: dict[str, Any]) -> dict[str, Any]:
    keep = ("id", "label", "color", "shape", "size", "tooltip", "kind", "x", "y")
    return {key: node[key] for key in keep if key in node}


def _safe_json(value: Any) -> str:
    """JSON that can sit inside <script>: no raw <, > or & (so no `</script>`)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def write_map(data: dict[str, Any], path: Path, **options: Any) -> dict[str, int]:
    """Write the map atomically; return how many nodes and edges it shows."""
    import os
    import tempfile

    page = build_map(data, **options)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(page)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a map is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    shown = select(data, **{k: v for k, v in options.items() if k not in ("title", "size_by", "colour_by")})
    return {"nodes": len(shown["nodes"]), "edges": len(shown["links"])}
