"""Move a questionnaire to a new version of a référentiel (pure), without losing any answer.

- An answer whose exigence did not change (or only in its wording) is kept as it was.
- An answer whose exigence changed in a way that may change it (statement, level, principle,
  weight, evidence expected, applicability, phase-in date) is kept and marked
  ``a_reconfirmer`` with what changed, until the éditeur confirms it.
- A renamed exigence (``remplace`` in the new version) takes its answer along, wherever the
  rename leads (two ids swapped, a cycle, a chain): an answer always stays with the exigence
  whose text it answered (:func:`~cens_eval.engine.diff.predecessors`). An exigence several
  declare they replace is continued by none: its answer leaves for the report.
- An answer of another référentiel taken from one of its exigences (``reprise``) follows the
  rename; taken from a removed exigence, it loses that reprise and is marked ``a_reconfirmer``.
- A new exigence that applies to the profil appears, unanswered.
- An answer to a removed exigence, and a preuve given for an expected preuve that no longer
  exists, leave the questionnaire for the report, whole.
"""

from __future__ import annotations

from cens_eval.engine.diff import diff_referentiels, predecessors
from cens_eval.errors import CensEvalError
from cens_eval.model.applicability import referentiel_applies, scope
from cens_eval.model.condition import leaves
from cens_eval.model.diff import Nature
from cens_eval.model.migration import (
    AReconfirmer,
    Migration,
    PreuveRetiree,
    RapportMigration,
    Renommage,
    ReponseRetiree,
)
from cens_eval.model.questionnaire import Questionnaire, ReferentielRepondu, Reponse
from cens_eval.model.referentiel import Referentiel
from cens_eval.model.vocabulary import Portee


def migrate_questionnaire(
    questionnaire: Questionnaire, ancien: Referentiel, nouveau: Referentiel
) -> Migration:
    """The questionnaire answering ``nouveau`` instead of ``ancien``, and the report of the move.

    Args:
        questionnaire: a questionnaire that answers ``ancien`` (its other référentiels are kept).
        ancien: the version the questionnaire answers.
        nouveau: another version of the same référentiel.

    Raises:
        CensEvalError: the two référentiels are not versions of one, or the questionnaire does
            not answer ``ancien``.
    """
    if ancien.id != nouveau.id:
        raise CensEvalError(
            f"{ancien.id} et {nouveau.id} ne sont pas deux versions d'un même référentiel"
        )
    if not any(
        (r.id, r.version) == (ancien.id, ancien.version) for r in questionnaire.referentiels
    ):
        raise CensEvalError(
            f"le questionnaire ne répond pas au référentiel {ancien.id} {ancien.version}"
        )
    diff = diff_referentiels(ancien, nouveau)
    after = {old_id: new_id for new_id, old_id in predecessors(ancien, nouveau).before.items()}
    changes = {c.id: c for c in diff.exigences if c.nature is not Nature.SUPPRIMEE}
    added = {i for i, c in changes.items() if c.nature is Nature.AJOUTEE}
    conservees: list[str] = []
    renommees: list[Renommage] = []
    a_reconfirmer: list[AReconfirmer] = []
    retirees: list[ReponseRetiree] = []
    preuves_retirees: list[PreuveRetiree] = []
    kept: dict[str, Reponse] = {}
    for old_id, reponse in questionnaire.reponses.get(ancien.id, {}).items():
        new_id = after.get(old_id)
        exigence = None if new_id is None else nouveau.exigence(new_id)
        if exigence is None:  # removed, split, or unknown to the version answered
            before = ancien.exigence(old_id)
            libelle = before.libelle if before else ""
            retirees.append(ReponseRetiree(id=old_id, libelle=libelle, reponse=reponse))
            continue
        if old_id != exigence.id:
            renommees.append(Renommage(ancien=old_id, nouveau=exigence.id))
        change = changes.get(exigence.id)
        reasons = [m.description for m in change.a_reconfirmer] if change else []
        preuves = []
        for preuve in reponse.preuves:
            if exigence.preuve(preuve.attendue) is None:
                preuves_retirees.append(PreuveRetiree(exigence=exigence.id, preuve=preuve))
            else:
                preuves.append(preuve)
        if reasons:
            a_reconfirmer.append(AReconfirmer(id=exigence.id, changements=reasons))
        else:
            conservees.append(exigence.id)
        marks = [*reponse.a_reconfirmer, *(r for r in reasons if r not in reponse.a_reconfirmer)]
        kept[exigence.id] = reponse.model_copy(update={"preuves": preuves, "a_reconfirmer": marks})
    profil = questionnaire.profil
    applies = referentiel_applies(nouveau, profil)
    answers: dict[str, Reponse] = {}
    nouvelles: list[str] = []
    for e in nouveau.exigences:
        if e.id in kept:
            answers[e.id] = kept[e.id]
        elif e.id in added and applies and scope(e, profil) is not Portee.HORS_PERIMETRE:
            answers[e.id] = Reponse()
            nouvelles.append(e.id)
    conditions = [nouveau.applicable_si, *(e.applicable_si for e in nouveau.exigences)]
    read = {q for c in conditions if c is not None for _, q, _ in leaves(c)}
    reponses = {
        k: _follow_reprises(v, ancien, nouveau, after)
        for k, v in questionnaire.reponses.items()
        if k != ancien.id
    }
    if answers:
        reponses[ancien.id] = answers
    moved = questionnaire.model_copy(
        update={
            "referentiels": [
                ReferentielRepondu(id=r.id, version=nouveau.version) if r.id == ancien.id else r
                for r in questionnaire.referentiels
            ],
            "reponses": reponses,
        }
    )
    rapport = RapportMigration(
        referentiel=ancien.id,
        de=ancien.version,
        vers=nouveau.version,
        conservees=conservees,
        renommees=renommees,
        a_reconfirmer=a_reconfirmer,
        nouvelles=nouvelles,
        retirees=retirees,
        preuves_retirees=preuves_retirees,
        questions_profil=sorted(read - set(profil)),
    )
    return Migration(questionnaire=moved, rapport=rapport)


def _follow_reprises(
    answers: dict[str, Reponse], ancien: Referentiel, nouveau: Referentiel, after: dict[str, str]
) -> dict[str, Reponse]:
    """The answers of another référentiel, their reprises from ``ancien`` led to ``nouveau``."""
    moved: dict[str, Reponse] = {}
    for exigence_id, reponse in answers.items():
        if not any(r.referentiel == ancien.id for r in reponse.reprise):
            moved[exigence_id] = reponse
            continue
        reprises, marks = [], list(reponse.a_reconfirmer)
        for r in reponse.reprise:
            new_id = after.get(r.exigence) if r.referentiel == ancien.id else r.exigence
            if new_id is None or (nouveau.exigence(new_id) is None and r.referentiel == ancien.id):
                mark = (
                    f"la réponse était reprise de {r}, absente de {ancien.id} {nouveau.version} "
                    "(reprise retirée) : répondre"
                )
                marks += [mark] if mark not in marks else []
            else:
                reprises.append(r.model_copy(update={"exigence": new_id}))
        moved[exigence_id] = reponse.model_copy(
            update={"reprise": reprises, "a_reconfirmer": marks}
        )
    return moved
