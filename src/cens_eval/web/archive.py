"""Dossier folders to and from zip archives: deterministic out, bounded and confined in."""

from __future__ import annotations

import hashlib
import io
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import IO

from cens_eval.constants import MAX_EVIDENCE_BYTES
from cens_eval.errors import CensEvalError
from cens_eval.loader.files import read_bytes
from cens_eval.web.limits import MAX_ZIP_BYTES, MAX_ZIP_MEMBERS

_EPOCH = (1980, 1, 1, 0, 0, 0)
_CHUNK = 64 * 1024


def zip_folder(folder: Path, name: str) -> bytes:
    """Every regular file under ``folder`` (links skipped), in order, under ``name/``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_symlink() or not path.is_file():
                continue
            rel = path.relative_to(folder).as_posix()
            info = zipfile.ZipInfo(f"{name}/{rel}", date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, read_bytes(path, MAX_EVIDENCE_BYTES, rel))
    return buffer.getvalue()


def unzip_dossier(archive_file: IO[bytes], shown: str, into: Path) -> dict[str, str]:
    """Extract an uploaded dossier zip into the new folder ``into``, one member at a time.

    A single top folder is stripped (``dossier-2026-11-22/dossier.json`` → ``dossier.json``).
    Members are copied in chunks, their bytes counted as they come: at most
    :data:`~cens_eval.web.limits.MAX_ZIP_BYTES` in all, whatever the archive declares, and
    never more than a chunk in memory.

    Args:
        archive_file: the archive, a seekable file (an upload arrives in a temporary file).
        shown: the archive's name, in messages.
        into: where the dossier's files are written (created; absent before).

    Returns:
        The SHA-256 of each file, by its path inside the dossier.

    Raises:
        CensEvalError: not a zip, too many or too large entries, a path that would leave the
            dossier (absolute, ``..``), a link, a name given twice, or no ``dossier.json`` at
            its top.
    """
    try:
        archive = zipfile.ZipFile(archive_file)
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise CensEvalError(f"{shown} : ce n'est pas une archive zip lisible") from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise CensEvalError(f"{shown} : trop de fichiers (au plus {MAX_ZIP_MEMBERS})")
    if sum(i.file_size for i in infos) > MAX_ZIP_BYTES:
        raise CensEvalError(f"{shown} : archive trop volumineuse une fois décompressée")
    paths = []
    for info in infos:
        path = PurePosixPath(info.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or not path.parts or ":" in path.parts[0]:
            raise CensEvalError(f"{shown} : chemin refusé dans l'archive « {info.filename[:80]} »")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise CensEvalError(f"{shown} : lien symbolique refusé « {info.filename[:80]} »")
        paths.append(path)
    tops = {p.parts[0] for p in paths}
    strip = len(tops) == 1 and all(len(p.parts) > 1 for p in paths)
    rels = [PurePosixPath(*p.parts[1:]) if strip else p for p in paths]
    if PurePosixPath("dossier.json") not in rels:
        raise CensEvalError(f"{shown} : pas de dossier.json à la racine de l'archive")
    _check_names(rels, shown)
    into.mkdir()
    sums: dict[str, str] = {}
    total = 0
    for info, rel in zip(infos, rels, strict=True):
        target = into.joinpath(*rel.parts)
        digest = hashlib.sha256()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as member, target.open("xb") as out:
                while chunk := member.read(_CHUNK):
                    total += len(chunk)
                    if total > MAX_ZIP_BYTES:
                        raise CensEvalError(
                            f"{shown} : archive trop volumineuse une fois décompressée"
                        )
                    digest.update(chunk)
                    out.write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
            raise CensEvalError(
                f"{shown} : fichier illisible dans l'archive « {info.filename[:80]} »"
            ) from None
        except OSError as exc:
            raise CensEvalError(
                f"{shown} : « {info.filename[:80]} » ne peut pas être extrait ({exc.strerror})"
            ) from None
        sums[rel.as_posix()] = digest.hexdigest()
    return sums


def _check_names(rels: list[PurePosixPath], shown: str) -> None:
    """Refuse a name given twice, or both as a file and as a folder (``a`` and ``a/b``)."""
    seen: set[PurePosixPath] = set()
    for rel in rels:
        if rel in seen:
            raise CensEvalError(f"{shown} : fichier en double « {rel.as_posix()[:80]} »")
        seen.add(rel)
    folders = {parent for rel in rels for parent in rel.parents}
    for rel in rels:
        if rel in folders:
            raise CensEvalError(
                f"{shown} : « {rel.as_posix()[:80]} » est à la fois un fichier et un dossier"
            )
