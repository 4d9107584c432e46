"""One road for every load: the same records written as YAML and as JSON Lines get the same verdict.

Each test writes one set of records both ways (a lone JSON Lines file takes the streaming
road, YAML the in-memory one) and checks that the CLI and `loaders.load`/`validate` say
the same about them: the same problems with the same wording, each at its own line.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import pytest
from conftest import TESTS, actorgraph, export_json

from actorgraph import Graph
from actorgraph.graph.nodelink import read_node_link
from actorgraph.loaders import DataError, load, validate

sys.path.insert(0, str(TESTS / "bad_input"))
from cases import case_names, expected, materialise  # noqa: E402

TEXT = "A test note about Astana and Tashkent\nTokayev leads Kazakhstan\nKazakhstan and Uzbekistan border each other\n"
FORMATS = ("yaml", "jsonl")
Record = tuple[str, dict]


def node(node_id: str, labels: list[str], name: str, line: int, evidence: str, **extra: object) -> Record:
    return "node", {"id": node_id, "labels": labels, "name": name, "source": "source:t", "line": line,
                    "evidence": evidence, **extra}  # fmt: skip


def relation(start: str, rel_type: str, end: str, line: int, evidence: str, **extra: object) -> Record:
    return "relation", {"from": start, "type": rel_type, "to": end, "source": "source:t", "line": line,
                        "evidence": evidence, **extra}  # fmt: skip


def good(sha256: str | None = None) -> list[Record]:
    """A small valid data set about the text above."""
    digest = sha256 or hashlib.sha256(TEXT.encode()).hexdigest()
    return [
        node("source:t", ["Source"], "A test note", 1, "A test note", file="t.txt", sha256=digest),
        node("country:kazakhstan", ["Country"], "Kazakhstan", 2, "leads Kazakhstan"),
        node("country:uzbekistan", ["Country"], "Uzbekistan", 3, "Uzbekistan border"),
        node("person:tokayev", ["Leader"], "Kassym-Jomart Tokayev", 2, "Tokayev leads"),
        relation("person:tokayev", "LEADS", "country:kazakhstan", 2, "Tokayev leads Kazakhstan"),
        relation("country:kazakhstan", "BORDERS", "country:uzbekistan", 3, "border each other"),
    ]


def write(folder: Path, fmt: str, records: list[Record], stem: str = "data") -> tuple[Path, list[int]]:
    """`records` as one data file (nodes first, then relations); return it and the line of each record."""
    folder.mkdir(parents=True, exist_ok=True)
    order = [i for i, r in enumerate(records) if r[0] == "node"] + [i for i, r in enumerate(records) if r[0] != "node"]
    lines = [0] * len(records)
    if fmt == "jsonl":
        path = folder / f"{stem}.jsonl"
        text = []
        for index in order:
            text.append(json.dumps({"kind": records[index][0], **records[index][1]}, ensure_ascii=False))
            lines[index] = len(text)
    else:
        path = folder / f"{stem}.yaml"
        text = []
        for section, kind in (("nodes", "node"), ("relations", "relation")):
            text.append(f"{section}:")
            for index in (i for i in order if records[i][0] == kind):
                text.append(f"  - {json.dumps(records[index][1], ensure_ascii=False)}")  # JSON is YAML's flow style
                lines[index] = len(text)
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path, lines


def shown(path: Path) -> str:
    """A path as problems show it."""
    from actorgraph.loaders.problems import display_path

    return display_path(path)


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "t.txt").write_text(TEXT, encoding="utf-8")
    return folder


def problems_of(path: Path, sources: Path) -> list[str]:
    """`validate`'s problems, as `line: field: message` (the file name is the only thing that differs)."""
    with pytest.raises(DataError) as caught:
        validate(path, sources)
    assert all(problem.file.endswith(path.name) for problem in caught.value.problems)
    return [str(problem).split(":", 1)[1] for problem in caught.value.problems]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_lone_json_lines_file_streams_and_yaml_does_not(tmp_path: Path, sources: Path, fmt: str) -> None:
    path, _ = write(tmp_path / "d", fmt, good())
    report = validate(path, sources)
    assert (report.nodes, report.streamed) == (4, fmt == "jsonl")
    assert not report.notes


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_relationship_between_labels_its_type_does_not_allow_is_refused(
    tmp_path: Path, sources: Path, home: Path, fmt: str
) -> None:
    """Country -LEADS-> Country: a Country is an Actor, as a Person is, yet LEADS starts at a Person only."""
    records = [*good(), relation("country:kazakhstan", "LEADS", "country:uzbekistan", 3, "Kazakhstan and Uzbekistan")]
    path, lines = write(tmp_path / "d", fmt, records)
    expected = f"{lines[-1]}: from: LEADS cannot start at 'country:kazakhstan' (Actor/Country); allowed: Person"
    assert problems_of(path, sources) == [expected]
    for command in ("validate", "build"):
        result = actorgraph(command, "--data", str(path), "--sources", str(sources))
        assert result.returncode == 2, result.stdout + result.stderr
        assert f"{path.name}:{expected}" in result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("same", [True, False])
def test_a_duplicate_id_is_worded_alike_and_says_where_it_was_first_defined(
    tmp_path: Path, sources: Path, fmt: str, same: bool
) -> None:
    records = good()
    again = records[2] if same else node("country:uzbekistan", ["Country"], "Uzbekistan", 3, "Uzbekistan")
    path, lines = write(tmp_path / "d", fmt, [*records, again])
    what = "duplicate id (same content)" if same else "duplicate id with different content"
    first = f"{shown(path)}:{lines[2]}"
    assert problems_of(path, sources) == [f"{lines[-1]}: id: {what}: 'country:uzbekistan' is first defined at {first}"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_problem_of_a_record_is_reported(tmp_path: Path, sources: Path, fmt: str) -> None:
    """A duplicate node citing a phrase not on its line; a relationship wrong three ways."""
    records = [
        *good(),
        node("country:uzbekistan", ["Country"], "Uzbekistan", 3, "Samarkand"),
        relation("country:kazakhstan", "BORDERS", "country:uzbekistan", 9, "border"),
        relation("country:kazakhstan", "LEADS", "person:tokayev", 2, "Astana"),
    ]
    path, lines = write(tmp_path / "d", fmt, records)
    found = problems_of(path, sources)
    duplicate, borders, leads = lines[-3:]
    assert sorted(found) == sorted(
        [
            f"{duplicate}: id: duplicate id with different content: 'country:uzbekistan' is first defined at "
            f"{shown(path)}:{lines[2]}",
            f"{duplicate}: evidence: not found on line 3 of t.txt",
            f"{borders}: key: the same BORDERS from 'country:kazakhstan' to 'country:uzbekistan' is at "
            f"{shown(path)}:{lines[5]}; give each a distinct `key`",
            f"{borders}: line: the source has only 3 lines, not 9",
            f"{leads}: from: LEADS cannot start at 'country:kazakhstan' (Actor/Country); allowed: Person",
            f"{leads}: to: LEADS cannot end at 'person:tokayev' (Actor/Person/Leader); allowed: Country, Organization",
            f"{leads}: evidence: not found on line 2 of t.txt",
        ]
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_source_text_that_differs_from_its_sha256_is_noted_alike(
    tmp_path: Path, sources: Path, home: Path, fmt: str
) -> None:
    """data/README.md: the sha256 is there so that a changed text is noticed; each phrase is still checked."""
    path, _ = write(tmp_path / "d", fmt, good(sha256="0" * 64))
    note = f"source text {sources / 't.txt'} differs from the sha256 recorded on source:t"
    assert validate(path, sources).notes == [note]
    result = actorgraph("build", "--data", str(path), "--sources", str(sources))
    assert result.returncode == 0, result.stderr
    assert "differs from the sha256 recorded on source:t" in " ".join(result.stderr.split())


@pytest.mark.parametrize("fmt", FORMATS)
def test_records_of_two_sources_defining_one_node_join_alike(tmp_path: Path, sources: Path, fmt: str) -> None:
    """A second source adds a code to a node: one node, the same graph whichever the format (a stream reads it in memory)."""
    other = [
        ("node", {"id": "source:codes", "labels": ["Source"], "name": "Codes", "version": "1", "source": "source:codes",
                  "line": 1, "evidence": "codes"}),
        ("node", {"id": "country:kazakhstan", "labels": ["Country"], "name": "Republic of Kazakhstan", "iso3": "KAZ",
                  "source": "source:codes", "line": 2, "evidence": "KAZ Kazakhstan"}),
    ]  # fmt: skip
    path, _ = write(tmp_path / "d", fmt, [*good(), *other])
    report = validate(path, sources)
    assert (report.nodes, report.streamed) == (5, False)


@pytest.mark.parametrize("fmt", FORMATS)
def test_graph_build_and_the_cli_load_the_same_graph_from_either_format(
    tmp_path: Path, sources: Path, engine, fmt: str
) -> None:
    path, _ = write(tmp_path / "d", fmt, good())
    counts = Graph(engine).build(data=str(path), sources=sources)
    assert counts == {"nodes": 4, "relationships": 2 if fmt == "jsonl" else 5}  # MENTIONED_IN: not when streamed
    graph = read_node_link(engine)
    assert {n["id"] for n in graph["nodes"]} == {
        "source:t",
        "country:kazakhstan",
        "country:uzbekistan",
        "person:tokayev",
    }
    assert ("person:tokayev", "LEADS", "country:kazakhstan") in {
        (x["source"], x["type"], x["target"]) for x in graph["links"]
    }


def test_graph_build_takes_yaml_and_json_lines_together(tmp_path: Path, sources: Path, engine) -> None:
    records = good()
    yaml_path, _ = write(tmp_path / "a", "yaml", records[:4])
    jsonl_path, _ = write(tmp_path / "b", "jsonl", records[4:])
    counts = Graph(engine).build(data=[str(yaml_path), jsonl_path], sources=sources)
    assert counts["nodes"] == 4
    links = {(x["source"], x["type"], x["target"]) for x in read_node_link(engine)["links"]}
    assert {
        ("person:tokayev", "LEADS", "country:kazakhstan"),
        ("country:kazakhstan", "BORDERS", "country:uzbekistan"),
    } <= links
    with pytest.raises(DataError) as caught:  # the same rules across the two files
        load([yaml_path, write(tmp_path / "c", "jsonl", [records[5], relation("country:kazakhstan", "LEADS",
             "country:uzbekistan", 3, "Kazakhstan")])[0]], engine, sources=sources)  # fmt: skip
    assert [p.message for p in caught.value.problems] == [
        "LEADS cannot start at 'country:kazakhstan' (Actor/Country); allowed: Person"
    ]
    assert {x["type"] for x in read_node_link(engine)["links"]} >= {"LEADS", "BORDERS"}  # the previous graph stands


def test_the_cli_builds_a_lone_json_lines_file_as_yaml(tmp_path: Path, sources: Path, home: Path) -> None:
    jsonl, _ = write(tmp_path / "j", "jsonl", good())
    result = actorgraph("build", "--data", str(jsonl), "--sources", str(sources))
    assert result.returncode == 0, result.stderr
    assert "built 4 nodes and 2 relationships from 1 files" in result.stdout
    assert len(export_json()["nodes"]) == 4


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_file_is_refused_alike(tmp_path: Path, sources: Path, fmt: str) -> None:
    path = tmp_path / f"empty.{fmt}"
    path.write_text("\n  \n", encoding="utf-8")
    assert problems_of(path, sources) == ["1: file: the file is empty"]


def test_a_json_lines_file_says_the_same_streamed_alone_and_read_in_memory_beside_yaml(
    tmp_path: Path, sources: Path
) -> None:
    """The two roads read each line with the same function and check it with the same rules."""
    lines = [
        *(json.dumps({"kind": kind, **data}) for kind, data in good()),
        "[1, 2]",
        '{"kind": "edge"}',
        "{not json",
        '{"kind": "node", "id": "country:x", "id": "country:y"}',
        json.dumps(
            {"kind": "node", **node("country:z", ["Country"], "Z", 2, "leads", colour="red", start="2021-13")[1]}
        ),
        json.dumps({"kind": "relation", **relation("country:z", "BORDERS", "country:kazakhstan", 2, "leads")[1]}),
        json.dumps(
            {"kind": "relation", **relation("country:kazakhstan", "LEADS", "country:uzbekistan", 3, "border")[1]}
        ),
    ]
    jsonl = tmp_path / "j" / "data.jsonl"
    jsonl.parent.mkdir()
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    other, _ = write(tmp_path / "y", "yaml", [node("place:astana", ["Place"], "Astana", 1, "Astana")])
    with pytest.raises(DataError) as alone:
        validate(jsonl, sources)
    with pytest.raises(DataError) as together:
        load(
            [other, jsonl],
            lambda: pytest.fail("data read in memory is checked before the engine opens"),
            sources=sources,
        )
    streamed = [str(p) for p in alone.value.problems]
    in_memory = [str(p) for p in together.value.problems if p.file.endswith("data.jsonl")]
    assert streamed == in_memory
    assert len(streamed) >= 8, streamed


#: A reference to another place in the data (`case/x.yaml:5`): lines differ between the formats.
PLACE = re.compile(r"\S+\.(?:yaml|jsonl):\d+")


def _verdict(path: Path, sources: Path) -> list[str]:
    """What `validate` says, without places (the records sit on other lines in the other format)."""
    try:
        validate(path, sources)
    except DataError as exc:
        return sorted({f"{p.field}: {PLACE.sub('<place>', p.message)}" for p in exc.problems})
    return ["(valid)"]


#: Problems of a file's text or shape (a BOM, a tab, a syntax error, garbage, `nodes:` not a list):
#: such a case has no records to rewrite as JSON Lines.
TEXT_FIELDS = {"file", "yaml", "json", "nodes", "relations"}
RECORD_CASES = [
    name for name in case_names() if not TEXT_FIELDS & {line.split(": ")[1] for line in expected(name) if ": " in line}
]


@pytest.mark.parametrize("name", RECORD_CASES)
def test_the_bad_input_corpus_says_the_same_written_as_json_lines(name: str, tmp_path: Path) -> None:
    """Every case about records, rewritten record by record as one JSON Lines file (which streams).

    Cases about the YAML text itself have no JSON Lines twin and are not listed; the
    others must get the same problems, field for field.
    """
    from actorgraph.loaders.reader import read_records

    folder = materialise(name, tmp_path)
    try:
        records, found = read_records(folder / "case")
    except DataError:
        found = ["the path itself is refused"]
    assert not found, "a case about records, whose text the YAML reader refused"
    twin = folder / "twin" / "case.jsonl"
    twin.parent.mkdir()
    lines = (json.dumps({"kind": raw.kind, **raw.data}, default=str) for raw in records)  # dates as ISO text
    twin.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    assert validate.__module__ == "actorgraph.loaders.road"
    assert _verdict(twin, folder) == _verdict(folder / "case", folder)
