"""The one allow-list of node labels, relationship types and properties.

Everything else (validation, writes, exports, maps, docs) derives from this module.
Labels and relationship types that are not listed here are refused before any
Cypher is built, so they can be spliced into a query safely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --------------------------------------------------------------------------- labels


@dataclass(frozen=True)
class LabelSpec:
    """A node label: what it means, its parent kind and how maps draw it."""

    name: str
    description: str
    kind: str  # the top-level kind it belongs to (Actor, Agreement, Event, ...)
    colour: str
    shape: str = "dot"
    implies: tuple[str, ...] = ()  # labels a node with this label always carries too
    required: tuple[str, ...] = ()  # properties a node with this label must have


_ACTOR = ("Actor",)
_PERSON = ("Actor", "Person")
_ORG = ("Actor", "Organization")

LABELS: dict[str, LabelSpec] = {
    spec.name: spec
    for spec in (
        LabelSpec("Actor", "Any actor: a country, a person or an organization.", "Actor", "#8c8c8c"),
        LabelSpec("Country", "A sovereign state.", "Actor", "#d62728", "star", _ACTOR),
        LabelSpec("Person", "A named individual.", "Actor", "#1f77b4", "dot", _ACTOR),
        LabelSpec("Organization", "Any organization.", "Actor", "#2ca02c", "square", _ACTOR),
        LabelSpec("Leader", "A head of state or government.", "Actor", "#9467bd", "dot", _PERSON),
        LabelSpec("Official", "A minister, envoy or other official.", "Actor", "#6f4fa0", "dot", _PERSON),
        LabelSpec("Researcher", "A scholar or expert analyst.", "Actor", "#17becf", "dot", _PERSON),
        LabelSpec("Journalist", "A journalist or commentator.", "Actor", "#bcbd22", "dot", _PERSON),
        LabelSpec("Diplomat", "An ambassador or diplomat.", "Actor", "#393b79", "dot", _PERSON),
        LabelSpec(
            "IntergovernmentalOrganization",
            "An organization whose members are states (SCO, CIS, OTS, ...).",
            "Actor",
            "#ff7f0e",
            "hexagon",
            _ORG,
        ),
        LabelSpec("ThinkTank", "A research institute or think tank.", "Actor", "#98df8a", "square", _ORG),
        LabelSpec("University", "A university or academy.", "Actor", "#637939", "square", _ORG),
        LabelSpec("Company", "A business company.", "Actor", "#8c564b", "triangle", _ORG),
        LabelSpec("Media", "A newspaper, agency or broadcaster.", "Actor", "#e377c2", "square", _ORG),
        LabelSpec("Bank", "A bank or development fund.", "Actor", "#c49c94", "triangle", _ORG),
        LabelSpec("Government", "A government body or ministry.", "Actor", "#ff9896", "square", _ORG),
        LabelSpec("Agreement", "A treaty, declaration, roadmap, concept or programme.", "Agreement", "#ffbb78", "box"),
        LabelSpec("Event", "A visit, summit, forum, conference, election or reform.", "Event", "#aec7e8", "ellipse"),
        LabelSpec("Initiative", "A proposal or policy initiative.", "Initiative", "#dbdb8d", "diamond"),
        LabelSpec("Publication", "A book, article or report.", "Publication", "#c5b0d5", "box"),
        LabelSpec(
            "Claim",
            "An assessment or statement made by someone, paraphrased in our own words.",
            "Claim",
            "#f7b6d2",
            "diamond",
            (),
            ("text", "stance", "topic"),
        ),
        LabelSpec("Place", "A city, region or other place.", "Place", "#9edae5", "triangleDown"),
        LabelSpec("Source", "A source text that facts are drawn from.", "Source", "#cccccc", "database"),
    )
}

#: Labels that are kinds of their own (a node carries exactly one of these at the top).
KINDS: tuple[str, ...] = ("Actor", "Agreement", "Event", "Initiative", "Publication", "Claim", "Place", "Source")

# ----------------------------------------------------------------- relationship types


@dataclass(frozen=True)
class RelSpec:
    """A relationship type: which kinds of node it may join, and how."""

    name: str
    description: str
    sources: tuple[str, ...]  # allowed labels at the start node (any of them)
    targets: tuple[str, ...]  # allowed labels at the end node (any of them)
    allow_self: bool = False


_ANY = tuple(LABELS)
_NOT_SOURCE = tuple(label for label in LABELS if label != "Source")

RELATIONSHIPS: dict[str, RelSpec] = {
    spec.name: spec
    for spec in (
        RelSpec("LEADS", "A person leads a country or organization.", ("Person",), ("Country", "Organization")),
        RelSpec("NATIONAL_OF", "A person is a national of a country.", ("Person",), ("Country",)),
        RelSpec(
            "AFFILIATED_WITH",
            "A person works for or belongs to an organization.",
            ("Person",),
            ("Organization",),
        ),
        RelSpec(
            "MEMBER_OF",
            "A country or organization is a member (or observer, via `role`) of an organization.",
            ("Country", "Organization"),
            ("Organization",),
        ),
        RelSpec(
            "BASED_IN",
            "An organization (or a person's work) is based in a country or place; not citizenship (NATIONAL_OF).",
            ("Organization", "Person"),
            ("Country", "Place"),
        ),
        RelSpec("BORDERS", "Two countries share a border.", ("Country",), ("Country",)),
        RelSpec("LOCATED_IN", "A place lies in a country.", ("Place",), ("Country",)),
        RelSpec(
            "PARTY_TO",
            "A country or organization is party to (signed) an agreement.",
            ("Country", "Organization", "Person"),
            ("Agreement",),
        ),
        RelSpec("ADOPTED_AT", "An agreement was adopted or signed at an event.", ("Agreement",), ("Event",)),
        RelSpec("HELD_IN", "An event took place in a place or country.", ("Event",), ("Place", "Country")),
        RelSpec(
            "PARTICIPATED_IN",
            "An actor took part in (or hosted, via `role`) an event, or worked on an initiative.",
            ("Actor",),
            ("Event", "Initiative"),
        ),
        RelSpec(
            "PROPOSED",
            "An actor proposed an initiative, event or agreement.",
            ("Actor",),
            ("Initiative", "Event", "Agreement"),
        ),
        RelSpec("MADE", "A person or organization made a claim.", ("Person", "Organization"), ("Claim",)),
        RelSpec(
            "ABOUT",
            "A claim, publication or initiative is about a node.",
            ("Claim", "Publication", "Initiative", "Event", "Agreement"),
            _NOT_SOURCE,
        ),
        RelSpec(
            "RESPONDED_TO",
            "A claim answers, disputes or supports another, as the text says (a `note` says how).",
            ("Claim",),
            ("Claim",),
        ),
        RelSpec(
            "CONTRASTED_WITH",
            "The text sets two claims side by side without saying that one answers the other.",
            ("Claim",),
            ("Claim",),
        ),
        RelSpec(
            "AUTHORED", "A person or organization wrote a publication.", ("Person", "Organization"), ("Publication",)
        ),
        RelSpec(
            "INVESTED_IN",
            "A company or bank invests in a country.",
            ("Company", "Bank", "Country"),
            ("Country", "Place"),
        ),
        RelSpec(
            "OPERATES_IN", "A company operates in a country.", ("Company", "Bank", "Organization"), ("Country", "Place")
        ),
        RelSpec("PARTNERED_WITH", "Two actors work together.", ("Actor",), ("Actor",)),
        RelSpec(
            "COOPERATES_WITH",
            "Two countries cooperate (in the `domain` given).",
            ("Country",),
            ("Country", "Organization"),
        ),
        RelSpec(
            "TRADES_WITH",
            "Two countries trade (with `value_usd` or `volume` where the text gives it).",
            ("Country",),
            ("Country",),
        ),
        RelSpec(
            "IMPLEMENTS",
            "An agreement, event or initiative carries out another.",
            ("Agreement", "Event", "Initiative"),
            ("Agreement", "Initiative"),
        ),
        RelSpec(
            "SUCCEEDED",
            "A person or organization succeeded another (in office, or renamed).",
            ("Person", "Organization"),
            ("Person", "Organization"),
        ),
        RelSpec(
            "PART_OF",
            "Something is part of a larger whole (an event of a series, an institute of a university).",
            ("Event", "Place", "Organization", "Initiative", "Country"),
            ("Event", "Place", "Organization", "Country", "Initiative"),
        ),
        RelSpec(
            "PUBLISHED_BY", "A publication or interview appeared in a medium.", ("Publication",), ("Organization",)
        ),
        RelSpec(
            "REPRESENTS",
            "A person represents a country or organization (an ambassador, an envoy), with `role`.",
            ("Person",),
            ("Country", "Organization"),
        ),
        RelSpec(
            "ALLIED_WITH",
            "A state has an alliance obligation (`obligation`: defense, offense, ...) towards another (ATOP).",
            ("Country",),
            ("Country",),
        ),
        RelSpec("MENTIONED_IN", "Any node is mentioned in a source (with the `lines`).", _NOT_SOURCE, ("Source",)),
    )
}

# --------------------------------------------------------------------- properties


@dataclass(frozen=True)
class PropSpec:
    """A property: its value type and what it means."""

    name: str
    type: str  # "str", "int", "float", "number", "list[str]", "list[int]", "bool", "date"
    description: str


PROPERTIES: dict[str, PropSpec] = {
    spec.name: spec
    for spec in (
        PropSpec("id", "str", "Stable identifier, `kind:slug` (e.g. `country:kazakhstan`)."),
        PropSpec("name", "str", "English name (standard transliteration)."),
        PropSpec("name_kk", "str", "Kazakh name, in Cyrillic."),
        PropSpec("name_ru", "str", "Russian name."),
        PropSpec("aliases", "list[str]", "Every spelling the sources use, and common transliterations."),
        PropSpec("description", "str", "A short description in our own words."),
        PropSpec("title", "str", "Title (of a person's office, or of a source)."),
        PropSpec("title_kk", "str", "Title in Kazakh."),
        PropSpec("title_ru", "str", "Title in Russian."),
        PropSpec("title_en", "str", "Title in English."),
        PropSpec("kind", "str", "Sub-kind: treaty, declaration, visit, summit, election, city, ..."),
        PropSpec("role", "str", "Role in the relationship (host, observer, signatory, president, ...)."),
        PropSpec("domain", "str", "Field of cooperation (trade, water, energy, security, ...)."),
        PropSpec("date", "date", "Date at the precision known: `2021`, `2021-12`, `2021-12-06`."),
        PropSpec("start", "date", "Start of an interval (ISO, at the precision known)."),
        PropSpec("end", "date", "End of an interval (ISO, at the precision known)."),
        PropSpec("year", "int", "Year of publication."),
        PropSpec("text", "str", "A claim, paraphrased in our own words."),
        PropSpec("stance", "str", "Stance of a claim: supportive, skeptical, critical, conditional, neutral."),
        PropSpec("topic", "str", "Topic of a claim."),
        PropSpec("amount", "number", "An amount of money."),
        PropSpec("currency", "str", "Currency of `amount` (ISO code: USD, EUR, ...)."),
        PropSpec("count", "int", "A count (of projects, enterprises, agreements, ...)."),
        PropSpec("value_usd", "number", "A value in US dollars."),
        PropSpec("volume", "str", "A volume as the text gives it, with units."),
        PropSpec("note", "str", "A short note in our own words."),
        PropSpec(
            "modality",
            "str",
            "How the source puts a relationship: `stated` (the default when absent), expected, intended, "
            "proposed, planned, possible, hoped or denied.",
        ),
        PropSpec(
            "caveat",
            "str",
            "A problem in the source itself (a contradiction, an impossible date, a misspelling), in our own words.",
        ),
        PropSpec("language", "str", "Language code(s) of a source."),
        PropSpec("file", "str", "File name of a source text."),
        PropSpec("sha256", "str", "SHA-256 of a source text."),
        PropSpec("url", "str", "Web address of a source or organization."),
        PropSpec("lines", "list[int]", "Source lines of every mention."),
        PropSpec("source", "str", "Provenance: id of the Source node the fact comes from."),
        PropSpec("line", "int", "Provenance: 1-based line in the source file where the evidence starts."),
        PropSpec("evidence", "str", "Provenance: at most 12 words copied verbatim from that line."),
        # Codes and fields of the standard data sets (`actorgraph import`):
        PropSpec("citation", "str", "How to cite a source (authors, year, title, version)."),
        PropSpec("version", "str", "Version of a data set."),
        PropSpec("cow_code", "int", "Correlates of War state code."),
        PropSpec("gw_code", "int", "Gleditsch-Ward state code."),
        PropSpec("iso3", "str", "ISO 3166 alpha-3 country code."),
        PropSpec("archigos_id", "str", "Archigos leader id (`leadid`)."),
        PropSpec("birth_year", "int", "Year of birth."),
        PropSpec("gender", "str", "Gender as the source codes it."),
        PropSpec("entry", "str", "How a leader came to office (Archigos: Regular, Irregular, ...)."),
        PropSpec("exit", "str", "How a leader left office (Archigos: Regular, Irregular, Still in Office, ...)."),
        PropSpec("periods", "list[str]", "Periods something held, as `start/end` or `first-last` years."),
        PropSpec("years", "list[int]", "Every year something held (for year filters)."),
        PropSpec("obligation", "str", "Kind of alliance obligation (defense, offense, neutrality, ...)."),
        # Figures that `actorgraph analyze` writes back:
        PropSpec("degree", "int", "Analytics: number of relationships."),
        PropSpec("betweenness", "float", "Analytics: betweenness centrality."),
        PropSpec("pagerank", "float", "Analytics: PageRank."),
        PropSpec("community", "int", "Analytics: Louvain community number."),
    )
}

#: Provenance every node and relationship must carry.
PROVENANCE: tuple[str, ...] = ("source", "line", "evidence")
#: At most this many words in an `evidence` phrase.
MAX_EVIDENCE_WORDS = 12
#: Properties written by analytics, never by curators.
ANALYTICS_PROPERTIES: tuple[str, ...] = ("degree", "betweenness", "pagerank", "community")

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*:[a-z0-9][a-z0-9._\-]*$")
DATE_PATTERN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
#: How a source puts a relationship. `stated` is the default: a relationship without `modality` is stated.
MODALITIES: tuple[str, ...] = ("stated", "expected", "intended", "proposed", "planned", "possible", "hoped", "denied")
DEFAULT_MODALITY = "stated"
STANCES: tuple[str, ...] = ("supportive", "skeptical", "critical", "conditional", "neutral", "optimistic", "concerned")


# ------------------------------------------------------------------- helpers


class SchemaError(ValueError):
    """A label, relationship type or property outside the allow-list."""


def check_label(label: str) -> str:
    """Return `label` if it is allowed, else raise SchemaError (never build Cypher from it)."""
    if label not in LABELS:
        raise SchemaError(f"unknown label {label!r}; allowed: {', '.join(sorted(LABELS))}")
    return label


def check_rel_type(rel_type: str) -> str:
    """Return `rel_type` if it is allowed, else raise SchemaError."""
    if rel_type not in RELATIONSHIPS:
        raise SchemaError(f"unknown relationship type {rel_type!r}; allowed: {', '.join(sorted(RELATIONSHIPS))}")
    return rel_type


def closure(labels: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """All labels a node carries: the given ones plus those they imply, in schema order."""
    result = set()
    for label in labels:
        spec = LABELS[check_label(label)]
        result.add(label)
        for implied in spec.implies:
            result.add(implied)
            result.update(LABELS[implied].implies)
    return tuple(label for label in LABELS if label in result)


def kind_of(labels: list[str] | tuple[str, ...]) -> str:
    """The top-level kind (Actor, Event, ...) of a node with these labels."""
    for label in labels:
        if label in LABELS:
            return LABELS[label].kind
    return "Actor"


def primary_label(labels: list[str] | tuple[str, ...]) -> str:
    """The most specific label, used to colour and shape a node on a map."""
    specific = [label for label in LABELS if label in labels]
    # the most specific label is the one implying the most others
    return max(specific, key=lambda label: (len(LABELS[label].implies), -list(LABELS).index(label)), default="Actor")
