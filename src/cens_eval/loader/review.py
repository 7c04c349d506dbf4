"""Load an evaluator's review (YAML, JSON or XLSX) and check it against the dossier it reviews."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cens_eval.errors import LoadError, Problem
from cens_eval.loader.document import Document
from cens_eval.loader.files import read_form
from cens_eval.loader.messages import problem_at, problems_from_validation
from cens_eval.loader.xlsx_sheet import Table, WorkbookReader, cell_text, open_workbook, reading
from cens_eval.model.dossier import Dossier
from cens_eval.model.questionnaire_sheets import sheet_title
from cens_eval.model.review import Avis, Revue
from cens_eval.model.review_sheets import (
    AVIS_BY_LABEL,
    COLUMNS,
    EVALUATEUR_COLUMNS,
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


_FIELDS = {".".join(loc): loc for loc, _, _ in EVALUATEUR_FIELDS}
_EVALUATEUR = Table(
    SHEET_EVALUATEUR,
    [(key, title) for key, title, _ in EVALUATEUR_COLUMNS],
    {"valeur"},
    "champ",
    "champ {key} déjà donné en {cell}",
)


def _avis_table(ref_id: str) -> Table:
    return Table(
        sheet_title(ref_id),
        [(key, title) for key, title, _ in COLUMNS],
        {"avis", "commentaire"},
        "id",
        "exigence {key} déjà donnée en {cell}",
    )


class _ReviewReader(WorkbookReader):
    def read(self, referentiels: list[str]) -> dict[str, Any]:
        # The evaluator's section is always there, so that a blank name is named as such.
        data: dict[str, Any] = {"evaluateur": {}, "avis": {}}
        self.cells[("evaluateur",)] = f"{SHEET_EVALUATEUR}!A1"
        for row in self.table(_EVALUATEUR) or []:
            loc = _FIELDS.get(row.key)
            if loc is None:
                self.problem(row.where("champ"), f"champ inconnu « {row.key} »")
                continue
            where = row.where("valeur")
            self.cells[loc] = where
            self.cells.setdefault(loc[:1], where)
            value = row.get("valeur")
            if loc == ("date",):
                value = self.date(where, value)
            elif loc == ("decision_finale", "opinion") and value is not None:
                value = OPINION_BY_LABEL.get(str(value).casefold(), str(value))
            else:
                value = cell_text(value)
            if value is None:
                continue
            target = data
            for part in loc[:-1]:
                target = target.setdefault(part, {})
            target[loc[-1]] = value
        for ref_id in referentiels:
            answers: dict[str, Any] = {}
            for row in self.table(_avis_table(ref_id)) or []:
                loc = ("avis", ref_id, row.key)
                self.cells[loc] = row.where("id")
                self.cells[(*loc, "avis")] = row.where("avis")
                self.cells[(*loc, "commentaire")] = row.where("commentaire")
                avis, commentaire = row.get("avis"), cell_text(row.get("commentaire"))
                entry: dict[str, Any] = {}
                if avis is not None:
                    entry["avis"] = AVIS_BY_LABEL.get(str(avis).casefold(), str(avis))
                if commentaire is not None:
                    entry["commentaire"] = commentaire
                if entry:
                    answers[row.key] = entry
            if answers:
                data["avis"][ref_id] = answers
        self.check_sheets({SHEET_EVALUATEUR, *map(sheet_title, referentiels)})
        return data
