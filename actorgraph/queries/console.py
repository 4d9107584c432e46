"""The interactive Cypher console (prompt_toolkit + rich) on either engine.

A query ends with `;` and may span lines. Lines starting with `:` are console
commands. Errors are shown as one message and the session goes on. Writes are
refused by the engine itself unless the console was started with `--write`. When
standard input is not a terminal (`actorgraph console < file.cypher`), statements are
read from it, run in order, and the exit status says whether all of them succeeded.
"""

from __future__ import annotations

import re
import shlex
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from actorgraph.graph import schema
from actorgraph.graph.engine import Engine, EngineError

KEYWORDS = (
    "MATCH", "OPTIONAL MATCH", "WHERE", "RETURN", "WITH", "ORDER BY", "LIMIT", "SKIP", "DISTINCT", "UNWIND",
    "AS", "AND", "OR", "NOT", "IN", "IS NULL", "IS NOT NULL", "CONTAINS", "STARTS WITH", "ENDS WITH",
    "count(", "collect(", "labels(", "type(", "coalesce(", "toLower(", "CASE", "WHEN", "THEN", "ELSE", "END",
    "CREATE", "MERGE", "SET", "DELETE", "DETACH DELETE", "UNION", "UNION ALL",
)  # fmt: skip
COMMANDS = (":help", ":schema", ":ask", ":list", ":params", ":format", ":engine", ":quit")
FORMATS = ("table", "json", "csv")
HELP = """Type Cypher and end it with ';' (it may span lines). Tab completes keywords, labels,
relationship types, property keys, question names and commands.
  :list                      the catalogue of named questions
  :ask NAME key=value ...    run one (names of actors in any language or spelling)
  :params key=value ...      set parameters for later queries ($key); ':params' alone shows them
  :format table|json|csv     how results are printed
  :schema                    the allowed labels and relationship types
  :engine                    which engine this is, and whether writes are allowed
  :help                      this text
  :quit                      leave (Ctrl-D works too)"""


def _words() -> list[str]:
    from actorgraph.queries.registry import catalogue

    labels = [f":{label}" for label in schema.LABELS] + list(schema.LABELS)
    types = [f":{name}" for name in schema.RELATIONSHIPS] + list(schema.RELATIONSHIPS)
    return [*KEYWORDS, *labels, *types, *schema.PROPERTIES, *COMMANDS, *catalogue(), *FORMATS]


def completer() -> Any:
    """Completion of keywords, labels, types, properties, question names and commands."""
    from prompt_toolkit.completion import WordCompleter

    # a word, with the ':' of a label, type or command in front (the regex runs on the reversed text)
    return WordCompleter(_words(), ignore_case=True, pattern=re.compile(r"^\w+[:$]?"))


def split_statements(text: str) -> list[str]:
    """Statements separated by ';' outside quotes, and `:command` lines, in order."""
    statements: list[str] = []
    buffer: list[str] = []
    quote: str | None = None
    for line in text.splitlines():
        if quote is None and not "".join(buffer).strip() and line.strip().startswith(":"):
            statements.append(line.strip())
            continue
        current = []
        for char in line + "\n":
            if quote:
                quote = None if char == quote else quote
            elif char in "'\"`":
                quote = char
            elif char == ";":
                buffer.append("".join(current))
                statements.append("".join(buffer).strip())
                buffer, current = [], []
                continue
            current.append(char)
        buffer.append("".join(current))
    rest = "".join(buffer).strip()
    if rest:
        statements.append(rest)
    return [statement for statement in statements if statement]


class Console:
    """A read-eval-print loop over one engine."""

    def __init__(self, engine: Engine, *, write: bool = False, history: Path | None = None) -> None:
        from rich.console import Console as RichConsole

        self.engine = engine
        self.write = write
        self.params: dict[str, Any] = {}
        self.history = history
        self.format = "table"
        self.failures = 0
        self.out = RichConsole(highlight=False)

    def _session(self) -> Any:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import FileHistory, InMemoryHistory
        from prompt_toolkit.lexers import PygmentsLexer
        from pygments.lexers.graph import CypherLexer

        history: Any = InMemoryHistory()
        if self.history is not None:
            try:
                self.history.parent.mkdir(parents=True, exist_ok=True)
                history = FileHistory(str(self.history))
            except OSError:
                pass
        return PromptSession(
            history=history, completer=completer(), complete_while_typing=False, lexer=PygmentsLexer(CypherLexer)
        )

    def loop(self, stdin: TextIO | None = None) -> int:
        """Run interactively, or over piped input; return 0 if every statement succeeded."""
        stdin = stdin or sys.stdin
        if not stdin.isatty():
            for statement in split_statements(stdin.read()):
                if statement.startswith(":"):
                    if not self.command(statement):
                        break
                else:
                    self.run(statement)
            return 1 if self.failures else 0
        mode = "read-write" if self.write else "read-only"
        self.out.print(f"actorgraph console on {self.engine.describe()} ({mode}). :help for help, :quit to leave.")
        session = self._session()
        buffer: list[str] = []
        while True:
            try:
                line = session.prompt("actorgraph> " if not buffer else "        ...> ")
            except KeyboardInterrupt:
                buffer = []
                continue
            except EOFError:
                break
            if not buffer and line.strip().startswith(":"):
                if not self.command(line.strip()):
                    break
                continue
            buffer.append(line)
            for statement in split_statements("\n".join(buffer)) if "\n".join(buffer).rstrip().endswith(";") else []:
                self.run(statement)
            if "\n".join(buffer).rstrip().endswith(";"):
                buffer = []
        self.out.print("bye")
        return 0

    def _error(self, message: object) -> None:
        self.failures += 1
        from rich.text import Text

        first, *rest = str(message).splitlines() or [""]  # text, not markup: messages quote the user's input
        self.out.print(Text.assemble(("error:", "red"), " ", first, *(f"\n{line}" for line in rest)), soft_wrap=True)

    def _show(self, rows: list[dict[str, Any]], started: float) -> None:
        from actorgraph.output import print_rows

        if self.format == "table":
            print_rows(rows, "table")
            self.out.print(f"[dim]{(time.perf_counter() - started) * 1000:.1f} ms[/dim]")
        else:
            print_rows(rows, self.format)

    def run(self, cypher: str) -> None:
        cypher = cypher.strip().rstrip(";").strip()
        if not cypher:
            return
        started = time.perf_counter()
        try:
            rows = self.engine.run(cypher, self.params, write=self.write)
        except EngineError as exc:
            self._error(exc)
            return
        self._show(rows, started)

    def command(self, line: str) -> bool:
        """Run a `:command`; return False to leave."""
        from actorgraph.errors import ActorgraphError
        from actorgraph.output import print_rows
        from actorgraph.queries.registry import ask, catalogue

        try:
            words = shlex.split(line)
        except ValueError as exc:
            self._error(exc)
            return True
        name, args = words[0], words[1:]
        if name in (":quit", ":exit", ":q"):
            return False
        if name == ":help":
            self.out.print(HELP, markup=False)
        elif name == ":list":
            print_rows([{"name": q.name, "question": q.question} for q in catalogue().values()])
        elif name == ":schema":
            rows = [{"kind": "label", "name": s.name, "description": s.description} for s in schema.LABELS.values()]
            rows += [
                {"kind": "relationship", "name": s.name, "description": s.description}
                for s in schema.RELATIONSHIPS.values()
            ]
            print_rows(rows)
        elif name == ":engine":
            self.out.print(f"{self.engine.describe()}; {'writes allowed' if self.write else 'read-only'}", markup=False)
        elif name == ":format":
            if len(args) != 1 or args[0] not in FORMATS:
                self._error(f":format takes one of {', '.join(FORMATS)}")
            else:
                self.format = args[0]
        elif name == ":params":
            for pair in args:
                key, _, value = pair.partition("=")
                self.params[key] = _value(value)
            self.out.print(self.params, markup=False)
        elif name == ":ask" and args:
            started = time.perf_counter()
            try:
                params = {key: _value(value) for key, _, value in (pair.partition("=") for pair in args[1:])}
                self._show(ask(self.engine, args[0], **params), started)
            except ActorgraphError as exc:  # the session goes on after a failed question
                self._error(exc)
        else:
            self._error(f"unknown command {name!r}; try :help")
        return True


def _value(text: str) -> Any:
    import json

    try:
        return json.loads(text)
    except ValueError:
        return text
