"""French for click's own messages (usage, help headings, parameter errors).

Click marks its strings with :mod:`gettext` but ships no French catalogue; we install one
small catalogue of our own, for the messages our users can meet.
"""

from __future__ import annotations

import gettext
from importlib import import_module

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
