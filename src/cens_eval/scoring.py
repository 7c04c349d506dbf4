"""Pure scoring: the outcome of one exigence, the score figures and the verdict of a référentiel.

Credit per outcome (a claim without its required evidence never counts as fully met):
conforme 1; partiellement conforme and preuves manquantes 1/2; non conforme, sans réponse
and non applicable non justifié 0; non applicable justifié is excluded from every figure.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from cens_eval.applicability import Portee
from cens_eval.questionnaire import PreuveFournie, Reponse
from cens_eval.referentiel import Exigence, PreuveAttendue
from cens_eval.results import Blocage, Exclusion, ResultatExigence, Score
from cens_eval.vocabulary import (
    PRINCIPE_LABELS,
    RESULTAT_LABELS,
    Niveau,
    Principe,
    Resultat,
    Statut,
    TypePreuve,
)

CREDIT: dict[Resultat, Fraction] = {
    Resultat.CONFORME: Fraction(1),
    Resultat.PARTIELLEMENT_CONFORME: Fraction(1, 2),
    Resultat.PREUVES_MANQUANTES: Fraction(1, 2),
    Resultat.NON_CONFORME: Fraction(0),
    Resultat.SANS_REPONSE: Fraction(0),
    Resultat.NON_APPLICABLE_NON_JUSTIFIE: Fraction(0),
    Resultat.NON_APPLICABLE_JUSTIFIE: Fraction(0),
}

MET = frozenset({Resultat.CONFORME, Resultat.NON_APPLICABLE_JUSTIFIE})


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
        credit=CREDIT[resultat],
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


def score_figure(
    results: list[ResultatExigence],
    niveau: Niveau,
    principe: Principe | None,
    hors_perimetre: list[tuple[Exclusion, Niveau, Principe]],
) -> Score:
    """One figure: weighted share of credit over the counted exigences, exact."""
    chosen = [r for r in results if r.niveau_effectif is niveau and principe in (None, r.principe)]
    counted = [r for r in chosen if r.resultat is not Resultat.NON_APPLICABLE_JUSTIFIE]
    excluded = [
        Exclusion(id=r.id, raison="non applicable justifié") for r in chosen if r not in counted
    ]
    excluded += [x for x, lvl, pr in hors_perimetre if lvl is niveau and principe in (None, pr)]
    total = sum((Fraction(r.poids) for r in counted), Fraction(0))
    points = sum((Fraction(r.poids) * r.credit for r in counted), Fraction(0))
    score = points / total * 100 if total else None
    effectifs = {res: sum(1 for r in chosen if r.resultat is res) for res in Resultat}
    scope = PRINCIPE_LABELS[principe] if principe else "ensemble du référentiel"
    kind = "exigences obligatoires" if niveau is Niveau.EXIGENCE else "préconisations"
    if score is None:
        explication = f"{scope}, {kind} : aucune exigence comptée"
    else:
        detail = ", ".join(
            f"{n} {RESULTAT_LABELS[res].lower()}" for res, n in effectifs.items() if n
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
        exclues=excluded,
        effectifs={k: v for k, v in effectifs.items() if v},
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
