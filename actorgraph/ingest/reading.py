"""Read a source text safely: UTF-8 only, no binary, no absurd lines, with a clear reason otherwise.

The checks run on bytes, before decoding, so a 200 MB line or a binary file is refused
after reading at most one chunk past the limit, not after decoding it all.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from actorgraph.errors import ActorgraphError

#: Longest line accepted (bytes). Prose lines are a few hundred; a megabyte is no text.
MAX_LINE_BYTES = 1_000_000
#: Largest file accepted: a 100,000-line text is ~15 MB.
MAX_FILE_BYTES = 200_000_000
_CHUNK = 1 << 20


class IngestError(ActorgraphError):
    """A text that cannot be ingested; the message says why. Exit status 2 (bad input)."""

    exit_code = 2


@dataclass(frozen=True)
class Text:
    """A source text: its lines (without line ends), the file name and its SHA-256."""

    path: Path
    lines: list[str]
    sha256: str


def read_text(path: Path) -> Text:
    """Read `path` as UTF-8 text, or raise IngestError with a message the user can act on."""
    name = str(path)
    if not path.exists():
        raise IngestError(f"{name}: no such file")
    if not path.is_file():
        raise IngestError(f"{name}: not a file")
    size = path.stat().st_size
    if size == 0:
        raise IngestError(f"{name}: the file is empty; nothing to ingest")
    if size > MAX_FILE_BYTES:
        raise IngestError(f"{name}: the file is {size:,} bytes; ingest reads texts up to {MAX_FILE_BYTES:,} bytes")
    digest = hashlib.sha256()
    chunks = []
    line_start, line_number, offset = 0, 1, 0
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
                if offset == 0 and chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
                    raise IngestError(f"{name}: is UTF-16; save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)")
                _check_chunk(name, chunk, offset, line_number)
                newlines = chunk.count(b"\n")
                if newlines:
                    line_start = offset + chunk.rindex(b"\n") + 1
                    line_number += newlines
                offset += len(chunk)
                if offset - line_start > MAX_LINE_BYTES:
                    raise IngestError(
                        f"{name}:{line_number}: the line is longer than {MAX_LINE_BYTES:,} bytes; "
                        "this is not prose (split it into lines, or check the file)"
                    )
                chunks.append(chunk)
    except OSError as exc:
        raise IngestError(f"{name}: cannot read: {exc.strerror or exc}") from None
    raw = b"".join(chunks)
    text = _decode(name, raw)
    if not text.strip():
        raise IngestError(f"{name}: the file holds only white space; nothing to ingest")
    return Text(path, text.splitlines(), digest.hexdigest())


def _check_chunk(name: str, chunk: bytes, offset: int, line_number: int) -> None:
    if b"\x00" in chunk:
        line = line_number + chunk[: chunk.index(b"\x00")].count(b"\n")
        raise IngestError(f"{name}:{line}: contains NUL bytes: this is a binary file, not a text")
    controls = sum(chunk.count(bytes([c])) for c in range(1, 32) if c not in (9, 10, 12, 13))
    if controls > max(8, len(chunk) // 100):
        raise IngestError(f"{name}: {controls} control characters near byte {offset:,}: this is a binary file")


def _decode(name: str, raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte-order mark says nothing wrong about the text
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = _guess_encoding(raw)
        advice = f" It looks like {hint}: iconv -f {hint} -t UTF-8 IN > OUT" if hint else ""
        raise IngestError(
            f"{name}:{line}: is not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8.{advice}"
        ) from None


def _guess_encoding(raw: bytes) -> str | None:
    """Name a Cyrillic 8-bit encoding when the bytes read as mostly Cyrillic letters in it."""
    sample = raw[:65536]
    for encoding in ("cp1251", "koi8-r"):
        text = sample.decode(encoding, errors="replace")
        letters = [ch for ch in text if ch.isalpha()]
        lower = sum(1 for ch in letters if "а" <= ch <= "я")
        if letters and lower / len(letters) > 0.6:
            return encoding.upper()
    return None
