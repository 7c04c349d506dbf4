"""``python -m cens_eval``: the command line."""

from cens_eval.cli import run

run()
