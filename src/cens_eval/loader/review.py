"""Load an evaluator's review (YAML, JSON or XLSX) and check it against the dossier it reviews."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cens_eval.dossier import Dossier
from cens_eval.errors import LoadError, Problem
from cens_eval.loader.document import Document
from cens_eval.loader.files import read_form
from cens_eval.loader.messages import problem_at, problems_from_validation
from cens_eval.loader.workbook import WorkbookReader, open_workbook, reading
from cens_eval.review import Avis, Revue
from cens_eval.review_layout import (
    AVIS_BY_LABEL,
    COLUMN_INDEX,
    COLUMN_LETTER,
    COLUMNS,
    EVALUATEUR_FIELDS,
    OPINION_BY_LABEL,
    SHEET_EVALUATEUR,
)


@dataclass(frozen=True)
class LoadedReview:
    """A validated review, with the exigences still waiting for an avis."""

    revue: Revue
    path: Path
    sha256: str
    sans_avis: list[str]
    warnings: list[Problem]


def load_review(path: Path | str, dossier: Dossier, dossier_sha256: str) -> LoadedReview:
    """Load a review and check it names the dossier (by hash) and only its exigences."""
    path = Path(path)
    doc, digest = read_form(path, lambda p: _read_workbook(p, dossier))
    try:
        revue = Revue.model_validate(doc.data)
    except ValidationError as exc:
        raise LoadError(problems_from_validation(doc, exc)) from None
    errors: list[Problem] = []
    if revue.dossier_sha256 != dossier_sha256:
        errors.append(
            problem_at(
                doc,
                ("dossier_sha256",),
                "cette revue porte sur un autre dossier (empreinte différente)",
            )
        )
    in_scope = {r.id: [e.id for e in r.exigences] for r in dossier.resultats}
    for ref_id, avis in revue.avis.items():
        if ref_id not in in_scope:
            errors.append(
                problem_at(doc, ("avis", ref_id), f"référentiel {ref_id} absent du dossier")
            )
            continue
        for exigence_id, given in avis.items():
            loc: tuple[str | int, ...] = ("avis", ref_id, exigence_id)
            if exigence_id not in in_scope[ref_id]:
                close = difflib.get_close_matches(exigence_id, in_scope[ref_id], n=1)
                hint = f" (voulez-vous dire {close[0]} ?)" if close else ""
                errors.append(problem_at(doc, loc, f"exigence absente du dossier{hint}"))
            elif given.avis not in (None, Avis.VALIDE) and not given.commentaire:
                errors.append(
                    problem_at(
                        doc,
                        (*loc, "commentaire"),
                        f"commentaire obligatoire pour l'avis {given.avis.value}",
                    )
                )
    if errors:
        raise LoadError(errors)
    missing = [
        f"{ref_id} {exigence_id}"
        for ref_id, ids in in_scope.items()
        for exigence_id in ids
        if (entry := revue.avis.get(ref_id, {}).get(exigence_id)) is None or entry.avis is None
    ]
    warnings = []
    if missing:
        warnings.append(
            Problem(
                str(path),
                "",
                f"{len(missing)} exigence(s) sans avis, traitée(s) comme « complément demandé » : {', '.join(missing)}",
                warning=True,
            )
        )
    return LoadedReview(revue=revue, path=path, sha256=digest, sans_avis=missing, warnings=warnings)


def _read_workbook(path: Path, dossier: Dossier) -> tuple[Document, str]:
    wb, digest = open_workbook(path)
    reader = _ReviewReader(str(path), wb)
    with reading(path, wb):
        data = reader.read([r.id for r in dossier.resultats])
    if reader.problems:
        raise LoadError(reader.problems)
    return Document(str(path), data, None, reader.cells), digest


_FIELDS = {loc for loc, _, _ in EVALUATEUR_FIELDS}


class _ReviewReader(WorkbookReader):
    def read(self, referentiels: list[str]) -> dict[str, Any]:
        data: dict[str, Any] = {"avis": {}}
        rows = self.sheet_rows(SHEET_EVALUATEUR, 3)
        for i, row in enumerate(rows or [], start=2):
            if not row or not row[0]:
                continue
            loc = tuple(str(row[0]).split("."))
            value = row[2] if len(row) > 2 else None
            if loc not in _FIELDS:
                self.problem(f"{SHEET_EVALUATEUR}!A{i}", f"champ inconnu « {row[0]} »")
                continue
            self.cells[loc] = f"{SHEET_EVALUATEUR}!C{i}"
            self.cells.setdefault(loc[:1], f"{SHEET_EVALUATEUR}!C{i}")
            if value is None:
                continue
            if loc == ("decision_finale", "opinion"):
                value = OPINION_BY_LABEL.get(str(value).casefold(), str(value))
            elif isinstance(value, dt.datetime):
                value = value.date().isoformat()
            elif isinstance(value, dt.date):
                value = value.isoformat()
            target = data
            for part in loc[:-1]:
                target = target.setdefault(part, {})
            target[loc[-1]] = value if not isinstance(value, int | float) else str(value)
        for ref_id in referentiels:
            answers: dict[str, Any] = {}
            title = ref_id[:31]
            for i, row in enumerate(self.sheet_rows(title, len(COLUMNS)) or [], start=2):
                exigence_id = row[COLUMN_INDEX["id"]] if row else None
                if not exigence_id:
                    continue
                loc = ("avis", ref_id, str(exigence_id))
                self.cells[loc] = f"{title}!A{i}"
                self.cells[(*loc, "avis")] = f"{title}!{COLUMN_LETTER['avis']}{i}"
                self.cells[(*loc, "commentaire")] = f"{title}!{COLUMN_LETTER['commentaire']}{i}"
                avis, commentaire = row[COLUMN_INDEX["avis"]], row[COLUMN_INDEX["commentaire"]]
                entry: dict[str, Any] = {}
                if avis is not None:
                    entry["avis"] = AVIS_BY_LABEL.get(str(avis).casefold(), str(avis))
                if commentaire is not None:
                    entry["commentaire"] = str(commentaire)
                if entry:
                    answers[str(exigence_id)] = entry
            if answers:
                data["avis"][ref_id] = answers
        return data
