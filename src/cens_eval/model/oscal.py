"""The OSCAL vocabulary cens-eval writes and reads: namespace, prop and part names, ids, uuids.

One place for the names both directions use: the catalog and assessment-results renderers
(``render/oscal_*``) and the catalog reader (``loader/oscal``). Every prop or part that OSCAL
does not define carries the namespace :data:`NS`.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

OSCAL_VERSION = "1.2.1"
"""The OSCAL version written (and the NIST JSON Schemas the exports are validated against)."""

NS = "urn:cens-eval:oscal"
"""The namespace of every cens-eval prop and part (a URN: no web address is claimed)."""

UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, NS)
"""Every uuid written is a uuid5 in this namespace over the content it names: same input, same uuid."""

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
"""``last-modified`` of a catalog whose référentiel states no date at all (never an invented one)."""


class Prop:
    """Names of the cens-eval props (namespace :data:`NS`)."""

    REFERENTIEL_ID = "referentiel-id"
    TYPE = "type"
    STATUT = "statut"
    DATE_PUBLICATION = "date-publication"
    DATE_ARRETE = "date-arrete"
    APPLICABLE_SI = "applicable-si"
    """A condition over the profil, as compact JSON (its structure is cens-eval's own)."""
    ROLE = "role"
    """What a back-matter resource is (:class:`Role`)."""
    SOURCE_ID = "source-id"
    NATURE = "nature"
    DATE = "date"
    CONSULTE_LE = "consulte-le"
    SECTION_ID = "section-id"
    PRINCIPE = "principe"
    NIVEAU = "niveau"
    OBLIGATOIRE_A_PARTIR_DU = "obligatoire-a-partir-du"
    POIDS = "poids"
    FIDELITE = "fidelite"
    THEME = "theme"
    REMPLACE = "remplace"
    APPUIE_NIVEAU = "source-appuie-niveau"
    APPUIE_PREUVES = "source-appuie-preuves"
    """The ids of the preuves the cited passage supports, separated by spaces."""
    PREUVE_ID = "preuve-id"
    TYPE_PREUVE = "type-preuve"
    OBLIGATOIRE = "obligatoire"
    UNITE = "unite"
    SEUIL_MIN = "seuil-min"
    SEUIL_MAX = "seuil-max"
    AGE_MAX = "age-max"
    """Maximum age of a preuve (ISO 8601 duration), on a control or on one objective."""
    EXIGE_HORS_PROFIL = "exige-hors-profil"
    PORTE_SUR = "porte-sur"


class Part:
    """Names of the parts: OSCAL's own (no namespace), then cens-eval's (namespace :data:`NS`)."""

    STATEMENT = "statement"
    OBJECTIVE = "assessment-objective"
    NON_APPLICABLE = "non-applicable"
    CHOIX_DU_PROJET = "choix-du-projet"
    THEME_EXCEPTION = "theme-exception"
    NOTE = "note"


class Role:
    """Values of the ``role`` prop of a back-matter resource."""

    BASE_LEGALE = "base-legale"
    SOURCE = "source"
    FICHIER_REFERENTIEL = "fichier-referentiel"
    QUESTIONNAIRE = "questionnaire"
    VOCABULAIRE_PROFIL = "vocabulaire-profil"
    CALENDRIER = "calendrier"
    PREUVE = "preuve"
    DOSSIER = "dossier"
    REVUE = "revue"


OSCAL_PROPS = frozenset({"label", "sort-id"})
"""The OSCAL-defined prop names cens-eval writes without a namespace."""

_TOKEN = re.compile(r"^(?:[^\W\d_]|_)(?:[^\W_]|[.\-_])*$")
"""OSCAL's TokenDatatype (``^(\\p{L}|_)(\\p{L}|\\p{N}|[.\\-_])*$``) as Python's ``re`` writes it."""


def token(identifiant: str) -> str:
    """An OSCAL token for a cens-eval identifier: itself, or behind ``_`` when it starts with a digit.

    Identifiers are letters, digits, dots, dashes and underscores: only a leading digit is not a
    token. The identifier as written is kept beside it (the ``label`` prop), never derived back.
    """
    return identifiant if _TOKEN.match(identifiant) else f"_{identifiant}"


def is_token(text: str) -> bool:
    """Whether a text is an OSCAL token."""
    return bool(_TOKEN.match(text))


def content_uuid(*parts: str) -> str:
    """A uuid5 over the parts it names (joined by ``/``): the same content gives the same uuid."""
    return str(uuid.uuid5(UUID_NAMESPACE, "/".join(parts)))


def timestamp(moment: dt.date | dt.datetime) -> str:
    """An OSCAL date-time with time zone: a date is midnight UTC; seconds, no fraction."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time(), tzinfo=dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
