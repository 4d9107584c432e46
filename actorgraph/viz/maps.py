"""Interactive HTML network maps that read well at 50-300 nodes, offline and safe.

pyvis 0.3.2's own templates load Bootstrap (and, in 'local' mode, vis-network) from a
CDN and fill tooltips through innerHTML, and its Network class only assembles dicts.
So this module assembles nodes and edges itself, and `templates/map.html` inlines the
vis-network JS and CSS that pyvis bundles and builds every tooltip, legend entry and
search result with `textContent`: names and quotes from the data reach the page as
text, never as markup. Data is embedded as JSON with `<`, `>` and `&` escaped, so no
string can close the script element.

Up to `PRECOMPUTE_ABOVE` nodes, positions come from `layout` (a force layout with no
two labels overlapping, the focus in the middle); above it, from an O(n) spiral by
degree. Physics is always off, so what the layout checked is what the reader sees.
Long names are wrapped and cut on the canvas (the tooltip has them in full). The page
can size nodes by degree or PageRank and colour them by kind or community, hide
kinds, filter by year, and find a node by any spelling the CLI resolves (the
resolver's folding is embedded in the page).
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

from actorgraph.errors import UsageError
from actorgraph.graph import schema
from actorgraph.graph.nodelink import LINK_SOURCE_KEY

PRECOMPUTE_ABOVE = 300
COMPUTE_METRICS_UP_TO = PRECOMPUTE_ABOVE  # larger maps use the figures `analyze` stored, if any
EDGE_LABELS_UP_TO = 15  # more edge labels only cover each other; the tooltip and panel name the types
LABEL_WIDTH = 22
FOCUS_FONT_SIZE = 18
SIZE_BY = ("degree", "pagerank", "betweenness")
COLOUR_BY = ("kind", "community")
#: vis-network's shape names in words, for the legend
SHAPE_WORDS = {
    "dot": "circle",
    "star": "star",
    "square": "square",
    "hexagon": "hexagon",
    "triangle": "triangle",
    "triangleDown": "triangle pointing down",
    "box": "box",
    "ellipse": "ellipse",
    "diamond": "diamond",
    "database": "cylinder",
}
HIDDEN_TYPES = ("MENTIONED_IN",)
HIDDEN_LABELS = ("Source",)
COMMUNITY_COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip


class MapError(UsageError, ValueError):
    """A map was asked for wrongly (unknown label or type, unknown focus name)."""


def year_of(item: dict[str, Any]) -> int | None:
    """The year a node or relationship is dated by (`date`, else `start`, else `year`), for time filters."""
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
    focus: str | list[str] | None = None,
    hops: int = 1,
    labels: list[str] | None = None,
    types: list[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    keep_sources: bool = False,
    only: set[str] | None = None,
) -> dict[str, Any]:
    """The part of a node-link graph a map shows (filters, then the focus's neighbourhood).

    Several focus names keep what lies within `hops` of every one of them (for two
    countries and hops=1: both, their direct ties, and what they share).

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
        year = year_of(node)
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

        centres = []
        for name in [focus] if isinstance(focus, str) else focus:
            try:
                centres.append(resolve_among(list(data["nodes"]), name).id)
            except ResolveError as exc:
                raise MapError(str(exc)) from None
            if centres[-1] not in nodes:
                raise MapError(f"{name!r} is filtered out of this map")
        neighbours: dict[str, set[str]] = {node_id: set() for node_id in nodes}
        for link in links:
            neighbours[link["source"]].add(link["target"])
            neighbours[link["target"]].add(link["source"])

        def around(centre: str) -> set[str]:
            reached, frontier = {centre}, {centre}
            for _ in range(max(1, hops)):
                frontier = {n for node_id in frontier for n in neighbours[node_id]} - reached
                reached |= frontier
            return reached

        # one focus: its neighbourhood; several: what lies within reach of every one of them
        reached = set.intersection(*(around(centre) for centre in centres)) | set(centres)
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


def short_label(name: str, width: int = LABEL_WIDTH, lines: int = 2) -> str:
    """A long name wrapped on word boundaries into at most `lines` lines, the rest cut with '…'."""
    words = name.split()
    if len(name) <= width or not words:
        return name if len(name) <= width * lines else name[: width * lines - 1] + "…"
    out: list[str] = []
    current = ""
    for word in words:
        if len(word) > width:
            word = word[: width - 1] + "…"
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width:
            current = candidate
            continue
        out.append(current)
        current = word
        if len(out) == lines:
            break
    else:
        out.append(current)
        return "\n".join(line for line in out if line)
    last = out[-1]
    out[-1] = (last if len(last) < width else last[: width - 1].rstrip()) + "…"
    return "\n".join(line for line in out if line)


def describe_selection(chosen: dict[str, Any], selection: dict[str, Any]) -> list[str]:
    """What the map shows, in words: kinds and counts, the focus, and every filter applied."""
    kinds = Counter(schema.kind_of(node.get("labels", [])) for node in chosen["nodes"])
    lines = [
        f"{len(chosen['nodes'])} nodes ("
        + ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
        + f"), {len(chosen['links'])} relationships"
    ]
    focus = _focus_list(selection.get("focus"))
    if focus:
        hops = selection.get("hops") or 1
        joined = " and ".join(focus)
        if len(focus) > 1:
            lines.append(f"Focus: {joined}, what joins them within {hops} step{'s' if hops > 1 else ''}")
        else:
            lines.append(f"Focus: {joined} and everything within {hops} step{'s' if hops > 1 else ''}")
    if selection.get("year_from") or selection.get("year_to"):
        lines.append(
            f"Years: {selection.get('year_from') or 'any'} to {selection.get('year_to') or 'any'} (undated things kept)"
        )
    if selection.get("labels"):
        lines.append("Kinds: " + ", ".join(selection["labels"]))
    types = selection.get("types")
    lines.append("Relationships: " + (", ".join(types) if types else "all types (mentions left out)"))
    hedged = Counter(str(link["modality"]) for link in chosen["links"] if _hedged(link))
    if hedged:
        how = ", ".join(f"{count} {modality}" for modality, count in sorted(hedged.items()))
        lines.append(f"Dashed lines: not stated as fact by the source ({how}); the rest are stated")
    else:
        lines.append("Every relationship shown is stated as fact by its source")
    return lines


def _hedged(link: dict[str, Any]) -> bool:
    """Whether a link's source does not state it as fact (expected, planned, proposed, ...)."""
    return (link.get("modality") or schema.DEFAULT_MODALITY) != schema.DEFAULT_MODALITY


def _metrics(chosen: dict[str, Any]) -> dict[str, dict[str, float]]:
    """PageRank, betweenness and community of each shown node: stored by `analyze` if there, else computed here."""
    stored = all(node.get("pagerank") is not None for node in chosen["nodes"])
    if stored or len(chosen["nodes"]) > COMPUTE_METRICS_UP_TO:
        return {
            node["id"]: {
                "pagerank": float(node.get("pagerank") or 0),
                "betweenness": float(node.get("betweenness") or 0),
                "community": node.get("community"),
            }
            for node in chosen["nodes"]
        }
    from actorgraph.viz.analytics import compute

    figures = compute(chosen, betweenness_sample=100)
    return {
        node["id"]: {
            "pagerank": figures.pagerank.get(node["id"], 0.0),
            "betweenness": figures.betweenness.get(node["id"], 0.0),
            "community": figures.community.get(node["id"]),
        }
        for node in chosen["nodes"]
    }


def build_map(
    data: dict[str, Any],
    *,
    title: str | None = None,
    size_by: str = "degree",
    colour_by: str = "kind",
    **selection: Any,
) -> str:
    """An HTML page (one self-contained file) drawing the selected part of `data`.

    Without a title, the title says what the map shows (its focus, or its kinds).
    """
    from actorgraph.queries.resolve import CYRILLIC_TO_LATIN, KAZAKH_TO_RUSSIAN, fold, loose
    from actorgraph.viz.layout import layout, node_box

    check_options(size_by=size_by, colour_by=colour_by)
    chosen = select(data, **selection)
    degree: Counter[str] = Counter()
    for link in chosen["links"]:
        degree[link["source"]] += 1
        degree[link["target"]] += 1
    large = len(chosen["nodes"]) > PRECOMPUTE_ABOVE
    metrics = _metrics(chosen)
    top_rank = max((m["pagerank"] for m in metrics.values()), default=0) or 1
    top_between = max((m["betweenness"] for m in metrics.values()), default=0) or 1
    centre = _centre(data, chosen, selection)
    if not title:
        title = auto_title(data, centre, selection)
    nodes = []
    for node in sorted(chosen["nodes"], key=lambda node: node["id"]):
        label = schema.primary_label(node.get("labels", []))
        spec = schema.LABELS[label]
        name = str(node.get("name") or node["id"])
        community = metrics[node["id"]]["community"]
        spellings = [node["id"], name, node.get("name_kk"), node.get("name_ru"), *(node.get("aliases") or [])]
        nodes.append(
            {
                "id": node["id"],
                "label": name if large else short_label(name),
                "name": name,
                "kind": label,
                "shape": spec.shape,
                "colourKind": spec.colour,
                "colourCommunity": None
                if community is None
                else COMMUNITY_COLOURS[int(community) % len(COMMUNITY_COLOURS)],
                "community": community,
                "sizeDegree": round(8 + 4 * math.sqrt(degree[node["id"]]), 1),
                "sizePagerank": round(8 + 24 * math.sqrt(metrics[node["id"]]["pagerank"] / top_rank), 1),
                "sizeBetweenness": round(8 + 24 * math.sqrt(metrics[node["id"]]["betweenness"] / top_between), 1),
                "degree": degree[node["id"]],
                "year": year_of(node),
                "keys": sorted({fold(str(s)) for s in spellings if s} - {""}),
                "looseKeys": sorted({loose(str(s)) for s in spellings if s} - {""}),
                "tooltip": _tooltip(node, kind="node"),
                "focus": node["id"] in centre,
            }
        )
    if large:
        order = sorted((n["id"] for n in nodes), key=lambda node_id: (-degree[node_id], node_id))
        positions = _spiral_positions(order)
    else:
        boxes = {
            n["id"]: node_box(
                n["label"],
                n["shape"],
                max(n["sizeDegree"], n["sizePagerank"], n["sizeBetweenness"]) + (6 if n["focus"] else 0),
                font=FOCUS_FONT_SIZE if n["focus"] else 14,
            )
            for n in nodes
        }
        positions = layout(
            [n["id"] for n in nodes],
            ((link["source"], link["target"]) for link in chosen["links"]),
            boxes,
            centre=centre[0] if len(centre) == 1 else None,
        )
    for n in nodes:
        n["x"], n["y"] = positions[n["id"]]
    edges = [
        {
            "from": link["source"],
            "to": link["target"],
            "label": link["type"],
            "tooltip": _tooltip(link, kind="link"),
            "year": year_of(link),
            "dashes": _hedged(link),  # not stated as fact: drawn dashed, and the panel says so
        }
        for link in chosen["links"]
    ]
    options = {
        "nodes": {
            "font": {"size": 14, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#fafafa"},
            "borderWidth": 1,
        },
        "edges": {
            "font": {"size": 0 if len(nodes) > EDGE_LABELS_UP_TO else 9, "align": "middle", "color": "#555"},
            "color": {"color": "#b5c0c0", "highlight": "#333", "hover": "#333"},
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "smooth": False,
            "width": 1,
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "physics": {"enabled": False},
    }
    legend = [
        {
            "label": label,
            "colour": schema.LABELS[label].colour,
            "shape": schema.LABELS[label].shape,
            "shapeWords": SHAPE_WORDS.get(schema.LABELS[label].shape, schema.LABELS[label].shape),
            "description": schema.LABELS[label].description,
            "count": count,
        }
        for label, count in sorted(Counter(n["kind"] for n in nodes).items())
    ]
    years = [n["year"] for n in nodes if n["year"]] + [e["year"] for e in edges if e["year"]]
    payload = {
        "nodes": nodes,
        "edges": edges,
        "options": options,
        "legend": legend,
        "title": title,
        "shows": describe_selection(chosen, selection),
        "sizeBy": size_by,
        "colourBy": colour_by,
        "hasCommunities": any(n["community"] is not None for n in nodes),
        "focus": centre,
        "years": [min(years), max(years)] if years else None,
        "relTypes": sorted(Counter(e["label"] for e in edges).items()),
        "fold": {"kazakh": {chr(k): v for k, v in KAZAKH_TO_RUSSIAN.items()}, "latin": CYRILLIC_TO_LATIN},
    }
    template = Template(resources.files("actorgraph.viz").joinpath("templates/map.html").read_text(encoding="utf-8"))
    return template.substitute(
        title=html.escape(title),
        vis_css=vis_asset("vis-network.css"),
        vis_js=vis_asset("vis-network.min.js").replace("</script", "<\\/script"),
        data=_safe_json(payload),
    )


def auto_title(data: dict[str, Any], centre: list[str], selection: dict[str, Any]) -> str:
    """A title saying what a map shows, for maps drawn without one."""
    names = {node["id"]: str(node.get("name") or node["id"]) for node in data["nodes"] if node["id"] in centre}
    hops = selection.get("hops") or 1
    steps = f"{hops} step{'s' if hops > 1 else ''}"
    if len(centre) == 1:
        title = f"{names[centre[0]]} and everything within {steps}"
    elif centre:
        title = " and ".join(names[c] for c in centre) + f": what joins them within {steps}"
    else:
        title = "The graph: " + (", ".join(selection.get("labels") or []) or "every kind")
    if selection.get("year_from") or selection.get("year_to"):
        title += f" ({selection.get('year_from') or '…'}–{selection.get('year_to') or '…'})"
    return title


def vis_asset(name: str) -> str:
    """vis-network's JS or CSS as pyvis bundles it (no CDN: the maps and the explorer work offline)."""
    return resources.files("pyvis").joinpath(f"templates/lib/vis-9.1.2/{name}").read_text(encoding="utf-8")


def check_options(*, size_by: str, colour_by: str) -> None:
    """Refuse an unknown --size-by or --colour-by, naming the valid choices."""
    if size_by not in SIZE_BY:
        raise MapError(f"unknown size {size_by!r}; choose one of: {', '.join(SIZE_BY)}")
    if colour_by not in COLOUR_BY:
        raise MapError(f"unknown colouring {colour_by!r}; choose one of: {', '.join(COLOUR_BY)}")


def _focus_list(focus: str | list[str] | None) -> list[str]:
    if not focus:
        return []
    return [focus] if isinstance(focus, str) else list(focus)


def _centre(data: dict[str, Any], chosen: dict[str, Any], selection: dict[str, Any]) -> list[str]:
    """Ids of the focus nodes (already checked by `select`)."""
    from actorgraph.queries.resolve import resolve_among

    return [resolve_among(list(data["nodes"]), name).id for name in _focus_list(selection.get("focus"))]


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
    from actorgraph.output_paths import write_text_atomically

    write_text_atomically(path, build_map(data, **options))
    shown = select(data, **{k: v for k, v in options.items() if k not in ("title", "size_by", "colour_by")})
    return {"nodes": len(shown["nodes"]), "edges": len(shown["links"])}
