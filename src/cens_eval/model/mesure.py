"""How an expected preuve is described to the éditeur: its kind, unit, threshold and whether it is due.

One wording for every output that shows what is expected (the YAML template, ``referentiels
show``, and the workbook and PDF renderers): the threshold of a measured preuve is never left
to a JSON dump.
"""

from __future__ import annotations

from decimal import Decimal

from cens_eval.model.referentiel import PreuveAttendue
from cens_eval.model.vocabulary import TypePreuve


def nombre(value: Decimal | int | float) -> str:
    """A number French style: ``12,5`` (decimal comma), as read in the référentiel."""
    return str(value).replace(".", ",")


def mesure_text(preuve: PreuveAttendue) -> str:
    """The unit and threshold of a measured preuve (« en patients, au moins 10 patients »).

    Empty for any other kind of preuve.
    """
    if preuve.type is not TypePreuve.MESURE:
        return ""
    unite = preuve.unite or ""
    seuil = preuve.seuil
    if seuil is None:
        return f"en {unite}, sans seuil"
    if seuil.min is not None and seuil.max is not None:
        bound = f"entre {nombre(seuil.min)} et {nombre(seuil.max)} {unite}"
    elif seuil.min is not None:
        bound = f"au moins {nombre(seuil.min)} {unite}"
    else:
        assert seuil.max is not None  # a Seuil gives min or max
        bound = f"au plus {nombre(seuil.max)} {unite}"
    return f"en {unite}, seuil : {bound}"


def attendue_text(preuve: PreuveAttendue, *, mark: bool = True) -> str:
    """The kind of an expected preuve with its unit and threshold, and whether it is due.

    Args:
        preuve: the expected preuve.
        mark: say « obligatoire » or « facultative ».

    Returns:
        e.g. « mesure en patients, seuil : au moins 10 patients, facultative ».
    """
    parts = [f"{preuve.type.value} {mesure_text(preuve)}".strip()]
    if mark:
        parts.append("obligatoire" if preuve.obligatoire else "facultative")
    return ", ".join(parts)
