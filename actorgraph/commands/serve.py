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
    import signal
    import time

    started = time.perf_counter()
    from actorgraph.config import data_dir, sources_dirs
    from actorgraph.serve.app import exit_on_sigterm, serve

    signal.signal(signal.SIGTERM, exit_on_sigterm)  # from here on, SIGTERM still stops the engine's server
    from actorgraph.serve.explorer import Explorer

    console = err_console()
    if not is_loopback(host):
        console.print(
            f"[bold yellow]warning:[/] listening on {host}: anyone who can reach this machine can read the graph",
            markup=True,
        )
    folder = data_dir(data)
    with engine_from_options(**engine_options) as graph:
        explorer = Explorer(graph, sources_dirs(folder, sources))
        explorer.warm_in_background()
        shown = f"[{host}]" if ":" in host else host

        def announce(bound: int) -> None:
            name = "127.0.0.1" if host in ("0.0.0.0", "::") else shown
            print(f"actorgraph explorer: http://{name}:{bound}/", flush=True)
            console.print(
                f"read-only, on {graph.describe()}; ready in {time.perf_counter() - started:.1f} s; Ctrl-C stops it",
                markup=False,
            )

        serve(explorer, host, port, announce=announce)  # a ServeError reaches the one handler in cli.main


def register(app: typer.Typer) -> None:
    app.command("serve")(engine_command(serve_cmd))
