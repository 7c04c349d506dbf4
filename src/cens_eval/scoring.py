"""Pure scoring: the outcome of one exigence, the score figures and the verdict of a référentiel.

Credit per outcome (a claim without its required evidence never counts as fully met):
conforme 1; partiellement conforme and preuves manquantes 1/2; non conforme, sans réponse
and non applicable non justifié 0; non applicable justifié is excluded from every figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from cens_eval.applicability import Portee
from cens_eval.questionnaire import PreuveFournie, Reponse
from cens_eval.referentiel import Exigence, PreuveAttendue
from cens_eval.results import CREDIT, MET, Blocage, Exclusion, ResultatExigence, Score
from cens_eval.vocabulary import (
    PRINCIPE_LABELS,
    RESULTAT_LABELS,
    Niveau,
    Principe,
    Resultat,
    Statut,
    TypePreuve,
)

_HALVES: dict[Resultat, int] = {res: int(credit * 2) for res, credit in CREDIT.items()}


def effective_level(exigence: Exigence, as_of: dt.date) -> Niveau:
    """A préconisation past its mandatory date is an exigence."""
    due = exigence.obligatoire_a_partir_du
    if exigence.niveau is Niveau.PRECONISATION and due is not None and due <= as_of:
        return Niveau.EXIGENCE
    return exigence.niveau


def assess(
    referentiel_id: str, exigence: Exigence, portee: Portee, reponse: Reponse | None, as_of: dt.date
) -> ResultatExigence:
    """Outcome of one in-scope exigence from the éditeur's answer."""
    niveau = effective_level(exigence, as_of)
    explication: list[str] = []
    if portee is Portee.NON_APPLICABLE_A_JUSTIFIER:
        explication.append(
            "le profil place cette exigence hors du cas visé : elle doit être déclarée non applicable, avec sa preuve"
        )
    if niveau is not exigence.niveau:
        explication.append(
            f"préconisation devenue obligatoire le {exigence.obligatoire_a_partir_du:%d/%m/%Y}"
        )
    fournies = [p.attendue for p in reponse.preuves] if reponse else []
    statut = reponse.statut if reponse else None
    manquantes: list[str] = []
    if reponse is None or reponse.statut is None:
        resultat = Resultat.SANS_REPONSE
        explication.append("aucune réponse")
    elif reponse.statut is Statut.NON_APPLICABLE:
        expected = exigence.non_applicable.preuves if exigence.non_applicable else []
        manquantes = _missing(expected, reponse.preuves)
        if not reponse.justification:
            resultat = Resultat.NON_APPLICABLE_NON_JUSTIFIE
            explication.append("déclarée non applicable sans justification")
        elif manquantes:
            resultat = Resultat.NON_APPLICABLE_NON_JUSTIFIE
            explication.append(
                f"déclarée non applicable, preuve exigée manquante : {', '.join(manquantes)}"
            )
        else:
            resultat = Resultat.NON_APPLICABLE_JUSTIFIE
            explication.append(
                "déclarée non applicable, justifiée" + (" et prouvée" if expected else "")
            )
    else:
        manquantes = _missing(exigence.preuves, reponse.preuves)
        below = _thresholds_failed(exigence.preuves, reponse.preuves)
        if reponse.statut is Statut.CONFORME and below:
            resultat = Resultat.NON_CONFORME
            explication.append("déclarée conforme mais " + " ; ".join(below))
        elif reponse.statut is Statut.CONFORME and manquantes:
            resultat = Resultat.PREUVES_MANQUANTES
            explication.append(
                f"déclarée conforme, preuve obligatoire manquante : {', '.join(manquantes)}"
            )
        elif reponse.statut is Statut.CONFORME:
            resultat = Resultat.CONFORME
            explication.append("déclarée conforme avec toutes les preuves obligatoires")
        elif reponse.statut is Statut.PARTIELLEMENT_CONFORME:
            resultat = Resultat.PARTIELLEMENT_CONFORME
            explication.append("déclarée partiellement conforme par l'éditeur")
        else:
            resultat = Resultat.NON_CONFORME
            explication.append("déclarée non conforme par l'éditeur")
    return ResultatExigence(
        referentiel=referentiel_id,
        id=exigence.id,
        libelle=exigence.libelle,
        principe=exigence.principe,
        niveau=exigence.niveau,
        niveau_effectif=niveau,
        poids=exigence.poids,
        portee=portee,
        statut_declare=statut,
        resultat=resultat,
        satisfaite=resultat in MET,
        preuves_fournies=sorted(set(fournies)),
        preuves_manquantes=manquantes,
        explication=explication,
        engagement=reponse.engagement if reponse else None,
    )


def _missing(expected: list[PreuveAttendue], given: list[PreuveFournie]) -> list[str]:
    provided = {p.attendue for p in given}
    return [p.id for p in expected if p.obligatoire and p.id not in provided]


def _thresholds_failed(expected: list[PreuveAttendue], given: list[PreuveFournie]) -> list[str]:
    failures = []
    for attendue in expected:
        if attendue.type is not TypePreuve.MESURE or attendue.seuil is None:
            continue
        for fournie in given:
            if fournie.attendue != attendue.id or fournie.valeur is None:
                continue
            seuil, valeur, unite = attendue.seuil, fournie.valeur, attendue.unite
            if seuil.min is not None and valeur < seuil.min:
                failures.append(f"{attendue.id} = {valeur} {unite}, sous le seuil de {seuil.min}")
            if seuil.max is not None and valeur > seuil.max:
                failures.append(
                    f"{attendue.id} = {valeur} {unite}, au-dessus du seuil de {seuil.max}"
                )
    return failures


def score_figures(
    results: Sequence[ResultatExigence],
    hors_perimetre: Sequence[tuple[Exclusion, Niveau, Principe]] = (),
) -> list[Score]:
    """Every figure of a référentiel: per level, the whole référentiel then each principle.

    A figure is the weighted share of credit over the counted exigences, computed exactly.
    """
    buckets: dict[tuple[Niveau, Principe | None], list[ResultatExigence]] = {
        (n, p): [] for n in Niveau for p in (None, *Principe)
    }
    for r in results:
        buckets[(r.niveau_effectif, None)].append(r)
        buckets[(r.niveau_effectif, r.principe)].append(r)
    outside: dict[tuple[Niveau, Principe | None], list[Exclusion]] = {key: [] for key in buckets}
    for exclusion, niveau, principe in hors_perimetre:
        outside[(niveau, None)].append(exclusion)
        outside[(niveau, principe)].append(exclusion)
    return [_figure(key[0], key[1], chosen, outside[key]) for key, chosen in buckets.items()]


def _figure(
    niveau: Niveau,
    principe: Principe | None,
    chosen: list[ResultatExigence],
    outside: list[Exclusion],
) -> Score:
    counted = [r for r in chosen if r.resultat is not Resultat.NON_APPLICABLE_JUSTIFIE]
    excluded = [
        Exclusion(id=r.id, raison="non applicable justifié")
        for r in chosen
        if r.resultat is Resultat.NON_APPLICABLE_JUSTIFIE
    ]
    # Weights are exact decimals and credits halves: sum exactly, make one Fraction at the end.
    total = Fraction(sum((r.poids for r in counted), Decimal(0)))
    points = Fraction(sum((r.poids * _HALVES[r.resultat] for r in counted), Decimal(0))) / 2
    score = points / total * 100 if total else None
    effectifs: dict[Resultat, int] = {}
    for r in chosen:
        effectifs[r.resultat] = effectifs.get(r.resultat, 0) + 1
    scope = PRINCIPE_LABELS[principe] if principe else "ensemble du référentiel"
    kind = "exigences obligatoires" if niveau is Niveau.EXIGENCE else "préconisations"
    if score is None:
        explication = f"{scope}, {kind} : aucune exigence comptée"
    else:
        detail = ", ".join(
            f"{effectifs[res]} {RESULTAT_LABELS[res].lower()}"
            for res in Resultat
            if res in effectifs
        )
        explication = (
            f"{scope}, {kind} : {len(counted)} comptée(s) ({detail}) ; "
            f"{_num(points)} points sur {_num(total)} (poids), conforme = 1, partiel ou preuves manquantes = 1/2"
        )
    return Score(
        principe=principe,
        niveau=niveau,
        score=score,
        points=points,
        poids_total=total,
        comptees=[r.id for r in counted],
        exclues=[*excluded, *outside],
        effectifs={res: effectifs[res] for res in Resultat if res in effectifs},
        explication=explication,
    )


def _num(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.2f}".rstrip("0")


def blocking(results: list[ResultatExigence]) -> list[Blocage]:
    """Every mandatory exigence (at the evaluation date) that is not met."""
    return [
        Blocage(id=r.id, libelle=r.libelle, resultat=r.resultat, raison=" ; ".join(r.explication))
        for r in results
        if r.niveau_effectif is Niveau.EXIGENCE and not r.satisfaite
    ]
