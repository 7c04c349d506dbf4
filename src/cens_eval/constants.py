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
"""Longest number accepted in a YAML or JSON document, as written (digits, sign, point, exponent)."""

MAX_DECIMAL_DIGITS = 15
"""Most significant digits of a decimal number (a mesure, a seuil, a poids), and most digits
before its decimal point (so below 10^15). Fifteen digits are what an IEEE double — an Excel
cell — holds exactly: every number accepted reads back the same from YAML, JSON and XLSX."""

MAX_DECIMAL_PLACES = 9
"""Most digits after the decimal point of a decimal number (a billionth is the finest step)."""

MAX_EVIDENCE_BYTES = 200 * 1024 * 1024
"""Largest evidence file accepted. A report, a capture or a signed attestation weighs a few Mo,
a recorded user panel tens; every preuve is hashed at each evaluation, copied into the dossier
and hashed again by each verification, so a stray disk image or database dump is refused."""

HASH_CHUNK_BYTES = 1024 * 1024
"""Files are hashed and copied by chunks of this size: memory stays constant whatever their size."""

WHITESPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""The characters the models strip around texts and keys (pydantic's ``str_strip_whitespace``:
Unicode White_Space). Python's ``str.strip()`` strips more (U+001C to U+001F)."""

PROFIL_FILE = "profil.yaml"
"""Name of the profil vocabulary inside a référentiels folder."""

CORRESPONDANCES_FILE = "correspondances.yaml"
"""Name of the correspondences between référentiels inside a référentiels folder (not a référentiel)."""

REFERENTIELS_ENV = "CENS_EVAL_REFERENTIELS"
"""Environment variable naming the référentiels folder to use."""

MAX_DOSSIER_JSON_BYTES = 20 * 1024 * 1024
"""Largest ``dossier.json`` accepted when verifying a dossier."""

QUESTIONNAIRE_DIR = "questionnaire"
"""Where a dossier folder keeps the questionnaire and its evidence, as submitted."""

REFERENTIELS_DIR = "referentiels"
"""Where a dossier folder keeps the référentiels and the profil vocabulary it was evaluated against."""

MAX_RENDERED_BYTES = 100 * 1024 * 1024
"""Largest ``dossier.xlsx`` or ``dossier.pdf`` read back when verifying a dossier."""

REVIEW_DIR = "revue"
"""Where a reviewed dossier folder keeps the review file that was applied."""
