"""Read a register of signalements and check it against the référentiels; read a dossier's extract.

A register is YAML, JSON or a workbook; the extract a dossier folder keeps is JSON.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from cens_eval.errors import LoadError, Problem
from cens_eval.loader.files import read_document, read_form
from cens_eval.loader.messages import problem_at, problems_from_validation
from cens_eval.loader.signalements_workbook import read_signalements_workbook
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.signalement import EXTRACT_FORMAT, ExtraitRegistre, Registre
from cens_eval.model.signalement_rules import check


@dataclass(frozen=True)
class LoadedRegistre:
    """A checked register, its SHA-256 and the warnings found in it (possible personal data)."""

    registre: Registre
    path: Path
    sha256: str
    warnings: list[Problem]


def load_signalements(
    path: Path | str, catalogue: Catalogue, *, today: dt.date | None = None
) -> LoadedRegistre:
    """Load a register (YAML, JSON or .xlsx); every error raises one LoadError, warnings are returned.

    Exigences are checked against ``catalogue`` (every version of each référentiel it holds).
    ``today`` (given by the caller, never read here): a date after it is a warning.
    """
    path = Path(path)
    doc, digest = read_form(path, read_signalements_workbook)
    try:
        registre = Registre.model_validate(doc.data)
    except ValidationError as exc:
        raise LoadError(problems_from_validation(doc, exc)) from None
    known: dict[str, set[str]] = {}
    for ref in catalogue.referentiels:
        known.setdefault(ref.id, set()).update(e.id for e in ref.exigences)
    ids = {ref_id: sorted(values) for ref_id, values in known.items()}
    found = [
        problem_at(doc, c.loc, c.message, warning=c.avertissement)
        for c in check(registre, ids, today=today)
    ]
    errors = [p for p in found if not p.warning]
    warnings = [p for p in found if p.warning]
    if errors:
        raise LoadError(sorted(found, key=_order))
    return LoadedRegistre(registre, path, digest, warnings)


def _order(problem: Problem) -> tuple[int, str]:
    return (int(problem.where) if problem.where.isdigit() else 0, problem.message)


def load_extract(path: Path | str) -> ExtraitRegistre:
    """Read the register extract a dossier folder keeps (``signalements/extrait.json``).

    Raises:
        LoadError: the file cannot be read, is not an extract, or is an extract of cens-eval
            0.1.0 (a copy of the register, accounts of the facts included), which this version
            no longer carries.
    """
    path = Path(path)
    doc, _ = read_document(path)
    data = doc.data
    if isinstance(data, dict) and "format" not in data and "signalements" in data:
        raise LoadError.at(
            str(path),
            "",
            "extrait au format de cens-eval 0.1.0, qui copiait le récit des faits de chaque "
            "signalement : refaire le dossier avec « evaluate --signalements » (l'extrait ne garde "
            "plus que ce que l'éditeur peut voir)",
        )
    if isinstance(data, dict) and data.get("format") != EXTRACT_FORMAT:
        raise LoadError.at(
            str(path), "", f"pas un extrait de registre : « format: {EXTRACT_FORMAT} » attendu"
        )
    try:
        return ExtraitRegistre.model_validate(data)
    except ValidationError as exc:
        raise LoadError(problems_from_validation(doc, exc)) from None
