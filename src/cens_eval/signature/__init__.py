"""Electronic signatures of a dossier folder: PAdES on its PDF, detached CMS over its manifest.

One job per module: :mod:`.keys` reads the signer's PKCS#12 file, :mod:`.pdf` signs a PDF by an
incremental update (its unsigned bytes stay a prefix), :mod:`.cms` signs a manifest, and
:mod:`.validate` checks every signature of a folder offline (no timestamp authority, no
revocation lookup): integrity, signer, certificate validity at signing time, trust in the roots
the user gives.
"""

from __future__ import annotations

import logging
import warnings

from cryptography.utils import CryptographyDeprecationWarning

with warnings.catch_warnings():  # pyHanko imports DSA support, deprecated: not ours to show
    warnings.simplefilter("ignore", CryptographyDeprecationWarning)
    import pyhanko.sign  # noqa: F401

# pyHanko reports on its logger what a verification returns anyway (an untrusted issuer, with a
# traceback): the verification's result is what users read, never these records.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
