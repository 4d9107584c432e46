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

from actorgraph.serve import pages
from actorgraph.serve.explorer import Explorer, NotFound
from actorgraph.serve.listening import ServeError, Stop, listen, machine_names
from actorgraph.serve.opening import GraphNotReady, Opening, explorer_of, ready_explorer

__all__ = ["CSP", "ServeError", "Stop", "create_app", "listen", "serve"]

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


def create_app(source: Explorer | Opening, *, allowed_hosts: list[str] | None = None) -> Starlette:
    """The explorer app over an Explorer, or over one still opening; `allowed_hosts`: the Host names it answers to.

    Static files, the home page and the forms answer at once; a request that needs the
    graph waits for it to open (bounded), or is answered 503 saying why.
    """
    from actorgraph.graph.engine import QueryError
    from actorgraph.queries.registry import QuestionError, catalogue, get_question
    from actorgraph.queries.resolve import ResolveError

    explorer = explorer_of(source)

    def node_id(request: Request) -> str:
        return request.path_params["node_id"]

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            raise HTTPException(404, f"no file {name!r}")
        return Response(_static(name), media_type=STATIC[name], headers={"cache-control": "max-age=3600"})

    def home(request: Request) -> Response:
        ready = ready_explorer(source)  # the shell answers while the graph opens
        return HTMLResponse(pages.home(ready.ready_count() if ready is not None else None))

    def search_page(request: Request) -> Response:
        query = request.query_params.get("q", "")
        return HTMLResponse(pages.search_results(query, explorer().search(query, 50)))

    def api_search(request: Request) -> Response:
        query = request.query_params.get("q", "")
        limit = _int(request.query_params.get("limit"), 20, 1, 100)
        return SafeJSONResponse({"query": query, "results": explorer().search(query, limit)})

    def node_of(request: Request) -> dict[str, Any]:
        """The node, or one page of one type of its relationships (`?type=MEMBER_OF&skip=100`)."""
        rel_type = request.query_params.get("type") or None
        skip = _int(request.query_params.get("skip"), 0, 0, 10**9) if rel_type else 0
        return explorer().node(node_id(request), rel_type, skip)

    def api_node(request: Request) -> Response:
        return SafeJSONResponse(node_of(request))

    def api_network(request: Request) -> Response:
        return SafeJSONResponse(explorer().network(node_id(request)))

    def node_page(request: Request) -> Response:
        if node_id(request).startswith("source:"):  # a source's page is its text
            return RedirectResponse(pages.source_url(node_id(request), None), status_code=303)
        return HTMLResponse(pages.node_page(node_of(request)))

    def source_page(request: Request) -> Response:
        text = explorer().source(request.path_params["source_id"])
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
            answering = explorer()
            try:
                rows, named = answering.ask(asked.name, {k: v for k, v in values.items() if v != ""})
                ids = list(dict.fromkeys(named + answering.ids_in(rows)))
                known = set(ids)
                graph = answering.subgraph(ids) if len(ids) > 1 else None
            except (QuestionError, ResolveError) as exc:
                error = str(exc)
        return HTMLResponse(pages.question_page(asked, values, rows, error, known, graph))

    def cypher(request: Request) -> Response:
        text = request.query_params.get("q", "")
        rows, error, graph, known = None, None, None, set()
        if text.strip():
            answering = explorer()
            try:
                rows, ids = answering.cypher(text)
                ids += answering.ids_in(rows)
                known = set(ids)
                graph = answering.subgraph(ids) if len(set(ids)) > 1 else None
            except QueryError as exc:
                error = f"refused or failed: {exc}"
        return HTMLResponse(pages.cypher_page(text, rows, error, known, graph))

    async def not_found(request: Request, exc: Exception) -> Response:
        return _error(request, 404, str(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        return _error(request, status, str(getattr(exc, "detail", "")) or "error")

    async def not_ready(request: Request, exc: Exception) -> Response:
        response = _error(request, 503, str(exc))
        if getattr(exc, "retry_after", None):
            response.headers["retry-after"] = str(exc.retry_after)  # type: ignore[attr-defined]
        return response

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
        exception_handlers={
            NotFound: not_found,
            GraphNotReady: not_ready,
            HTTPException: http_error,
            Exception: server_error,
        },
    )


def _int(value: Any, default: Any, low: int, high: int) -> Any:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return min(max(number, low), high)


def serve(source: Explorer | Opening, sock: socket.socket, host: str, stop: Stop, *, announce: Any = None) -> None:
    """Run the explorer with uvicorn on a listening socket until stopped; `announce(port)` once it listens.

    With an Opening, a failure to open the graph stops the server (requests waiting for it
    get their 503 first); the caller then raises the opening's error.
    """
    import uvicorn

    allowed = machine_names() if host in ("0.0.0.0", "::") else [host.strip("[]"), host]
    app = create_app(source, allowed_hosts=allowed)
    config = uvicorn.Config(
        app, log_level="warning", server_header=False, access_log=False, lifespan="off", timeout_graceful_shutdown=2
    )
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(levelname)s: %(message)s")
    server = uvicorn.Server(config)
    if isinstance(source, Opening):

        def failed(_: BaseException | None) -> None:
            server.should_exit = True

        source.on_failure = failed
        if source.error is not None:  # it failed before the callback was in place
            failed(source.error)
    stop.server = server  # a signal from now on shuts the server down
    if stop.signal is not None:
        return
    if announce is not None:
        announce(sock.getsockname()[1])  # connections wait in the socket's backlog until uvicorn serves them
    # uvicorn shuts down gracefully on SIGTERM and Ctrl-C, then raises the signal again to the handler
    # it found (`stop`, which only records it): the caller then closes the engine and exits cleanly
    server.run(sockets=[sock])
