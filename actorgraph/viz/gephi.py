"""GraphML and GEXF written for Gephi 0.10 (and networkx): every relationship arrives.

Gephi merges edges that join the same two nodes with the same edge *type* (its default
import), so each edge gets its relationship type as that type: GEXF's `kind` attribute and
GraphML's `label` attribute on `<edge>` (what Gephi's importers read). Two relationships of
one type between the same nodes (ten `COOPERATES_WITH` from Kazakhstan to Uzbekistan, one
per domain) get types made distinct by their id's qualifier (`COOPERATES_WITH#trade`); the
plain type is always in the `relationship` column, to filter or colour by in Gephi.

GEXF is static by default: dates stay plain string attributes (`start`, `end`, `date`),
since Gephi would read `2024` as 2024-01-01. `dynamic=True` writes a timeline instead: an
element with `start`/`end` gets an interval from the first day of its start to the last
day of its end at the precision known (`2019` ends on 2019-12-31), and keeps the strings.

Attribute values must be scalars: lists are joined with `;` (as `labels` is:
`Actor;Leader;Person`); control characters XML 1.0 cannot hold become U+FFFD. Files are
written as a stream, so a big graph needs no XML tree.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from actorgraph.graph import schema
from actorgraph.graph.spool import GraphRecords, InMemory, records_of
from actorgraph.viz.exports import columns_of

LIST_DELIMITER = ";"
#: Edge fields of the node-link data that are written as XML attributes, not columns.
LINK_FIELDS = ("source", "target", "type", "id")
#: Column names Gephi keeps for itself (its id, label, weight and time columns).
GEPHI_RESERVED = ("id", "label", "weight", "timeset", "interval")

#: Characters XML 1.0 cannot hold, even escaped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Characters after which a value is more than itself in quotes: those `NOT_XML` replaces, those
#: `escape` and `quoteattr` write as references, and quotes. Most values have none: one search each.
_SPECIAL = re.compile("[\x00-\x1f\ufffe\uffff&<>\"']")
#: GraphML's and GEXF's names for our value types (lists are joined into strings).
XML_TYPES = {"int": "long", "float": "double", "bool": "boolean"}


def scalar(value: Any) -> Any:
    """A value an XML attribute can hold: lists joined with `;`."""
    if isinstance(value, list):
        return LIST_DELIMITER.join(str(item) for item in value)
    return value


def _attr(value: Any) -> str:
    """`value` as a quoted XML attribute value."""
    text = str(value)
    if _SPECIAL.search(text) is None:
        return f'"{text}"'
    return quoteattr(NOT_XML.sub("\ufffd", text))


def _text(value: Any, kind: str) -> str:
    """`value` as the text of a column of type `kind` (what XML cannot hold is left to `_attr`, `_content`)."""
    if kind == "bool":
        return "true" if value else "false"
    return str(scalar(value))


def _content(text: str) -> str:
    """`text` as an element's content."""
    if _SPECIAL.search(text) is None:
        return text
    return escape(NOT_XML.sub("\ufffd", text))


def _columns(
    signatures: dict[str, set[Any]], skip: tuple[str, ...], added: dict[str, set[Any]]
) -> list[tuple[str, str, str]]:
    """(column name, property, value type) for every property but `skip`, plus `added`, sorted.

    The column is named after the property, with `_` added to names Gephi keeps for itself.
    """
    return [
        (f"{key}_" if key in GEPHI_RESERVED else key, key, kind) for key, kind in columns_of(signatures, skip, added)
    ]


def _node_columns(records: GraphRecords) -> list[tuple[str, str, str]]:
    return _columns(records.tally.node_signatures, ("id", "labels", "label"), {"labels": {str}})


def _edge_columns(records: GraphRecords) -> list[tuple[str, str, str]]:
    return _columns(records.tally.link_signatures, (*LINK_FIELDS, "label"), {"relationship": {str}})


class EdgeKinds:
    """Gephi's edge type for each link, in order: its relationship type, made distinct among parallel edges.

    Links that share end points and type (`parallel`) get `TYPE#qualifier` (the part of
    their id after `#`, or their position); the first one without a qualifier keeps the plain type.
    """

    def __init__(self, parallel: set[tuple[Any, Any, str]]) -> None:
        self.parallel = parallel
        self.used: set[tuple[Any, Any, str]] = set()

    def of(self, link: dict[str, Any]) -> str:
        ends, kind = (link["source"], link["target"]), link["type"]
        if (*ends, kind) not in self.parallel:
            return kind  # no other link has these ends and type: nothing to tell apart
        qualifier = str(link.get("id") or "").partition("#")[2]
        kind = f"{kind}#{qualifier}" if qualifier else kind
        number = 1
        while (*ends, kind) in self.used:  # no qualifier, or one that is taken: number them
            number += 1
            kind = f"{link['type']}#{number}"
        self.used.add((*ends, kind))
        return kind


def edge_kinds(links: list[dict[str, Any]]) -> list[str]:
    """Gephi's edge type for each of `links` (see `EdgeKinds`)."""
    kinds = EdgeKinds(InMemory({"nodes": [], "links": links}).parallel())
    return [kinds.of(link) for link in links]


def _edge_id(link: dict[str, Any], position: int) -> str:
    return str(link.get("id") or f"e{position}")


def _node_label(node: dict[str, Any]) -> str:
    return str(node.get("name") or node["id"])


def _node_values(node: dict[str, Any]) -> dict[str, Any]:
    values = {key: value for key, value in node.items() if key not in ("id", "labels")}
    values["labels"] = LIST_DELIMITER.join(node.get("labels", []))
    return values


def _link_values(link: dict[str, Any]) -> dict[str, Any]:
    values = {key: value for key, value in link.items() if key not in LINK_FIELDS}
    values["relationship"] = link["type"]
    return values


# --------------------------------------------------------------------------- GraphML


def write_graphml(data: dict[str, Any], stream: IO[str]) -> None:
    """`data` (node-link, or a spool) as GraphML: a directed graph whose edges carry Gephi's type in `label`."""
    records = records_of(data)
    node_columns = [("label", "label", "str"), *_node_columns(records)]
    edge_columns = [("label", "label", "str"), *_edge_columns(records)]
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    for prefix, what, columns in (("n", "node", node_columns), ("e", "edge", edge_columns)):
        for column, _, kind in columns:
            stream.write(
                f'  <key id={_attr(f"{prefix}_{column}")} for="{what}" attr.name={_attr(column)} '
                f'attr.type="{XML_TYPES.get(kind, "string")}"/>\n'
            )
    stream.write('  <graph id="actorgraph" edgedefault="directed">\n')
    node_data, edge_data = _data_columns("n", node_columns), _data_columns("e", edge_columns)
    for node in records.nodes():
        values = {**_node_values(node), "label": _node_label(node)}
        stream.write(f"    <node id={_attr(str(node['id']))}>\n")
        stream.writelines(_graphml_data(node_data, values))
        stream.write("    </node>\n")
    kinds = EdgeKinds(records.parallel())
    for position, link in enumerate(records.links()):
        values, kind = {**_link_values(link), "label": link["type"]}, kinds.of(link)
        stream.write(
            f"    <edge id={_attr(_edge_id(link, position))} source={_attr(str(link['source']))} "
            f"target={_attr(str(link['target']))} label={_attr(kind)}>\n"
        )
        stream.writelines(_graphml_data(edge_data, values))
        stream.write("    </edge>\n")
    stream.write("  </graph>\n</graphml>\n")


def _data_columns(prefix: str, columns: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """(the `<data>` element's opening tag, property, value type) for each column."""
    return [(f"      <data key={_attr(f'{prefix}_{column}')}>", key, kind) for column, key, kind in columns]


def _graphml_data(columns: list[tuple[str, str, str]], values: dict[str, Any]) -> Iterator[str]:
    for opening, key, kind in columns:
        value = values.get(key)
        if value is not None:
            yield f"{opening}{_content(_text(value, kind))}</data>\n"


# ------------------------------------------------------------------------------ GEXF


def write_gexf(data: dict[str, Any], stream: IO[str], *, dynamic: bool = False) -> None:
    """`data` (node-link, or a spool) as GEXF 1.3: static with dates as attributes, or a dated timeline."""
    records = records_of(data)
    node_columns = _node_columns(records)
    edge_columns = _edge_columns(records)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(
        '<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">\n'
    )
    stream.write("  <meta>\n    <creator>actorgraph</creator>\n  </meta>\n")
    mode = 'mode="dynamic" timeformat="date"' if dynamic else 'mode="static"'
    stream.write(f'  <graph defaultedgetype="directed" {mode}>\n')
    for what, columns in (("node", node_columns), ("edge", edge_columns)):
        stream.write(f'    <attributes class="{what}">\n')
        for column, _, kind in columns:
            stream.write(
                f'      <attribute id={_attr(column)} title={_attr(column)} type="{XML_TYPES.get(kind, "string")}"/>\n'
            )
        stream.write("    </attributes>\n")
    stream.write("    <nodes>\n")
    for node in records.nodes():
        values, span = _node_values(node), _interval(node) if dynamic else ""
        stream.write(f"      <node id={_attr(str(node['id']))} label={_attr(_node_label(node))}{span}>\n")
        stream.writelines(_gexf_values(node_columns, values))
        stream.write("      </node>\n")
    stream.write("    </nodes>\n    <edges>\n")
    kinds = EdgeKinds(records.parallel())
    for position, link in enumerate(records.links()):
        values, kind, span = _link_values(link), kinds.of(link), _interval(link) if dynamic else ""
        stream.write(
            f"      <edge id={_attr(_edge_id(link, position))} source={_attr(str(link['source']))} "
            f"target={_attr(str(link['target']))} kind={_attr(kind)} label={_attr(link['type'])}{span}>\n"
        )
        stream.writelines(_gexf_values(edge_columns, values))
        stream.write("      </edge>\n")
    stream.write("    </edges>\n  </graph>\n</gexf>\n")


def _gexf_values(columns: list[tuple[str, str, str]], values: dict[str, Any]) -> Iterator[str]:
    present = [(column, kind, values.get(key)) for column, key, kind in columns]
    present = [(column, kind, value) for column, kind, value in present if value is not None]
    if not present:
        return
    yield "        <attvalues>\n"
    for column, kind, value in present:
        yield f"          <attvalue for={_attr(column)} value={_attr(_text(value, kind))}/>\n"
    yield "        </attvalues>\n"


def _interval(item: dict[str, Any]) -> str:
    """` start="..." end="..."` for an element with ISO `start`/`end` dates, else nothing."""
    start, end = first_day(item.get("start")), last_day(item.get("end"))
    if start and end and end < start:
        return ""  # a reversed interval would hide the element on Gephi's timeline
    return (f' start="{start}"' if start else "") + (f' end="{end}"' if end else "")


def first_day(value: Any) -> str | None:
    """`2019` -> `2019-01-01`, `2019-05` -> `2019-05-01`; None for anything but an ISO date."""
    if not isinstance(value, str) or not schema.DATE_PATTERN.match(value):
        return None
    parts = value.split("-")
    return "-".join([parts[0], *(parts[1:] + ["01", "01"])[:2]])


def last_day(value: Any) -> str | None:
    """`2019` -> `2019-12-31`, `2020-02` -> `2020-02-29`; None for anything but an ISO date."""
    if not isinstance(value, str) or not schema.DATE_PATTERN.match(value):
        return None
    parts = value.split("-")
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else 12
    if not 1 <= month <= 12:
        return None
    day = parts[2] if len(parts) > 2 else f"{calendar.monthrange(year, month)[1]:02d}"
    return f"{parts[0]}-{month:02d}-{day}"
