"""cens-eval: assess health software against the CENS ethics référentiels.

Load référentiels and a questionnaire, evaluate at a date, produce and write the dossier folder
(the same operations as ``cens-eval evaluate -o``); verify a dossier, make a review template,
apply an evaluator's review (a file or data) and write the reviewed copy; score a batch::

    import datetime, cens_eval
    catalogue = cens_eval.load_referentiels()  # the référentiels shipped with the package
    loaded = cens_eval.load_questionnaire("questionnaire.yaml", catalogue)
    evaluation = cens_eval.evaluate(loaded.questionnaire, loaded.referentiels, as_of=datetime.date(2026, 11, 22))

Names are loaded on first use, so that ``import cens_eval`` (and ``cens-eval --help``) stay fast.
"""

from __future__ import annotations

import os
from importlib import import_module
from typing import TYPE_CHECKING, Any

# openpyxl writes other workbook bytes when lxml is installed (pyHanko, for the signatures,
# needs it): the same dossier must give the same dossier.xlsx whatever is installed beside
# cens-eval, so openpyxl keeps its own writer (read once, when openpyxl is first imported).
os.environ["OPENPYXL_LXML"] = "False"

_EXPORTS: dict[str, str] = {
    "Calendrier": "cens_eval.model.calendrier",
    "Catalogue": "cens_eval.model.catalogue",
    "CensEvalError": "cens_eval.errors",
    "Comparaison": "cens_eval.model.comparison",
    "DiffReferentiels": "cens_eval.model.diff",
    "Dossier": "cens_eval.model.dossier",
    "DossierFolder": "cens_eval.review.apply",
    "DossierRevu": "cens_eval.model.review",
    "Empreinte": "cens_eval.model.dossier",
    "Evaluation": "cens_eval.model.results",
    "Format": "cens_eval.render",
    "IntegrityError": "cens_eval.errors",
    "LoadError": "cens_eval.errors",
    "LoadedQuestionnaire": "cens_eval.loader.questionnaire",
    "LoadedReview": "cens_eval.loader.review",
    "Migration": "cens_eval.model.migration",
    "Opinion": "cens_eval.model.review",
    "OutputError": "cens_eval.errors",
    "Problem": "cens_eval.errors",
    "ProducedDossier": "cens_eval.service.operations",
    "Questionnaire": "cens_eval.model.questionnaire",
    "Referentiel": "cens_eval.model.referentiel",
    "ReviewOutcome": "cens_eval.review.apply",
    "ReviewTemplate": "cens_eval.service.operations",
    "Revue": "cens_eval.model.review",
    "Rapport": "cens_eval.model.signalement",
    "Registre": "cens_eval.model.signalement",
    "SyntheseLot": "cens_eval.model.batch",
    "Verification": "cens_eval.dossier.verify",
    "apply_review": "cens_eval.review.assess",
    "arbitrate_dossier": "cens_eval.review.arbitrate",
    "DossierArbitre": "cens_eval.model.arbitration",
    "build_dossier": "cens_eval.dossier.build",
    "compare_dossier_reviews": "cens_eval.review.compare",
    "diff_referentiels": "cens_eval.engine.diff",
    "evaluate": "cens_eval.engine.evaluation",
    "evaluate_to_dossier": "cens_eval.dossier.pipeline",
    "find_dossiers": "cens_eval.loader.dossier",
    "import_grid": "cens_eval.api",
    "load_calendrier": "cens_eval.api",
    "load_questionnaire": "cens_eval.api",
    "load_referentiel": "cens_eval.api",
    "load_referentiels": "cens_eval.api",
    "load_review": "cens_eval.api",
    "load_signalements": "cens_eval.api",
    "journal_signalements": "cens_eval.api",
    "report_signalements": "cens_eval.api",
    "migrate_questionnaire": "cens_eval.engine.migrate",
    "produce_dossier": "cens_eval.service.operations",
    "read_dossier": "cens_eval.api",
    "render": "cens_eval.render",
    "review_dossier": "cens_eval.review.apply",
    "review_template": "cens_eval.service.operations",
    "score_batch": "cens_eval.review.batch",
    "verify_dossier": "cens_eval.review.seal",
    "write_dossier": "cens_eval.service.operations",
    "write_reviewed_dossier": "cens_eval.service.operations",
    "write_arbitrated_dossier": "cens_eval.service.arbitration",
}

__all__ = [
    "Calendrier",
    "Catalogue",
    "CensEvalError",
    "Comparaison",
    "DiffReferentiels",
    "Dossier",
    "DossierArbitre",
    "DossierFolder",
    "DossierRevu",
    "Empreinte",
    "Evaluation",
    "Format",
    "IntegrityError",
    "LoadError",
    "LoadedQuestionnaire",
    "LoadedReview",
    "Migration",
    "Opinion",
    "OutputError",
    "Problem",
    "ProducedDossier",
    "Questionnaire",
    "Rapport",
    "Referentiel",
    "Registre",
    "ReviewOutcome",
    "ReviewTemplate",
    "Revue",
    "SyntheseLot",
    "Verification",
    "__version__",
    "apply_review",
    "arbitrate_dossier",
    "build_dossier",
    "compare_dossier_reviews",
    "diff_referentiels",
    "evaluate",
    "evaluate_to_dossier",
    "find_dossiers",
    "import_grid",
    "journal_signalements",
    "load_calendrier",
    "load_questionnaire",
    "load_referentiel",
    "load_referentiels",
    "load_review",
    "load_signalements",
    "migrate_questionnaire",
    "produce_dossier",
    "read_dossier",
    "render",
    "report_signalements",
    "review_dossier",
    "review_template",
    "score_batch",
    "verify_dossier",
    "write_arbitrated_dossier",
    "write_dossier",
    "write_reviewed_dossier",
]


# The subpackage cens_eval.render shares its name with the function: imported here (it is light,
# its renderers load on demand), so that no later import of it replaces the function by the module.
from cens_eval.render import render  # noqa: E402


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from cens_eval.dossier.pipeline import installed_version

        return installed_version()
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cens_eval' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from cens_eval.api import (
        import_grid,
        journal_signalements,
        load_calendrier,
        load_questionnaire,
        load_referentiel,
        load_referentiels,
        load_review,
        load_signalements,
        read_dossier,
        report_signalements,
    )
    from cens_eval.dossier.build import build_dossier
    from cens_eval.dossier.pipeline import evaluate_to_dossier
    from cens_eval.dossier.verify import Verification
    from cens_eval.engine.diff import diff_referentiels
    from cens_eval.engine.evaluation import evaluate
    from cens_eval.engine.migrate import migrate_questionnaire
    from cens_eval.errors import CensEvalError, IntegrityError, LoadError, OutputError, Problem
    from cens_eval.loader.dossier import find_dossiers
    from cens_eval.loader.questionnaire import LoadedQuestionnaire
    from cens_eval.loader.review import LoadedReview
    from cens_eval.model.arbitration import DossierArbitre
    from cens_eval.model.batch import SyntheseLot
    from cens_eval.model.calendrier import Calendrier
    from cens_eval.model.catalogue import Catalogue
    from cens_eval.model.comparison import Comparaison
    from cens_eval.model.diff import DiffReferentiels
    from cens_eval.model.dossier import Dossier, Empreinte
    from cens_eval.model.migration import Migration
    from cens_eval.model.questionnaire import Questionnaire
    from cens_eval.model.referentiel import Referentiel
    from cens_eval.model.results import Evaluation
    from cens_eval.model.review import DossierRevu, Opinion, Revue
    from cens_eval.model.signalement import Rapport, Registre
    from cens_eval.render import Format, render
    from cens_eval.review.apply import DossierFolder, ReviewOutcome, review_dossier
    from cens_eval.review.arbitrate import arbitrate_dossier
    from cens_eval.review.assess import apply_review
    from cens_eval.review.batch import score_batch
    from cens_eval.review.compare import compare_dossier_reviews
    from cens_eval.review.seal import verify_dossier
    from cens_eval.service.arbitration import write_arbitrated_dossier
    from cens_eval.service.operations import (
        ProducedDossier,
        ReviewTemplate,
        produce_dossier,
        review_template,
        write_dossier,
        write_reviewed_dossier,
    )

    __version__: str
