"""Arbitrate independent reviews of one dossier: the final review and its arbitration part.

Each independent review is applied to the dossier (:func:`~.assess.apply_review`) and the
reviews are compared (:func:`~.agreement.compare_reviews`). The final review takes, for every
exigence the evaluators assess alike, the first evaluator's avis (with every evaluator's
comment); for every disagreement, the arbitre's decision — an avis that gives the decided
outcome, commented with the motif. The proposed opinion is then drawn from those outcomes by
the same rule as any review. An exigence some review leaves without avis is decided by the
arbitre or stays without avis.

:func:`rebuild_arbitrated` re-reads the files a reviewed copy carries (the reviews in
``revue/evaluateurs/``, the arbitration file in ``revue/``) and rebuilds the reviewed dossier,
so that the verification can compare it byte for byte.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from cens_eval.errors import Problem
from cens_eval.loader.arbitration import Key, load_arbitration
from cens_eval.loader.dossier import file_problem
from cens_eval.loader.review import load_review
from cens_eval.model.arbitration import (
    EVALUATORS_DIR,
    Arbitrage,
    DecisionArbitre,
    DossierArbitre,
    ExigenceArbitree,
    SectionArbitrage,
    SectionRevueArbitree,
)
from cens_eval.model.comparison import Comparaison
from cens_eval.model.dossier import Dossier, Empreinte, ExigenceDossier
from cens_eval.model.review import (
    Avis,
    AvisExigence,
    DossierRevu,
    ExigenceRevue,
    Revue,
    RevuePrecedente,
)
from cens_eval.model.versions import FORMAT_VERSION
from cens_eval.model.vocabulary import Niveau, Resultat
from cens_eval.review.agreement import compare_reviews, evaluators_avis
from cens_eval.review.assess import apply_review

_MAX_COMMENT = 20_000
"""The longest commentaire a review holds (:data:`~cens_eval.model.base.Texte`)."""


def evaluator_dir(numero: int, nom: str) -> str:
    """Where a reviewed copy keeps review ``numero``: ``revue/evaluateurs/2-paul-durand``."""
    plain = unicodedata.normalize("NFKD", nom).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40].strip("-")
    return f"{EVALUATORS_DIR}/{numero}-{slug or 'evaluateur'}"


def disputed(comparaison: Comparaison) -> tuple[list[Key], list[Key]]:
    """The exigences the arbitre must decide (disagreements), and those it may (left without avis)."""
    return (
        [(d.referentiel, d.id) for d in comparaison.desaccords],
        [(n.referentiel, n.id) for n in comparaison.non_comparees],
    )


def apply_arbitration(
    dossier: Dossier,
    reviews: Sequence[tuple[Revue, Empreinte]],
    arbitrage: Arbitrage,
    fichier: Empreinte,
    *,
    historique: Sequence[RevuePrecedente] = (),
    format_version: int = FORMAT_VERSION,
) -> DossierArbitre:
    """The dossier with the final review of an arbitration (checked by its reader).

    Args:
        dossier: the verified dossier.
        reviews: each independent review (as checked by the review's reader), with its file
            as recorded (name and SHA-256).
        arbitrage: the arbitration file's content, checked against the reviews' disagreements.
        fichier: the arbitration file as recorded.
        historique: the reviews of this dossier before this one, oldest first.
        format_version: the format to write.

    Raises:
        ValueError: fewer than two reviews, or a disagreement the arbitration leaves undecided
            (the arbitration's reader refuses it, located).
    """
    reviewed = [apply_review(dossier, revue, source) for revue, source in reviews]
    comparaison = compare_reviews(reviewed)
    disputes, _ = disputed(comparaison)
    undecided = [k for k in disputes if _decision(arbitrage, k) is None]
    if undecided:
        raise ValueError(
            "désaccord(s) sans décision : " + ", ".join(f"{r} {e}" for r, e in undecided)
        )
    merged = _final_review(dossier, [r for r, _ in reviews], reviewed, arbitrage)
    final = apply_review(
        dossier, merged, fichier, historique=historique, format_version=format_version
    )
    section = SectionArbitrage(
        fichier=fichier,
        arbitre=arbitrage.arbitre,
        date=arbitrage.date,
        revues=comparaison.revues,
        exigences=comparaison.exigences,
        comparees=comparaison.comparees,
        paires=comparaison.paires,
        collectif=comparaison.collectif,
        decisions=_decisions(reviewed, comparaison, arbitrage),
        non_comparees=comparaison.non_comparees,
    )
    return DossierArbitre(
        **{**dict(final), "revue": SectionRevueArbitree(**dict(final.revue), arbitrage=section)}
    )


def _decision(arbitrage: Arbitrage, key: Key) -> DecisionArbitre | None:
    return arbitrage.decisions.get(key[0], {}).get(key[1])


def _final_review(
    dossier: Dossier,
    revues: Sequence[Revue],
    reviewed: Sequence[DossierRevu],
    arbitrage: Arbitrage,
) -> Revue:
    rows = zip(*(_exigences(r) for r in reviewed), strict=True)
    declared = {(r.id, e.id): e for r in dossier.resultats for e in r.exigences}
    avis: dict[str, dict[str, AvisExigence]] = {r.id: {} for r in dossier.resultats}
    for row in rows:
        key = (row[0].referentiel, row[0].id)
        decision = _decision(arbitrage, key)
        if decision is not None:
            avis[key[0]][key[1]] = _decided(declared[key], decision, arbitrage.arbitre.nom)
        elif all(e.avis is not None for e in row):  # agreed: the first evaluator's avis
            first = revues[0].avis[key[0]][key[1]]
            comment = _comments(revues, key)
            avis[key[0]][key[1]] = first.model_copy(update={"commentaire": comment})
    return Revue(
        evaluateur=arbitrage.arbitre,
        dossier_sha256=arbitrage.dossier_sha256,
        date=arbitrage.date,
        avis={ref: given for ref, given in avis.items() if given},
        decision_finale=arbitrage.decision_finale,
    )


def _exigences(reviewed: DossierRevu) -> list[ExigenceRevue]:
    return [e for r in reviewed.revue.referentiels for e in r.exigences]


def _decided(e: ExigenceDossier, decision: DecisionArbitre, arbitre: str) -> AvisExigence:
    """The avis that gives the arbitrated outcome, commented with the motif."""
    comment = f"Arbitrage ({arbitre}) : {decision.motif}"[:_MAX_COMMENT]
    if decision.resultat is e.resultat:
        return AvisExigence(avis=Avis.VALIDE, commentaire=comment)
    if decision.resultat is Resultat.PREUVES_MANQUANTES:
        return AvisExigence(avis=Avis.COMPLEMENT_DEMANDE, commentaire=comment)
    return AvisExigence(avis=Avis.NON_VALIDE, resultat=decision.resultat, commentaire=comment)


def _comments(revues: Sequence[Revue], key: Key) -> str | None:
    """Every evaluator's comment on an agreed exigence, each named when they differ."""
    said = [(r.evaluateur.nom, r.avis[key[0]][key[1]].commentaire) for r in revues]
    texts = [(nom, text) for nom, text in said if text]
    if len({text for _, text in texts}) <= 1:
        return texts[0][1] if texts else None
    joined = " / ".join(f"{nom} : {text}" for nom, text in texts)
    return joined if len(joined) <= _MAX_COMMENT else texts[0][1]


def _decisions(
    reviewed: Sequence[DossierRevu], comparaison: Comparaison, arbitrage: Arbitrage
) -> list[ExigenceArbitree]:
    disputes = set(disputed(comparaison)[0])
    decisions = []
    for row in zip(*(_exigences(r) for r in reviewed), strict=True):
        e = row[0]
        decision = _decision(arbitrage, (e.referentiel, e.id))
        if decision is None:
            continue
        decisions.append(
            ExigenceArbitree(
                referentiel=e.referentiel,
                id=e.id,
                libelle=e.libelle,
                niveau_effectif=e.niveau_effectif,
                resultat_declare=e.resultat_declare,
                avis=evaluators_avis(row, comparaison.revues),
                desaccord=(e.referentiel, e.id) in disputes,
                resultat_arbitre=decision.resultat,
                motif=decision.motif,
            )
        )
    decisions.sort(key=lambda d: d.niveau_effectif is not Niveau.EXIGENCE)  # stable
    return decisions


def rebuild_arbitrated(
    root: Path,
    recorded: DossierArbitre,
    dossier: Dossier,
    dossier_sha256: str,
) -> tuple[list[Problem], DossierArbitre | None]:
    """Rebuild an arbitrated review from the files a reviewed copy carries at ``root``.

    Problems: a review file recorded outside ``revue/evaluateurs/``, missing or changed
    (the rebuilt dossier is then None).

    Raises:
        LoadError: a review file or the arbitration file no longer reads as it did.
    """
    section = recorded.revue.arbitrage
    problems = []
    if len(section.revues) < 2:
        problems.append(
            Problem(
                str(root / "revue.json"), "", "arbitrage de moins de deux revues : fichier modifié"
            )
        )
    for revue in section.revues:
        rel = revue.fichier.fichier
        why = (
            file_problem(root, rel, revue.fichier.sha256)
            if rel.startswith(f"{EVALUATORS_DIR}/")
            else f"« {rel} » refusé : les revues arbitrées se trouvent dans {EVALUATORS_DIR}/"
        )
        if why:
            problems.append(Problem(str(root / rel), "", why))
    if problems:
        return problems, None
    reviews = [
        (load_review(root / r.fichier.fichier, dossier, dossier_sha256).revue, r.fichier)
        for r in section.revues
    ]
    comparaison = compare_reviews(
        [apply_review(dossier, revue, source) for revue, source in reviews]
    )
    loaded = load_arbitration(
        root / recorded.revue.fichier.fichier, dossier, dossier_sha256, *disputed(comparaison)
    )
    rebuilt = apply_arbitration(
        dossier,
        reviews,
        loaded.arbitrage,
        recorded.revue.fichier,
        historique=recorded.revue.historique,
        format_version=recorded.version_format,
    )
    return [], rebuilt
