"""Work on many folders in worker processes, each folder isolated from the others.

A folder that makes its worker crash, or outlasts its time limit, gets an error result and the
worker is replaced; the other folders are done all the same. Only the small results come back
to the parent, so its memory does not grow with the folders' size.
"""

from __future__ import annotations

import math
import multiprocessing
import signal
import time
from collections import deque
from collections.abc import Callable, Sequence
from contextlib import suppress
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Generic, TypeVar

R = TypeVar("R")
S = TypeVar("S")


def run_isolated(
    folders: Sequence[Path],
    work: Callable[[Path, S], R],
    state: Callable[[], S],
    failed: Callable[[Path, str], R],
    *,
    jobs: int,
    timeout: float,
    done: Callable[[int, R], None],
) -> None:
    """Do ``work(folder, state)`` for each folder in one of ``jobs`` workers; ``done(index, result)``.

    Each worker makes one ``state`` (what its folders can share) when it starts. A worker that
    stops without a result, or takes longer than ``timeout`` on one folder, is replaced, and that
    folder's result is ``failed(folder, why)``, the reason in French.
    """
    queue = deque(enumerate(folders))
    workers: list[_Worker[R]] = []
    try:
        while queue or any(w.task for w in workers):
            while queue and len(workers) < jobs:
                workers.append(_Worker(work, state, failed))
            for worker in workers:
                if queue and worker.task is None:
                    worker.give(*queue.popleft(), timeout)
            busy = [w for w in workers if w.task]
            wait(
                [w.conn for w in busy] + [w.process.sentinel for w in busy],
                timeout=max(0.0, min(w.deadline for w in busy) - time.monotonic()),
            )
            for worker in busy:
                outcome = worker.outcome(timeout)
                if outcome is None:
                    continue
                index, result, healthy = outcome
                done(index, result)
                if not healthy:
                    worker.stop()
                    workers.remove(worker)
    finally:
        for worker in workers:
            worker.stop()


class _Worker(Generic[R]):
    """One worker process, and the folder it is working on."""

    def __init__(
        self,
        work: Callable[[Path, S], R],
        state: Callable[[], S],
        failed: Callable[[Path, str], R],
    ) -> None:
        self.conn, child = multiprocessing.Pipe()
        self.process = multiprocessing.Process(
            target=_serve, args=(child, work, state), daemon=True
        )
        self.process.start()
        child.close()
        self.failed = failed
        self.task: tuple[int, Path] | None = None
        self.deadline = math.inf

    def give(self, index: int, folder: Path, timeout: float) -> None:
        """Send a folder to work on."""
        self.task = (index, folder)
        self.deadline = time.monotonic() + timeout
        with suppress(OSError):  # a worker already dead is reported by outcome()
            self.conn.send(str(folder))

    def outcome(self, timeout: float) -> tuple[int, R, bool] | None:
        """(index, result, worker still usable) once the current folder is over, else None."""
        assert self.task is not None
        index, folder = self.task
        if self.conn.poll():
            try:
                result: R = self.conn.recv()
            except (EOFError, OSError):
                self.process.join(5)
            else:
                self.task, self.deadline = None, math.inf
                return index, result, True
        if not self.process.is_alive():
            code = self.process.exitcode
            why = f"le processus de vérification s'est arrêté sans résultat (code de sortie {code})"
        elif time.monotonic() >= self.deadline:
            why = f"vérification interrompue : plus de {timeout:g} s pour ce dossier"
        else:
            return None
        self.task = None
        return index, self.failed(folder, why), False

    def stop(self) -> None:
        """End the process: asked to when idle, killed when busy or deaf."""
        if self.task is None and self.process.is_alive():
            with suppress(OSError):
                self.conn.send(None)
            self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


def _serve(conn: Connection, work: Callable[[Path, S], R], state: Callable[[], S]) -> None:
    """A worker's loop: work on each folder received, until told to stop (None) or orphaned."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent, which stops workers
    shared = state()
    with suppress(EOFError, OSError):
        while (folder := conn.recv()) is not None:
            conn.send(work(Path(folder), shared))
