"""Layout of the review workbook, shared by its writer and its reader (no openpyxl here)."""

from __future__ import annotations

from cens_eval.model.review import AVIS_LABELS, OPINION_LABELS, Avis, Opinion

SHEET_EVALUATEUR = "Évaluateur"

EVALUATEUR_FIELDS: list[tuple[tuple[str, ...], str, bool]] = [
    (("evaluateur", "nom"), "Nom de l'évaluateur", True),
    (("evaluateur", "organisme"), "Organisme", True),
    (("evaluateur", "contact"), "Contact", True),
    (("date",), "Date de la revue (AAAA-MM-JJ)", True),
    (("dossier_sha256",), "Empreinte du dossier revu (ne pas modifier)", False),
    (("decision_finale", "opinion"), "Avis final retenu, s'il diffère de l'avis proposé", True),
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
    ("resultat", "Résultat déclaré", 20),
    ("justification", "Justification de l'éditeur", 50),
    ("preuves", "Preuves fournies", 44),
    ("avis", "Avis de l'évaluateur", 22),
    ("commentaire", "Commentaire (obligatoire sauf si validé)", 50),
]
READ_ONLY_COLUMNS = 7
COLUMN_INDEX = {key: i for i, (key, _, _) in enumerate(COLUMNS)}
COLUMN_LETTER = {key: chr(ord("A") + i) for i, (key, _, _) in enumerate(COLUMNS)}

AVIS_BY_LABEL: dict[str, Avis] = {
    **{label.casefold(): avis for avis, label in AVIS_LABELS.items()},
    **{avis.value: avis for avis in Avis},
}
OPINION_BY_LABEL: dict[str, Opinion] = {
    **{label.casefold(): o for o, label in OPINION_LABELS.items()},
    **{o.value: o for o in Opinion},
}
