"""cens-eval: assess health software against the CENS ethics référentiels.

Load référentiels and a questionnaire, evaluate at a date, build and render the dossier;
verify a dossier, apply an evaluator's review, score a batch of dossiers::

    import datetime, cens_eval
    catalogue = cens_eval.load_referentiels()  # the référentiels shipped with the package
    loaded = cens_eval.load_questionnaire("questionnaire.yaml", catalogue)
    evaluation = cens_eval.evaluate(loaded.questionnaire, loaded.referentiels, as_of=datetime.date(2026, 11, 22))

Names are loaded on first use, so that ``import cens_eval`` (and ``cens-eval --help``) stay fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "Catalogue": "cens_eval.catalogue",
    "CensEvalError": "cens_eval.errors",
    "Dossier": "cens_eval.dossier",
    "DossierRevu": "cens_eval.review",
    "Evaluation": "cens_eval.results",
    "Format": "cens_eval.render",
    "IntegrityError": "cens_eval.errors",
    "LoadError": "cens_eval.errors",
    "LoadedQuestionnaire": "cens_eval.loader.questionnaire",
    "Opinion": "cens_eval.review",
    "OutputError": "cens_eval.errors",
    "Problem": "cens_eval.errors",
    "Questionnaire": "cens_eval.questionnaire",
    "Referentiel": "cens_eval.referentiel",
    "Revue": "cens_eval.review",
    "SyntheseLot": "cens_eval.batch",
    "Verification": "cens_eval.verify",
    "apply_review": "cens_eval.review",
    "build_dossier": "cens_eval.dossier",
    "evaluate": "cens_eval.evaluation",
    "evaluate_to_dossier": "cens_eval.pipeline",
    "find_dossiers": "cens_eval.batch",
    "load_questionnaire": "cens_eval.api",
    "load_referentiel": "cens_eval.api",
    "load_referentiels": "cens_eval.api",
    "load_review": "cens_eval.api",
    "render": "cens_eval.render",
    "score_batch": "cens_eval.batch",
    "verify_dossier": "cens_eval.verify",
}

__all__ = [
    "Catalogue",
    "CensEvalError",
    "Dossier",
    "DossierRevu",
    "Evaluation",
    "Format",
    "IntegrityError",
    "LoadError",
    "LoadedQuestionnaire",
    "Opinion",
    "OutputError",
    "Problem",
    "Questionnaire",
    "Referentiel",
    "Revue",
    "SyntheseLot",
    "Verification",
    "__version__",
    "apply_review",
    "build_dossier",
    "evaluate",
    "evaluate_to_dossier",
    "find_dossiers",
    "load_questionnaire",
    "load_referentiel",
    "load_referentiels",
    "load_review",
    "render",
    "score_batch",
    "verify_dossier",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from cens_eval.pipeline import tool_version

        return tool_version()
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cens_eval' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from cens_eval.api import load_questionnaire, load_referentiel, load_referentiels, load_review
    from cens_eval.batch import SyntheseLot, find_dossiers, score_batch
    from cens_eval.catalogue import Catalogue
    from cens_eval.dossier import Dossier, build_dossier
    from cens_eval.errors import CensEvalError, IntegrityError, LoadError, OutputError, Problem
    from cens_eval.evaluation import evaluate
    from cens_eval.loader.questionnaire import LoadedQuestionnaire
    from cens_eval.pipeline import evaluate_to_dossier
    from cens_eval.questionnaire import Questionnaire
    from cens_eval.referentiel import Referentiel
    from cens_eval.render import Format, render
    from cens_eval.results import Evaluation
    from cens_eval.review import DossierRevu, Opinion, Revue, apply_review
    from cens_eval.verify import Verification, verify_dossier

    __version__: str
