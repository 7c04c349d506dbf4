"""From loaded inputs to an evaluation and its dossier: the glue between the loader and the engine."""

from __future__ import annotations

import datetime as dt
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from cens_eval.constants import CORRESPONDANCES_FILE, QUESTIONNAIRE_DIR, REFERENTIELS_DIR
from cens_eval.dossier.build import Provenance, build_dossier
from cens_eval.dossier.seal import sealed
from cens_eval.dossier.signalements import extract, extract_bytes, with_signalements
from cens_eval.engine.evaluation import Preparation, evaluate
from cens_eval.errors import LoadError
from cens_eval.loader.calendrier import LoadedCalendrier
from cens_eval.loader.questionnaire import LoadedQuestionnaire, dated_after
from cens_eval.model.calendrier import CALENDRIER_DIR
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.dossier import Dossier, Empreinte, PieceManifeste
from cens_eval.model.results import Evaluation
from cens_eval.model.signalement import ExtraitRegistre, Registre
from cens_eval.model.versions import FORMAT_VERSION, REGLES_EN_VIGUEUR, Regles


def installed_version() -> str:
    """The installed version of cens-eval."""
    try:
        return version("cens-eval")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+inconnue"


def provenance(loaded: LoadedQuestionnaire, catalogue: Catalogue) -> Provenance:
    """File names (as laid out in a dossier folder) and hashes of every input."""
    keys = [(r.id, r.version) for r in loaded.referentiels]
    return Provenance(
        questionnaire=Empreinte(
            fichier=f"{QUESTIONNAIRE_DIR}/{loaded.path.name}", sha256=loaded.sha256
        ),
        vocabulaire_profil=Empreinte(
            fichier=f"{REFERENTIELS_DIR}/profil.yaml", sha256=catalogue.vocabulaire_sha256
        ),
        referentiels={
            key: Empreinte(
                fichier=f"{REFERENTIELS_DIR}/{catalogue.fichiers[key].name}",
                sha256=catalogue.sha256[key],
            )
            for key in keys
        },
        manifeste=[
            PieceManifeste(chemin=p.chemin, taille=p.taille, sha256=p.sha256) for p in loaded.pieces
        ],
    )


def evaluate_to_dossier(
    loaded: LoadedQuestionnaire,
    catalogue: Catalogue,
    *,
    as_of: dt.date | None = None,
    generated_at: dt.datetime | None = None,
    tool_version: str | None = None,
    preparation: Preparation | None = None,
    calendrier: LoadedCalendrier | None = None,
    signalements: tuple[Registre | ExtraitRegistre, str] | None = None,
    regles: Regles = REGLES_EN_VIGUEUR,
    format_version: int = FORMAT_VERSION,
) -> tuple[Evaluation, Dossier]:
    """Evaluate a loaded questionnaire and build its dossier (``preparation``: see :func:`evaluate`).

    ``as_of``: the evaluation date (default: today, as ``cens-eval evaluate``). ``regles`` and
    ``format_version``: those in force, unless an earlier dossier is reproduced.

    A phase-in ``calendrier`` is honoured and recorded in the dossier (file name and SHA-256).
    ``signalements`` (a register, or a dossier's extract, and the register's SHA-256): the cases
    about the solution are recorded, never scored; the dossier folder keeps their extract
    (:func:`dossier_files`).

    Raises:
        LoadError: a preuve is dated after ``as_of``.
    """
    as_of = as_of or dt.date.today()
    future = dated_after(loaded, as_of)
    if future:
        raise LoadError(future)
    evaluation = evaluate(
        loaded.questionnaire,
        loaded.referentiels,
        as_of=as_of,
        preparation=preparation,
        calendrier=calendrier.calendrier if calendrier else None,
        vocabulaire=catalogue.vocabulaire,
        regles=regles,
    )
    dossier = build_dossier(
        loaded.questionnaire,
        loaded.referentiels,
        evaluation,
        provenance(loaded, catalogue),
        tool_version=tool_version or installed_version(),
        generated_at=generated_at,
        vocabulaire=catalogue.vocabulaire,
        format_version=format_version,
    )
    if calendrier is not None:
        used = Empreinte(fichier=calendrier_file(calendrier), sha256=calendrier.sha256)
        dossier = dossier.model_copy(update={"calendrier": used})
    if signalements is not None:
        registre, registre_sha256 = signalements
        dossier = with_signalements(dossier, extract(registre, dossier), registre_sha256)
    return evaluation, dossier


def dossier_files(
    dossier: Dossier,
    rendered: dict[str, bytes],
    registre: Registre | ExtraitRegistre | None,
    inputs: dict[str, tuple[Path, str]],
) -> dict[str, bytes]:
    """The files a dossier folder holds beside its copies of ``inputs`` (:func:`dossier_inputs`).

    The renderings, the register extract, and the seal over all of them and the copies
    (``manifeste.json``, format 2 on).
    """
    files = dict(rendered)
    if registre is not None and dossier.signalements is not None:
        files[dossier.signalements.fichier.fichier] = extract_bytes(extract(registre, dossier))
    if dossier.version_format == 1:  # pragma: no cover - format 1 is only ever read
        return files
    return sealed(files, {rel: sha256 for rel, (_, sha256) in inputs.items()})


def calendrier_file(calendrier: LoadedCalendrier) -> str:
    """Where a dossier folder keeps the calendar it was evaluated with."""
    return f"{CALENDRIER_DIR}/{calendrier.path.name}"


def dossier_inputs(
    loaded: LoadedQuestionnaire, catalogue: Catalogue, calendrier: LoadedCalendrier | None = None
) -> dict[str, tuple[Path, str]]:
    """Input files a dossier folder carries, by their place in it: (source file, SHA-256)."""
    base = loaded.path.parent
    copies: dict[str, tuple[Path, str]] = {
        f"{QUESTIONNAIRE_DIR}/{loaded.path.name}": (loaded.path, loaded.sha256)
    }
    for piece in loaded.pieces:
        copies[f"{QUESTIONNAIRE_DIR}/{piece.chemin}"] = (
            base.joinpath(*piece.chemin.split("/")),
            piece.sha256,
        )
    if catalogue.vocabulaire_fichier is not None:
        copies[f"{REFERENTIELS_DIR}/profil.yaml"] = (
            catalogue.vocabulaire_fichier,
            catalogue.vocabulaire_sha256,
        )
    for ref in loaded.referentiels:
        key = (ref.id, ref.version)
        source = catalogue.fichiers[key]
        copies[f"{REFERENTIELS_DIR}/{source.name}"] = (source, catalogue.sha256[key])
    if loaded.correspondances is not None:  # what its reprises are resolved with, again
        path, sha256 = loaded.correspondances
        copies[f"{REFERENTIELS_DIR}/{CORRESPONDANCES_FILE}"] = (path, sha256)
    if calendrier is not None:
        copies[calendrier_file(calendrier)] = (calendrier.path, calendrier.sha256)
    return copies
