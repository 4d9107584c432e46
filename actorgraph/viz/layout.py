"""Positions for a map that reads well: a force layout, then no two labels on top of each other.

vis-network's own physics settles 100-300 nodes into a tangle where labels cover each
other. So a map is laid out here, once: networkx's force-directed layout (the focus,
if any, pinned in the middle), scaled to the room the labels need, then label boxes
(the shape plus its label, as vis-network draws them) are pushed apart until none
overlaps. The page shows these positions with physics off, so what was checked here
is what a reader sees.

Text widths are estimated from character classes (the browser test measures the
real boxes and counts overlaps, so the estimate is kept on the generous side).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

#: Shapes vis-network draws with the label inside; every other shape has its label below.
LABEL_INSIDE = frozenset({"box", "ellipse", "database", "circle", "text"})
FONT_SIZE = 14
LINE_HEIGHT = 17
BOX_MARGIN = 5
PAD = 8  # free space kept between two boxes, in canvas pixels
ROOM = 0.8  # area of the layout over the area of all boxes, before overlaps are removed
ASPECT = 1.4
SPREAD_EVERY = 40  # rounds of local pushes before a crowd that will not clear spreads the layout
SPREAD = 1.08
NARROW = set("il.,:;'|!()[] ")
WIDE = set("MWmwЖШЩЮМДФЫжшщюмдфы")


@dataclass(frozen=True)
class Box:
    """A node's extent around its position: `dy` moves the box centre below the node."""

    width: float
    height: float
    dy: float = 0.0


def text_width(text: str, size: int = FONT_SIZE) -> float:
    """An upper estimate of the width of `text` in a sans-serif font of `size` px."""
    width = 0.0
    for char in text:
        if char in NARROW:
            width += 0.34
        elif char in WIDE:
            width += 0.92
        elif char.isupper():
            width += 0.72
        else:
            width += 0.6
    return width * size


def node_box(label: str, shape: str, size: float, font: int = FONT_SIZE) -> Box:
    """The box vis-network draws for a node: shape and label together."""
    lines = label.split("\n")
    text_w = max(text_width(line, font) for line in lines)
    text_h = LINE_HEIGHT * font / FONT_SIZE * len(lines)
    if shape in LABEL_INSIDE:
        return Box(text_w + 2 * BOX_MARGIN, text_h + 2 * BOX_MARGIN)
    height = 2 * size + 4 + text_h
    return Box(max(text_w, 2 * size), height, dy=height / 2 - size)


def layout(
    ids: list[str],
    edges: Iterable[tuple[str, str]],
    boxes: dict[str, Box],
    *,
    centre: str | None = None,
    seed: int = 7,
) -> dict[str, tuple[float, float]]:
    """Positions (canvas pixels) with no two boxes overlapping; `centre` at (0, 0)."""
    import networkx as nx
    import numpy as np

    if not ids:
        return {}
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    graph.add_edges_from((a, b) for a, b in edges if a != b and a in boxes and b in boxes)
    fixed = {centre: (0.0, 0.0)} if centre in boxes else None
    start = _initial(graph, ids, centre, seed)
    raw = nx.spring_layout(
        graph,
        pos=start,
        fixed=list(fixed) if fixed else None,
        seed=seed,
        iterations=100,
        k=1.6 / math.sqrt(max(len(ids), 1)),
    )
    xy = np.array([raw[node_id] for node_id in ids], dtype=float)
    if centre in boxes:
        xy -= xy[ids.index(centre)]
    spread = np.abs(xy).max() or 1.0
    widths = np.array([boxes[i].width for i in ids]) + PAD
    heights = np.array([boxes[i].height for i in ids]) + PAD
    room = math.sqrt(float((widths * heights).sum()) * ROOM)  # side of a square with room for every box
    xy *= room / 2 / spread
    xy[:, 0] *= ASPECT  # screens are wider than tall, and labels are too
    offsets = np.array([boxes[i].dy for i in ids])
    xy = _remove_overlaps(xy, offsets, widths, heights, ids.index(centre) if centre in boxes else None)
    return {node_id: (round(float(x), 1), round(float(y), 1)) for node_id, (x, y) in zip(ids, xy, strict=True)}


def _initial(graph: object, ids: list[str], centre: str | None, seed: int) -> dict[str, tuple[float, float]]:
    """A deterministic start: the centre in the middle, the rest on a circle in id order."""
    import random

    rng = random.Random(seed)
    start = {}
    for i, node_id in enumerate(ids):
        angle = 2 * math.pi * i / max(len(ids), 1)
        radius = 0.0 if node_id == centre else 0.5 + 0.5 * rng.random()
        start[node_id] = (radius * math.cos(angle), radius * math.sin(angle))
    return start


def _remove_overlaps(
    xy: object, offsets: object, widths: object, heights: object, pinned: int | None, rounds: int = 3000
) -> object:
    """Push overlapping boxes apart along the axis where they overlap least (vectorised, O(n²) a round).

    Each box moves by the mean of its pushes, so a box in a crowd is not thrown far
    out; where a crowd does not clear within `SPREAD_EVERY` rounds, the whole layout is
    spread by `SPREAD` around the centre, so the loop always ends without overlaps.
    """
    import numpy as np

    xy = np.array(xy, dtype=float)
    n = len(xy)
    half_w = np.add.outer(widths, widths) / 2
    half_h = np.add.outer(heights, heights) / 2
    eye = np.eye(n, dtype=bool)
    ties = np.sign(np.subtract.outer(np.arange(n), np.arange(n)))  # same centre: the order decides the side
    origin = xy[pinned].copy() if pinned is not None else np.zeros(2)
    for round_ in range(1, rounds + 1):
        cx, cy = xy[:, 0], xy[:, 1] + offsets
        dx = np.subtract.outer(cx, cx)
        dy = np.subtract.outer(cy, cy)
        over_x = half_w - np.abs(dx)
        over_y = half_h - np.abs(dy)
        overlap = (over_x > 0) & (over_y > 0) & ~eye
        if not overlap.any():
            break
        if round_ % SPREAD_EVERY == 0:
            xy = origin + (xy - origin) * SPREAD
            continue
        along_x = overlap & (over_x / half_w <= over_y / half_h)  # the cheaper way out, relative to size
        along_y = overlap & ~along_x
        sign_x = np.where(dx == 0, ties, np.sign(dx))
        sign_y = np.where(dy == 0, ties, np.sign(dy))
        crowd = np.maximum(overlap.sum(axis=1), 1)[:, None]
        push = np.zeros_like(xy)
        push[:, 0] = (np.where(along_x, over_x, 0) * sign_x).sum(axis=1)
        push[:, 1] = (np.where(along_y, over_y, 0) * sign_y).sum(axis=1)
        push = push / crowd * 0.6
        if pinned is not None:
            push[pinned] = 0
        xy += push
    return xy


def count_overlaps(positions: dict[str, tuple[float, float]], boxes: dict[str, Box]) -> int:
    """How many pairs of boxes overlap (for tests of the estimate, not of the browser)."""
    ids = list(positions)
    found = 0
    for i, a in enumerate(ids):
        ax, ay = positions[a][0], positions[a][1] + boxes[a].dy
        for b in ids[i + 1 :]:
            bx, by = positions[b][0], positions[b][1] + boxes[b].dy
            if (
                abs(ax - bx) < (boxes[a].width + boxes[b].width) / 2
                and abs(ay - by) < (boxes[a].height + boxes[b].height) / 2
            ):
                found += 1
    return found
