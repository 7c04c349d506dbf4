"""Load an evaluator's review (YAML, JSON or XLSX) and check it against the dossier it reviews."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from cens_eval.errors import LoadError, Problem
from cens_eval.loader.document import Document
from cens_eval.loader.files import read_form
from cens_eval.loader.messages import french_message, problem_at
from cens_eval.loader.xlsx_sheet import (
    Table,
    WorkbookReader,
    cell_text,
    label_key,
    open_workbook,
    reading,
)
from cens_eval.model.dossier import Dossier, ExigenceDossier
from cens_eval.model.questionnaire_sheets import SHEET_INSTRUCTIONS, sheet_title
from cens_eval.model.review import (
    RESULTATS_EVALUABLES,
    Avis,
    AvisExigence,
    Revue,
    rejected_outcome,
)
from cens_eval.model.review_sheets import (
    AVIS_BY_LABEL,
    COLUMNS,
    EVALUATEUR_COLUMNS,
    EVALUATEUR_FIELDS,
    OPINION_BY_LABEL,
    RESULTAT_BY_LABEL,
    SHEET_EVALUATEUR,
)
from cens_eval.model.vocabulary import RESULTAT_LABELS, Resultat, Statut

T = TypeVar("T")


@dataclass(frozen=True)
class LoadedReview:
    """A validated review, with the exigences still waiting for an avis."""

    revue: Revue
    path: Path
    sha256: str
    sans_avis: list[str]
    warnings: list[Problem]
    document: Document = field(repr=False, compare=False)
    """The review as read, to locate what is said about it later (file, line or cell)."""

    def problem(
        self, loc: tuple[str | int, ...], message: str, *, warning: bool = False
    ) -> Problem:
        """A problem located at ``loc`` of the review (``("avis", "teleconsultation", "ETH.08")``)."""
        return problem_at(self.document, loc, message, warning=warning)


def load_review(
    path: Path | str, dossier: Dossier, dossier_sha256: str, today: dt.date | None = None
) -> LoadedReview:
    """Load a review and check it against the dossier it names.

    The review must name the dossier by hash, carry its date — not before the dossier's
    evaluation date; after ``today`` (the caller's clock, when given) is a warning — and the
    evaluator's name, and give
    avis only on the dossier's exigences: non validé with the assessed outcome or a
    commentaire, complément demandé with a commentaire. A final opinion needs an avis on every
    exigence. Exigences left without avis are listed, as a warning.

    Raises:
        LoadError: with every located problem of the review.
    """
    path = Path(path)
    doc, digest = read_form(path, lambda p: _read_workbook(p, dossier))
    errors: list[Problem] = []
    if isinstance(doc.data, dict) and doc.data.get("date") is None:
        errors.append(problem_at(doc, ("date",), DATE_MISSING))
    try:
        revue = Revue.model_validate(doc.data)
    except ValidationError as exc:
        # A missing date is named once, by the message above.
        errors += [
            problem_at(doc, err["loc"], french_message(err))
            for err in exc.errors()
            if not (errors and err["loc"] == ("date",))
        ]
        raise LoadError(errors) from None
    if revue.dossier_sha256 != dossier_sha256:
        errors.append(
            problem_at(
                doc,
                ("dossier_sha256",),
                "cette revue porte sur un autre dossier (empreinte différente)",
            )
        )
    if revue.date < dossier.as_of:
        errors.append(
            problem_at(
                doc,
                ("date",),
                f"date de revue {revue.date:%d/%m/%Y} antérieure à l'évaluation du dossier "
                f"({dossier.as_of:%d/%m/%Y}) : une revue ne précède pas ce qu'elle revoit",
            )
        )
    in_scope = {r.id: {e.id: e for e in r.exigences} for r in dossier.resultats}
    for _, loc, exigence, given in dossier_entries(doc, in_scope, "avis", revue.avis, errors):
        errors += [
            problem_at(doc, (*loc, key), message)
            for key, message in avis_problems(given, exigence.resultat, exigence.statut_declare)
        ]
    missing = [
        f"{ref_id} {exigence_id}"
        for ref_id, exigences in in_scope.items()
        for exigence_id in exigences
        if (entry := revue.avis.get(ref_id, {}).get(exigence_id)) is None or entry.avis is None
    ]
    if revue.decision_finale is not None and missing:
        errors.append(
            problem_at(
                doc,
                ("decision_finale",),
                f"avis final impossible tant que {len(missing)} exigence(s) n'ont pas d'avis : "
                + ", ".join(missing),
            )
        )
    if errors:
        raise LoadError(errors)
    warnings = []
    if today is not None and revue.date > today:
        warnings.append(
            problem_at(
                doc,
                ("date",),
                f"date de revue {revue.date:%d/%m/%Y} postérieure à aujourd'hui "
                f"({today:%d/%m/%Y}) : à vérifier",
                warning=True,
            )
        )
    if missing:
        warnings.append(
            Problem(
                str(path),
                "",
                f"{len(missing)} exigence(s) sans avis, traitée(s) comme « complément demandé », "
                f"pas d'avis final possible : {', '.join(missing)}",
                warning=True,
            )
        )
    return LoadedReview(revue, path, digest, missing, warnings, doc)


DATE_MISSING = "date de la revue obligatoire (AAAA-MM-JJ) : elle date l'avis et sa validation"


def avis_problems(
    given: AvisExigence, declared: Resultat, statut: Statut | None
) -> list[tuple[str, str]]:
    """What is wrong with one avis, as (field, French message) pairs; empty when it holds.

    Args:
        given: the avis.
        declared: the outcome of the éditeur's declaration (the dossier's ``resultat``).
        statut: the statut the éditeur declared.
    """
    label = RESULTAT_LABELS[declared]
    if given.resultat is not None:
        if given.avis is not Avis.NON_VALIDE:
            return [
                (
                    "resultat",
                    "résultat évalué seulement avec l'avis non_valide (validé garde le résultat "
                    f"déclaré, « {label} »)",
                )
            ]
        if given.resultat not in RESULTATS_EVALUABLES:
            allowed = ", ".join(r.value for r in RESULTATS_EVALUABLES)
            return [("resultat", f"résultat évalué attendu parmi : {allowed}")]
        if given.resultat is declared:
            return [
                (
                    "resultat",
                    f"résultat évalué identique au résultat déclaré (« {label} ») : "
                    "choisir l'avis valide",
                )
            ]
        return []
    if given.avis is Avis.NON_VALIDE:
        if rejected_outcome(declared, statut) is None:
            return [
                (
                    "resultat",
                    f"résultat évalué obligatoire : le résultat déclaré est déjà « {label} », "
                    "dire lequel l'évaluateur retient",
                )
            ]
        if not given.commentaire:
            return [
                ("commentaire", "commentaire ou résultat évalué obligatoire pour l'avis non_valide")
            ]
    if given.avis is Avis.COMPLEMENT_DEMANDE and not given.commentaire:
        return [("commentaire", "commentaire obligatoire pour l'avis complement_demande")]
    return []


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
        {"avis", "resultat_evalue", "commentaire"},
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
                value = OPINION_BY_LABEL.get(label_key(value), str(value))
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
                self.cells[(*loc, "resultat")] = row.where("resultat_evalue")
                avis, commentaire = row.get("avis"), cell_text(row.get("commentaire"))
                resultat = row.get("resultat_evalue")
                entry: dict[str, Any] = {}
                if avis is not None:
                    entry["avis"] = AVIS_BY_LABEL.get(label_key(avis), str(avis))
                if resultat is not None:
                    entry["resultat"] = RESULTAT_BY_LABEL.get(label_key(resultat), str(resultat))
                if commentaire is not None:
                    entry["commentaire"] = commentaire
                if entry:
                    answers[row.key] = entry
            if answers:
                data["avis"][ref_id] = answers
        self.check_sheets({SHEET_INSTRUCTIONS, SHEET_EVALUATEUR, *map(sheet_title, referentiels)})
        return data


def dossier_entries(
    doc: Document,
    in_scope: Mapping[str, Mapping[str, ExigenceDossier]],
    top: str,
    entries: Mapping[str, Mapping[str, T]],
    errors: list[Problem],
) -> Iterator[tuple[tuple[str, str], tuple[str | int, ...], ExigenceDossier, T]]:
    """Each entry of a review or an arbitration (``top`` › référentiel › exigence), located.

    Yields its (référentiel, exigence) ids, its location and the dossier's exigence it names; an
    entry that names none is an error, located, with the closest id.
    """
    for ref_id, by_exigence in entries.items():
        if ref_id not in in_scope:
            errors.append(problem_at(doc, (top, ref_id), f"référentiel {ref_id} absent du dossier"))
            continue
        for exigence_id, entry in by_exigence.items():
            loc: tuple[str | int, ...] = (top, ref_id, exigence_id)
            exigence = in_scope[ref_id].get(exigence_id)
            if exigence is None:
                close = difflib.get_close_matches(exigence_id, list(in_scope[ref_id]), n=1)
                hint = f" (voulez-vous dire {close[0]} ?)" if close else ""
                errors.append(problem_at(doc, loc, f"exigence absente du dossier{hint}"))
                continue
            yield (ref_id, exigence_id), loc, exigence, entry
