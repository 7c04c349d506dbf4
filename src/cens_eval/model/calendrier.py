"""A phase-in calendar: préconisations an authority announced as mandatory from a date.

One small file, applied on top of référentiel versions without editing them: ``evaluate
--calendrier`` honours it at the evaluation date (a préconisation past its date is an exigence),
and the dossier records the file (copied under ``calendrier/``, with its SHA-256). A date in a
calendar overrides the référentiel's own ``obligatoire_a_partir_du``. No date is shipped with
cens-eval: each one must come from an announcement the user read.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from cens_eval.model.base import Identifiant, Model, Texte

CALENDRIER_DIR = "calendrier"
"""Where a dossier folder keeps the calendar it was evaluated with."""


class Passage(Model):
    """One préconisation that becomes mandatory on a date."""

    exigence: Identifiant
    obligatoire_a_partir_du: dt.date
    source: Texte | None = None
    """Where the announcement was read (text, decree, FAQ entry…)."""


class CalendrierReferentiel(Model):
    """The dates announced for one version of one référentiel."""

    id: Identifiant
    version: Identifiant
    passages: list[Passage] = Field(min_length=1)


class Calendrier(Model):
    """A calendar file: its title and the dates it announces, per référentiel version."""

    titre: Texte
    description: Texte | None = None
    referentiels: list[CalendrierReferentiel] = Field(min_length=1)

    def dates(self, referentiel_id: str, version: str) -> tuple[tuple[str, dt.date], ...]:
        """(exigence, date) of every passage announced for one référentiel version."""
        return tuple(
            (p.exigence, p.obligatoire_a_partir_du)
            for r in self.referentiels
            if (r.id, r.version) == (referentiel_id, version)
            for p in r.passages
        )

    def date(self, referentiel_id: str, version: str, exigence_id: str) -> dt.date | None:
        """The date from which this calendar makes an exigence mandatory, or None."""
        return dict(self.dates(referentiel_id, version)).get(exigence_id)
