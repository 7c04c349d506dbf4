"""French for click's own messages (usage, help headings, parameter errors) and metavariables.

Click marks its strings with :mod:`gettext` but ships no French catalogue; we install one
small catalogue of our own, for the messages our users can meet. Metavariables (``FILE``,
``TEXT``, ``[%Y-%m-%d]``) are not messages: :func:`french_command` names them in French.
"""

from __future__ import annotations

import datetime as dt
import gettext
from importlib import import_module
from typing import Any

import click

from cens_eval.render.terminal import printable

FRENCH: dict[str, str] = {
    "Usage:": "Usage :",
    "Options": "Options",
    "Commands": "Commandes",
    "Show this message and exit.": "Afficher cette aide et quitter.",
    "Show the version and exit.": "Afficher la version et quitter.",
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Aide : « {command} {option} ».",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing {param_type}": "{param_type} manquant",
    "Missing command.": "Commande manquante.",
    "No such command {name!r}.": "Commande inconnue : {name!r}.",
    "No such option {name!r}.": "Option inconnue : {name!r}.",
    "No such option: {name}": "Option inconnue : {name}",
    "Option {name!r} does not take a value.": "L'option {name!r} ne prend pas de valeur.",
    "Option {name!r} requires an argument.": "L'option {name!r} attend une valeur.",
    "Option {name!r} requires {nargs} arguments.": "L'option {name!r} attend {nargs} valeurs.",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Got unexpected extra argument ({args})": "Argument en trop ({args})",
    "Got unexpected extra arguments ({args})": "Arguments en trop ({args})",
    "{value!r} is not {choice}.": "{value!r} n'est pas {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} n'est pas l'un de {choices}.",
    "{value!r} does not match the format {format}.": "{value!r} ne respecte pas le format {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} ne respecte aucun des formats {formats}.",
    "{value!r} is not a valid {number_type}.": "{value!r} n'est pas un nombre valide.",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} n'est pas oui/non. Valeurs reconnues : {states}",
    "Did you mean {possibility}?": "Vouliez-vous dire {possibility} ?",
    "(Did you mean one of: {possibilities}?)": "(Vouliez-vous dire l'un de : {possibilities} ?)",
    "default: {default}": "défaut : {default}",
    "Aborted!": "Interrompu.",
    "Do you want to continue?": "Continuer ?",
    "{name} {filename!r} does not exist.": "{name} {filename!r} introuvable.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} est un répertoire.",
    "{name} {filename!r} is a file.": "{name} {filename!r} est un fichier.",
    "file": "fichier",
    "directory": "répertoire",
    "path": "chemin",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "required": "obligatoire",
}

_CLICK_MODULES = (
    "core",
    "decorators",
    "exceptions",
    "formatting",
    "parser",
    "termui",
    "types",
    "utils",
)


class _Catalogue(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return FRENCH.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self.gettext(msgid1 if n == 1 else msgid2)


def install() -> None:
    """Make click speak French in this process (idempotent)."""
    catalogue = _Catalogue()
    for name in _CLICK_MODULES:
        module = import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = catalogue.gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = catalogue.ngettext  # type: ignore[attr-defined]


METAVARS: dict[str, str] = {
    "file": "FICHIER",
    "fichier": "FICHIER",
    "directory": "DOSSIER",
    "dossier_dir": "DOSSIER",
    "review_file": "REVUE",
    "folders": "RÉPERTOIRE",
    "paths": "CHEMIN",
    "referentiel_id": "ID",
    "wanted": "ID",
    "version": "VERSION",
    "formats": "LISTE",
    "hote": "HÔTE",
    "port": "PORT",
    "jobs": "NOMBRE",
}
"""Metavariables by parameter name, where click would show an English word."""

_BY_TYPE: dict[type[click.ParamType[Any]], str] = {
    click.types.StringParamType: "TEXTE",
    click.types.IntParamType: "ENTIER",
    click.types.IntRange: "ENTIER",
    click.types.FloatParamType: "NOMBRE",
    click.types.FloatRange: "NOMBRE",
    click.Path: "CHEMIN",
}
"""Metavariables of the options not named in :data:`METAVARS`, by type (an argument not named
there keeps its own name, already French)."""

_DATE_PARTS = {"%Y": "AAAA", "%m": "MM", "%d": "JJ", "%H": "HH", "%M": "MM", "%S": "SS"}


def date_words(form: str) -> str:
    """A ``strftime`` format as a French reader writes it: ``%Y-%m-%d`` is ``AAAA-MM-JJ``."""
    for part, word in _DATE_PARTS.items():
        form = form.replace(part, word)
    return form


class Date(click.DateTime):
    """Click's date type, its formats and its refusal in French (``AAAA-MM-JJ``)."""

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        """The formats, as a French reader writes them."""
        return "|".join(date_words(f) for f in self.formats)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """The date read by the first format that fits; refused in French otherwise."""
        if isinstance(value, dt.datetime):
            return value
        for form in self.formats:
            try:
                return dt.datetime.strptime(value, form)
            except ValueError:
                continue
        forms = " ou ".join(date_words(f) for f in self.formats)
        self.fail(printable(f"« {value} » n'est pas une date {forms}"), param, ctx)


def french_command(command: click.Command) -> click.Command:
    """The command, its parameters and sub-commands given French metavariables and dates.

    A parameter with its own metavariable keeps it; a date parameter reads and refuses in
    French. Returns the command itself (changed in place, once).
    """
    for param in command.params:
        if isinstance(param.type, click.DateTime) and not isinstance(param.type, Date):
            param.type = Date(list(param.type.formats))
        if param.metavar is not None or isinstance(param.type, click.Choice | Date):
            continue
        if isinstance(param, click.Option) and param.is_flag:
            continue
        word = METAVARS.get(param.name or "")
        if word is None and isinstance(param, click.Option):
            word = _BY_TYPE.get(type(param.type))
        if word is None:
            continue
        if isinstance(param, click.Argument):
            word = word if param.required else f"[{word}]"
            word += "..." if param.nargs != 1 else ""
        param.metavar = word
    if isinstance(command, click.Group):
        command.subcommand_metavar = "COMMANDE [ARGUMENTS]..."
        for sub in command.commands.values():
            french_command(sub)
    return command
