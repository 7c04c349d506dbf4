"""A référentiel as an OSCAL 1.2.1 catalog (bytes out): read back equal by ``loader/oscal``.

One group per section, one control per exigence (its id as an OSCAL token, the id as written in
a ``label`` prop, its rank in a ``sort-id`` prop), the énoncé as the ``statement`` part, each
expected preuve as an ``assessment-objective`` part; principle, level, weight, fidelity,
phase-in date, condition and theme as props in the cens-eval namespace; the sources, the legal
basis and the référentiel file (with its SHA-256) as back-matter resources. Texts that may run
over several lines (énoncé, choices of the project, notes) are prose, never a prop value.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from cens_eval.model.condition import Condition
from cens_eval.model.dossier import Empreinte
from cens_eval.model.oscal import (
    EPOCH,
    OSCAL_VERSION,
    Part,
    Prop,
    Role,
    content_uuid,
    timestamp,
    token,
)
from cens_eval.model.oscal import NS as _NS
from cens_eval.model.referentiel import Exigence, PreuveAttendue, Referentiel
from cens_eval.render.oscal_common import document_bytes, props, sha256_link


def condition_text(condition: Condition | None) -> str | None:
    """A condition as compact JSON (keys as the référentiel writes them), or None."""
    if condition is None:
        return None
    data = condition.model_dump(mode="json", by_alias=True, exclude_none=True)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def render_catalog(ref: Referentiel, fichier: Empreinte | None = None) -> bytes:
    """The référentiel as an OSCAL catalog (JSON bytes, the same for the same référentiel).

    Args:
        ref: the référentiel.
        fichier: the file it was read from and that file's SHA-256, kept as a back-matter
            resource (None: no such resource).
    """
    digest = hashlib.sha256(ref.model_dump_json().encode("utf-8")).hexdigest()

    def uuid(*parts: str) -> str:
        return content_uuid("catalog", ref.id, ref.version, digest, *parts)

    sources = {s.id: uuid("source", s.id) for s in ref.sources}
    dates = [ref.date_publication, ref.date_arrete]
    dates += [d for s in ref.sources for d in (s.date, s.consulte_le)]
    known = [d for d in dates if d is not None]
    metadata = {
        "title": ref.titre,
        "last-modified": timestamp(max(known)) if known else timestamp(EPOCH),
        "version": ref.version,
        "oscal-version": OSCAL_VERSION,
        "props": props(
            (Prop.REFERENTIEL_ID, ref.id),
            (Prop.TYPE, ref.type.value),
            (Prop.STATUT, ref.statut.value),
            (Prop.DATE_PUBLICATION, ref.date_publication),
            (Prop.DATE_ARRETE, ref.date_arrete),
            (Prop.APPLICABLE_SI, condition_text(ref.applicable_si)),
        ),
        "remarks": ref.description,
    }
    ranks = {e.id: i for i, e in enumerate(ref.exigences, start=1)}
    width = len(str(len(ref.exigences)))
    groups = [
        {
            "id": token(s.id),
            "title": s.titre,
            "props": [{"name": "label", "value": s.id}],
            "controls": [
                _control(e, ranks[e.id], width, sources[e.source.document])
                for e in ref.exigences
                if e.section == s.id
            ],
        }
        for s in ref.sections
    ]
    loose = [
        _control(e, ranks[e.id], width, sources[e.source.document])
        for e in ref.exigences
        if e.section is None
    ]
    resources: list[dict[str, Any]] = [
        {
            "uuid": uuid("base-legale"),
            "title": "Base légale",
            "description": ref.base_legale,
            "props": props((Prop.ROLE, Role.BASE_LEGALE)),
        },
        *(
            {
                "uuid": sources[s.id],
                "title": s.titre,
                "props": props(
                    (Prop.ROLE, Role.SOURCE),
                    (Prop.SOURCE_ID, s.id),
                    (Prop.NATURE, s.nature.value),
                    (Prop.DATE, s.date),
                    (Prop.CONSULTE_LE, s.consulte_le),
                ),
                "rlinks": [{"href": str(s.url)}],
            }
            for s in ref.sources
        ),
    ]
    if fichier is not None:
        resources.append(
            {
                "uuid": uuid("fichier", fichier.sha256),
                "title": f"Fichier du référentiel {ref.id} {ref.version}",
                "props": props((Prop.ROLE, Role.FICHIER_REFERENTIEL)),
                "rlinks": [sha256_link(fichier.fichier, fichier.sha256, _media_type(fichier))],
            }
        )
    return document_bytes(
        "catalog",
        {
            "uuid": uuid(),
            "metadata": metadata,
            "controls": loose,
            "groups": groups,
            "back-matter": {"resources": resources},
        },
    )


def _media_type(fichier: Empreinte) -> str | None:
    name = fichier.fichier.lower()
    if name.endswith((".yaml", ".yml")):
        return "application/yaml"
    return "application/json" if name.endswith(".json") else None


def _control(e: Exigence, rank: int, width: int, source_uuid: str) -> dict[str, Any]:
    ctl = token(e.id)
    appui = e.source.appuie
    control_props = [
        {"name": "label", "value": e.id},
        {"name": "sort-id", "value": f"{rank:0{width}d}"},
        *props(
            (Prop.PRINCIPE, e.principe.value),
            (Prop.NIVEAU, e.niveau.value),
            (Prop.OBLIGATOIRE_A_PARTIR_DU, e.obligatoire_a_partir_du),
            (Prop.POIDS, e.poids),
            (Prop.AGE_MAX, e.age_max),
            (Prop.FIDELITE, e.fidelite.value),
            (Prop.APPLICABLE_SI, condition_text(e.applicable_si)),
            (Prop.THEME, e.theme),
            (Prop.REMPLACE, e.remplace),
            (Prop.APPUIE_NIVEAU, appui.niveau if appui else None),
            (Prop.APPUIE_PREUVES, " ".join(appui.preuves) if appui and appui.preuves else None),
        ),
    ]
    parts: list[dict[str, Any]] = [
        {"id": f"{ctl}_smt", "name": Part.STATEMENT, "prose": e.enonce},
        *(_objective(p, f"{ctl}_obj") for p in e.preuves),
    ]
    if e.non_applicable is not None:
        na = e.non_applicable
        parts.append(
            {
                "id": f"{ctl}_na",
                "name": Part.NON_APPLICABLE,
                "ns": _NS,
                "title": "Preuves d'une déclaration « non applicable »",
                "props": props((Prop.EXIGE_HORS_PROFIL, na.exige_hors_profil or None)),
                "prose": na.conditions,
                "parts": [_objective(p, f"{ctl}_na_obj") for p in na.preuves],
            }
        )
    for i, choix in enumerate(e.choix_du_projet, start=1):
        parts.append(
            {
                "id": f"{ctl}_choix.{i}",
                "name": Part.CHOIX_DU_PROJET,
                "ns": _NS,
                "props": props((Prop.PORTE_SUR, choix.porte_sur)),
                "prose": choix.raison,
            }
        )
    for name, text in ((Part.THEME_EXCEPTION, e.theme_exception), (Part.NOTE, e.note)):
        if text is not None:
            parts.append({"id": f"{ctl}_{name}", "name": name, "ns": _NS, "prose": text})
    return {
        "id": ctl,
        "title": e.libelle,
        "props": control_props,
        "links": [{"href": f"#{source_uuid}", "rel": "reference", "text": e.source.localisation}],
        "parts": parts,
    }


def _objective(p: PreuveAttendue, prefix: str) -> dict[str, Any]:
    seuil = p.seuil
    return {
        "id": f"{prefix}.{p.id}",
        "name": Part.OBJECTIVE,
        "props": props(
            (Prop.PREUVE_ID, p.id),
            (Prop.TYPE_PREUVE, p.type.value),
            (Prop.OBLIGATOIRE, p.obligatoire),
            (Prop.UNITE, p.unite),
            (Prop.SEUIL_MIN, seuil.min if seuil else None),
            (Prop.SEUIL_MAX, seuil.max if seuil else None),
            (Prop.AGE_MAX, p.age_max),
        ),
        "prose": p.libelle,
    }
