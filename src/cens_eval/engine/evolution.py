"""What changed between two dossiers of one solution, and why (pure).

Exigences are matched across référentiel versions by the renames the later version declares
(:func:`~cens_eval.engine.diff.predecessors`): never by a similar text. Each change is classed
(improved, degraded, changed without effect, new, removed, preuve renewed, preuve expired) and
given its causes — the éditeur's answer or preuve, or what the éditeur did not do: a new version
of the référentiel, the calendar (the evaluation date, a phase-in date, a preuve's age), the
scope (profil) or the scoring rules — so that a change of référentiel is never read as progress.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from cens_eval.engine.diff import exigence_changes, predecessors
from cens_eval.model.dossier import Dossier, ExigenceDossier, PreuveDossier, ResultatDossier
from cens_eval.model.evolution import (
    Cause,
    DossierCompare,
    EvolutionDossier,
    EvolutionExigence,
    EvolutionScore,
    EvolutionVerdict,
    NatureEvolution,
)
from cens_eval.model.referentiel import Referentiel
from cens_eval.model.vocabulary import (
    NIVEAU_LABELS,
    RESULTAT_LABELS,
    STATUT_LABELS,
    Niveau,
    Resultat,
)

RANG: dict[Resultat, int] = {
    Resultat.CONFORME: 4,
    Resultat.NON_APPLICABLE_JUSTIFIE: 4,
    Resultat.PARTIELLEMENT_CONFORME: 3,
    Resultat.PREUVES_MANQUANTES: 2,
    Resultat.NON_CONFORME: 1,
    Resultat.NON_APPLICABLE_NON_JUSTIFIE: 1,
    Resultat.SANS_REPONSE: 0,
}
"""How far an outcome goes towards meeting the exigence: a higher rank is an improvement; two
outcomes of one rank are a change without effect."""

Refs = Mapping[tuple[str, str], Referentiel]
"""The référentiels a dossier was evaluated with (its own copies), by (id, version)."""


def not_comparable(ancien: Dossier, nouveau: Dossier) -> str | None:
    """Why two dossiers are not two submissions of one solution (None: they are)."""
    pairs = [
        ("éditeur", ancien.editeur.nom, nouveau.editeur.nom),
        ("SIREN", ancien.editeur.siren or "—", nouveau.editeur.siren or "—"),
        ("solution", ancien.solution.nom, nouveau.solution.nom),
    ]
    differ = [f"{what} « {a} » / « {b} »" for what, a, b in pairs if a != b]
    return "non comparables : " + ", ".join(differ) if differ else None


def side(dossier: Dossier, shown: str, sha256: str) -> DossierCompare:
    """One side of the comparison, as the report names it."""
    return DossierCompare(
        dossier=shown,
        sha256=sha256,
        solution_version=dossier.solution.version,
        as_of=dossier.as_of,
        referentiels=[f"{r.id} {r.version}" for r in dossier.resultats],
        version_regles=dossier.version_regles,
    )


def compare_dossiers(
    ancien: Dossier,
    nouveau: Dossier,
    refs: tuple[Refs, Refs],
    sides: tuple[DossierCompare, DossierCompare],
) -> EvolutionDossier:
    """Every exigence, score and verdict that changed from ``ancien`` to ``nouveau``.

    Args:
        ancien: the earlier dossier.
        nouveau: the later dossier of the same solution (:func:`not_comparable` says).
        refs: the référentiels each was evaluated with, to follow renames and name changes.
        sides: how the report names each dossier.
    """
    context = _Context(ancien, nouveau, refs)
    exigences: list[EvolutionExigence] = []
    scores: list[EvolutionScore] = []
    verdicts: list[EvolutionVerdict] = []
    old_results = {r.id: r for r in ancien.resultats}
    new_results = {r.id: r for r in nouveau.resultats}
    for ref_id in sorted(old_results.keys() | new_results.keys()):
        before, after = old_results.get(ref_id), new_results.get(ref_id)
        changed, old_to_new = context.referentiel(before, after)
        exigences += changed
        if before is not None and after is not None:
            scores += _scores(before, after, changed)
        verdict = _verdict(ref_id, before, after, old_to_new)
        if verdict is not None:
            verdicts.append(verdict)
    return EvolutionDossier(
        editeur=nouveau.editeur.nom,
        solution=nouveau.solution.nom,
        ancien=sides[0],
        nouveau=sides[1],
        contexte=_contexte(ancien, nouveau),
        exigences=exigences,
        scores=scores,
        verdicts=verdicts,
    )


class _Context:
    def __init__(self, ancien: Dossier, nouveau: Dossier, refs: tuple[Refs, Refs]) -> None:
        self.ancien, self.nouveau, self.refs = ancien, nouveau, refs
        self.hashes = (
            {p.chemin: p.sha256 for p in ancien.manifeste},
            {p.chemin: p.sha256 for p in nouveau.manifeste},
        )
        self.rules_changed = ancien.version_regles != nouveau.version_regles
        self.profil_changed = ancien.profil != nouveau.profil

    def referentiel(
        self, before: ResultatDossier | None, after: ResultatDossier | None
    ) -> tuple[list[EvolutionExigence], dict[str, str]]:
        """The changed exigences of one référentiel, and each old id's new id."""
        ref_id = (before or after).id  # type: ignore[union-attr]  # one of them is there
        old_ref = self.refs[0].get((ref_id, before.version)) if before else None
        new_ref = self.refs[1].get((ref_id, after.version)) if after else None
        new_to_old: dict[str, str] = {}
        if old_ref is not None and new_ref is not None:
            new_to_old = predecessors(old_ref, new_ref).before
        old_to_new = {old: new for new, old in new_to_old.items()}
        old_in = {e.id: e for e in before.exigences} if before else {}
        old_out = {x.id for x in before.hors_perimetre} if before else set()
        changes: list[EvolutionExigence] = []
        matched: set[str] = set()
        for e in after.exigences if after else []:
            old_id = new_to_old.get(e.id)
            old = old_in.get(old_id) if old_id else None
            if old is None or old_id is None:
                cause = (
                    Cause.PERIMETRE
                    if old_id is not None and (old_id in old_out or before is None)
                    else Cause.VERSION_REFERENTIEL
                )
                if old_ref is None:
                    cause = Cause.PERIMETRE  # the référentiel itself was not evaluated before
                changes.append(_appeared(ref_id, e, None, NatureEvolution.NOUVEAU, cause))
                continue
            matched.add(old_id)
            change = self.exigence(ref_id, old, e, old_ref, new_ref)
            if change is not None:
                changes.append(change)
        for old in before.exigences if before else []:
            if old.id in matched:
                continue
            cause = (
                Cause.PERIMETRE
                if old.id in old_to_new or new_ref is None
                else (Cause.VERSION_REFERENTIEL)
            )
            changes.append(_appeared(ref_id, old, old.id, NatureEvolution.RETIRE, cause))
        return changes, old_to_new

    def exigence(
        self,
        ref_id: str,
        old: ExigenceDossier,
        new: ExigenceDossier,
        old_ref: Referentiel | None,
        new_ref: Referentiel | None,
    ) -> EvolutionExigence | None:
        causes: list[Cause] = []
        details: list[str] = []
        if old.statut_declare != new.statut_declare:
            causes.append(Cause.REPONSE)
            details.append(f"déclaration : {_statut(old)} → {_statut(new)}")
        if old.justification != new.justification:
            causes.append(Cause.REPONSE)
            details.append("justification modifiée")
        if old.engagement != new.engagement:
            causes.append(Cause.REPONSE)
            details.append("engagement modifié")
        preuves = self.preuves(old, new)
        if preuves:
            causes.append(Cause.PREUVE)
            details += preuves
        renewed = _renewed(old, new)
        details += [f"preuve {p} renouvelée" for p in renewed]
        if old.id != new.id:
            causes.append(Cause.VERSION_REFERENTIEL)
            details.append(f"renommée : {old.id} → {new.id}")
        if old_ref is not None and new_ref is not None and old_ref.version != new_ref.version:
            was, now = old_ref.exigence(old.id), new_ref.exigence(new.id)
            if was is not None and now is not None:
                modifications = exigence_changes(was, now)
                if modifications:
                    causes.append(Cause.VERSION_REFERENTIEL)
                    details += [f"référentiel : {m.description}" for m in modifications]
        if old.niveau_effectif != new.niveau_effectif and old.niveau == new.niveau:
            causes.append(Cause.CALENDRIER)
            before, after = NIVEAU_LABELS[old.niveau_effectif], NIVEAU_LABELS[new.niveau_effectif]
            details.append(f"niveau effectif : {before.lower()} → {after.lower()}")
        expired = _expired(new) - _expired(old)
        if expired and not preuves and not renewed:
            causes.append(Cause.CALENDRIER)
        details += [f"preuve {p} expirée" for p in sorted(expired)]
        rank_before, rank_after = RANG[old.resultat], RANG[new.resultat]
        if old.resultat != new.resultat and not causes:
            causes.append(
                Cause.REGLE_DE_SCORE
                if self.rules_changed
                else Cause.PERIMETRE
                if self.profil_changed
                else Cause.CALENDRIER
            )
        if not causes and not renewed:
            return None
        if renewed and Cause.REPONSE not in causes and rank_after >= rank_before:
            nature = NatureEvolution.PREUVE_RENOUVELEE
            causes.append(Cause.PREUVE)
        elif expired and rank_after < rank_before and Cause.PREUVE not in causes:
            nature = NatureEvolution.PREUVE_EXPIREE
        elif rank_after > rank_before:
            nature = NatureEvolution.AMELIORE
        elif rank_after < rank_before:
            nature = NatureEvolution.DEGRADE
        else:
            nature = NatureEvolution.MODIFIE_SANS_EFFET
        if old.resultat != new.resultat:
            before_label, after_label = RESULTAT_LABELS[old.resultat], RESULTAT_LABELS[new.resultat]
            details.insert(0, f"résultat : {before_label.lower()} → {after_label.lower()}")
        return EvolutionExigence(
            referentiel=ref_id,
            id=new.id,
            ancien_id=old.id,
            libelle=new.libelle,
            principe=new.principe,
            niveaux=sorted({old.niveau_effectif, new.niveau_effectif}, key=list(Niveau).index),
            nature=nature,
            causes=sorted(set(causes), key=list(Cause).index),
            avant=old.resultat,
            apres=new.resultat,
            details=details,
        )

    def preuves(self, old: ExigenceDossier, new: ExigenceDossier) -> list[str]:
        """The preuves given, taken away or whose file changed (dates aside)."""
        before = {_key(p) for p in old.preuves}
        after = {_key(p) for p in new.preuves}
        details = []
        added = sorted({k[0] for k in after - before})
        removed = sorted({k[0] for k in before - after})
        if added:
            details.append(f"preuve(s) nouvelle(s) ou modifiée(s) : {', '.join(added)}")
        if removed:
            details.append(f"preuve(s) retirée(s) ou modifiée(s) : {', '.join(removed)}")
        for p in new.preuves:
            if p.fichier is None or _key(p) not in before:
                continue
            was, now = self.hashes[0].get(p.fichier), self.hashes[1].get(p.fichier)
            if was is not None and now is not None and was != now:
                details.append(f"preuve {p.attendue} : fichier {p.fichier} modifié")
        return details


def _key(p: PreuveDossier) -> tuple[str, str | None, str | None, str | None, str | None]:
    """A preuve as given, its dates aside."""
    valeur = None if p.valeur is None else str(p.valeur)
    return (p.attendue, p.fichier, p.url, p.declaration, valeur)


def _renewed(old: ExigenceDossier, new: ExigenceDossier) -> list[str]:
    """Expected preuves given again with a later date."""

    def latest(e: ExigenceDossier) -> dict[str, dt.date]:
        days: dict[str, dt.date] = {}
        for p in e.preuves:
            day = p.date or (p.periode.fin if p.periode else None)
            if day is not None and day > days.get(p.attendue, dt.date.min):
                days[p.attendue] = day
        return days

    before, after = latest(old), latest(new)
    return sorted(k for k, day in after.items() if k in before and day > before[k])


def _expired(e: ExigenceDossier) -> set[str]:
    return {a.attendue for a in e.ages if a.expiree}


def _statut(e: ExigenceDossier) -> str:
    return STATUT_LABELS[e.statut_declare].lower() if e.statut_declare else "sans réponse"


def _appeared(
    ref_id: str, e: ExigenceDossier, old_id: str | None, nature: NatureEvolution, cause: Cause
) -> EvolutionExigence:
    new = nature is NatureEvolution.NOUVEAU
    words = {
        Cause.VERSION_REFERENTIEL: "ajoutée par la version du référentiel"
        if new
        else "retirée par la version du référentiel",
        Cause.PERIMETRE: "entrée dans le périmètre" if new else "sortie du périmètre",
    }
    return EvolutionExigence(
        referentiel=ref_id,
        id=e.id,
        ancien_id=old_id,
        libelle=e.libelle,
        principe=e.principe,
        niveaux=[e.niveau_effectif],
        nature=nature,
        causes=[cause],
        avant=None if new else e.resultat,
        apres=e.resultat if new else None,
        details=[words[cause]],
    )


def _scores(
    before: ResultatDossier, after: ResultatDossier, changed: list[EvolutionExigence]
) -> list[EvolutionScore]:
    old = {(s.principe, s.niveau): s for s in before.scores}
    moving = [  # what can move a figure: the outcome, the level or the weight
        c
        for c in changed
        if c.avant != c.apres
        or len(c.niveaux) > 1
        or any(d.startswith("référentiel : poids") for d in c.details)
    ]
    figures = []
    for s in after.scores:
        was = old.get((s.principe, s.niveau))
        if was is not None and was.score_exact == s.score_exact:
            continue
        figures.append(
            EvolutionScore(
                referentiel=after.id,
                principe=s.principe,
                niveau=s.niveau,
                libelle=s.libelle,
                avant=was.score if was else None,
                apres=s.score,
                exigences=[
                    c.id
                    for c in moving
                    if s.principe in (None, c.principe) and s.niveau in c.niveaux
                ],
            )
        )
    return figures


def _verdict(
    ref_id: str,
    before: ResultatDossier | None,
    after: ResultatDossier | None,
    old_to_new: dict[str, str],
) -> EvolutionVerdict | None:
    was = before.verdict if before else None
    now = after.verdict if after else None
    if was == now:
        return None
    blocking_before = {old_to_new.get(b.id, b.id) for b in before.bloquantes} if before else set()
    blocking_after = {b.id for b in after.bloquantes} if after else set()
    return EvolutionVerdict(
        referentiel=ref_id,
        avant=was,
        apres=now,
        exigences=sorted(blocking_before ^ blocking_after),
    )


def _contexte(ancien: Dossier, nouveau: Dossier) -> list[str]:
    """What changed around the answers, in words."""
    lines = []
    if ancien.solution.version != nouveau.solution.version:
        lines.append(
            f"version de la solution : {ancien.solution.version} → {nouveau.solution.version}"
        )
    if ancien.as_of != nouveau.as_of:
        lines.append(f"date d'évaluation : {ancien.as_of:%d/%m/%Y} → {nouveau.as_of:%d/%m/%Y}")
    old_refs = {r.id: r.version for r in ancien.referentiels}
    new_refs = {r.id: r.version for r in nouveau.referentiels}
    for ref_id in sorted(old_refs.keys() | new_refs.keys()):
        was, now = old_refs.get(ref_id, "—"), new_refs.get(ref_id, "—")
        if was != now:
            lines.append(f"référentiel {ref_id} : version {was} → {now}")
    for key in sorted(ancien.profil.keys() | nouveau.profil.keys()):
        was_v, now_v = ancien.profil.get(key), nouveau.profil.get(key)
        if was_v != now_v:
            lines.append(f"profil {key} : {was_v} → {now_v}")
    if ancien.version_regles != nouveau.version_regles:
        lines.append(f"règles : v{ancien.version_regles} → v{nouveau.version_regles}")
    old_cal = ancien.calendrier.sha256 if ancien.calendrier else None
    new_cal = nouveau.calendrier.sha256 if nouveau.calendrier else None
    if old_cal != new_cal:
        lines.append("calendrier de mise en œuvre : modifié")
    return lines
