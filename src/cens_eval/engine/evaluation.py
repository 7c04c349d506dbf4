"""The engine: référentiels + questionnaire at a date → Evaluation, with its verdicts (pure).

What depends only on a référentiel, the profil answers its conditions read and the date —
which exigences are in scope, their effective level, why the others are out — is a
:class:`Perimetre`. A :class:`Preparation` keeps the périmètres already computed, so that an
evaluator scoring many dossiers against the same référentiel does that work once; it is an
explicit, bounded object owned by its caller (the batch
passes one through its dossiers), never a module global.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from cens_eval.engine.outcome import Decision, Regle, age_words, decide
from cens_eval.engine.readiness import preparation as etat_preparation
from cens_eval.engine.scoring import bareme, effective_level, obligation_date, score_figures
from cens_eval.engine.verdict import conclude
from cens_eval.model.applicability import describe, referentiel_applies, scope, unmet
from cens_eval.model.calendrier import Calendrier
from cens_eval.model.condition import Condition, leaves
from cens_eval.model.duree import ajouter, duree_texte
from cens_eval.model.profil import Profil, VocabulaireProfil
from cens_eval.model.questionnaire import Questionnaire, Reponse
from cens_eval.model.referentiel import Referentiel
from cens_eval.model.results import (
    AgePreuve,
    CategorieEcheance,
    Echeance,
    Evaluation,
    Exclusion,
    ResultatExigence,
    ResultatReferentiel,
)
from cens_eval.model.versions import REGLES_EN_VIGUEUR, Regles
from cens_eval.model.vocabulary import Niveau, Portee, Principe


@dataclass(frozen=True)
class EnPerimetre:
    """An in-scope exigence, with its rule, scope and effective level at the date."""

    regle: Regle
    portee: Portee
    niveau: Niveau
    due: dt.date | None = None
    """The date from which it is mandatory, if it is a préconisation with one."""
    calendrier: str | None = None
    """The title of the phase-in calendar that made it mandatory, if one did."""


@dataclass(frozen=True)
class Perimetre:
    """What a référentiel asks of one profil at one date."""

    exigences: tuple[EnPerimetre, ...]
    """In-scope exigences, in the référentiel's order."""
    dehors: tuple[tuple[Exclusion, Niveau, Principe], ...]
    """Exigences out of scope, why, and where they would have counted."""


class Preparation:
    """Périmètres already computed, by (référentiel, the profil answers it reads, date).

    Bounded: past ``taille`` entries, the least recently used is forgotten. A référentiel is
    recognised by identity, so a changed copy with the same id and version is prepared anew.
    """

    def __init__(self, taille: int = 256) -> None:
        self._taille = taille
        self._perimetres: OrderedDict[
            tuple[object, ...], tuple[Referentiel, VocabulaireProfil | None, Perimetre]
        ] = OrderedDict()
        self._questions: dict[tuple[str, str], tuple[Referentiel, list[str]]] = {}

    def perimetre(
        self,
        ref: Referentiel,
        profil: Profil,
        as_of: dt.date,
        calendrier: Calendrier | None = None,
        vocabulaire: VocabulaireProfil | None = None,
        regles: Regles = REGLES_EN_VIGUEUR,
    ) -> Perimetre:
        """The périmètre of ``ref`` for ``profil`` at ``as_of``, computed once per key.

        ``vocabulaire`` names the questions of the conditions in the reasons given, worded as
        ``regles`` says.
        """
        # Only the answers the conditions read matter; keep their types (True is not 1).
        answers = tuple((type(v), v) for v in map(profil.get, self._questions_of(ref)))
        # A calendar changes the périmètre by its dates for this référentiel, and its title.
        dated = (calendrier.titre, calendrier.dates(ref.id, ref.version)) if calendrier else None
        key = (ref.id, ref.version, as_of, answers, dated, regles.raison_hors_perimetre_reponse)
        cached = self._perimetres.get(key)
        if cached is not None and cached[0] is ref and cached[1] is vocabulaire:
            self._perimetres.move_to_end(key)
            return cached[2]
        perimetre = compute_perimetre(ref, profil, as_of, calendrier, vocabulaire, regles)
        self._perimetres[key] = (ref, vocabulaire, perimetre)
        if len(self._perimetres) > self._taille:
            self._perimetres.popitem(last=False)
        return perimetre

    def _questions_of(self, ref: Referentiel) -> list[str]:
        cached = self._questions.get((ref.id, ref.version))
        if cached is None or cached[0] is not ref:
            if len(self._questions) >= self._taille:
                self._questions.clear()
            cached = self._questions[(ref.id, ref.version)] = (ref, _questions(ref))
        return cached[1]


def evaluate(
    questionnaire: Questionnaire,
    referentiels: Sequence[Referentiel],
    *,
    as_of: dt.date,
    preparation: Preparation | None = None,
    calendrier: Calendrier | None = None,
    vocabulaire: VocabulaireProfil | None = None,
    regles: Regles = REGLES_EN_VIGUEUR,
) -> Evaluation:
    """Evaluate a questionnaire against the référentiels it answers, at the date ``as_of``.

    Args:
        questionnaire: the éditeur's profil and answers.
        referentiels: the référentiels named by the questionnaire (others are ignored).
        as_of: the evaluation date; it decides which préconisations are already mandatory.
        preparation: périmètres kept from earlier evaluations (none kept when omitted).
        calendrier: a phase-in calendar whose dates override the référentiels' own.
        vocabulaire: the profil vocabulary, to name questions by their labels in explanations.
        regles: the rules version to apply (those in force by default; an earlier one to
            recompute an earlier dossier's outcomes).

    Returns:
        The outcome of every in-scope exigence, scores, verdicts and échéances.
    """
    preparation = preparation or Preparation()
    wanted = {(r.id, r.version) for r in questionnaire.referentiels}
    chosen = sorted((r for r in referentiels if (r.id, r.version) in wanted), key=lambda r: r.id)
    results: list[ResultatReferentiel] = []
    skipped: list[Exclusion] = []
    echeances: list[Echeance] = []
    for ref in chosen:
        if referentiel_applies(ref, questionnaire.profil):
            perimetre = preparation.perimetre(
                ref, questionnaire.profil, as_of, calendrier, vocabulaire, regles
            )
            answers = questionnaire.reponses.get(ref.id, {})
            result = _evaluate_one(ref, perimetre, answers, regles, as_of)
            results.append(result)
            echeances += _echeances(ref, result, as_of, calendrier)
        else:
            skipped.append(
                Exclusion(
                    id=ref.id, raison=_not_applying(ref, questionnaire.profil, vocabulaire, regles)
                )
            )
    echeances.sort(key=lambda e: (e.date, e.referentiel, e.exigence, e.categorie))
    return Evaluation(
        as_of=as_of,
        version_regles=regles.version,
        referentiels=results,
        referentiels_non_applicables=skipped,
        echeances=echeances,
        preparation=etat_preparation(results, echeances),
    )


def _evaluate_one(
    ref: Referentiel,
    perimetre: Perimetre,
    answers: dict[str, Reponse],
    regles: Regles,
    as_of: dt.date,
) -> ResultatReferentiel:
    exigences = []
    for item in perimetre.exigences:
        reponse = answers.get(item.regle.id)
        decision = decide(item.regle, reponse, item.portee, regles, as_of)
        exigences.append(_result(ref.id, item, reponse, decision))
    verdict = conclude(exigences)
    return ResultatReferentiel(
        id=ref.id,
        version=ref.version,
        titre=ref.titre,
        verdict=verdict.verdict,
        explication=verdict.explication,
        exigences=exigences,
        hors_perimetre=[exclusion for exclusion, _, _ in perimetre.dehors],
        scores=score_figures(exigences, perimetre.dehors, regles),
        bloquantes=verdict.bloquantes,
    )


def _result(
    referentiel_id: str, item: EnPerimetre, reponse: Reponse | None, decision: Decision
) -> ResultatExigence:
    """The result of one in-scope exigence; its explanation words the decision."""
    exigence = item.regle.exigence
    explication: list[str] = []
    if item.portee is Portee.NON_APPLICABLE_A_JUSTIFIER:
        explication.append(
            "le profil place cette exigence hors du cas visé : elle doit être déclarée non applicable, avec sa preuve"
        )
    if item.niveau is not exigence.niveau:
        due = item.calendrier and f" (calendrier « {item.calendrier} »)"
        explication.append(f"préconisation devenue obligatoire le {item.due:%d/%m/%Y}{due or ''}")
    explication.append(decision.raison)
    explication += [age_words(p) for p in decision.datees]
    explication += [
        f"preuve {attendue} non datée : son âge maximal ({duree_texte(exigence.age_max_de(attendue) or '')}) n'a pu être vérifié"
        for attendue in decision.non_datees
    ]
    if reponse is not None and reponse.reprise:
        explication.append(reprise_words(reponse))
    if reponse is not None and reponse.a_reconfirmer:
        explication.append(
            "réponse à reconfirmer depuis le changement de version du référentiel : "
            + " ; ".join(reponse.a_reconfirmer)
        )
    return ResultatExigence(
        referentiel=referentiel_id,
        id=exigence.id,
        libelle=exigence.libelle,
        principe=exigence.principe,
        niveau=exigence.niveau,
        niveau_effectif=item.niveau,
        poids=exigence.poids,
        fidelite=exigence.fidelite,
        portee=item.portee,
        statut_declare=reponse.statut if reponse else None,
        resultat=decision.resultat,
        satisfaite=bareme().satisfait(decision.resultat),
        preuves_fournies=sorted({p.attendue for p in reponse.preuves}) if reponse else [],
        preuves_manquantes=list(decision.preuves_manquantes),
        explication=explication,
        engagement=reponse.engagement if reponse else None,
        reprises=reponse.reprise if reponse else [],
        ages=[
            AgePreuve(
                attendue=p.attendue,
                datee_du=p.datee_du,
                age_max=p.age_max,
                valable_jusqu_au=p.valable_jusqu_au,
                expiree=p.expiree,
            )
            for p in decision.datees
        ],
    )


def reprise_words(reponse: Reponse) -> str:
    """Where an answer taken from other exigences comes from, and whether it counts."""
    first = reponse.reprise[0]
    others = ", ".join(str(r) for r in reponse.reprise[1:] if r.confirmee)
    also = (
        f" (sources possibles aussi : {others} ; la plus restrictive l'emporte)" if others else ""
    )
    if not first.confirmee:
        return f"réponse pré-remplie depuis {first}, à confirmer par l'éditeur : non comptée"
    if reponse.statut is None:
        return f"réponse reprise de {first}, qui est sans réponse{also}"
    return f"réponse reprise de {first}, par référence{also}"


def _echeances(
    ref: Referentiel, result: ResultatReferentiel, as_of: dt.date, calendrier: Calendrier | None
) -> list[Echeance]:
    """Préconisations not met that become mandatory within a year, and engagements.

    Horizons: a préconisation is listed when it becomes mandatory within one year of ``as_of``
    (further dates are the référentiel's, and may move); an engagement of an exigence not met
    is listed whatever its date — overdue when its date is past, à venir from ``as_of`` on —
    because it is the éditeur's own dated promise, followed until it is kept.
    """
    horizon = ajouter(as_of, "P1Y")  # 29 February: the 28th; past 9999: the last day
    by_id = {e.id: e for e in ref.exigences}
    echeances: list[Echeance] = []
    for r in result.exigences:
        if r.satisfaite:
            continue
        due = obligation_date(ref, by_id[r.id], calendrier)
        if due is not None and as_of < due <= horizon:
            echeances.append(
                Echeance(
                    categorie=CategorieEcheance.PRECONISATION_BIENTOT_OBLIGATOIRE,
                    referentiel=ref.id,
                    exigence=r.id,
                    libelle=r.libelle,
                    date=due,
                    explication=f"préconisation non satisfaite, obligatoire à partir du {due:%d/%m/%Y}",
                )
            )
    for r in result.exigences:
        groups: dict[tuple[dt.date, bool, str], list[AgePreuve]] = {}
        for age in r.ages:
            groups.setdefault((age.valable_jusqu_au, age.expiree, age.age_max), []).append(age)
        for (last, expired, age_max), ages in sorted(groups.items()):
            names = ", ".join(f"{a.attendue} (du {a.datee_du:%d/%m/%Y})" for a in ages)
            echeances.append(
                Echeance(
                    categorie=CategorieEcheance.PREUVE_EXPIREE
                    if expired
                    else CategorieEcheance.PREUVE_A_RENOUVELER,
                    referentiel=ref.id,
                    exigence=r.id,
                    libelle=r.libelle,
                    date=last,
                    explication=f"âge maximal {duree_texte(age_max)} : preuve(s) {names} "
                    + (
                        f"expirée(s) depuis le {last + dt.timedelta(days=1):%d/%m/%Y}"
                        if expired
                        else f"à renouveler au plus tard le {last:%d/%m/%Y}"
                    ),
                )
            )
    for r in result.exigences:
        engagement = r.engagement
        if r.satisfaite or engagement is None:
            continue
        overdue = engagement.echeance < as_of
        echeances.append(
            Echeance(
                categorie=CategorieEcheance.ENGAGEMENT_EN_RETARD
                if overdue
                else CategorieEcheance.ENGAGEMENT_A_VENIR,
                referentiel=ref.id,
                exigence=r.id,
                libelle=r.libelle,
                date=engagement.echeance,
                explication=f"engagement « {engagement.action} » "
                + ("dépassé depuis le" if overdue else "à tenir au plus tard le")
                + f" {engagement.echeance:%d/%m/%Y}",
            )
        )
    return echeances


def compute_perimetre(
    ref: Referentiel,
    profil: Profil,
    as_of: dt.date,
    calendrier: Calendrier | None = None,
    vocabulaire: VocabulaireProfil | None = None,
    regles: Regles = REGLES_EN_VIGUEUR,
) -> Perimetre:
    """Which exigences of ``ref`` are in scope for ``profil`` at ``as_of``, and at what level."""
    inside: list[EnPerimetre] = []
    outside: list[tuple[Exclusion, Niveau, Principe]] = []
    for exigence in ref.exigences:
        due = obligation_date(ref, exigence, calendrier)
        niveau = effective_level(exigence.niveau, due, as_of)
        dated = calendrier is not None and due != exigence.obligatoire_a_partir_du
        portee = scope(exigence, profil)
        if portee is Portee.HORS_PERIMETRE:
            raison = _hors_perimetre(exigence.applicable_si, profil, vocabulaire, regles)
            outside.append((Exclusion(id=exigence.id, raison=raison), niveau, exigence.principe))
        else:
            inside.append(
                EnPerimetre(
                    Regle.of(exigence),
                    portee,
                    niveau,
                    due,
                    calendrier.titre if dated and calendrier else None,
                )
            )
    return Perimetre(tuple(inside), tuple(outside))


def _hors_perimetre(
    written: Condition | None,
    profil: Profil,
    vocabulaire: VocabulaireProfil | None,
    regles: Regles,
) -> str:
    """Why an exigence is hors périmètre, as the rules version words it."""
    if written is not None and regles.raison_hors_perimetre_reponse:
        return f"hors périmètre : {unmet(written, profil, vocabulaire)}"
    condition = describe(written, vocabulaire) if written else ""
    return f"hors périmètre : condition non remplie par le profil — {condition}"


def _not_applying(
    ref: Referentiel, profil: Profil, vocabulaire: VocabulaireProfil | None, regles: Regles
) -> str:
    """Why a référentiel does not apply to the profil, as the rules version words it."""
    if ref.applicable_si is not None and regles.raison_hors_perimetre_reponse:
        return f"ne s'applique pas au profil : {unmet(ref.applicable_si, profil, vocabulaire)}"
    condition = describe(ref.applicable_si, vocabulaire) if ref.applicable_si else ""
    return f"ne s'applique pas au profil ({condition})"


def _questions(ref: Referentiel) -> list[str]:
    """The profil questions the référentiel's conditions read."""
    conditions = [e.applicable_si for e in ref.exigences if e.applicable_si is not None]
    if ref.applicable_si is not None:
        conditions.append(ref.applicable_si)
    return sorted({question for c in conditions for _, question, _ in leaves(c)})
