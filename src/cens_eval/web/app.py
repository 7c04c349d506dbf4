"""The Flask application: configuration, security headers, French error pages."""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from flask import Flask, Request, abort, redirect, render_template, request
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.formparser import FormDataParser, MultiPartParser
from werkzeug.wrappers import Response

from cens_eval.errors import CensEvalError
from cens_eval.model.catalogue import Catalogue
from cens_eval.service.cache import VerificationCache
from cens_eval.web import boundary, double, editeur, evaluateur, forms
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


class _FormParser(FormDataParser):
    """Werkzeug's form parser, reading a multipart body of at most ``WHOLE_BODY`` in one piece.

    Werkzeug 3.1's multipart decoder misreads some bodies when a read ends next to a part
    boundary (an empty field's value swallows the next field: seen with a few hundred fields).
    Given the whole body at once it reads them right; larger bodies (files) are read in
    pieces as before, and :func:`check_form_read` refuses a body misread.
    """

    def _parse_multipart(
        self, stream: IO[bytes], mimetype: str, content_length: int | None, options: dict[str, str]
    ) -> tuple[IO[bytes], MultiDict[str, str], MultiDict[str, FileStorage]]:
        whole = content_length is not None and content_length <= WHOLE_BODY
        parser = MultiPartParser(
            stream_factory=self.stream_factory,
            max_form_memory_size=self.max_form_memory_size,
            max_form_parts=self.max_form_parts,
            cls=self.cls,
            buffer_size=max(content_length or 0, 64 * 1024) if whole else 64 * 1024,
        )
        boundary = options.get("boundary", "").encode("ascii")
        if not boundary:
            raise ValueError("Missing boundary")
        form, files = parser.parse(stream, boundary, content_length)
        return stream, form, files


WHOLE_BODY = 16 * 1024 * 1024
"""A multipart body up to this size is read in one piece (see :class:`_FormParser`)."""


def check_form_read() -> None:
    """Refuse a multipart body the parser misread (a part's headers inside a field's value)."""
    if not (request.content_type or "").startswith("multipart/"):
        return
    if any("Content-Disposition: form-data" in v for v in request.form.values()):
        abort(
            400,
            "L'envoi n'a pas pu être lu correctement : rien n'a été enregistré. Renvoyez le "
            "formulaire (en cas de répétition, enregistrez les fichiers en plusieurs fois).",
        )


class _Request(Request):
    """A request whose uploaded files go straight to anonymous temporary files, never to memory."""

    form_data_parser_class = _FormParser

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
    roots: Sequence[Any] = (),
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
        roots: the trusted root certificates the dossiers' signatures are checked against.
    """
    app = Flask(__name__)
    app.request_class = _Request
    app.config.update(
        SECRET_KEY=secret or secrets.token_hex(32),
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        MAX_FORM_PARTS=MAX_FORM_PARTS,
        MAX_FORM_MEMORY_SIZE=WHOLE_BODY,  # a form body read in one piece (see _FormParser)
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_HTTPONLY=True,
        CENS_WORKSPACE=Workspace(workspace.resolve(), catalogue),
        CENS_DOSSIERS=dossiers.resolve() if dossiers is not None else None,
        CENS_VERIFICATIONS=VerificationCache(roots=roots),
    )
    app.config[HOSTS_KEY] = served_hosts(port, hote)
    app.before_request(check_host)  # first: a foreign Host gets nothing, not even a token
    app.before_request(check_csrf)
    app.before_request(check_form_read)
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals.update(helpers())
    app.register_blueprint(editeur.bp)
    app.register_blueprint(evaluateur.bp)
    app.register_blueprint(double.bp)

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
        if code == 413 and (request.content_length or 0) <= MAX_REQUEST_BYTES:
            description = (
                f"L'envoi compte plus de {MAX_FORM_PARTS} champs et fichiers : enregistrez "
                "les réponses en plusieurs fois (un référentiel à la fois)."
            )
        elif code == 413:
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
