"""Score many dossiers at once: verify each, summarise it in one row, count failures per exigence.

Each dossier is verified and summarised in a worker process; only its small summary comes back,
so memory does not grow with the dossiers' size. A dossier that cannot be read or fails its
verification gets a row saying why and never stops the batch.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from pathlib import Path

from pydantic import Field

from cens_eval.display import rounded
from cens_eval.dossier import Dossier
from cens_eval.errors import CensEvalError
from cens_eval.loader.dossier import DOSSIER_JSON, REVUE_JSON, read_dossier, read_reviewed
from cens_eval.models import Model
from cens_eval.results import CREDIT
from cens_eval.review import Opinion
from cens_eval.reviewing import verify_review
from cens_eval.verify import verify_dossier
from cens_eval.vocabulary import Niveau, Principe, Resultat


class Integrite(StrEnum):
    """What the verification of a dossier found."""

    INTACT = "intact"
    MODIFIE = "modifie"
    ILLISIBLE = "illisible"


class ScorePrincipe(Model):
    """A principle's score over every référentiel of a dossier (weighted, rounded once)."""

    principe: Principe
    obligatoires: Decimal | None
    preconisations: Decimal | None


class LigneDossier(Model):
    """One dossier of the batch."""

    chemin: str
    integrite: Integrite
    raison: str | None = None
    editeur: str | None = None
    solution: str | None = None
    referentiels: list[str] = Field(default_factory=list)
    conforme: bool | None = None
    verdicts: dict[str, str] = Field(default_factory=dict)
    bloquantes: int | None = None
    scores: list[ScorePrincipe] = Field(default_factory=list)
    opinion_proposee: Opinion | None = None
    opinion_retenue: Opinion | None = None
    accord: Decimal | None = None


class StatExigence(Model):
    """How often one exigence is unmet or claimed non applicable across the intact dossiers."""

    referentiel: str
    exigence: str
    libelle: str
    dossiers: int
    non_satisfaite: int
    non_applicable: int
    taux_echec: Decimal
    """Percentage of the dossiers where it applies that leave it unmet."""


class SyntheseLot(Model):
    """The batch summary."""

    dossiers: list[LigneDossier]
    exigences: list[StatExigence]
    moyennes: list[ScorePrincipe]
    """Mean of each principle's score over the intact dossiers."""

    @property
    def echecs(self) -> list[LigneDossier]:
        """Dossiers that failed verification or could not be read."""
        return [d for d in self.dossiers if d.integrite is not Integrite.INTACT]


_Observation = tuple[str, str, str, bool, bool]
"""(référentiel, exigence, libellé, unmet, claimed non applicable) for one dossier."""


def find_dossiers(roots: Iterable[Path | str]) -> list[Path]:
    """Every dossier folder under the given folders (a folder holding ``dossier.json``), sorted.

    A dossier whose reviewed copy (same ``dossier.json``, with ``revue.json``) is also there
    counts once, as the reviewed copy.
    """
    found: set[Path] = set()
    for root in map(Path, roots):
        if (root / DOSSIER_JSON).is_file():
            found.add(root)
        elif root.is_dir():
            found.update(
                p.parent
                for p in root.rglob(DOSSIER_JSON)
                if not any(part.startswith(".") for part in p.relative_to(root).parts)
            )
    # Never open what is not a regular file (a FIFO named dossier.json would block the batch):
    # such a folder is still listed, and its verification says why it is refused.
    groups: dict[str, list[Path]] = {}
    for folder in sorted(found):
        path = folder / DOSSIER_JSON
        try:
            key = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else str(folder)
        except OSError:
            key = str(folder)
        groups.setdefault(key, []).append(folder)
    kept: list[Path] = []
    for members in groups.values():
        reviewed = [f for f in members if (f / REVUE_JSON).is_file()]
        kept += reviewed or members
    return sorted(kept)


def summarise(folder: Path) -> tuple[LigneDossier, list[_Observation]]:
    """Verify one dossier folder and summarise it; never raises for a bad dossier."""
    path = str(folder)
    try:
        verification = verify_dossier(folder)
        dossier, _ = read_dossier(folder)
    except CensEvalError as exc:
        return LigneDossier(chemin=path, integrite=Integrite.ILLISIBLE, raison=_first_line(exc)), []
    except (OSError, ValueError) as exc:
        return LigneDossier(chemin=path, integrite=Integrite.ILLISIBLE, raison=str(exc)), []
    row = _row(path, dossier)
    if not verification.intact:
        reason = "; ".join(str(p) for p in verification.problems)
        return row.model_copy(update={"integrite": Integrite.MODIFIE, "raison": reason}), []
    if (folder / REVUE_JSON).is_file():
        try:
            problems = verify_review(folder)
            reviewed, _ = read_reviewed(folder)
        except CensEvalError as exc:
            return row.model_copy(
                update={"integrite": Integrite.ILLISIBLE, "raison": _first_line(exc)}
            ), []
        if problems:
            reason = "; ".join(str(p) for p in problems)
            return row.model_copy(update={"integrite": Integrite.MODIFIE, "raison": reason}), []
        review = reviewed.revue
        row = row.model_copy(
            update={
                "opinion_proposee": review.opinion_proposee,
                "opinion_retenue": review.opinion_retenue,
                "accord": review.accord.pourcentage,
            }
        )
    observations = [
        (r.id, e.id, e.libelle, not e.satisfaite, e.resultat is Resultat.NON_APPLICABLE_JUSTIFIE)
        for r in dossier.resultats
        for e in r.exigences
    ]
    return row, observations


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _row(path: str, d: Dossier) -> LigneDossier:
    return LigneDossier(
        chemin=path,
        integrite=Integrite.INTACT,
        editeur=d.editeur.nom,
        solution=f"{d.solution.nom} {d.solution.version}",
        referentiels=[f"{r.id} {r.version}" for r in d.referentiels],
        conforme=d.conforme,
        verdicts={r.id: r.verdict.value for r in d.resultats},
        bloquantes=sum(len(r.bloquantes) for r in d.resultats),
        scores=[_pooled(d, p) for p in Principe],
    )


def _pooled(d: Dossier, principe: Principe) -> ScorePrincipe:
    figures: dict[Niveau, Decimal | None] = {}
    for niveau in Niveau:
        counted = [
            e
            for r in d.resultats
            for e in r.exigences
            if e.principe is principe
            and e.niveau_effectif is niveau
            and e.resultat is not Resultat.NON_APPLICABLE_JUSTIFIE
        ]
        total = sum((Fraction(e.poids) for e in counted), Fraction(0))
        points = sum((Fraction(e.poids) * CREDIT[e.resultat] for e in counted), Fraction(0))
        figures[niveau] = rounded(points / total * 100) if total else None
    return ScorePrincipe(
        principe=principe,
        obligatoires=figures[Niveau.EXIGENCE],
        preconisations=figures[Niveau.PRECONISATION],
    )


def score_batch(
    folders: Sequence[Path],
    *,
    workers: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> SyntheseLot:
    """Verify and summarise every dossier folder, in parallel on ``workers`` processes (default: all cores)."""
    counts: dict[tuple[str, str], list[int]] = {}
    labels: dict[tuple[str, str], str] = {}
    rows: list[LigneDossier] = []
    jobs = max(1, min(workers or os.cpu_count() or 1, len(folders) or 1))

    def absorb(result: tuple[LigneDossier, list[_Observation]]) -> None:
        row, observations = result
        rows.append(row)
        for ref, exigence, libelle, unmet, na in observations:
            key = (ref, exigence)
            labels.setdefault(key, libelle)
            tally = counts.setdefault(key, [0, 0, 0])
            tally[0] += 1
            tally[1] += unmet
            tally[2] += na
        if on_progress:
            on_progress(1)

    if jobs == 1:
        for folder in folders:
            absorb(summarise(folder))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for result in pool.map(
                summarise, folders, chunksize=max(1, len(folders) // (jobs * 8))
            ):
                absorb(result)
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
    return SyntheseLot(dossiers=rows, exigences=stats, moyennes=_means(rows))


def _means(rows: Sequence[LigneDossier]) -> list[ScorePrincipe]:
    intact = [r for r in rows if r.integrite is Integrite.INTACT]
    means = []
    for principe in Principe:
        values: dict[str, list[Decimal]] = {"obligatoires": [], "preconisations": []}
        for row in intact:
            score = next(s for s in row.scores if s.principe is principe)
            for key in values:
                value = getattr(score, key)
                if value is not None:
                    values[key].append(value)
        means.append(
            ScorePrincipe(
                principe=principe,
                **{k: rounded(Fraction(sum(v)) / len(v)) if v else None for k, v in values.items()},
            )
        )
    return means
