"""The explorer's web application (Starlette): GET routes only, safe headers, no tracebacks.

Safe by default: there is no route that writes (and the engine runs every query
read-only); every response carries a restrictive Content-Security-Policy (scripts and
styles only from this server, no inline code, no framing); a request whose Host
header is not this server's name is refused (DNS rebinding); errors are JSON under
/api/ and a plain page elsewhere, never a traceback.
"""

from __future__ import annotations

import json
import logging
import signal
import socket
import sys
from functools import cache
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from actorgraph.errors import ActorgraphError
from actorgraph.serve import pages
from actorgraph.serve.explorer import Explorer, NotFound

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
STATIC = {
    "explorer.js": "text/javascript; charset=utf-8",
    "explorer.css": "text/css; charset=utf-8",
    "vis-network.min.js": "text/javascript; charset=utf-8",
    "vis-network.css": "text/css; charset=utf-8",
}
log = logging.getLogger("actorgraph.serve")


class SafeJSONResponse(JSONResponse):
    """JSON with `<`, `>` and `&` escaped: even a page that wrongly embedded it could not be made to run code."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode("utf-8")


class SecurityHeaders:
    """Add the security headers to every response (pages, API, static files and errors alike)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.decode().lower() not in SECURITY_HEADERS]
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


@cache
def _static(name: str) -> bytes:
    if name.startswith("vis-network"):
        from actorgraph.viz.maps import vis_asset

        return vis_asset(name).encode("utf-8")
    return resources.files("actorgraph.serve").joinpath(f"static/{name}").read_bytes()


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return SafeJSONResponse({"error": message, "status": status}, status_code=status)
    return HTMLResponse(pages.problem_page(status, message), status_code=status)


def create_app(explorer: Explorer, *, allowed_hosts: list[str] | None = None) -> Starlette:
    """The explorer app over `explorer`; `allowed_hosts` are the Host names it answers to."""
    from actorgraph.graph.engine import QueryError
    from actorgraph.queries.registry import QuestionError, catalogue, get_question
    from actorgraph.queries.resolve import ResolveError

    def node_id(request: Request) -> str:
        return request.path_params["node_id"]

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            raise HTTPException(404, f"no file {name!r}")
        return Response(_static(name), media_type=STATIC[name], headers={"cache-control": "max-age=3600"})

    def home(request: Request) -> Response:
        return HTMLResponse(pages.home(explorer.ready_count()))

    def search_page(request: Request) -> Response:
        query = request.query_params.get("q", "")
        return HTMLResponse(pages.search_results(query, explorer.search(query, 50)))

    def api_search(request: Request) -> Response:
        query = request.query_params.get("q", "")
        limit = _int(request.query_params.get("limit"), 20, 1, 100)
        return SafeJSONResponse({"query": query, "results": explorer.search(query, limit)})

    def api_node(request: Request) -> Response:
        return SafeJSONResponse(explorer.node(node_id(request)))

    def api_network(request: Request) -> Response:
        return SafeJSONResponse(explorer.network(node_id(request)))

    def node_page(request: Request) -> Response:
        if node_id(request).startswith("source:"):  # a source's page is its text
            return RedirectResponse(pages.source_url(node_id(request), None), status_code=303)
        return HTMLResponse(pages.node_page(explorer.node(node_id(request))))

    def source_page(request: Request) -> Response:
        text = explorer.source(request.path_params["source_id"])
        line = _int(request.query_params.get("line"), None, 1, 10**9)
        status = 200 if text.lines is not None else 404
        return HTMLResponse(pages.source_page(text, line, request.query_params.get("phrase")), status_code=status)

    def questions(request: Request) -> Response:
        return HTMLResponse(pages.questions_page(list(catalogue().values())))

    def question(request: Request) -> Response:
        try:
            asked = get_question(request.path_params["name"])
        except QuestionError as exc:
            raise HTTPException(404, str(exc)) from None
        values = {p.name: request.query_params.get(p.name, "") for p in asked.params}
        rows, error, graph, known = None, None, None, set()
        if request.query_params.get("run") or not any(not p.optional for p in asked.params):
            try:
                rows, named = explorer.ask(asked.name, {k: v for k, v in values.items() if v != ""})
                ids = list(dict.fromkeys(named + explorer.ids_in(rows)))
                known = set(ids)
                graph = explorer.subgraph(ids) if len(ids) > 1 else None
            except (QuestionError, ResolveError) as exc:
                error = str(exc)
        return HTMLResponse(pages.question_page(asked, values, rows, error, known, graph))

    def cypher(request: Request) -> Response:
        text = request.query_params.get("q", "")
        rows, error, graph, known = None, None, None, set()
        if text.strip():
            try:
                rows, ids = explorer.cypher(text)
                ids += explorer.ids_in(rows)
                known = set(ids)
                graph = explorer.subgraph(ids) if len(set(ids)) > 1 else None
            except QueryError as exc:
                error = f"refused or failed: {exc}"
        return HTMLResponse(pages.cypher_page(text, rows, error, known, graph))

    async def not_found(request: Request, exc: Exception) -> Response:
        return _error(request, 404, str(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        return _error(request, status, str(getattr(exc, "detail", "")) or "error")

    async def server_error(request: Request, exc: Exception) -> Response:
        log.error("%s %s failed: %s: %s", request.method, request.url.path, type(exc).__name__, exc)
        return _error(request, 500, "the explorer could not answer this request; see the server's log")

    routes = [
        Route("/", home),
        Route("/search", search_page),
        Route("/api/search", api_search),
        Route("/api/node/{node_id:str}", api_node),
        Route("/api/node/{node_id:str}/network", api_network),
        Route("/node/{node_id:str}", node_page),
        Route("/source/{source_id:str}", source_page),
        Route("/ask", questions),
        Route("/ask/{name:str}", question),
        Route("/cypher", cypher),
        Route("/static/{name:str}", static),
    ]
    hosts = list(dict.fromkeys([*LOOPBACK_NAMES, *(allowed_hosts or [])]))
    return Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders), Middleware(TrustedHostMiddleware, allowed_hosts=hosts)],
        exception_handlers={NotFound: not_found, HTTPException: http_error, Exception: server_error},
    )


def _int(value: Any, default: Any, low: int, high: int) -> Any:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return min(max(number, low), high)


def machine_names() -> list[str]:
    """This machine's names and addresses: the Host headers a server on every interface may see."""
    import socket

    names = {socket.gethostname(), socket.getfqdn()}
    try:
        names.update(socket.gethostbyname_ex(socket.gethostname())[2])
    except OSError:
        pass
    return sorted(names)


class ServeError(ActorgraphError):
    """The explorer could not listen (address in use, not this machine's, no permission): exit status 1."""


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: any free one), or ServeError saying why not."""
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise ServeError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another with --port, or 0 for any free port"
        ) from None
    return sock


def serve(explorer: Explorer, host: str, port: int, *, announce: Any = None) -> None:
    """Run the explorer with uvicorn until interrupted; `announce(port)` is called once it listens."""
    import uvicorn

    sock = listen(host, port)
    allowed = machine_names() if host in ("0.0.0.0", "::") else [host.strip("[]"), host]
    app = create_app(explorer, allowed_hosts=allowed)
    config = uvicorn.Config(
        app, log_level="warning", server_header=False, access_log=False, lifespan="off", timeout_graceful_shutdown=2
    )
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(levelname)s: %(message)s")
    if announce is not None:
        announce(sock.getsockname()[1])  # connections wait in the socket's backlog until uvicorn serves them
    # uvicorn shuts down gracefully on SIGTERM, then raises the signal again to the handler it found: let that
    # handler be a clean exit, so the caller's `finally` (which stops the embedded engine's server) still runs
    previous = signal.signal(signal.SIGTERM, exit_on_sigterm)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        signal.signal(signal.SIGTERM, previous)


def exit_on_sigterm(signum: int, frame: Any) -> None:
    """SIGTERM as a clean exit (SystemExit), so context managers close the engine."""
    raise SystemExit(0)
