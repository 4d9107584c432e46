"""The explorer's HTML pages, built as strings with every value from the graph escaped.

No template engine: each page is a few lines of HTML around `esc()`-ed values, so
it is easy to see that nothing from the data reaches the page as markup. Pages carry
no inline script or style (the Content-Security-Policy forbids them); data for a
network travels in a `<script type="application/json">` block, escaped so that no
string can close it, and is drawn by /static/explorer.js.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from typing import Any
from urllib.parse import quote, urlencode

from actorgraph.graph import schema

KIND_ORDER = list(schema.LABELS)


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def node_url(node_id: str) -> str:
    return "/node/" + quote(node_id, safe=":")


def source_url(source_id: Any, line: Any, phrase: Any = None) -> str:
    query = {"line": line} if line else {}
    if phrase:
        query["phrase"] = phrase
    anchor = f"#L{line}" if line else ""
    return "/source/" + quote(str(source_id), safe=":") + ("?" + urlencode(query) if query else "") + anchor


def page(title: str, body: str, *, query: str = "") -> str:
    """A whole page: header with the search box, then `body` (already escaped)."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} · actorgraph</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/vis-network.css">
<link rel="stylesheet" href="/static/explorer.css">
<script src="/static/vis-network.min.js" defer></script>
<script src="/static/explorer.js" defer></script>
</head>
<body>
<header>
  <a class="home" href="/">actorgraph explorer</a>
  <form action="/search" method="get" role="search">
    <input id="q" name="q" value="{esc(query)}" placeholder="Any name, any spelling: Мирзиёев, Tashkent…"
           aria-label="Search" autocomplete="off" list="q-names" data-complete="q-names">
    <datalist id="q-names"></datalist>
    <button type="submit">Search</button>
  </form>
  <nav><a href="/ask">Questions</a> <a href="/cypher">Cypher</a></nav>
</header>
<main>
{body}
</main>
</body>
</html>
"""


def json_block(element_id: str, value: Any) -> str:
    """Data for the page's script, safe inside HTML (no `<`, `>` or `&` left raw)."""
    text = json.dumps(value, ensure_ascii=False)
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return f'<script type="application/json" id="{esc(element_id)}">{text}</script>'


def network_box(*, api: str | None = None, data: dict[str, Any] | None = None, caption: str = "") -> str:
    """A network view with a year filter; drawn from an API URL or from embedded data."""
    source = f'data-api="{esc(api)}"' if api else 'data-graph="graph-data"'
    block = json_block("graph-data", data) if data is not None else ""
    return f"""<section class="network-box">
  <div class="network-tools">
    <span>{esc(caption)}</span>
    <label>Years <input class="year-from" type="number" aria-label="From year" placeholder="from"></label>
    <label>to <input class="year-to" type="number" aria-label="To year" placeholder="to"></label>
  </div>
  <div class="network" {source} role="img" aria-label="Network"></div>
  <p class="hint">Click a node to add its neighbours; double-click to open its page.</p>
  {block}
</section>"""


def home(nodes: int | None) -> str:
    count = (
        f"{nodes} named nodes." if nodes is not None else "The names are still loading (a few seconds on a big graph)."
    )
    body = f"""<h1>Explore the graph</h1>
<p>{count} Search for anyone or anything above, in any language or spelling. Every fact
links to the line of the source it comes from.</p>
<ul>
  <li><a href="/ask">The catalogue of questions</a>, as forms</li>
  <li><a href="/cypher">A read-only Cypher box</a></li>
</ul>"""
    return page("Explore", body)


def search_results(query: str, results: list[dict[str, Any]]) -> str:
    if not query.strip():
        return page("Search", "<h1>Search</h1><p>Type a name above.</p>")
    if not results:
        return page("Search", f"<h1>Search</h1><p>Nothing matches “{esc(query)}”.</p>", query=query)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in results:
        groups[item["kind"]].append(item)
    parts = [f"<h1>Matches for “{esc(query)}”</h1>"]
    for kind in sorted(groups, key=KIND_ORDER.index):
        parts.append(f'<h2>{esc(kind)}</h2><ul class="results">')
        parts += [
            f'<li><a href="{esc(node_url(item["id"]))}">{esc(item["name"])}</a> <small>{esc(item["id"])}</small></li>'
            for item in groups[kind]
        ]
        parts.append("</ul>")
    return page(f"Search: {query}", "\n".join(parts), query=query)


def evidence(item: dict[str, Any]) -> str:
    """The evidence phrase and a link to its line in the source."""
    if not item.get("evidence") and not item.get("line"):
        return ""
    phrase = f"“{esc(item.get('evidence'))}”" if item.get("evidence") else ""
    if item.get("source") and item.get("line"):
        link = (
            f'<a class="evidence" href="{esc(source_url(item["source"], item["line"], item.get("evidence")))}">'
            f"line {esc(item['line'])}</a>"
        )
    else:
        link = f"line {esc(item.get('line'))}" if item.get("line") else ""
    return f"{phrase} {link}".strip()


def type_url(node_id: str, rel_type: str, skip: int) -> str:
    """A page of one type of a node's relationships."""
    return node_url(node_id) + "?" + urlencode({"type": rel_type, **({"skip": skip} if skip else {})})


def _type_pager(node_id: str, paged: dict[str, Any]) -> str:
    """Where this page of one relationship type sits, with links to the node and the next and previous pages."""
    skip, size, total = paged["skip"], paged["size"], paged["total"]
    links = [f'<a href="{esc(node_url(node_id))}">the whole node</a>']
    if skip > 0:
        links.append(
            f'<a rel="prev" href="{esc(type_url(node_id, paged["type"], max(0, skip - size)))}">← previous</a>'
        )
    if skip + size < total:
        links.append(f'<a rel="next" href="{esc(type_url(node_id, paged["type"], skip + size))}">next →</a>')
    shown = f"{skip + 1}-{min(skip + size, total)}" if skip < total else "none"
    return (
        f'<p class="pager">{esc(paged["type"])}: {shown} of {total}, in the order of the other end\'s id · '
        + " · ".join(links)
        + "</p>"
    )


def node_page(node: dict[str, Any]) -> str:
    names = node["names"]
    props = node["properties"]
    title = names["en"] or node["id"]
    rows = [
        f"<tr><th>{label}</th><td>{esc(value)}</td></tr>"
        for label, value in (("English", names["en"]), ("Kazakh", names["kk"]), ("Russian", names["ru"]))
    ]
    if node["aliases"]:
        rows.append(f"<tr><th>Also</th><td>{esc(', '.join(map(str, node['aliases'])))}</td></tr>")
    skip = {"id", "name", "name_kk", "name_ru", "aliases", "evidence", "line", "source"}
    for key, value in sorted(props.items()):
        if key not in skip and value not in (None, "", []):
            if key == "caveat":  # a problem in the source itself: set apart, in words
                rows.append(f'<tr class="caveat"><th>caveat (a problem in the source)</th><td>{esc(value)}</td></tr>')
            else:
                rows.append(f"<tr><th>{esc(key)}</th><td>{esc(value)}</td></tr>")
    parts = [
        f'<h1>{esc(title)} <span class="kind">{esc(node["kind"])}</span></h1>',
        f'<p class="labels">{esc(" · ".join(node["labels"]))} · <code>{esc(node["id"])}</code></p>',
        f'<table class="names">{"".join(rows)}</table>',
    ]
    if props.get("evidence") or props.get("line"):
        parts.append(f'<p class="provenance">Source: {evidence(props)}</p>')
    parts.append(network_box(api=f"/api/node/{quote(node['id'], safe=':')}/network", caption="Its neighbours"))
    parts.append(
        '<h2>Relationships</h2><p class="hint">Each is stated as fact by its source unless marked '
        "(expected, planned, proposed, …); a caveat is a problem in the source itself.</p>"
    )
    paged = node.get("page")
    if paged:
        parts.append(_type_pager(node["id"], paged))
    if not node["relationships"]:
        parts.append("<p>None stated.</p>" if not paged else "<p>None on this page.</p>")
    for rel_type, items in node["relationships"].items():
        description = schema.RELATIONSHIPS[rel_type].description if rel_type in schema.RELATIONSHIPS else ""
        count = f"{paged['skip'] + 1}-{paged['skip'] + len(items)} of {paged['total']}" if paged else len(items)
        every = (
            f' <a class="all-of-type" href="{esc(type_url(node["id"], rel_type, 0))}">all {esc(rel_type)} →</a>'
            if node["truncated"]
            else ""
        )
        parts.append(
            f'<section class="rel"><h3>{esc(rel_type)} <small>({count}) {esc(description)}</small>{every}</h3><table>'
            "<tr><th></th><th>With</th><th>Date</th><th>How put · role · note</th><th>Evidence</th></tr>"
        )
        for item in items:
            arrow = "→" if item["direction"] == "out" else "←"
            role = _how_put(item)
            parts.append(
                f'<tr><td title="{esc(item["direction"])}">{arrow}</td>'
                f'<td><a class="neighbour" href="{esc(node_url(item["other"]))}">{esc(item["other_name"])}</a> '
                f"<small>{esc(item['other_kind'])}</small></td>"
                f"<td>{esc(item['date'] or '')}</td><td>{role}</td><td>{evidence(item)}</td></tr>"
            )
        parts.append("</table></section>")
    if node["truncated"]:
        parts.append(
            f'<p class="truncated">Only its first {sum(map(len, node["relationships"].values()))} relationships '
            "are shown: each type's “all” link lists every one of that type, a page at a time "
            "(a type not shown here is a question or a Cypher query away).</p>"
        )
    if paged:
        parts.append(_type_pager(node["id"], paged))
    for key, heading, other in (("claims_by", "Claims it made", "about"), ("claims_about", "Claims about it", "by")):
        if not node[key]:
            continue
        parts.append(f'<h2>{heading}</h2><ul class="claims">')
        for claim in node[key]:
            links = ", ".join(
                f'<a href="{esc(node_url(i))}">{esc(n)}</a>'
                for n, i in zip(claim[other], claim[f"{other}_ids"], strict=False)
            )
            parts.append(
                f'<li><a href="{esc(node_url(claim["id"]))}">{esc(claim["name"] or claim["id"])}</a>'
                f" <small>{esc(claim['stance'])} · {esc(claim['topic'])}</small>"
                f"<br>{esc(claim['text'])}<br><small>{other}: {links or '—'} · {evidence(claim)}</small></li>"
            )
        parts.append("</ul>")
    return page(str(title), "\n".join(parts))


def _how_put(item: dict[str, Any]) -> str:
    """A relationship's modality (when not stated), role, note and caveat, escaped, for the node page's table."""
    parts = []
    modality = item.get("modality") or schema.DEFAULT_MODALITY
    if modality != schema.DEFAULT_MODALITY:
        parts.append(f'<span class="modality">{esc(modality)}</span>')
    parts += [esc(item[k]) for k in ("role", "note") if item.get(k)]
    if item.get("caveat"):
        parts.append(f'<span class="caveat">caveat: {esc(item["caveat"])}</span>')
    return " · ".join(parts)


def source_page(text: Any, line: int | None, phrase: str | None) -> str:
    head = f'<h1>{esc(text.name)}</h1><p class="labels"><code>{esc(text.id)}</code> · file {esc(text.file)}</p>'
    if text.citation:
        head += f'<p class="citation">Cite: {esc(text.citation)}</p>'
    if text.lines is None:
        cited = f'<p class="context">Line or row {line}: “{esc(phrase)}”</p>' if line and phrase else ""
        return page(text.name, head + f'<p class="problem">{esc(text.problem)}</p>' + cited)
    parts = [head]
    if line:
        if not 1 <= line <= len(text.lines):
            parts.append(f'<p class="problem">The text has {len(text.lines)} lines; there is no line {line}.</p>')
        else:
            parts.append(
                f'<p class="context">Line {line}, with the lines around it highlighted below. <a href="#L{line}">Go to it</a></p>'
            )
    parts.append('<ol class="source">')
    for number, content in enumerate(text.lines, 1):
        near = line is not None and abs(number - line) <= 2 and number != line
        css = ' class="near"' if near else (' class="cited"' if number == line else "")
        parts.append(f'<li id="L{number}"{css}>{_marked(content, phrase) if number == line else esc(content)}</li>')
    parts.append("</ol>")
    return page(text.name, "\n".join(parts))


def _marked(content: str, phrase: str | None) -> str:
    """The line with the evidence phrase in <mark> (case-insensitive), everything escaped."""
    if not phrase:
        return esc(content)
    at = content.casefold().find(phrase.casefold())
    if at < 0 or len(content.casefold()) != len(content):
        return esc(content)
    end = at + len(phrase)
    return f"{esc(content[:at])}<mark>{esc(content[at:end])}</mark>{esc(content[end:])}"


def questions_page(questions: list[Any]) -> str:
    items = "".join(
        f'<li><a href="/ask/{esc(q.name)}">{esc(q.question)}</a> <small>{esc(q.name)}</small></li>' for q in questions
    )
    return page("Questions", f'<h1>Questions</h1><ul class="questions">{items}</ul>')


def table(rows: list[dict[str, Any]], known: set[str]) -> str:
    """Rows as an HTML table; node ids become links to their pages."""
    if not rows:
        return "<p>No rows.</p>"
    columns = list(dict.fromkeys(key for row in rows for key in row))
    head = "".join(f"<th>{esc(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_cell(row.get(c), known)}</td>" for c in columns) + "</tr>" for row in rows)
    return f'<table class="answer"><tr>{head}</tr>{body}</table><p class="hint">{len(rows)} rows</p>'


def _cell(value: Any, known: set[str]) -> str:
    if isinstance(value, str) and value in known:
        return f'<a href="{esc(node_url(value))}">{esc(value)}</a>'
    if isinstance(value, list):
        return ", ".join(_cell(item, known) for item in value)
    if isinstance(value, dict):
        return esc(json.dumps(value, ensure_ascii=False))
    return esc("" if value is None else value)


def question_page(
    question: Any,
    values: dict[str, str],
    rows: list[dict[str, Any]] | None,
    error: str | None,
    known: set[str],
    graph: dict[str, Any] | None,
) -> str:
    fields = []
    for param in question.params:
        complete = (
            f' list="names-{esc(param.name)}" data-complete="names-{esc(param.name)}"' if param.type == "actor" else ""
        )
        datalist = f'<datalist id="names-{esc(param.name)}"></datalist>' if param.type == "actor" else ""
        fields.append(
            f"<label>{esc(param.name)} <small>({esc(param.type)}{', optional' if param.optional else ''})</small> "
            f'<input name="{esc(param.name)}" value="{esc(values.get(param.name, ""))}" '
            f'placeholder="{esc(param.example or "")}" autocomplete="off"{complete}></label>{datalist}'
        )
    parts = [
        f"<h1>{esc(question.question)}</h1>",
        f'<form class="ask" action="/ask/{esc(question.name)}" method="get">{"".join(fields)}'
        '<input type="hidden" name="run" value="1"><button type="submit">Ask</button></form>',
    ]
    parts += _answer(rows, error, known, graph, "The answer as a network")
    return page(question.question, "\n".join(parts))


def cypher_page(
    text: str, rows: list[dict[str, Any]] | None, error: str | None, known: set[str], graph: dict[str, Any] | None
) -> str:
    parts = [
        "<h1>Cypher (read-only)</h1>",
        '<form class="cypher" action="/cypher" method="get">'
        f'<textarea name="q" rows="5" aria-label="Cypher query">{esc(text)}</textarea>'
        '<button type="submit">Run</button></form>',
        '<p class="hint">The engine runs every query read-only: a write is refused.</p>',
    ]
    parts += _answer(rows, error, known, graph, "Nodes in the result and the relationships among them")
    return page("Cypher", "\n".join(parts))


def _answer(
    rows: list[dict[str, Any]] | None, error: str | None, known: set[str], graph: dict[str, Any] | None, caption: str
) -> list[str]:
    """What a question or a Cypher query gave: its error, or its rows as a network (if graph-shaped) and a table."""
    parts = []
    if error:
        parts.append(f'<p class="problem">{esc(error)}</p>')
    if rows is not None:
        if graph and len(graph["nodes"]) > 1:
            parts.append(network_box(data=graph, caption=caption))
        parts.append(table(rows, known))
    return parts


def problem_page(status: int, message: str) -> str:
    return page(f"{status}", f'<h1>{status}</h1><p class="problem">{esc(message)}</p>')
