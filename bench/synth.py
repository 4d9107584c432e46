"""Synthetic actor graphs in actorgraph's own model, for benchmarks: streamed JSON Lines.

    python bench/synth.py --relationships 100000 --seed 1 -o /tmp/synth-100k

writes `graph.jsonl` (one record per line, the bulk format of `actorgraph build`) and
`synth.txt` (the source text every evidence phrase is drawn from). The shape is
realistic: a few dozen countries, organizations of seven sorts, many people (five
roles), events, claims, publications, agreements and places;
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
    ("PARTICIPATED_IN", "person", "event", 0.20),
    ("MADE", "person", "claim", 0.10),
    ("ABOUT", "claim", "country", 0.10),
    ("AFFILIATED_WITH", "person", "org", 0.10),
    ("NATIONAL_OF", "person", "country", 0.07),
    ("MEMBER_OF", "country", "org", 0.04),
    ("COOPERATES_WITH", "country", "country", 0.06),
    ("PARTNERED_WITH", "org", "org", 0.06),
    ("RESPONDED_TO", "claim", "claim", 0.04),
    ("HELD_IN", "event", "country", 0.04),
    ("AUTHORED", "person", "publication", 0.04),
    ("ABOUT", "publication", "country", 0.03),
    ("PARTY_TO", "country", "agreement", 0.03),
    ("ADOPTED_AT", "agreement", "event", 0.02),
    ("LEADS", "person", "country", 0.01),
    ("TRADES_WITH", "country", "country", 0.03),
    ("LOCATED_IN", "place", "country", 0.03),
)
#: the label sets a node of each kind may carry, with their weights
LABELS = {
    "country": ((("Country",), 1),),
    "org": (
        (("IntergovernmentalOrganization",), 2),
        (("ThinkTank",), 3),
        (("University",), 3),
        (("Company",), 4),
        (("Media",), 2),
        (("Bank",), 1),
        (("Government",), 3),
    ),
    "person": (
        (("Researcher",), 5),
        (("Official",), 3),
        (("Journalist",), 2),
        (("Diplomat",), 2),
        (("Leader",), 1),
        (("Person",), 4),
    ),
    "event": ((("Event",), 1),),
    "claim": ((("Claim",), 1),),
    "publication": ((("Publication",), 1),),
    "agreement": ((("Agreement",), 1),),
    "place": ((("Place",), 1),),
}
PREFIX = {"org": "organization"}
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
        "publication": max(10, relationships // 60),
        "agreement": max(10, relationships // 300),
        "place": max(10, relationships // 100),
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
            node_id = f"{PREFIX.get(kind, kind)}:{kind}-{i}"
            line, phrase = evidence(number := number + 1)
            choices, weights = zip(*LABELS[kind], strict=True)
            record = {
                "kind": "node",
                "id": node_id,
                "labels": list(rng.choices(choices, weights)[0]),
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
            if kind in ("event", "agreement", "publication"):
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
