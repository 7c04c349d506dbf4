"""The application layer: each user-level operation, end to end, for every shell.

``cens-eval`` (``cli/``), the web application (``web/``) and library users call the same
operations (:mod:`cens_eval.service.operations`) and the same writers (:mod:`.output`,
:mod:`.folder`): a dossier or a reviewed copy written by one is the one the others write, byte
for byte. Nothing here prints, exits or knows of click or Flask.
"""
