"""Load an arbitration file (YAML or JSON) and check it against the disagreements it settles."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from cens_eval.errors import LoadError, Problem
from cens_eval.loader.document import Document
from cens_eval.loader.files import read_form
from cens_eval.loader.messages import french_message, problem_at
from cens_eval.loader.review import dossier_entries
from cens_eval.model.arbitration import Arbitrage
from cens_eval.model.dossier import Dossier
from cens_eval.model.review import RESULTATS_EVALUABLES
from cens_eval.model.vocabulary import Resultat

Key = tuple[str, str]
"""An exigence by (référentiel id, exigence id)."""


@dataclass(frozen=True)
class LoadedArbitration:
    """A validated arbitration file."""

    arbitrage: Arbitrage
    path: Path
    sha256: str
    document: Document = field(repr=False, compare=False)

    def problem(
        self, loc: tuple[str | int, ...], message: str, *, warning: bool = False
    ) -> Problem:
        """A problem located at ``loc`` of the arbitration file."""
        return problem_at(self.document, loc, message, warning=warning)


def _no_workbook(path: Path) -> tuple[Document, str]:
    raise LoadError.at(str(path), "", "arbitrage attendu en YAML ou en JSON (.yaml, .json)")


def load_arbitration(
    path: Path | str,
    dossier: Dossier,
    dossier_sha256: str,
    disputes: Collection[Key],
    unsettled: Collection[Key],
) -> LoadedArbitration:
    """Load an arbitration file and check it against the dossier and its reviews' disagreements.

    Args:
        path: the arbitration file.
        dossier: the dossier the reviews name.
        dossier_sha256: the SHA-256 of its ``dossier.json``.
        disputes: the exigences the evaluators assess differently: each must be decided.
        unsettled: the exigences some review leaves without avis: the arbitre may decide
            them; those left undecided have no avis in the final review.

    Raises:
        LoadError: with every located problem of the file.
    """
    path = Path(path)
    doc, digest = read_form(path, _no_workbook)
    try:
        arbitrage = Arbitrage.model_validate(doc.data)
    except ValidationError as exc:
        raise LoadError(
            [problem_at(doc, err["loc"], french_message(err)) for err in exc.errors()]
        ) from None
    errors: list[Problem] = []
    if arbitrage.dossier_sha256 != dossier_sha256:
        errors.append(
            problem_at(doc, ("dossier_sha256",), "cet arbitrage porte sur un autre dossier")
        )
    if arbitrage.date < dossier.as_of:
        errors.append(
            problem_at(
                doc,
                ("date",),
                f"date d'arbitrage {arbitrage.date:%d/%m/%Y} antérieure à l'évaluation du "
                f"dossier ({dossier.as_of:%d/%m/%Y})",
            )
        )
    in_scope = {r.id: {e.id: e for e in r.exigences} for r in dossier.resultats}
    decided: set[Key] = set()
    entries = dossier_entries(doc, in_scope, "decisions", arbitrage.decisions, errors)
    for key, loc, exigence, decision in entries:
        decided.add(key)
        if key not in disputes and key not in unsettled:
            errors.append(
                problem_at(
                    doc,
                    loc,
                    "pas un désaccord : les évaluateurs donnent le même résultat, rien à arbitrer",
                )
            )
        allowed = {*RESULTATS_EVALUABLES, Resultat.PREUVES_MANQUANTES, exigence.resultat}
        if decision.resultat not in allowed:
            names = ", ".join(sorted(r.value for r in allowed))
            errors.append(
                problem_at(doc, (*loc, "resultat"), f"résultat arbitré attendu parmi : {names}")
            )
    missing = [f"{ref} {ex}" for ref, ex in disputes if (ref, ex) not in decided]
    if missing:
        errors.append(
            problem_at(
                doc,
                ("decisions",),
                f"{len(missing)} désaccord(s) sans décision de l'arbitre : " + ", ".join(missing),
            )
        )
    silent = [f"{ref} {ex}" for ref, ex in unsettled if (ref, ex) not in decided]
    if arbitrage.decision_finale is not None and silent:
        errors.append(
            problem_at(
                doc,
                ("decision_finale",),
                f"avis final impossible tant que {len(silent)} exigence(s) n'ont pas d'avis : "
                + ", ".join(silent),
            )
        )
    if errors:
        raise LoadError(errors)
    return LoadedArbitration(arbitrage, path, digest, doc)
