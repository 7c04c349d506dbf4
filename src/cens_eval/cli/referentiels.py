"""``cens-eval referentiels list | show | validate | import | export | diff | correspondances``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from cens_eval.cli.context import catalogue, catalogue_inputs, echo, echo_json
from cens_eval.constants import CORRESPONDANCES_FILE, PROFIL_FILE
from cens_eval.errors import LoadError, Problem
from cens_eval.model.vocabulary import NIVEAU_LABELS, PRINCIPE_LABELS, Niveau, Principe
from cens_eval.render.terminal import printable

if TYPE_CHECKING:
    from cens_eval.model.profil import VocabulaireProfil
    from cens_eval.model.referentiel import Referentiel

FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)


@click.group()
def referentiels() -> None:
    """Lister, afficher, valider, importer, exporter et comparer les référentiels."""


@referentiels.command("list")
@FORMAT
@click.pass_context
def list_(ctx: click.Context, fmt: str) -> None:
    """Lister les référentiels disponibles et leurs nombres d'exigences."""
    import datetime as dt

    from cens_eval.model.fidelity import counts_text
    from cens_eval.model.summary import referentiel_summary
    from cens_eval.model.vocabulary import Fidelite

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
        fidelites = counts_text({Fidelite(k): v for k, v in s["par_fidelite"].items()})
        checked = s["sources_verifiees_le"]
        echo(
            f"{s['id']} {s['version']} — {s['titre']}",
            f"    {s['exigences']} exigences ({niveaux})",
            f"    par principe : {principes}",
            f"    fidélité : {fidelites}",
            "    dernière vérification des sources : "
            + (f"{dt.date.fromisoformat(checked):%d/%m/%Y}" if checked else "non renseignée"),
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
    from cens_eval.model.fidelity import FIDELITE_LABELS, counts_text, fidelity_counts
    from cens_eval.model.mesure import attendue_text
    from cens_eval.model.summary import last_source_check, publication_text

    checked = last_source_check(ref)
    lines = [
        ref.titre,
        f"{ref.id} version {ref.version} — {ref.statut.value}, publication : "
        + publication_text(ref),
        f"Base légale : {ref.base_legale}",
        f"Fidélité : {counts_text(fidelity_counts(e.fidelite for e in ref.exigences))}",
        "Dernière vérification des sources : "
        + (f"{checked:%d/%m/%Y}" if checked else "non renseignée"),
        "",
    ]
    sources = {s.id: s for s in ref.sources}
    for e in ref.exigences:
        niveau = NIVEAU_LABELS[e.niveau]
        source = sources.get(e.source.document)
        lines += [
            f"{e.id} [{niveau} · {PRINCIPE_LABELS[e.principe]} · {FIDELITE_LABELS[e.fidelite]}] "
            f"{e.libelle}",
            f"    {e.enonce}",
            f"    source : {source.titre if source else e.source.document} — "
            f"{e.source.localisation}" + (f" ({source.url})" if source else ""),
        ]
        appui = e.source.appuie
        if appui and (appui.niveau or appui.preuves):
            supported = (["niveau"] if appui.niveau else []) + appui.preuves
            lines.append(f"    appuyé par la source : {', '.join(supported)}")
        for c in e.choix_du_projet:
            lines.append(f"    choix du projet ({c.porte_sur}) : {c.raison}")
        for p in e.preuves:
            lines.append(f"    preuve {p.id} ({attendue_text(p)}) : {p.libelle}")
        if e.non_applicable:
            for p in e.non_applicable.preuves:
                lines.append(f"    si non applicable : {p.id} ({attendue_text(p)}) : {p.libelle}")
    echo(*lines)


@referentiels.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Valider des fichiers de référentiel ; tous les problèmes sont signalés en une fois."""
    from cens_eval.loader.grid import GRID_SUFFIXES
    from cens_eval.loader.locate import default_referentiels_dir
    from cens_eval.loader.referentiels import load_profil_vocabulary, load_referentiel

    folder: Path | None = ctx.find_root().obj
    vocabulaire = load_profil_vocabulary((folder or default_referentiels_dir()) / PROFIL_FILE)
    problems: list[Problem] = []
    for path in paths:
        if path.suffix.lower() in GRID_SUFFIXES:
            why = (
                "une grille se lit avec sa correspondance : cens-eval referentiels import "
                f"{path.name} --mapping CORRESPONDANCE -o REFERENTIEL.yaml, puis valider le fichier écrit"
            )
            problems.append(Problem(str(path), "", why))
            continue
        try:
            if path.name == PROFIL_FILE:
                load_profil_vocabulary(path)
            elif path.name == CORRESPONDANCES_FILE:
                from cens_eval.loader.correspondances import load_correspondances

                load_correspondances(path, catalogue(ctx))
            else:
                load_referentiel(path, vocabulaire)
        except LoadError as exc:
            problems += exc.problems
        else:
            echo(f"{path}: valide")
    if problems:
        raise LoadError(problems)


def _vocabulaire(ctx: click.Context) -> VocabulaireProfil:
    """The profil vocabulary of the référentiels folder in use."""
    from cens_eval.loader.locate import default_referentiels_dir
    from cens_eval.loader.referentiels import load_profil_vocabulary

    folder: Path | None = ctx.find_root().obj
    return load_profil_vocabulary((folder or default_referentiels_dir()) / PROFIL_FILE)


@referentiels.command("import")
@click.argument("grid", metavar="GRILLE", type=click.Path(path_type=Path))
@click.option(
    "--mapping",
    "mapping",
    metavar="CORRESPONDANCE",
    type=click.Path(path_type=Path),
    default=None,
    help="Fichier de correspondance (YAML ou JSON) : colonnes, mots et en-tête du référentiel "
    "(pour une grille ; un catalogue OSCAL .json n'en a pas besoin).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Référentiel à écrire (.yaml, .yml ou .json).",
)
@click.option("--force", is_flag=True, help="Remplacer le fichier s'il existe.")
@click.pass_context
def import_(
    ctx: click.Context, grid: Path, mapping: Path | None, output: Path, force: bool
) -> None:
    """Importer une grille (.xlsx, .csv) ou un catalogue OSCAL (.json) en référentiel.

    Une grille se lit avec sa correspondance (--mapping) ; un catalogue OSCAL, sans.
    """
    from cens_eval.loader.locate import default_referentiels_dir
    from cens_eval.render.yaml_data import json_text, model_data, yaml_text
    from cens_eval.service.output import check_outputs, write_atomic

    suffix = output.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise click.UsageError("le fichier de sortie doit finir par .yaml, .yml ou .json")
    oscal = mapping is None and grid.suffix.lower() == ".json"
    if mapping is None and not oscal:
        raise click.UsageError(
            "--mapping CORRESPONDANCE est obligatoire pour une grille (.xlsx, .csv) ; "
            "sans correspondance, seul un catalogue OSCAL (.json) s'importe"
        )
    folder: Path = ctx.find_root().obj or default_referentiels_dir()
    inputs = [grid, folder / PROFIL_FILE] + ([mapping] if mapping else [])
    check_outputs([output], inputs, force=force)
    if mapping is None:
        from cens_eval.loader.oscal import load_catalog

        ref = load_catalog(grid, _vocabulaire(ctx))
        origin = [f"Référentiel {ref.id} {ref.version} importé du catalogue OSCAL {grid.name}"]
    else:
        from cens_eval.loader.grid import import_grid

        ref = import_grid(grid, mapping, _vocabulaire(ctx))
        origin = [
            f"Référentiel {ref.id} {ref.version} importé de la grille {grid.name}",
            f"avec la correspondance {mapping.name} (cens-eval referentiels import).",
        ]
    data = model_data(ref)
    text = json_text(data) if suffix == ".json" else yaml_text(data, origin)
    write_atomic(output, text.encode("utf-8"), force=force)
    echo(f"{output} écrit : {ref.id} {ref.version}, {len(ref.exigences)} exigences.")


@referentiels.command()
@click.argument("referentiel_id")
@click.option(
    "--version", "version", default=None, help="Version (par défaut : la plus récente chargée)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "csv", "oscal"]),
    default=None,
    help="Grille xlsx ou csv (par défaut : celui de l'extension de -o), ou catalogue OSCAL "
    "1.2.1 (oscal, un fichier .json).",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="Grille à écrire."
)
@click.option(
    "--mapping",
    "mapping",
    metavar="CORRESPONDANCE",
    type=click.Path(path_type=Path),
    default=None,
    help="Correspondance à écrire (par défaut : GRILLE.correspondance.yaml à côté).",
)
@click.option("--force", is_flag=True, help="Remplacer les fichiers s'ils existent.")
@click.pass_context
def export(
    ctx: click.Context,
    referentiel_id: str,
    version: str | None,
    fmt: str | None,
    output: Path,
    mapping: Path | None,
    force: bool,
) -> None:
    """Exporter un référentiel en grille et sa correspondance, ou en catalogue OSCAL.

    Grille : une ligne par exigence (xlsx ou csv) ; --format oscal : un catalogue OSCAL 1.2.1.
    """
    from cens_eval.service.output import check_outputs, write_atomic

    if fmt == "oscal":
        _export_oscal(ctx, referentiel_id, version, output, mapping, force)
        return
    from cens_eval.render.grid import (
        GridExportError,
        export_mapping,
        render_grid_csv,
        render_grid_xlsx,
    )

    fmt = fmt or output.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "csv") or output.suffix.lower() != f".{fmt}":
        raise click.UsageError("la grille doit finir par .xlsx ou .csv (et suivre --format)")
    mapping = mapping or output.with_name(f"{output.stem}.correspondance.yaml")
    cat = catalogue(ctx)
    ref = cat.get(referentiel_id, version)
    if ref is None:
        known = ", ".join(cat.ids())
        raise click.UsageError(
            printable(f"référentiel inconnu : {referentiel_id} (disponibles : {known})")
        )
    try:
        grid = render_grid_xlsx(ref) if fmt == "xlsx" else render_grid_csv(ref)
    except GridExportError as exc:
        source = str(cat.fichiers[(ref.id, ref.version)])
        raise LoadError(
            [Problem(source, "", f"Exigence {i} › {why}") for i, why in exc.refusals]
        ) from None
    # neither written when one is refused
    check_outputs([output, mapping], catalogue_inputs(cat), force=force)
    write_atomic(output, grid, force=force)
    write_atomic(mapping, export_mapping(ref, output.name), force=force)
    echo(f"{output} écrit ({len(ref.exigences)} exigences), correspondance : {mapping}.")


def _export_oscal(
    ctx: click.Context,
    referentiel_id: str,
    version: str | None,
    output: Path,
    mapping: Path | None,
    force: bool,
) -> None:
    """Write the référentiel as an OSCAL catalog (JSON), its file and SHA-256 in back-matter."""
    from cens_eval.model.dossier import Empreinte
    from cens_eval.render.oscal_catalog import render_catalog
    from cens_eval.service.output import check_outputs, write_atomic

    if output.suffix.lower() != ".json":
        raise click.UsageError("le catalogue OSCAL doit finir par .json")
    if mapping is not None:
        raise click.UsageError("--mapping ne vaut que pour une grille (xlsx ou csv)")
    cat = catalogue(ctx)
    ref = cat.get(referentiel_id, version)
    if ref is None:
        known = ", ".join(cat.ids())
        raise click.UsageError(
            printable(f"référentiel inconnu : {referentiel_id} (disponibles : {known})")
        )
    key = (ref.id, ref.version)
    fichier = Empreinte(fichier=cat.fichiers[key].name, sha256=cat.sha256[key])
    check_outputs([output], catalogue_inputs(cat), force=force)
    write_atomic(output, render_catalog(ref, fichier), force=force)
    echo(
        f"{output} écrit : catalogue OSCAL {ref.id} {ref.version}, {len(ref.exigences)} contrôles."
    )


@referentiels.command()
@click.argument("old", metavar="ANCIEN")
@click.argument("new", metavar="NOUVEAU")
@FORMAT
@click.pass_context
def diff(ctx: click.Context, old: str, new: str, fmt: str) -> int:
    """Comparer deux versions d'un référentiel (code 0 identiques, 1 différentes).

    ANCIEN et NOUVEAU sont des fichiers (.yaml, .yml, .json) ou des référentiels chargés,
    écrits ID@VERSION.
    """
    from cens_eval.engine.diff import diff_referentiels
    from cens_eval.render.evolution import diff_text

    result = diff_referentiels(_referentiel(ctx, old), _referentiel(ctx, new))
    if fmt == "json":
        echo_json(result.model_dump(mode="json"))
    else:
        echo(*diff_text(result))
    return 0 if result.identiques else 1


def _referentiel(ctx: click.Context, named: str) -> Referentiel:
    """A référentiel named on the command line: a file, or ``ID@VERSION`` of the catalogue."""
    from cens_eval.loader.files import TEXT_SUFFIXES

    if Path(named).suffix.lower() in TEXT_SUFFIXES:
        from cens_eval.loader.referentiels import load_referentiel

        return load_referentiel(Path(named), _vocabulaire(ctx))
    cat = catalogue(ctx)
    referentiel_id, at, version = named.partition("@")
    versions = cat.versions(referentiel_id)
    if not versions:
        known = ", ".join(cat.ids())
        raise click.UsageError(
            printable(f"référentiel inconnu : {referentiel_id} (disponibles : {known})")
        )
    if not at and len(versions) > 1:
        raise click.UsageError(
            printable(f"préciser la version : {referentiel_id}@VERSION ({', '.join(versions)})")
        )
    ref = cat.get(referentiel_id, version if at else versions[0])
    if ref is None:
        raise click.UsageError(
            printable(
                f"version {version} du référentiel {referentiel_id} inconnue "
                f"(disponible : {', '.join(versions)})"
            )
        )
    return ref


@referentiels.command()
@click.argument("fichier", required=False, type=click.Path(path_type=Path))
@FORMAT
@click.pass_context
def correspondances(ctx: click.Context, fichier: Path | None, fmt: str) -> None:
    """Lister et vérifier les correspondances entre exigences de référentiels.

    FICHIER : par défaut, correspondances.yaml du dossier des référentiels.
    """
    from cens_eval.loader.correspondances import load_correspondances
    from cens_eval.loader.locate import default_referentiels_dir
    from cens_eval.render.correspondances import correspondances_data, correspondances_text

    folder: Path = ctx.find_root().obj or default_referentiels_dir()
    loaded = load_correspondances(fichier or folder / CORRESPONDANCES_FILE, catalogue(ctx))
    if fmt == "json":
        echo_json(correspondances_data(loaded.correspondances))
    else:
        echo(*correspondances_text(loaded.correspondances, str(loaded.path)))
