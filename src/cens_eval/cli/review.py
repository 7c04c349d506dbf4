"""``cens-eval review init | apply | compare``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cens_eval.cli.arbitrate import arbitrate
from cens_eval.cli.context import echo, echo_problems
from cens_eval.cli.signing import read_signer, signer_options
from cens_eval.service.output import Folder, check_outputs, write_atomic

if TYPE_CHECKING:
    from cens_eval.model.review import DossierRevu


@click.group()
def review() -> None:
    """Revoir un dossier soumis, exigence par exigence."""


@review.command()
@click.argument("dossier_dir", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Revue à écrire (.yaml ou .xlsx).",
)
@click.option(
    "--precedent",
    type=click.Path(path_type=Path),
    default=None,
    help="Dossier revu précédent de la même solution : les exigences inchangées depuis sont marquées.",
)
@click.option(
    "--evaluateur",
    metavar="NOM",
    help="Nom de l'évaluateur, prérempli (un modèle par évaluateur pour des revues indépendantes).",
)
@click.option("--force", is_flag=True, help="Remplacer le fichier s'il existe.")
def init(
    dossier_dir: Path, output: Path, precedent: Path | None, evaluateur: str | None, force: bool
) -> None:
    """Écrire le modèle de revue d'un dossier (vérifié au préalable)."""
    from cens_eval.service.operations import review_template

    suffix = output.suffix.lower()
    if suffix not in (".yaml", ".yml", ".xlsx"):
        raise click.UsageError("le fichier de sortie doit finir par .yaml, .yml ou .xlsx")
    if evaluateur is not None and not evaluateur.strip():
        raise click.UsageError("--evaluateur : le nom de l'évaluateur est vide")
    read = [Folder(dossier_dir), *([Folder(precedent)] if precedent else [])]
    check_outputs([output], read, force=force)
    template = review_template(
        dossier_dir,
        "xlsx" if suffix == ".xlsx" else "yaml",
        evaluateur and evaluateur.strip(),
        precedent=precedent,
    )
    write_atomic(output, template.data, force=force)
    count = template.exigences
    since = (
        f", dont {template.inchangees} inchangée(s) depuis la revue précédente"
        if template.inchangees is not None
        else ""
    )
    echo(f"{output} écrit ({count} exigences à revoir{since}).")


@review.command()
@click.argument("dossier_dir", type=click.Path(path_type=Path))
@click.argument("review_file", type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="Dossier revu à écrire."
)
@click.option("--formats", default="json,xlsx,pdf", show_default=True, help="Fichiers de la revue.")
@click.option("--force", is_flag=True, help="Remplacer un dossier revu existant.")
@signer_options("revue.pdf et le manifeste de la revue")
def apply(
    dossier_dir: Path,
    review_file: Path,
    output: Path,
    formats: str,
    force: bool,
    signer_file: Path | None,
    password_env: str | None,
) -> None:
    """Vérifier le dossier, appliquer la revue et écrire le dossier revu."""
    from cens_eval.cli.evaluate import parse_formats
    from cens_eval.service.operations import review_dossier, write_reviewed_dossier

    chosen = parse_formats(formats)
    check_outputs([Folder(output)], [Folder(dossier_dir), review_file, signer_file], force=force)
    signer = read_signer(signer_file, password_env)
    outcome = review_dossier(dossier_dir, review_file, today=dt.date.today())
    echo_problems(outcome.warnings)
    written = write_reviewed_dossier(output, outcome, chosen, force=force, signer=signer)
    if signer is not None:
        from cens_eval.service.signing import signed_message

        echo(signed_message(signer, review=True))
    echo(*_summary(outcome.dossier), f"Dossier revu écrit dans {output} ({', '.join(written)}).")


def _summary(d: DossierRevu) -> list[str]:
    from cens_eval.model.review import AVIS_LABELS, OPINION_LABELS
    from cens_eval.model.vocabulary import RESULTAT_LABELS, VERDICT_LABELS

    r = d.revue
    accord = r.accord
    kappa = f"{accord.kappa}".replace(".", ",") if accord.kappa is not None else "indéfini"
    pourcentage = (
        f"{accord.pourcentage} %".replace(".", ",") if accord.pourcentage is not None else "—"
    )
    lines = [
        f"Revue de {d.editeur.nom} — {d.solution.nom} {d.solution.version} par {r.evaluateur.nom}"
        f", le {r.date:%d/%m/%Y}",
        f"Dossier revu : dossier.json SHA-256 {r.dossier_sha256}",
    ]
    for ref in r.referentiels:
        gaps = (
            f" ; écarts bloquants : {', '.join(ref.bloquantes_evaluees)}"
            if ref.bloquantes_evaluees
            else ""
        )
        lines.append(
            f"{ref.id} {ref.version} — déclaré {VERDICT_LABELS[ref.verdict_declare]}, "
            f"évalué {VERDICT_LABELS[ref.verdict_evalue]}{gaps}"
        )
    lines += [
        f"Avis proposé : {OPINION_LABELS[r.opinion_proposee]}",
        *(f"  - {m}" for m in r.motifs),
    ]
    if r.decision_finale:
        lines.append(
            f"Avis final retenu : {OPINION_LABELS[r.decision_finale.opinion]} — {r.decision_finale.motif}"
        )
    elif r.opinion_retenue is None:
        lines.append(f"Avis final : aucun, {len(r.sans_avis)} exigence(s) sans avis")
    lines.append(f"Accord éditeur / évaluateur : {pourcentage} ; kappa de Cohen : {kappa}")
    for e in r.sur_declarations:
        avis = AVIS_LABELS[e.avis] if e.avis else "sans avis"
        lines.append(
            f"  sur-déclaration : {e.referentiel} {e.id} déclaré "
            f"{RESULTAT_LABELS[e.resultat_declare].lower()}, {avis.lower()} → "
            f"{RESULTAT_LABELS[e.resultat_evalue].lower()}"
        )
    return lines


@review.command()
@click.argument("dossier_dir", metavar="DOSSIER", type=click.Path(path_type=Path))
@click.argument("review_files", metavar="R1 R2 [R3…]", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Sortie à l'écran : texte ou JSON.",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Classeur .xlsx de la comparaison."
)
@click.option("--force", is_flag=True, help="Remplacer le classeur s'il existe.")
def compare(
    dossier_dir: Path, review_files: tuple[Path, ...], fmt: str, output: Path | None, force: bool
) -> None:
    """Comparer des revues indépendantes d'un dossier : accord, kappa, désaccords (0 ; 1 ; 2)."""
    from cens_eval.cli.context import echo_json
    from cens_eval.render.comparison_text import render_comparison_text
    from cens_eval.review.compare import compare_dossier_reviews

    if len(review_files) < 2:
        raise click.UsageError("donner au moins deux revues du dossier à comparer")
    if output is not None and output.suffix.lower() != ".xlsx":
        raise click.UsageError("le classeur de la comparaison doit finir par .xlsx")
    check_outputs([output], [Folder(dossier_dir), *review_files], force=force)
    outcome = compare_dossier_reviews(dossier_dir, review_files)
    echo_problems(outcome.warnings)
    if fmt == "json":
        echo_json(outcome.comparaison.model_dump(mode="json"))
    else:
        echo(*render_comparison_text(outcome.comparaison))
    if output is not None:
        from cens_eval.render.comparison_xlsx import render_comparison_xlsx

        data = render_comparison_xlsx(outcome.comparaison, outcome.dossier.genere_le)
        write_atomic(output, data, force=force)
        echo(f"{output} écrit.", err=fmt == "json")


review.add_command(arbitrate)
