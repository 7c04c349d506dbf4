"""Double review on the evaluator's pages: independent reviews, kept blind, then the arbitration.

Each evaluator fills the dossier's review form and files it as an *independent review*: it is
checked as any review, then kept in the workspace (``revues/independantes-<empreinte>/``). The
dossier's page lists who filed one and when, never what it says: a second evaluator reviews
blind. Once two reviews or more are filed, the arbitration page shows their agreement and
their disagreements, and the arbitre decides each one; the arbitrated copy is then written
under ``dossiers-revus/``, as ``review arbitrate`` writes it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request

from cens_eval.errors import CensEvalError
from cens_eval.model.review import OPINION_LABELS, RESULTATS_EVALUABLES
from cens_eval.model.vocabulary import NIVEAU_LABELS, RESULTAT_LABELS, Resultat
from cens_eval.render.comparison_text import avis_text, kappa_text, number
from cens_eval.render.yaml_data import yaml_text
from cens_eval.web import boundary, forms
from cens_eval.web.evaluateur import _folder, _page, _read, _revue_data, _signer, _workspace
from cens_eval.web.workspace import REVUES, REVUS

bp = Blueprint("double", __name__, url_prefix="/evaluateur")

ARBITRATION_FILE = "arbitrage.yaml"
_FILED = re.compile(r"[0-9]{1,4}-[A-Za-z0-9._-]*\.yaml")
"""How an independent review is named in its folder: its number, then its evaluator."""
OUTCOMES = (*RESULTATS_EVALUABLES, Resultat.PREUVES_MANQUANTES)
"""The outcomes the arbitre may hold (the declared one included when it is among them)."""


def store(sha256: str) -> Path:
    """The folder (relative to the workspace) of the independent reviews of one dossier."""
    return Path(REVUES) / f"independantes-{sha256[:16]}"


def filed(sha256: str) -> list[Path]:
    """The independent reviews filed for a dossier, in the order they were filed."""
    folder = _workspace().root / store(sha256)
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if _FILED.fullmatch(p.name) and p.is_file()]
    return sorted(found, key=lambda p: int(p.name.split("-", 1)[0]))


def who_filed(source: str, name: str) -> list[dict[str, str]]:
    """Who filed each independent review of a dossier and when — nothing of what it says.

    A review that no longer reads (changed on disk) is listed as such.
    """
    from cens_eval.loader.review import load_review

    folder = _folder(source, name)
    dossier, sha256 = _read(folder)
    shown = []
    for path in filed(sha256):
        try:
            revue = load_review(path, dossier, sha256).revue
        except CensEvalError:
            shown.append({"nom": path.name, "date": "illisible"})
            continue
        shown.append({"nom": revue.evaluateur.nom, "date": f"{revue.date:%d/%m/%Y}"})
    return shown


@bp.app_context_processor
def _double_review() -> dict[str, Any]:
    return {"revues_independantes": who_filed}


@bp.errorhandler(forms.FormError)
@bp.errorhandler(CensEvalError)
def refused(exc: Exception) -> tuple[str, int]:
    """A refusal shown at its form: the review form, or the arbitration form, as typed."""
    args = request.view_args or {}
    if request.endpoint == "double.file_review":
        return boundary.refused(
            exc, lambda problems: _page(args["source"], args["name"], request.form, problems)[0]
        )
    if request.endpoint == "double.arbitrate":
        return boundary.refused(
            exc, lambda problems: _arbitration_page(args["source"], args["name"], problems)
        )
    return boundary.refused(exc)


@bp.post("/<source>/<name>/independante")
def file_review(source: str, name: str) -> Response:
    """File the review form as an independent review of the dossier, checked, never shown."""
    from cens_eval.service.operations import review_dossier
    from cens_eval.service.output import write_atomic
    from cens_eval.web.security import safe_filename

    folder = _folder(source, name)
    dossier, sha256 = _read(folder)
    data = _revue_data(request.form, dossier, sha256)
    forms.revue(data)
    numero = len(filed(sha256)) + 1
    slug = safe_filename(data["evaluateur"].get("nom", "evaluateur")).replace(" ", "-")
    review_name = f"{numero}-{slug}.yaml"
    outcome = review_dossier(folder, data, dt.date.today(), name=review_name)
    assert outcome.review_bytes is not None
    ws = _workspace()
    ws.inside(REVUES).mkdir(exist_ok=True)
    ws.inside(*store(sha256).parts).mkdir(exist_ok=True)
    write_atomic(ws.inside(*store(sha256).parts, review_name), outcome.review_bytes, force=False)
    flash(
        f"Revue indépendante n° {numero} déposée ({data['evaluateur'].get('nom')}) : elle reste "
        "cachée aux autres évaluateurs jusqu'à l'arbitrage."
    )
    return redirect(f"/evaluateur/{source}/{name}/")  # type: ignore[return-value]


def _arbitration_page(source: str, name: str, errors: list[str], status: int = 200) -> str:
    from cens_eval.review.compare import compare_dossier_reviews

    folder = _folder(source, name)
    _, sha256 = _read(folder)
    reviews = filed(sha256)
    comparaison = compare_dossier_reviews(folder, reviews).comparaison if len(reviews) > 1 else None
    return render_template(
        "evaluateur_arbitrage.html",
        source=source,
        name=name,
        comparaison=comparaison,
        reviews=who_filed(source, name),
        form=request.form,
        errors=errors,
        today=dt.date.today().isoformat(),
        outcomes=OUTCOMES,
        labels={"resultat": RESULTAT_LABELS, "niveau": NIVEAU_LABELS, "opinion": OPINION_LABELS},
        avis_text=avis_text,
        kappa_text=kappa_text,
        number=number,
    )


@bp.get("/<source>/<name>/arbitrage")
def arbitration(source: str, name: str) -> str:
    """The independent reviews compared, once two are filed, and the arbitration form."""
    return _arbitration_page(source, name, [])


def _arbitration_data(form: forms.Form, sha256: str, keys: list[tuple[str, str]]) -> dict[str, Any]:
    decisions: dict[str, dict[str, Any]] = {}
    for ref, exigence in keys:
        entry = {
            field: form.get(forms.key(ref, exigence, field), "").strip()
            for field in ("resultat", "motif")
            if form.get(forms.key(ref, exigence, field), "").strip()
        }
        if entry:
            decisions.setdefault(ref, {})[exigence] = entry
    arbitre = {
        k: form.get(f"arbitre_{k}", "").strip()
        for k in ("nom", "fonction", "organisme")
        if form.get(f"arbitre_{k}", "").strip()
    }
    data: dict[str, Any] = {
        "arbitre": arbitre,
        "dossier_sha256": sha256,
        "date": form.get("date", "").strip() or None,
        "decisions": decisions,
    }
    if opinion := form.get("decision_opinion", "").strip():
        data["decision_finale"] = {
            "opinion": opinion,
            "motif": form.get("decision_motif", "").strip(),
        }
    return data


@bp.post("/<source>/<name>/arbitrage")
def arbitrate(source: str, name: str) -> Response:
    """Write the arbitration and produce the arbitrated copy under ``dossiers-revus/``.

    With a certificate (and its password), the arbitre signs ``revue.pdf`` and the review's
    manifest, as the evaluator signs a single review: in this request's memory only.
    """
    from cens_eval.review.compare import compare_dossier_reviews
    from cens_eval.service.arbitration import arbitrate_dossier, write_arbitrated_dossier
    from cens_eval.service.output import write_atomic
    from cens_eval.web.evaluateur import _free_name

    folder = _folder(source, name)
    _, sha256 = _read(folder)
    reviews = filed(sha256)
    if len(reviews) < 2:
        raise forms.FormError(
            ["Deux revues indépendantes au moins sont nécessaires à l'arbitrage."]
        )
    c = compare_dossier_reviews(folder, reviews).comparaison
    keys = [(d.referentiel, d.id) for d in c.desaccords]
    keys += [(n.referentiel, n.id) for n in c.non_comparees]
    data = _arbitration_data(request.form, sha256, keys)
    signer = _signer()  # refused (wrong password…) before anything is written
    ws = _workspace()
    with ws.scratch_dir() as scratch:
        path = scratch / ARBITRATION_FILE
        path.write_text(yaml_text(data), "utf-8")
        try:
            outcome = arbitrate_dossier(folder, reviews, path, dt.date.today())
        except CensEvalError as exc:
            problems = [p.replace(str(path), ARBITRATION_FILE) for p in boundary.problems(exc)]
            raise forms.FormError(problems) from None
        write_atomic(
            ws.inside(*store(sha256).parts, ARBITRATION_FILE), path.read_bytes(), force=True
        )
        ws.inside(REVUS).mkdir(exist_ok=True)
        out_name = _free_name(ws.root / REVUS, f"{name}-arbitre")
        write_arbitrated_dossier(ws.inside(REVUS, out_name), outcome, force=False, signer=signer)
    flash(
        f"Dossier arbitré produit : dossiers-revus/{out_name} (revue.json, revue.xlsx, revue.pdf)."
    )
    if signer is not None:
        from cens_eval.service.signing import signed_message

        flash(signed_message(signer, review=True, arbitre=True))
    return redirect(f"/evaluateur/revus/{out_name}/")  # type: ignore[return-value]
