"""The YAML and JSON parsers' syntax messages, in French.

libyaml and Python's json module explain a syntax error in English; the éditeur reads French.
A message not listed here is kept, in parentheses, after a French lead.
"""

from __future__ import annotations

_YAML: dict[str, str] = {
    "did not find expected node content": "valeur attendue",
    "did not find expected key": "clé attendue (indentation ou « : » manquant ?)",
    "did not find expected '-' indicator": "élément de liste « - » attendu",
    "did not find expected ',' or ']'": "« , » ou « ] » attendu",
    "did not find expected ',' or '}'": "« , » ou « } » attendu",
    "did not find expected <document start>": "début de document attendu",
    "did not find expected comment or line break": "commentaire ou fin de ligne attendu",
    "did not find expected alphabetic or numeric character": "lettre ou chiffre attendu",
    "did not find expected hexdecimal number": "nombre hexadécimal attendu",
    "did not find expected whitespace or line break": "espace ou fin de ligne attendu",
    "did not find expected tag URI": "étiquette invalide",
    "did not find URI escaped octet": "étiquette invalide",
    "did not find expected '!'": "étiquette invalide",
    "did not find expected '>'": "étiquette invalide",
    "mapping values are not allowed in this context": "« : » inattendu ici (mettre le texte entre guillemets ?)",
    "mapping values are not allowed here": "« : » inattendu ici (mettre le texte entre guillemets ?)",
    "block sequence entries are not allowed in this context": "élément de liste « - » inattendu ici",
    "could not find expected ':'": "« : » attendu après la clé",
    "found character that cannot start any token": "caractère inattendu (une tabulation ? un @ ou ` en début de valeur ?)",
    "found unexpected end of stream": "fin de fichier inattendue (guillemet non fermé ?)",
    "found unexpected document indicator": "séparateur de document inattendu",
    "found unknown escape character": "séquence d'échappement inconnue",
    "found invalid Unicode character escape code": "séquence d'échappement Unicode invalide",
    "found a tab character that violates indentation": "tabulation dans l'indentation : utiliser des espaces",
    "found a tab character where an indentation space is expected": "tabulation dans l'indentation : utiliser des espaces",
    "found an indentation indicator equal to 0": "indicateur d'indentation nul",
    "found undefined alias": "alias non défini",
    "found undefined tag handle": "étiquette non définie",
    "found duplicate anchor; first occurrence": "ancre définie deux fois",
    "found duplicate anchor": "ancre définie deux fois",
    "expected a single document in the stream": "un seul document attendu dans le fichier",
    "but found another document": "un seul document attendu dans le fichier",
    "found incompatible YAML document": "version de YAML non prise en charge",
    "found duplicate %YAML directive": "directive %YAML en double",
    "found duplicate %TAG directive": "directive %TAG en double",
    "found unknown directive name": "directive inconnue",
}

_JSON: dict[str, str] = {
    "Expecting value": "valeur attendue",
    "Expecting property name enclosed in double quotes": "nom de clé entre guillemets doubles attendu",
    "Expecting ':' delimiter": "« : » attendu",
    "Expecting ',' delimiter": "« , » attendu",
    "Unterminated string starting at": "texte entre guillemets non fermé",
    "Invalid control character at": "caractère de contrôle dans un texte",
    "Invalid \\escape": "séquence d'échappement invalide",
    "Invalid \\uXXXX escape": "séquence d'échappement Unicode invalide",
    "Extra data": "contenu après la fin du document",
}


def yaml_syntax(detail: str) -> str:
    """A libyaml / PyYAML problem in French."""
    return _translated(detail, _YAML)


def json_syntax(detail: str) -> str:
    """A json module problem in French."""
    return _translated(detail, _JSON)


def _translated(detail: str, table: dict[str, str]) -> str:
    text = detail.strip()
    for english in sorted(table, key=len, reverse=True):
        if text.startswith(english):
            return table[english]
    return f"structure invalide ({text})"
