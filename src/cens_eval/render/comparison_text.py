"""Reviews compared, as text for the terminal (French), and the labels the workbook shares."""

from __future__ import annotations

from decimal import Decimal

from cens_eval.model.comparison import AvisEvaluateur, Comparaison, Kappa
from cens_eval.model.review import AVIS_LABELS, OPINION_LABELS
from cens_eval.model.vocabulary import NIVEAU_LABELS, RESULTAT_LABELS, Niveau


def number(value: Decimal | None, unit: str = "") -> str:
    """A figure French style (``83,4 %``), ``—`` when there is none."""
    return "—" if value is None else f"{value}{unit}".replace(".", ",")


def kappa_text(kappa: Kappa | None) -> str:
    """``0,834 (exact 361/433) ; IC 95 % [0,675 ; 0,992]``, or ``indéfini``."""
    if kappa is None:
        return "indéfini"
    return (
        f"{number(kappa.valeur)} (exact {kappa.exact}) ; "
        f"IC 95 % [{number(kappa.ic_bas)} ; {number(kappa.ic_haut)}]"
    )


def avis_text(given: AvisEvaluateur) -> str:
    """One evaluator's avis: ``Non validé → Non conforme``, with the comment if any."""
    avis = AVIS_LABELS[given.avis] if given.avis else "Sans avis"
    text = f"{avis} → {RESULTAT_LABELS[given.resultat_evalue]}"
    return f"{text} — « {given.commentaire} »" if given.commentaire else text


def render_comparison_text(c: Comparaison) -> list[str]:
    """The comparison, one string per line (print each with the command line's ``echo``)."""
    lines = [
        f"Comparaison des revues du dossier de {c.editeur} — {c.solution}, "
        f"évalué au {c.as_of:%d/%m/%Y}",
        f"Dossier revu : dossier.json SHA-256 {c.dossier_sha256}",
    ]
    for r in c.revues:
        role = ", ".join(x for x in (r.fonction, r.organisme) if x)
        lines.append(
            f"  R{r.numero} : {r.evaluateur}{f' ({role})' if role else ''}, le "
            f"{r.date:%d/%m/%Y} — {r.fichier.fichier} — avis proposé : "
            f"{OPINION_LABELS[r.opinion_proposee]}"
        )
    lines.append(f"Exigences comparées : {c.comparees} sur {c.exigences} (avis dans chaque revue)")
    for p in c.paires:
        first, second = p.revues
        lines.append(
            f"Accord R{first} / R{second} : {number(p.pourcentage, ' %')} "
            f"({p.concordantes}/{p.exigences}) ; kappa de Cohen : {kappa_text(p.kappa)}"
        )
    if c.collectif is not None:
        k = c.collectif
        lines.append(
            f"Accord des {k.evaluateurs} évaluateurs : unanimité {number(k.pourcentage, ' %')} "
            f"({k.unanimes}/{k.exigences}), accord moyen {number(k.accord_moyen, ' %')} ; "
            f"kappa de Fleiss : {kappa_text(k.kappa)}"
        )
    methods = dict.fromkeys(
        x.methode
        for x in [*(p.kappa for p in c.paires), c.collectif.kappa if c.collectif else None]
        if x is not None
    )
    lines += [f"  ({m})" for m in methods]
    if not c.desaccords:
        lines.append("Aucun désaccord sur les exigences comparées.")
    else:
        mandatory = sum(1 for d in c.desaccords if d.niveau_effectif is Niveau.EXIGENCE)
        lines.append(
            f"Désaccords : {len(c.desaccords)}, dont {mandatory} sur exigence(s) obligatoire(s)"
        )
    for d in c.desaccords:
        lines.append(
            f"- {d.referentiel} {d.id} [{NIVEAU_LABELS[d.niveau_effectif]}] {d.libelle} — "
            f"déclaré {RESULTAT_LABELS[d.resultat_declare].lower()}"
        )
        lines += [f"    R{a.revue} {a.evaluateur} : {avis_text(a)}" for a in d.avis]
    if c.non_comparees:
        lines.append(f"Non comparées (sans avis dans une revue) : {len(c.non_comparees)}")
        lines += [
            f"- {n.referentiel} {n.id} : sans avis dans " + ", ".join(f"R{i}" for i in n.sans_avis)
            for n in c.non_comparees
        ]
    return lines
