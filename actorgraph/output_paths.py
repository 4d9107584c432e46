"""Check where a command will write before it does any work, and turn write failures into one line.

`map -o out/`, `export -o DIR` or `export --format csv -o FILE` used to end in Python
tracebacks after the whole graph had been read. `check_file` and `check_folder` say
what is wrong with an output path at once (exit status 2); `writing_to` turns an
`OSError` raised while writing (a full disk, /proc, a read-only mount) into the same
kind of one-line error.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from actorgraph.errors import OutputPathError

#: Files a folder may hold for `export --format csv` to replace it (a previous export).
REPLACEABLE_SUFFIXES = (".csv",)


def _nearest_existing(path: Path) -> Path:
    """`path`, or the closest of its parents that exists (what mkdir -p would start from)."""
    for candidate in (path, *path.parents):
        if candidate.exists() or candidate.is_symlink():
            return candidate
    return Path(path.anchor or ".")


def _check_parent(path: Path, option: str) -> None:
    """The folder that will hold `path` exists or can be made, and is writable."""
    parent = path.absolute().parent
    existing = _nearest_existing(parent)
    if not existing.is_dir():
        raise OutputPathError(f"{option} {path}: {existing} is not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputPathError(f"{option} {path}: cannot write in {existing} (permission denied)")


def check_file(path: Path, option: str = "--output", *, example: str = "graph.json", stdout: bool = False) -> None:
    """Refuse an output file path that cannot be written (a folder, a parent that is a file, ...).

    `-` means standard output where the command can write there (`stdout`).
    """
    if str(path) == "-":
        if not stdout:
            raise OutputPathError(f"{option} -: this command writes a file, not to standard output")
        return
    if path.is_dir():
        raise OutputPathError(f"{option} {path} is a folder; give a file name, e.g. {path / example}")
    if path.exists() and not path.is_file():
        raise OutputPathError(f"{option} {path} is not a regular file")
    _check_parent(path, option)


def check_folder(path: Path, option: str = "--output") -> None:
    """Refuse an output folder that is a file, or a folder holding anything but a previous export."""
    if str(path) == "-":
        raise OutputPathError(f"{option} -: this format writes a folder of files, not to standard output")
    if path.exists() and not path.is_dir():
        raise OutputPathError(f"{option} {path} is a file; this format writes a folder of files: give a folder name")
    if path.resolve() in (Path.cwd(), *Path.cwd().parents):
        raise OutputPathError(f"{option} {path} is the working folder or holds it; give a new folder name")
    if path.is_dir():
        others = sorted(
            entry.name for entry in path.iterdir() if not (entry.is_file() and entry.suffix in REPLACEABLE_SUFFIXES)
        )
        if others:
            raise OutputPathError(
                f"{option} {path} holds other files ({', '.join(others[:3])}{', ...' if len(others) > 3 else ''}); "
                "csv replaces the whole folder, so give an empty or new one"
            )
    _check_parent(path, option)


@contextlib.contextmanager
def writing_to(path: Path, option: str = "--output") -> Iterator[None]:
    """Turn an OSError raised while writing `path` into a one-line `OutputPathError`."""
    try:
        yield
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputPathError(f"{option} {path}: cannot write: {reason}") from exc


def write_atomically(path: Path, write: Callable[[str], None], *, mode: int | None = None) -> None:
    """Write `path` through `write(tmp)` on a temporary file beside it, renamed into place when complete.

    Readers never see half a file, and a failure leaves the old file (or none). The file
    gets `mode`, or by default the mode `open` would give it (0666 less the umask), not
    mkstemp's private 0600: exports, maps, drafts and imports are ordinary files.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomically(path: Path, text: str, *, mode: int | None = None) -> None:
    """`write_atomically` for a string, as UTF-8 with `\n` line ends."""

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)

    write_atomically(path, write, mode=mode)
