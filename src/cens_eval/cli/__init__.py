"""The ``cens-eval`` command line: a thin click shell over the library (the only place using click)."""

from __future__ import annotations

import gc
import sys
from enum import IntEnum

import click

from cens_eval.errors import CensEvalError, IntegrityError, LoadError
from cens_eval.render.terminal import printable


class ExitCode(IntEnum):
    """Exit codes of every command."""

    OK = 0
    FAILED = 1
    INVALID = 2
    INTERNAL = 3


def main(argv: list[str] | None = None) -> int:
    """Run the command line; the single place where exceptions become messages and exit codes."""
    # Start-up builds a few hundred thousand long-lived objects (click, pydantic's validators);
    # at the default thresholds the collector scans them again and again (~12 ms per run).
    # Young objects are collected every 100 000 allocations instead; cycles are rare here.
    gc.set_threshold(100_000, 20, 10)
    from cens_eval.cli.i18n import install

    install()  # before the commands are built: some help texts are translated at definition
    from cens_eval.cli.commands import root

    try:
        code = root.main(args=argv, prog_name="cens-eval", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return ExitCode.INVALID
    except click.Abort:
        click.echo("Interrompu.", err=True)
        return ExitCode.INVALID
    except LoadError as exc:
        for problem in exc.problems:
            click.echo(printable(str(problem)), err=True)
        return ExitCode.INVALID
    except IntegrityError as exc:
        for problem in exc.problems:
            click.echo(printable(str(problem)), err=True)
        return ExitCode.FAILED
    except CensEvalError as exc:
        click.echo(printable(f"erreur : {exc}"), err=True)
        return ExitCode.INVALID
    except KeyboardInterrupt:
        click.echo("Interrompu.", err=True)
        return ExitCode.INVALID
    except Exception as exc:  # the boundary: anything unexpected is a bug to report
        click.echo(
            printable(
                f"erreur interne ({type(exc).__name__}: {exc}). "
                "Merci de la signaler avec la commande lancée."
            ),
            err=True,
        )
        return ExitCode.INTERNAL
    return int(code or 0)


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
