"""From a loaded questionnaire to its dossier, and the verification of a dossier folder."""
