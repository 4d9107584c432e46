"""Curation rules that keep every fact saying exactly what its source says.

`validate` checks that each evidence phrase is on its line; these rules check what the
fact makes of that line (see the curation guide in data/README.md):

- a fact-like relationship citing a line that holds an expectation marker ("was
  expected", "is planned", "may") must carry a `modality` other than `stated`, or say in a `note`
  why the marker does not apply to it (and write `modality: stated` on purpose);
- RESPONDED_TO needs a `note` saying how the text links the two claims;
- a Source without a text of its own cannot be cited, and facts from general knowledge
  cite the general-knowledge source, never an article line (`GENERAL_KNOWLEDGE` below).

Markers are matched on whole words (prefixes for inflected forms), in Kazakh, Russian
and English, so "мүмкіндік" (opportunity) is not taken for "мүмкін" (possible).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from actorgraph.graph import schema

#: The Source node for facts that are true but stated in no text of the collection.
GENERAL_KNOWLEDGE = "source:general-knowledge"
#: Words in a note that say a fact rests on general knowledge rather than on its line.
GENERAL_KNOWLEDGE_WORDS = re.compile(r"general knowledge|common knowledge|not (?:in|given by) the article", re.I)

#: Relationship types about the discourse (who said what, about what): stated by nature.
DISCOURSE_TYPES: tuple[str, ...] = ("ABOUT", "MADE", "RESPONDED_TO", "CONTRASTED_WITH", "MENTIONED_IN")

#: Expectation, intention, possibility and proposal markers: (pattern, what it marks).
#: Kazakh forms are stems (agglutinative endings follow); each was checked against the article.
EXPECTATION_MARKERS: tuple[tuple[str, str], ...] = (
    # Kazakh
    (r"күтіл\w*", "expected"),  # күтілді, күтілуде, күтілетіні
    (r"болжа\w*", "expected"),  # болжам, болжау, болжанды
    (r"жоспарла\w*", "planned"),  # жоспарлап отыр, жоспарланған
    (r"мүмкін", "possible"),  # the word itself, not мүмкіндік (opportunity)
    (r"ниет\w*", "intended"),
    (r"ұмтыл\w*", "intended"),  # sought to
    (r"тырыс\w*", "intended"),  # tried to
    (r"қызығушылық\s+таныт\w*", "intended"),  # showed interest in
    (r"мүдделі", "intended"),  # interested in
    (r"көзде\w*", "intended"),  # көздейді, көзделген: aims at, envisaged
    (r"үміт\w*", "hoped"),  # үміттенеді, үміт артады: hopes
    (r"уәде\w*", "intended"),  # уәде берді: promised
    (r"ұсынамын", "proposed"),  # I propose
    (r"тиіс", "expected"),  # should, ought to
    (r"керек\w*", "proposed"),  # must, needs to
    (r"қосылады\s+деген", "planned"),  # was to be launched
    # Russian
    (r"ожида\w*", "expected"),
    (r"планир\w*", "planned"),
    (r"предполага\w*", "expected"),
    (r"намерен\w*", "intended"),
    (r"возможн\w*", "possible"),
    (r"предлож\w*", "proposed"),
    (r"наде[яю]\w*|надежд\w*", "hoped"),
    # English
    (r"expected", "expected"),
    (r"plann?(?:ed|ing|s)?\s+to", "planned"),
    (r"intend\w*", "intended"),
    (r"propos\w*", "proposed"),
    (r"may|might|could", "possible"),
    (r"hope[sd]?|hoping", "hoped"),
)
_MARKERS = [(re.compile(rf"(?<!\w){pattern}(?!\w)", re.IGNORECASE), what) for pattern, what in EXPECTATION_MARKERS]


def expectation_markers(text: str) -> list[tuple[str, str]]:
    """The expectation markers in a line of text: (the words found, the modality they suggest)."""
    return [(match[0], what) for pattern, what in _MARKERS for match in pattern.finditer(text)]


@dataclass(frozen=True)
class Finding:
    """A fact that says more (or less) than its source: where, which record, what is wrong."""

    source: str
    line: int
    record: str
    message: str

    def __str__(self) -> str:
        return f"{self.record} (line {self.line} of {self.source}): {self.message}"


def fidelity_findings(relations: list[Any], texts: dict[str, list[str]]) -> list[Finding]:
    """Check relationships (rows with `id`, `type`, `props`) against the lines they cite.

    `texts` maps a Source id to its lines; relationships citing a source not in it are
    checked for the rules that need no text only.
    """
    findings = []
    for rel in relations:
        props = rel.props
        source, line = props.get("source"), props.get("line")
        where = (str(source), int(line or 0), rel.id)
        if rel.type == "RESPONDED_TO" and not props.get("note"):
            findings.append(Finding(*where, "RESPONDED_TO needs a note saying how the text links the two claims"))
        note = str(props.get("note") or "")
        if source != GENERAL_KNOWLEDGE and GENERAL_KNOWLEDGE_WORDS.search(note):
            findings.append(
                Finding(*where, f"its note says it rests on general knowledge: cite {GENERAL_KNOWLEDGE} instead")
            )
        if rel.type in DISCOURSE_TYPES:
            continue
        lines = texts.get(str(source))
        if not lines or not isinstance(line, int) or not 1 <= line <= len(lines):
            continue
        markers = [
            (word, what)
            for word, what in expectation_markers(lines[line - 1])
            if not (rel.type == "PROPOSED" and what in ("proposed", "intended"))  # the type says so already
        ]
        modality = props.get("modality", schema.DEFAULT_MODALITY)
        if markers and modality == schema.DEFAULT_MODALITY and not ("modality" in props and note):
            found = ", ".join(sorted({f"{word!r} ({what})" for word, what in markers}))
            findings.append(
                Finding(
                    *where,
                    f"its line holds {found}: give it a modality other than stated, or write "
                    "`modality: stated` with a note saying why the marker does not apply",
                )
            )
    return findings
