"""The éditeur's form and answers taken from another référentiel (``reprise``).

The form shows where such an answer comes from (``_reprise.html``); a save keeps the reprise
as it was written — never dropped because the form has no field for it — unless the éditeur
chooses to answer on their own; a pre-fill through a partial link is confirmed by its box.
"""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from cens_eval.model.questionnaire import Reponse
from cens_eval.web.forms import key


def kept_reprise(
    form: MultiDict[str, str],
    ref_id: str,
    exigence_id: str,
    previous: Reponse | None,
    answer: dict[str, Any] | None,
) -> dict[str, Any] | None:
    """The posted answer with the saved reprise kept (confirmed when its box is ticked)."""
    if previous is None or not previous.reprise:
        return answer
    if form.get(key(ref_id, exigence_id, "reprise", "retirer")):
        return answer  # the éditeur answers on their own: the reprise goes
    confirm = bool(form.get(key(ref_id, exigence_id, "reprise", "confirmee")))
    reprise = [
        r.model_dump(exclude_defaults=True)
        | ({"confirmee": True} if confirm or r.confirmee else {})
        for r in previous.reprise
    ]
    return {**(answer or {}), "reprise": reprise}
