"""The exception tree of cens_eval and the located problem it reports."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem in an input file, printed as ``file:line: message``.

    ``where`` is a line number (YAML/JSON) or a cell reference such as ``Sheet!C12``
    (XLSX), or empty when the problem concerns the whole file.
    """

    file: str
    where: str
    message: str
    warning: bool = False
    place: tuple[str | int, ...] = field(default=(), compare=False, repr=False)
    """Where in the data (``("reponses", "teleconsultation", "ETH.30", "preuves", 0)``), when
    known: what a form shows the problem next to."""

    def __str__(self) -> str:
        place = f"{self.file}:{self.where}" if self.where else self.file
        prefix = "avertissement : " if self.warning else ""
        return f"{place}: {prefix}{self.message}"


class CensEvalError(Exception):
    """Base of every error cens_eval raises on purpose."""


class LoadError(CensEvalError):
    """An input file could not be loaded; carries every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_problem_sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, file: str, where: str, message: str) -> LoadError:
        """A LoadError with a single problem."""
        return cls([Problem(file, where, message)])


class IntegrityError(CensEvalError):
    """A dossier does not match its evidence, questionnaire or référentiels."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class OutputError(CensEvalError):
    """An output could not be written (exists already, or the disk refused it)."""


def _problem_sort_key(p: Problem) -> tuple[str, int, str, str]:
    head = p.where.split("!")[0]
    line = int(head) if head.isdigit() else 0
    return (p.file, line, p.where, p.message)
