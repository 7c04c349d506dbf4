"""``cens-eval referentiels list | show | validate``."""

from __future__ import annotations

from pathlib import Path

import click

from cens_eval.cli.context import catalogue, echo, echo_json
from cens_eval.constants import PROFIL_FILE
from cens_eval.errors import LoadError, Problem
from cens_eval.model.vocabulary import NIVEAU_LABELS, PRINCIPE_LABELS, Niveau, Principe
from cens_eval.render.terminal import printable

FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)


@click.group()
def referentiels() -> None:
    """Lister, afficher et valider les référentiels."""


@referentiels.command("list")
@FORMAT
@click.pass_context
def list_(ctx: click.Context, fmt: str) -> None:
    """Lister les référentiels disponibles et leurs nombres d'exigences."""
    from cens_eval.model.summary import referentiel_summary

    summaries = [referentiel_summary(r) for r in catalogue(ctx).referentiels]
    if fmt == "json":
        echo_json(summaries)
        return
    for s in summaries:
        niveaux = ", ".join(
            f"{NIVEAU_LABELS[Niveau(k)].lower()}s {v}" for k, v in s["par_niveau"].items()
        )
        principes = ", ".join(
            f"{PRINCIPE_LABELS[Principe(k)]} {v}" for k, v in s["par_principe"].items()
        )
        echo(
            f"{s['id']} {s['version']} — {s['titre']}",
            f"    {s['exigences']} exigences ({niveaux})",
            f"    par principe : {principes}",
        )


@referentiels.command()
@click.argument("referentiel_id")
@click.option(
    "--version", "version", default=None, help="Version (par défaut : la plus récente chargée)."
)
@FORMAT
@click.pass_context
def show(ctx: click.Context, referentiel_id: str, version: str | None, fmt: str) -> None:
    """Afficher un référentiel et ses exigences."""
    cat = catalogue(ctx)
    ref = cat.get(referentiel_id, version)
    if ref is None:
        known = ", ".join(cat.ids())
        raise click.UsageError(
            printable(f"référentiel inconnu : {referentiel_id} (disponibles : {known})")
        )
    if fmt == "json":
        echo_json(ref.model_dump(mode="json", by_alias=True, exclude_none=True))
        return
    lines = [
        ref.titre,
        f"{ref.id} version {ref.version} — {ref.statut.value}, "
        + (
            f"publié le {ref.date_publication}"
            if ref.date_publication
            else "date de publication inconnue"
        ),
        f"Base légale : {ref.base_legale}",
        "",
    ]
    for e in ref.exigences:
        niveau = NIVEAU_LABELS[e.niveau]
        lines += [
            f"{e.id} [{niveau} · {PRINCIPE_LABELS[e.principe]} · {e.fidelite.value}] {e.libelle}",
            f"    {e.enonce}",
        ]
        for p in e.preuves:
            mark = "obligatoire" if p.obligatoire else "facultative"
            lines.append(f"    preuve {p.id} ({p.type.value}, {mark}) : {p.libelle}")
        if e.non_applicable:
            for p in e.non_applicable.preuves:
                lines.append(f"    si non applicable : {p.id} ({p.type.value}) : {p.libelle}")
    echo(*lines)


@referentiels.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Valider des fichiers de référentiel ; tous les problèmes sont signalés en une fois."""
    from cens_eval.loader.locate import default_referentiels_dir
    from cens_eval.loader.referentiels import load_profil_vocabulary, load_referentiel

    folder: Path | None = ctx.find_root().obj
    vocabulaire = load_profil_vocabulary((folder or default_referentiels_dir()) / PROFIL_FILE)
    problems: list[Problem] = []
    for path in paths:
        try:
            if path.name == PROFIL_FILE:
                load_profil_vocabulary(path)
            else:
                load_referentiel(path, vocabulaire)
        except LoadError as exc:
            problems += exc.problems
        else:
            echo(f"{path}: valide")
    if problems:
        raise LoadError(problems)
