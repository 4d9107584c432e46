"""Turn one data set's rows into records in actorgraph's JSON Lines format.

Each converter checks every row first (`file:row: column: what is wrong`) and writes
nothing if any is wrong. Output is sorted and carries no time stamp, so importing the
same file twice gives byte-identical output.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from actorgraph.datasets.catalog import ATOP_OBLIGATIONS, DATASETS, DatasetSpec
from actorgraph.datasets.crosswalk import iso3
from actorgraph.datasets.known import Known, add_import, known_from_curated
from actorgraph.datasets.names import skeleton, slug, surname
from actorgraph.datasets.tables import DatasetError, Table, read_table
from actorgraph.graph.schema import MAX_EVIDENCE_WORDS
from actorgraph.loaders.problems import Problem, display_path
from actorgraph.output_paths import write_atomically

Record = dict[str, Any]
#: How alike two surname skeletons must be to be reported as a possible (unjoined) match.
CLOSE_NAME = 0.8


@dataclass(frozen=True)
class Review:
    """An uncertain join, left unmade for a person to decide: the input row and the node(s) it may be."""

    row: int  # the row of the input (the CSV line, or the data frame's row)
    record: str  # the row's key fields, e.g. "archigos TAJ-1992 Karimov"
    candidates: tuple[str, ...]  # the graph's nodes it may be, as "id (name)"
    why: str  # what makes it uncertain, `{}` standing for the candidates

    def __str__(self) -> str:
        return f"{self.record}: {self.why.format(', '.join(self.candidates))}; not joined"


@dataclass
class ImportResult:
    """What an import wrote and what the reviewer should look at."""

    dataset: str
    output: Path
    nodes: int = 0
    relations: int = 0
    joined: list[str] = field(default_factory=list)
    uncertain: list[Review] = field(default_factory=list)
    review: Path | None = None  # the file listing `uncertain`, beside the output (None: nothing to review)


class _Rows:
    """Typed access to a table's cells that collects problems instead of failing at the first."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.name = display_path(table.path)
        self.problems: list[Problem] = []

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(self.name, row, column, message))

    def code(self, row: int, values: Record, column: str) -> int | None:
        value = values.get(column)
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            self.problem(row, column, f"expected a whole-number state code, got {value!r}")
            return None
        if not number.is_integer() or not 0 <= number < 10_000:
            self.problem(row, column, f"expected a whole-number state code, got {value!r}")
            return None
        return int(number)

    def whole(self, row: int, values: Record, column: str, *, optional: bool = False) -> int | None:
        value = values.get(column)
        if value is None and optional:
            return None
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            self.problem(row, column, f"expected a whole number, got {value!r}")
            return None
        if not number.is_integer() or abs(number) > 1_000_000:
            self.problem(row, column, f"expected a whole number, got {value!r}")
            return None
        return int(number)

    def date(self, row: int, values: Record, column: str) -> str | None:
        value = values.get(column)
        try:
            return dt.date.fromisoformat(str(value)[:10]).isoformat() if value is not None else _missing()
        except ValueError:
            self.problem(row, column, f"expected a date as YYYY-MM-DD, got {value!r}")
            return None

    def text(self, row: int, values: Record, column: str, *, optional: bool = False) -> str | None:
        value = values.get(column)
        if value is None or not str(value).strip():
            if not optional:
                self.problem(row, column, "is empty")
            return None
        return " ".join(str(value).split())

    def done(self) -> None:
        if self.problems:
            raise DatasetError(self.problems)


def _missing() -> str:
    raise ValueError("missing")


def _evidence(*parts: object) -> str:
    """The row's key fields as written, cut to the evidence limit."""
    words = " ".join(str(part) for part in parts if part is not None).split()
    return " ".join(words[:MAX_EVIDENCE_WORDS])


def _ymd(year: int | None, month: int | None, day: int | None) -> str | None:
    if year is None:
        return None
    try:
        if month and day:
            return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}" if month else f"{year:04d}"


def _source(spec: DatasetSpec, path: Path, table: Table) -> Record:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return {
        "kind": "node",
        "id": spec.source_id,
        "labels": ["Source"],
        "name": spec.title,
        "title": spec.title,
        "version": spec.version,
        "citation": spec.citation,
        "file": path.name,
        "sha256": digest,
        "language": "en",
        "source": spec.source_id,
        "line": 1,
        "evidence": _evidence(*table.columns),
    }


# ------------------------------------------------------------------ states (COW, GW)
def _states(spec: DatasetSpec, table: Table, known: Known, result: ImportResult, code_column: str) -> list[Record]:
    """Country nodes, one per state code, with every membership period (COW and GW alike)."""
    rows = _Rows(table)
    per_code: dict[int, list[tuple[int, Record, str | None, str | None]]] = defaultdict(list)
    for number, values in table.rows:
        code = rows.code(number, values, code_column)
        name = rows.text(number, values, "statenme" if code_column == "ccode" else "statename")
        rows.text(number, values, "stateabb")
        if code_column == "ccode":
            start = _ymd(*(rows.whole(number, values, c) for c in ("styear", "stmonth", "stday")))
            end = _ymd(*(rows.whole(number, values, c) for c in ("endyear", "endmonth", "endday")))
        else:
            start, end = rows.date(number, values, "startdate"), rows.date(number, values, "enddate")
        if code is not None and name:
            per_code[code].append((number, values, start, end))
    rows.done()
    code_property = "cow_code" if code_column == "ccode" else "gw_code"
    name_column = "statenme" if code_column == "ccode" else "statename"
    records: list[Record] = []
    taken: set[str] = set()
    for code in sorted(per_code):
        spells = per_code[code]
        number, first, start, _ = spells[0]
        name = " ".join(str(first[name_column]).split())
        code_iso = iso3(name)
        node_id = known.countries.get(code_iso) if code_iso else None
        if node_id in taken:  # a second code for the same modern state (COW's 255 and 260): its own node
            node_id = None
        if node_id:
            result.joined.append(f"{node_id} = {spec.name} {code} {name} (ISO {code_iso})")
        else:
            node_id = _free_id(f"country:{slug(name)}", code, known.ids | taken)
        taken.add(node_id)
        record: Record = {
            "kind": "node",
            "id": node_id,
            "labels": ["Country"],
            "name": name,
            "aliases": sorted({name, str(first["stateabb"])}),
            code_property: code,
            "start": start,
            "end": spells[-1][3],
            "periods": [f"{s or '?'}/{e or '?'}" for _, _, s, e in spells],
            "source": spec.source_id,
            "line": number,
            "evidence": _evidence(first["stateabb"], code, name, start, spells[-1][3]),
        }
        if code_iso:
            record["iso3"] = code_iso
        records.append(_clean(record))
    return records


def _free_id(wanted: str, code: int, taken: set[str]) -> str:
    return wanted if wanted not in taken else f"{wanted}-{code}"


# ------------------------------------------------------------------------- Archigos
def _archigos(spec: DatasetSpec, table: Table, known: Known, result: ImportResult) -> list[Record]:
    rows = _Rows(table)
    spells: list[dict[str, Any]] = []
    for number, values in table.rows:
        spell = {
            "row": number,
            "obsid": rows.text(number, values, "obsid"),
            "gwcode": rows.code(number, values, "gwcode"),
            "leadid": rows.text(number, values, "leadid"),
            "leader": rows.text(number, values, "leader"),
            "yrborn": rows.whole(number, values, "yrborn", optional=True),
            "gender": rows.text(number, values, "gender", optional=True),
            "start": rows.date(number, values, "startdate"),
            "end": rows.date(number, values, "enddate"),
            "entry": rows.text(number, values, "entry", optional=True),
            "exit": rows.text(number, values, "exit", optional=True),
        }
        code = spell["gwcode"]
        if code is not None and ("gw_code", code) not in known.codes:
            rows.problem(number, "gwcode", f"unknown state code {code} (not in the gw-states import)")
        spells.append(spell)
    rows.done()
    by_leader: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for spell in spells:
        by_leader[spell["leadid"]].append(spell)
    records: list[Record] = []
    taken: set[str] = set()
    for leadid in sorted(by_leader, key=lambda key: (by_leader[key][0]["row"], key)):
        terms = by_leader[leadid]
        first = terms[0]
        countries = {known.codes[("gw_code", term["gwcode"])] for term in terms}
        person_id = _join_leader(first["leader"], terms, countries, known, result)
        if person_id is None:
            abb = str(first["obsid"]).split("-")[0].lower()
            person_id = _unique(f"person:{slug(first['leader'])}-{slug(abb)}", first, known.ids | taken)
        taken.add(person_id)
        records.append(
            _clean(
                {
                    "kind": "node",
                    "id": person_id,
                    "labels": ["Leader"],
                    "name": first["leader"],
                    "archigos_id": leadid,
                    "birth_year": first["yrborn"],
                    "gender": first["gender"],
                    "source": spec.source_id,
                    "line": first["row"],
                    "evidence": _evidence(first["obsid"], first["leader"], first["start"], first["end"]),
                }
            )
        )
        for term in terms:
            records.append(
                _clean(
                    {
                        "kind": "relation",
                        "from": person_id,
                        "type": "LEADS",
                        "to": known.codes[("gw_code", term["gwcode"])],
                        "key": f"archigos:{term['obsid']}",
                        "start": term["start"],
                        "end": term["end"],
                        "entry": term["entry"],
                        "exit": term["exit"],
                        "source": spec.source_id,
                        "line": term["row"],
                        "evidence": _evidence(term["obsid"], term["leader"], term["start"], term["end"]),
                    }
                )
            )
    return records


def _join_leader(
    leader: str, terms: list[dict[str, Any]], countries: set[str], known: Known, result: ImportResult
) -> str | None:
    """The curated person this Archigos leader is, if name, country and dates all agree; else None.

    A match on the name alone (other country or dates), or a name that is only close, is
    reported for review and not joined.
    """
    key = skeleton(surname(leader))
    exact = known.people.get(key, set())
    close = {
        person
        for other, people in known.people.items()
        if other != key and difflib.SequenceMatcher(None, key, other).ratio() >= CLOSE_NAME
        for person in people
    }
    confirmed = []
    record = f"archigos {terms[0]['obsid']} {leader}"

    def review(why: str, people: list[str]) -> None:
        shown = tuple(f"{person} ({known.names.get(person)})" for person in people)
        result.uncertain.append(Review(terms[0]["row"], record, shown, why))

    for person in sorted(exact):
        curated = [t for t in known.terms if t.person == person and t.country in countries]
        if any(_overlap(t.start, t.end, term["start"], term["end"]) for t in curated for term in terms):
            confirmed.append(person)
        else:
            review("same name as {} but no term in the same country and years", [person])
    for person in sorted(close - exact):
        curated = [t for t in known.terms if t.person == person and t.country in countries]
        if curated:
            review("name close to {}", [person])
    if len(confirmed) == 1:
        result.joined.append(f"{confirmed[0]} = {record}")
        return confirmed[0]
    if len(confirmed) > 1:
        review("matches {}", confirmed)
    return None


def _overlap(start_a: str | None, end_a: str | None, start_b: str | None, end_b: str | None) -> bool:
    """Do two date intervals at any precision overlap? An open end runs to today."""
    low_a, high_a = (start_a or "0000"), (end_a or "9999")
    low_b, high_b = (start_b or "0000"), (end_b or "9999")
    return low_a[: len(high_b)] <= high_b and low_b[: len(high_a)] <= high_a


def _unique(wanted: str, first: dict[str, Any], taken: set[str]) -> str:
    if wanted not in taken:
        return wanted
    born = f"{wanted}-{first['yrborn']}" if first.get("yrborn") else wanted
    candidate, number = born, 2
    while candidate in taken:
        candidate, number = f"{born}-{number}", number + 1
    return candidate


# ----------------------------------------------------------------------------- ATOP
def _atop(spec: DatasetSpec, table: Table, known: Known, result: ImportResult) -> list[Record]:
    """One ALLIED_WITH per directed pair of states and obligation, its years merged into periods."""
    rows = _Rows(table)
    years: dict[tuple[int, int, str], list[tuple[int, int]]] = defaultdict(list)  # -> [(year, row)]
    for number, values in table.rows:
        first = rows.code(number, values, "ccode1")
        second = rows.code(number, values, "ccode2")
        year = rows.whole(number, values, "year")
        for code, column in ((first, "ccode1"), (second, "ccode2")):
            if code is not None and ("cow_code", code) not in known.codes:
                rows.problem(number, column, f"unknown state code {code} (not in the cow-states import)")
        for column, obligation in ATOP_OBLIGATIONS.items():
            flag = rows.whole(number, values, column, optional=True)
            if flag not in (None, 0, 1):
                rows.problem(number, column, f"expected 0 or 1, got {values.get(column)!r}")
            elif flag == 1 and first is not None and second is not None and year is not None:
                years[(first, second, obligation)].append((year, number))
        if len(rows.problems) > 1000:
            break
    rows.done()
    records: list[Record] = []
    for (first, second, obligation), held in sorted(years.items()):
        held.sort()
        periods = _periods([year for year, _ in held])
        year, row = held[0]
        records.append(
            _clean(
                {
                    "kind": "relation",
                    "from": known.codes[("cow_code", first)],
                    "type": "ALLIED_WITH",
                    "to": known.codes[("cow_code", second)],
                    "key": f"atop:{obligation}",
                    "obligation": obligation,
                    "start": str(periods[0][0]),
                    "end": str(periods[-1][1]),
                    "periods": [f"{low}-{high}" for low, high in periods],
                    "years": [year for year, _ in held],
                    "source": spec.source_id,
                    "line": row,
                    "evidence": _evidence(first, second, year, f"{_COLUMN_OF[obligation]}=1"),
                }
            )
        )
    return records


_COLUMN_OF = {obligation: column for column, obligation in ATOP_OBLIGATIONS.items()}


def _periods(years: Iterable[int]) -> list[tuple[int, int]]:
    """[1992, 1993, 1994, 1999] -> [(1992, 1994), (1999, 1999)]."""
    periods: list[tuple[int, int]] = []
    for year in sorted(set(years)):
        if periods and year == periods[-1][1] + 1:
            periods[-1] = (periods[-1][0], year)
        else:
            periods.append((year, year))
    return periods


def _clean(record: Record) -> Record:
    """Drop missing values: absent, not null, as everywhere in the data format."""
    return {key: value for key, value in record.items() if value is not None and value != []}


# ------------------------------------------------------------------------ the driver
Converter = Callable[[DatasetSpec, Table, Known, ImportResult], list[Record]]
_CONVERTERS: dict[str, Converter] = {
    "cow-states": lambda spec, table, known, result: _states(spec, table, known, result, "ccode"),
    "gw-states": lambda spec, table, known, result: _states(spec, table, known, result, "gwcode"),
    "archigos": _archigos,
    "atop": _atop,
}
_CODE_PROPERTY = {"cow-states": "cow_code", "gw-states": "gw_code"}


def output_path(name: str, out_dir: Path) -> Path:
    return out_dir / f"{name}.jsonl"


def convert(name: str, path: Path, out_dir: Path, *, data: Path | None = None) -> ImportResult:
    """Import data set `name` from `path` into `out_dir/<name>.jsonl`, joined to `data` and earlier imports.

    Raises DatasetError (nothing written) on any problem with the input.
    """
    spec = DATASETS[name]
    table = read_table(path, spec.columns, label=name)
    known = known_from_curated(data)
    if spec.needs:
        needed = output_path(spec.needs, out_dir)
        if not needed.is_file():
            raise DatasetError(
                [
                    Problem(
                        display_path(path),
                        0,
                        "states",
                        f"{name} names states by their {spec.needs} codes: run "
                        f"`actorgraph import {spec.needs} FILE -o {display_path(out_dir)}` first",
                    )
                ]
            )
        add_import(known, needed, _CODE_PROPERTY[spec.needs])
    result = ImportResult(name, output_path(name, out_dir))
    records = [_source(spec, path, table), *_CONVERTERS[name](spec, table, known, result)]
    result.nodes = sum(record["kind"] == "node" for record in records)
    result.relations = len(records) - result.nodes
    _write_chunks(result.output, (orjson.dumps(record, option=orjson.OPT_SORT_KEYS) + b"\n" for record in records))
    _write_review(result, path, out_dir)
    return result


def review_path(name: str, out_dir: Path) -> Path:
    """Where an import lists its uncertain joins: beside its output, in a file the loaders do not read as data."""
    return out_dir / f"{name}.review.txt"


def _write_review(result: ImportResult, path: Path, out_dir: Path) -> None:
    """One line per uncertain join, `input:row: record: why candidates; not joined`; no file when there are none.

    A review file left by an earlier import of the same data set is removed with nothing
    to review, so the folder always describes the last import.
    """
    review = review_path(result.dataset, out_dir)
    if not result.uncertain:
        review.unlink(missing_ok=True)
        return
    shown = display_path(path)
    lines = sorted(result.uncertain, key=lambda item: (item.row, str(item)))
    _write_chunks(review, (f"{shown}:{item.row}: {item}\n".encode() for item in lines))
    result.review = review


def _write_chunks(path: Path, chunks: Iterable[bytes]) -> None:
    """Write all of it or nothing: a temporary file in the same folder, then a rename."""

    def write(tmp: str) -> None:
        with open(tmp, "wb") as out:
            for chunk in chunks:
                out.write(chunk)

    write_atomically(path, write, mode=0o644)
