"""CSRF tokens, confined paths and safe file names: every request is untrusted."""

from __future__ import annotations

import hmac
import re
import secrets
import unicodedata
from pathlib import Path

from flask import abort, current_app, request, session

CSRF_FIELD = "csrf"
"""The hidden field (or ``X-CSRF`` header) every form posts its token in."""

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
"""The names of the loopback interface a browser may put in the ``Host`` header."""
_PORT = re.compile(r":\d+$")
HOSTS_KEY = "CENS_HOSTS"
"""The configuration key of the ``Host`` values served (see :func:`served_hosts`)."""


def served_hosts(port: int, hote: str | None = None) -> frozenset[str]:
    """The ``Host`` header values the application answers, lower-case.

    The loopback names with ``port``, and the listening address ``hote`` (an IPv6 literal in
    brackets). A browser omits the default port 80: on that port the bare names are served too.
    Any other name (a domain an attacker's page rebinds to 127.0.0.1) is refused.
    """
    names = set(LOOPBACK_NAMES)
    if hote:
        bare = hote.strip().strip("[]").lower()
        names.add(f"[{bare}]" if ":" in bare else bare)
    hosts = {f"{name}:{port}" for name in names}
    if port == 80:
        hosts |= names
    return frozenset(hosts)


def check_host() -> None:
    """Refuse (400) a request whose ``Host`` header is not one the application serves.

    A page from elsewhere can make its own domain name resolve to 127.0.0.1 (DNS rebinding)
    and read the answers as its own: only the names of this machine's loopback interface, and
    the address the server was started on, are served.
    """
    given = request.headers.get("Host", "").strip().lower()
    served = current_app.config[HOSTS_KEY]
    if given not in served:
        shown = given[:100] or "(absente)"
        addresses = ", ".join(f"http://{h}/" for h in sorted(served) if _PORT.search(h))
        abort(
            400,
            f"Adresse « {shown} » refusée : cette application locale ne répond qu'à "
            f"{addresses}. Ouvrez-la à l'une de ces adresses.",
        )


def csrf_token() -> str:
    """The session's token, created on first use (the session cookie is signed)."""
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[CSRF_FIELD] = token
    return token


def check_csrf() -> None:
    """Refuse a state-changing request whose token is absent or not the session's (400)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    expected = session.get(CSRF_FIELD)
    given = request.form.get(CSRF_FIELD) or request.headers.get("X-CSRF", "")
    if not isinstance(expected, str) or not hmac.compare_digest(expected, given):
        abort(400, "Jeton de sécurité absent ou périmé : rechargez la page puis recommencez.")


def valid_name(name: str) -> bool:
    """True for a single folder or file name made of safe characters (no path, no dot first)."""
    return bool(_NAME.match(name))


def confined(root: Path, *parts: str) -> Path | None:
    """``root`` joined with ``parts``, resolved; None when the result leaves ``root``.

    Symbolic links are followed before the check: a link pointing outside is refused.
    """
    base = root.resolve()
    try:
        target = base.joinpath(*parts).resolve()
    except (OSError, ValueError):
        return None
    return target if target == base or target.is_relative_to(base) else None


def safe_filename(name: str) -> str:
    """An uploaded file's name reduced to safe characters (accents folded), never empty."""
    folded = unicodedata.normalize("NFKD", name.replace("\\", "/").rsplit("/", 1)[-1])
    ascii_name = folded.encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip(".-_")[:80]
    return cleaned or "preuve"
