"""Texts of a référentiel's evolution: the diff of two versions, the report of a questionnaire's migration."""

from __future__ import annotations

from cens_eval.model.diff import NATURE_LABELS, Changement, DiffReferentiels, Nature
from cens_eval.model.migration import RapportMigration

_ORDER = (Nature.AJOUTEE, Nature.SUPPRIMEE, Nature.RENOMMEE, Nature.MODIFIEE)
_MARK = {Nature.AJOUTEE: "+", Nature.SUPPRIMEE: "-", Nature.RENOMMEE: "→", Nature.MODIFIEE: "~"}


def diff_text(diff: DiffReferentiels) -> list[str]:
    """The diff as lines: a summary, then the header's changes and the exigences by kind of change."""
    old, new = diff.ancien, diff.nouveau
    title = f"{old.id} {old.version} → {new.id} {new.version}"
    if diff.identiques:
        return [f"{title} : identiques."]
    lines = [
        f"{title} : {len(diff.exigences)} exigence(s) changée(s), "
        f"{len(diff.en_tete)} changement(s) d'en-tête."
    ]
    if diff.en_tete:
        lines += ["", "En-tête :", *(f"  {m.description}" for m in diff.en_tete)]
    for nature in _ORDER:
        changes = [c for c in diff.exigences if c.nature is nature]
        if changes:
            lines += ["", f"Exigences {NATURE_LABELS[nature]}s ({len(changes)}) :"]
            for change in changes:
                lines += _change(change)
    return lines


def _change(change: Changement) -> list[str]:
    name = f"{change.ancien_id} → {change.id}" if change.ancien_id else change.id
    lines = [f"  {_MARK[change.nature]} {name} — {change.libelle}"]
    for m in change.modifications:
        mark = " [à reconfirmer]" if m.a_reconfirmer else ""
        lines.append(f"      · {m.description}{mark}")
    return lines


def migration_text(rapport: RapportMigration, side_file: str) -> list[str]:
    """The report of a migration as lines: what happened to each answer."""
    lines = [f"{rapport.referentiel} {rapport.de} → {rapport.vers} :"]
    lines.append(f"  {len(rapport.conservees)} réponse(s) conservée(s) telle(s) quelle(s)")
    for r in rapport.renommees:
        lines.append(f"  exigence renommée {r.ancien} → {r.nouveau} : réponse reportée")
    if rapport.a_reconfirmer:
        lines.append(f"  {len(rapport.a_reconfirmer)} réponse(s) conservée(s), à reconfirmer :")
        lines += [f"    {a.id} : {' ; '.join(a.changements)}" for a in rapport.a_reconfirmer]
    if rapport.nouvelles:
        lines.append(
            f"  {len(rapport.nouvelles)} exigence(s) nouvelle(s), sans réponse : "
            + ", ".join(rapport.nouvelles)
        )
    if rapport.retirees:
        lines.append(
            f"  {len(rapport.retirees)} réponse(s) à une exigence supprimée, retirée(s) du "
            f"questionnaire et gardée(s) dans {side_file} : "
            + ", ".join(r.id for r in rapport.retirees)
        )
    if rapport.preuves_retirees:
        lines.append(
            f"  {len(rapport.preuves_retirees)} preuve(s) dont la preuve attendue n'existe plus, "
            f"gardée(s) dans {side_file} : "
            + ", ".join(f"{p.exigence} › {p.preuve.attendue}" for p in rapport.preuves_retirees)
        )
    if rapport.questions_profil:
        lines.append(
            "  questions de profil à renseigner pour la nouvelle version : "
            + ", ".join(rapport.questions_profil)
        )
    return lines
