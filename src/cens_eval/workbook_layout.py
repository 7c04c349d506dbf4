"""Layout of the questionnaire workbook, shared by its writer and its reader (no openpyxl here)."""

from __future__ import annotations

from cens_eval.vocabulary import STATUT_LABELS, Statut

SHEET_INSTRUCTIONS = "Instructions"
SHEET_IDENTITE = "Identité"
SHEET_PROFIL = "Profil"
SHEET_REFERENTIELS = "Référentiels"

IDENTITE_FIELDS: list[tuple[str, str, str]] = [
    ("editeur", "nom", "Nom de l'éditeur"),
    ("editeur", "siren", "SIREN (9 chiffres)"),
    ("editeur", "contact", "Contact (courriel du responsable)"),
    ("solution", "nom", "Nom de la solution"),
    ("solution", "version", "Version de la solution"),
    ("solution", "description", "Description courte"),
]
"""Rows 2.. of the Identité sheet: (section, field, label); values in column C."""

# Columns of a référentiel sheet (row 1 is the header, answers from row 2).
COLUMNS: list[tuple[str, str, int]] = [
    ("id", "Exigence", 12),
    ("libelle", "Libellé", 34),
    ("principe", "Principe", 16),
    ("niveau", "Niveau", 14),
    ("enonce", "Énoncé", 60),
    ("preuves_attendues", "Preuves attendues", 48),
    ("statut", "Statut", 22),
    ("justification", "Justification", 48),
    ("preuves", "Preuves fournies (une par ligne : identifiant : fichier, URL ou valeur)", 48),
    ("engagement_action", "Engagement (action prévue)", 34),
    ("engagement_echeance", "Échéance de l'engagement (AAAA-MM-JJ)", 18),
]
READ_ONLY_COLUMNS = 6
"""The first six columns come from the référentiel and are locked."""

COLUMN_LETTER = {key: chr(ord("A") + i) for i, (key, _, _) in enumerate(COLUMNS)}
COLUMN_INDEX = {key: i for i, (key, _, _) in enumerate(COLUMNS)}

STATUT_BY_LABEL: dict[str, Statut] = {
    **{label.casefold(): statut for statut, label in STATUT_LABELS.items()},
    **{statut.value: statut for statut in Statut},
}

BOOLEAN_WORDS = {
    "oui": True,
    "non": False,
    "true": True,
    "false": False,
    "vrai": True,
    "faux": False,
}

INSTRUCTIONS = [
    "Questionnaire d'auto-évaluation éthique (CENS) — mode d'emploi",
    "",
    "1. Feuille « Identité » : renseignez l'éditeur et la solution (colonne C).",
    "2. Feuille « Profil » : vérifiez les réponses d'orientation ; elles déterminent les exigences applicables.",
    "3. Une feuille par référentiel : pour chaque exigence, choisissez un statut dans la liste déroulante,",
    "   justifiez (obligatoire pour non applicable, non conforme et partiellement conforme) et listez vos preuves.",
    "4. Preuves fournies : une preuve par ligne, sous la forme « identifiant : valeur », où l'identifiant est",
    "   celui de la colonne « Preuves attendues » et la valeur un chemin de fichier relatif au classeur",
    "   (ex. preuves/attestation.pdf), une URL (https://…), le texte d'une déclaration, ou un nombre pour une mesure",
    "   (ex. ecoscore : 72 | preuves/ecoscore.pdf).",
    "5. Un écart peut être assorti d'un engagement (action et échéance).",
    "6. Les colonnes grisées viennent du référentiel et sont protégées ; les formules sont refusées.",
    "7. Vérifiez le classeur avec : cens-eval questionnaire check <classeur.xlsx>",
]
