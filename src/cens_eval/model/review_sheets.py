"""Layout of the review workbook, shared by its writer and its reader (no openpyxl here)."""

from __future__ import annotations

from cens_eval.model.review import AVIS_LABELS, OPINION_LABELS, RESULTATS_EVALUABLES, Avis, Opinion
from cens_eval.model.vocabulary import RESULTAT_LABELS, Resultat

SHEET_EVALUATEUR = "Évaluateur"

EVALUATEUR_FIELDS: list[tuple[tuple[str, ...], str, bool]] = [
    (("evaluateur", "nom"), "Nom de l'évaluateur", True),
    (("evaluateur", "organisme"), "Organisme", True),
    (("evaluateur", "fonction"), "Fonction (rôle dans l'évaluation)", True),
    (("evaluateur", "contact"), "Contact", True),
    (("date",), "Date de la revue et de sa validation (AAAA-MM-JJ, obligatoire)", True),
    (("dossier_sha256",), "Empreinte du dossier revu (ne pas modifier)", False),
    (("decision_finale", "opinion"), "Avis final retenu (une fois chaque exigence revue)", True),
    (("decision_finale", "motif"), "Motif de l'avis final (obligatoire avec un avis final)", True),
]
"""Rows 2.. of the Évaluateur sheet: (location, label, editable)."""
EVALUATEUR_COLUMNS: list[tuple[str, str, int]] = [
    ("champ", "Champ", 28),
    ("libelle", "Libellé", 52),
    ("valeur", "Valeur", 70),
]

COLUMNS: list[tuple[str, str, int]] = [
    ("id", "Exigence", 12),
    ("libelle", "Libellé", 34),
    ("niveau", "Niveau effectif", 14),
    ("statut", "Statut déclaré", 18),
    ("resultat_declare", "Résultat déclaré", 20),
    ("justification", "Justification de l'éditeur", 50),
    ("preuves", "Preuves fournies", 44),
    ("avis", "Avis de l'évaluateur", 22),
    ("commentaire", "Commentaire (obligatoire, sauf avis validé ou résultat évalué donné)", 50),
    ("resultat_evalue", "Résultat évalué (si non validé)", 24),
    ("precedent", "Depuis la revue précédente (review init --precedent)", 50),
]
"""The last column is written only when the template follows a previous review; never read."""
READ_ONLY_COLUMNS = 7
COLUMN_INDEX = {key: i for i, (key, _, _) in enumerate(COLUMNS)}
COLUMN_LETTER = {key: chr(ord("A") + i) for i, (key, _, _) in enumerate(COLUMNS)}

AVIS_BY_LABEL: dict[str, Avis] = {
    **{label.casefold(): avis for avis, label in AVIS_LABELS.items()},
    **{avis.value: avis for avis in Avis},
}
RESULTAT_BY_LABEL: dict[str, Resultat] = {
    **{RESULTAT_LABELS[r].casefold(): r for r in RESULTATS_EVALUABLES},
    **{r.value: r for r in RESULTATS_EVALUABLES},
}
OPINION_BY_LABEL: dict[str, Opinion] = {
    **{label.casefold(): o for o, label in OPINION_LABELS.items()},
    **{o.value: o for o in Opinion},
}

INSTRUCTIONS = [
    "Revue d'un dossier de conformité éthique (CENS) — mode d'emploi de l'évaluateur",
    "",
    "1. Feuille « Évaluateur » : votre nom et la date de la revue sont obligatoires (ils valent validation de",
    "   la revue) ; organisme, fonction et contact sont conseillés. L'empreinte du dossier lie la revue à ce",
    "   dossier : ne la modifiez pas.",
    "2. Une feuille par référentiel : pour chaque exigence, un avis sur le résultat déclaré par l'éditeur",
    "   (liste déroulante de la colonne « Avis de l'évaluateur ») :",
    "   - Validé : le résultat déclaré est confirmé tel quel (partiellement conforme, non applicable justifié… compris) ;",
    "   - Non validé : le résultat déclaré est rejeté ; choisissez le résultat évalué (dernière colonne) ou",
    "     expliquez-vous en commentaire (sans résultat choisi : non conforme, ou non applicable non justifié",
    "     pour une exigence déclarée non applicable) ;",
    "   - Complément demandé : une preuve ou une précision est attendue ; le commentaire dit laquelle.",
    "3. Une exigence sans avis est traitée comme « complément demandé » et listée : l'avis proposé est calculé,",
    "   mais aucun avis final ne peut être retenu tant qu'une exigence n'a pas d'avis.",
    "4. Avis proposé (calculé sur les résultats évalués) : défavorable si une exigence obligatoire n'est pas",
    "   satisfaite ; favorable avec réserves suspensives si un complément est demandé sur une exigence",
    "   obligatoire ; favorable avec réserves non suspensives si une préconisation n'est pas satisfaite ;",
    "   sinon favorable. Pour retenir un autre avis, remplissez « Avis final » et son motif (feuille « Évaluateur »).",
    "5. Valider une exigence dont une preuve obligatoire manque laisse le résultat déclaré (preuves manquantes) :",
    "   la revue le signale.",
    "6. Les colonnes grisées viennent du dossier et sont protégées ; les formules sont refusées.",
    "   Les colonnes sont lues par leur en-tête (ligne 1) : ne le modifiez pas ; une exigence ne figure qu'une fois.",
    "7. Appliquez la revue avec : cens-eval review apply <dossier> <revue.xlsx> -o <dossier revu>",
]
"""The Instructions sheet of the review workbook, one line per row."""
