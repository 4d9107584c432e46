"""From a text file to a draft: read, detect the language, find known names, propose new ones."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from actorgraph.graph import schema
from actorgraph.ingest.candidates import Candidate, find_candidates, without_named_after, without_nested
from actorgraph.ingest.matcher import Match, Matcher
from actorgraph.ingest.names import Known, slug, spellings_of, with_cldr
from actorgraph.ingest.reading import Text, read_text
from actorgraph.ingest.tokens import Token, detect_language, line_languages

#: Words of context kept on each side of a name in an evidence phrase.
CONTEXT_WORDS = 3
#: Relationship types never suggested between co-mentioned actors (derived, or not between actors).
_NOT_SUGGESTED = frozenset(("MENTIONED_IN", "ABOUT", "SUCCEEDED", "PART_OF"))


@dataclass
class Suggestion:
    """Two known actors named in one sentence: maybe a relationship, for the reviewer to decide."""

    a: str
    b: str
    types: list[str]
    lines: list[int]
    evidence: str


@dataclass
class Draft:
    """Everything `ingest` found in one text, ready to be written as a data file."""

    text: Text
    source_id: str
    language: str
    title: str | None
    mentions: dict[str, list[int]]  # node id -> lines
    evidence: dict[str, tuple[int, str]]  # node id -> (line, phrase) of its first mention
    candidates: list[Candidate]
    suggestions: list[Suggestion]
    names: dict[str, str]  # node id -> name, for comments in the draft
    notes: list[str] = field(default_factory=list)


def known_from_dataset(dataset: Any) -> tuple[list[Known], dict[str, dict]]:
    """The nodes of a validated data set, and their properties, as `ingest` needs them."""
    known = [Known(node.id, node.labels, node.props.get("name", node.id)) for node in dataset.nodes]
    props = {node.id: node.props for node in dataset.nodes}
    return known, props


def build_matcher(known: list[Known], props: dict[str, dict]) -> tuple[Matcher, dict[str, Known]]:
    """A matcher over the known nodes and CLDR's countries (those not known are marked new)."""
    known_ids = {node.id for node in known}
    everything, props = with_cldr(known, props)
    new_ids = frozenset(node.id for node in everything if node.id not in known_ids)
    return Matcher(spellings_of(everything, props, new_ids)), {node.id: node for node in everything}


def ingest(
    path: Path,
    matcher: Matcher,
    nodes: dict[str, Known],
    *,
    language: str | None = None,
    source_id: str | None = None,
    text: Text | None = None,
) -> Draft:
    """Read `path` (unless its `text` was read already) and find what it says about known and new actors.

    Raises IngestError on bad input.
    """
    text = text or read_text(path)
    lines = text.lines
    languages = line_languages(lines)
    language = language or detect_language(lines)
    tokens = matcher.tokenise(lines)
    matches = without_named_after(tokens, matcher.find(tokens), lambda i: i in nodes and "Person" in nodes[i].labels)
    matches = without_nested(tokens, matches, languages, lambda i: i in nodes and _place(nodes[i]))
    known_matches = [m for m in matches if not m.spelling.new]
    mentions: dict[str, list[int]] = defaultdict(list)
    evidence: dict[str, tuple[int, str]] = {}
    for match in known_matches:
        first = tokens[match.start]
        spanned = sorted({t.line for t in tokens[match.start : match.end]})  # Ш. / Мирзиеевтің across a line end
        for node_id in match.spelling.node_ids:
            for line in spanned:
                if not mentions[node_id] or mentions[node_id][-1] < line:
                    mentions[node_id].append(line)
            if node_id not in evidence:
                evidence[node_id] = (first.line, phrase(lines[first.line - 1], first.word, _last_word(tokens, match)))
    candidates = find_candidates(tokens, matches, languages)
    for candidate in candidates:
        if candidate.proposed_id and candidate.proposed_id in nodes:
            candidate.names = dict(nodes[candidate.proposed_id].names)
            candidate.name = candidate.names.get("en", candidate.name)
        else:
            prefix = {"Person": "person", "Country": "country", "Organization": "org"}.get(candidate.kind, "place")
            candidate.proposed_id = f"{prefix}:{slug(candidate.name)}"
    title = _title(lines)
    draft = Draft(
        text=text,
        source_id=source_id or f"source:{slug(path.stem)}",
        language=language,
        title=title,
        mentions=dict(mentions),
        evidence=evidence,
        candidates=candidates,
        suggestions=_suggestions(tokens, known_matches, nodes, lines),
        names={node_id: node.name for node_id, node in nodes.items()},
    )
    if not mentions:
        draft.notes.append("no node of the graph is named in this text: the draft has no MENTIONED_IN")
    return draft


def _place(node: Known) -> bool:
    """A country or place: its name may be part of a longer name (Түркістан облысы, Банк развития Казахстана)."""
    return bool({"Country", "Place"} & set(node.labels))


def _last_word(tokens: list[Token], match: Match) -> int:
    first = tokens[match.start]
    same_line = [t.word for t in tokens[match.start : match.end] if t.line == first.line]
    return max(same_line)


def phrase(line: str, first: int, last: int, context: int = CONTEXT_WORDS) -> str:
    """At most `schema.MAX_EVIDENCE_WORDS` words of `line` around words `first`..`last`, verbatim."""
    words = line.split()
    limit = schema.MAX_EVIDENCE_WORDS
    last = min(last, first + limit - 1)
    start = max(0, first - context)
    end = min(len(words), last + 1 + context)
    while end - start > limit:
        if first - start > end - 1 - last:
            start += 1
        else:
            end -= 1
    return " ".join(words[start:end])


def _title(lines: list[str]) -> str | None:
    """The first line, when it reads like a title: short, and not ending like a sentence."""
    for line in lines:
        if line.strip():
            text = line.strip()
            if len(text.split()) <= 15 and not re.search(r"[.,;:]$", text):
                return text
            return None
    return None


def _suggestions(
    tokens: list[Token], matches: list[Match], nodes: dict[str, Known], lines: list[str]
) -> list[Suggestion]:
    by_sentence: dict[int, list[Match]] = defaultdict(list)
    for match in matches:
        if match.spelling.actor:
            by_sentence[tokens[match.start].sentence].append(match)
    pairs: dict[tuple[str, str], Suggestion | None] = {}  # None: the schema allows nothing between them
    for group in by_sentence.values():
        for i, left in enumerate(group):
            for right in group[i + 1 :]:
                for a in left.spelling.node_ids:
                    for b in right.spelling.node_ids:
                        if a == b:
                            continue
                        key = (a, b) if a < b else (b, a)
                        line = tokens[left.start].line
                        if key not in pairs:
                            start, end, types = _oriented(nodes.get(key[0]), nodes.get(key[1]))
                            if not types:
                                pairs[key] = None
                                continue
                            same_line = tokens[right.start].line == line
                            last = _last_word(tokens, right) if same_line else _last_word(tokens, left)
                            evidence = phrase(lines[line - 1], tokens[left.start].word, last, context=1)
                            pairs[key] = Suggestion(start, end, types, [], evidence)
                        suggestion = pairs[key]
                        if suggestion is not None and (not suggestion.lines or suggestion.lines[-1] < line):
                            suggestion.lines.append(line)  # sentences come in order: lines only grow
    return sorted((s for s in pairs.values() if s is not None), key=lambda s: s.lines[0])


#: Which end a suggested relationship starts from: people, then places, countries, organizations.
_START_ORDER = ("Person", "Place", "Country", "Organization")


def _oriented(a: Known | None, b: Known | None) -> tuple[str, str, list[str]]:
    """(from, to, relationship types the schema allows that way, then `<TYPE` for the other way)."""
    if a is None or b is None:
        return "", "", []
    if _rank(b) < _rank(a):
        a, b = b, a
    forward, backward = _types(a, b), _types(b, a)
    return a.id, b.id, forward + [f"<{name}" for name in backward if name not in forward]


def _rank(node: Known) -> int:
    return next((i for i, label in enumerate(_START_ORDER) if label in node.labels), len(_START_ORDER))


def _types(start: Known, end: Known) -> list[str]:
    return [
        spec.name
        for spec in schema.RELATIONSHIPS.values()
        if spec.name not in _NOT_SUGGESTED
        and set(start.labels) & set(spec.sources)
        and set(end.labels) & set(spec.targets)
    ]
