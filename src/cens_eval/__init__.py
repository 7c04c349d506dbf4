"""cens-eval: assess health software against the CENS ethics référentiels.

Load référentiels and a questionnaire, evaluate at a date, build and render the dossier;
verify a dossier, apply an evaluator's review, score a batch of dossiers::

    import datetime, cens_eval
    catalogue = cens_eval.load_referentiels("referentiels")
    loaded = cens_eval.load_questionnaire("questionnaire.yaml", catalogue)
    evaluation = cens_eval.evaluate(loaded.questionnaire, loaded.referentiels, as_of=datetime.date(2026, 11, 22))
"""

from __future__ import annotations

from cens_eval.api import load_questionnaire, load_referentiel, load_referentiels, load_review
from cens_eval.batch import SyntheseLot, find_dossiers, score_batch
from cens_eval.catalogue import Catalogue
from cens_eval.dossier import Dossier, build_dossier
from cens_eval.errors import CensEvalError, IntegrityError, LoadError, OutputError, Problem
from cens_eval.evaluation import evaluate
from cens_eval.loader.questionnaire import LoadedQuestionnaire
from cens_eval.pipeline import evaluate_to_dossier, tool_version
from cens_eval.questionnaire import Questionnaire
from cens_eval.referentiel import Referentiel
from cens_eval.render import Format, render
from cens_eval.results import Evaluation
from cens_eval.review import DossierRevu, Opinion, Revue, apply_review
from cens_eval.verify import Verification, verify_dossier

__version__ = tool_version()

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
