"""The privacy screen of éthicovigilance texts: what in a free text would identify a person.

Certain finds (an error in what is published, a warning before): e-mail addresses; phone
numbers, French or international, « (0) » included; social-security-like numbers (NIR, with or
without its key, or a number given after « NIR », « INS », « n° de sécurité sociale »…); a name
after a civility (« M. », « Mme », « Dr »…, particles « de », « du », « de la », « d' », « van »…
included); a name after a person's role (« la patiente Sophie Marchand », « l'aidant Martin »);
a birth date; an age given with a date; a postal address (number and voie, a postcode and its
city, « domicilié à » a city).

Possible finds (a warning, even in what is published): two capitalised words in a row that look
like a first name and a surname (« Jean Dupont ») and are not a known phrase (institutions,
products, the solution's own names).

No screen is complete: publication also needs a person to confirm the anonymisation
(:class:`cens_eval.model.signalement.Anonymisation`). Anonymised forms stay allowed: « Mme X »,
« M. D. », « le patient ».
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_UP = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒ"
_LOW = "a-zàâäçéèêëîïôöùûüÿæœß"
_APOS = "['’]"
_WORD = rf"(?:[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)*|[{_UP}]{{2,}}(?:-[{_UP}]{{2,}})*)(?![\w'’])"
"""A capitalised word (« Dupont », « Saint-Just ») or a word in capitals (« DUPONT »)."""
_PARTICLE = (
    rf"(?:(?:de\s+la|de\s+l{_APOS}|van\s+der|van\s+den|van\s+de|de|du|des|van|von|vom|zu|der|di"
    rf"|da|del|della|dos|das|do|ben|ibn)\s+|d{_APOS}\s*)"
)
"""The particles of a surname, always lower case (« Le Pen » is a capitalised word)."""
_INITIALS = rf"(?:[{_UP}]\.\s*)*"
_CIVILITY = (
    r"(?:\b(?:M|MM|Mme|Mmes|Mlle|Mlles|Mr|Mrs|Ms|Dr|Dre|Pr|Pre|Me)\b\.?"
    r"|\b(?i:monsieur|messieurs|madame|mesdames|mademoiselle|docteure?|professeure?|ma[iî]tre))"
)
_ROLE_WORDS = (
    r"(?i:patiente?s?|aidante?s?|usag(?:er|ère)s?|déclarante?s?|proches?|médecin|infirmi(?:er|ère)"
    r"|soignante?|mère|père|fils|fille|épouse?|mari|conjointe?|compagne|compagnon|enfant|frère"
    r"|s(?:œ|oe)ur|grand-mère|grand-père|voisine?|amie?|tuteur|tutrice|mandataire)"
)
_ROLE = rf"\b{_ROLE_WORDS}"
_MONTH = (
    r"(?i:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre"
    r"|d[ée]cembre)"
)
_DATE = (
    rf"(?:\d{{1,2}}\s*[/.-]\s*\d{{1,2}}\s*[/.-]\s*(?:\d{{4}}|\d{{2}})(?!\d)"
    rf"|\d{{1,2}}(?:er)?\s+{_MONTH}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
)
_YEAR = r"(?:18|19|20)\d{2}(?!\d)"
_VOIE = (
    r"(?i:rue|avenue|av\.|boulevard|bd|place|allée|allee|impasse|chemin|route|quai|cours|square"
    r"|passage|sentier|résidence|lotissement|cité|hameau|faubourg|rond-point|esplanade|promenade"
    r"|parvis|ruelle|lieu-dit|chaussée|montée|traverse)"
)
_STREET_NAME = rf"(?:(?:de\s+la|de\s+l{_APOS}|du|des|de|d{_APOS}|la|le|les|l{_APOS})\s*)?{_WORD}"
_POSTCODE = r"(?<![\w,.])(?:0[1-9]|[1-8]\d|9[0-5]|97|98|2[AB])\d{3}(?![\w,.])"

CERTAIN: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("adresse électronique", re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    (
        "numéro de téléphone",
        re.compile(
            r"(?<![\w+])(?:(?:\+|00)\s?33[\s.]?(?:\(0\)[\s.]?)?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)"
            r"|(?<![\w+])(?:\+|00)\s?(?!33)[1-9]\d{0,2}[\s.]?(?:\(0\)[\s.]?)?\d(?:[\s.-]?\d){6,12}(?!\d)"
        ),
    ),
    (
        "numéro de sécurité sociale (NIR)",
        re.compile(
            r"(?<![\w])[1-478][\s.-]?\d{2}[\s.-]?\d{2}[\s.-]?(?:\d{2}|2[ABab])(?:[\s.-]?\d{3}){2}"
            r"(?:[\s.-]?\d{2})?(?!\d)"
            r"|\b(?i:NIR|INS|num[ée]ro\s+(?:de\s+)?s[ée]cu(?:rit[ée]\s+sociale)?"
            r"|n°\s*(?:de\s+)?s[ée]cu(?:rit[ée]\s+sociale)?|carte\s+vitale)\s*(?:n°\s*)?:?\s*\d[\d\s.-]{6,}"
        ),
    ),
    (
        "nom de personne après une civilité",
        re.compile(rf"{_CIVILITY}\s+{_INITIALS}(?:{_WORD}\s+)*{_PARTICLE}?{_WORD}"),
    ),
    (
        "nom de personne après un rôle (patient, aidant…)",
        re.compile(
            rf"{_ROLE}\s+{_INITIALS}{_PARTICLE}?(?P<name>{_WORD})(?:\s+{_PARTICLE}?{_WORD})?"
        ),
    ),
    (
        "date de naissance",
        re.compile(
            rf"\b(?i:née?s?|né\(e\))\s+(?:(?i:le|en|au\s+cours\s+de)\s+)?"
            rf"(?:{_DATE}|(?:{_MONTH}\s+)?{_YEAR})"
            rf"|\b(?i:date\s+de\s+naissance|DDN)\s*(?::|est\s+le|le)?\s*{_DATE}"
        ),
    ),
    (
        "adresse postale",
        re.compile(
            rf"(?<![\w,.])\d{{1,4}}(?:\s*(?i:bis|ter|quater))?\s*,?\s+{_VOIE}\s+{_STREET_NAME}"
            rf"|{_POSTCODE}\s+{_WORD}"
            rf"|\b(?i:domicili[ée]e?s?|demeurante?s?|habitante?s?|résidante?s?)\s+(?:à|au)\s+{_WORD}"
        ),
    ),
)
"""Each certain kind of personal data, and the pattern that finds it."""

_AGE = re.compile(
    rf"\b(?i:âgée?s?\s+de|(?:{_ROLE_WORDS}|homme|femme|garçon|bébé|nourrisson|personne|adolescente?)"
    r"\s+de)\s+\d{1,3}\s+(?i:ans|mois)\b"
)
_ANY_DATE = re.compile(_DATE)
AGE_WITH_DATE = "âge avec une date"

_PAIR = re.compile(rf"(?<![\w'’-])(?P<first>{_WORD})\s+{_PARTICLE}?(?P<second>{_WORD})")
POSSIBLE_NAME = "nom de personne possible"


def _words(text: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in text.split())


NON_NAMES: frozenset[str] = _words(
    """
    le la les l un une des du de d au aux ce cet cette ces mon ma mes ton ta tes son sa ses notre nos
    votre vos leur leurs il elle ils elles on nous vous je tu tout tous toute toutes et ou mais donc
    or ni car pour par sur sous dans avec sans si dès depuis après avant chaque aucun aucune lors
    selon entre vers chez hors comme quand lorsque puis enfin ainsi cependant toutefois désormais
    en à y qui que quoi dont où oui non
    m mm mme mmes mlle mlles mr mrs ms dr dre pr pre me monsieur madame mademoiselle docteur
    docteure professeur professeure maître
    santé espace numérique agence autorité haute assurance maladie sécurité sociale conseil ordre
    union européenne européen dossier médical médicale partagé carte vitale intelligence artificielle
    ministère ségur comité commission nationale national délégation direction générale général
    république française français france état gouvernement cnil has ans ars cpam cnam cens dmp
    mss ins nir rgpd ia ai api pdf html sas sa sarl sasu eurl gie inc ltd gmbh cedex
    google apple microsoft android ios windows store play app web internet
    éthique éthicovigilance plateforme référentiel référentiels doctrine centre hospitalier
    hospitalière universitaire hôpital hôpitaux clinique groupe groupement service services régional
    régionale caisse primaire ehpad fondation association fédération institut laboratoire
    université faculté école lycée collège pôle réseau maison
    version annexe article chapitre section exigence exigences étape publication recueil instruction
    patient patiente patients patientes aidant aidante professionnel professionnels médecin usager
    janvier février mars avril mai juin juillet août septembre octobre novembre décembre
    lundi mardi mercredi jeudi vendredi samedi dimanche
    nord sud est ouest île saint sainte
    mention obligatoire optionnel réponse score grille certificat certification évaluation avis
    complète complet associés associé avocats avocat cabinet prévoyance mutuelle société entreprise
    solution application logiciel logiciels données politique charte guide note rapport synthèse
    question questions recommandation recommandations bonnes pratiques accès information
    """
)
"""Capitalised words that are not a person's name: function words at the start of a sentence,
institutions, products, documents, months. A pair holding one of them is no name."""

ROLE_NON_NAMES: frozenset[str] = NON_NAMES | _words(
    "covid ald cmu css ame handicap alzheimer parkinson"
)
"""Capitalised words that may follow « patient » and name no one (« patients ALD »)."""


@dataclass(frozen=True)
class Trouvaille:
    """What the screen found in a text: a kind, the passages, and whether it is certain."""

    kind: str
    passages: tuple[str, ...]
    certain: bool = True


def screen(text: str, known: Iterable[str] = ()) -> list[Trouvaille]:
    """What in ``text`` would identify a person, certain finds first, in the screen's order.

    ``known`` lists names the text may hold without naming a person (the éditeur's and the
    solution's names): their words are never read as a person's name.
    """
    ignored = NON_NAMES | {w.casefold() for name in known for w in re.findall(r"[\w-]+", name)}
    found: list[Trouvaille] = []
    spans: list[tuple[int, int]] = []
    for kind, pattern in CERTAIN:
        passages = []
        for m in pattern.finditer(text):
            name = m.groupdict().get("name")
            if name is not None and (
                name.casefold() in ROLE_NON_NAMES or (name.isupper() and len(name) <= 5)
            ):
                continue
            passages.append(" ".join(m.group().split()))
            spans.append(m.span())
        if passages:
            found.append(Trouvaille(kind, tuple(dict.fromkeys(passages))))
        if kind == "date de naissance":
            ages = [" ".join(m.group().split()) for m in _AGE.finditer(text)]
            if ages and _ANY_DATE.search(text):
                found.append(Trouvaille(AGE_WITH_DATE, tuple(dict.fromkeys(ages))))
    pairs = [
        " ".join(m.group().split())
        for m in _PAIR.finditer(text)
        if _name_like(m.group("first"), ignored)
        and _name_like(m.group("second"), ignored)
        and not any(start < m.end() and m.start() < end for start, end in spans)
    ]
    if pairs:
        found.append(Trouvaille(POSSIBLE_NAME, tuple(dict.fromkeys(pairs)), certain=False))
    return found


def _name_like(word: str, ignored: frozenset[str] | set[str]) -> bool:
    """Whether a capitalised word may be part of a person's name (no known word, no acronym)."""
    return word.casefold() not in ignored and not (word.isupper() and len(word) <= 4)


def personal_data(text: str, known: Iterable[str] = ()) -> list[str]:
    """The kinds of personal data certainly found in a text, in the screen's order."""
    return [t.kind for t in screen(text, known) if t.certain]
