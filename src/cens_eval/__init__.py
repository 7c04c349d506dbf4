"""cens-eval: assess health software against the CENS ethics référentiels.

Load référentiels and a questionnaire, evaluate at a date, build and render the dossier::

    import datetime, cens_eval
    catalogue = cens_eval.load_referentiels("referentiels")
    loaded = cens_eval.load_questionnaire("questionnaire.yaml", catalogue)
    evaluation = cens_eval.evaluate(loaded.questionnaire, loaded.referentiels, as_of=datetime.date(2026, 11, 22))
"""

from __future__ import annotations

from cens_eval.api import load_questionnaire, load_referentiel, load_referentiels
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
from cens_eval.verify import Verification, verify_dossier

__version__ = tool_version()

__all__ = [
    "Catalogue",
    "CensEvalError",
    "Dossier",
    "Evaluation",
    "Format",
    "IntegrityError",
    "LoadError",
    "LoadedQuestionnaire",
    "OutputError",
    "Problem",
    "Questionnaire",
    "Referentiel",
    "Verification",
    "__version__",
    "build_dossier",
    "evaluate",
    "evaluate_to_dossier",
    "load_questionnaire",
    "load_referentiel",
    "load_referentiels",
    "render",
    "verify_dossier",
]
