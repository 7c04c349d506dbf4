"""The éditeur's workspace: an ordinary questionnaire folder (``questionnaire.yaml`` + ``preuves/``).

The CLI and the web application are interchangeable on it: the web saves the same YAML the CLI
reads (atomically, after a version check), and generates the dossier with the same operation as
``cens-eval evaluate … -o`` (:mod:`cens_eval.service.operations`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import os
import secrets
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from cens_eval.constants import MAX_EVIDENCE_BYTES, MAX_TEXT_FILE_BYTES, MAX_WORKBOOK_BYTES
from cens_eval.errors import CensEvalError, LoadError, OutputError, Problem
from cens_eval.loader.files import read_bytes
from cens_eval.model.catalogue import Catalogue
from cens_eval.model.questionnaire import Questionnaire
from cens_eval.render.yaml_data import json_text, model_data, yaml_text
from cens_eval.service.output import write_atomic
from cens_eval.web.security import confined, safe_filename

if TYPE_CHECKING:
    from cens_eval.loader.questionnaire import LoadedQuestionnaire

QUESTIONNAIRE = "questionnaire.yaml"
PREUVES = "preuves"
DOSSIERS = "dossiers"
"""Dossiers generated through the web, one folder per evaluation date."""
RECUS = "dossiers-recus"
"""Dossiers an evaluator uploaded as a zip."""
REVUS = "dossiers-revus"
"""Reviewed dossiers produced through the web."""
REVUES = "revues"
"""Review files written through the web (each copied into its reviewed dossier)."""
OUTPUTS = frozenset({"dossiers", "dossiers-recus", "dossiers-revus", "revues"})
"""The workspace's output folders: what a questionnaire never reads."""
SCRATCH_PREFIX = ".cens-eval-"
"""The start of the name of every scratch file or folder the application makes in the workspace."""
_NO_FOLLOW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_NO_FOLLOW |= getattr(os, "O_CLOEXEC", 0)
ABSENT = "absent"
"""The version of a workspace without a questionnaire yet."""


class ConflictError(CensEvalError):
    """The questionnaire changed on disk since the page was loaded (another tab, the CLI…)."""


@dataclass
class Workspace:
    """The folder the web application works in, and the lock that serialises its saves."""

    root: Path
    catalogue: Catalogue
    lock: threading.Lock = field(default_factory=threading.Lock)
    _loaded: tuple[tuple[str, str], LoadedQuestionnaire] | None = field(default=None, repr=False)

    @property
    def questionnaire_path(self) -> Path:
        """Where the questionnaire lives."""
        return self.root / QUESTIONNAIRE

    def version(self) -> str:
        """The SHA-256 of the questionnaire as saved (``absent`` when there is none yet)."""
        if not self.questionnaire_path.exists():
            return ABSENT
        raw = read_bytes(self.questionnaire_path, MAX_TEXT_FILE_BYTES, QUESTIONNAIRE)
        return hashlib.sha256(raw).hexdigest()

    def check_version(self, expected_version: str) -> None:
        """Raise ConflictError when the saved questionnaire is not ``expected_version``."""
        if self.version() != expected_version:
            raise ConflictError(
                "Le questionnaire a été modifié ailleurs (un autre onglet ou la ligne de "
                "commande) depuis l'ouverture de cette page : rien n'a été enregistré. "
                "Rechargez la page pour voir la version enregistrée, puis refaites vos changements."
            )

    def save(self, questionnaire: Questionnaire, expected_version: str) -> str:
        """Write the questionnaire as YAML, atomically, unless it changed since ``expected_version``.

        Returns:
            The new version.

        Raises:
            ConflictError: the file on disk is not the version the page was built from.
            OutputError: the file could not be written.
        """
        data = yaml_text(model_data(questionnaire)).encode()
        with self.lock:
            self.check_version(expected_version)
            # Read back by the CLI's loader before publishing (a preuve's path that would leave
            # the folder, a link…): the workspace never holds a questionnaire the CLI refuses.
            self._trial(data)
            write_atomic(self.questionnaire_path, data, force=True)
        return hashlib.sha256(data).hexdigest()

    def trial(self, questionnaire: Questionnaire) -> LoadedQuestionnaire:
        """``questionnaire`` as it would be saved, read back by the loader (the save's checks).

        Read as JSON (the same checks as the YAML saved, ``cens-eval evaluate`` reads both;
        several times faster to write): its problems name ``questionnaire.yaml`` and the
        exigence and field concerned, without a line of a file the user never sees.

        Raises:
            LoadError: the save would refuse it.
        """
        return self._trial(json_text(model_data(questionnaire)).encode(), ".json")

    def _trial(self, data: bytes, suffix: str = ".yaml") -> LoadedQuestionnaire:
        from cens_eval.loader.questionnaire import load_questionnaire

        with self._scratch(data, suffix, QUESTIONNAIRE) as trial:
            return load_questionnaire(trial, self.catalogue)

    def loaded(self) -> LoadedQuestionnaire | None:
        """The saved questionnaire as the loader reads it (None when there is none).

        Kept while neither the file nor the workspace's other files change (by content hash
        of the questionnaire, and the state of every other file): a re-score does not read
        and re-hash an unchanged questionnaire and its evidence again.

        Raises:
            LoadError: the saved questionnaire is refused (problems named as in the workspace).
        """
        from cens_eval.loader.questionnaire import load_questionnaire
        from cens_eval.service.cache import folder_state

        if not self.questionnaire_path.exists():
            return None
        key = (self.version(), folder_state(self.root, 0, OUTPUTS))
        cached = self._loaded
        if cached is not None and cached[0] == key:
            return cached[1]
        try:
            found = load_questionnaire(self.questionnaire_path, self.catalogue)
        except LoadError as exc:
            raise LoadError(self.shown(exc.problems)) from None
        self._loaded = (key, found)
        return found

    def read_workbook(self, data: bytes, shown: str) -> Questionnaire:
        """A filled questionnaire workbook, read by the CLI's reader (its preuves name this folder's files).

        Args:
            data: the workbook.
            shown: its name as the user sent it (``rempli.xlsx``), used in the problems.

        Raises:
            LoadError: the workbook is refused, its problems located (``rempli.xlsx:Feuille!C12``).
        """
        from cens_eval.loader.questionnaire import load_questionnaire

        if len(data) > MAX_WORKBOOK_BYTES:
            raise OutputError(f"{shown} : classeur trop volumineux")
        with self._scratch(data, ".xlsx", shown) as trial:
            loaded = load_questionnaire(trial, self.catalogue)
        return loaded.as_written

    @contextlib.contextmanager
    def _scratch(self, data: bytes, suffix: str, shown: str) -> Iterator[Path]:
        """A new file holding ``data`` in the workspace, removed on leaving.

        It lies beside the questionnaire so that the loader resolves the preuves it cites as it
        will once saved; its name is random and it is created exclusively without following
        links (``O_CREAT | O_EXCL | O_NOFOLLOW``, mode 0600): nothing planted in the workspace —
        a link to a file elsewhere — is ever written through or read instead. The loader's
        problems name the file ``shown`` (the name the user knows), never the scratch name.
        """
        path = self.root / f"{SCRATCH_PREFIX}{secrets.token_hex(8)}{suffix}"
        try:
            fd = os.open(path, _NO_FOLLOW, 0o600)
        except OSError as exc:
            raise OutputError(
                f"{self.root} : fichier de travail impossible à créer ({exc.strerror})"
            ) from None
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            yield path
        except LoadError as exc:
            raise LoadError(self.shown(exc.problems, {path: shown})) from None
        except OSError as exc:
            raise OutputError(f"{shown} : écriture impossible ({exc.strerror})") from None
        finally:
            path.unlink(missing_ok=True)

    def shown(
        self, problems: Iterable[Problem], names: Mapping[Path, str] | None = None
    ) -> list[Problem]:
        """``problems`` naming files as the user knows them, never by a path on the server.

        A file in ``names`` (a scratch file) takes the name given there (the uploaded file's
        name); any other file of the workspace its path in it (``questionnaire.yaml``,
        ``preuves/…``).
        """
        renamed = {str(k): v for k, v in (names or {}).items()}
        prefix = f"{self.root}{os.sep}"
        out = []
        for p in problems:
            where = "" if p.file in renamed and p.file.endswith(".json") else p.where
            file = renamed.get(p.file, p.file)
            if file.startswith(prefix):
                file = PurePosixPath(*Path(file[len(prefix) :]).parts).as_posix()
            out.append(dataclasses.replace(p, file=file, where=where))
        return out

    def remove_uploads(self, stored: Iterable[str]) -> None:
        """Remove preuves stored by a request whose save was refused: no orphan is kept."""
        for rel in stored:
            if rel.startswith(f"{PREUVES}/") and "/" not in rel[len(PREUVES) + 1 :]:
                with contextlib.suppress(OSError):
                    (self.root / PREUVES / rel[len(PREUVES) + 1 :]).unlink()

    @contextlib.contextmanager
    def scratch_dir(self) -> Iterator[Path]:
        """A new private folder (mode 0700, random name) in the workspace, removed on leaving.

        In the workspace rather than the system's temporary folder, which may be held in memory.
        """
        with tempfile.TemporaryDirectory(prefix=SCRATCH_PREFIX, dir=self.root) as folder:
            yield Path(folder)

    def inside(self, *parts: str) -> Path:
        """``root/parts…`` where the application writes; links followed, it must stay inside.

        Raises:
            OutputError: a symbolic link there (or on the way) leads out of the workspace.
        """
        target = confined(self.root, *parts)
        if target is None:
            shown = PurePosixPath(*parts).as_posix()
            raise OutputError(
                f"{shown} mène hors de l'espace de travail (lien symbolique) : rien n'a été écrit"
            )
        return self.root.joinpath(*parts)

    def store_upload(self, name: str, data: bytes) -> str:
        """Keep an uploaded preuve under ``preuves/`` with a sanitised, unused name.

        Returns:
            Its path relative to the questionnaire (``preuves/…``), as the questionnaire cites it.

        Raises:
            OutputError: too large, or no free name.
        """
        if len(data) > MAX_EVIDENCE_BYTES:
            raise OutputError(f"{name} : fichier de preuve trop volumineux (plus de 200 Mo)")
        clean = safe_filename(name)
        stem, dot, ext = clean.rpartition(".")
        if not dot:
            stem, ext = clean, ""
        self.inside(PREUVES).mkdir(exist_ok=True)
        for n in range(1, 100):
            candidate = clean if n == 1 else f"{stem}-{n}{'.' + ext if ext else ''}"
            path = self.root / PREUVES / candidate
            if os.path.lexists(path):  # a link, even dangling, is never written through
                continue
            try:
                write_atomic(path, data)
            except OutputError:
                continue
            return f"{PREUVES}/{candidate}"
        raise OutputError(f"{name} : aucun nom libre sous {PREUVES}/")

    def generate_dossier(self, as_of: dt.date) -> str:
        """Evaluate the saved questionnaire at ``as_of`` and write its dossier under ``dossiers/``.

        Same functions and same bytes as ``cens-eval evaluate questionnaire.yaml --as-of … -o``.

        Returns:
            The dossier's folder name (``dossier-AAAA-MM-JJ``), replaced if it exists.
        """
        from cens_eval.loader.questionnaire import load_questionnaire
        from cens_eval.service.operations import produce_dossier, write_dossier

        loaded = load_questionnaire(self.questionnaire_path, self.catalogue)
        produced = produce_dossier(loaded, self.catalogue, as_of=as_of)
        name = f"dossier-{as_of.isoformat()}"
        self.inside(DOSSIERS).mkdir(exist_ok=True)
        write_dossier(self.inside(DOSSIERS, name), produced, force=True)
        return name
