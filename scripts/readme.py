"""Regenerate the README's generated sections from the code: ``python scripts/readme.py``.

A generated section sits between ``<!-- début : NOM -->`` and ``<!-- fin : NOM -->``; a test
fails when the README differs from what this script would write.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from cens_eval import constants

README = Path(__file__).resolve().parent.parent / "README.md"


def _mo(size: int) -> str:
    mib = size / (1024 * 1024)
    return f"{mib:g} Mo"


def _count(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")


def limits() -> str:
    """The table of input limits, from :mod:`cens_eval.constants`."""
    c = constants
    rows = [
        (
            "taille d'un fichier YAML ou JSON",
            f"{_mo(c.MAX_TEXT_FILE_BYTES)} (`dossier.json` : {_mo(c.MAX_DOSSIER_JSON_BYTES)}) ; lu au plus limite + 1 octet",
        ),
        (
            "taille d'un classeur `.xlsx`",
            f"{_mo(c.MAX_WORKBOOK_BYTES)} compressé, {_mo(c.MAX_WORKBOOK_UNCOMPRESSED_BYTES)} décompressé (bombe zip refusée avant lecture)",
        ),
        (
            "profondeur d'imbrication YAML/JSON",
            f"{c.MAX_YAML_DEPTH} niveaux, vérifiée sur le flux d'événements avant la construction (la limite propre à libyaml donne le même message)",
        ),
        (
            "éléments d'un document YAML/JSON",
            f"{_count(c.MAX_YAML_NODES)} valeurs, alias développés (bombe « billion laughs » refusée) ; alias récursifs refusés",
        ),
        (
            "nombre",
            f"{c.MAX_NUMBER_DIGITS} chiffres au plus, écrit ou développé sans exposant ; décimal : "
            f"{c.MAX_DECIMAL_DIGITS} chiffres significatifs, moins de 10^{c.MAX_DECIMAL_DIGITS}, "
            f"{c.MAX_DECIMAL_PLACES} décimales (ce qu'une cellule Excel garde exactement)",
        ),
        ("fichier de preuve", f"{_mo(c.MAX_EVIDENCE_BYTES)}, haché par blocs (mémoire constante)"),
        ("contenu d'une cellule", f"{_count(c.MAX_CELL_CHARS)} caractères"),
    ]
    lines = ["| limite | valeur |", "|---|---|", *(f"| {a} | {b} |" for a, b in rows)]
    return "\n".join(lines)


PACKAGES = {
    "model": "le vocabulaire et les données (pydantic, clés inconnues refusées, aucune E/S)",
    "engine": "le moteur pur : résultat de chaque exigence, table de notation, verdict, préparation",
    "loader": "seule lecture de fichiers : YAML/JSON bornés, XLSX non fiable, preuves, dossiers",
    "render": "rendus : des octets, jamais de fichier (texte, JSON, XLSX, PDF, modèles)",
    "signature": "signatures PAdES et CMS : certificat PKCS#12, signer, vérifier (seul pyHanko)",
    "dossier": "questionnaire chargé → dossier ; vérification d'un dossier",
    "review": "revue de l'évaluateur, son application, notation par lots",
    "service": "les opérations de bout en bout (lire, évaluer, rendre, écrire) : commande et web",
    "cli": "la commande (seul endroit qui importe click)",
    "web": "l'application web locale, cens-eval serve (seul endroit qui importe Flask)",
}
TOP = {
    "__init__.py": "l'API publique (chargée à la demande)",
    "api.py": "chemins en entrée, modèles validés en sortie",
    "errors.py": "erreurs typées, problèmes localisés",
    "constants.py": "limites et noms de fichiers",
    "__main__.py": "python -m cens_eval",
}


def organisation() -> str:
    """The source tree, package by package, from the files themselves."""
    src = README.parent / "src" / "cens_eval"
    lines = ["```", "src/cens_eval/"]
    for name in sorted(p.name for p in src.glob("*.py")):
        lines.append(f"  {name:<16}{TOP[name]}")
    folders = sorted(p for p in src.iterdir() if p.is_dir() and p.name != "__pycache__")
    for folder in folders:
        lines.append(f"  {folder.name + '/':<16}{PACKAGES[folder.name]}")
        modules = sorted(p.stem for p in folder.glob("*.py") if p.name != "__init__.py")
        row = "    "
        for module in modules:
            if len(row) + len(module) > 96:
                lines.append(row.rstrip())
                row = "    "
            row += module + " "
        lines.append(row.rstrip())
    lines += [
        "referentiels/  questionnaires/  schemas/  reports/  tests/  scripts/  benchmarks/",
        "```",
    ]
    return "\n".join(lines)


def bareme() -> str:
    """The scoring table, one line per outcome, from the engine's own table."""
    from cens_eval.engine.scoring import BAREME
    from cens_eval.model.vocabulary import RESULTAT_LABELS

    lines = ["", "  | résultat | crédit | satisfait l'exigence |", "  |---|---|---|"]
    for resultat, ligne in BAREME.lignes.items():
        credit = "exclu des scores" if ligne.credit is None else str(ligne.credit)
        lines.append(
            f"  | {RESULTAT_LABELS[resultat]} | {credit} | {'oui' if ligne.satisfait else 'non'} |"
        )
    return "\n".join([*lines, ""])


def conventions() -> str:
    """Display rounding, score scale, defaults and the rules version, from the code."""
    from decimal import Decimal
    from fractions import Fraction

    from cens_eval.model.display import percent
    from cens_eval.model.referentiel import Exigence
    from cens_eval.model.versions import RULES_VERSION

    example = Fraction(8125, 100)
    weight = Exigence.model_fields["poids"].default
    assert isinstance(weight, Decimal)
    return "\n".join(
        [
            f"  - Règles en vigueur : v{RULES_VERSION} (`version_regles` de `dossier.json`).",
            "  - Un score est un pourcentage (0 à 100) ; `null` dans le JSON et « — » à "
            "l'affichage quand aucune exigence n'est comptée.",
            "  - Arrondi à l'affichage seulement, à une décimale, la moitié vers le haut : "
            f"{str(float(example)).replace('.', ',')} → {percent(example)}.",
            f"  - Poids par défaut d'une exigence : {weight}.",
        ]
    )


def referentiels() -> str:
    """The shipped référentiels: size, counts per fidelity label and last source check, from the data."""
    from cens_eval.loader.locate import packaged_referentiels_dir
    from cens_eval.loader.referentiels import load_catalogue
    from cens_eval.model.fidelity import FIDELITE_LABELS, fidelity_counts
    from cens_eval.model.summary import last_source_check, publication_text
    from cens_eval.model.vocabulary import Fidelite

    labels = " | ".join(FIDELITE_LABELS[f] for f in Fidelite)
    lines = [
        f"| id | version | exigences | {labels} | publication | dernière vérification des sources |",
        "|---|---|---|" + "---|" * len(Fidelite) + "---|---|",
    ]
    catalogue = load_catalogue(packaged_referentiels_dir())
    for ref in sorted(catalogue.referentiels, key=lambda r: (r.id, r.version)):
        counts = fidelity_counts(e.fidelite for e in ref.exigences)
        checked = last_source_check(ref)
        cells = [
            f"`{ref.id}`",
            ref.version,
            str(len(ref.exigences)),
            *(str(counts[f]) for f in Fidelite),
            publication_text(ref),
            f"{checked:%d/%m/%Y}" if checked else "non renseignée",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def reprises() -> str:
    """What the shipped correspondences spare MediLink's questionnaire, as ``questionnaire init`` says."""
    import yaml

    from cens_eval.engine.orientation import referentiels_for
    from cens_eval.loader.locate import packaged_referentiels_dir
    from cens_eval.loader.referentiels import load_catalogue
    from cens_eval.loader.reprises import proposed_reprises
    from cens_eval.render.reprises import saving_text

    medilink = README.parent / "questionnaires" / "teleconsult-medilink" / "questionnaire.yaml"
    profil = yaml.safe_load(medilink.read_text("utf-8"))["profil"]
    catalogue = load_catalogue(packaged_referentiels_dir())
    refs = referentiels_for(catalogue, profil, ())
    text = saving_text(proposed_reprises(catalogue, profil, refs), profil, refs)
    pairs = [
        f"{'=' if r.lien.complete else '≈'} {r.cible[0]} {r.cible[1]} ← {r.source[0]} {r.source[1]}"
        for r in proposed_reprises(catalogue, profil, refs)
    ]
    return "\n".join(
        [
            f"Pour le profil de MediLink ({', '.join(r.id for r in refs)}), "
            f"`questionnaire init` écrit : « {text} »",
            "",
            "```text",
            *pairs,
            "```",
        ]
    )


SECTIONS: dict[str, Callable[[], str]] = {
    "reprises": reprises,
    "referentiels": referentiels,
    "limites": limits,
    "organisation": organisation,
    "bareme": bareme,
    "conventions": conventions,
}


def updated(text: str) -> str:
    """``text`` (the README) with every generated section rewritten."""
    for name, make in SECTIONS.items():
        start, end = f"<!-- début : {name} -->\n", f"<!-- fin : {name} -->"
        found = re.search(re.escape(start) + ".*?" + re.escape(end), text, flags=re.DOTALL)
        if not found:
            raise SystemExit(f"README.md : section « {name} » introuvable")
        text = text[: found.start()] + start + make() + "\n" + end + text[found.end() :]
    return text


if __name__ == "__main__":
    README.write_text(updated(README.read_text("utf-8")), encoding="utf-8")
    print("README.md")
