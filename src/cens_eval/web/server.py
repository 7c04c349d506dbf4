"""Start the web application under waitress, a production WSGI server (pure Python).

One local process, a pool of threads, no reloader or debugger. The server names no software
and no version (no ``Server`` header) and prints no banner: ``cens-eval serve`` says, in
French, where the application listens. Waitress's own messages (English) are kept to its
errors, which only an internal fault produces.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from waitress import create_server

from cens_eval.model.catalogue import Catalogue
from cens_eval.web.app import create_app

if TYPE_CHECKING:
    from flask import Flask

THREADS = 8
"""Requests served at once; more wait in the queue."""


class Server(Protocol):
    """A bound server (waitress's)."""

    effective_port: int

    def run(self) -> None:
        """Serve until interrupted."""

    def close(self) -> None:
        """Release the port."""


def make_server(app: Flask, host: str, port: int) -> Server:
    """The server of ``app`` on ``host:port`` (0: a free port), bound but not yet serving."""
    for name in ("waitress", "waitress.queue"):
        logging.getLogger(name).setLevel(logging.ERROR)
    server: Server = create_server(
        app,
        host=host,
        port=port,
        threads=THREADS,
        ident="",  # no Server header, and nothing naming the software in error pages
        expose_tracebacks=False,
        clear_untrusted_proxy_headers=True,
    )
    return server


def run(
    workspace: Path,
    catalogue: Catalogue,
    *,
    host: str,
    port: int,
    dossiers: Path | None,
    roots: Sequence[Any] = (),
) -> None:
    """Serve the application until interrupted (the interactive debugger is never on).

    Only requests naming this server in their ``Host`` header (a loopback name or ``host``, with
    ``port``) are answered.
    """
    app = create_app(workspace, catalogue, dossiers=dossiers, port=port, hote=host, roots=roots)
    server = make_server(app, host, port)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
