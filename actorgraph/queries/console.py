"""The interactive Cypher console (prompt_toolkit): completion, history, multi-line input.

A query ends with `;`. Lines starting with `:` are console commands. Errors are shown
and the session goes on. Writes are refused by the engine unless `--write` was given.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

from actorgraph.graph import schema
from actorgraph.graph.engine import Engine, EngineError

KEYWORDS = (
    "MATCH", "OPTIONAL MATCH", "WHERE", "RETURN", "WITH", "ORDER BY", "LIMIT", "SKIP", "DISTINCT", "UNWIND",
    "AS", "AND", "OR", "NOT", "IN", "IS NULL", "IS NOT NULL", "CONTAINS", "STARTS WITH", "ENDS WITH",
    "count(", "collect(", "labels(", "type(", "coalesce(", "toLower(", "CASE", "WHEN", "THEN", "ELSE", "END",
    "CREATE", "MERGE", "SET", "DELETE", "DETACH DELETE", "UNION", "UNION ALL",
)  # fmt: skip
COMMANDS = (":help", ":ask", ":list", ":params", ":quit")
HELP = """Type Cypher and end it with ';' (it may span lines). Tab completes keywords, labels,
relationship types, property keys and commands.
  :list                      the catalogue of named questions
  :ask NAME key=value ...    run one (names in any language or spelling)
  :params key=value ...      set parameters for the next queries ($key); ':params' alone shows them
  :help                      this text
  :quit                      leave (Ctrl-D works too)"""


def _words() -> list[str]:
    labels = [f":{label}" for label in schema.LABELS] + list(schema.LABELS)
    types = [f":{name}" for name in schema.RELATIONSHIPS] + list(schema.RELATIONSHIPS)
    return [*KEYWORDS, *labels, *types, *schema.PROPERTIES, *COMMANDS]


class Console:
    """A read-eval-print loop over one engine."""

    def __init__(self, engine: Engine, *, write: bool = False, history: Path | None = None) -> None:
        self.engine = engine
        self.write = write
        self.params: dict[str, Any] = {}
        self.history = history

    def _session(self) -> Any:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.completion import WordCompleter
        from prompt_toolkit.history import FileHistory, InMemoryHistory

        history = InMemoryHistory()
        if self.history is not None:
            try:
                self.history.parent.mkdir(parents=True, exist_ok=True)
                history = FileHistory(str(self.history))
            except OSError:
                pass
        # the word before the cursor may start with ':' (labels, types, commands); the regex runs on reversed text
        completer = WordCompleter(_words(), ignore_case=True, pattern=re.compile(r"^[\w:$]+"))
        return PromptSession(history=history, completer=completer, complete_while_typing=False)

    def loop(self) -> None:
        from rich.console import Console as RichConsole

        out = RichConsole(highlight=False)
        mode = "read-write" if self.write else "read-only"
        out.print(f"actorgraph console on {self.engine.describe()} ({mode}). :help for help, :quit to leave.")
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
                if not self.command(line.strip(), out):
                    break
                continue
            buffer.append(line)
            text = "\n".join(buffer).strip()
            if text.endswith(";"):
                buffer = []
                self.run(text.rstrip(";").strip(), out)
        out.print("bye")

    def run(self, cypher: str, out: Any) -> None:
        from actorgraph.output import print_rows

        if not cypher:
            return
        try:
            rows = self.engine.run(cypher, self.params, write=self.write)
        except EngineError as exc:
            out.print(f"[red]error:[/] {exc}", markup=True, highlight=False)
            return
        print_rows(rows)

    def command(self, line: str, out: Any) -> bool:
        """Run a `:command`; return False to leave."""
        from actorgraph.output import print_rows
        from actorgraph.queries.registry import QuestionError, ask, catalogue
        from actorgraph.queries.resolve import ResolveError

        try:
            words = shlex.split(line)
        except ValueError as exc:
            out.print(f"[red]error:[/] {exc}")
            return True
        name, args = words[0], words[1:]
        if name in (":quit", ":exit", ":q"):
            return False
        if name == ":help":
            out.print(HELP, markup=False)
        elif name == ":list":
            print_rows([{"name": q.name, "question": q.question} for q in catalogue().values()])
        elif name == ":params":
            for pair in args:
                key, _, value = pair.partition("=")
                self.params[key] = _value(value)
            out.print(self.params, markup=False)
        elif name == ":ask" and args:
            try:
                params = {key: _value(value) for key, _, value in (pair.partition("=") for pair in args[1:])}
                print_rows(ask(self.engine, args[0], **params))
            except (QuestionError, ResolveError, EngineError) as exc:
                out.print(f"[red]error:[/] {exc}", markup=True, highlight=False)
        else:
            out.print(f"[red]error:[/] unknown command {name!r}; try :help", markup=True, highlight=False)
        return True


def _value(text: str) -> Any:
    import json

    try:
        return json.loads(text)
    except ValueError:
        return text
