"""`actorgraph serve`: the local, read-only web explorer."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated, Any

import typer

from actorgraph.commands.common import DataOpt, engine_command, engine_from_options, err_console

DEFAULT_PORT = 8765


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve_cmd(
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on (0: any free port).")] = DEFAULT_PORT,
    host: Annotated[
        str, typer.Option(help="Address to listen on. Anything but loopback exposes the graph to the network.")
    ] = "127.0.0.1",
    data: DataOpt = None,
    sources: Annotated[
        Path | None, typer.Option("--sources", help="Folder of source texts for the source reader.")
    ] = None,
    *,
    engine_options: dict[str, Any],
) -> None:
    """Explore the graph in a web browser: search, node pages, sources, questions, Cypher (read-only).

    Listens on 127.0.0.1 only unless --host says otherwise. Every query runs read-only.

    Examples:
      actorgraph serve                      then open the URL it prints
      actorgraph serve --port 9000 --engine neo4j
    """
    import time

    started = time.perf_counter()
    from actorgraph.serve.listening import Stop, listen

    stop = Stop().install()  # from here on, SIGTERM and Ctrl-C stop the explorer and the engine's server
    console = err_console()
    if not is_loopback(host):
        console.print(
            f"[bold yellow]warning:[/] listening on {host}: anyone who can reach this machine can read the graph",
            markup=True,
        )
    sock = listen(host, port)  # a ServeError (port taken) before anything is opened
    opening = open_in_background(data, sources, engine_options, console, started)
    try:
        from actorgraph.serve.app import serve  # the web framework loads while the engine's server loads the graph

        shown = f"[{host}]" if ":" in host else host

        def announce(bound: int) -> None:
            name = "127.0.0.1" if host in ("0.0.0.0", "::") else shown
            print(f"actorgraph explorer: http://{name}:{bound}/", flush=True)
            console.print(
                f"read-only; listening {time.perf_counter() - started:.1f} s after start while the graph opens; "
                "Ctrl-C stops it",
                markup=False,
                soft_wrap=True,
            )

        serve(opening, sock, host, stop, announce=announce)  # a ServeError reaches the one handler in cli.main
    finally:
        sock.close()
        opening.close()  # waits for an opening under way: the engine's server never outlives the explorer
    if opening.error is not None:
        raise opening.error  # the graph could not be opened: the same message and exit status as any command


def open_in_background(
    data: Path | None, sources: Path | None, engine_options: dict[str, Any], console: Any, started: float
) -> Any:
    """Start opening the engine (and loading the name index) in a thread; requests wait for it."""
    import time

    from actorgraph.config import data_dir, sources_dirs
    from actorgraph.serve.opening import Opening

    folders = sources_dirs(data_dir(data), sources)

    def make(graph: Any) -> Any:
        from actorgraph.serve.explorer import Explorer

        explorer = Explorer(graph, folders)
        explorer.warm_in_background()
        return explorer

    def opened(explorer: Any, _: float) -> None:
        console.print(
            f"the graph is open: {explorer.engine.describe()}; "
            f"answering {time.perf_counter() - started:.1f} s after start",
            markup=False,
            soft_wrap=True,
        )

    return Opening(lambda: engine_from_options(**engine_options), make, on_open=opened).start()


def register(app: typer.Typer) -> None:
    app.command("serve")(engine_command(serve_cmd))
