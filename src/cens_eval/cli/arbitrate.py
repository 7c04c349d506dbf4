"""``cens-eval review arbitrate``: settle the disagreements of independent reviews."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from cens_eval.cli.context import echo, echo_problems
from cens_eval.cli.signing import read_signer, signer_options
from cens_eval.service.output import Folder, check_outputs, write_atomic


@click.command()
@click.argument("dossier_dir", metavar="DOSSIER", type=click.Path(path_type=Path))
@click.argument("review_files", metavar="R1 R2 [R3…]", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--modele",
    type=click.Path(path_type=Path),
    help="Écrire le modèle d'arbitrage (.yaml) listant les désaccords à trancher.",
)
@click.option("--arbitre", metavar="NOM", help="Nom de l'arbitre, prérempli dans le modèle.")
@click.option(
    "--arbitrage",
    "arbitration",
    type=click.Path(path_type=Path),
    help="Arbitrage rempli (.yaml ou .json) : produit la revue finale.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Dossier revu à écrire.")
@click.option("--formats", default="json,xlsx,pdf", show_default=True, help="Fichiers de la revue.")
@click.option("--force", is_flag=True, help="Remplacer le fichier ou le dossier revu existant.")
@signer_options("revue.pdf et le manifeste de la revue finale, au nom de l'arbitre")
def arbitrate(
    dossier_dir: Path,
    review_files: tuple[Path, ...],
    modele: Path | None,
    arbitre: str | None,
    arbitration: Path | None,
    output: Path | None,
    formats: str,
    force: bool,
    signer_file: Path | None,
    password_env: str | None,
) -> None:
    """Arbitrer les désaccords de revues indépendantes et écrire la revue finale.

    D'abord --modele arbitrage.yaml (les désaccords, avec l'avis de chaque évaluateur), puis,
    rempli par l'arbitre, --arbitrage arbitrage.yaml -o DOSSIER_REVU [--signer CERT.p12].
    """
    if len(review_files) < 2:
        raise click.UsageError("donner au moins deux revues indépendantes du dossier")
    if (modele is None) == (arbitration is None):
        raise click.UsageError("donner soit --modele (modèle à remplir), soit --arbitrage")
    if modele is not None:
        if output is not None:
            raise click.UsageError("-o sert avec --arbitrage ; le modèle s'écrit dans --modele")
        if signer_file is not None or password_env is not None:
            raise click.UsageError("--signer sert avec --arbitrage : le modèle ne se signe pas")
        _template(dossier_dir, review_files, modele, arbitre, force)
        return
    assert arbitration is not None
    if arbitre is not None:
        raise click.UsageError(
            "--arbitre préremplit le modèle ; l'arbitre est celui nommé dans le fichier --arbitrage"
        )
    if output is None:
        raise click.UsageError("--arbitrage : le dossier revu à écrire (-o) est obligatoire")
    _arbitrate(
        dossier_dir, review_files, arbitration, output, formats, force, signer_file, password_env
    )


def _template(
    dossier_dir: Path, reviews: tuple[Path, ...], modele: Path, arbitre: str | None, force: bool
) -> None:
    from cens_eval.service.arbitration import arbitration_template

    if modele.suffix.lower() not in (".yaml", ".yml"):
        raise click.UsageError("le modèle d'arbitrage doit finir par .yaml ou .yml")
    if arbitre is not None and not arbitre.strip():
        raise click.UsageError("--arbitre : le nom de l'arbitre est vide")
    check_outputs([modele], [Folder(dossier_dir), *reviews], force=force)
    data, compared = arbitration_template(dossier_dir, reviews, arbitre and arbitre.strip())
    echo_problems(compared.warnings)
    write_atomic(modele, data, force=force)
    c = compared.comparaison
    echo(
        f"{modele} écrit ({len(c.desaccords)} désaccord(s) à trancher, "
        f"{len(c.non_comparees)} exigence(s) sans avis dans une revue)."
    )


def _arbitrate(
    dossier_dir: Path,
    reviews: tuple[Path, ...],
    arbitration: Path,
    output: Path,
    formats: str,
    force: bool,
    signer_file: Path | None,
    password_env: str | None,
) -> None:
    from cens_eval.cli.evaluate import parse_formats
    from cens_eval.cli.review import _summary as summary
    from cens_eval.render.comparison_text import kappa_text, number
    from cens_eval.service.arbitration import arbitrate_dossier, write_arbitrated_dossier

    chosen = parse_formats(formats)
    sources = [Folder(dossier_dir), *reviews, arbitration, signer_file]
    check_outputs([Folder(output)], sources, force=force)
    signer = read_signer(signer_file, password_env)
    outcome = arbitrate_dossier(dossier_dir, reviews, arbitration, today=dt.date.today())
    echo_problems(outcome.warnings)
    written = write_arbitrated_dossier(output, outcome, chosen, force=force, signer=signer)
    if signer is not None:
        from cens_eval.service.signing import signed_message

        echo(signed_message(signer, review=True, arbitre=True))
    section = outcome.dossier.revue.arbitrage
    lines = [
        f"Accord R{p.revues[0]} / R{p.revues[1]} : {number(p.pourcentage, ' %')} "
        f"({p.concordantes}/{p.exigences}) ; kappa de Cohen : {kappa_text(p.kappa)}"
        for p in section.paires
    ]
    lines.append(f"Arbitrage par {section.arbitre.nom} : {len(section.decisions)} décision(s)")
    echo(
        *summary(outcome.dossier),
        *lines,
        f"Dossier revu écrit dans {output} ({', '.join(written)}).",
    )
