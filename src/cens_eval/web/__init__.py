"""The local web application (``cens-eval serve``): a thin shell over the library, in French.

Only this package imports the web framework (Flask); ``import cens_eval`` and ``cens-eval
--help`` never load it. Pages are rendered on the server; a small vendored script refreshes the
score panels when JavaScript is available, and every form works without it.
"""
