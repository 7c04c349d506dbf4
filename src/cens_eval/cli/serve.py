"""``cens-eval serve``: the local web application for éditeurs and evaluators."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from cens_eval.cli.context import catalogue, echo
from cens_eval.cli.signing import AC_OPTION, read_roots

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def _is_loopback(host: str) -> bool:
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command("serve")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port."
)
@click.option(
    "--espace",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    metavar="DOSSIER",
    help="Espace de travail : dossier du questionnaire (questionnaire.yaml, preuves/), créé si absent.",
)
@click.option(
    "--dossiers",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    metavar="DOSSIER",
    help="Dossier de dossiers de conformité que l'évaluateur peut ouvrir.",
)
@click.option(
    "--hote",
    default="127.0.0.1",
    show_default=True,
    help="Adresse d'écoute (les pages ne sont servies qu'à elle et à la boucle locale).",
)
@click.option(
    "--exposer",
    is_flag=True,
    help="Autoriser une adresse autre que la boucle locale (l'application n'a pas de comptes).",
)
@AC_OPTION
@click.pass_context
def serve(
    ctx: click.Context,
    port: int,
    espace: Path,
    dossiers: Path | None,
    hote: str,
    exposer: bool,
    ac_file: Path | None,
) -> None:
    """Lancer l'application web locale (éditeur et évaluateur) sur 127.0.0.1."""
    if not _is_loopback(hote) and not exposer:
        raise click.UsageError(
            f"--hote {hote} rendrait l'application accessible depuis le réseau, sans compte ni "
            "mot de passe : ajouter --exposer pour le confirmer"
        )
    cat = catalogue(ctx)
    roots = read_roots(ac_file)
    espace.mkdir(parents=True, exist_ok=True)
    from cens_eval.web.server import run

    shown = f"[{hote}]" if ":" in hote else hote
    if not _is_loopback(hote):
        echo(
            f"Attention : l'application écoute sur {hote}, accessible depuis le réseau, sans "
            "authentification. Ne le faites que sur un réseau de confiance. Seules les pages "
            f"demandées à http://{shown}:{port}/ (ou à la boucle locale) sont servies.",
            err=True,
        )
    echo(
        f"cens-eval : http://{shown}:{port}/ (espace de travail : {espace.resolve()}) — Ctrl+C pour arrêter."
    )
    run(espace, cat, host=hote, port=port, dossiers=dossiers, roots=roots)
