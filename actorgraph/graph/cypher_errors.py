"""Engine error messages made readable: the message, the query line with a caret, a hint.

FalkorDB reports a syntax error as one run-on line (`errMsg: Invalid input 'R' ...
line: 1, column: 14, offset: 13 errCtx: MATCH (n) RETRN n errCtxOffset: 13`) and Neo4j
as a message, the line in quotes and a caret. Both become

    Invalid input 'R': expected RETURN (line 1, column 14)
      MATCH (n) RETRN n
                   ^
    hint: did you mean RETURN?

`explain` only rewrites messages it recognises; anything else passes unchanged.
"""

from __future__ import annotations

import difflib
import re

FALKOR_SYNTAX = re.compile(
    r"^errMsg: (?P<message>.*?) line: (?P<line>\d+), column: (?P<column>\d+), offset: \d+ "
    r"errCtx: (?P<context>.*?) errCtxOffset: (?P<offset>\d+)\s*$",
    re.DOTALL,
)
NEO4J_SYNTAX = re.compile(
    r"^(?P<message>.*?) \(line (?P<line>\d+), column (?P<column>\d+) \(offset: \d+\)\)\n"
    r'"(?P<context>.*)"\n(?P<caret> *)\^\s*$',
    re.DOTALL,
)
#: Longest stretch of the query line shown around the caret.
CONTEXT_WIDTH = 76
#: A list of expected tokens longer than this is cut (Neo4j lists thirty).
MAX_EXPECTED = 6
KEYWORDS = (
    "MATCH", "OPTIONAL", "WHERE", "RETURN", "WITH", "UNWIND", "ORDER", "BY", "LIMIT", "SKIP", "CREATE", "MERGE",
    "DELETE", "DETACH", "SET", "REMOVE", "CALL", "YIELD", "UNION", "DISTINCT", "AS", "AND", "OR", "NOT", "IN",
    "CONTAINS", "STARTS", "ENDS", "CASE", "WHEN", "THEN", "ELSE", "END", "EXISTS", "COUNT", "NULL", "TRUE", "FALSE",
)  # fmt: skip


def explain(message: str) -> str:
    """A raw engine message as message, query line with caret, and hint (where it is recognised)."""
    found = FALKOR_SYNTAX.match(message.strip())
    if found:
        text, context, offset = found["message"], found["context"], int(found["offset"])
    else:
        found = NEO4J_SYNTAX.match(message.strip())
        if not found:
            hint = _hint(message, "", 0)
            return f"{message}\nhint: {hint}" if hint else message
        text, context, offset = found["message"], found["context"], len(found["caret"]) - 1
    text = " ".join(_shorten_expected(text).split())
    shown, caret = _window(context, offset)
    lines = [f"{text} (line {found['line']}, column {found['column']})", f"  {shown}", f"  {' ' * caret}^"]
    hint = _hint(text, context, offset)
    return "\n".join(lines + ([f"hint: {hint}"] if hint else []))


def _shorten_expected(text: str) -> str:
    """`expected a, b, c, ... or z` with at most `MAX_EXPECTED` items."""
    head, sep, listing = text.partition("expected ")
    if not sep:
        return text
    items = re.split(r", | or ", listing)
    if len(items) <= MAX_EXPECTED:
        return text
    return f"{head}expected {', '.join(items[:MAX_EXPECTED])} or one of {len(items) - MAX_EXPECTED} more"


def _window(context: str, offset: int) -> tuple[str, int]:
    """The part of a long query line around `offset`, and the caret's place in it."""
    offset = max(0, min(offset, len(context)))
    if len(context) <= CONTEXT_WIDTH:
        return context, offset
    start = max(0, min(offset - CONTEXT_WIDTH // 2, len(context) - CONTEXT_WIDTH))
    shown = context[start : start + CONTEXT_WIDTH]
    prefix = "..." if start else ""
    return prefix + shown + ("..." if start + CONTEXT_WIDTH < len(context) else ""), len(prefix) + offset - start


def _word_at(context: str, offset: int) -> str:
    """The word the caret is in (or starts)."""
    for match in re.finditer(r"[A-Za-z_]\w*", context):
        if match.start() <= offset < match.end():
            return match.group()
    return ""


def _hint(text: str, context: str, offset: int) -> str | None:
    """A hint that fits the cause, or None."""
    lowered = text.lower()
    if "end of input" in lowered or ("invalid input ''" in lowered and offset >= len(context.rstrip())):
        return "the query ends too early: something is missing at the end"
    if "invalid input" in lowered:
        word = _word_at(context, offset)
        close = difflib.get_close_matches(word.upper(), KEYWORDS, n=1, cutoff=0.7) if word else []
        if close and close[0] != word.upper():
            return f"did you mean {close[0]}?"
        return "the query is not valid Cypher at the caret"
    name = re.search(r"(?:variable )?[`'](?P<name>\w+)[`'] not defined", text, re.IGNORECASE)
    if name:
        return (
            f"{name['name']} is not bound by MATCH, WITH or UNWIND; "
            f"a value from outside is a parameter: ${name['name']} with -p {name['name']}=..."
        )
    if "missing parameter" in lowered or "expected parameter" in lowered:
        return "give each $parameter a value with -p name=value"
    if "procedure" in lowered and ("not registered" in lowered or "no procedure" in lowered):
        return "this engine has no such procedure (CALL dbms.procedures() lists them; on Neo4j SHOW PROCEDURES)"
    if "unknown function" in lowered:
        return "this engine has no function of that name: check its spelling"
    return None
