"""The bad-input corpus: each case is the valid `base.yaml` with one defect (or a few).

`CASES` maps a case name to what to write: text replacements applied to base.yaml, or
an extra file (binary garbage, cp1251, a BOM, a 10 MB line, ...; generated at test
time, never committed). `expected.json` holds, for each case, the exact lines the
tools must print; paths there are relative to the run's working directory, the case
folder's parent, as a user would see them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE = (HERE / "base.yaml").read_text(encoding="utf-8")
Writer = Callable[[Path], None]


def replace(*pairs: tuple[str, str]) -> Writer:
    def write(folder: Path) -> None:
        text = BASE
        for old, new in pairs:
            assert old in text, old
            text = text.replace(old, new, 1)
        (folder / "base.yaml").write_text(text, encoding="utf-8")

    return write


def extra_file(name: str, content: bytes) -> Writer:
    def write(folder: Path) -> None:
        (folder / "base.yaml").write_text(BASE, encoding="utf-8")
        (folder / name).write_bytes(content)

    return write


CASES: dict[str, Writer] = {
    "yaml_syntax_error": replace(("    name: Kazakhstan\n", "    name: [Kazakhstan\n")),
    "tab_indentation": replace(("    name: Uzbekistan\n", "\tname: Uzbekistan\n")),
    "duplicate_key": replace(("    name: Kazakhstan\n", "    name: Kazakhstan\n    name: Qazaqstan\n")),
    "line_is_text": replace(
        (
            "    line: 3\n    evidence: Mirziyoyev leads Uzbekistan\n  - id: agreement",
            "    line: three\n    evidence: Mirziyoyev leads Uzbekistan\n  - id: agreement",
        )
    ),
    "line_zero": replace(
        (
            "    line: 2\n    evidence: Kazakhstan and Uzbekistan\n  - id: country:uzbekistan",
            "    line: 0\n    evidence: Kazakhstan and Uzbekistan\n  - id: country:uzbekistan",
        )
    ),
    "aliases_not_a_list": replace(("    name: Kazakhstan\n", "    name: Kazakhstan\n    aliases: Qazaqstan\n")),
    "count_not_a_number": replace(('    date: "2021"\n', '    date: "2021"\n    count: many\n')),
    "unknown_label": replace(("    labels: [Leader]\n", "    labels: [Warlord]\n")),
    "mixed_kinds": replace(("    labels: [Leader]\n", "    labels: [Leader, Event]\n")),
    "unknown_relationship_type": replace(("    type: LEADS\n", "    type: RULES\n")),
    "unknown_property": replace(("    name: Kazakhstan\n", "    name: Kazakhstan\n    capital: Astana\n")),
    "missing_reference": replace(("    to: country:uzbekistan\n", "    to: country:uzbekstan\n")),
    "duplicate_id_conflicting": replace(
        (
            "  - id: country:uzbekistan\n    labels: [Country]\n    name: Uzbekistan\n",
            "  - id: country:kazakhstan\n    labels: [Country]\n    name: Qazaqstan\n",
        )
    ),
    "impossible_date": replace(('    date: "2021"\n', '    date: "2021-13-40"\n')),
    "malformed_date": replace(('    date: "2021"\n', '    date: "Dec 2021"\n')),
    "end_before_start": replace(('    start: "2016"\n', '    start: "2016"\n    end: "2015-05"\n')),
    "missing_evidence": replace(
        ("    line: 3\n    evidence: Mirziyoyev leads Uzbekistan\n  - id: agreement", "    line: 3\n  - id: agreement")
    ),
    "missing_line": replace(
        ("    line: 2\n    evidence: signed a declaration\n", "    evidence: signed a declaration\n")
    ),
    "missing_source": replace(("source: source:bad\n", "")),
    "unknown_source": replace(("source: source:bad\n", "source: source:other\n")),
    "evidence_not_on_line": replace(
        (
            "    evidence: Kazakhstan and Uzbekistan\n  - id: country:uzbekistan",
            "    evidence: Kazakhstan and Tajikistan\n  - id: country:uzbekistan",
        )
    ),
    "evidence_too_long": replace(
        (
            "    evidence: signed a declaration in 2021\n",
            "    evidence: one two three four five six seven eight nine ten eleven twelve thirteen\n",
        )
    ),
    "line_beyond_source": replace(
        (
            "    line: 3\n    evidence: Mirziyoyev leads Uzbekistan\n  - id: agreement",
            "    line: 99\n    evidence: Mirziyoyev leads Uzbekistan\n  - id: agreement",
        )
    ),
    "self_relation": replace(("    to: country:uzbekistan\n", "    to: person:mirziyoyev\n")),
    "wrong_end_kind": replace(
        (
            "  - from: country:kazakhstan\n    type: PARTY_TO\n    to: agreement:declaration\n",
            "  - from: agreement:declaration\n    type: PARTY_TO\n    to: country:kazakhstan\n",
        )
    ),
    "bad_id": replace(
        ("  - id: person:mirziyoyev\n", "  - id: Person Mirziyoyev\n"),
        ("  - from: person:mirziyoyev\n", "  - from: Person Mirziyoyev\n"),
    ),
    "nodes_not_a_list": replace(("nodes:\n", "nodes: everything\nx:\n")),
    "claim_without_stance": extra_file(
        "claims.yaml",
        b"source: source:bad\nnodes:\n  - id: claim:c\n    labels: [Claim]\n    name: A view\n    text: Someone thinks so.\n    topic: t\n    line: 3\n    evidence: leads Uzbekistan\n",
    ),
    "empty_file": extra_file("empty.yaml", b""),
    "only_a_comment": extra_file("comment.yaml", b"# nothing here yet\n"),
    "cp1251_file": extra_file(
        "cp1251.yaml",
        "source: source:bad\nnodes:\n  - id: place:almaty\n    labels: [Place]\n    name: Алматы\n".encode("cp1251"),
    ),
    "byte_order_mark": extra_file("bom.yaml", b"\xef\xbb\xbf" + BASE.split("nodes:")[0].encode()),
    "binary_garbage": extra_file("garbage.yaml", bytes(range(256)) * 4),
    "ten_megabyte_line": extra_file("huge.yaml", b"source: source:bad\nnote: " + b"x" * 10_000_000 + b"\n"),
    "many_problems_at_once": replace(
        ("    labels: [Leader]\n", "    labels: [Warlord]\n"),
        ("    type: PARTY_TO\n", "    type: SIGNED\n"),
        ('    date: "2021"\n', '    date: "2021-02-30"\n'),
    ),
}
