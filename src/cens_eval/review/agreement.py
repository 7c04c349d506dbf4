"""Agreement between evaluators (pure): Cohen's and Fleiss' kappa, their intervals, the disagreements.

Kappas are exact fractions. Their 95 % confidence intervals use large-sample standard errors:

- Cohen's kappa (two evaluators): the standard error of Fleiss, Cohen & Everitt (1969), "Large
  sample standard errors of kappa and weighted kappa", Psychological Bulletin 72(5) — the one
  SAS (PROC FREQ) and most statistics packages report;
- Fleiss' kappa (three or more): the standard error of Fleiss, Nee & Landis (1979),
  Psychological Bulletin 86(5), computed under the hypothesis kappa = 0 (as R's
  ``irr::kappam.fleiss``): an indicative interval.

The variances are exact; their square root and the bounds are computed to 40 significant digits
and rounded once, to 3 decimals.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Hashable, Sequence
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from typing import TypeVar

from cens_eval.model.comparison import (
    Z_95,
    AccordCollectif,
    AccordPaire,
    AvisEvaluateur,
    Comparaison,
    Desaccord,
    Kappa,
    NonComparee,
    RevueComparee,
)
from cens_eval.model.display import rounded
from cens_eval.model.review import DossierRevu, ExigenceRevue
from cens_eval.model.vocabulary import Niveau, Resultat
from cens_eval.review.assess import cohen_kappa

COHEN_METHOD = (
    "erreur type asymptotique de Fleiss, Cohen et Everitt (1969) ; intervalle à 95 % : "
    "kappa ± 1,96 erreur type, borné à [-1 ; 1]"
)
FLEISS_METHOD = (
    "erreur type asymptotique de Fleiss, Nee et Landis (1979), sous l'hypothèse kappa = 0 : "
    "intervalle à 95 % indicatif, kappa ± 1,96 erreur type, borné à [-1 ; 1]"
)
_PRECISION = Context(prec=40)
K = TypeVar("K", bound=Hashable)


def cohen_variance(pairs: Sequence[tuple[Resultat, Resultat]]) -> Fraction | None:
    """The large-sample variance of Cohen's kappa (Fleiss, Cohen & Everitt, 1969), exact.

    With p_ij the share of items the first rater puts in i and the second in j, p_i. and p_.j
    the margins, pe the chance agreement and k the kappa::

        var = (A + B - C) / (n (1 - pe)²)
        A = Σ_i p_ii (1 - (p_i. + p_.i)(1 - k))²
        B = (1 - k)² Σ_{i≠j} p_ij (p_.i + p_j.)²
        C = (k - pe (1 - k))²

    None when kappa is undefined (no item, or chance agreement of 1).
    """
    observed, kappa = cohen_kappa(pairs)
    if observed is None or kappa is None:
        return None
    n = len(pairs)
    cells = Counter(pairs)
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    row = {k: Fraction(v, n) for k, v in first.items()}
    col = {k: Fraction(v, n) for k, v in second.items()}
    chance = sum((row[k] * col.get(k, 0) for k in row), Fraction(0))
    a = sum(
        (
            Fraction(count, n) * (1 - (row[i] + col[i]) * (1 - kappa)) ** 2
            for (i, j), count in cells.items()
            if i == j
        ),
        Fraction(0),
    )
    b = (1 - kappa) ** 2 * sum(
        (
            Fraction(count, n) * (col.get(i, 0) + row.get(j, 0)) ** 2
            for (i, j), count in cells.items()
            if i != j
        ),
        Fraction(0),
    )
    c = (kappa - chance * (1 - kappa)) ** 2
    return max((a + b - c) / (n * (1 - chance) ** 2), Fraction(0))


def fleiss_kappa(
    ratings: Sequence[Sequence[K]],
) -> tuple[Fraction | None, Fraction | None, Fraction | None]:
    """Fleiss' mean observed agreement, kappa and the variance of kappa under kappa = 0 (exact).

    ``ratings`` holds, per item, the category each rater gives (every item rated by the same
    m ≥ 2 raters). With n_ij the raters putting item i in category j, N items, p_j the share of
    all ratings in j and q_j = 1 - p_j::

        P_i = (Σ_j n_ij² - m) / (m (m - 1))      P = mean of P_i      Pe = Σ_j p_j²
        kappa = (P - Pe) / (1 - Pe)
        var0 = 2 ((Σ p_j q_j)² - Σ p_j q_j (q_j - p_j)) / (N m (m - 1) (Σ p_j q_j)²)

    Kappa and its variance are None when undefined (no item, or a single category used).

    Raises:
        ValueError: fewer than two raters, or items rated by different numbers of raters.
    """
    if not ratings:
        return None, None, None
    m = len(ratings[0])
    if m < 2 or any(len(item) != m for item in ratings):
        raise ValueError(
            "kappa de Fleiss : chaque item doit avoir le même nombre d'évaluateurs (≥ 2)"
        )
    n = len(ratings)
    counts = [Counter(item) for item in ratings]
    observed = (
        sum(
            (Fraction(sum(c * c for c in item.values()) - m, m * (m - 1)) for item in counts),
            Fraction(0),
        )
        / n
    )
    totals: Counter[K] = Counter()
    for item in counts:
        totals.update(item)
    shares = [Fraction(total, n * m) for total in totals.values()]
    chance = sum((p * p for p in shares), Fraction(0))
    if chance == 1:
        return observed, None, None
    kappa = (observed - chance) / (1 - chance)
    spread = sum((p * (1 - p) for p in shares), Fraction(0))
    skew = sum((p * (1 - p) * ((1 - p) - p) for p in shares), Fraction(0))
    variance = 2 * (spread**2 - skew) / (n * m * (m - 1) * spread**2)
    return observed, kappa, variance


def kappa_with_interval(kappa: Fraction, variance: Fraction, methode: str) -> Kappa:
    """A kappa with its 95 % interval: kappa ± 1.96 √variance, bounded to [-1, 1], rounded once."""
    error = _decimal(variance).sqrt(_PRECISION)
    centre = _decimal(kappa)
    margin = _PRECISION.multiply(Decimal(Z_95), error)
    low = max(_PRECISION.subtract(centre, margin), Decimal(-1))
    high = min(_PRECISION.add(centre, margin), Decimal(1))
    return Kappa(
        exact=f"{kappa.numerator}/{kappa.denominator}",
        valeur=_places(centre, 3),
        ic_bas=_places(low, 3),
        ic_haut=_places(high, 3),
        erreur_type=_places(error, 4),
        methode=methode,
    )


def _decimal(value: Fraction) -> Decimal:
    return _PRECISION.divide(Decimal(value.numerator), Decimal(value.denominator))


def _places(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def compare_reviews(reviewed: Sequence[DossierRevu]) -> Comparaison:
    """Compare independent reviews of one dossier (each applied to it by :func:`apply_review`).

    Exigences with an avis in every review are compared on their assessed outcomes; the others
    are listed as not compared. Every pair of evaluators gets its agreement and Cohen's kappa;
    three reviews or more also get Fleiss' kappa. Disagreements list mandatory exigences first.

    Raises:
        ValueError: fewer than two reviews, or reviews of different dossiers.
    """
    if len(reviewed) < 2:
        raise ValueError("au moins deux revues sont nécessaires pour les comparer")
    first = reviewed[0]
    if any(r.revue.dossier_sha256 != first.revue.dossier_sha256 for r in reviewed):
        raise ValueError("les revues comparées doivent porter sur le même dossier")
    revues = [_described(i, r) for i, r in enumerate(reviewed, start=1)]
    rows = list(zip(*(_exigences(r) for r in reviewed), strict=True))
    compared = [row for row in rows if all(e.avis is not None for e in row)]
    left_out = [
        NonComparee(
            referentiel=row[0].referentiel,
            id=row[0].id,
            niveau_effectif=row[0].niveau_effectif,
            sans_avis=[i for i, e in enumerate(row, start=1) if e.avis is None],
        )
        for row in rows
        if any(e.avis is None for e in row)
    ]
    disagreements = [
        _disagreement(row, revues) for row in compared if len({e.resultat_evalue for e in row}) > 1
    ]
    disagreements.sort(key=lambda d: d.niveau_effectif is not Niveau.EXIGENCE)  # stable
    return Comparaison(
        editeur=first.editeur.nom,
        solution=f"{first.solution.nom} {first.solution.version}",
        as_of=first.as_of,
        dossier_sha256=first.revue.dossier_sha256,
        revues=revues,
        exigences=len(rows),
        comparees=len(compared),
        paires=[
            _pair(compared, revues, i, j)
            for i, j in itertools.combinations(range(len(reviewed)), 2)
        ],
        collectif=_collective(compared, len(reviewed)) if len(reviewed) > 2 else None,
        desaccords=disagreements,
        non_comparees=left_out,
    )


def _exigences(reviewed: DossierRevu) -> list[ExigenceRevue]:
    return [e for r in reviewed.revue.referentiels for e in r.exigences]


def _described(numero: int, reviewed: DossierRevu) -> RevueComparee:
    revue = reviewed.revue
    return RevueComparee(
        numero=numero,
        evaluateur=revue.evaluateur.nom,
        fonction=revue.evaluateur.fonction,
        organisme=revue.evaluateur.organisme,
        date=revue.date,
        fichier=revue.fichier,
        opinion_proposee=revue.opinion_proposee,
    )


def _disagreement(row: Sequence[ExigenceRevue], revues: Sequence[RevueComparee]) -> Desaccord:
    e = row[0]
    return Desaccord(
        referentiel=e.referentiel,
        id=e.id,
        libelle=e.libelle,
        niveau_effectif=e.niveau_effectif,
        resultat_declare=e.resultat_declare,
        avis=evaluators_avis(row, revues),
    )


def evaluators_avis(
    row: Sequence[ExigenceRevue], revues: Sequence[RevueComparee]
) -> list[AvisEvaluateur]:
    """What each evaluator said of one exigence, review by review."""
    return [
        AvisEvaluateur(
            revue=r.numero,
            evaluateur=r.evaluateur,
            avis=x.avis,
            resultat_evalue=x.resultat_evalue,
            commentaire=x.commentaire,
        )
        for r, x in zip(revues, row, strict=True)
    ]


def _pair(
    compared: Sequence[Sequence[ExigenceRevue]], revues: Sequence[RevueComparee], i: int, j: int
) -> AccordPaire:
    pairs = [(row[i].resultat_evalue, row[j].resultat_evalue) for row in compared]
    observed, kappa = cohen_kappa(pairs)
    variance = cohen_variance(pairs)
    agreeing = sum(1 for a, b in pairs if a is b)
    if observed is None:
        explication = "aucune exigence n'a d'avis dans les deux revues"
    else:
        explication = (
            f"{agreeing} résultat(s) évalué(s) identique(s) sur {len(pairs)} exigence(s) ayant un "
            "avis dans chaque revue ; kappa de Cohen sur les catégories de résultat"
            + ("" if kappa is not None else " indéfini (un seul et même résultat partout)")
        )
    return AccordPaire(
        revues=(revues[i].numero, revues[j].numero),
        evaluateurs=(revues[i].evaluateur, revues[j].evaluateur),
        exigences=len(pairs),
        concordantes=agreeing,
        pourcentage=rounded(observed * 100) if observed is not None else None,
        kappa=(
            kappa_with_interval(kappa, variance, COHEN_METHOD)
            if kappa is not None and variance is not None
            else None
        ),
        explication=explication,
    )


def _collective(compared: Sequence[Sequence[ExigenceRevue]], raters: int) -> AccordCollectif:
    ratings = [[e.resultat_evalue for e in row] for row in compared]
    observed, kappa, variance = fleiss_kappa(ratings)
    unanimous = sum(1 for item in ratings if len(set(item)) == 1)
    if observed is None:
        explication = "aucune exigence n'a d'avis dans chaque revue"
    else:
        explication = (
            f"{unanimous} exigence(s) sur {len(ratings)} évaluée(s) de même par tous ; kappa de "
            "Fleiss sur les catégories de résultat"
            + ("" if kappa is not None else " indéfini (un seul et même résultat partout)")
        )
    return AccordCollectif(
        evaluateurs=raters,
        exigences=len(ratings),
        unanimes=unanimous,
        pourcentage=rounded(Fraction(unanimous * 100, len(ratings))) if ratings else None,
        accord_moyen=rounded(observed * 100) if observed is not None else None,
        kappa=(
            kappa_with_interval(kappa, variance, FLEISS_METHOD)
            if kappa is not None and variance is not None
            else None
        ),
        explication=explication,
    )
