"""Start the web application: one local process, threads per request, no reloader or debugger."""

from __future__ import annotations

from pathlib import Path

from werkzeug.serving import run_simple

from cens_eval.model.catalogue import Catalogue
from cens_eval.web.app import create_app


def run(
    workspace: Path, catalogue: Catalogue, *, host: str, port: int, dossiers: Path | None
) -> None:
    """Serve the application until interrupted (the interactive debugger is never on).

    Only requests naming this server in their ``Host`` header (a loopback name or ``host``, with
    ``port``) are answered.
    """
    app = create_app(workspace, catalogue, dossiers=dossiers, port=port, hote=host)
    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)
