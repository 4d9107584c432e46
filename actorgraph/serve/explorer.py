"""What the explorer shows, read from the graph: search, a node with its facts, networks, sources, answers.

Every function returns plain JSON-ready dicts, so the HTML pages and the JSON API
show the same thing. Reads only: the engine runs every query read-only and so
refuses writes itself. Values travel as parameters; the only spliced text is a kind
label taken from the resolver's index and checked against `schema.KINDS`.
One lock serialises engine calls (the embedded engine has one connection).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from actorgraph.graph import schema
from actorgraph.graph.bookkeeping import without_bookkeeping
from actorgraph.graph.engine import Engine, Node, Relationship
from actorgraph.graph.engine import Path as GraphPath
from actorgraph.viz.maps import year_of

HIDDEN = "MENTIONED_IN"
MAX_RELATIONSHIPS = 100  # on a node's page; a hub's others are listed a type at a time
TYPE_PAGE = 100  # relationships of one type per page
MAX_NEIGHBOURS = 60
MAX_CLAIMS = 50
MAX_ROWS = 500
MAX_SUBGRAPH = 300
SOURCE_CACHE = 8
NETWORK_LABEL = 28
INDEX_CHUNK = 1000  # nodes the name index loads per query (the engine's lock is let go between chunks)
QUIET_S = 0.05  # the index loader waits until requests have left the engine alone this long...
MAX_YIELD_S = 1.0  # ...but no longer than this, so that a steady stream of requests cannot starve it
INDEX_WAIT = 120.0  # seconds a search waits for the name index loading in the background
log = logging.getLogger("actorgraph.serve")
#: id prefixes and the kind they usually name (only an order to try; the engine has the last word)
PREFIX_KINDS = {
    "agreement": "Agreement",
    "event": "Event",
    "initiative": "Initiative",
    "publication": "Publication",
    "claim": "Claim",
    "place": "Place",
}


class NotFound(LookupError):
    """No such node or source."""


@dataclass
class SourceText:
    """A source's text, found or not, with what to tell the reader when it is missing."""

    id: str
    name: str
    file: str | None
    lines: list[str] | None
    problem: str | None = None
    citation: str | None = None


@dataclass
class Explorer:
    """Read-only access to one engine for the web explorer."""

    engine: Engine
    source_dirs: list[Path] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _texts: OrderedDict[str, SourceText] = field(default_factory=OrderedDict)
    _names: tuple[Any, dict[str, str]] | None = None
    _kinds: dict[str, str] = field(default_factory=dict)
    _loading: threading.Event = field(default_factory=threading.Event)
    _loaded: threading.Event = field(default_factory=threading.Event)
    _stopping: threading.Event = field(default_factory=threading.Event)
    max_relationships: int = MAX_RELATIONSHIPS
    _last_use: float = 0.0  # when a request last queried the engine (background work steps aside)
    _loader: threading.Thread | None = None

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        with self.lock:
            rows = self.engine.run(cypher, params or {})
        self._last_use = time.monotonic()
        return rows

    def _run_when_quiet(self, cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """For background work: wait until no request has queried for `QUIET_S` (at most `MAX_YIELD_S`), then run."""
        until = time.monotonic() + MAX_YIELD_S
        while time.monotonic() - self._last_use < QUIET_S and time.monotonic() < until:
            time.sleep(QUIET_S / 5)
        with self.lock:
            return self.engine.run(cypher, params)

    def warm(self) -> int:
        """Make sure the name index is loaded (waiting for the background load if one runs); return its size."""
        from actorgraph.queries.resolve import candidates, has_index

        if not has_index(self.engine) and self._loading.is_set():
            self._loaded.wait(INDEX_WAIT)
        with self.lock:
            return len(candidates(self.engine))

    def ready_count(self) -> int | None:
        """How many nodes the name index holds, or None while it loads."""
        from actorgraph.queries.resolve import candidates, has_index

        if not has_index(self.engine) and self._loading.is_set():
            return None
        with self.lock:
            return len(candidates(self.engine))

    def warm_in_background(self) -> threading.Thread:
        """Load the name index in a thread, a thousand nodes of one kind at a time, so pages answer meanwhile.

        The engine's lock is let go between chunks, and a chunk waits while requests are
        querying: a request waits for at most one chunk under way (~0.07 s at 100k on a busy
        machine), not for a whole kind (1 s).
        """
        from actorgraph.queries.resolve import NAMES_CYPHER, load_index

        def load() -> None:
            try:
                rows: list[dict[str, Any]] = []
                body = NAMES_CYPHER.replace("MATCH (n) WHERE NOT n:Source", "MATCH (n:{kind})")
                for kind in schema.KINDS:
                    if kind == "Source":
                        continue
                    chunk = body.replace("{kind}", schema.check_label(kind)) + " ORDER BY id SKIP $skip LIMIT $limit"
                    read = 0
                    while not self._stopping.is_set():
                        got = self._run_when_quiet(chunk, {"skip": read, "limit": INDEX_CHUNK})
                        rows += got
                        read += len(got)
                        time.sleep(0.002)  # a request waiting for the lock gets it now
                        if len(got) < INDEX_CHUNK:
                            break
                if not self._stopping.is_set():
                    with self.lock:
                        load_index(self.engine, rows)
            except Exception as exc:  # noqa: BLE001 - searches then load the index themselves, or say why not
                if not self._stopping.is_set():
                    log.warning("the name index did not load in the background: %s", exc)
            finally:
                self._loaded.set()

        self._loading.set()
        self._loader = threading.Thread(target=load, name="actorgraph-name-index", daemon=True)
        self._loader.start()
        return self._loader

    def stop_background(self, wait: float = 30.0) -> None:
        """Stop loading the name index (after the chunk under way) before the engine closes."""
        self._stopping.set()
        if self._loader is not None:
            self._loader.join(wait)

    # ------------------------------------------------------------------ search
    def search(self, text: str, limit: int = 20) -> list[dict[str, Any]]:
        from actorgraph.queries.resolve import search

        self.warm()
        with self.lock:
            found = search(self.engine, text, limit)
        return [
            {"id": c.id, "name": c.name, "labels": sorted(c.labels), "kind": schema.primary_label(list(c.labels))}
            for c in found
        ]

    def _kind(self, node_id: str) -> str:
        """The kind label a node's id is indexed under: from the name index if loaded, else asked of the engine."""
        from actorgraph.queries.resolve import candidate, has_index

        if node_id in self._kinds:
            return self._kinds[node_id]
        if has_index(self.engine):
            with self.lock:
                found = candidate(self.engine, node_id)
            kinds = [label for label in found.labels if label in schema.KINDS] if found else []
        else:  # while the index loads: one indexed lookup per kind, the likeliest (from the id's prefix) first
            guess = PREFIX_KINDS.get(node_id.partition(":")[0], "Actor")
            kinds = []
            for kind in sorted(schema.KINDS, key=lambda k: (k != guess, k == "Source")):
                if kind != "Source" and self.run(
                    f"MATCH (n:{schema.check_label(kind)}) WHERE n.id = $id RETURN 1 AS found LIMIT 1", {"id": node_id}
                ):
                    kinds = [kind]
                    break
        if len(kinds) != 1:
            raise NotFound(f"no node has the id {node_id!r}")
        if len(self._kinds) > 10_000:
            self._kinds.clear()
        self._kinds[node_id] = schema.check_label(kinds[0])
        return self._kinds[node_id]

    # ------------------------------------------------------------------ a node
    def node(self, node_id: str, rel_type: str | None = None, skip: int = 0) -> dict[str, Any]:
        """Properties, relationships grouped by type (with dates and provenance), and claims by or about it.

        The page shows its first `max_relationships` relationships; a hub's others are listed one
        type at a time (`rel_type`), `TYPE_PAGE` a page from `skip`, in a stable order (the
        other end's id), with that type's total. A type page leaves the claims to the node's page.
        """
        kind = self._kind(node_id)
        rows = self.run(
            f"MATCH (n:{kind}) WHERE n.id = $id RETURN labels(n) AS labels, properties(n) AS props", {"id": node_id}
        )
        if not rows:
            raise NotFound(f"no node has the id {node_id!r}")
        props = jsonable(without_bookkeeping(dict(rows[0]["props"])))
        labels = sorted(rows[0]["labels"])
        returned = (
            "RETURN type(r) AS type, startNode(r) = n AS out, properties(r) AS props, "
            "m.id AS other, m.name AS other_name, labels(m) AS other_labels"
        )
        page: dict[str, Any] | None = None
        if rel_type is None:
            rels = self.run(
                f"MATCH (n:{kind})-[r]-(m) WHERE n.id = $id AND type(r) <> '{HIDDEN}' {returned} "
                f"LIMIT {self.max_relationships + 1}",
                {"id": node_id},
            )
            truncated = len(rels) > self.max_relationships
            rels = rels[: self.max_relationships]
        else:
            if rel_type not in schema.RELATIONSHIPS or rel_type == HIDDEN:
                raise NotFound(f"no relationship type {rel_type!r}")
            typed = f"MATCH (n:{kind})-[r:{schema.check_rel_type(rel_type)}]-(m) WHERE n.id = $id"
            total = self.run(f"{typed} RETURN count(r) AS n", {"id": node_id})[0]["n"]
            rels = self.run(
                f"{typed} WITH n, r, m ORDER BY m.id, r.line SKIP $skip LIMIT {TYPE_PAGE} {returned}",
                {"id": node_id, "skip": skip},
            )
            truncated = False
            page = {"type": rel_type, "skip": skip, "size": TYPE_PAGE, "total": total}
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rels:
            rel_props = jsonable(row["props"])
            groups[row["type"]].append(
                {
                    "direction": "out" if row["out"] else "in",
                    "other": row["other"],
                    "other_name": row["other_name"] or row["other"],
                    "other_kind": schema.primary_label(row["other_labels"] or []),
                    "date": _dates(rel_props),
                    "year": year_of(rel_props),
                    "modality": rel_props.get("modality") or schema.DEFAULT_MODALITY,  # absent means stated
                    **{
                        k: rel_props.get(k)
                        for k in ("role", "evidence", "line", "source", "note", "caveat")
                        if rel_props.get(k)
                    },
                }
            )
        for items in groups.values() if page is None else ():  # a type page keeps its paging order
            items.sort(key=lambda r: (r["direction"], str(r["date"] or ""), str(r["other_name"])))
        claims_about, claims_by = self._claims(kind, node_id) if page is None else ([], [])
        return {
            "id": node_id,
            "labels": labels,
            "kind": schema.primary_label(labels),
            "names": {"en": props.get("name"), "kk": props.get("name_kk"), "ru": props.get("name_ru")},
            "aliases": props.get("aliases") or [],
            "properties": props,
            "relationships": dict(sorted(groups.items())),
            "truncated": truncated,
            "page": page,
            "claims_about": claims_about,
            "claims_by": claims_by,
        }

    def _claims(self, kind: str, node_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The first `MAX_CLAIMS` claims about the node, and made by it, in source order."""
        about = self.run(
            f"MATCH (n:{kind})<-[:ABOUT]-(c:Claim) WHERE n.id = $id "
            f"WITH c ORDER BY c.line, c.id LIMIT {MAX_CLAIMS} "
            "OPTIONAL MATCH (s)-[:MADE]->(c) "
            "RETURN c.id AS id, c.name AS name, c.text AS text, c.stance AS stance, c.topic AS topic, "
            "c.evidence AS evidence, c.line AS line, c.source AS source, collect(s.name) AS by, collect(s.id) AS by_ids "
            "ORDER BY line, id",
            {"id": node_id},
        )
        made = self.run(
            f"MATCH (n:{kind})-[:MADE]->(c:Claim) WHERE n.id = $id "
            f"WITH c ORDER BY c.line, c.id LIMIT {MAX_CLAIMS} "
            "OPTIONAL MATCH (c)-[:ABOUT]->(t) "
            "RETURN c.id AS id, c.name AS name, c.text AS text, c.stance AS stance, c.topic AS topic, "
            "c.evidence AS evidence, c.line AS line, c.source AS source, collect(t.name) AS about, "
            "collect(t.id) AS about_ids ORDER BY line, id",
            {"id": node_id},
        )
        return [jsonable(row) for row in about], [jsonable(row) for row in made]

    def network(self, node_id: str, limit: int = MAX_NEIGHBOURS) -> dict[str, Any]:
        """A node and its nearest neighbours, for a small expandable picture; each link says its modality."""
        kind = self._kind(node_id)
        rows = self.run(
            f"MATCH (n:{kind})-[r]-(m) WHERE n.id = $id AND type(r) <> '{HIDDEN}' "
            "RETURN n.id AS a, n.name AS a_name, labels(n) AS a_labels, coalesce(n.date, n.start) AS a_date, "
            "m.id AS b, m.name AS b_name, labels(m) AS b_labels, coalesce(m.date, m.start) AS b_date, "
            "type(r) AS type, startNode(r) = n AS out, coalesce(r.date, r.start) AS date, r.evidence AS evidence, "
            f"r.line AS line, r.modality AS modality, r.caveat AS caveat LIMIT {limit * 3}",
            {"id": node_id},
        )
        nodes: dict[str, dict[str, Any]] = {}
        edges = []
        for row in rows:
            if row["b"] not in nodes and len(nodes) > limit:
                continue
            for end in ("a", "b"):
                nodes.setdefault(
                    row[end], _vis_node(row[end], row[f"{end}_name"], row[f"{end}_labels"], row[f"{end}_date"])
                )
            start, finish = (row["a"], row["b"]) if row["out"] else (row["b"], row["a"])
            edges.append(_vis_edge(start, finish, row))
        if not nodes:  # an isolated node
            detail = self.node(node_id)
            nodes[node_id] = _vis_node(
                node_id, detail["names"]["en"], detail["labels"], detail["properties"].get("date")
            )
        return place({"centre": node_id, "nodes": list(nodes.values()), "edges": edges})

    def subgraph(self, ids: list[str]) -> dict[str, Any]:
        """The nodes with these ids and the relationships among them, each with its modality (answers as graphs)."""
        from actorgraph.queries.resolve import candidate

        self.warm()
        wanted = list(dict.fromkeys(ids))[:MAX_SUBGRAPH]
        by_kind: dict[str, list[str]] = defaultdict(list)
        nodes: dict[str, dict[str, Any]] = {}
        with self.lock:
            for node_id in wanted:
                found = candidate(self.engine, node_id)
                if found is None:
                    continue
                kinds = [label for label in found.labels if label in schema.KINDS]
                if len(kinds) == 1:
                    by_kind[kinds[0]].append(node_id)
                    nodes[node_id] = _vis_node(node_id, found.name, list(found.labels), None)
        edges = []
        for kind, members in sorted(by_kind.items()):
            rows = self.run(
                f"MATCH (a:{schema.check_label(kind)})-[r]->(b) WHERE a.id IN $ids AND b.id IN $all "
                f"AND type(r) <> '{HIDDEN}' RETURN a.id AS a, b.id AS b, type(r) AS type, "
                "coalesce(r.date, r.start) AS date, r.evidence AS evidence, r.line AS line, "
                "r.modality AS modality, r.caveat AS caveat",
                {"ids": members, "all": list(nodes)},
            )
            edges += [_vis_edge(r["a"], r["b"], r) for r in rows]
        return place({"centre": None, "nodes": list(nodes.values()), "edges": edges})

    # ------------------------------------------------------------------ sources
    def source(self, source_id: str) -> SourceText:
        """A source's lines, read from the source folders as `build` does; a clear problem when absent."""
        if source_id in self._texts:
            self._texts.move_to_end(source_id)
            return self._texts[source_id]
        rows = self.run(
            "MATCH (s:Source) WHERE s.id = $id RETURN s.name AS name, s.file AS file, s.citation AS citation",
            {"id": source_id},
        )
        if not rows:
            raise NotFound(f"no source has the id {source_id!r}")
        name, file = str(rows[0]["name"] or source_id), rows[0]["file"]
        text = SourceText(source_id, name, file, None, citation=rows[0]["citation"])
        if not file or Path(str(file)).name != file or file in (".", ".."):
            text.problem = f"the source {source_id!r} names no plain file ({file!r})"
        else:
            found = next((folder / file for folder in self.source_dirs if (folder / file).is_file()), None)
            if found is None:
                looked = ", ".join(str(folder) for folder in self.source_dirs) or "no source folder"
                text.problem = f"the text {file!r} is not on this machine (looked in: {looked})"
            else:
                raw = found.read_bytes()
                if b"\x00" in raw[:65536]:  # an .rda or other binary data file: rows, not lines of text
                    text.problem = f"{file!r} is a binary data file, not text: the evidence quotes the row's key fields"
                else:
                    text.lines = raw.decode("utf-8", errors="replace").splitlines()
        self._texts[source_id] = text
        while len(self._texts) > SOURCE_CACHE:
            self._texts.popitem(last=False)
        return text

    # ------------------------------------------------------------------ questions and Cypher
    def ask(self, name: str, values: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
        """A catalogue answer's rows, and the ids of the actors its parameters named."""
        from actorgraph.queries.registry import ask, get_question
        from actorgraph.queries.resolve import resolve

        with self.lock:
            rows = ask(self.engine, name, **values)
            named = [
                resolve(self.engine, str(values[p.name])).id
                for p in get_question(name).params
                if p.type == "actor" and values.get(p.name)
            ]
        return [jsonable(row) for row in rows[:MAX_ROWS]], named

    def cypher(self, text: str) -> tuple[list[dict[str, Any]], list[str]]:
        """Rows of a read-only query (the engine refuses writes), and the ids of the nodes they hold."""
        rows = self.run(text)
        ids: list[str] = []
        for row in rows[:MAX_ROWS]:
            for value in row.values():
                _collect_ids(value, ids)
        return [jsonable(row) for row in rows[:MAX_ROWS]], ids

    def ids_in(self, rows: list[dict[str, Any]]) -> list[str]:
        """Node ids an answer mentions: by id, or by a name only one node has, anywhere in its values."""
        from actorgraph.queries.resolve import candidate, candidates

        found: list[str] = []
        self.warm()
        with self.lock:
            nodes = candidates(self.engine)
        if self._names is None or self._names[0] is not nodes:
            names: dict[str, list[str]] = defaultdict(list)
            for c in nodes.values():
                names[c.name].append(c.id)
            self._names = (nodes, {name: ids[0] for name, ids in names.items() if len(ids) == 1})
        unique = self._names[1]

        def visit(value: Any) -> None:
            if isinstance(value, str):
                if ":" in value and candidate(self.engine, value) is not None:
                    found.append(value)
                elif value in unique:
                    found.append(unique[value])
            elif isinstance(value, list):
                for item in value:
                    visit(item)
            elif isinstance(value, dict):
                for item in value.values():
                    visit(item)

        with self.lock:
            visit(rows)
        return list(dict.fromkeys(found))


def place(graph: dict[str, Any]) -> dict[str, Any]:
    """Give a network's nodes positions where no two labels overlap (the maps' layout), centre in the middle."""
    from actorgraph.viz.layout import layout, node_box

    boxes = {
        n["id"]: node_box(short_name(n["name"]), n["shape"], 18 if n["id"] == graph["centre"] else 12)
        for n in graph["nodes"]
    }
    positions = layout(list(boxes), ((e["from"], e["to"]) for e in graph["edges"]), boxes, centre=graph["centre"])
    for node in graph["nodes"]:
        node["x"], node["y"] = positions[node["id"]]
    return graph


def short_name(name: str) -> str:
    """A name as the explorer's networks label it (explorer.js cuts the same way)."""
    return name if len(name) <= NETWORK_LABEL else name[: NETWORK_LABEL - 1] + "…"


def _collect_ids(value: Any, ids: list[str]) -> None:
    if isinstance(value, Node) and value.get("id"):
        ids.append(str(value.get("id")))
    elif isinstance(value, GraphPath):
        for node in value.nodes:
            _collect_ids(node, ids)
    elif isinstance(value, list):
        for item in value:
            _collect_ids(item, ids)


def jsonable(value: Any) -> Any:
    """Engine values as JSON: nodes and relationships as dicts, dates and other objects as strings."""
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), "properties": jsonable(value.properties)}
    if isinstance(value, Relationship):
        return {"type": value.type, "properties": jsonable(value.properties)}
    if isinstance(value, GraphPath):
        return {
            "nodes": [jsonable(n) for n in value.nodes],
            "relationships": [jsonable(r) for r in value.relationships],
        }
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _dates(props: dict[str, Any]) -> str | None:
    if props.get("start") or props.get("end"):
        return f"{props.get('start') or '…'} – {props.get('end') or '…'}"
    return props.get("date") or (str(props["year"]) if props.get("year") else None)


def _vis_node(node_id: str, name: Any, labels: list[str], date: Any) -> dict[str, Any]:
    kind = schema.primary_label(labels or [])
    spec = schema.LABELS[kind]
    return {
        "id": node_id,
        "name": str(name or node_id),
        "kind": kind,
        "colour": spec.colour,
        "shape": spec.shape,
        "year": year_of({"date": date}),
    }


def _vis_edge(start: str, finish: str, row: dict[str, Any]) -> dict[str, Any]:
    """A link for the networks: what it is, when, how the source puts it (modality), and its evidence."""
    return {
        "from": start,
        "to": finish,
        "label": row["type"],
        "year": year_of({"date": row["date"]}),
        "modality": row.get("modality") or schema.DEFAULT_MODALITY,
        "title": _edge_title(row),
    }


def _edge_title(row: dict[str, Any]) -> str:
    parts = [str(row.get("type"))]
    if row.get("modality") and row["modality"] != schema.DEFAULT_MODALITY:
        parts.append(f"modality: {row['modality']} (not stated as fact)")
    if row.get("date"):
        parts.append(str(row["date"]))
    if row.get("evidence"):
        parts.append(f"“{row['evidence']}” (line {row.get('line')})")
    if row.get("caveat"):
        parts.append(f"caveat (a problem in the source): {row['caveat']}")
    return " · ".join(parts)
