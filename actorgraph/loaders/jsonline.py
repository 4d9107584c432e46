"""One JSON Lines record decoded strictly: what the fast decoders let through is refused.

Shared by the streaming bulk loader (`bulk.py`) and the in-memory reader of mixed data
folders (`reader.py`), so both say the same about the same line.
"""

from __future__ import annotations

import json
from typing import Any

from actorgraph.loaders.problems import Problem
from actorgraph.loaders.reader import RawRecord


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _DuplicateKey(key)
        found[key] = value
    return found


def decode_line(raw_line: bytes) -> tuple[Any, tuple[str, str] | None]:
    """A JSON line as Python data, or (None, (field, what is wrong)).

    Refuses what the fast decoders let through: a key given twice (they keep the last),
    and says where a line is not UTF-8. NaN and Infinity are read, for `parse` to refuse
    with the field's name.
    """
    try:
        text = raw_line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, (
            "json",
            f"is not valid UTF-8 (byte 0x{raw_line[exc.start]:02x} at column {exc.start + 1}); save the file as UTF-8",
        )
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates), None
    except _DuplicateKey as exc:
        return None, (str(exc), "appears twice in this record (a JSON reader keeps only one); give it once")
    except (ValueError, RecursionError) as exc:
        return None, ("json", f"not a JSON record: {exc}")


def raw_record(name: str, number: int, raw_line: bytes) -> tuple[RawRecord | None, list[Problem]]:
    """One JSON line as a raw record (every field on that line), or the problem that stops it being one."""
    item, problem = decode_line(raw_line)
    if problem is not None:
        return None, [Problem(name, number, *problem)]
    if not isinstance(item, dict):
        return None, [Problem(name, number, "json", "each line must be a JSON object")]
    kind = item.pop("kind", None)
    if kind not in ("node", "relation"):
        return None, [Problem(name, number, "kind", 'expected "node" or "relation"')]
    return RawRecord(kind, name, number, item, dict.fromkeys(item, number)), []
