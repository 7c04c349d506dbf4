"""Closed vocabularies of the domain, as string enums, with their French labels."""

from __future__ import annotations

from enum import StrEnum


class Principe(StrEnum):
    """The five CENS ethical principles."""

    BIENFAISANCE = "bienfaisance"
    NON_MALFAISANCE = "non_malfaisance"
    AUTONOMIE = "autonomie"
    JUSTICE_EQUITE = "justice_equite"
    ECORESPONSABILITE = "ecoresponsabilite"


# Older CENS documents (the 2024 IA référentiel) say "développement durable".
PRINCIPE_SYNONYMES: dict[str, Principe] = {"developpement_durable": Principe.ECORESPONSABILITE}


class Niveau(StrEnum):
    """Level of an exigence: mandatory or recommended."""

    EXIGENCE = "exigence"
    PRECONISATION = "preconisation"


class TypeReferentiel(StrEnum):
    """Kind of référentiel in the CENS."""

    SECTORIEL = "sectoriel"
    THEMATIQUE = "thematique"


class StatutReferentiel(StrEnum):
    """Legal status of a référentiel."""

    OPPOSABLE = "opposable"
    EN_CONCERTATION = "en_concertation"
    EN_EVALUATION = "en_evaluation"
    RECOMMANDATION = "recommandation"
    PROJET = "projet"


class NatureSource(StrEnum):
    """Whether a source is an official text or a secondary report of it."""

    OFFICIELLE = "officielle"
    SECONDAIRE = "secondaire"


class TypePreuve(StrEnum):
    """Kind of evidence an exigence expects."""

    DOCUMENT = "document"
    URL = "url"
    CAPTURE = "capture"
    ATTESTATION_SUR_L_HONNEUR = "attestation_sur_l_honneur"
    MESURE = "mesure"
    PANEL_UTILISATEURS = "panel_utilisateurs"
    DECLARATION = "declaration"


class Fidelite(StrEnum):
    """How close an exigence's data is to the official text."""

    OFFICIEL = "officiel"
    PARAPHRASE = "paraphrase"
    RECONSTITUE = "reconstitue"


class Portee(StrEnum):
    """Whether an exigence is in scope for a profil."""

    APPLICABLE = "applicable"
    NON_APPLICABLE_A_JUSTIFIER = "non_applicable_a_justifier"
    HORS_PERIMETRE = "hors_perimetre"


class Statut(StrEnum):
    """The éditeur's declared status for one exigence."""

    CONFORME = "conforme"
    PARTIELLEMENT_CONFORME = "partiellement_conforme"
    NON_CONFORME = "non_conforme"
    NON_APPLICABLE = "non_applicable"


class Resultat(StrEnum):
    """Outcome of one applicable exigence after evaluation."""

    CONFORME = "conforme"
    PREUVES_MANQUANTES = "preuves_manquantes"
    PARTIELLEMENT_CONFORME = "partiellement_conforme"
    NON_CONFORME = "non_conforme"
    SANS_REPONSE = "sans_reponse"
    NON_APPLICABLE_JUSTIFIE = "non_applicable_justifie"
    NON_APPLICABLE_NON_JUSTIFIE = "non_applicable_non_justifie"


class Verdict(StrEnum):
    """Verdict of one référentiel."""

    CONFORME = "conforme"
    NON_CONFORME = "non_conforme"


PRINCIPE_LABELS: dict[Principe, str] = {
    Principe.BIENFAISANCE: "Bienfaisance",
    Principe.NON_MALFAISANCE: "Non-malfaisance",
    Principe.AUTONOMIE: "Autonomie",
    Principe.JUSTICE_EQUITE: "Justice et équité",
    Principe.ECORESPONSABILITE: "Écoresponsabilité",
}

NIVEAU_LABELS: dict[Niveau, str] = {
    Niveau.EXIGENCE: "Exigence",
    Niveau.PRECONISATION: "Préconisation",
}

STATUT_LABELS: dict[Statut, str] = {
    Statut.CONFORME: "Conforme",
    Statut.PARTIELLEMENT_CONFORME: "Partiellement conforme",
    Statut.NON_CONFORME: "Non conforme",
    Statut.NON_APPLICABLE: "Non applicable",
}

RESULTAT_LABELS: dict[Resultat, str] = {
    Resultat.CONFORME: "Conforme",
    Resultat.PREUVES_MANQUANTES: "Preuves manquantes",
    Resultat.PARTIELLEMENT_CONFORME: "Partiellement conforme",
    Resultat.NON_CONFORME: "Non conforme",
    Resultat.SANS_REPONSE: "Sans réponse",
    Resultat.NON_APPLICABLE_JUSTIFIE: "Non applicable justifié",
    Resultat.NON_APPLICABLE_NON_JUSTIFIE: "Non applicable non justifié",
}

VERDICT_LABELS: dict[Verdict, str] = {
    Verdict.CONFORME: "CONFORME",
    Verdict.NON_CONFORME: "NON CONFORME",
}
