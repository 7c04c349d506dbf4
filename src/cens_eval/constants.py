"""Limits and file names shared across cens_eval."""

from __future__ import annotations

MAX_TEXT_FILE_BYTES = 5 * 1024 * 1024
"""Largest YAML or JSON input accepted (référentiel, profil, questionnaire, review)."""

MAX_WORKBOOK_BYTES = 10 * 1024 * 1024
"""Largest XLSX input accepted, compressed."""

MAX_WORKBOOK_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
"""Largest total uncompressed size of the parts of an XLSX input (zip bomb guard)."""

MAX_CELL_CHARS = 32_767
"""Largest text in one cell (Excel's own limit)."""

MAX_YAML_DEPTH = 64
"""Deepest nesting of mappings and sequences accepted in YAML and JSON."""

MAX_YAML_NODES = 200_000
"""Most values a YAML or JSON document may hold, aliases followed (alias and tiny-node bombs)."""

MAX_NUMBER_DIGITS = 64
"""Longest integer accepted in a JSON document."""

PROFIL_FILE = "profil.yaml"
"""Name of the profil vocabulary inside a référentiels folder."""

REFERENTIELS_ENV = "CENS_EVAL_REFERENTIELS"
"""Environment variable naming the référentiels folder to use."""

MAX_DOSSIER_JSON_BYTES = 20 * 1024 * 1024
"""Largest ``dossier.json`` accepted when verifying a dossier."""

REVIEW_DIR = "revue"
"""Where a reviewed dossier folder keeps the review file that was applied."""
