"""The one root of every error a user can cause or fix, and how the CLI shows it.

Library code raises a subclass of `ActorgraphError` with a message fit to show a
user and an `exit_code`; `actorgraph.cli.main` is the one place that catches them,
prints `details()` and then `error: <message>` to stderr as plain text (never as rich markup: messages carry
names and values from the data) and exits with the code. Commands do not catch.

Exit codes: 1 the command could not do its job (a query failed), 2 bad input
(data files, parameters, options, output paths), 3 an engine cannot be reached.
"""

from __future__ import annotations


class ActorgraphError(Exception):
    """An error a user can cause or fix; `str(error)` is fit to show them."""

    exit_code = 1

    def details(self) -> list[str]:
        """Lines printed before the `error:` line (e.g. every problem found in the data)."""
        return []


class UsageError(ActorgraphError):
    """A command was called wrongly: a bad parameter, option or value (exit status 2)."""

    exit_code = 2

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class OutputPathError(UsageError):
    """A file or folder cannot be written where the user asked (exit status 2)."""


class EmptyGraph(ActorgraphError):
    """The graph has no nodes, so there is nothing to answer or draw (exit status 1)."""

    def __init__(self, where: str, build: str = "actorgraph build") -> None:
        super().__init__(f"the graph is empty ({where}): run `{build}` first")
