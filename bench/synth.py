"""Synthetic actor graphs in actorgraph's own model, for benchmarks: streamed JSON Lines.

    python bench/synth.py --relationships 100000 --seed 1 -o /tmp/synth-100k

writes `graph.jsonl` (one record per line, the bulk format of `actorgraph build`) and
`synth.txt` (the source text every evidence phrase is drawn from). The shape is
realistic: a few dozen countries, organizations, many people, events and claims;
relationship end points are chosen by preferential attachment, so degrees are
heavy-tailed; every node and relationship has provenance. Deterministic for a seed,
and streamed: memory holds ids, not records.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from pathlib import Path

SOURCE_ID = "source:synth"
TEXT_LINES = 1000
#: (type, start kind, end kind, share of the relationships)
MIX = (
    ("PARTICIPATED_IN", "person", "event", 0.25),
    ("MADE", "person", "claim", 0.12),
    ("ABOUT", "claim", "country", 0.12),
    ("AFFILIATED_WITH", "person", "org", 0.12),
    ("NATIONAL_OF", "person", "country", 0.08),
    ("MEMBER_OF", "country", "org", 0.05),
    ("COOPERATES_WITH", "country", "country", 0.08),
    ("PARTNERED_WITH", "org", "org", 0.08),
    ("RESPONDED_TO", "claim", "claim", 0.05),
    ("HELD_IN", "event", "country", 0.05),
)
LABELS = {
    "country": ["Country"],
    "org": ["IntergovernmentalOrganization"],
    "person": ["Researcher"],
    "event": ["Event"],
    "claim": ["Claim"],
}
STANCES = ("supportive", "skeptical", "critical", "conditional", "neutral")


def text_line(number: int) -> str:
    return f"Synthetic line {number} of a made-up text about actors and relations."


def evidence(number: int) -> tuple[int, str]:
    line = number % TEXT_LINES + 1
    return line, f"Synthetic line {line} of a made-up"


def node_counts(relationships: int) -> dict[str, int]:
    """How many nodes of each kind a graph with this many relationships gets."""
    return {
        "country": max(30, min(200, relationships // 5000)),
        "org": max(20, relationships // 200),
        "person": max(50, relationships // 8),
        "event": max(20, relationships // 40),
        "claim": max(20, relationships // 15),
    }


def generate(relationships: int, seed: int = 1) -> Iterator[dict]:
    """Yield the records of one synthetic graph: the Source, nodes, then relationships."""
    rng = random.Random(seed)
    yield {
        "kind": "node",
        "id": SOURCE_ID,
        "labels": ["Source"],
        "name": "Synthetic source",
        "file": "synth.txt",
        "source": SOURCE_ID,
        "line": 1,
        "evidence": "Synthetic line 1",
    }
    counts = node_counts(relationships)
    ids: dict[str, list[str]] = {}
    number = 0
    for kind, count in counts.items():
        ids[kind] = []
        for i in range(count):
            node_id = f"{'organization' if kind == 'org' else kind}:{kind}-{i}"
            line, phrase = evidence(number := number + 1)
            record = {
                "kind": "node",
                "id": node_id,
                "labels": LABELS[kind],
                "name": f"{kind.title()} {i}",
                "aliases": [f"{kind}{i}"],
                "source": SOURCE_ID,
                "line": line,
                "evidence": phrase,
            }
            if kind == "claim":
                record.update(
                    text=f"A made-up assessment number {i}.",
                    stance=rng.choice(STANCES),
                    topic=rng.choice(("trade", "security", "water", "energy")),
                )
            if kind == "event":
                record.update(date=f"{rng.randint(1991, 2024)}-{rng.randint(1, 12):02d}")
            ids[kind].append(node_id)
            yield record
    # preferential attachment: each kind keeps a list of "tickets", one per end point used
    tickets = {kind: list(values) for kind, values in ids.items()}
    for i in range(relationships):
        rel_type, source_kind, target_kind = _pick(rng.random())
        source = rng.choice(tickets[source_kind])
        target = rng.choice(tickets[target_kind])
        while target == source:
            target = rng.choice(ids[target_kind])
        tickets[source_kind].append(source)
        tickets[target_kind].append(target)
        line, phrase = evidence(i)
        yield {
            "kind": "relation",
            "from": source,
            "type": rel_type,
            "to": target,
            "key": str(i),
            "source": SOURCE_ID,
            "line": line,
            "evidence": phrase,
        }


def _pick(roll: float) -> tuple[str, str, str]:
    """The relationship type (and end kinds) a roll of the dice falls on, by MIX's shares."""
    acc = 0.0
    for rel_type, source_kind, target_kind, share in MIX:
        acc += share
        if roll <= acc:
            return rel_type, source_kind, target_kind
    return MIX[-1][:3]


def write(relationships: int, seed: int, folder: Path) -> Path:
    """Write graph.jsonl and synth.txt into `folder`; return the JSONL path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "synth.txt").write_text("".join(text_line(n) + "\n" for n in range(1, TEXT_LINES + 1)), encoding="utf-8")
    path = folder / "graph.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        for record in generate(relationships, seed):
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--relationships", "-n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", "-o", type=Path, required=True, help="folder for graph.jsonl and synth.txt")
    args = parser.parse_args()
    path = write(args.relationships, args.seed, args.output)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
