"""The evaluator's pages: open a dossier (folder or zip), verify it, review it, produce the review."""

from __future__ import annotations

import datetime as dt
import mimetypes
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
)

from cens_eval.errors import CensEvalError, LoadError, OutputError
from cens_eval.model.dossier import Dossier, Empreinte
from cens_eval.model.evolution import NatureEvolution
from cens_eval.model.review import AVIS_LABELS, OPINION_LABELS, RESULTATS_EVALUABLES, DossierRevu
from cens_eval.model.signature import SignatureCheck
from cens_eval.model.vocabulary import RESULTAT_LABELS, STATUT_LABELS, VERDICT_LABELS
from cens_eval.render.preuve_dates import dossier_dates
from cens_eval.service.cache import VerificationCache
from cens_eval.web import boundary, forms
from cens_eval.web.archive import unzip_dossier, zip_folder
from cens_eval.web.security import confined, safe_filename, valid_name
from cens_eval.web.workspace import DOSSIERS, RECUS, REVUES, REVUS, Workspace

if TYPE_CHECKING:
    from cens_eval.service.signing import Signer

bp = Blueprint("evaluateur", __name__, url_prefix="/evaluateur")

SOURCES = {"espace": DOSSIERS, "recus": RECUS, "revus": REVUS}
"""Where dossiers are found, by the name a URL gives them (``externe``: the path given at start)."""
VIEWABLE = {".pdf", ".png", ".jpg", ".jpeg", ".txt"}
"""Evidence shown in the browser; anything else (HTML, SVG…) is downloaded, never rendered."""


def _workspace() -> Workspace:
    ws = current_app.config["CENS_WORKSPACE"]
    assert isinstance(ws, Workspace)
    return ws


def _roots() -> dict[str, Path]:
    roots = {key: _workspace().root / sub for key, sub in SOURCES.items()}
    extra = current_app.config.get("CENS_DOSSIERS")
    if isinstance(extra, Path):
        roots["externe"] = extra
    return roots


def _folder(source: str, name: str) -> Path:
    """A dossier folder named by a URL, confined to its source; 404 otherwise."""
    root = _roots().get(source)
    folder = confined(root, name) if root is not None and valid_name(name) else None
    if folder is None or folder == root.resolve() or not (folder / "dossier.json").is_file():  # type: ignore[union-attr]
        abort(404, "Ce dossier n'existe pas (ou n'est pas un dossier cens-eval).")
    return folder


@bp.errorhandler(forms.FormError)
@bp.errorhandler(CensEvalError)
def refused(exc: Exception) -> tuple[str, int]:
    """Every refusal of the evaluator's pages, shown at the form it concerns.

    An archive refused: on the list of dossiers, at the upload form; a review refused: on the
    dossier's page, the avis as typed; a dossier that cannot be read: the error page.
    """
    endpoint = request.endpoint or ""
    args = request.view_args or {}
    if endpoint in ("evaluateur.index", "evaluateur.upload"):
        return boundary.refused(exc, lambda problems: _listing(problems))
    if endpoint == "evaluateur.preview":
        return boundary.refused(exc, lambda problems: _panel(None, problems))
    if endpoint in ("evaluateur.dossier_page", "evaluateur.review"):
        return boundary.refused(
            exc,
            lambda problems: _page(args["source"], args["name"], request.form, problems)[0],
        )
    return boundary.refused(exc)


def _listing(errors: list[str]) -> str:
    from cens_eval.api import read_dossier

    found = []
    for source, root in _roots().items():
        if root.is_dir():
            for path in sorted(root.iterdir()):
                if valid_name(path.name) and (path / "dossier.json").is_file():
                    dossier: Dossier | None = None
                    reviewed: DossierRevu | None = None
                    try:  # what an evaluator chooses by: who, what, when, declared, reviewed
                        read = read_dossier(path)
                        dossier, reviewed = read.dossier, read.reviewed
                    except CensEvalError:
                        pass  # shown as unreadable: its page says why
                    found.append(
                        {"source": source, "name": path.name, "d": dossier, "rv": reviewed}
                    )
    return render_template(
        "evaluateur_index.html",
        found=found,
        errors=errors,
        labels={"verdict": VERDICT_LABELS, "opinion": OPINION_LABELS},
    )


@bp.get("/")
def index() -> str:
    """The dossiers found, and the form to upload one as a zip."""
    return _listing([])


@bp.post("/import")
def upload() -> Response | tuple[str, int]:
    """Receive a dossier as a zip: extracted, read, then kept under ``dossiers-recus/`` and opened.

    The archive arrives in a temporary file and is extracted member by member into a private
    folder of the workspace, never held in memory; a dossier that cannot be read is refused
    here, at the upload form, and nothing is kept.
    """
    from cens_eval.api import read_dossier
    from cens_eval.service.folder import write_dossier_dir

    storage = request.files.get("archive")
    if storage is None or not storage.filename:
        raise forms.FormError(["Choisissez l'archive zip d'un dossier à envoyer."])
    shown = safe_filename(storage.filename)
    ws = _workspace()
    with ws.scratch_dir() as scratch:
        extracted = scratch / "dossier"
        sums = unzip_dossier(storage.stream, shown, extracted)
        try:
            read_dossier(extracted)
        except LoadError as exc:
            located = [replace(p, file=p.file.replace(str(extracted), shown)) for p in exc.problems]
            raise forms.FormError(
                [f"{shown} : ce n'est pas un dossier cens-eval lisible", *map(str, located)]
            ) from None
        root = ws.inside(RECUS)
        root.mkdir(exist_ok=True)
        stem = shown.removesuffix(".zip") or "dossier"
        name = next(
            f"{stem}-{n}" if n > 1 else stem
            for n in range(1, 1000)
            if not (root / (f"{stem}-{n}" if n > 1 else stem)).exists()
        )
        copies = {rel: (extracted / rel, sha256) for rel, sha256 in sums.items()}
        write_dossier_dir(ws.inside(RECUS, name), {}, copies, force=False)
    flash(f"Dossier reçu : {name}.")
    return redirect(f"/evaluateur/recus/{name}/")  # type: ignore[return-value]


def _verification(folder: Path) -> tuple[bool, list[str], list[str], list[SignatureCheck]]:
    """Intact or not, the problems, the notes (earlier version…) and the signatures checked.

    Kept while the folder is unchanged: a page view does not verify an unchanged dossier again.
    """
    cache = current_app.config["CENS_VERIFICATIONS"]
    assert isinstance(cache, VerificationCache)
    try:
        verification = cache.verify(folder)
    except CensEvalError as exc:
        return False, boundary.problems(exc), [], []
    problems = [str(p) for p in verification.problems]
    return verification.intact, problems, verification.notes, verification.signatures


def _read(folder: Path) -> tuple[Dossier, str]:
    from cens_eval.api import read_dossier

    found = read_dossier(folder)
    return found.dossier, found.sha256


def _revue_data(form: forms.Form, dossier: Dossier, sha256: str) -> dict[str, Any]:
    """The review the form describes, as the data of a review file."""
    evaluateur = {
        k: form.get(f"evaluateur_{k}", "").strip()
        for k in ("nom", "organisme", "fonction", "contact")
        if form.get(f"evaluateur_{k}", "").strip()
    }
    avis: dict[str, dict[str, Any]] = {}
    for ref in dossier.resultats:
        for e in ref.exigences:
            base = (ref.id, e.id)
            entry = {
                name: form.get(forms.key(*base, name), "").strip()
                for name in ("avis", "resultat", "commentaire")
                if form.get(forms.key(*base, name), "").strip()
            }
            if entry:
                avis.setdefault(ref.id, {})[e.id] = entry
    data: dict[str, Any] = {
        "evaluateur": evaluateur,
        "dossier_sha256": sha256,
        "date": form.get("date", "").strip(),
        "avis": avis,
    }
    if opinion := form.get("decision_opinion", "").strip():
        data["decision_finale"] = {
            "opinion": opinion,
            "motif": form.get("decision_motif", "").strip(),
        }
    return data


def _preview(dossier: Dossier, data: dict[str, Any]) -> DossierRevu:
    """The review applied in memory: agreement and proposed opinion, before anything is written."""
    from cens_eval.review.assess import apply_review

    relaxed = {**data, "evaluateur": data["evaluateur"] or {"nom": "—"}}
    relaxed["date"] = relaxed["date"] or dt.date.today().isoformat()
    revue = forms.revue(relaxed)
    try:
        return apply_review(dossier, revue, Empreinte(fichier="revue/apercu.yaml", sha256="0" * 64))
    except ValueError as exc:
        raise forms.FormError([str(exc)]) from None


def _page(
    source: str, name: str, form: forms.Form, errors: list[str], status: int = 200
) -> tuple[str, int]:
    from cens_eval.api import read_dossier

    folder = _folder(source, name)
    intact, problems, notes, signatures = _verification(folder)
    found = read_dossier(folder)
    dossier, sha256, signed = found.dossier, found.sha256, found.reviewed
    reviewed = None
    if signed is not None and not form:
        reviewed = signed  # the review signed, not an empty form's preview
    else:
        try:
            reviewed = _preview(dossier, _revue_data(form, dossier, sha256))
        except forms.FormError as exc:
            errors = [*errors, *exc.problems] if form else errors
    html = render_template(
        "evaluateur_dossier.html",
        source=source,
        name=name,
        dossier=dossier,
        intact=intact,
        problems=problems,
        notes=notes,
        signatures=signatures,
        signed=signed,
        form=form,
        reviewed=reviewed,
        errors=errors,
        today=dt.date.today().isoformat(),
        labels={
            "avis": AVIS_LABELS,
            "opinion": OPINION_LABELS,
            "resultat": RESULTAT_LABELS,
            "statut": STATUT_LABELS,
            "verdict": VERDICT_LABELS,
        },
        evaluables=RESULTATS_EVALUABLES,
        preuve_dates=dossier_dates(dossier),
        precedent=_precedent(folder),
        avis_given=(signed is not None and not form) or _avis_given(form),
    )
    return html, status


def _dossier_folders() -> list[tuple[str, Path]]:
    """Every dossier folder of the workspace (and of the folder given at start), by source."""
    return [
        (source, path)
        for source, root in _roots().items()
        if root.is_dir()
        for path in sorted(root.iterdir())
        if valid_name(path.name) and (path / "dossier.json").is_file()
    ]


def _precedent(folder: Path) -> dict[str, Any] | None:
    """The previous submission of the same solution in the workspace: its source, name, version."""
    from cens_eval.api import read_dossier
    from cens_eval.review.precedent import previous_submission

    folders = _dossier_folders()
    found = previous_submission(folder, [path for _, path in folders])
    if found is None:
        return None
    source = next(s for s, path in folders if path == found)
    dossier = read_dossier(found).dossier
    return {
        "source": source,
        "name": found.name,
        "version": dossier.solution.version,
        "as_of": dossier.as_of,
    }


@bp.get("/<source>/<name>/evolution")
def evolution(source: str, name: str) -> tuple[str, int]:
    """What changed since the previous submission of the same solution in the workspace."""
    from cens_eval.model.evolution import CAUSE_LABELS, NATURE_LABELS
    from cens_eval.review.batch_evolution import evolution_summary
    from cens_eval.review.evolution import diff_dossiers

    folder = _folder(source, name)
    precedent = _precedent(folder)
    if precedent is None:
        abort(404, "Aucun dossier précédent de cette solution dans l'espace.")
    previous = _folder(precedent["source"], precedent["name"])
    changes = diff_dossiers(previous, folder)
    counts, verdicts = evolution_summary(changes)
    summary = ", ".join(f"{n} {NATURE_LABELS[NatureEvolution(k)]}" for k, n in counts.items())
    html = render_template(
        "evaluateur_evolution.html",
        source=source,
        name=name,
        precedent=precedent,
        evolution=changes,
        summary=f"Exigences changées : {summary or 'aucune'}.",
        verdicts=verdicts,
        causes=[", ".join(CAUSE_LABELS[c] for c in x.causes) for x in changes.exigences],
        labels={"nature": NATURE_LABELS, "resultat": RESULTAT_LABELS},
    )
    return html, 200


@bp.get("/<source>/<name>/")
def dossier_page(source: str, name: str) -> tuple[str, int]:
    """A dossier: its verification, each exigence as declared, and the review form."""
    return _page(source, name, {}, [])


@bp.post("/<source>/<name>/apercu")
def preview(source: str, name: str) -> tuple[str, int]:
    """The review panel of the avis as posted (the page's script refreshes it on change)."""
    folder = _folder(source, name)
    dossier, sha256 = _read(folder)
    reviewed = _preview(dossier, _revue_data(request.form, dossier, sha256))
    return _panel(reviewed, []), 200


def _panel(reviewed: DossierRevu | None, errors: list[str]) -> str:
    return render_template(
        "revue_panel.html",
        reviewed=reviewed,
        errors=errors,
        labels={"opinion": OPINION_LABELS},
        avis_given=_avis_given(request.form),
    )


def _avis_given(form: forms.Form) -> bool:
    """Whether the form gives any avis, or a final decision: before that, no opinion is shown."""
    return bool(form.get("decision_opinion", "").strip()) or any(
        name.endswith("__avis") and value.strip() for name, value in form.items()
    )


@bp.post("/<source>/<name>/")
def review(source: str, name: str) -> Response | tuple[str, int]:
    """Re-score the avis (``action=recalculer``) or produce the reviewed dossier (``produire``)."""
    from cens_eval.service.operations import review_dossier, write_reviewed_dossier
    from cens_eval.service.output import write_atomic

    folder = _folder(source, name)
    if request.form.get("action") != "produire":
        return _page(source, name, request.form, [])
    dossier, sha256 = _read(folder)
    data = _revue_data(request.form, dossier, sha256)
    forms.revue(data)
    signer = _signer()  # refused (wrong password…) before anything is written
    ws = _workspace()
    review_name = f"revue-{source}-{name}.yaml"
    ws.inside(REVUES).mkdir(exist_ok=True)
    review_file = ws.inside(REVUES, review_name)  # refused before anything is written
    signed = ws.root / REVUS / f"{name}-revu"
    if source != "revus" and (signed / "revue.json").is_file():
        folder = _folder("revus", signed.name)  # reviewed again: the signed review goes to history
    outcome = review_dossier(folder, data, dt.date.today(), name=review_name)
    assert outcome.review_bytes is not None
    write_atomic(review_file, outcome.review_bytes, force=True)
    ws.inside(REVUS).mkdir(exist_ok=True)
    out_name = _free_name(ws.root / REVUS, f"{name}-revu" if source != "revus" else name)
    write_reviewed_dossier(ws.inside(REVUS, out_name), outcome, force=False, signer=signer)
    flash(f"Dossier revu produit : dossiers-revus/{out_name} (revue.json, revue.xlsx, revue.pdf).")
    if signer is not None:
        from cens_eval.service.signing import signed_message

        flash(signed_message(signer, review=True))
    return redirect(f"/evaluateur/revus/{out_name}/")  # type: ignore[return-value]


def _signer() -> Signer | None:
    """The signer of the certificate uploaded with the review (None: no certificate).

    The PKCS#12 file and its password stay in this request's memory: never written, never
    shown again (the password field is always empty when the page comes back).
    """
    from cens_eval.service.signing import load_signer

    storage = request.files.get("certificat")
    if storage is None or not storage.filename:
        return None
    data = storage.read()
    return load_signer(data, request.form.get("mot_de_passe", ""), storage.filename)


def _free_name(root: Path, stem: str) -> str:
    """``stem``, or ``stem-2``, ``stem-3``… : a signed reviewed copy is never overwritten."""
    base = stem.rsplit("-", 1)[0] if stem.rsplit("-", 1)[-1].isdigit() else stem
    for n in range(1, 1000):
        candidate = stem if n == 1 else f"{base}-{n}"
        if not (root / candidate).exists() and not (root / candidate).is_symlink():
            return candidate
    raise OutputError(f"{stem} : aucun nom libre sous {REVUS}/")


@bp.get("/<source>/<name>.zip")
def download(source: str, name: str) -> Response:
    """A dossier (reviewed or not) as a zip."""
    return Response(
        zip_folder(_folder(source, name), name),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}.zip"'},
    )


@bp.get("/<source>/<name>.oscal.json")
def download_oscal(source: str, name: str) -> Response:
    """A dossier (reviewed or not), verified, as OSCAL assessment results (JSON)."""
    from cens_eval.service.operations import oscal_results

    data, _ = oscal_results(_folder(source, name))
    return Response(
        data,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}.oscal.json"'},
    )


@bp.get("/<source>/<name>/fichier/<path:rel>")
def evidence(source: str, name: str, rel: str) -> Response:
    """A file of the dossier (a preuve…), confined to the dossier folder."""
    folder = _folder(source, name)
    path = confined(folder, *rel.split("/"))
    if path is None or not path.is_file():
        abort(404, "Ce fichier n'existe pas dans le dossier.")
    suffix = path.suffix.lower()
    inline = suffix in VIEWABLE
    mimetype = (
        mimetypes.guess_type(path.name)[0] if inline else None
    ) or "application/octet-stream"
    return send_file(path, mimetype=mimetype, as_attachment=not inline, download_name=path.name)
