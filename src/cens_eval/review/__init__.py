"""The evaluator's side: a review assessed and applied to a dossier, and batches of dossiers."""
