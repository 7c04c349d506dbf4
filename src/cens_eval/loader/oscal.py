"""Read an OSCAL catalog (JSON) back into a référentiel: cens-eval's own export, or another tool's.

The catalog is read with the bounded JSON reader. What cens-eval needs and OSCAL does not carry
(principle, level, fidelity, source…) is read from props and parts in the cens-eval namespace
(:data:`~cens_eval.model.oscal.NS`); when a catalog written by another tool lacks one, the
problem names its JSON path (``$.catalog.groups[0].controls[2]``) and its line, and nothing is
guessed. The référentiel read is then checked as a référentiel file is (model, references,
conditions against the profil vocabulary), each problem at the line it came from.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from cens_eval.constants import MAX_TEXT_FILE_BYTES
from cens_eval.errors import LoadError, Problem
from cens_eval.loader.document import Document
from cens_eval.loader.files import parse_document, read_bytes
from cens_eval.loader.messages import _SIMPLE
from cens_eval.loader.referentiels import checked_referentiel
from cens_eval.model.oscal import NS, Part, Prop, Role
from cens_eval.model.profil import VocabulaireProfil
from cens_eval.model.referentiel import Referentiel

JsonPath = tuple[str | int, ...]
_MISSING = _SIMPLE["missing"]
_OBJECTIVE_NS = (None, NS, "http://csrc.nist.gov/ns/oscal")


def load_catalog(path: Path | str, vocabulaire: VocabulaireProfil) -> Referentiel:
    """Read an OSCAL catalog (``.json``) as a référentiel.

    Raises:
        LoadError: the file is not an OSCAL catalog, a cens-eval field is missing (named at
            its JSON path), or the référentiel read is invalid; every problem at once.
    """
    name = str(path)
    doc = parse_document(read_bytes(Path(path), MAX_TEXT_FILE_BYTES), name, ".json")
    return _CatalogReader(doc).referentiel(vocabulaire)


def is_catalog(doc: Document) -> bool:
    """Whether a parsed JSON document is an OSCAL catalog (its one top-level key)."""
    return isinstance(doc.data, dict) and "catalog" in doc.data


def json_path(path: JsonPath) -> str:
    """A location as a JSONPath: ``$.catalog.groups[0].controls[2]`` (positions from 0)."""
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def _prop_label(name: str) -> str:
    return f"prop « {name} » (ns {NS})"


class _CatalogReader:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.cells: dict[tuple[str | int, ...], str] = {}

    # -- locating --------------------------------------------------------------------------
    def problem(self, path: JsonPath, message: str) -> None:
        self.problems.append(
            Problem(self.doc.file, self.doc.where(path), f"{json_path(path)} : {message}")
        )

    def missing(self, path: JsonPath, what: str) -> None:
        """A cens-eval field absent: ``what`` is « field : what OSCAL should carry »."""
        field, _, how = what.partition(" : ")
        self.problem(path, f"{field} absent (attendu : {how})" if how else f"{field} absent")

    def mark(self, loc: tuple[str | int, ...], path: JsonPath) -> None:
        where = self.doc.where(path)
        if where:
            self.cells[loc] = where

    # -- typed access ----------------------------------------------------------------------
    def obj(self, value: Any, path: JsonPath) -> dict[str, Any]:
        if isinstance(value, dict):
            return value
        self.problem(path, "objet attendu")
        return {}

    def items(self, parent: dict[str, Any], key: str, path: JsonPath) -> list[tuple[JsonPath, Any]]:
        value = parent.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem((*path, key), "liste attendue")
            return []
        return [((*path, key, i), item) for i, item in enumerate(value)]

    def text(self, parent: dict[str, Any], key: str, path: JsonPath) -> str | None:
        value = parent.get(key)
        if value is None or isinstance(value, str):
            return value
        self.problem((*path, key), "texte attendu")
        return None

    def props(self, parent: dict[str, Any], path: JsonPath) -> dict[str, tuple[str, JsonPath]]:
        """The cens-eval props of an object (and OSCAL's ``label`` and ``sort-id``), by name."""
        found: dict[str, tuple[str, JsonPath]] = {}
        for where, item in self.items(parent, "props", path):
            p = self.obj(item, where)
            name, value, ns = p.get("name"), p.get("value"), p.get("ns")
            ours = ns == NS or (ns is None and name in ("label", "sort-id"))
            if not ours or not isinstance(name, str):
                continue  # another tool's prop: not ours to read
            if not isinstance(value, str):
                self.problem((*where, "value"), "texte attendu")
            elif name in found:
                self.problem(where, f"{_prop_label(name)} en double")
            else:
                found[name] = (value, where)
        return found

    def put(
        self,
        data: dict[str, Any],
        key: str,
        found: dict[str, tuple[str, JsonPath]],
        name: str,
        loc: tuple[str | int, ...],
        kind: str = "text",
    ) -> None:
        """Copy the prop ``name`` into ``data[key]`` (converted to ``kind``) when present."""
        if name not in found:
            return
        value, where = found[name]
        self.mark((*loc, key), (*where, "value"))
        converted: Any = value
        if kind == "bool":
            if value not in ("true", "false"):
                self.problem((*where, "value"), "true ou false attendu")
                return
            converted = value == "true"
        elif kind == "number":
            try:
                converted = Decimal(value)
            except InvalidOperation:
                self.problem((*where, "value"), "nombre attendu")
                return
        elif kind == "json":
            try:
                converted = json.loads(value, parse_float=Decimal)
            except (ValueError, RecursionError):
                self.problem((*where, "value"), "condition JSON attendue")
                return
        data[key] = converted

    def require(
        self,
        data: dict[str, Any],
        key: str,
        found: dict[str, tuple[str, JsonPath]],
        name: str,
        path: JsonPath,
        loc: tuple[str | int, ...],
    ) -> None:
        if name in found:
            self.put(data, key, found, name, loc)
        else:
            self.missing((*path, "props"), f"{key} : {_prop_label(name)}")

    # -- the catalog -----------------------------------------------------------------------
    def referentiel(self, vocabulaire: VocabulaireProfil) -> Referentiel:
        if not is_catalog(self.doc):
            raise LoadError.at(
                self.doc.file, "1", "pas un catalogue OSCAL : clé « catalog » attendue"
            )
        path: JsonPath = ("catalog",)
        catalog = self.obj(self.doc.data["catalog"], path)
        data = self.header(catalog, path)
        sources = self.back_matter(catalog, path, data)
        sections: list[dict[str, Any]] = []
        controls: list[tuple[JsonPath, dict[str, Any], str | None]] = []
        self.collect(catalog, path, None, sections, controls)
        if sections:
            data["sections"] = sections
        exigences = [self.exigence(c, where, s, sources) for where, c, s in controls]
        ranks = [e.pop("_rang", None) for e in exigences]
        wheres = [where for where, _, _ in controls]
        if exigences and all(r is not None for r in ranks):
            order = sorted(range(len(exigences)), key=lambda i: (len(ranks[i]), ranks[i]))
            exigences = [exigences[i] for i in order]
            wheres = [wheres[i] for i in order]
        for i, where in enumerate(wheres):
            self.mark(("exigences", i), where)
        if not exigences:
            self.missing(path, "exigence (contrôle)")
        data["exigences"] = exigences
        self.relocate(exigences, wheres)
        if self.problems:
            problems = self.problems + self.validation_problems(data, vocabulaire)
            raise LoadError(problems)
        return checked_referentiel(self.document(data), vocabulaire)

    def relocate(self, exigences: list[dict[str, Any]], wheres: list[JsonPath]) -> None:
        """Cells recorded under a control's position in the file follow it to its rank."""
        moved = {}
        for i, e in enumerate(exigences):
            for loc, line in e.pop("_cells").items():
                moved[("exigences", i, *loc)] = line
        self.cells.update(moved)

    def document(self, data: dict[str, Any]) -> Document:
        cells = {(): self.doc.where(("catalog",)), **self.cells}
        return Document(self.doc.file, data, None, cells=cells)

    def validation_problems(
        self, data: dict[str, Any], vocabulaire: VocabulaireProfil
    ) -> list[Problem]:
        """The référentiel's own problems, less the absent fields already named at their path."""
        try:
            checked_referentiel(self.document(data), vocabulaire)
        except LoadError as exc:
            return [p for p in exc.problems if not p.message.endswith(_MISSING)]
        return []

    def header(self, catalog: dict[str, Any], path: JsonPath) -> dict[str, Any]:
        where = (*path, "metadata")
        metadata = self.obj(catalog.get("metadata"), where)
        found = self.props(metadata, where)
        data: dict[str, Any] = {}
        self.require(data, "id", found, Prop.REFERENTIEL_ID, where, ())
        for key, field in (("version", "version"), ("titre", "title")):
            value = self.text(metadata, field, where)
            if value is None:
                self.missing(where, f"{key} : « {field} »")
            else:
                data[key] = value
                self.mark((key,), (*where, field))
        self.require(data, "type", found, Prop.TYPE, where, ())
        self.require(data, "statut", found, Prop.STATUT, where, ())
        self.put(data, "date_publication", found, Prop.DATE_PUBLICATION, ())
        self.put(data, "date_arrete", found, Prop.DATE_ARRETE, ())
        self.put(data, "applicable_si", found, Prop.APPLICABLE_SI, (), "json")
        remarks = self.text(metadata, "remarks", where)
        if remarks is not None:
            data["description"] = remarks
            self.mark(("description",), (*where, "remarks"))
        return data

    def back_matter(
        self, catalog: dict[str, Any], path: JsonPath, data: dict[str, Any]
    ) -> dict[str, str]:
        """Sources and legal basis from the resources; returns each source's id by its uuid."""
        where = (*path, "back-matter")
        back = self.obj(catalog.get("back-matter", {}), where)
        sources: list[dict[str, Any]] = []
        by_uuid: dict[str, str] = {}
        for at, item in self.items(back, "resources", where):
            resource = self.obj(item, at)
            found = self.props(resource, at)
            role = found.get(Prop.ROLE, ("", ()))[0]
            if role == Role.BASE_LEGALE:
                text = self.text(resource, "description", at)
                if text is None:
                    self.missing(at, "base_legale : « description »")
                else:
                    data["base_legale"] = text
                    self.mark(("base_legale",), (*at, "description"))
            elif role == Role.SOURCE:
                loc = ("sources", len(sources))
                source: dict[str, Any] = {}
                self.mark(loc, at)
                self.require(source, "id", found, Prop.SOURCE_ID, at, loc)
                title = self.text(resource, "title", at)
                if title is None:
                    self.missing(at, "titre : « title »")
                else:
                    source["titre"] = title
                links = self.items(resource, "rlinks", at)
                href = (
                    self.text(self.obj(links[0][1], links[0][0]), "href", links[0][0])
                    if links
                    else None
                )
                if href is None:
                    self.missing(at, "url : « rlinks[0].href »")
                else:
                    source["url"] = href
                self.require(source, "nature", found, Prop.NATURE, at, loc)
                self.put(source, "date", found, Prop.DATE, loc)
                self.put(source, "consulte_le", found, Prop.CONSULTE_LE, loc)
                uuid = resource.get("uuid")
                if isinstance(uuid, str) and "id" in source:
                    by_uuid[uuid] = source["id"]
                sources.append(source)
        if "base_legale" not in data:
            self.missing(
                where, f"base_legale : ressource avec {_prop_label(Prop.ROLE)} = {Role.BASE_LEGALE}"
            )
        if not sources:
            self.missing(
                where, f"sources : ressource avec {_prop_label(Prop.ROLE)} = {Role.SOURCE}"
            )
        if sources:
            data["sources"] = sources
        return by_uuid

    def collect(
        self,
        parent: dict[str, Any],
        path: JsonPath,
        section: str | None,
        sections: list[dict[str, Any]],
        controls: list[tuple[JsonPath, dict[str, Any], str | None]],
    ) -> None:
        """Every control, depth first, with its section; every group becomes a section."""
        for where, item in self.items(parent, "controls", path):
            control = self.obj(item, where)
            controls.append((where, control, section))
            self.collect_children(control, where, section, sections, controls)
        for where, item in self.items(parent, "groups", path):
            group = self.obj(item, where)
            found = self.props(group, where)
            ident = found.get("label", (group.get("id"), where))[0]
            title = self.text(group, "title", where)
            loc = ("sections", len(sections))
            self.mark(loc, where)
            if not isinstance(ident, str):
                self.missing(where, "section : « id » ou prop « label »")
                ident = None
            sections.append({"id": ident, "titre": title})
            self.collect(group, where, ident, sections, controls)

    def collect_children(
        self,
        control: dict[str, Any],
        path: JsonPath,
        section: str | None,
        sections: list[dict[str, Any]],
        controls: list[tuple[JsonPath, dict[str, Any], str | None]],
    ) -> None:
        for where, item in self.items(control, "controls", path):
            child = self.obj(item, where)
            controls.append((where, child, section))
            self.collect_children(child, where, section, sections, controls)

    def exigence(
        self,
        control: dict[str, Any],
        path: JsonPath,
        section: str | None,
        sources: dict[str, str],
    ) -> dict[str, Any]:
        cells: dict[tuple[str | int, ...], str] = {}
        outer = self.cells
        self.cells = cells  # marks below are relative to this exigence
        found = self.props(control, path)
        e: dict[str, Any] = {}
        ident = found.get("label", (control.get("id"), path))[0]
        if isinstance(ident, str):
            e["id"] = ident
        else:
            self.missing(path, "id : « id » ou prop « label »")
        title = self.text(control, "title", path)
        if title is None:
            self.missing(path, "libelle : « title »")
        else:
            e["libelle"] = title
        if section is not None:
            e["section"] = section
        statement = [
            (w, p) for w, p in self.parts(control, path) if p.get("name") == Part.STATEMENT
        ]
        enonce = self.prose(statement[0][1]) if statement else ""
        if not enonce:
            self.missing((*path, "parts"), "enonce : part « statement » avec sa prose")
        else:
            e["enonce"] = enonce
            self.mark(("enonce",), statement[0][0])
        for key, name in (
            ("principe", Prop.PRINCIPE),
            ("niveau", Prop.NIVEAU),
            ("fidelite", Prop.FIDELITE),
        ):
            self.require(e, key, found, name, path, ())
        self.put(e, "obligatoire_a_partir_du", found, Prop.OBLIGATOIRE_A_PARTIR_DU, ())
        self.put(e, "poids", found, Prop.POIDS, (), "number")
        self.put(e, "age_max", found, Prop.AGE_MAX, ())
        self.put(e, "applicable_si", found, Prop.APPLICABLE_SI, (), "json")
        self.put(e, "theme", found, Prop.THEME, ())
        self.put(e, "remplace", found, Prop.REMPLACE, ())
        e["source"] = self.source(control, path, found, sources)
        preuves: list[dict[str, Any]] = []
        choix: list[dict[str, Any]] = []
        na: dict[str, Any] | None = None
        for where, part in self.parts(control, path):
            kind, ns = part.get("name"), part.get("ns")
            if kind == Part.OBJECTIVE and ns in _OBJECTIVE_NS:
                preuves.append(self.preuve(part, where, ("preuves", len(preuves))))
            elif ns != NS:
                continue
            elif kind == Part.NON_APPLICABLE:
                na = self.non_applicable(part, where)
            elif kind == Part.CHOIX_DU_PROJET:
                loc = ("choix_du_projet", len(choix))
                self.mark(loc, where)
                item: dict[str, Any] = {}
                self.require(item, "porte_sur", self.props(part, where), Prop.PORTE_SUR, where, loc)
                item["raison"] = self.prose(part)
                choix.append(item)
            elif kind in (Part.THEME_EXCEPTION, Part.NOTE):
                key = "theme_exception" if kind == Part.THEME_EXCEPTION else "note"
                e[key] = self.prose(part)
                self.mark((key,), where)
        if preuves:
            e["preuves"] = preuves
        if na is not None:
            e["non_applicable"] = na
        if choix:
            e["choix_du_projet"] = choix
        rank = found.get("sort-id")
        e["_rang"] = rank[0] if rank else None
        e["_cells"] = cells
        self.cells = outer
        return e

    def parts(
        self, parent: dict[str, Any], path: JsonPath
    ) -> list[tuple[JsonPath, dict[str, Any]]]:
        return [(w, self.obj(p, w)) for w, p in self.items(parent, "parts", path)]

    def prose(self, part: dict[str, Any]) -> str:
        """A part's prose, then its sub-parts' (another tool's statement items), one per line."""
        texts = [part["prose"]] if isinstance(part.get("prose"), str) else []
        for child in part.get("parts") or []:
            if isinstance(child, dict) and child.get("name") != Part.OBJECTIVE:
                text = self.prose(child)
                if text:
                    texts.append(text)
        return "\n".join(texts)

    def source(
        self,
        control: dict[str, Any],
        path: JsonPath,
        found: dict[str, tuple[str, JsonPath]],
        sources: dict[str, str],
    ) -> dict[str, Any]:
        ref: dict[str, Any] = {}
        for where, item in self.items(control, "links", path):
            link = self.obj(item, where)
            href = link.get("href")
            if isinstance(href, str) and href.startswith("#") and href[1:] in sources:
                ref["document"] = sources[href[1:]]
                self.mark(("source",), where)
                text = self.text(link, "text", where)
                if text is None:
                    self.missing(where, "source › localisation : « text »")
                else:
                    ref["localisation"] = text
                break
        else:
            self.missing(
                (*path, "links"),
                "source : lien « #uuid » vers une ressource de source "
                f"({_prop_label(Prop.ROLE)} = {Role.SOURCE})",
            )
        appui: dict[str, Any] = {}
        self.put(appui, "niveau", found, Prop.APPUIE_NIVEAU, ("source", "appuie"), "bool")
        if Prop.APPUIE_PREUVES in found:
            appui["preuves"] = found[Prop.APPUIE_PREUVES][0].split()
            self.mark(("source", "appuie", "preuves"), found[Prop.APPUIE_PREUVES][1])
        if appui:
            ref["appuie"] = appui
        return ref

    def preuve(
        self, part: dict[str, Any], path: JsonPath, loc: tuple[str | int, ...]
    ) -> dict[str, Any]:
        self.mark(loc, path)
        found = self.props(part, path)
        p: dict[str, Any] = {}
        self.require(p, "id", found, Prop.PREUVE_ID, path, loc)
        self.require(p, "type", found, Prop.TYPE_PREUVE, path, loc)
        p["libelle"] = self.prose(part)
        self.put(p, "obligatoire", found, Prop.OBLIGATOIRE, loc, "bool")
        self.put(p, "unite", found, Prop.UNITE, loc)
        seuil: dict[str, Any] = {}
        self.put(seuil, "min", found, Prop.SEUIL_MIN, (*loc, "seuil"), "number")
        self.put(seuil, "max", found, Prop.SEUIL_MAX, (*loc, "seuil"), "number")
        if seuil:
            p["seuil"] = seuil
        self.put(p, "age_max", found, Prop.AGE_MAX, loc)
        return p

    def non_applicable(self, part: dict[str, Any], path: JsonPath) -> dict[str, Any]:
        loc = ("non_applicable",)
        self.mark(loc, path)
        na: dict[str, Any] = {}
        if isinstance(part.get("prose"), str):
            na["conditions"] = part["prose"]
        self.put(
            na, "exige_hors_profil", self.props(part, path), Prop.EXIGE_HORS_PROFIL, loc, "bool"
        )
        na["preuves"] = [
            self.preuve(p, w, (*loc, "preuves", i))
            for i, (w, p) in enumerate(
                (w, p) for w, p in self.parts(part, path) if p.get("name") == Part.OBJECTIVE
            )
        ]
        return na
