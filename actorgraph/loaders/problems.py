"""Problems found in data files, reported as `file:line: field: what is wrong`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from actorgraph.errors import ActorgraphError


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located precisely."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class DataError(ActorgraphError):
    """The data has problems; nothing was written. `problems` lists all of them."""

    exit_code = 2

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line, p.field, p.message))
        super().__init__(f"{len(self.problems)} problem(s); nothing was written.")

    def details(self) -> list[str]:
        """Every problem, one per line, as `file:line: field: what is wrong`."""
        return [str(problem) for problem in self.problems]


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return relative if not relative.startswith("..") else str(path)


def source_not_found(name: str, folders: list[Path]) -> str:
    """The note for a source text that is in none of `folders`: where it was looked for, and what to do."""
    from actorgraph.config import shared_sources_dir

    looked = ", ".join(display_path(folder) for folder in folders) or "no folder (none of them exists)"
    return (
        f"source text {name!r} not found (looked in: {looked}): evidence phrases were not checked against it; "
        f"put the file in {display_path(shared_sources_dir())} or pass --sources DIR"
    )
