"""A reviewed copy, sealed like the dossier: its files, its history, and their verification.

A reviewed copy holds the dossier's folder as it was, then the review part:

- ``revue.json``, ``revue.pdf``, ``revue.xlsx`` and ``revue/<the review file applied>``;
- ``revue/manifeste.json`` (format 2 on): those files and their SHA-256, the SHA-256 of the
  ``dossier.json`` reviewed, and the ``revue.json`` of the review before (``precedente``);
- ``historique/N/``: each earlier review of the same dossier, as it was (its own files and seal).

An arbitrated copy (``review arbitrate``) adds, under ``revue/``, the arbitration file applied
and each independent review in ``revue/evaluateurs/N-<nom>/``, all covered by the same seal;
its verification re-reads them and rebuilds the final review (:mod:`.arbitration`).

Reviewing a reviewed copy again keeps the earlier review in ``historique/``: nothing is
overwritten, and each review is bound to its predecessor by hash. The verification checks
every seal, then re-applies each review file to the dossier and compares the bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cens_eval.constants import REVIEW_DIR
from cens_eval.dossier.seal import sealed
from cens_eval.dossier.signatures import folder_signatures
from cens_eval.dossier.verify import (
    SharedWork,
    Verification,
    required_seal,
    seal_problems,
    verify_dossier_part,
)
from cens_eval.errors import LoadError, Problem
from cens_eval.loader.dossier import (
    REVIEW_PARTS,
    REVUE_JSON,
    carried_files,
    file_problem,
    folder_files,
    is_review_part,
    read_rendered,
    read_reviewed,
    reviewed_parts,
)
from cens_eval.loader.review import load_review
from cens_eval.model.arbitration import DossierArbitre
from cens_eval.model.dossier import Dossier, Empreinte
from cens_eval.model.review import DossierRevu, RevuePrecedente
from cens_eval.model.seal import HISTORY_DIR, REVIEW_SEAL
from cens_eval.model.signature import MANIFEST_SIGNATURE, rendered_as
from cens_eval.model.versions import REPRODUCED
from cens_eval.render import REVIEW_FILE_NAMES, Format, render
from cens_eval.review.arbitration import rebuild_arbitrated
from cens_eval.review.assess import apply_review

SEALED_FROM = 2
"""The first format whose reviews carry a seal (``revue/manifeste.json``)."""

SEALS = {REVIEW_SEAL, REVIEW_SEAL + MANIFEST_SIGNATURE}
"""A review's seal and its signature: never listed in the seal itself."""


def verify_dossier(
    directory: Path | str, shared: SharedWork | None = None, *, roots: Sequence[Any] = ()
) -> Verification:
    """Verify a dossier folder and, for a reviewed copy, its review part and history.

    Then every electronic signature it carries is checked; ``roots`` are the trusted root
    certificates (``cens_eval.signature.validate.load_roots``; default: ``shared``'s). A broken
    signature is a problem.

    Raises:
        LoadError: ``dossier.json`` cannot be read, or was made by a later version.
    """
    verification = verify_dossier_part(directory, shared)
    folder = verification.directory
    problems: list[Problem] = []
    notes: list[str] = []
    if reviewed_parts(folder):
        problems, notes = verify_review_part(folder, verification.dossier, verification.sha256)
    signatures = folder_signatures(folder, roots or (shared.roots if shared else ()))
    problems += [
        Problem(str(folder / check.file), "", check.status)
        for check in signatures
        if check.problem is not None
    ]
    return dataclasses.replace(
        verification,
        problems=[*verification.problems, *problems],
        notes=[*verification.notes, *notes],
        signatures=signatures,
    )


def verify_review_part(
    folder: Path, dossier: Dossier, dossier_sha256: str, base: str = ""
) -> tuple[list[Problem], list[str]]:
    """Problems of the review kept at ``base`` in a reviewed copy (the root: the current one).

    Raises:
        LoadError: its ``revue.json`` cannot be read, or names a review file outside ``revue/``.

    Its seal (format 2 on) or its recorded review file (format 1), its binding to the dossier
    and to the review before, then a re-application of its review file: ``revue.json``,
    ``revue.pdf`` and ``revue.xlsx`` must be reproduced byte for byte.
    """
    root = folder / base if base else folder
    recorded, raw = read_reviewed(root)  # unreadable: the folder is illisible (LoadError)
    revue = recorded.revue
    problems: list[Problem] = []
    if revue.dossier_sha256 != dossier_sha256:
        problems.append(
            Problem(str(root / REVUE_JSON), "", "revoit un autre dossier.json : fichier modifié")
        )
    if recorded.version_format >= SEALED_FROM:
        problems += _seal_of(root, dossier_sha256, revue.historique, top=not base)
    else:
        why = file_problem(root, revue.fichier.fichier, revue.fichier.sha256)
        if why:
            problems.append(Problem(str(root / revue.fichier.fichier), "", why))
    for earlier in revue.historique:
        why = file_problem(folder, earlier.fichier.fichier, earlier.fichier.sha256)
        if why:
            problems.append(Problem(str(folder / earlier.fichier.fichier), "", why))
    if problems:
        return problems, []
    for earlier in revue.historique:
        found, _ = verify_review_part(
            folder, dossier, dossier_sha256, f"{HISTORY_DIR}/{earlier.numero}"
        )
        problems += found
    if recorded.version_format not in {fmt for fmt, _ in REPRODUCED}:
        return problems, [f"{base or 'revue'} : mise en page non reproduite, empreintes vérifiées"]
    if isinstance(recorded, DossierArbitre):  # independent reviews arbitrated
        found, arbitrated = rebuild_arbitrated(root, recorded, dossier, dossier_sha256)
        if arbitrated is None:
            return [*problems, *found], []
        return [*problems, *_reproduction_problems(root, raw, arbitrated)], []
    loaded = load_review(root / revue.fichier.fichier, dossier, dossier_sha256)
    rebuilt = apply_review(
        dossier,
        loaded.revue,
        revue.fichier,
        historique=revue.historique,
        format_version=recorded.version_format,
    )
    return [*problems, *_reproduction_problems(root, raw, rebuilt)], []


def _seal_of(
    root: Path, dossier_sha256: str, historique: list[RevuePrecedente], *, top: bool
) -> list[Problem]:
    sceau, problems = required_seal(root, REVIEW_SEAL, "la revue n'est plus scellée")
    if sceau is None:
        return problems
    if sceau.dossier_sha256 != dossier_sha256:
        problems.append(Problem(str(root / REVIEW_SEAL), "", "scelle un autre dossier.json"))
    expected = historique[-1].fichier if historique else None
    if sceau.precedente != expected:
        problems.append(
            Problem(str(root / REVIEW_SEAL), "", "ne suit pas la revue précédente de l'historique")
        )
    present = {
        rel
        for rel in folder_files(root)
        if rel not in SEALS and is_review_part(rel) and not rel.startswith(f"{HISTORY_DIR}/")
    }
    if not top:  # an earlier review's folder holds only its review part
        present = {rel for rel in folder_files(root) if rel not in SEALS}
    return problems + seal_problems(root, sceau, present)


def _reproduction_problems(root: Path, raw: bytes, rebuilt: DossierRevu) -> list[Problem]:
    if render(rebuilt, Format.JSON) != raw:
        return [
            Problem(
                str(root / REVIEW_FILE_NAMES[Format.JSON]),
                "",
                "ne correspond pas à la revue réappliquée : fichier modifié",
            )
        ]
    problems = []
    for fmt in (Format.XLSX, Format.PDF):
        path = root / REVIEW_FILE_NAMES[fmt]
        try:
            data = read_rendered(path)
        except LoadError as exc:
            problems += exc.problems
            continue
        if data is not None and not rendered_as(data, render(rebuilt, fmt)):
            problems.append(
                Problem(str(path), "", "ne correspond pas à la revue réappliquée : fichier modifié")
            )
    return problems


# ---- writing a reviewed copy ---------------------------------------------------------------------


def earlier_reviews(dossier_dir: Path) -> list[RevuePrecedente]:
    """The reviews a reviewed copy already holds, oldest first (none for a dossier folder).

    The current review becomes the last of them, kept at ``historique/N/``.
    """
    if not reviewed_parts(dossier_dir):
        return []
    current, raw = read_reviewed(dossier_dir)
    numero = len(current.revue.historique) + 1
    return [
        *current.revue.historique,
        RevuePrecedente(
            numero=numero,
            evaluateur=current.revue.evaluateur.nom,
            date=current.revue.date,
            opinion_retenue=current.revue.opinion_retenue,
            fichier=Empreinte(
                fichier=f"{HISTORY_DIR}/{numero}/{REVUE_JSON}",
                sha256=hashlib.sha256(raw).hexdigest(),
            ),
        ),
    ]


def reviewed_copy(
    reviewed: DossierRevu,
    rendered: dict[str, bytes],
    dossier_dir: Path,
    review_file: tuple[Path, str],
    also: Mapping[str, str] | None = None,
) -> tuple[dict[str, bytes], dict[str, tuple[Path, str]]]:
    """What a reviewed copy holds: generated files (seal included) and copies (source, SHA-256).

    The dossier's folder is carried over as it is; a review it already holds moves to
    ``historique/N/`` with its history; the review file applied goes to ``revue/``. ``also``:
    other files of the review part the caller copies (by path: SHA-256), sealed with it.
    """
    copies: dict[str, tuple[Path, str]] = {}
    numero = len(reviewed.revue.historique)
    for rel, carried in carried_files(dossier_dir).items():
        if rel.startswith(f"{HISTORY_DIR}/") or not is_review_part(rel):
            copies[rel] = carried
        else:  # the current review of the folder becomes the last of the history
            copies[f"{HISTORY_DIR}/{numero}/{rel}"] = carried
    source, sha256 = review_file
    applied = f"{REVIEW_DIR}/{source.name}"
    copies[applied] = (source, sha256)
    precedente = reviewed.revue.historique[-1].fichier if reviewed.revue.historique else None
    files = sealed(
        rendered,
        {applied: sha256, **(also or {})},
        REVIEW_SEAL,
        dossier_sha256=reviewed.revue.dossier_sha256,
        precedente=precedente,
    )
    return files, copies


__all__ = [
    "REVIEW_PARTS",
    "earlier_reviews",
    "reviewed_copy",
    "verify_dossier",
    "verify_review_part",
]
