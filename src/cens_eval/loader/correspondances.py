"""Load a correspondence file between référentiels and check it against the catalogue."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from cens_eval.errors import LoadError, Problem
from cens_eval.loader.document import Document
from cens_eval.loader.files import read_document
from cens_eval.loader.messages import problem_at, problems_from_validation
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.correspondances import (
    CorrespondancesReferentiels,
    ExigenceVisee,
    link_problems,
)
from cens_eval.model.referentiel import Referentiel


@dataclass(frozen=True)
class LoadedCorrespondances:
    """A checked correspondence file, its path and the SHA-256 of its bytes."""

    correspondances: CorrespondancesReferentiels
    path: Path
    sha256: str


def load_correspondances(
    path: Path | str, catalogue: Catalogue, seulement: set[str] | None = None
) -> LoadedCorrespondances:
    """Load a correspondence file and check every link against the référentiels of a catalogue.

    Checked: each référentiel version of the header is in the catalogue, once; each link names
    référentiels of the header and exigences they have; no link repeats another or links a
    référentiel to itself; no chain of links contradicts a link (see
    :func:`~cens_eval.model.correspondances.link_problems`).

    ``seulement``: the référentiels to check against the catalogue (a dossier folder holds
    only those it answers); links between others are read, not checked.

    Raises:
        LoadError: with every located problem of the file.
    """
    path = Path(path)
    doc, digest = read_document(path)
    try:
        corr = CorrespondancesReferentiels.model_validate(doc.data)
    except ValidationError as exc:
        raise LoadError(problems_from_validation(doc, exc)) from None
    problems: list[Problem] = []
    refs: dict[str, Referentiel] = {}
    for i, block in enumerate(corr.referentiels):
        where = ("referentiels", i, "id")
        if any(r.id == block.id for r in corr.referentiels[:i]):
            problems.append(problem_at(doc, where, f"référentiel {block.id} déjà listé"))
            continue
        if seulement is not None and block.id not in seulement:
            continue
        ref = catalogue.get(block.id, block.version)
        if ref is None:
            versions = catalogue.versions(block.id)
            known = (
                f"versions disponibles : {', '.join(versions)}"
                if versions
                else f"disponibles : {', '.join(catalogue.ids())}"
            )
            problems.append(
                problem_at(
                    doc, where, f"référentiel {block.id} {block.version} introuvable ({known})"
                )
            )
            continue
        refs[block.id] = ref
    listed = {r.id for r in corr.referentiels}
    for i, lien in enumerate(corr.liens):
        for key, visee in (("exigence", lien.exigence), ("comparee_a", lien.comparee_a)):
            problem = _unknown(doc, ("liens", i, key), visee, refs, listed)
            if problem is not None:
                problems.append(problem)
    if not problems:
        for loc, message, others in link_problems(corr):
            lines = [doc.where(("liens", k)) for k in others]
            suffix = f" (lignes {', '.join(lines)})" if len(lines) > 1 else ""
            suffix = f" (ligne {lines[0]})" if len(lines) == 1 else suffix
            problems.append(problem_at(doc, loc, message + suffix))
    if problems:
        raise LoadError(problems)
    return LoadedCorrespondances(corr, path, digest)


def _unknown(
    doc: Document,
    loc: tuple[str | int, ...],
    visee: ExigenceVisee,
    refs: dict[str, Referentiel],
    listed: set[str],
) -> Problem | None:
    """Why a link's end is unknown: a référentiel the header lacks, or an exigence it lacks."""
    if visee.referentiel not in listed:
        return problem_at(
            doc,
            (*loc, "referentiel"),
            f"référentiel {visee.referentiel} absent de l'en-tête (referentiels : "
            f"{', '.join(sorted(listed))})",
        )
    ref = refs.get(visee.referentiel)
    if ref is None or ref.exigence(visee.exigence) is not None:
        return None  # an unknown version is reported at the header
    close = difflib.get_close_matches(visee.exigence, [e.id for e in ref.exigences], n=1)
    hint = f" (voulez-vous dire {close[0]} ?)" if close else ""
    return problem_at(
        doc,
        (*loc, "exigence"),
        f"exigence {visee.exigence} inconnue dans {ref.id} {ref.version}{hint}",
    )
