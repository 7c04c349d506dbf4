"""Score many dossiers at once: verify each, one row per submission, failures per exigence.

Each dossier is verified and summarised in a worker process, under a time limit; only its small
summary comes back, so memory does not grow with the dossiers' size. A dossier that cannot be
read, fails its verification, stops its worker or outlasts the time limit gets a row saying why
and never stops the batch. Folders of one submission — a dossier and its reviewed copy, the
dossiers of the YAML and XLSX twins of one questionnaire — are merged into one row only once
each has been verified, and the row says so; a folder that fails always keeps its own row.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from cens_eval.dossier.verify import SharedWork
from cens_eval.engine.scoring import percentage
from cens_eval.errors import CensEvalError, Problem
from cens_eval.loader.dossier import REVUE_JSON, read_reviewed
from cens_eval.model.batch import (
    Integrite,
    LigneDossier,
    MoyennePrincipe,
    ScorePrincipe,
    StatExigence,
    StatSurDeclaration,
    SyntheseLot,
)
from cens_eval.model.display import rounded
from cens_eval.model.dossier import Dossier, ResultatDossier
from cens_eval.model.review import SectionRevue
from cens_eval.model.signature import SignatureCheck
from cens_eval.model.vocabulary import Niveau, Principe, Resultat
from cens_eval.render import FILE_NAMES, REVIEW_FILE_NAMES, Format
from cens_eval.review.batch_evolution import dated_preuves, expiring_within, link_submissions
from cens_eval.review.calibration import Observed, Voices, calibrate, voices
from cens_eval.review.isolation import run_isolated
from cens_eval.review.seal import verify_dossier

DOSSIER_TIMEOUT: float = 600
"""Seconds one dossier may take to be verified and summarised before its worker is stopped.

Generous: a dossier of the largest accepted size, with many evidence files, takes seconds.
"""


_Observation = tuple[str, str, str, bool, bool, bool | None, Voices | None]
"""(référentiel, exigence, libellé, unmet, claimed non applicable, over-declared or None when
not reviewed, each evaluator's outcome when independent reviews were arbitrated and compared
it) for one dossier."""
_Result = tuple[LigneDossier, list[_Observation]]


def summarise(folder: Path, shared: SharedWork | None = None) -> _Result:
    """Verify one dossier folder and summarise it; never raises for a bad dossier.

    Figures come from verified dossiers only: a dossier that fails gets a row that names it and
    says why, never a score computed from what its files claim.
    """
    path = str(folder)
    try:
        verification = verify_dossier(folder, shared)
    except (CensEvalError, OSError, ValueError) as exc:
        return LigneDossier(chemin=path, integrite=Integrite.ILLISIBLE, raison=_reason(exc)), []
    d = verification.dossier
    row = LigneDossier(
        chemin=path,
        integrite=Integrite.INTACT,
        dossier_sha256=verification.sha256,
        editeur=d.editeur.nom,
        siren=d.editeur.siren,
        solution=d.solution.nom,
        version=d.solution.version,
        date_evaluation=d.as_of,
        questionnaire=d.questionnaire.fichier,
        referentiels=[f"{r.id} {r.version}" for r in d.referentiels],
        verification=" ; ".join(verification.notes) or None,
        preuves_a_renouveler=dated_preuves(d),
        signe_par=signers(verification.signatures),
    )
    if not verification.intact:
        return _failed(row, Integrite.MODIFIE, _joined(verification.problems)), []
    review: SectionRevue | None = None
    if os.path.lexists(folder / REVUE_JSON):
        try:
            review = read_reviewed(folder)[0].revue
        except (CensEvalError, OSError, ValueError) as exc:
            return _failed(row, Integrite.ILLISIBLE, _reason(exc)), []
    over = (
        {(r.id, e.id): e.sur_declaration for r in review.referentiels for e in r.exigences}
        if review
        else {}
    )
    said = voices(review) if review else {}
    observations = [
        (
            _key(r),
            e.id,
            e.libelle,
            not e.satisfaite,
            e.resultat is Resultat.NON_APPLICABLE_JUSTIFIE,
            over.get((r.id, e.id)) if review else None,
            said.get((r.id, e.id)),
        )
        for r in d.resultats
        for e in r.exigences
    ]
    pdfs = [REVIEW_FILE_NAMES[Format.PDF]] if review else []
    pdf = next((p for p in [*pdfs, FILE_NAMES[Format.PDF]] if (folder / p).is_file()), None)
    return _scored(row.model_copy(update={"pdf": pdf}), d, review), observations


def signers(checks: Sequence[SignatureCheck]) -> str | None:
    """Who signed a folder, each once with the verdict on their signatures (None: unsigned)."""
    verdicts: dict[str, str] = {}
    for check in checks:
        who = check.signer or "signataire illisible"
        if verdicts.get(who, "").startswith("signature invalide"):
            continue  # one broken signature is what the row must say about this signer
        if check.problem is not None or who not in verdicts:
            verdicts[who] = check.status
    return " ; ".join(f"{who} : {status}" for who, status in verdicts.items()) or None


def _key(r: ResultatDossier) -> str:
    """How a batch names a référentiel: id and version, so that versions are never mixed."""
    return f"{r.id} {r.version}"


def content_sha256(d: Dossier) -> str:
    """SHA-256 of a dossier's content, without the questionnaire file and the generation time.

    The dossiers of the YAML and the XLSX twin of one questionnaire share it: same éditeur,
    solution, date, profil, référentiels, answers, evidence and results.
    """
    data = d.model_dump(mode="json", exclude={"questionnaire", "genere_le"})
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _failed(row: LigneDossier, integrite: Integrite, reason: str) -> LigneDossier:
    return row.model_copy(update={"integrite": integrite, "raison": reason})


def _joined(problems: Sequence[Problem]) -> str:
    return "; ".join(str(p) for p in problems)


def _reason(exc: Exception) -> str:
    if isinstance(exc, CensEvalError):
        text = str(exc)
        return text.splitlines()[0] if text else type(exc).__name__
    if isinstance(exc, OSError):
        return f"lecture impossible ({exc.strerror or type(exc).__name__})"
    return f"lecture impossible ({exc})"


def _scored(row: LigneDossier, d: Dossier, review: SectionRevue | None) -> LigneDossier:
    """The row of a verified dossier: verdicts, scores and, when reviewed, the review's figures."""
    update: dict[str, object] = {
        "contenu_sha256": content_sha256(d),
        "conforme": d.conforme,
        "verdicts": {_key(r): r.verdict.value for r in d.resultats},
        "bloquantes": sum(len(r.bloquantes) for r in d.resultats),
        "scores": [_pooled(r, p) for r in d.resultats for p in Principe],
    }
    if review is not None:
        update |= {
            "evaluateur": review.evaluateur.nom,
            "date_revue": review.date,
            "verdicts_evalues": {
                f"{r.id} {r.version}": r.verdict_evalue.value for r in review.referentiels
            },
            "opinion_proposee": review.opinion_proposee,
            "opinion_retenue": review.opinion_retenue,
            "accord": review.accord.pourcentage,
        }
    return row.model_copy(update=update)


def _pooled(result: ResultatDossier, principe: Principe) -> ScorePrincipe:
    """A principle's score in one référentiel of a verified dossier, per level.

    Its weights are the référentiel's own (the re-evaluation gave the same bytes), the ones the
    evaluation already computed with exactly: no value here is bigger than the engine's.
    """
    figures: dict[Niveau, Decimal | None] = {}
    for niveau in Niveau:
        chosen = [
            e for e in result.exigences if e.principe is principe and e.niveau_effectif is niveau
        ]
        share = percentage(chosen)
        figures[niveau] = rounded(share) if share is not None else None
    return ScorePrincipe(
        referentiel=_key(result),
        principe=principe,
        obligatoires=figures[Niveau.EXIGENCE],
        preconisations=figures[Niveau.PRECONISATION],
    )


def score_batch(
    folders: Sequence[Path],
    *,
    workers: int | None = None,
    timeout: float = DOSSIER_TIMEOUT,
    on_progress: Callable[[int], None] | None = None,
    ignored: Sequence[Path] = (),
    unreadable: Sequence[tuple[Path, str]] = (),
    expire_sous: int | None = None,
    roots: Sequence[Any] = (),
) -> SyntheseLot:
    """Verify and summarise every dossier folder, in parallel worker processes.

    Every folder is verified before the folders of one submission are merged into one row (a
    dossier and its reviewed copy, the YAML and XLSX twins of one questionnaire: the row names
    the others); a folder that fails always keeps its own row. Figures (failures per exigence,
    over-declarations, means per principle and référentiel) count each submission once.

    Args:
        folders: dossier folders (see :func:`find_dossiers`).
        workers: worker processes (default: all cores, at most one per folder).
        timeout: seconds each dossier may take; beyond, its worker is stopped and the dossier
            gets an error row.
        on_progress: called with 1 each time a dossier is done.
        ignored: folders skipped as not dossiers (:func:`search_dossiers`), listed in the summary.
        unreadable: folders whose ``dossier.json`` could not be read, with why
            (:func:`search_dossiers`): each gets its own *illisible* row, never a skip.
        expire_sous: list, in each row, the preuves that expire within this many days of its
            evaluation date (None: none listed).
        roots: the trusted root certificates the signatures are checked against.
    """
    if not timeout > 0:
        raise ValueError("timeout must be positive")
    results: list[_Result | None] = [None] * len(folders)

    def done(index: int, result: _Result) -> None:
        results[index] = result
        if on_progress:
            on_progress(1)

    jobs = max(1, min(workers or os.cpu_count() or 1, len(folders)))
    if folders:
        run_isolated(
            folders,
            _summarise_guarded,
            functools.partial(SharedWork, roots=roots),
            _error_row,
            jobs=jobs,
            timeout=timeout,
            done=done,
        )
    kept = _merged([r for r in results if r is not None])
    counted = [observations for _, observations, first in kept if first]
    rows = [
        row.model_copy(
            update={
                "preuves_a_renouveler": []
                if expire_sous is None
                else expiring_within(row.preuves_a_renouveler, expire_sous)
            }
        )
        for row, _, _ in kept
    ]
    links = link_submissions([row for row, _, first in kept if first])
    rows += [
        LigneDossier(chemin=str(folder), integrite=Integrite.ILLISIBLE, raison=why)
        for folder, why in unreadable
    ]
    rows.sort(key=lambda row: Path(row.chemin))  # stable: a submission's rows keep their order
    calibration, disputees = calibrate(_double_reviews(kept))
    return SyntheseLot(
        dossiers=rows,
        exigences=_failures(counted),
        moyennes=_means([row for row, _, first in kept if first]),
        sur_declarations=_over_declarations(counted),
        ignores=[str(p) for p in ignored],
        expire_sous=expire_sous,
        evolutions=links,
        calibration=calibration,
        disputees=disputees,
    )


def _double_reviews(
    kept: Sequence[tuple[LigneDossier, list[_Observation], bool]],
) -> list[list[Observed]]:
    """The compared exigences of each intact arbitrated dossier, once per dossier and evaluators."""
    seen: set[tuple[str | None, tuple[str, ...]]] = set()
    found = []
    for row, observations, _ in kept:
        observed = [(o[0], o[1], o[2], o[6]) for o in observations if o[6] is not None]
        if row.integrite is not Integrite.INTACT or not observed:
            continue
        who = (row.dossier_sha256, tuple(name for name, _ in observed[0][3]))
        if who not in seen:
            seen.add(who)
            found.append(observed)
    return found


def _failures(counted: Sequence[list[_Observation]]) -> list[StatExigence]:
    counts: dict[tuple[str, str], list[int]] = {}
    labels: dict[tuple[str, str], str] = {}
    for observations in counted:
        for ref, exigence, libelle, unmet, na, _, _ in observations:
            key = (ref, exigence)
            labels.setdefault(key, libelle)
            tally = counts.setdefault(key, [0, 0, 0])
            tally[0] += 1
            tally[1] += unmet
            tally[2] += na
    stats = [
        StatExigence(
            referentiel=ref,
            exigence=exigence,
            libelle=labels[(ref, exigence)],
            dossiers=n,
            non_satisfaite=unmet,
            non_applicable=na,
            taux_echec=rounded(Fraction(unmet * 100, n)) or Decimal(0),
        )
        for (ref, exigence), (n, unmet, na) in counts.items()
    ]
    stats.sort(key=lambda s: (-s.taux_echec, -s.non_satisfaite, s.referentiel, s.exigence))
    return stats


def _over_declarations(counted: Sequence[list[_Observation]]) -> list[StatSurDeclaration]:
    """Exigences the evaluators found over-declared, most often first (reviewed submissions only)."""
    counts: dict[tuple[str, str], list[int]] = {}
    labels: dict[tuple[str, str], str] = {}
    for observations in counted:
        for ref, exigence, libelle, _, _, over, _ in observations:
            if over is None:
                continue
            labels.setdefault((ref, exigence), libelle)
            tally = counts.setdefault((ref, exigence), [0, 0])
            tally[0] += 1
            tally[1] += over
    stats = [
        StatSurDeclaration(
            referentiel=ref,
            exigence=exigence,
            libelle=labels[(ref, exigence)],
            revues=n,
            sur_declarations=over,
            taux=rounded(Fraction(over * 100, n)) or Decimal(0),
        )
        for (ref, exigence), (n, over) in counts.items()
        if over
    ]
    stats.sort(key=lambda s: (-s.sur_declarations, -s.taux, s.referentiel, s.exigence))
    return stats


def _merged(results: Sequence[_Result]) -> list[tuple[LigneDossier, list[_Observation], bool]]:
    """One row per submission: (row, observations, whether it counts in the figures).

    Intact folders with the same content are one submission: a dossier and its reviewed copy
    (same ``dossier.json``), the dossiers of the YAML and XLSX twins of one questionnaire. The
    submission's row is its reviewed copy (each one, when several reviews were made), else its
    first folder; the other folders are listed in it. Only the first row of a submission counts
    in the figures. A folder that failed keeps its own row, never merged, never hidden.
    """
    groups: dict[str, list[_Result]] = {}
    for row, observations in results:
        if row.integrite is Integrite.INTACT and row.contenu_sha256:
            groups.setdefault(row.contenu_sha256, []).append((row, observations))
    merged: dict[int, tuple[LigneDossier, list[_Observation], bool]] = {}
    for members in groups.values():
        shown = [m for m in members if _reviewed(m[0])] or members[:1]
        others = [m[0] for m in members if m not in shown]
        for position, (row, observations) in enumerate(shown):
            note = _grouping(row, others) if position == 0 else _grouping(row, [])
            copies = [o.chemin for o in others] if position == 0 else []
            update = {"copies": copies, "regroupement": note}
            merged[id(row)] = (row.model_copy(update=update), observations, position == 0)
    out = []
    for row, observations in results:
        if row.integrite is not Integrite.INTACT or not row.contenu_sha256:
            out.append((row, observations, False))
        elif id(row) in merged:
            out.append(merged[id(row)])
    return out


def _grouping(row: LigneDossier, others: Sequence[LigneDossier]) -> str | None:
    """What a submission's row stands for, in French; None for a lone unreviewed dossier.

    The folders merged are named by their last part (their paths are in ``copies``).
    """
    parts = ["dossier revu (revue.json)"] if _reviewed(row) else []
    for other in others:
        name = Path(other.chemin).name
        if other.dossier_sha256 == row.dossier_sha256:
            parts.append(f"regroupe la copie non revue du même dossier « {name} »")
        else:
            twin = Path(other.questionnaire or "").name
            parts.append(f"regroupe le jumeau « {name} » (même questionnaire, {twin})")
    return " ; ".join(parts) or None


def _reviewed(row: LigneDossier) -> bool:
    """Whether an intact row comes from a reviewed dossier folder (its review gave an opinion)."""
    return row.opinion_proposee is not None


def _summarise_guarded(folder: Path, shared: SharedWork) -> _Result:
    """:func:`summarise`, with a defect of cens-eval turned into an error row, never a dead worker."""
    try:
        return summarise(folder, shared)
    except Exception as exc:  # a bug, not the dossier's fault: its row says so, the batch goes on
        why = f"défaut interne de cens-eval pendant la vérification ({type(exc).__name__}) : à signaler"
        return _error_row(folder, why)


def _error_row(folder: Path, reason: str) -> _Result:
    return LigneDossier(chemin=str(folder), integrite=Integrite.ERREUR, raison=reason), []


def _means(rows: Sequence[LigneDossier]) -> list[MoyennePrincipe]:
    """Each principle's mean score per référentiel over the submissions evaluated against it."""
    values: dict[tuple[str, Principe], dict[str, list[Decimal]]] = {}
    submissions: dict[str, int] = {}
    for row in rows:
        for ref in {s.referentiel for s in row.scores}:
            submissions[ref] = submissions.get(ref, 0) + 1
        for score in row.scores:
            slot = values.setdefault(
                (score.referentiel, score.principe), {"obligatoires": [], "preconisations": []}
            )
            for key in slot:
                value = getattr(score, key)
                if value is not None:
                    slot[key].append(value)
    return [
        MoyennePrincipe(
            referentiel=ref,
            principe=principe,
            dossiers=submissions[ref],
            **{k: rounded(Fraction(sum(v)) / len(v)) if v else None for k, v in slot.items()},
        )
        for (ref, principe), slot in sorted(
            values.items(), key=lambda item: (item[0][0], list(Principe).index(item[0][1]))
        )
    ]
