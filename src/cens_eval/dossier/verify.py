"""Verify a dossier folder: every recorded hash, then a re-evaluation that must give the same bytes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from cens_eval.constants import QUESTIONNAIRE_DIR, REFERENTIELS_DIR
from cens_eval.dossier.pipeline import evaluate_to_dossier, installed_version
from cens_eval.engine.evaluation import Preparation
from cens_eval.errors import LoadError, Problem
from cens_eval.loader.calendrier import load_calendrier
from cens_eval.loader.dossier import (
    DOSSIER_JSON,
    file_problem,
    folder_files,
    is_review_part,
    read_dossier,
    read_rendered,
    read_seal,
)
from cens_eval.loader.questionnaire import load_questionnaire
from cens_eval.loader.referentiels import folder_fingerprint, load_catalogue
from cens_eval.loader.signalements import load_extract
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.dossier import Dossier, ResultatDossier
from cens_eval.model.seal import DOSSIER_SEAL, Sceau
from cens_eval.model.signature import MANIFEST_SIGNATURE, SignatureCheck, rendered_as
from cens_eval.model.versions import (
    FORMAT_VERSION,
    FORMATS_READ,
    REGLES,
    REGLES_EN_VIGUEUR,
    REPRODUCED,
    RULES_VERSION,
    Regles,
)
from cens_eval.model.vocabulary import NIVEAU_LABELS, RESULTAT_LABELS, VERDICT_LABELS
from cens_eval.render import FILE_NAMES, Format, render


@dataclass(frozen=True)
class Verification:
    """Result of verifying one dossier folder."""

    directory: Path
    problems: list[Problem] = field(default_factory=list)
    dossier: Dossier = field(kw_only=True)
    """The record read from ``dossier.json`` (to be trusted only when :attr:`intact`)."""
    sha256: str = field(kw_only=True)
    """SHA-256 of ``dossier.json``: the dossier's identity, the one a review names."""
    reproduced: bool = field(default=True, kw_only=True)
    """Whether its files were reproduced byte for byte (else: seal, hashes and outcomes)."""
    notes: list[str] = field(default_factory=list, kw_only=True)
    """What the evaluator should know besides integrity: the dossier was made by an earlier
    version (and how to reproduce it exactly), and each outcome today's rules would move."""
    signatures: list[SignatureCheck] = field(default_factory=list, kw_only=True)
    """The electronic signatures of the folder, each checked (none: an unsigned folder); a
    broken one is also among :attr:`problems`."""

    @property
    def intact(self) -> bool:
        """True when nothing was changed and the re-evaluation gives the same dossier."""
        return not self.problems


RENDERED = (Format.XLSX, Format.PDF)
"""Files rendered from ``dossier.json`` that a dossier folder may carry: each must be re-rendered
byte for byte (both renderers date their output from the dossier, so equal dossiers give equal bytes)."""


def verify_dossier_part(directory: Path | str, shared: SharedWork | None = None) -> Verification:
    """Check a dossier folder (and its review, if it is a reviewed copy) against its own records.

    Every recorded file (questionnaire, profil vocabulary, référentiels, evidence) must have
    its recorded SHA-256, and every file of the folder's seal (``manifeste.json``, format 2 on)
    its own. Then the questionnaire is evaluated again against the dossier's own copies of the
    référentiels, at the recorded date, under the rules version the dossier records, and must
    give ``dossier.json`` byte for byte, and ``dossier.xlsx`` and ``dossier.pdf`` when present —
    when this version reproduces that format and rules version (:data:`REPRODUCED`); otherwise
    the outcomes, scores and verdicts must be the recorded ones. A dossier made under earlier
    rules is also evaluated under today's, and each outcome or verdict they move is a note.
    This is the dossier part of a folder; :func:`cens_eval.review.seal.verify_dossier` adds a
    reviewed copy's review part.
    ``shared`` carries what earlier verifications loaded and prepared (a batch passes one).

    Raises:
        LoadError: the dossier cannot be read at all (missing or malformed ``dossier.json``), or
            was made by a later version of cens-eval (a format or rules version unknown here).
    """
    folder = Path(directory)
    recorded, raw = read_dossier(folder)
    _check_known(folder, recorded)
    shared = shared or SharedWork()
    problems = _recorded_input_problems(folder, recorded)
    if recorded.version_format >= SEALED_FROM:
        problems += _seal_problems(folder)
    notes = [] if _current(recorded) else [version_note(recorded)]
    if not problems:
        found, more = _reevaluation(folder, recorded, raw, shared)
        problems += found
        notes += more
    return Verification(
        folder,
        problems,
        dossier=recorded,
        sha256=hashlib.sha256(raw).hexdigest(),
        reproduced=(recorded.version_format, recorded.version_regles) in REPRODUCED,
        notes=notes,
    )


SEALED_FROM = 2
"""The first format whose folders carry a seal (``manifeste.json``)."""


def _check_known(folder: Path, recorded: Dossier) -> None:
    if recorded.version_format not in FORMATS_READ or recorded.version_regles not in REGLES:
        raise LoadError.at(
            str(folder / DOSSIER_JSON),
            "",
            f"produit par cens-eval {recorded.outil.version} (format {recorded.version_format}, "
            f"règles v{recorded.version_regles}), plus récent que cette version "
            f"({installed_version()}, format {FORMAT_VERSION}, règles v{RULES_VERSION}) : "
            "mettre cens-eval à jour pour le vérifier",
        )


def _current(recorded: Dossier) -> bool:
    return (recorded.version_format, recorded.version_regles) == (FORMAT_VERSION, RULES_VERSION)


def version_note(recorded: Dossier) -> str:
    """The one line saying a dossier was made by another version, and how to reproduce it."""
    return (
        f"produit par cens-eval {recorded.outil.version} (format {recorded.version_format}, "
        f"règles v{recorded.version_regles}) ; vérifié avec cens-eval {installed_version()} "
        f"(format {FORMAT_VERSION}, règles v{RULES_VERSION}) ; pour le reproduire à "
        f"l'identique : pip install cens-eval=={recorded.outil.version}"
    )


def _recorded_input_problems(folder: Path, recorded: Dossier) -> list[Problem]:
    """Each input file the dossier records, with its recorded SHA-256 (and size, for evidence)."""
    problems: list[Problem] = []

    def check(rel: str, sha256: str, size: int | None = None) -> None:
        why = file_problem(folder, rel, sha256, size)
        if why:
            problems.append(Problem(str(folder / rel), "", why))

    check(recorded.questionnaire.fichier, recorded.questionnaire.sha256)
    check(recorded.vocabulaire_profil.fichier, recorded.vocabulaire_profil.sha256)
    for ref in recorded.referentiels:
        check(ref.fichier, ref.sha256)
    if recorded.calendrier is not None:
        check(recorded.calendrier.fichier, recorded.calendrier.sha256)
    if recorded.signalements is not None:
        check(recorded.signalements.fichier.fichier, recorded.signalements.fichier.sha256)
    for piece in recorded.manifeste:
        check(f"{QUESTIONNAIRE_DIR}/{piece.chemin}", piece.sha256, piece.taille)
    return problems


def _seal_problems(folder: Path) -> list[Problem]:
    """The dossier part's seal: every file it lists unchanged, and no file added beside them."""
    sceau, problems = required_seal(folder, DOSSIER_SEAL, "le dossier n'est plus scellé")
    if sceau is None:
        return problems
    return seal_problems(folder, sceau, dossier_files_of(folder))


def required_seal(folder: Path, rel: str, unsealed: str) -> tuple[Sceau | None, list[Problem]]:
    """The seal at ``rel``, or why there is none to check (unreadable, or absent: ``unsealed``)."""
    try:
        sceau = read_seal(folder, rel)
    except LoadError as exc:
        return None, exc.problems
    if sceau is None:
        return None, [Problem(str(folder / rel), "", f"absent : {unsealed}")]
    return sceau, []


def seal_problems(folder: Path, sceau: Sceau, present: set[str]) -> list[Problem]:
    """Files of ``sceau`` changed or missing in ``folder``, and files of ``present`` it does not list."""
    problems = []
    for entry in sceau.fichiers:
        why = file_problem(folder, entry.fichier, entry.sha256)
        if why:
            problems.append(Problem(str(folder / entry.fichier), "", why))
    listed = {entry.fichier for entry in sceau.fichiers}
    for rel in sorted(present - listed):
        problems.append(
            Problem(
                str(folder / rel), "", "fichier ajouté après la production : absent du manifeste"
            )
        )
    return problems


def dossier_files_of(folder: Path) -> set[str]:
    """The dossier part's files in a folder (the review part, seals and hidden files left out)."""
    seals = {DOSSIER_SEAL, DOSSIER_SEAL + MANIFEST_SIGNATURE}
    return {rel for rel in folder_files(folder) if rel not in seals and not is_review_part(rel)}


def _reevaluation(
    folder: Path, recorded: Dossier, raw: bytes, shared: SharedWork
) -> tuple[list[Problem], list[str]]:
    """Evaluate the dossier's own inputs again, under its rules: its files must follow.

    Returns the problems and the notes (what this version could not reproduce, and the
    outcomes that today's rules move).
    """
    catalogue = shared.catalogue(folder / REFERENTIELS_DIR)
    loaded = load_questionnaire(folder / recorded.questionnaire.fichier, catalogue)
    calendrier = None
    if recorded.calendrier is not None:  # the same calendar as the evaluation, from the folder
        calendrier = load_calendrier(folder / recorded.calendrier.fichier, loaded.referentiels)
    signalements = None
    if recorded.signalements is not None:  # the extract the dossier was made with
        extract = load_extract(folder / recorded.signalements.fichier.fichier)
        signalements = (extract, recorded.signalements.registre_sha256)

    def rebuild(regles: Regles) -> Dossier:
        return evaluate_to_dossier(
            loaded,
            catalogue,
            as_of=recorded.as_of,
            generated_at=recorded.genere_le,
            tool_version=recorded.outil.version,
            preparation=shared.preparation,
            calendrier=calendrier,
            signalements=signalements,
            regles=regles,
            format_version=recorded.version_format,
        )[1]

    rebuilt = rebuild(REGLES[recorded.version_regles])
    notes = []
    if (recorded.version_format, recorded.version_regles) in REPRODUCED:
        problems = _reproduction_problems(folder, raw, rebuilt)
    else:
        problems = [
            Problem(str(folder / DOSSIER_JSON), "", f"{why} : fichier modifié")
            for why in outcome_changes(recorded, rebuilt)
        ]
        notes.append(
            "textes et mise en page non reproduits par cette version : empreintes, résultats, "
            "scores et verdicts vérifiés"
        )
    if not problems and recorded.version_regles != RULES_VERSION:
        moved = outcome_changes(rebuilt, rebuild(REGLES_EN_VIGUEUR))
        notes += [f"règles v{RULES_VERSION} : {why}" for why in moved] or [
            f"règles v{RULES_VERSION} : aucun résultat ni verdict ne change"
        ]
    return problems, notes


def _reproduction_problems(folder: Path, raw: bytes, rebuilt: Dossier) -> list[Problem]:
    """``dossier.json`` and each rendered file must be the rebuilt dossier's bytes."""
    rebuilt_json = render(rebuilt, Format.JSON)
    if rebuilt_json != raw:
        return [Problem(str(folder / DOSSIER_JSON), "", _difference(raw, rebuilt_json))]
    problems = []
    for fmt in RENDERED:
        path = folder / FILE_NAMES[fmt]
        why = _rendered_problem(path, rebuilt, fmt)
        if why:
            problems.append(Problem(str(path), "", why))
    return problems


def outcome_changes(before: Dossier, after: Dossier) -> list[str]:
    """Each verdict and exigence outcome that differs between two dossiers, in words."""
    changes = []
    old = {r.id: r for r in before.resultats}
    new = {r.id: r for r in after.resultats}
    for ref_id in sorted(old.keys() | new.keys()):
        a, b = old.get(ref_id), new.get(ref_id)
        if a is None or b is None:
            changes.append(f"{ref_id} : " + ("évalué" if a is None else "n'est plus évalué"))
            continue
        if a.verdict is not b.verdict:
            changes.append(
                f"{ref_id} : verdict {VERDICT_LABELS[a.verdict]} → {VERDICT_LABELS[b.verdict]}"
            )
        outcomes_a, outcomes_b = _outcomes(a), _outcomes(b)
        for exigence in [e for e in outcomes_a | outcomes_b]:
            if outcomes_a.get(exigence) != outcomes_b.get(exigence):
                changes.append(
                    f"{ref_id} {exigence} : {outcomes_a.get(exigence, _OUT)} → "
                    f"{outcomes_b.get(exigence, _OUT)}"
                )
        for x, y in zip(a.scores, b.scores, strict=True):
            if x.score != y.score:
                changes.append(f"{ref_id} : score {x.libelle} {_pct(x.score)} → {_pct(y.score)}")
    return changes


_OUT = "hors périmètre"


def _pct(score: Decimal | None) -> str:
    return "—" if score is None else f"{score} %".replace(".", ",")


def _outcomes(result: ResultatDossier) -> dict[str, str]:
    found = {
        e.id: f"{RESULTAT_LABELS[e.resultat].lower()} ({NIVEAU_LABELS[e.niveau_effectif].lower()})"
        for e in result.exigences
    }
    return dict(sorted(found.items()))


def _rendered_problem(path: Path, rebuilt: Dossier, fmt: Format) -> str | None:
    """Why a rendered file of the dossier differs from its re-rendering; None when equal or absent."""
    try:
        data = read_rendered(path)
    except LoadError as exc:
        return "; ".join(p.message for p in exc.problems)
    if data is not None and not rendered_as(data, render(rebuilt, fmt)):
        return "ne correspond pas au dossier réévalué : fichier modifié"
    return None


def _difference(recorded: bytes, rebuilt: bytes) -> str:
    try:
        old, new = json.loads(recorded), json.loads(rebuilt)
    except ValueError:
        return "contenu différent de la réévaluation"
    keys = [k for k in new if old.get(k) != new.get(k)] + [k for k in old if k not in new]
    if not keys:
        return "mise en forme différente de celle produite par cens-eval : fichier modifié"
    return f"contenu différent de la réévaluation (sections : {', '.join(keys)}) : fichier modifié"


class SharedWork:
    """Work that dossiers verified one after the other can share, owned by the caller.

    A batch verifies many dossiers made against the same référentiels: their folders are loaded
    once per content (not once per dossier), and the engine's périmètres are kept across them.
    Bounded: at most ``taille`` référentiel folders are kept.
    """

    def __init__(self, taille: int = 16, roots: Sequence[Any] = ()) -> None:
        self._taille = taille
        self.roots = tuple(roots)
        """The trusted root certificates the folders' signatures are checked against."""
        self._catalogues: dict[tuple[tuple[str, str], ...], Catalogue] = {}
        self.preparation = Preparation()

    def catalogue(self, folder: Path) -> Catalogue:
        """The référentiels of a dossier folder; byte-identical copies share one load."""
        key = folder_fingerprint(folder)
        if key is None:
            return load_catalogue(folder)  # refused with its located message; nothing to share
        cached = self._catalogues.get(key)
        if cached is None:
            if len(self._catalogues) >= self._taille:
                self._catalogues.clear()
            cached = self._catalogues[key] = load_catalogue(folder)
        return cached
