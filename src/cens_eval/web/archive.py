"""Dossier folders to and from zip archives: deterministic out, bounded and confined in."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path, PurePosixPath

from cens_eval.constants import MAX_EVIDENCE_BYTES
from cens_eval.errors import CensEvalError
from cens_eval.loader.files import read_bytes
from cens_eval.web.limits import MAX_ZIP_BYTES, MAX_ZIP_MEMBERS

_EPOCH = (1980, 1, 1, 0, 0, 0)


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


def unzip_dossier(data: bytes, shown: str) -> dict[str, bytes]:
    """The files of an uploaded dossier zip, by their path inside the dossier.

    A single top folder is stripped (``dossier-2026-11-22/dossier.json`` → ``dossier.json``).

    Raises:
        CensEvalError: not a zip, too many or too large entries, a path that would leave the
            dossier (absolute, ``..``), a link, or no ``dossier.json`` at its top.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError):
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
    files: dict[str, bytes] = {}
    total = 0
    for info, path in zip(infos, paths, strict=True):
        rel = PurePosixPath(*path.parts[1:]) if strip else path
        with archive.open(info) as member:
            content = member.read(MAX_ZIP_BYTES - total + 1)
        total += len(content)
        if total > MAX_ZIP_BYTES:
            raise CensEvalError(f"{shown} : archive trop volumineuse une fois décompressée")
        files[rel.as_posix()] = content
    if "dossier.json" not in files:
        raise CensEvalError(f"{shown} : pas de dossier.json à la racine de l'archive")
    return files
