"""Check a Bolt URI before the driver sees it, and say plainly why a connection failed.

The driver's own messages are run-on (`Couldn't connect to 127.0.0.1:1 (resolved to
('127.0.0.1:1',)):` with the reason on later lines), quietly wrap a port above 65535,
and print a URI with its password (`bolt://neo4j:S3cret@host`). Here a URI that is not
Bolt, carries credentials or has a bad port is refused at once (exit status 2, the
password masked), and a failure to connect names its cause, with "is it running?"
only where that is the likely answer.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from actorgraph.errors import UsageError
from actorgraph.graph.engine import EngineUnavailable

SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
START_HINT = "(`docker compose up -d --wait`, or set ACTORGRAPH_NEO4J_URI / --neo4j-uri)"


def masked(uri: str) -> str:
    """`uri` without any password (and user) it carries: safe to print."""
    return re.sub(r"(?<=://)[^/@]*@", "***@", uri)


def check_bolt_uri(uri: str) -> str:
    """Return `uri` if the driver can use it; otherwise raise `UsageError` saying what to write."""
    shown = masked(uri)
    if "://" not in uri:
        example = f"bolt://{uri}" if re.fullmatch(r"[\w.-]+(:\d+)?", uri) else "bolt://localhost:7687"
        raise UsageError(f"Neo4j URI {shown!r} has no scheme: write it as {example}")
    parts = urlsplit(uri)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        extra = " (http:// is for Neo4j Browser; Bolt listens on port 7687)" if scheme.startswith("http") else ""
        raise UsageError(
            f"Neo4j URI {shown!r}: {parts.scheme!r} is not a Bolt scheme{extra}; use bolt://HOST:7687, "
            "or neo4j://, bolt+s://, neo4j+s:// (TLS)"
        )
    if "@" in parts.netloc:
        raise UsageError(
            f"Neo4j URI {shown!r} carries a user or password: give them in ACTORGRAPH_NEO4J_USER and "
            "ACTORGRAPH_NEO4J_PASSWORD (or --neo4j-user, --neo4j-password), not in the URI"
        )
    try:
        port = parts.port
    except ValueError:
        raise UsageError(f"Neo4j URI {shown!r}: the port must be a number from 1 to 65535") from None
    if not parts.hostname:
        raise UsageError(f"Neo4j URI {shown!r} names no host: write it as {scheme}://localhost:7687")
    if port == 0:
        raise UsageError(f"Neo4j URI {shown!r}: the port must be a number from 1 to 65535")
    return uri


def connection_failed(uri: str, exc: BaseException) -> EngineUnavailable:
    """An error that says why the driver could not connect to `uri`, fit to show a user."""
    text = " ".join(str(exc).split())
    address = urlsplit(uri).netloc
    where = f"cannot reach Neo4j at {masked(uri)}"
    reason = re.search(r"\[Errno -?\d+\] ([^)\]]+)", text)
    cause = (reason.group(1) if reason else "").strip().lower()
    if "cannot resolve address" in text.lower() or "name or service not known" in cause:
        return EngineUnavailable(f"{where}: no host of that name; check the host in the URI")
    if "connection refused" in cause:
        return EngineUnavailable(f"{where}: nothing listens on {address}; is Neo4j running? {START_HINT}")
    if "timed out" in cause or "timed out" in text.lower():
        return EngineUnavailable(
            f"{where}: no answer from {address}; is Neo4j running there, and is the port its Bolt port? {START_HINT}"
        )
    if "ssl" in text.lower() or "routing information" in text.lower():
        return EngineUnavailable(
            f"{where}: no secure (TLS) Bolt connection; a server without TLS needs bolt:// or neo4j://, "
            "not bolt+s:// or neo4j+s://"
        )
    if "unreachable" in cause:
        return EngineUnavailable(f"{where}: {cause}; check the host in the URI")
    first = (cause or text.split(":")[0] or type(exc).__name__).rstrip(": ")
    return EngineUnavailable(f"{where}: {first}; is it running? {START_HINT}")
