"""``cens-eval signalements check | report | journal``: the éthicovigilance register."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from cens_eval.cli.context import catalogue, catalogue_inputs, echo, echo_problems
from cens_eval.model.signalement import ETAPE_LABELS
from cens_eval.service.output import check_outputs, write_atomic

if TYPE_CHECKING:
    from cens_eval.loader.signalements import LoadedRegistre

F = TypeVar("F", bound=Callable[..., Any])

REGISTER = click.argument("registre", type=click.Path(path_type=Path))
FORCE = click.option("--force", is_flag=True, help="Remplacer le fichier s'il existe.")


def _output(what: str) -> Callable[[F], F]:
    return click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help=what)


@click.group()
def signalements() -> None:
    """Vérifier un registre d'éthicovigilance, en tirer un rapport et le journal d'activité."""


def _load(
    ctx: click.Context, registre: Path, output: Path | None = None, *, force: bool = False
) -> LoadedRegistre:
    """Read the register; with ``output``, refuse it first when it is an input or cannot be written."""
    from cens_eval.loader.signalements import load_signalements

    cat = catalogue(ctx)
    if output is not None:
        check_outputs([output], [registre, *catalogue_inputs(cat)], force=force)
    loaded = load_signalements(registre, cat, today=dt.date.today())
    echo_problems(loaded.warnings)
    return loaded


@signalements.command()
@REGISTER
@click.pass_context
def check(ctx: click.Context, registre: Path) -> None:
    """Valider un registre : exigences connues, étapes dans l'ordre, données personnelles."""
    loaded = _load(ctx, registre)
    cases = loaded.registre.signalements
    counts: dict[str, int] = {}
    for s in cases:
        counts[ETAPE_LABELS[s.etape]] = counts.get(ETAPE_LABELS[s.etape], 0) + 1
    detail = ", ".join(f"{label.lower()} {n}" for label, n in counts.items())
    echo(f"{registre}: valide — {len(cases)} signalement(s) ({detail or 'aucun'})")


@signalements.command()
@REGISTER
@_output("Rapport à écrire (.xlsx, .json ou .pdf).")
@FORCE
@click.pass_context
def report(ctx: click.Context, registre: Path, output: Path, force: bool) -> None:
    """Compter les signalements par étape, principe, exigence et solution ; durées des étapes."""
    from cens_eval.engine.signalements import report as make_report
    from cens_eval.render import signalements as render

    suffix = output.suffix.lower()
    if suffix not in (".xlsx", ".json", ".pdf"):
        raise click.UsageError("le rapport doit finir par .xlsx, .json ou .pdf")
    loaded = _load(ctx, registre, output, force=force)
    labels = {
        (ref.id, e.id): e.libelle for ref in catalogue(ctx).referentiels for e in ref.exigences
    }
    rapport = make_report(loaded.registre, labels)
    day = render.latest_date(loaded.registre)
    if suffix == ".json":
        data = render.report_json(rapport)
    elif suffix == ".xlsx":
        data = render.report_xlsx(rapport, day)
    else:
        data = render.report_pdf(rapport, day)
    write_atomic(output, data, force=force)
    top = [
        f"  {c.referentiel} {c.exigence} : {c.signalements} — {c.libelle or ''}".rstrip(" —")
        for c in rapport.par_exigence[:5]
    ]
    echo(
        f"{output} écrit : {rapport.total} signalement(s).",
        "Exigences les plus concernées :",
        *(top or ["  aucune"]),
        f"Signalements sans exigence correspondante : {', '.join(rapport.sans_exigence) or 'aucun'}",
    )


@signalements.command()
@REGISTER
@_output("Journal à écrire (.pdf ou .html).")
@FORCE
@click.pass_context
def journal(ctx: click.Context, registre: Path, output: Path, force: bool) -> None:
    """Écrire le journal d'activité public : cas publiés seulement, anonymisés, par date."""
    from cens_eval.engine.signalements import published
    from cens_eval.render import signalements as render

    suffix = output.suffix.lower()
    if suffix not in (".pdf", ".html"):
        raise click.UsageError("le journal doit finir par .pdf ou .html")
    loaded = _load(ctx, registre, output, force=force)
    cases = published(loaded.registre)
    day = render.latest_date(loaded.registre)
    data = render.journal_pdf(cases, day) if suffix == ".pdf" else render.journal_html(cases, day)
    write_atomic(output, data, force=force)
    echo(f"{output} écrit : {len(cases)} réponse(s) publiée(s).")
