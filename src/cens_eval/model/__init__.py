"""The vocabulary and the data: référentiels, profils, questionnaires, results, dossiers, reviews (pydantic models, no I/O)."""
