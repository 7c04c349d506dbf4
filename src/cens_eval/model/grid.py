"""The mapping file of a tabular grid (``correspondance``): where each field of an exigence is.

An authority publishes a référentiel as a grid: one row per exigence, with an identifier, a
statement, the evidence expected, « Obligatoire » or « Optionnel », a section. The mapping says
which column holds which field, which words the grid uses, how to split the evidence cell, and
gives what the grid lacks (the référentiel's header, constant values). The reader is
:mod:`cens_eval.loader.grid`; ``referentiels export`` writes a grid in the canonical layout
(:data:`CANONICAL_HEADERS`) with the mapping that reads it back (:func:`canonical_mapping`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from cens_eval.model.base import Identifiant, Model, Poids, Texte
from cens_eval.model.condition import Condition
from cens_eval.model.fidelity import FIDELITE_LABELS
from cens_eval.model.referentiel import (
    EnTete,
    PreuveAttendue,
    Referentiel,
    read_principe,
)
from cens_eval.model.vocabulary import (
    NIVEAU_LABELS,
    PRINCIPE_LABELS,
    PRINCIPE_SYNONYMES,
    Fidelite,
    Niveau,
    Principe,
    TypePreuve,
)

Entete = Annotated[str, Field(min_length=1, max_length=200)]
"""A column header of the grid, as written in its first row (spacing and case do not matter)."""


class Colonnes(Model):
    """The header of the column holding each field (absent: the grid has no such column)."""

    id: Entete = Field(description="Identifiant de l'exigence, repris tel quel (obligatoire).")
    section: Entete | None = Field(None, description="Section : son identifiant ou son titre.")
    libelle: Entete | None = Field(None, description="Libellé court (200 caractères au plus).")
    enonce: Entete | None = Field(None, description="Énoncé complet (peut être la même colonne).")
    principe: Entete | None = Field(None, description="Principe du CENS (mots : voir valeurs).")
    niveau: Entete | None = Field(None, description="Niveau (mots : voir valeurs).")
    obligatoire_a_partir_du: Entete | None = Field(
        None, description="Date AAAA-MM-JJ à laquelle une préconisation devient obligatoire."
    )
    applicable_si: Entete | None = Field(
        None, description="Condition : un mot de valeurs.applicable_si ou {question: …, equals: …}."
    )
    preuves: Entete | None = Field(
        None, description="Preuves attendues (découpées : voir preuves)."
    )
    non_applicable_conditions: Entete | None = Field(
        None, description="Ce qui rend l'exigence non applicable."
    )
    non_applicable_preuves: Entete | None = Field(
        None, description="Preuves d'une non-applicabilité (voir preuves_non_applicable)."
    )
    non_applicable_hors_profil: Entete | None = Field(
        None, description="oui : la preuve de non-applicabilité est exigée hors profil."
    )
    poids: Entete | None = Field(None, description="Poids dans les scores.")
    age_max: Entete | None = Field(
        None, description="Âge maximal des preuves (durée ISO 8601, par exemple P1Y)."
    )
    source_document: Entete | None = Field(
        None, description="Identifiant de la source (déclarée dans referentiel.sources)."
    )
    source_localisation: Entete | None = Field(
        None, description="Localisation dans la source (article, page…)."
    )
    source_appuie: Entete | None = Field(
        None,
        description="Ce que la source appuie : « niveau » et les identifiants de preuves, séparés par des virgules.",
    )
    fidelite: Entete | None = Field(None, description="Fidélité (officiel, paraphrasé…).")
    choix_du_projet: Entete | None = Field(
        None, description="Une ligne par choix : « porte_sur : raison »."
    )
    theme: Entete | None = None
    theme_exception: Entete | None = None
    remplace: Entete | None = Field(
        None, description="Identifiant de l'exigence dans la version précédente (renommage)."
    )
    note: Entete | None = None


GRID_FIELDS: tuple[str, ...] = tuple(Colonnes.model_fields)
"""Every field a grid column may hold, in the canonical order."""

CANONICAL_HEADERS: dict[str, str] = {
    "id": "Identifiant",
    "section": "Section",
    "libelle": "Libellé",
    "enonce": "Énoncé",
    "principe": "Principe",
    "niveau": "Niveau",
    "obligatoire_a_partir_du": "Obligatoire à partir du",
    "applicable_si": "Condition d'applicabilité",
    "preuves": "Preuves attendues",
    "non_applicable_conditions": "Non applicable : conditions",
    "non_applicable_preuves": "Non applicable : preuves",
    "non_applicable_hors_profil": "Non applicable : exigé hors profil",
    "poids": "Poids",
    "age_max": "Âge maximal des preuves",
    "source_document": "Source",
    "source_localisation": "Localisation dans la source",
    "source_appuie": "Appuyé par la source",
    "fidelite": "Fidélité",
    "choix_du_projet": "Choix du projet",
    "theme": "Thème",
    "theme_exception": "Exception de thème",
    "remplace": "Remplace",
    "note": "Note",
}
"""The headers ``referentiels export`` writes, one column per field."""

CANONICAL_NIVEAUX: dict[str, Niveau] = {
    "Obligatoire": Niveau.EXIGENCE,
    "Optionnel": Niveau.PRECONISATION,
}
"""The level words of an exported grid (those of the authorities' grids)."""

CANONICAL_SHEET = "Exigences"
"""The sheet ``referentiels export`` writes."""


class FormePreuves(StrEnum):
    """How each piece of an evidence cell is written."""

    LIBRE = "libre"
    """A label only: id from the ``identifiant`` pattern, type and obligation from the rule."""
    STRUCTUREE = "structuree"
    """``id (type, en unité, min N, max N, obligatoire|facultative) : libellé``."""


class ReglePreuves(Model):
    """How an evidence cell is split into expected preuves."""

    forme: FormePreuves = FormePreuves.LIBRE
    separateur: Annotated[str, Field(min_length=1, max_length=10)] = "\n"
    """Between two preuves (default: a line break). Surrounding spaces are not kept."""
    identifiant: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]*\{n\}[A-Za-z0-9._-]*$")] = (
        "preuve-{n}"
    )
    """Id of the n-th preuve of a row, in the ``libre`` form (``{n}`` counts from 1)."""
    type: TypePreuve = TypePreuve.DOCUMENT
    obligatoire: bool = True

    # The separator is a text of the mapping: its spaces are part of it (a line break is one).
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=False, defer_build=True
    )


def _regle_non_applicable() -> ReglePreuves:
    return ReglePreuves(identifiant="non-applicable-{n}", type=TypePreuve.ATTESTATION_SUR_L_HONNEUR)


class Valeurs(Model):
    """The words a grid uses, for the fields read from a closed list.

    Besides these, the values themselves (``exigence``, ``autonomie``, ``officiel``…) and their
    French labels (« Préconisation », « Justice et équité », « Paraphrasé »…) are understood.
    Case and spacing do not matter.
    """

    niveau: dict[Entete, Niveau] = Field(default_factory=dict)
    principe: dict[Entete, Principe] = Field(default_factory=dict)
    fidelite: dict[Entete, Fidelite] = Field(default_factory=dict)
    applicable_si: dict[Entete, Condition | None] = Field(default_factory=dict)
    """A word of the condition column → the condition it means (null: none, always applicable)."""

    @field_validator("principe", mode="before")
    @classmethod
    def _synonyms(cls, value: object) -> object:
        if isinstance(value, dict):
            return {k: read_principe(v) for k, v in value.items()}
        return value


class SourceConstante(Model):
    """The source of every exigence, when the grid does not give it.

    ``localisation`` may hold ``{id}``: the exigence's id.
    """

    document: Identifiant
    localisation: Texte


class Constantes(Model):
    """Values given to every exigence whose row has none (no column, or an empty cell)."""

    section: Identifiant | None = None
    principe: Principe | None = None
    niveau: Niveau | None = None
    fidelite: Fidelite | None = None
    poids: Poids | None = None
    source: SourceConstante | None = None

    _normalise_principe = field_validator("principe", mode="before")(read_principe)


class Grille(Model):
    """Where the rows are: the sheet of a workbook, the separator of a CSV file.

    The first row (line) holds the headers; each following row is an exigence.
    """

    feuille: Annotated[str, Field(min_length=1, max_length=31)] | None = None
    """Sheet to read (a workbook with one sheet: that one)."""
    separateur: Literal[",", ";", "\t", "|"] = ","
    """Between two cells of a CSV file (UTF-8, with or without BOM)."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=False, defer_build=True
    )


class Correspondance(Model):
    """A grid mapping file: how to read one grid into a référentiel."""

    referentiel: EnTete
    grille: Grille = Field(default_factory=Grille)
    colonnes: Colonnes
    colonnes_ignorees: list[Entete] = Field(default_factory=list)
    """Columns of the grid that are not read (any other unknown column is refused)."""
    valeurs: Valeurs = Field(default_factory=Valeurs)
    constantes: Constantes = Field(default_factory=Constantes)
    preuves: ReglePreuves = Field(default_factory=ReglePreuves)
    preuves_non_applicable: ReglePreuves = Field(default_factory=_regle_non_applicable)

    @model_validator(mode="after")
    def _coherent(self) -> Correspondance:
        problems = []
        mapped = {word(h) for h in self.colonnes.model_dump(exclude_none=True).values()}
        twice = sorted({h for h in self.colonnes_ignorees if word(h) in mapped})
        if twice:
            problems.append(f"colonne ignorée et lue à la fois : {', '.join(twice)}")
        for name in ("niveau", "principe", "fidelite", "applicable_si"):
            words = [word(w) for w in getattr(self.valeurs, name)]
            again = sorted({w for w in words if words.count(w) > 1})
            if again:
                problems.append(f"valeurs.{name} : mot donné deux fois : {', '.join(again)}")
        if problems:
            raise ValueError(" ; ".join(problems))
        return self


def word(text: str) -> str:
    """A word of the grid as compared: spacing and case do not matter."""
    return " ".join(text.split()).casefold()


def id_key(text: str) -> str:
    """An exigence id as a person reads it: case, accents and spaces do not matter.

    ``EX.01``, ``ex.01`` and ``EX. 01`` are one id to a reader: a grid giving two of them is
    refused rather than read as two exigences.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    kept = (c for c in decomposed if not unicodedata.combining(c) and not c.isspace())
    return "".join(kept).casefold()


def known_words(correspondance: Correspondance, field: str) -> dict[str, StrEnum]:
    """Every word understood for a closed field (``niveau``, ``principe``, ``fidelite``)."""
    labels: dict[str, Mapping[Any, str]] = {
        "niveau": NIVEAU_LABELS,
        "principe": PRINCIPE_LABELS,
        "fidelite": FIDELITE_LABELS,
    }
    words: dict[str, StrEnum] = {}
    for member, label in labels[field].items():
        words[word(member.value)] = member
        words[word(label)] = member
    if field == "principe":
        words.update({word(k): v for k, v in PRINCIPE_SYNONYMES.items()})
    words.update({word(k): v for k, v in getattr(correspondance.valeurs, field).items()})
    return words


def canonical_mapping(ref: Referentiel) -> Correspondance:
    """The mapping that reads back the grid ``referentiels export`` writes for ``ref``."""
    header = EnTete.model_validate(
        ref.model_dump(include=set(EnTete.model_fields), by_alias=True, exclude_none=True)
    )
    structured = ReglePreuves(forme=FormePreuves.STRUCTUREE)
    return Correspondance(
        referentiel=header,
        grille=Grille(feuille=CANONICAL_SHEET),
        colonnes=Colonnes.model_validate(CANONICAL_HEADERS),
        valeurs=Valeurs(niveau=dict(CANONICAL_NIVEAUX)),
        preuves=structured,
        preuves_non_applicable=structured,
    )


# ---- the cells with a syntax of their own ----------------------------------------------------------

_CHOIX = ("niveau", "poids", "principe", "preuves", "seuil", "condition", "age_max")


def choix_line(porte_sur: str, raison: str) -> str:
    """One project choice in the « Choix du projet » cell."""
    return f"{porte_sur} : {raison}"


def choix_du_projet(text: str) -> tuple[list[dict[str, str]], list[str]]:
    """The project choices of a cell, one per line ``porte_sur : raison``; and what was refused."""
    choix: list[dict[str, str]] = []
    problems: list[str] = []
    for line in (raw.strip() for raw in text.split("\n")):
        if not line:
            continue
        porte_sur, colon, raison = line.partition(":")
        if not colon or porte_sur.strip() not in _CHOIX or not raison.strip():
            problems.append(
                f"choix du projet illisible « {_short(line)} » "
                f"(attendu « {' | '.join(_CHOIX)} : raison »)"
            )
            continue
        choix.append({"porte_sur": porte_sur.strip(), "raison": raison.strip()})
    return choix, problems


APPUI_NIVEAU = "niveau"
"""In the « Appuyé par la source » cell, the word for the level (every other word is a preuve id)."""


def appui_cell(niveau: bool, preuves: list[str]) -> str | None:
    """The « Appuyé par la source » cell: ``niveau`` then the supported preuve ids."""
    words = [APPUI_NIVEAU] if niveau else []
    return ", ".join([*words, *preuves]) or None


def appui(text: str) -> dict[str, Any]:
    """The supports written in an « Appuyé par la source » cell (commas or line breaks)."""
    words = [w.strip() for w in re.split(r"[,\n]", text) if w.strip()]
    return {
        "niveau": APPUI_NIVEAU in words,
        "preuves": [w for w in words if w != APPUI_NIVEAU],
    }


def _short(text: str, width: int = 60) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else f"{line[: width - 1]}…"


_STRUCTURED = re.compile(
    r"^(?P<id>[^\s()]+)\s*\((?P<attrs>[^()]*)\)\s*:\s*(?P<libelle>.+)$", re.DOTALL
)
_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")
_UNIT_FORBIDDEN = (",", "(", ")", "\n")
_AGE = re.compile(r"^[âa]ge max\s+(P\S+)$")


def preuve_piece(preuve: PreuveAttendue) -> str:
    """One expected preuve in the structured form, read back by :func:`parse_preuves`."""
    attrs = [preuve.type.value]
    if preuve.unite is not None:
        attrs.append(f"en {preuve.unite}")
    if preuve.seuil is not None:
        for bound in ("min", "max"):
            value = getattr(preuve.seuil, bound)
            if value is not None:
                attrs.append(f"{bound} {format(value, 'f')}")
    if preuve.age_max is not None:
        attrs.append(f"âge max {preuve.age_max}")
    attrs.append("obligatoire" if preuve.obligatoire else "facultative")
    return f"{preuve.id} ({', '.join(attrs)}) : {preuve.libelle}"


def piece_problem(preuve: PreuveAttendue, separateur: str) -> str | None:
    """Why an expected preuve cannot be written as one piece of a cell and read back, or None."""
    if separateur in preuve.libelle:
        return f"preuve {preuve.id} : libellé contenant le séparateur des preuves"
    if preuve.unite is not None and any(c in preuve.unite for c in _UNIT_FORBIDDEN):
        return f"preuve {preuve.id} : unité contenant « , », « ( », « ) » ou un saut de ligne"
    return None


def parse_preuves(text: str, regle: ReglePreuves) -> tuple[list[dict[str, Any]], list[str]]:
    """The expected preuves of a cell, split by the rule; and why some pieces were refused.

    Args:
        text: the cell's text.
        regle: how the cell is split, and what a piece in the ``libre`` form stands for.

    Returns:
        The preuves as data for :class:`~cens_eval.model.referentiel.PreuveAttendue`, and a
        French message for each piece that could not be read.
    """
    preuves: list[dict[str, Any]] = []
    problems: list[str] = []
    pieces = [piece.strip() for piece in text.split(regle.separateur)]
    for n, piece in enumerate((p for p in pieces if p), start=1):
        if regle.forme is FormePreuves.LIBRE:
            preuves.append(
                {
                    "id": regle.identifiant.replace("{n}", str(n)),
                    "type": regle.type,
                    "libelle": piece,
                    "obligatoire": regle.obligatoire,
                }
            )
            continue
        found = _STRUCTURED.match(piece)
        if found is None:
            problems.append(
                f"preuve illisible « {_short(piece)} » "
                "(attendu « id (type, obligatoire ou facultative) : libellé »)"
            )
            continue
        preuve, refused = _attributes(found.group("attrs"), regle)
        if refused:
            problems.append(f"preuve {found.group('id')} : {refused}")
            continue
        preuves.append(
            {"id": found.group("id"), "libelle": found.group("libelle").strip(), **preuve}
        )
    return preuves, problems


def _attributes(text: str, regle: ReglePreuves) -> tuple[dict[str, Any], str | None]:
    """The attributes between parentheses; or why one is refused."""
    preuve: dict[str, Any] = {"type": regle.type, "obligatoire": regle.obligatoire}
    seuil: dict[str, str] = {}
    types = {t.value for t in TypePreuve}
    for attr in (a.strip() for a in text.split(",")):
        head, _, rest = attr.partition(" ")
        if attr in types:
            preuve["type"] = TypePreuve(attr)
        elif attr in ("obligatoire", "facultative", "facultatif"):
            preuve["obligatoire"] = attr == "obligatoire"
        elif head == "en" and rest.strip():
            preuve["unite"] = rest.strip()
        elif head in ("min", "max") and _NUMBER.match(rest.strip()):
            seuil[head] = rest.strip().replace(",", ".")
        elif (age := _AGE.match(attr)) is not None:
            preuve["age_max"] = age.group(1)
        else:
            expected = ", ".join(sorted(types))
            return preuve, (
                f"« {_short(attr)} » incompris (attendu un type parmi {expected}, "
                "« obligatoire », « facultative », « en unité », « min N », « max N » ou « âge max P1Y »)"
            )
    if seuil:
        preuve["seuil"] = seuil
    return preuve, None
