"""Read a register of signalements (YAML, JSON or a workbook) and check it against the référentiels."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from cens_eval.errors import LoadError, Problem
from cens_eval.loader.files import read_form
from cens_eval.loader.messages import problem_at, problems_from_validation
from cens_eval.loader.signalements_workbook import read_signalements_workbook
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.signalement import Registre
from cens_eval.model.signalement_rules import check


@dataclass(frozen=True)
class LoadedRegistre:
    """A checked register, its SHA-256 and the warnings found in it (possible personal data)."""

    registre: Registre
    path: Path
    sha256: str
    warnings: list[Problem]


def load_signalements(path: Path | str, catalogue: Catalogue) -> LoadedRegistre:
    """Load a register (YAML, JSON or .xlsx); every error raises one LoadError, warnings are returned.

    Exigences are checked against ``catalogue`` (every version of each référentiel it holds).
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
        problem_at(doc, c.loc, c.message, warning=c.avertissement) for c in check(registre, ids)
    ]
    errors = [p for p in found if not p.warning]
    warnings = [p for p in found if p.warning]
    if errors:
        raise LoadError(sorted(found, key=_order))
    return LoadedRegistre(registre, path, digest, warnings)


def _order(problem: Problem) -> tuple[int, str]:
    return (int(problem.where) if problem.where.isdigit() else 0, problem.message)
