"""Load an éditeur's questionnaire (YAML, JSON or XLSX) and check it against the référentiels."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from cens_eval.errors import LoadError, Problem
from cens_eval.loader.document import Document
from cens_eval.loader.evidence import PieceJointe, check_evidence_path, hash_file
from cens_eval.loader.files import read_form
from cens_eval.loader.messages import problem_at, problems_from_validation
from cens_eval.loader.reprises import resolve_reprises
from cens_eval.model.applicability import referentiel_applies, scope
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.condition import leaves
from cens_eval.model.duree import duree_texte
from cens_eval.model.questionnaire import PreuveFournie, Questionnaire
from cens_eval.model.referentiel import Exigence, Referentiel
from cens_eval.model.vocabulary import STATUT_LABELS, Portee, Statut, TypePreuve

NEEDS_JUSTIFICATION = frozenset(
    {Statut.NON_APPLICABLE, Statut.NON_CONFORME, Statut.PARTIELLEMENT_CONFORME}
)


@dataclass(frozen=True)
class LoadedQuestionnaire:
    """A validated questionnaire with what the loader learnt around it."""

    questionnaire: Questionnaire
    """The answers as they can be evaluated: a preuve whose file is not there (not yet in its
    folder, an attestation without its signed file) is left out — not given, hence missing; an
    answer taken from another exigence (``reprise``) is that exigence's, resolved now."""
    as_written: Questionnaire
    """The answers exactly as written (to convert, migrate or show them back)."""
    path: Path
    sha256: str
    referentiels: list[Referentiel]
    pieces: list[PieceJointe]
    warnings: list[Problem]
    gaps: list[Problem]
    """Answers not ready for submission (a missing justification, an evidence file not yet in
    its folder, an attestation without its signed file): evaluated, and listed as points."""
    document: Document
    correspondances: tuple[Path, str] | None = None
    """The correspondence file its reprises were resolved with (path, SHA-256), if any."""
    unnamed: tuple[tuple[str, str], ...] = ()
    """Identity fields left empty (see :data:`IDENTITY`), read as ``?``: only when loaded with
    ``identity_as_gaps``."""

    def written_back(self) -> Questionnaire:
        """The answers as written, to write back (convert, migrate): identity left empty stays so.

        An unvalidated copy whose empty identity fields are None: for the writers only, never
        to evaluate.
        """
        q = self.as_written
        for section, field in self.unnamed:
            part = getattr(q, section).model_copy(update={field: None})
            q = q.model_copy(update={section: part})
        return q

    def where(self, loc: tuple[str | int, ...]) -> str:
        """Line or cell of a location in the questionnaire file."""
        return self.document.where(loc)


IDENTITY: dict[tuple[str, str], str] = {
    ("editeur", "nom"): "nom de l'éditeur",
    ("solution", "nom"): "nom de la solution",
    ("solution", "version"): "version de la solution",
}
"""The identity fields a questionnaire must give before it is evaluated, with their names."""

_UNNAMED = "?"
"""What an identity field still to give reads as when it is a gap (never evaluated to a dossier)."""


def load_questionnaire(
    path: Path | str, catalogue: Catalogue, *, identity_as_gaps: bool = False
) -> LoadedQuestionnaire:
    """Load and check a questionnaire; every problem raises one LoadError, warnings are returned.

    *Invalid* (one LoadError, nothing evaluated): what cannot be read as written — syntax,
    types, unknown ids, a preuve of the wrong form, an evidence path leaving its folder, a
    profil question a condition needs left unanswered. *Not ready* (returned as ``gaps``, and
    evaluated): what the éditeur has still to provide — a missing justification, an evidence
    file not yet in its folder, an attestation without its signed file. Such a preuve is left out
    of :attr:`LoadedQuestionnaire.questionnaire`: it counts as not given.

    An identity field left empty (:data:`IDENTITY`) is invalid, unless ``identity_as_gaps``
    (the pre-submission check): then it is one more gap, and reads as ``?`` in both
    questionnaires returned, which are to be checked, never evaluated to a dossier.
    """
    path = Path(path)

    def read_workbook(workbook: Path) -> tuple[Document, str]:
        from cens_eval.loader.workbook import read_questionnaire_workbook

        return read_questionnaire_workbook(workbook, catalogue)

    doc, digest = read_form(path, read_workbook)
    data = _profil_read(doc.data, catalogue)
    identity: list[Problem] = []
    unnamed: tuple[tuple[str, str], ...] = ()
    if identity_as_gaps:
        data, identity, unnamed = _identity_gaps(doc, data)
    try:
        questionnaire = Questionnaire.model_validate(data)
    except ValidationError as exc:
        raise LoadError(problems_from_validation(doc, exc)) from None
    checker = _Checker(doc, questionnaire, catalogue, path.parent)
    checker.run()
    if checker.errors:
        raise LoadError(checker.errors + checker.warnings)
    resolution = resolve_reprises(
        doc, _without(questionnaire, checker.absent), checker.referentiels, catalogue
    )
    if resolution.errors:
        raise LoadError(resolution.errors + checker.warnings)
    return LoadedQuestionnaire(
        questionnaire=resolution.questionnaire,
        as_written=questionnaire,
        path=path,
        sha256=digest,
        referentiels=checker.referentiels,
        pieces=sorted(checker.pieces.values()),
        warnings=checker.warnings,
        gaps=identity + checker.gaps + resolution.gaps,
        document=doc,
        correspondances=resolution.correspondances,
        unnamed=unnamed,
    )


def _profil_read(data: object, catalogue: Catalogue) -> object:
    """The data with the profil's ``oui`` / ``non`` read as booleans (see ``VocabulaireProfil.read``)."""
    if not isinstance(data, dict) or not isinstance(data.get("profil"), dict):
        return data
    vocabulaire = catalogue.vocabulaire
    profil = {k: vocabulaire.read(str(k), v) for k, v in data["profil"].items()}
    return {**data, "profil": profil}


def _identity_gaps(
    doc: Document, data: object
) -> tuple[object, list[Problem], tuple[tuple[str, str], ...]]:
    """The data with each identity field left empty read as ``?``; a gap and the field, each."""
    if not isinstance(data, dict):
        return data, [], ()
    sections = {name: data.get(name, {}) for name, _ in IDENTITY}
    gaps, unnamed = [], []
    for (section, field), name in IDENTITY.items():
        values = sections[section]
        if not isinstance(values, dict):
            continue  # not a mapping: refused as written
        value = values.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            loc = (section, field) if section in data else (section,)
            gaps.append(problem_at(doc, loc, f"{name} à renseigner"))
            sections[section] = {**values, field: _UNNAMED}
            unnamed.append((section, field))
    return {**data, **sections}, gaps, tuple(unnamed)


class _Checker:
    """Cross-document checks of one questionnaire; collects every problem."""

    def __init__(self, doc: Document, q: Questionnaire, catalogue: Catalogue, base: Path) -> None:
        self.doc, self.q, self.catalogue, self.base = doc, q, catalogue, base
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.gaps: list[Problem] = []
        self.referentiels: list[Referentiel] = []
        self.pieces: dict[str, PieceJointe] = {}
        self.absent: set[tuple[str, str, int]] = set()
        """Preuves whose file is not there: (référentiel, exigence, position)."""

    def error(self, loc: tuple[str | int, ...], message: str) -> None:
        self.errors.append(problem_at(self.doc, loc, message))

    def gap(self, loc: tuple[str | int, ...], message: str) -> None:
        self.gaps.append(problem_at(self.doc, loc, message))

    def statut(self, statut: Statut) -> str:
        """A statut as the éditeur wrote it: the dropdown's label in a workbook, else the code."""
        return f"« {STATUT_LABELS[statut]} »" if self.doc.cells is not None else statut.value

    def warn(self, loc: tuple[str | int, ...], message: str) -> None:
        self.warnings.append(problem_at(self.doc, loc, message, warning=True))

    def run(self) -> None:
        self._referentiels()
        self._profil()
        for ref_id, answers in self.q.reponses.items():
            ref = next((r for r in self.referentiels if r.id == ref_id), None)
            if ref is None:
                if ref_id not in {r.id for r in self.q.referentiels}:
                    message = f"référentiel {ref_id} absent de la liste « referentiels »"
                    self.error(("reponses", ref_id), message)
                continue  # a listed référentiel that did not resolve is reported once, above
            if not referentiel_applies(ref, self.q.profil):
                self.warn(
                    ("reponses", ref_id),
                    f"le référentiel {ref_id} ne s'applique pas à ce profil : réponses ignorées",
                )
            for exigence_id in answers:
                self._answer(ref, exigence_id)

    def _referentiels(self) -> None:
        seen: set[str] = set()
        for i, wanted in enumerate(self.q.referentiels):
            if wanted.id in seen:
                self.error(("referentiels", i, "id"), f"référentiel {wanted.id} cité deux fois")
                continue
            seen.add(wanted.id)
            ref = self.catalogue.get(wanted.id, wanted.version)
            if ref is not None:
                self.referentiels.append(ref)
                continue
            versions = self.catalogue.versions(wanted.id)
            if versions:
                self.error(
                    ("referentiels", i, "version"),
                    f"version {wanted.version} du référentiel {wanted.id} inconnue (disponible : {', '.join(versions)})",
                )
            else:
                known = ", ".join(self.catalogue.ids())
                self.error(
                    ("referentiels", i, "id"),
                    f"référentiel inconnu : {wanted.id} (disponibles : {known})",
                )

    def _profil(self) -> None:
        for question_id, value in self.q.profil.items():
            refusal = self.catalogue.vocabulaire.refusal(question_id, value)
            if refusal:
                self.error(("profil", question_id), refusal)
        needed: set[str] = set()
        for ref in self.referentiels:
            conditions = [ref.applicable_si]
            if ref.applicable_si is None or (
                not set(q for _, q, _ in leaves(ref.applicable_si)) - set(self.q.profil)
                and referentiel_applies(ref, self.q.profil)
            ):
                conditions += [e.applicable_si for e in ref.exigences]
            for condition in conditions:
                if condition is not None:
                    needed.update(q for _, q, _ in leaves(condition))
        for question_id in sorted(needed - set(self.q.profil)):
            self.error(("profil",), f"question de profil sans réponse : {question_id}")

    def _answer(self, ref: Referentiel, exigence_id: str) -> None:
        loc: tuple[str | int, ...] = ("reponses", ref.id, exigence_id)
        exigence = ref.exigence(exigence_id)
        if exigence is None:
            close = difflib.get_close_matches(exigence_id, [e.id for e in ref.exigences], n=1)
            hint = f" (voulez-vous dire {close[0]} ?)" if close else ""
            self.error(loc, f"exigence inconnue dans {ref.id} {ref.version}{hint}")
            return
        reponse = self.q.reponses[ref.id][exigence_id]
        if scope(exigence, self.q.profil) is Portee.HORS_PERIMETRE:
            self.warn(loc, "exigence hors périmètre pour ce profil : réponse ignorée")
        if reponse.statut in NEEDS_JUSTIFICATION and not reponse.justification:
            message = f"justification obligatoire pour le statut {self.statut(reponse.statut)}"
            self.gap((*loc, "justification"), message)
        for i, preuve in enumerate(reponse.preuves):
            self._preuve(exigence, preuve, (*loc, "preuves", i))

    def _preuve(
        self, exigence: Exigence, preuve: PreuveFournie, loc: tuple[str | int, ...]
    ) -> None:
        attendue = exigence.preuve(preuve.attendue)
        if attendue is None:
            ids = [p.id for p in exigence.preuves]
            if exigence.non_applicable:
                ids += [p.id for p in exigence.non_applicable.preuves]
            self.error(
                (*loc, "attendue"),
                f"preuve attendue inconnue « {preuve.attendue} » (attendues : {', '.join(ids)})",
            )
            return
        age = exigence.age_max_de(preuve.attendue)
        if age is not None and preuve.datee_du is None:
            self.gap(
                loc,
                f"preuve non datée : le référentiel fixe son âge maximal à {duree_texte(age)} "
                f"({age}) ; indiquer sa date (« date ») ou la période couverte (« periode »)",
            )
        form_problem = _form_problem(attendue.type, preuve)
        if form_problem == _SIGNED_FILE:  # a file still to provide: readiness, not validity
            self.gap(loc, form_problem)
            self.absent.add((str(loc[1]), str(loc[2]), int(loc[4])))
        elif form_problem:
            self.error(loc, form_problem)
        if preuve.fichier is not None:
            refused = check_evidence_path(self.base, preuve.fichier)
            if refused and refused.startswith(_NOT_FOUND):  # still to put in its folder
                self.gap((*loc, "fichier"), refused)
                self.absent.add((str(loc[1]), str(loc[2]), int(loc[4])))
            elif refused:
                self.error((*loc, "fichier"), refused)
            elif preuve.fichier not in self.pieces:  # in its normal form: one file, read once
                piece = hash_file(self.base, preuve.fichier)
                self.pieces[piece.chemin] = piece


def dated_after(loaded: LoadedQuestionnaire, as_of: dt.date) -> list[Problem]:
    """The preuves dated after the evaluation date (their ``date``, or a period not yet begun).

    Such a preuve cannot have been produced yet: the evaluation refuses it (one problem each,
    at its place in the questionnaire).
    """
    problems = []
    for ref_id, answers in loaded.as_written.reponses.items():
        for exigence_id, reponse in answers.items():
            for i, preuve in enumerate(reponse.preuves):
                loc: tuple[str | int, ...] = ("reponses", ref_id, exigence_id, "preuves", i)
                if preuve.date is not None and preuve.date > as_of:
                    what, day, loc = "datée du", preuve.date, (*loc, "date")
                elif preuve.periode is not None and preuve.periode.debut > as_of:
                    what, day, loc = (
                        "couvrant une période commençant le",
                        preuve.periode.debut,
                        (
                            *loc,
                            "periode",
                        ),
                    )
                else:
                    continue
                problems.append(
                    problem_at(
                        loaded.document,
                        loc,
                        f"preuve {preuve.attendue} {what} {day:%d/%m/%Y}, après la date "
                        f"d'évaluation ({as_of:%d/%m/%Y}) : refusée",
                    )
                )
    return problems


def _without(q: Questionnaire, absent: set[tuple[str, str, int]]) -> Questionnaire:
    """The questionnaire without the preuves whose file is not there."""
    if not absent:
        return q
    reponses = {
        ref: {
            exigence: reponse.model_copy(
                update={
                    "preuves": [
                        p for i, p in enumerate(reponse.preuves) if (ref, exigence, i) not in absent
                    ]
                }
            )
            for exigence, reponse in answers.items()
        }
        for ref, answers in q.reponses.items()
    }
    return q.model_copy(update={"reponses": reponses})


_NOT_FOUND = "fichier de preuve introuvable"
_SIGNED_FILE = "attestation sur l'honneur : joindre le fichier signé"


def _form_problem(kind: TypePreuve, preuve: PreuveFournie) -> str | None:
    if kind is TypePreuve.MESURE:
        if preuve.valeur is None:
            return "une preuve de type mesure indique sa valeur"
        return None
    if preuve.valeur is not None:
        return f"une valeur n'a de sens que pour une mesure (preuve de type {kind.value})"
    if kind is TypePreuve.URL and preuve.url is None:
        return "preuve de type url : indiquer une URL"
    if kind is TypePreuve.DECLARATION and preuve.declaration is None:
        return "preuve de type déclaration : indiquer le texte de la déclaration"
    if kind is TypePreuve.ATTESTATION_SUR_L_HONNEUR and preuve.fichier is None:
        return _SIGNED_FILE
    if (
        kind in (TypePreuve.DOCUMENT, TypePreuve.CAPTURE, TypePreuve.PANEL_UTILISATEURS)
        and preuve.declaration
    ):
        return f"preuve de type {kind.value} : joindre un fichier ou une URL, pas une déclaration"
    return None
