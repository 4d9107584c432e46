"""Write a draft as a data file (data/README.md) that a reviewer edits before it loads.

Facts the text certainly supports (the Source node, MENTIONED_IN of known nodes with
their lines) go under `nodes:` and `relations:`. What needs a person's judgement goes
under `candidates:` (new names) and `suggestions:` (co-mentions that may be
relationships); `actorgraph validate` refuses a file while either still has entries,
naming each as file:line, so nothing unreviewed loads by accident.

Values are written as JSON strings, which YAML reads unchanged, so no name or quote
can break the file.
"""

from __future__ import annotations

import json

from actorgraph.ingest.pipeline import Draft, phrase

HEADER = """\
# Draft written by `actorgraph ingest` from {file} ({language}). Review it, then load it:
#  1. `candidates:` are names the graph does not know. For each real actor, add a node under
#     `nodes:` (id, labels, name, name_kk/name_ru, aliases, line, evidence) and delete the
#     entry; delete the entries that are not actors.
#  2. `suggestions:` are known actors named in one sentence. Where the text states a relationship,
#     write it under `relations:` with one of `types` (`<TYPE` runs from `to` to `from`), its
#     line and evidence, and the `key` when another source states the same relationship; delete the rest.
#  3. Check the MENTIONED_IN lines, copy {file} where `validate` finds sources (data/sources/,
#     or pass --sources), then run `actorgraph validate` and `actorgraph build`.
# `actorgraph validate` refuses this file while `candidates:` or `suggestions:` has entries.
"""


def _s(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def render(draft: Draft) -> str:
    """The draft as YAML text."""
    text = draft.text
    out = [HEADER.format(file=text.path.name, language=draft.language)]
    for note in draft.notes:
        out.append(f"# NOTE: {note}\n")
    out.append(f"source: {draft.source_id}\n")
    first_line, first_text = next(((n, line) for n, line in enumerate(text.lines, 1) if line.strip()), (1, ""))
    title_key = f"title_{draft.language}" if draft.language in ("kk", "ru", "en") else "title"
    out.append("nodes:\n")
    out.append(f"  - id: {draft.source_id}\n    labels: [Source]\n")
    out.append(f"    name: {_s(draft.title or text.path.stem)}\n")
    if draft.title:
        out.append(f"    {title_key}: {_s(draft.title)}\n")
    out.append(f"    file: {_s(text.path.name)}\n    sha256: {text.sha256}\n    language: {draft.language}\n")
    out.append(f"    line: {first_line}\n    evidence: {_s(phrase(first_text, 0, 0, context=6))}\n")
    out.append("relations:\n" if draft.mentions else "relations: []\n")
    for node_id, lines in sorted(draft.mentions.items(), key=lambda item: (item[1][0], item[0])):
        line, evidence = draft.evidence[node_id]
        out.append(f"  # {draft.names.get(node_id, node_id)}: {len(lines)} line(s)\n")
        out.append(
            f"  - {{from: {node_id}, type: MENTIONED_IN, to: {draft.source_id}, line: {line}, "
            f"evidence: {_s(evidence)}, lines: {_s(lines)}}}\n"
        )
    out.append("candidates:\n" if draft.candidates else "candidates: []\n")
    for candidate in draft.candidates:
        line, first, last = candidate.first
        out.append(f"  - name: {_s(candidate.name)}\n    status: candidate\n    kind: {candidate.kind}\n")
        out.append(f"    id: {candidate.proposed_id}\n")
        for language, name in sorted(candidate.names.items()):
            out.append(f"    name_{language}: {_s(name)}\n")
        out.append(f"    forms: {_s(sorted(candidate.forms))}\n    lines: {_s(sorted(candidate.lines))}\n")
        out.append(f"    line: {line}\n    evidence: {_s(phrase(text.lines[line - 1], first, last))}\n")
        out.append(f"    with: {_s(sorted(candidate.near))}\n")
    out.append("suggestions:\n" if draft.suggestions else "suggestions: []\n")
    slug = draft.source_id.split(":", 1)[1]
    for suggestion in draft.suggestions:
        out.append(
            f"  - {{status: suggestion, from: {suggestion.a}, to: {suggestion.b}, types: {_s(suggestion.types)}, "
            f"key: {_s(slug)}, line: {suggestion.lines[0]}, evidence: {_s(suggestion.evidence)}, "
            f"lines: {_s(suggestion.lines)}}}\n"
        )
    return "".join(out)
