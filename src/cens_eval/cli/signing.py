"""The options of the commands that sign (``--signer``) and that verify signatures (``--ac``).

The PKCS#12 file's password is never an option's value (it would stay in the shell's history
and in the process list): it is read from the environment variable named by
``--mot-de-passe-env``, or asked for without echo.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from cens_eval.errors import LoadError

if TYPE_CHECKING:
    from cens_eval.service.signing import Signer

F = TypeVar("F", bound=Callable[..., Any])

AC_ENV = "CENS_EVAL_AC"


def signer_options(what: str) -> Callable[[F], F]:
    """``--signer CERT.p12`` and ``--mot-de-passe-env NOM``, for a command signing ``what``."""

    def decorate(command: F) -> F:
        command = click.option(
            "--mot-de-passe-env",
            "password_env",
            metavar="NOM",
            default=None,
            help="Variable d'environnement qui contient le mot de passe du certificat "
            "(sinon il est demandé, sans écho).",
        )(command)
        return click.option(
            "--signer",
            "signer_file",
            type=click.Path(path_type=Path),
            default=None,
            help=f"Certificat PKCS#12 (.p12) avec lequel signer {what}.",
        )(command)

    return decorate


def read_signer(signer_file: Path | None, password_env: str | None) -> Signer | None:
    """The signer of ``--signer`` (None without it), read and checked before any output.

    Raises:
        LoadError: the file is unreadable, the variable is not set, the password is wrong, or
            the certificate may not sign today.
    """
    if signer_file is None:
        if password_env is not None:
            raise click.UsageError("--mot-de-passe-env ne sert qu'avec --signer")
        return None
    from cens_eval.service.signing import load_signer

    try:
        data = signer_file.read_bytes()
    except OSError as exc:
        raise LoadError.at(str(signer_file), "", f"lecture impossible ({exc.strerror})") from None
    if password_env is not None:
        password = os.environ.get(password_env)
        if password is None:
            raise LoadError.at(
                str(signer_file),
                "",
                f"la variable d'environnement {password_env} (mot de passe du certificat) "
                "n'est pas définie",
            )
    else:
        password = click.prompt(
            f"Mot de passe du certificat {signer_file.name}",
            hide_input=True,
            default="",
            show_default=False,
        )
    return load_signer(data, password, str(signer_file))


AC_OPTION = click.option(
    "--ac",
    "ac_file",
    type=click.Path(path_type=Path),
    envvar=AC_ENV,
    default=None,
    help=f"Certificats racines de confiance (PEM) pour vérifier les signatures (ou ${AC_ENV}).",
)


def read_roots(ac_file: Path | None) -> list[Any]:
    """The trusted root certificates of ``--ac`` (none without it).

    Raises:
        LoadError: the file is unreadable or holds no certificate.
    """
    if ac_file is None:
        return []
    from cens_eval.service.signing import load_roots

    try:
        data = ac_file.read_bytes()
    except OSError as exc:
        raise LoadError.at(str(ac_file), "", f"lecture impossible ({exc.strerror})") from None
    return load_roots(data, str(ac_file))


def signature_lines(directory: Path, checks: list[Any]) -> list[str]:
    """One line per signature checked, or the line saying the folder carries none."""
    if not checks:
        return [f"{directory} : aucune signature électronique."]
    return [
        f"{directory} : {c.file} signé par {c.signer or 'signataire illisible'}"
        + (f" le {c.signed_at}" if c.signed_at else "")
        + f" — {c.status}"
        for c in checks
    ]
