"""Read a register of signalements kept as a workbook: one row per signalement.

The sheet « Signalements » holds one row per signalement, its columns found by their header
(:data:`COLUMNS`); a cell that holds several values (principles, exigences, rapporteurs,
actions, proposed changes) gives one per line. Read with the defences of every workbook
(:mod:`cens_eval.loader.xlsx_sheet`); the data then go through the same model and rules as a
YAML register, each problem located at its cell.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cens_eval.errors import LoadError
from cens_eval.loader.document import Document
from cens_eval.loader.xlsx_sheet import Row, Table, WorkbookReader, open_workbook, reading
from cens_eval.model.questionnaire_sheets import BOOLEAN_WORDS

SHEET = "Signalements"
COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "Identifiant"),
    ("recu_le", "Reçu le"),
    ("declarant", "Déclarant"),
    ("editeur", "Éditeur"),
    ("solution", "Solution"),
    ("version", "Version"),
    ("faits", "Faits"),
    ("principes", "Principes"),
    ("exigences", "Exigences (référentiel exigence, une par ligne)"),
    ("recevabilite_date", "Décision du comité le"),
    ("recevable", "Recevable (oui / non)"),
    ("motif", "Motif de la décision"),
    ("instruction_date", "Instruction le"),
    ("rapporteurs", "Rapporteurs (un par ligne)"),
    ("demande_date", "Demande à l'éditeur le"),
    ("reponse_date", "Réponse de l'éditeur le"),
    ("reponse", "Réponse de l'éditeur"),
    ("publication_date", "Publié le"),
    ("actions", "Actions proposées (une par ligne)"),
    ("reponse_publiee", "Réponse publiée"),
    ("validee", "Validée par l'éditeur (oui / non)"),
    ("anonymisation_par", "Anonymisation vérifiée par"),
    ("anonymisation_le", "Anonymisation vérifiée le"),
    (
        "evolutions",
        "Évolutions proposées (référentiel | creer ou modifier | exigence | description)",
    ),
)
"""Each column: its key, and the header the sheet gives it."""

_TABLE = Table(
    SHEET, COLUMNS, {key for key, _ in COLUMNS[1:]}, "id", "signalement {key} déjà donné en {cell}"
)
_DATES = (
    "recu_le",
    "recevabilite_date",
    "instruction_date",
    "demande_date",
    "reponse_date",
    "publication_date",
    "anonymisation_le",
)


def read_signalements_workbook(path: Path) -> tuple[Document, str]:
    """Parse a register workbook; returns a document whose locations are cells, and its SHA-256.

    Raises:
        LoadError: the workbook, its sheet or one of its cells cannot be read exactly.
    """
    wb, digest = open_workbook(path)
    reader = WorkbookReader(str(path), wb)
    signalements: list[dict[str, Any]] = []
    with reading(path, wb):
        reader.check_sheets({SHEET})
        rows = reader.table(_TABLE)
        for i, row in enumerate(rows or []):
            signalements.append(_signalement(reader, row, ("signalements", i)))
    if reader.problems:
        raise LoadError(reader.problems)
    return Document(str(path), {"signalements": signalements}, None, reader.cells), digest


def _signalement(reader: WorkbookReader, row: Row, at: tuple[str | int, ...]) -> dict[str, Any]:
    value = {key: row.get(key) for key, _ in COLUMNS}
    for key in _DATES:
        value[key] = reader.date(row.where(key), value[key])
    reader.cells[at] = row.where("id")
    for key in ("recu_le", "declarant", "faits", "principes", "exigences"):
        reader.cells[(*at, key)] = row.where(key)
    data: dict[str, Any] = {
        "id": row.key,
        "recu_le": value["recu_le"],
        "declarant": value["declarant"],
        "solution": _present(
            {
                "editeur": value["editeur"],
                "solution": value["solution"],
                "version": value["version"],
            }
        ),
        "faits": value["faits"],
        "principes": _lines(value["principes"]),
        "exigences": [_exigence(reader, row, line) for line in _lines(value["exigences"])],
    }
    reader.cells[(*at, "solution")] = row.where("solution")
    if value["recevabilite_date"] or value["recevable"] is not None or value["motif"]:
        data["recevabilite"] = _present(
            {
                "date": value["recevabilite_date"],
                "recevable": _yes_no(reader, row, "recevable"),
                "motif": value["motif"],
            }
        )
        reader.cells[(*at, "recevabilite")] = row.where("recevabilite_date")
        reader.cells[(*at, "recevabilite", "motif")] = row.where("motif")
    if value["instruction_date"] or value["rapporteurs"]:
        data["instruction"] = {
            "date": value["instruction_date"],
            "rapporteurs": _lines(value["rapporteurs"]),
        }
        reader.cells[(*at, "instruction")] = row.where("instruction_date")
        reader.cells[(*at, "instruction", "rapporteurs")] = row.where("rapporteurs")
    if value["demande_date"] or value["reponse_date"] or value["reponse"]:
        data["contact_editeur"] = _present(
            {
                "date_demande": value["demande_date"],
                "date_reponse": value["reponse_date"],
                "reponse": value["reponse"],
            }
        )
        reader.cells[(*at, "contact_editeur")] = row.where("demande_date")
        reader.cells[(*at, "contact_editeur", "reponse")] = row.where("reponse")
    checked = {"verifiee_par": value["anonymisation_par"], "verifiee_le": value["anonymisation_le"]}
    if (
        value["publication_date"]
        or value["reponse_publiee"]
        or value["actions"]
        or any(checked.values())
    ):
        data["publication"] = _present(
            {
                "date": value["publication_date"],
                "actions": _lines(value["actions"]),
                "reponse": value["reponse_publiee"],
                "validee_par_editeur": _yes_no(reader, row, "validee"),
                "anonymisation": _present(checked) if any(checked.values()) else None,
            }
        )
        reader.cells[(*at, "publication")] = row.where("publication_date")
        reader.cells[(*at, "publication", "reponse")] = row.where("reponse_publiee")
        reader.cells[(*at, "publication", "actions")] = row.where("actions")
        reader.cells[(*at, "publication", "validee_par_editeur")] = row.where("validee")
        reader.cells[(*at, "publication", "anonymisation")] = row.where("anonymisation_par")
        reader.cells[(*at, "publication", "anonymisation", "verifiee_par")] = row.where(
            "anonymisation_par"
        )
        reader.cells[(*at, "publication", "anonymisation", "verifiee_le")] = row.where(
            "anonymisation_le"
        )
    evolutions = [_evolution(reader, row, line) for line in _lines(value["evolutions"])]
    if evolutions:
        data["evolutions"] = evolutions
        reader.cells[(*at, "evolutions")] = row.where("evolutions")
    return data


def _lines(value: Any) -> list[str]:
    """The non-empty lines of a cell (a value per line)."""
    if value is None:
        return []
    return [line.strip() for line in str(value).splitlines() if line.strip()]


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _exigence(reader: WorkbookReader, row: Row, line: str) -> dict[str, str]:
    parts = line.split()
    if len(parts) != 2:
        reader.problem(
            row.where("exigences"),
            f"exigence « {line} » illisible : « référentiel exigence » attendu, une par ligne",
        )
        return {"referentiel": line, "exigence": line}
    return {"referentiel": parts[0], "exigence": parts[1]}


def _evolution(reader: WorkbookReader, row: Row, line: str) -> dict[str, Any]:
    parts = [p.strip() for p in line.split("|", 3)]
    if len(parts) != 4 or parts[1] not in ("creer", "modifier"):
        reader.problem(
            row.where("evolutions"),
            f"évolution « {line} » illisible : « référentiel | creer ou modifier | exigence | "
            "description » attendu, une par ligne",
        )
        return {}
    referentiel, nature, exigence, description = parts
    return _present(
        {
            "referentiel": referentiel,
            "nature": nature,
            "exigence": exigence or None,
            "description": description,
        }
    )


def _yes_no(reader: WorkbookReader, row: Row, column: str) -> bool | None:
    value = row.get(column)
    if value is None or isinstance(value, bool):
        return value
    word = BOOLEAN_WORDS.get(" ".join(str(value).split()).casefold())
    if word is None:
        reader.problem(row.where(column), f"« {value} » : oui ou non attendu")
    return word
