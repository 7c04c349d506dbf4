"""Bounds on what a request may send (the files themselves keep the CLI's limits)."""

from __future__ import annotations

MAX_REQUEST_BYTES = 64 * 1024 * 1024
"""A whole request: form and uploaded files (above: « 413 », explained in French)."""
MAX_UPLOADS = 20
"""Files in one request."""
MAX_FORM_PARTS = 40_000
"""Fields and files in one request: the answers form of 1,000 exigences in scope posts about
13,000 (a browser sends every field, an empty file field included), 3,000 about 40,000."""
MAX_ZIP_MEMBERS = 5000
"""Entries in an uploaded dossier zip."""
MAX_ZIP_BYTES = 500 * 1024 * 1024
"""Uncompressed size of an uploaded dossier zip (a zip bomb is refused before extraction)."""
