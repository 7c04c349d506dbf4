"""A dossier, or a reviewed dossier, as OSCAL 1.2.1 assessment results (bytes out).

The first result is the éditeur's self-assessment as cens-eval evaluated it: the applicable
exigences as reviewed controls (hors périmètre excluded, with the reason), one observation per
answer (its justification, its preuves as relevant evidence pointing to back-matter resources
that carry each file's SHA-256), one finding per exigence (satisfied or not-satisfied, the exact
cens-eval outcome in a namespaced prop: OSCAL has no « partially satisfied »), one risk per
engagement (with its deadline), verdicts and scores as props. A reviewed dossier adds a second
result: the evaluator's avis as observations and findings, agreement and κ, the opinion as an
attestation, bound to the SHA-256 of the ``dossier.json`` reviewed. Every uuid is a uuid5 over
the dossier's SHA-256 and what it names: the same dossier gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from typing import Any

from cens_eval.model.dossier import (
    Dossier,
    Empreinte,
    ExigenceDossier,
    ResultatDossier,
    ScoreDossier,
)
from cens_eval.model.oscal import NS, OSCAL_VERSION, Role, content_uuid, timestamp, token
from cens_eval.model.review import (
    AVIS_LABELS,
    OPINION_LABELS,
    DossierRevu,
    ExigenceRevue,
    ReferentielRevu,
)
from cens_eval.model.vocabulary import RESULTAT_LABELS, STATUT_LABELS, Resultat, Statut
from cens_eval.render.oscal_common import document_bytes, prop, props, sha256_link

EDITEUR, EVALUATEUR, ORGANISME = "editeur", "evaluateur", "organisme-evaluateur"

IMPLEMENTATION: dict[Statut, str] = {
    Statut.CONFORME: "implemented",
    Statut.PARTIELLEMENT_CONFORME: "partial",
    Statut.NON_APPLICABLE: "not-applicable",
}
"""The OSCAL implementation status of what the éditeur declared (none for non conforme, unless
an engagement plans the work: ``planned``)."""


def render_assessment_results(
    dossier: Dossier, dossier_sha256: str, revue_sha256: str | None = None
) -> bytes:
    """A dossier (or reviewed dossier) as OSCAL assessment results, JSON bytes.

    Args:
        dossier: the dossier read from ``dossier.json``, or the reviewed dossier (``revue.json``).
        dossier_sha256: SHA-256 of the ``dossier.json`` bytes (the dossier's identity).
        revue_sha256: for a reviewed dossier, SHA-256 of its ``revue.json`` bytes.
    """
    return document_bytes(
        "assessment-results", _Results(dossier, dossier_sha256, revue_sha256).body()
    )


class _Results:
    def __init__(self, dossier: Dossier, sha256: str, revue_sha256: str | None) -> None:
        self.dossier = dossier
        self.sha256 = sha256
        self.revue = dossier.revue if isinstance(dossier, DossierRevu) else None
        self.revue_sha256 = revue_sha256 if self.revue is not None else None
        folder = posixpath.dirname(dossier.questionnaire.fichier)
        self.evidence = {
            p.chemin: (posixpath.join(folder, p.chemin) if folder else p.chemin, p.sha256)
            for p in dossier.manifeste
        }

    def uuid(self, *parts: str) -> str:
        """A uuid of the dossier's content: the same for the dossier alone or reviewed."""
        return content_uuid("assessment-results", self.sha256, *parts)

    def review_uuid(self, *parts: str) -> str:
        assert self.revue is not None
        return self.uuid("revue", self.revue.fichier.sha256, *parts)

    # -- the document ----------------------------------------------------------------------
    def body(self) -> dict[str, Any]:
        d = self.dossier
        results = [self.declared()]
        if self.revue is not None:
            results.append(self.reviewed())
        return {
            "uuid": self.uuid("document", self.revue_sha256 or ""),
            "metadata": self.metadata(),
            "import-ap": {
                "href": f"#{self.resource_uuid(d.questionnaire.fichier)}",
                "remarks": "Aucun plan d'évaluation OSCAL : le questionnaire de l'éditeur "
                "(ressource de la back-matter, avec son SHA-256) en tient lieu.",
            },
            "results": results,
            "back-matter": {"resources": self.resources()},
        }

    def metadata(self) -> dict[str, Any]:
        d, revue = self.dossier, self.revue
        title = f"Évaluation de {d.solution.nom} {d.solution.version} ({d.editeur.nom})"
        modified = d.genere_le
        if revue is not None:
            title += f", revue par {revue.evaluateur.nom}"
            modified = max(modified, dt.datetime.combine(revue.date, dt.time(), tzinfo=dt.UTC))
        parties: list[dict[str, Any]] = [
            {
                "uuid": self.uuid("partie", EDITEUR),
                "type": "organization",
                "name": d.editeur.nom,
                "props": props(("siren", d.editeur.siren)),
                "remarks": f"Contact : {d.editeur.contact}" if d.editeur.contact else None,
            }
        ]
        roles = [{"id": EDITEUR, "title": "Éditeur"}]
        responsible = [{"role-id": EDITEUR, "party-uuids": [self.uuid("partie", EDITEUR)]}]
        if revue is not None:
            who = revue.evaluateur
            organisme = self.review_uuid("partie", ORGANISME) if who.organisme else None
            parties.append(
                {
                    "uuid": self.review_uuid("partie", EVALUATEUR),
                    "type": "person",
                    "name": who.nom,
                    "props": props(("fonction", who.fonction)),
                    "member-of-organizations": [organisme] if organisme else [],
                    "remarks": f"Contact : {who.contact}" if who.contact else None,
                }
            )
            if organisme:
                parties.append({"uuid": organisme, "type": "organization", "name": who.organisme})
            roles.append({"id": EVALUATEUR, "title": "Évaluateur"})
            responsible.append(
                {"role-id": EVALUATEUR, "party-uuids": [self.review_uuid("partie", EVALUATEUR)]}
            )
        return {
            "title": title,
            "last-modified": timestamp(modified),
            "version": self.revue_sha256 or self.sha256,
            "oscal-version": OSCAL_VERSION,
            "props": props(
                ("outil", f"{d.outil.nom} {d.outil.version}"),
                ("version-format", d.version_format),
                ("version-regles", d.version_regles),
                ("solution", d.solution.nom),
                ("solution-version", d.solution.version),
                ("dossier-sha256", self.sha256),
            ),
            "roles": roles,
            "parties": parties,
            "responsible-parties": responsible,
        }

    # -- back-matter -----------------------------------------------------------------------
    def resource_uuid(self, fichier: str) -> str:
        return self.uuid("ressource", fichier)

    def resources(self) -> list[dict[str, Any]]:
        d = self.dossier
        files: list[tuple[str, Empreinte, str]] = [
            (
                "Dossier de conformité (dossier.json)",
                Empreinte(fichier="dossier.json", sha256=self.sha256),
                Role.DOSSIER,
            ),
            ("Questionnaire de l'éditeur", d.questionnaire, Role.QUESTIONNAIRE),
            ("Vocabulaire du profil", d.vocabulaire_profil, Role.VOCABULAIRE_PROFIL),
        ]
        if d.calendrier is not None:
            files.append(("Calendrier de passage à l'obligation", d.calendrier, Role.CALENDRIER))
        if self.revue is not None and self.revue_sha256 is not None:
            revue = Empreinte(fichier="revue.json", sha256=self.revue_sha256)
            files.append(("Dossier revu (revue.json)", revue, Role.REVUE))
            files.append(("Fichier de revue appliqué", self.revue.fichier, Role.REVUE))
        resources = [
            {
                "uuid": self.resource_uuid(f.fichier),
                "title": title,
                "props": props(("role", role)),
                "rlinks": [sha256_link(f.fichier, f.sha256)],
            }
            for title, f, role in files
        ]
        for r in d.referentiels:
            resources.append(
                {
                    "uuid": self.resource_uuid(r.fichier),
                    "title": f"Référentiel {r.id} {r.version} : {r.titre}",
                    "props": props(
                        ("role", Role.FICHIER_REFERENTIEL),
                        ("referentiel-id", r.id),
                        ("referentiel-version", r.version),
                        ("statut", r.statut.value),
                    ),
                    "rlinks": [sha256_link(r.fichier, r.sha256)],
                }
            )
        for chemin, (href, sha256) in self.evidence.items():
            resources.append(
                {
                    "uuid": self.resource_uuid(href),
                    "title": f"Preuve {chemin}",
                    "props": props(("role", Role.PREUVE)),
                    "rlinks": [sha256_link(href, sha256)],
                }
            )
        return resources

    # -- the éditeur's result --------------------------------------------------------------
    def declared(self) -> dict[str, Any]:
        d = self.dossier
        verdicts = "; ".join(f"{r.id} {r.version} : {r.explication}" for r in d.resultats)
        result_props = []
        for r in d.resultats:
            group = token(r.id)
            result_props.append(prop("verdict", r.verdict.value, group=group))
            result_props += _scores(r.scores, "score", group)
            result_props += [
                prop("hors-perimetre", x.id, group=group, remarks=x.raison)
                for x in r.hors_perimetre
            ]
        result_props += [
            prop("referentiel-non-applicable", x.id, remarks=x.raison)
            for x in d.referentiels_non_applicables
        ]
        observations, findings, risks = [], [], []
        for r in d.resultats:
            for e in r.exigences:
                observation = self.observation(r, e)
                if observation:
                    observations.append(observation)
                risk = self.risk(r, e)
                if risk:
                    risks.append(risk)
                findings.append(self.finding(r, e, observation, risk))
        return {
            "uuid": self.uuid("resultat"),
            "title": "Auto-évaluation de l'éditeur, évaluée par cens-eval",
            "description": f"Évaluation au {d.as_of:%d/%m/%Y} (règles v{d.version_regles}). "
            + (verdicts or "Aucun référentiel applicable."),
            "start": timestamp(d.as_of),
            "props": [prop("conforme", d.conforme), *result_props],
            "reviewed-controls": self.reviewed_controls(),
            "observations": observations,
            "risks": risks,
            "findings": findings,
        }

    def reviewed_controls(self) -> dict[str, Any]:
        d = self.dossier
        selections = []
        for r in d.resultats:
            ref = next((u for u in d.referentiels if u.id == r.id and u.version == r.version), None)
            selection: dict[str, Any] = {
                "description": f"Exigences applicables du référentiel {r.id} {r.version} ; "
                "celles hors périmètre sont exclues, avec leur raison dans les props "
                "« hors-perimetre » du résultat.",
                "props": props(("referentiel-id", r.id), ("referentiel-version", r.version)),
                "links": [{"href": f"#{self.resource_uuid(ref.fichier)}", "rel": "reference"}]
                if ref
                else [],
                "include-controls": [{"control-id": token(e.id)} for e in r.exigences],
                "exclude-controls": [{"control-id": token(x.id)} for x in r.hors_perimetre],
            }
            if not r.exigences:
                selection["include-all"] = {}
            selections.append(selection)
        if not selections:
            selections.append(
                {"description": "Aucun référentiel applicable au profil.", "include-all": {}}
            )
        return {"control-selections": selections}

    def observation(self, r: ResultatDossier, e: ExigenceDossier) -> dict[str, Any] | None:
        if e.statut_declare is None:
            return None
        statut = STATUT_LABELS[e.statut_declare]
        evidence = []
        for p in e.preuves:
            item: dict[str, Any] = {
                "description": p.libelle_attendu,
                "props": props(
                    ("preuve-attendue", p.attendue),
                    ("type-preuve", p.type.value if p.type else None),
                    ("valeur", p.valeur),
                ),
            }
            if p.fichier is not None:
                href = self.evidence.get(p.fichier, (p.fichier, ""))[0]
                known = p.fichier in self.evidence
                item = {"href": f"#{self.resource_uuid(href)}" if known else href, **item}
            elif p.url is not None:
                item = {"href": p.url, **item}
            if p.declaration is not None:
                item["remarks"] = p.declaration
            evidence.append(item)
        return {
            "uuid": self.uuid("observation", r.id, e.id),
            "title": f"{r.id} {e.id} : déclaration de l'éditeur ({statut.lower()})",
            "description": e.justification or f"Déclaré {statut.lower()}, sans justification.",
            "props": props(
                ("referentiel-id", r.id),
                ("exigence", e.id),
                ("statut-declare", e.statut_declare.value),
            ),
            "methods": ["EXAMINE"],
            "types": ["control-objective"],
            "origins": [self.actor(EDITEUR, self.uuid("partie", EDITEUR))],
            "relevant-evidence": evidence,
            "collected": timestamp(self.dossier.as_of),
        }

    @staticmethod
    def actor(role: str, party: str) -> dict[str, Any]:
        return {"actors": [{"type": "party", "actor-uuid": party, "role-id": role}]}

    def risk(self, r: ResultatDossier, e: ExigenceDossier) -> dict[str, Any] | None:
        if e.engagement is None:
            return None
        late = e.engagement.echeance < self.dossier.as_of
        return {
            "uuid": self.uuid("risque", r.id, e.id),
            "title": f"{r.id} {e.id} : écart couvert par un engagement de l'éditeur",
            "description": f"{e.libelle} — résultat : {RESULTAT_LABELS[e.resultat].lower()}.",
            "statement": e.engagement.action,
            "props": props(("referentiel-id", r.id), ("exigence", e.id), ("en-retard", late)),
            "status": "remediating",
            "deadline": timestamp(e.engagement.echeance),
            "remediations": [
                {
                    "uuid": self.uuid("remediation", r.id, e.id),
                    "lifecycle": "planned",
                    "title": "Engagement de l'éditeur",
                    "description": e.engagement.action,
                }
            ],
        }

    def finding(
        self,
        r: ResultatDossier,
        e: ExigenceDossier,
        observation: dict[str, Any] | None,
        risk: dict[str, Any] | None,
    ) -> dict[str, Any]:
        implementation = IMPLEMENTATION.get(e.statut_declare) if e.statut_declare else None
        if implementation is None and e.engagement is not None:
            implementation = "planned"
        return {
            "uuid": self.uuid("constat", r.id, e.id),
            "title": f"{r.id} {e.id} — {e.libelle}",
            "description": "\n\n".join(e.explication) or RESULTAT_LABELS[e.resultat],
            "props": props(
                ("referentiel-id", r.id),
                ("resultat", e.resultat.value),
                ("niveau-effectif", e.niveau_effectif.value),
                ("principe", e.principe.value),
                ("fidelite", e.fidelite.value),
                ("bloquante", e.bloquante),
            ),
            "target": {
                "type": "statement-id",
                "target-id": f"{token(e.id)}_smt",
                "status": _status(e.satisfaite, e.resultat),
                "implementation-status": {"state": implementation} if implementation else None,
            },
            "related-observations": [{"observation-uuid": observation["uuid"]}]
            if observation
            else [],
            "related-risks": [{"risk-uuid": risk["uuid"]}] if risk else [],
        }

    # -- the evaluator's result ------------------------------------------------------------
    def reviewed(self) -> dict[str, Any]:
        revue = self.revue
        assert revue is not None
        evaluator = self.review_uuid("partie", EVALUATEUR)
        result_props = [
            prop("dossier-sha256", self.sha256),
            prop("avis-propose", revue.opinion_proposee.value),
            *props(
                ("avis-retenu", revue.opinion_retenue.value if revue.opinion_retenue else None),
                ("conforme-evalue", revue.conforme_evalue),
                ("accord-pourcentage", revue.accord.pourcentage),
                ("kappa", revue.accord.kappa),
                ("kappa-exact", revue.accord.kappa_exact),
            ),
        ]
        observations, findings = [], []
        for r in revue.referentiels:
            group = token(r.id)
            result_props.append(prop("verdict-evalue", r.verdict_evalue.value, group=group))
            result_props += _scores(r.scores_evalues, "score-evalue", group)
            for e in r.exigences:
                observation = self.avis_observation(r, e, evaluator)
                if observation:
                    observations.append(observation)
                findings.append(self.avis_finding(r, e, observation))
        opinion = revue.opinion_retenue
        attestation = {
            "responsible-parties": [{"role-id": EVALUATEUR, "party-uuids": [evaluator]}],
            "parts": [
                {
                    "name": "avis-propose",
                    "ns": NS,
                    "title": f"Avis proposé : {OPINION_LABELS[revue.opinion_proposee]}",
                    "prose": "\n\n".join(revue.motifs) or OPINION_LABELS[revue.opinion_proposee],
                },
                {
                    "name": "avis-retenu",
                    "ns": NS,
                    "title": "Avis retenu : "
                    + (
                        OPINION_LABELS[opinion] if opinion else "aucun (une exigence est sans avis)"
                    ),
                    "prose": revue.decision_finale.motif
                    if revue.decision_finale
                    else "L'avis proposé, sans avis final distinct.",
                },
            ],
        }
        accord = revue.accord
        return {
            "uuid": self.review_uuid("resultat"),
            "title": f"Revue de l'évaluateur ({revue.evaluateur.nom}, {revue.date:%d/%m/%Y})",
            "description": f"Revue du dossier de SHA-256 {self.sha256} : {accord.explication}",
            "start": timestamp(revue.date),
            "props": result_props,
            "links": [
                {
                    "href": f"#{self.resource_uuid('dossier.json')}",
                    "rel": "reference",
                    "text": "dossier revu",
                }
            ],
            "reviewed-controls": self.reviewed_controls(),
            "attestations": [attestation],
            "observations": observations,
            "findings": findings,
        }

    def avis_observation(
        self, r: ReferentielRevu, e: ExigenceRevue, evaluator: str
    ) -> dict[str, Any] | None:
        if e.avis is None:
            return None
        label = AVIS_LABELS[e.avis]
        return {
            "uuid": self.review_uuid("observation", r.id, e.id),
            "title": f"{r.id} {e.id} : avis de l'évaluateur ({label.lower()})",
            "description": e.commentaire or label,
            "props": props(("referentiel-id", r.id), ("exigence", e.id), ("avis", e.avis.value)),
            "methods": ["EXAMINE"],
            "types": ["control-objective"],
            "origins": [self.actor(EVALUATEUR, evaluator)],
            "collected": timestamp(self.revue.date if self.revue else self.dossier.as_of),
        }

    def avis_finding(
        self, r: ReferentielRevu, e: ExigenceRevue, observation: dict[str, Any] | None
    ) -> dict[str, Any]:
        avis = AVIS_LABELS[e.avis] if e.avis else "sans avis"
        return {
            "uuid": self.review_uuid("constat", r.id, e.id),
            "title": f"{r.id} {e.id} — {e.libelle}",
            "description": f"Avis : {avis.lower()} ; déclaré {RESULTAT_LABELS[e.resultat_declare].lower()}, "
            f"évalué {RESULTAT_LABELS[e.resultat_evalue].lower()}."
            + (f"\n\n{e.commentaire}" if e.commentaire else ""),
            "props": props(
                ("referentiel-id", r.id),
                ("avis", e.avis.value if e.avis else None),
                ("resultat-declare", e.resultat_declare.value),
                ("resultat", e.resultat_evalue.value),
                ("accord", e.accord),
                ("sur-declaration", e.sur_declaration),
                ("bloquante", e.bloquante_evaluee),
            ),
            "target": {
                "type": "statement-id",
                "target-id": f"{token(e.id)}_smt",
                "status": _status(e.satisfaite_evaluee, e.resultat_evalue),
            },
            "related-observations": [{"observation-uuid": observation["uuid"]}]
            if observation
            else [],
        }


def _status(satisfied: bool, resultat: Resultat) -> dict[str, Any]:
    return {
        "state": "satisfied" if satisfied else "not-satisfied",
        "reason": "pass" if satisfied else "fail",
        "remarks": f"Résultat cens-eval : {RESULTAT_LABELS[resultat].lower()}.",
    }


def _scores(scores: list[ScoreDossier], name: str, group: str) -> list[dict[str, Any]]:
    """One prop per figure that counts something: class « niveau » or « niveau.principe »."""
    return [
        prop(
            name,
            s.score,
            group=group,
            class_=f"{s.niveau.value}.{s.principe.value}" if s.principe else s.niveau.value,
            remarks=f"{s.libelle} : {s.explication}",
        )
        for s in scores
        if s.score is not None
    ]
