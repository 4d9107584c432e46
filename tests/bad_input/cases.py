"""The bad-input corpus: one folder per case, each `case/` data + `source.txt` + `expected.txt`.

Every folder is a copy of one small valid data set with one defect (or a few);
`expected.txt` holds the exact lines `validate` and `build` must print, with paths
relative to the case folder (run the CLI there with `--data case --sources .`).
Files too big or too binary to commit are made at test time by `GENERATED`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent

# case name -> (file inside case/, its bytes); written into a temporary copy only.
GENERATED: dict[str, tuple[str, bytes]] = {
    "binary_garbage": ("garbage.yaml", bytes(range(256)) * 4),
    "ten_megabyte_line": ("huge.yaml", b"source: source:bad\nnote: " + b"x" * 10_000_000 + b"\n"),
    # a text of 120,000 characters on two lines, each within the line limit
    "unstorable_values_yaml": (
        "long.yaml",
        b"source: source:bad\nnodes:\n  - id: place:long\n    labels: [Place]\n    name: Long\n"
        b"    description: >-\n      " + b"x" * 60_000 + b"\n      " + b"x" * 60_000 + b"\n"
        b"    line: 1\n    evidence: A short made-up text\n",
    ),
    # not UTF-8, then a 5 MB line (read a megabyte at a time, never held whole)
    "unstorable_values_jsonl": (
        "b.jsonl",
        b'{"kind": "node", "id": "place:b1", "labels": ["Place"], "name": "Caf\xe9", "source": "source:bad", '
        b'"line": 2, "evidence": "Kazakhstan and Uzbekistan"}\n'
        b'{"kind": "node", "id": "place:b2", "labels": ["Place"], "name": "' + b"y" * 5_000_000 + b'"}\n',
    ),
}


def case_names() -> list[str]:
    """Every folder here that has an expected.txt."""
    return sorted(path.parent.name for path in HERE.glob("*/expected.txt"))


def expected(name: str) -> list[str]:
    """The exact message lines a case must produce."""
    return (HERE / name / "expected.txt").read_text(encoding="utf-8").splitlines()


def materialise(name: str, root: Path) -> Path:
    """Copy case `name` under `root` (adding any generated file) and return the folder to run in."""
    target = root / name
    shutil.copytree(HERE / name, target)
    if name in GENERATED:
        filename, content = GENERATED[name]
        (target / "case" / filename).write_bytes(content)
    return target
