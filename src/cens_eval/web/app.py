"""The Flask application: configuration, security headers, French error pages."""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path
from typing import IO

from flask import Flask, Request, redirect, render_template
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from cens_eval.errors import CensEvalError
from cens_eval.model.catalogue import Catalogue
from cens_eval.service.cache import VerificationCache
from cens_eval.web import boundary, editeur, evaluateur, forms
from cens_eval.web.limits import MAX_FORM_PARTS, MAX_REQUEST_BYTES
from cens_eval.web.panel import helpers
from cens_eval.web.security import HOSTS_KEY, check_csrf, check_host, csrf_token, served_hosts
from cens_eval.web.workspace import Workspace

_TITLES = {
    400: "Requête refusée",
    404: "Page introuvable",
    405: "Méthode non permise",
    413: "Envoi trop volumineux",
}
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


class _Request(Request):
    """A request whose uploaded files go straight to anonymous temporary files, never to memory."""

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> IO[bytes]:
        return tempfile.TemporaryFile("w+b")


def create_app(
    workspace: Path,
    catalogue: Catalogue,
    *,
    dossiers: Path | None = None,
    secret: str | None = None,
    port: int = 80,
    hote: str | None = None,
) -> Flask:
    """The web application over ``workspace`` (a questionnaire folder, created if absent).

    Args:
        workspace: the éditeur's folder: ``questionnaire.yaml``, ``preuves/``, generated dossiers.
        catalogue: the référentiels, as the CLI loads them.
        dossiers: a folder of dossiers (or one dossier's parent) the evaluator may open.
        secret: the key signing the session cookie (a random one per start when None).
        port: the port the server listens on: the ``Host`` header must name it (80, the
            default, is also what Flask's test client sends: ``localhost``).
        hote: the address the server listens on, served besides the loopback names.
    """
    app = Flask(__name__)
    app.request_class = _Request
    app.config.update(
        SECRET_KEY=secret or secrets.token_hex(32),
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        MAX_FORM_PARTS=MAX_FORM_PARTS,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_HTTPONLY=True,
        CENS_WORKSPACE=Workspace(workspace.resolve(), catalogue),
        CENS_DOSSIERS=dossiers.resolve() if dossiers is not None else None,
        CENS_VERIFICATIONS=VerificationCache(),
    )
    app.config[HOSTS_KEY] = served_hosts(port, hote)
    app.before_request(check_host)  # first: a foreign Host gets nothing, not even a token
    app.before_request(check_csrf)
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals.update(helpers())
    app.register_blueprint(editeur.bp)
    app.register_blueprint(evaluateur.bp)

    @app.get("/")
    def home() -> str:
        return render_template("accueil.html", workspace=str(workspace))

    @app.get("/editeur")
    def editeur_slash() -> Response:
        return redirect("/editeur/")

    @app.get("/evaluateur")
    def evaluateur_slash() -> Response:
        return redirect("/evaluateur/")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[str, int]:
        code = exc.code or 500
        description = exc.description if code in (400, 404) and exc.description else None
        if code == 413:
            description = (
                f"L'envoi dépasse {MAX_REQUEST_BYTES // (1024 * 1024)} Mo (fichiers et champs "
                "compris) : envoyez moins de fichiers à la fois."
            )
        if description is None or description.isascii():
            description = _TITLES.get(code, "Erreur") + "."
        return render_template(
            "erreur.html", title=_TITLES.get(code, "Erreur"), message=description
        ), code

    @app.errorhandler(forms.FormError)
    @app.errorhandler(CensEvalError)
    def refused(exc: Exception) -> tuple[str, int]:
        return boundary.refused(exc)

    @app.errorhandler(Exception)
    def internal(exc: Exception) -> tuple[str, int]:  # pragma: no cover - never from input
        app.logger.exception("erreur interne")
        return render_template(
            "erreur.html",
            title="Erreur interne",
            message="Erreur interne de cens-eval : merci de la signaler (le détail est dans le terminal).",
        ), 500

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = _CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    return app
