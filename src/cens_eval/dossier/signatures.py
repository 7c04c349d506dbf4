"""The electronic signatures a folder carries (``loader.signed``), each checked."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cens_eval.loader.signed import signed_files
from cens_eval.model.signature import MANIFEST_SIGNATURE, SignatureCheck


def folder_signatures(folder: Path, roots: Sequence[Any] = ()) -> list[SignatureCheck]:
    """Every signature of the folder's renderings and manifests, checked against ``roots``.

    ``roots`` are the trusted root certificates (``signature.validate.load_roots``); without
    them, an intact signature is « signature intègre, émetteur non vérifié ». An unsigned folder
    gives none (and loads no signature machinery).
    """
    found = signed_files(folder)
    if not found:
        return []
    from cens_eval.signature.validate import check_detached, check_pdf

    checks: list[SignatureCheck] = []
    for file in found:
        if not file.detached:
            checks += check_pdf(file.data, file.rel, roots)
        elif file.signed is None:
            manifest = file.rel.removesuffix(MANIFEST_SIGNATURE)
            checks.append(SignatureCheck(file.rel, "", "", f"{manifest} absent"))
        else:
            checks.append(check_detached(file.signed, file.data, file.rel, roots))
    return checks
