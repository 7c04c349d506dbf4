"""The YAML and JSON parsers' syntax messages, in French.

libyaml, PyYAML's pure-Python parser and Python's json module explain a problem in English; the
éditeur reads French. Every problem text of the versions we know is listed here; one we do not
know (a newer release) gets a plain French message. No English text of a dependency is shown.
"""

from __future__ import annotations

from cens_eval.constants import MAX_YAML_DEPTH

TOO_DEEP = f"imbrication trop profonde (plus de {MAX_YAML_DEPTH} niveaux)"
"""The nesting-depth message, whether our own bound or the parser's is reached first."""

_UNKNOWN = "structure invalide"

_YAML: dict[str, str] = {
    # libyaml's own limits (PyYAML 6.0.2 and newer bundle a libyaml that enforces them).
    "exceeded maximum nesting depth": TOO_DEEP,
    "input is too long": "document trop volumineux",
    "found extremely long version number": "numéro de version trop long",
    # Encoding problems found by the reader.
    "control characters are not allowed": "caractère interdit dans un texte YAML",
    "invalid Unicode character": "caractère interdit dans un texte YAML",
    "found an incorrect leading UTF-8 octet": "encodage invalide : le fichier doit être en UTF-8",
    "found an incorrect trailing UTF-8 octet": "encodage invalide : le fichier doit être en UTF-8",
    "invalid leading UTF-8 octet": "encodage invalide : le fichier doit être en UTF-8",
    "invalid trailing UTF-8 octet": "encodage invalide : le fichier doit être en UTF-8",
    "invalid length of a UTF-8 sequence": "encodage invalide : le fichier doit être en UTF-8",
    "incomplete UTF-8 octet sequence": "encodage invalide : le fichier doit être en UTF-8",
    "incomplete UTF-16": "encodage invalide : le fichier doit être en UTF-8",
    # Scanner and parser problems.
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
    "could not find expected directive name": "directive inconnue",
    "did not find expected version number": "directive %YAML invalide",
    "did not find expected digit or '.' character": "directive %YAML invalide",
    "found unexpected non-alphabetical character": "directive inconnue",
    "did not find the expected '>'": "étiquette invalide",
    "did not find expected whitespace": "espace attendu",
    "found unexpected ':'": "« : » inattendu ici (mettre le texte entre guillemets ?)",
    "mapping keys are not allowed": "clé inattendue ici",
    "found duplicate key": "clé en double",
    "found non-specific tag": "étiquette non autorisée",
    "did not find expected <stream-start>": "début de document attendu",
    "expected '<document start>', but found": "début de document attendu",
    "expected a comment or a line break": "commentaire ou fin de ligne attendu",
    "expected alphabetic or numeric character": "lettre ou chiffre attendu",
    "expected ',' or ']'": "« , » ou « ] » attendu",
    "expected ',' or '}'": "« , » ou « } » attendu",
    "expected ':'": "« : » attendu après la clé",
    "expected '!'": "étiquette invalide",
    "expected '>'": "étiquette invalide",
    "expected URI": "étiquette invalide",
    "expected URI escape sequence": "étiquette invalide",
    "expected a digit": "directive %YAML invalide",
    "expected a digit or '.'": "directive %YAML invalide",
    "expected a digit or ' '": "directive %YAML invalide",
    "expected ' '": "espace attendu",
    "expected ' ', but found": "espace attendu",
    "expected indentation indicator in the range 1-9": "indicateur d'indentation invalide",
    "expected chomping or indentation indicators": "indicateur de bloc invalide",
    "expected escape sequence of": "séquence d'échappement Unicode invalide",
    "expected hexadecimal number": "nombre hexadécimal attendu",
    "expected <block end>": "clé ou fin de bloc attendue (indentation ?)",
    "expected <document start>": "début de document attendu",
    "expected the node content": "valeur attendue",
    "expected a single document": "un seul document attendu dans le fichier",
    "expected DOCUMENT-END": "fin de document attendue",
    "expected DOCUMENT-START or STREAM-END": "début de document attendu",
    "expected SCALAR, SEQUENCE-START, MAPPING-START, or ALIAS": "valeur attendue",
    "expected STREAM-START": "début de document attendu",
    "expected nothing after STREAM-END": "contenu après la fin du document",
    "found duplicate YAML directive": "directive %YAML en double",
    "found unexpected document separator": "séparateur de document inattendu",
    "found character": "caractère inattendu (une tabulation ? un @ ou ` en début de valeur ?)",
    "while scanning": "structure invalide",
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
    "Illegal trailing comma": "virgule en trop avant la fin de l'objet ou de la liste",
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
    return _UNKNOWN
