"""Read data files into raw records that remember the line of every field.

YAML is parsed with libyaml when it can give exactly ruamel's result (yaml_fast.py),
else with ruamel.yaml; both keep line numbers, so every later problem can point at
`file:line`. Bytes are checked first: strict UTF-8 without a BOM, no
NUL bytes, no tab indentation, no absurdly long lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from actorgraph.loaders import yaml_fast
from actorgraph.loaders.problems import DataError, Problem, display_path

MAX_LINE_CHARS = 100_000
#: Aliases reported per file (a file of them is one mistake, not thousands).
MAX_ALIAS_PROBLEMS = 10
DATA_SUFFIXES = (".yaml", ".yml")
#: JSON Lines data files, read record by record into the same raw records as YAML.
JSONL_SUFFIXES = (".jsonl", ".ndjson")


@dataclass
class RawRecord:
    """A node or relation as written in a file, with the line of each field."""

    kind: str  # "node" or "relation"
    file: str
    line: int
    data: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


def data_files(data: Path) -> list[Path]:
    """Every data file under `data` (one folder per collection, or files directly in it)."""
    if data.is_file():
        return [data]
    suffixes = DATA_SUFFIXES + JSONL_SUFFIXES
    files = [path for path in data.rglob("*") if path.suffix in suffixes and path.is_file()]
    return sorted(path for path in files if not any(part.startswith(".") for part in path.relative_to(data).parts))


def read_records(data: Path | list[Path]) -> tuple[list[RawRecord], list[Problem]]:
    """Read all data files under `data` (a path, or several in order); return the records and every problem."""
    records: list[RawRecord] = []
    problems: list[Problem] = []
    files: list[Path] = []
    for path in [data] if isinstance(data, Path) else data:
        if not path.exists():
            raise DataError([Problem(display_path(path), 0, "data", "no such file or folder")])
        found = data_files(path)
        if not found:
            raise DataError([Problem(display_path(path), 0, "data", "no .yaml or .jsonl data files found here")])
        problems += links_outside(found, path)
        files += [file for file in found if file not in files]
    refused = {problem.file for problem in problems}
    for path in files:
        if display_path(path) in refused:
            continue
        reader = read_jsonl_file if path.suffix in JSONL_SUFFIXES else read_file
        file_records, file_problems = reader(path)
        records += file_records
        problems += file_problems
    return records, problems


def links_outside(files: list[Path], data: Path) -> list[Problem]:
    """Files of a data folder that are symbolic links to somewhere outside it: refused unread.

    A data set handed over by someone else could link `notes.yaml` to a private file
    (/etc/shadow, a key), and an error message would quote it. Links inside the folder
    are fine; a file named directly with --data is the user's own choice.
    """
    if not data.is_dir():
        return []
    root = data.resolve()
    return [
        Problem(
            display_path(path),
            0,
            "file",
            f"is a symbolic link to a file outside {display_path(data)}; copy the file into the data folder instead",
        )
        for path in files
        if not path.resolve().is_relative_to(root)
    ]


#: Top-level keys shown in messages look like keys; anything else may be a line of some other file.
SHOWABLE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,39}$")


def _check_bytes(raw: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """Decode a file, or say precisely why it is not acceptable text."""
    if not raw.strip():
        return None, [Problem(name, 1, "file", "the file is empty")]
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [Problem(name, 1, "file", "starts with a byte-order mark (BOM); save it as UTF-8 without BOM")]
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return None, [Problem(name, line, "file", "contains NUL bytes: this is not a text file")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Problem(name, line, "file", f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8")
        ]
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        if len(line) > MAX_LINE_CHARS:
            problems.append(
                Problem(name, number, "file", f"line is {len(line):,} characters long (limit {MAX_LINE_CHARS:,})")
            )
        elif line[: len(line) - len(line.lstrip())].count("\t"):
            problems.append(Problem(name, number, "file", "indented with a tab; YAML needs spaces"))
    return (None if problems else text), problems


def read_file(path: Path, *, fast: bool = True) -> tuple[list[RawRecord], list[Problem]]:
    """Parse one YAML data file into raw records (nothing is validated beyond shape).

    `fast` tries libyaml first (yaml_fast.py): a file it reads without any problem is
    done; anything else (a file it cannot read as ruamel would, or any problem) is read
    with ruamel, so every message stays ruamel's. `fast=False` always uses ruamel (tests).
    """
    name = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [], [Problem(name, 0, "file", f"cannot read: {exc.strerror or exc}")]
    text, problems = _check_bytes(raw, name)
    if text is None:
        return [], problems
    if fast:
        document = yaml_fast.load(text)
        if document is not None:
            records, problems = _records(document, name)
            if not problems:
                return records, problems
            # any problem at all: ruamel reads it again, so its findings and words are today's
    document, problems = _ruamel_load(text, name)
    if problems:
        return [], problems
    return _records(document, name)


def _records(document: Any, name: str) -> tuple[list[RawRecord], list[Problem]]:
    """The records of a parsed document (ruamel's containers or yaml_fast's), and its shape problems."""
    if document is None:
        return [], [Problem(name, 1, "file", "the file holds no data")]
    if not isinstance(document, dict):
        return [], [Problem(name, 1, "file", "expected a mapping with `nodes:` and/or `relations:` at the top")]
    problems: list[Problem] = []
    records: list[RawRecord] = []
    default_source = document.get("source")
    for key in document:
        if key in REVIEW_SECTIONS:
            problems += _unreviewed(name, document, key)
        elif key not in ("source", "nodes", "relations"):
            shown = str(key) if SHOWABLE_KEY.match(str(key)) else "(a top-level key, not shown)"
            problems.append(
                Problem(
                    name, _key_line(document, key), shown, "unknown top-level key; expected source, nodes, relations"
                )
            )
    for section, kind in (("nodes", "node"), ("relations", "relation")):
        items = document.get(section)
        if items is None:
            continue
        if not isinstance(items, list):
            problems.append(Problem(name, _key_line(document, section), section, "expected a list of records"))
            continue
        for index, item in enumerate(items):
            line = _item_line(items, index, document, section)
            if not isinstance(item, dict):
                problems.append(Problem(name, line, section, "each record must be a mapping of field: value"))
                continue
            data = {str(key): _plain(value) for key, value in item.items()}
            lines = {str(key): _key_line(item, key) for key in item}
            if default_source is not None and "source" not in data:
                data["source"] = _plain(default_source)
                lines["source"] = _key_line(document, "source")  # problems point at the file's `source:`
            records.append(RawRecord(kind, name, line, data, lines))
    return records, problems


def _ruamel_load(text: str, name: str) -> tuple[Any, list[Problem]]:
    """The document in `text` as ruamel's round-trip containers, or the problems that stop it."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    aliases = _aliases(yaml, text, name)
    if aliases:
        return None, aliases
    try:
        return yaml.load(text), []
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = " ".join(str(exc.problem or exc.context or "syntax error").split())
        if "duplicate key" in str(exc):
            what = f"duplicate key: {what}"
        return None, [Problem(name, line, "yaml", what)]
    except YAMLError as exc:
        return None, [Problem(name, 1, "yaml", " ".join(str(exc).split()))]
    except Exception as exc:  # noqa: BLE001 - ruamel itself fails on some inputs (e.g. `+_` as a value)
        return None, [Problem(name, _failure_line(exc), "yaml", _reader_failure(exc))]


def read_jsonl_file(path: Path) -> tuple[list[RawRecord], list[Problem]]:
    """Parse a JSON Lines data file (`"kind": "node"` or `"relation"` on each line) into raw records.

    For data read in memory (with YAML, or several data paths); a data path holding
    only JSON Lines streams through `bulk.py` instead, which reads each line the same way.
    """
    from actorgraph.loaders.jsonline import raw_record

    name = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [], [Problem(name, 0, "file", f"cannot read: {exc.strerror or exc}")]
    if not raw.strip():
        return [], [Problem(name, 1, "file", "the file is empty")]
    records: list[RawRecord] = []
    problems: list[Problem] = []
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        if len(line) > MAX_LINE_CHARS * 4:
            problems.append(
                Problem(name, number, "file", f"line is {len(line):,} bytes long (limit {MAX_LINE_CHARS * 4:,})")
            )
            continue
        record, found = raw_record(name, number, line)
        problems += found
        if record is not None:
            records.append(record)
    return records, problems


#: Sections of a draft written by `actorgraph ingest` that a reviewer must empty before it loads.
REVIEW_SECTIONS = ("candidates", "suggestions")


def _unreviewed(name: str, document: Any, section: str) -> list[Problem]:
    """One problem per entry left in a draft's `candidates:` or `suggestions:` (nothing unreviewed loads)."""
    items = document.get(section)
    if not items:
        return []
    if not isinstance(items, list):
        return [Problem(name, _key_line(document, section), section, "expected a list (or delete the section)")]
    problems = []
    for index, item in enumerate(items):
        line = _item_line(items, index, document, section)
        item = item if isinstance(item, dict) else {}
        if section == "candidates":
            what = f"unreviewed candidate {str(item.get('name', '?'))!r} ({item.get('kind', '?')})"
            todo = "add it as a node under `nodes:` or delete the entry"
        else:
            what = f"unreviewed suggestion {str(item.get('from', '?'))!r} -> {str(item.get('to', '?'))!r}"
            todo = "write it as a relation under `relations:` or delete the entry"
        problems.append(Problem(name, line, section, f"{what}: {todo}"))
    return problems


def _aliases(yaml: Any, text: str, name: str) -> list[Problem]:
    """Every alias (`*name`, `<<: *name`) in a file: refused, since each one copies a whole value.

    A 1 KB file of nested aliases (`a9: [*a8, *a8, ...]`) stands for billions of values:
    expanding it ran for a minute and ended in a MemoryError. Data files never need
    them, so the events are read (in bounded memory) before anything is built.
    """
    if "*" not in text or "&" not in text:  # an alias needs an anchor
        return []
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import AliasEvent

    problems: list[Problem] = []
    try:
        for event in yaml.parse(text):
            if isinstance(event, AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark else 1
                message = (
                    f"alias *{event.anchor}: anchors and aliases are not allowed in data files; write the value out"
                )
                problems.append(Problem(name, line, "yaml", message))
                if len(problems) >= MAX_ALIAS_PROBLEMS:
                    break
    except YAMLError:
        return []  # a syntax error: `yaml.load` reports it with its line
    except Exception as exc:  # noqa: BLE001 - a failure inside ruamel, reported as a problem, not a traceback
        return [Problem(name, _failure_line(exc), "yaml", _reader_failure(exc))]
    return problems


def _reader_failure(exc: Exception) -> str:
    """A problem's wording for an error inside the YAML library (not a syntax error it reports itself)."""
    what = " ".join(str(exc).split()) or "no reason given"
    return (
        f"the YAML reader failed on this file ({type(exc).__name__}: {what}); "
        "quote unusual values and move comments onto their own lines"
    )


def _failure_line(exc: BaseException) -> int:
    """The line of the node, event or token ruamel was working on when it failed (1 if none is known)."""
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    for frame in reversed(frames):  # innermost first
        for name in ("node", "event", "token"):
            mark = getattr(frame.f_locals.get(name), "start_mark", None)
            if mark is not None and isinstance(getattr(mark, "line", None), int):
                return mark.line + 1
    return 1


def _key_line(mapping: Any, key: Any) -> int:
    try:
        return mapping.lc.key(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return 1


def _item_line(items: Any, index: int, document: Any, section: str) -> int:
    try:
        return items.lc.item(index)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return _key_line(document, section)


def _plain(value: Any) -> Any:
    """ruamel's commented containers and scalars as plain Python values."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value  # dates and the like: validation decides
