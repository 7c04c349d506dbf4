"""CSRF tokens, confined paths and safe file names: every request is untrusted."""

from __future__ import annotations

import hmac
import re
import secrets
import unicodedata
from pathlib import Path

from flask import abort, request, session

CSRF_FIELD = "csrf"
"""The hidden field (or ``X-CSRF`` header) every form posts its token in."""

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


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
