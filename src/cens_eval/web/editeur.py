"""The éditeur's pages: profil, answers with preuves, live score panel, save, dossier."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
)

from cens_eval.constants import MAX_WORKBOOK_BYTES
from cens_eval.engine.evaluation import evaluate
from cens_eval.engine.orientation import referentiels_for
from cens_eval.engine.progress import PointRestant, index, remaining
from cens_eval.errors import CensEvalError, LoadError, Problem
from cens_eval.loader.questionnaire import LoadedQuestionnaire
from cens_eval.model.applicability import describe, questions_needed, referentiel_applies
from cens_eval.model.questionnaire import Questionnaire
from cens_eval.model.referentiel import Referentiel
from cens_eval.model.results import Evaluation
from cens_eval.render.preuve_dates import questionnaire_dates
from cens_eval.web import boundary, forms
from cens_eval.web.archive import zip_folder
from cens_eval.web.limits import MAX_UPLOADS
from cens_eval.web.panel import HERE, with_pending
from cens_eval.web.reprises import kept_reprise
from cens_eval.web.security import confined, safe_filename, valid_name
from cens_eval.web.workspace import DOSSIERS, PREUVES, ConflictError, Workspace

bp = Blueprint("editeur", __name__, url_prefix="/editeur")


def _workspace() -> Workspace:
    ws = current_app.config["CENS_WORKSPACE"]
    assert isinstance(ws, Workspace)
    return ws


def _as_of(form: forms.Form) -> dt.date:
    raw = form.get("as_of", "").strip()
    return forms.parse_date(raw, "Date d'évaluation") if raw else dt.date.today()


def _saved() -> tuple[Questionnaire | None, list[str], list[Problem]]:
    """The saved questionnaire (None if absent), its load errors and its gaps."""
    loaded, errors = _loaded()
    if loaded is None:
        return None, errors, []
    return loaded.as_written, [], _workspace().shown(loaded.gaps)


def _loaded() -> tuple[LoadedQuestionnaire | None, list[str]]:
    """The saved questionnaire as the loader reads it (None if absent or refused), its errors."""
    try:
        return _workspace().loaded(), []
    except CensEvalError as exc:
        return None, boundary.problems(exc)


def _referentiels(q: Questionnaire) -> list[Referentiel]:
    ws = _workspace()
    refs = []
    for answered in q.referentiels:
        ref = ws.catalogue.get(answered.id, answered.version)
        if ref is None:
            raise forms.FormError([f"référentiel inconnu : {answered.id} {answered.version}"])
        refs.append(ref)
    return refs


def _evaluation(q: Questionnaire, as_of: dt.date) -> Evaluation:
    return evaluate(
        q, _referentiels(q), as_of=as_of, vocabulaire=_workspace().catalogue.vocabulaire
    )


def _latest() -> list[Referentiel]:
    """Each référentiel of the catalogue, in its latest version."""
    ws = _workspace()
    found = [ws.catalogue.get(i, ws.catalogue.versions(i)[-1]) for i in ws.catalogue.ids()]
    return [r for r in found if r is not None]


def _orientation(q: Questionnaire | None) -> list[dict[str, Any]]:
    """Each référentiel of the catalogue (latest version): does it apply to the profil, and why."""
    ws = _workspace()
    rows = []
    for ref in _latest():
        condition = (
            describe(ref.applicable_si, ws.catalogue.vocabulaire)
            if ref.applicable_si
            else "s'applique à toute solution"
        )
        applies = referentiel_applies(ref, q.profil) if q is not None else None
        rows.append({"ref": ref, "condition": condition, "applies": applies})
    return rows


def _page(
    q: Questionnaire | None,
    *,
    version: str,
    as_of: dt.date,
    errors: list[str] = (),  # type: ignore[assignment]
    gaps: list[Problem] = (),  # type: ignore[assignment]
    status: int = 200,
    evaluable: Questionnaire | None = None,
    pending: list[str] | None = None,
    field_errors: dict[tuple[str, str], list[str]] | None = None,
) -> tuple[str, int]:
    """The page; its score panel evaluates ``evaluable`` (as read by the loader), else ``q``."""
    evaluation = None
    refs: list[Referentiel] = []
    if q is not None:
        try:
            refs = _referentiels(q)
            evaluation = _evaluation(evaluable or q, as_of)
        except forms.FormError as exc:
            errors = [*errors, *exc.problems]
    points = remaining(evaluation, q, gaps) if evaluation is not None and q is not None else []
    html = render_template(
        "editeur.html",
        q=q,
        refs=refs,
        evaluation=evaluation,
        orientation=_orientation(q),
        vocabulaire=_workspace().catalogue.vocabulaire,
        needed=questions_needed(_latest(), q.profil if q is not None else {}),
        version=version,
        as_of=as_of,
        errors=list(errors),
        points=points,
        progress=index(evaluation, refs, points) if evaluation is not None else [],
        here=_here(request.args.get("ici", ""), refs),
        pending=pending or [],
        dossiers=_dossiers(),
        preuve_dates=questionnaire_dates(q, refs, evaluation) if q is not None else {},
        field_errors=field_errors or {},
        error_links={
            text: f"ex-{ref}-{exigence}"
            for (ref, exigence), found in (field_errors or {}).items()
            for text in found
        },
    )
    return html, status


def _here(wanted: str, refs: list[Referentiel]) -> str:
    """Where the user acted (a section of the page, or ``REF__EXIGENCE``), if it is one."""
    if wanted in HERE:
        return wanted
    ref_id, _, exigence_id = wanted.partition("__")
    known = any(r.id == ref_id and r.exigence(exigence_id) for r in refs)
    return wanted if known else ""


def _anchor(here: str) -> str:
    """The page's fragment for a place ``_here`` accepted."""
    return HERE.get(here) or "ex-" + here.replace("__", "-", 1)


def _dossiers() -> list[str]:
    folder = _workspace().root / DOSSIERS
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / "dossier.json").is_file())


@bp.errorhandler(forms.FormError)
@bp.errorhandler(CensEvalError)
def refused(exc: Exception) -> tuple[str, int]:
    """Every refusal of the éditeur's pages: shown on the page, above the form it concerns.

    The page keeps the version the form was loaded with: after a conflict, a save is possible
    only once the page is reloaded.
    """
    if request.endpoint == "editeur.score":
        return boundary.refused(
            exc, lambda problems: render_template("panel.html", evaluation=None, errors=problems)
        )

    def with_problems(problems: list[str]) -> str:
        q, _, gaps = _saved()
        version = request.form.get("version") or _workspace().version()
        if request.endpoint == "editeur.save_answers":
            typed = _typed()
            if typed is not None:  # no keystroke lost: the answers as typed, problems marked
                q, gaps = typed, []
                if isinstance(exc, ConflictError):  # keep one's version, or reload theirs
                    version = _workspace().version()
                    problems = [*problems, KEEP_MINE]
                if request.files and any(f.filename for f in request.files.values()):
                    problems = [*problems, FILES_AGAIN]
        at_fields = at_exigences(exc.problems) if isinstance(exc, LoadError) else {}
        html, _ = _page(
            q,
            version=version,
            as_of=dt.date.today(),
            errors=problems,
            gaps=gaps,
            field_errors=at_fields,
        )
        return html

    return boundary.refused(exc, with_problems)


def at_exigences(problems: list[Problem]) -> dict[tuple[str, str], list[str]]:
    """The problems about an answer, by (référentiel, exigence): shown at its fieldset too."""
    found: dict[tuple[str, str], list[str]] = {}
    for p in problems:
        if len(p.place) >= 3 and p.place[0] == "reponses":
            found.setdefault((str(p.place[1]), str(p.place[2])), []).append(str(p))
    return found


KEEP_MINE = (
    "Vos saisies sont affichées ci-dessous, non enregistrées : « Enregistrer » les enregistre à "
    "la place de la version modifiée ailleurs ; rechargez la page pour garder plutôt celle-ci."
)
FILES_AGAIN = (
    "Les fichiers choisis n'ont pas été gardés (rien n'a été enregistré) : choisissez-les de "
    "nouveau avant d'enregistrer."
)


def _typed() -> Questionnaire | None:
    """The questionnaire as the refused form typed it, or None when it cannot be built."""
    try:
        return _posted(False)
    except (forms.FormError, CensEvalError):
        return None


@bp.get("/")
def page() -> tuple[str, int]:
    """The éditeur's page, built from the saved questionnaire (scored as the loader reads it)."""
    loaded, errors = _loaded()
    q = loaded.as_written if loaded else None
    gaps = _workspace().shown(loaded.gaps) if loaded else []
    return _page(
        q,
        version=_workspace().version(),
        as_of=_as_of(request.args),
        errors=errors,
        gaps=gaps,
        evaluable=loaded.questionnaire if loaded else None,
    )


@bp.post("/profil")
def save_profil() -> Response | tuple[str, int]:
    """Record the identity and the profil; the référentiels that apply follow from the profil."""
    ws = _workspace()
    saved, _, _ = _saved()
    profil = forms.profil_values(request.form, ws.catalogue.vocabulaire)
    refs = referentiels_for(ws.catalogue, profil)
    kept = {r.id: r for r in (saved.referentiels if saved else [])}
    answered = [
        {"id": r.id, "version": kept[r.id].version if r.id in kept else r.version} for r in refs
    ]
    reponses = {
        k: v for k, v in (saved.reponses.items() if saved else []) if k in {r.id for r in refs}
    }
    q = forms.questionnaire(
        {
            **forms.identity(request.form),
            "referentiels": answered,
            "profil": profil,
            "reponses": reponses,
        }
    )
    ws.save(q, request.form.get("version", ""))
    flash("Profil enregistré : les référentiels et exigences applicables sont mis à jour.", "ici")
    return redirect("/editeur/?ici=profil#" + HERE["profil"])  # type: ignore[return-value]


@bp.post("/profil/questions")
def profil_questions() -> Response:
    """The profil questions that apply to the answers as posted (the page's script hides others)."""
    profil = forms.profil_values(request.form, _workspace().catalogue.vocabulaire)
    return jsonify(sorted(questions_needed(_latest(), profil)))


def _posted(
    uploads: bool, stored: list[str] | None = None, pending: list[str] | None = None
) -> Questionnaire:
    """The questionnaire the answers form describes (uploads stored only when ``uploads``).

    Each upload stored is appended to ``stored``: the caller removes them if the save fails.
    With ``pending`` (a re-score), a file chosen but not saved — sent, or only named by the
    page's script (``…__choisi``) — is cited under ``preuves/`` as the save would, not stored,
    and its path appended to ``pending``.
    """
    ws = _workspace()
    saved, errors, _ = _saved()
    if saved is None:
        raise forms.FormError(errors or ["Enregistrez d'abord le profil de la solution."])
    files = [f for f in request.files.values() if f.filename]
    if len(files) > MAX_UPLOADS:
        raise forms.FormError([f"trop de fichiers envoyés en une fois (au plus {MAX_UPLOADS})"])

    def uploaded(field: str) -> str | None:
        if not uploads:
            return chosen(field) if pending is not None else None
        storage = request.files.get(field)
        if storage is None or not storage.filename:
            return None
        rel = ws.store_upload(storage.filename, storage.read())
        if stored is not None:
            stored.append(rel)
        return rel

    def chosen(field: str) -> str | None:
        storage = request.files.get(field)
        name = storage.filename if storage is not None else None
        name = name or request.form.get(field.removesuffix("__upload") + "__choisi", "")
        if not name or pending is None:
            return None
        pending.append(f"{PREUVES}/{safe_filename(name)}")
        return pending[-1]

    reponses: dict[str, dict[str, Any]] = {}
    for ref in _referentiels(saved):
        for exigence in ref.exigences:
            answer = forms.reponse(request.form, ref, exigence, uploaded)
            previous = saved.reponses.get(ref.id, {}).get(exigence.id)
            if previous is not None and answer is not None:
                answer = forms.keep_unshown(answer, previous)
            answer = kept_reprise(request.form, ref.id, exigence.id, previous, answer)
            if previous is not None and previous.a_reconfirmer:
                answer = {**(answer or {}), "a_reconfirmer": list(previous.a_reconfirmer)}
            if answer:
                reponses.setdefault(ref.id, {})[exigence.id] = answer
    data = {
        "editeur": saved.editeur,
        "solution": saved.solution,
        "referentiels": saved.referentiels,
        "profil": saved.profil,
        "reponses": reponses,
    }
    return forms.questionnaire(data)


@bp.post("/")
def save_answers() -> Response | tuple[str, int]:
    """Save the answers (``action=enregistrer``) or only re-score them (``action=recalculer``)."""
    ws = _workspace()
    version = request.form.get("version", "")
    saving = request.form.get("action") == "enregistrer"
    as_of = _as_of(request.form)
    if saving:
        ws.check_version(version)  # before any upload is kept
    stored: list[str] = []
    pending: list[str] = []
    try:
        q = _posted(saving, stored, None if saving else pending)
        if saving:
            ws.save(q, version)
    except BaseException:
        ws.remove_uploads(stored)  # a refused save keeps no orphan upload
        raise
    if not saving:  # re-score without the page's script: the save's checks, as /score
        loaded = ws.trial(q)
        evaluable = with_pending(loaded.as_written, loaded.questionnaire, set(pending))
        return _page(
            q,
            version=version,
            as_of=as_of,
            evaluable=evaluable,
            pending=pending,
            gaps=ws.shown(loaded.gaps),
        )
    here = _here(request.args.get("ici") or request.form.get("ici", ""), _referentiels(q))
    flash("Réponses enregistrées dans questionnaire.yaml.", "ici" if here else "message")
    where = f"&ici={here}#{_anchor(here)}" if here else ""
    return redirect(f"/editeur/?as_of={as_of.isoformat()}{where}")  # type: ignore[return-value]


@bp.post("/score")
def score() -> tuple[str, int]:
    """The score panel of the answers as posted (the page's script refreshes it on change).

    Exactly the save's checks (and ``cens-eval evaluate``'s): the answers are read back by the
    loader as they would be saved — what the save refuses is refused here, with its problems —
    and evaluated as the command evaluates them. A file chosen but not yet saved counts as
    provided, marked « à enregistrer ».
    """
    pending: list[str] = []
    q = _posted(False, pending=pending)
    evaluation, points = _checked_evaluation(q, _as_of(request.form), pending)
    html = render_template(
        "panel.html",
        evaluation=evaluation,
        errors=[],
        pending=pending,
        points=points,
        progress=index(evaluation, _referentiels(q), points),
    )
    return html, 200


def _checked_evaluation(
    q: Questionnaire, as_of: dt.date, pending: list[str]
) -> tuple[Evaluation, list[PointRestant]]:
    """The evaluation of ``q`` as read back by the loader, and what would remain to do.

    A pending file (chosen, not yet saved) counts as given, and is no longer missing.
    """
    ws = _workspace()
    loaded = ws.trial(q)
    evaluable = loaded.questionnaire
    gaps = ws.shown(loaded.gaps)
    if pending:  # left out as absent by the loader: they will be there once saved
        evaluable = with_pending(loaded.as_written, loaded.questionnaire, set(pending))
        gaps = [g for g in gaps if not _about_pending(g, loaded.as_written, set(pending))]
    evaluation = evaluate(
        evaluable, loaded.referentiels, as_of=as_of, vocabulaire=ws.catalogue.vocabulaire
    )
    return evaluation, remaining(evaluation, loaded.as_written, gaps)


def _about_pending(gap: Problem, q: Questionnaire, pending: set[str]) -> bool:
    """Whether a gap is a file not found that is only waiting for its save."""
    place = gap.place
    if len(place) < 5 or place[0] != "reponses" or place[3] != "preuves":
        return False
    reponse = q.reponses.get(str(place[1]), {}).get(str(place[2]))
    index_ = place[4]
    if reponse is None or not isinstance(index_, int) or index_ >= len(reponse.preuves):
        return False
    return reponse.preuves[index_].fichier in pending


@bp.post("/dossier")
def dossier() -> Response | tuple[str, int]:
    """Generate the dossier of the saved questionnaire at the date given, under ``dossiers/``."""
    as_of = _as_of(request.form)
    name = _workspace().generate_dossier(as_of)
    flash(f"Dossier produit dans dossiers/{name}.", "ici")
    return redirect(f"/editeur/?as_of={as_of.isoformat()}&ici=dossier#dossier")  # type: ignore[return-value]


@bp.get("/dossiers/<name>.zip")
def download(name: str) -> Response:
    """A generated dossier, as a zip."""
    folder = confined(_workspace().root / DOSSIERS, name) if valid_name(name) else None
    if folder is None or not (folder / "dossier.json").is_file():
        abort(404, "Ce dossier n'existe pas dans l'espace de travail.")
    return Response(
        zip_folder(folder, name),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}.zip"'},
    )


@bp.get("/dossiers/<name>.oscal.json")
def download_oscal(name: str) -> Response:
    """A generated dossier, verified, as OSCAL assessment results (JSON)."""
    from cens_eval.service.operations import oscal_results

    folder = confined(_workspace().root / DOSSIERS, name) if valid_name(name) else None
    if folder is None or not (folder / "dossier.json").is_file():
        abort(404, "Ce dossier n'existe pas dans l'espace de travail.")
    data, _ = oscal_results(folder)
    return Response(
        data,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}.oscal.json"'},
    )


@bp.get("/questionnaire.xlsx")
def export_workbook() -> Response:
    """The saved questionnaire as the workbook the CLI writes (``questionnaire convert``)."""
    from cens_eval.render.questionnaire_xlsx import render_questionnaire_xlsx

    saved, _, _ = _saved()
    if saved is None:
        abort(404, "Aucun questionnaire enregistré à exporter.")
    data = render_questionnaire_xlsx(
        saved.profil, _referentiels(saved), _workspace().catalogue.vocabulaire, saved
    )
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="questionnaire.xlsx"'},
    )


@bp.post("/import")
def import_workbook() -> Response | tuple[str, int]:
    """Replace the saved questionnaire by a filled workbook, read as the CLI reads it."""
    ws = _workspace()
    version = request.form.get("version", "")
    upload = request.files.get("classeur")
    if upload is None or not upload.filename:
        raise forms.FormError(["Choisissez le classeur à importer (.xlsx)."])
    if not upload.filename.lower().endswith(".xlsx"):
        raise forms.FormError(
            ["Le classeur doit être au format .xlsx (enregistrez-le sous ce format)."]
        )
    ws.check_version(version)
    shown = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:100]
    data = upload.stream.read(MAX_WORKBOOK_BYTES + 1)
    ws.save(ws.read_workbook(data, shown), version)
    flash("Classeur importé : questionnaire.yaml remplacé par ses réponses.", "ici")
    return redirect("/editeur/?ici=classeur#classeur")  # type: ignore[return-value]
