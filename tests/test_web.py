"""The web application through Flask's test client: both journeys and every route's errors."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

import cens_eval
from cens_eval.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "questionnaires" / "teleconsult-medilink"
AS_OF = "2026-11-22"


class _Form(HTMLParser):
    """The fields of one form (by id), with the values the page shows."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("file", "radio", "submit"):
            self.fields[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.inside = False


def form_fields(html: str, form_id: str) -> dict[str, str]:
    parser = _Form(form_id)
    parser.feed(html)
    return parser.fields


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "espace"
    shutil.copytree(EXAMPLE, ws)
    return ws


@pytest.fixture()
def client(workspace: Path):  # type: ignore[no-untyped-def]
    app = create_app(workspace, cens_eval.load_referentiels(), secret="test")
    return app.test_client()


def token(client) -> str:  # type: ignore[no-untyped-def]
    html = client.get("/editeur/").data.decode()
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def test_pages_are_french_and_labelled(client) -> None:  # type: ignore[no-untyped-def]
    for url in ("/", "/editeur/", "/evaluateur/"):
        page = client.get(url)
        assert page.status_code == 200
        assert '<html lang="fr">' in page.data.decode()


def test_every_post_without_csrf_is_refused(client, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    before = (workspace / "questionnaire.yaml").read_bytes()
    for url in (
        "/editeur/",
        "/editeur/profil",
        "/editeur/dossier",
        "/editeur/score",
        "/evaluateur/import",
    ):
        answer = client.post(url, data={"as_of": AS_OF})
        assert answer.status_code == 400
        assert "Jeton de sécurité" in answer.data.decode()
    assert (workspace / "questionnaire.yaml").read_bytes() == before


def test_answer_saved_as_yaml_and_dossier_identical_to_cli(
    client, workspace: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/editeur/").data.decode()
    fields = form_fields(html, "reponses")
    fields["teleconsultation__ETH.30__statut"] = "conforme"
    fields["teleconsultation__ETH.30__justification"] = "Corrigé."
    upload_field = next(
        k
        for k in fields
        if k.startswith("teleconsultation__ETH.30__preuve__") and k.endswith("__fichier")
    )
    data = {
        **fields,
        "action": "enregistrer",
        upload_field.replace("__fichier", "__upload"): (
            io.BytesIO(b"%PDF-1.4 preuve"),
            "../../Étude d'impact.pdf",
        ),
    }
    data[upload_field] = ""
    saved = client.post("/editeur/", data=data, content_type="multipart/form-data")
    assert saved.status_code == 302, saved.data.decode()[:2000]
    assert (workspace / "preuves" / "Etude-d-impact.pdf").read_bytes() == b"%PDF-1.4 preuve"
    loaded = cens_eval.load_questionnaire(
        workspace / "questionnaire.yaml", cens_eval.load_referentiels()
    )
    answer = loaded.questionnaire.reponses["teleconsultation"]["ETH.30"]
    assert answer.statut.value == "conforme"
    assert any(p.fichier == "preuves/Etude-d-impact.pdf" for p in answer.preuves)

    made = client.post("/editeur/dossier", data={"csrf": token(client), "as_of": AS_OF})
    assert made.status_code == 302
    web = workspace / "dossiers" / f"dossier-{AS_OF}"
    cli = tmp_path / "cli"
    cmd = Path(sys.executable).with_name("cens-eval")
    subprocess.run(
        [
            str(cmd),
            "evaluate",
            str(workspace / "questionnaire.yaml"),
            "--as-of",
            AS_OF,
            "-o",
            str(cli),
        ],
        check=False,
        capture_output=True,
    )
    for name in ("dossier.json", "dossier.xlsx", "dossier.pdf"):
        assert (web / name).read_bytes() == (cli / name).read_bytes(), name
    assert cens_eval.verify_dossier(web).intact
    archive = client.get(f"/editeur/dossiers/dossier-{AS_OF}.zip")
    names = zipfile.ZipFile(io.BytesIO(archive.data)).namelist()
    assert f"dossier-{AS_OF}/dossier.json" in names


def test_two_tabs_never_overwrite_each_other(client, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/editeur/").data.decode()
    fields = form_fields(html, "reponses")
    first = client.post("/editeur/", data={**fields, "action": "enregistrer"})
    assert first.status_code == 302
    after_first = (workspace / "questionnaire.yaml").read_bytes()
    stale = client.post(
        "/editeur/",
        data={
            **fields,
            "teleconsultation__ETH.30__justification": "autre",
            "action": "enregistrer",
        },
    )
    assert stale.status_code == 409
    assert "modifié ailleurs" in stale.data.decode()
    assert (workspace / "questionnaire.yaml").read_bytes() == after_first


def test_bad_form_values_get_french_messages(client, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    fields = form_fields(client.get("/editeur/").data.decode(), "reponses")
    before = (workspace / "questionnaire.yaml").read_bytes()
    for change in (
        {"teleconsultation__ETH.30__statut": "peut-etre"},
        {
            "teleconsultation__ETH.30__engagement_action": "x",
            "teleconsultation__ETH.30__engagement_echeance": "demain",
        },
        {"as_of": "22/11/2026"},
    ):
        answer = client.post("/editeur/", data={**fields, **change, "action": "enregistrer"})
        assert answer.status_code == 400
        assert "Erreur" in answer.data.decode()
    assert (workspace / "questionnaire.yaml").read_bytes() == before
    bad_profil = client.post(
        "/editeur/profil",
        data={
            "csrf": fields["csrf"],
            "version": fields["version"],
            "profil__utilise_ia": "peut-etre",
            "editeur_nom": "x",
            "solution_nom": "y",
            "solution_version": "1",
        },
    )
    assert bad_profil.status_code == 400
    assert "répondre oui ou non" in bad_profil.data.decode()


def test_path_escapes_are_refused(client, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    fields = form_fields(client.get("/editeur/").data.decode(), "reponses")
    field = next(
        k
        for k in fields
        if k.startswith("teleconsultation__ETH.30__preuve__") and k.endswith("__fichier")
    )
    answer = client.post(
        "/editeur/", data={**fields, field: "../../etc/passwd", "action": "enregistrer"}
    )
    assert answer.status_code == 400
    for url in (
        "/editeur/dossiers/..%2F..%2Fetc.zip",
        "/editeur/dossiers/.hidden.zip",
        "/evaluateur/espace/../fichier/x",
        "/evaluateur/ailleurs/x/",
    ):
        assert client.get(url).status_code == 404, url


def _dossier(client, workspace: Path) -> str:  # type: ignore[no-untyped-def]
    client.post("/editeur/dossier", data={"csrf": token(client), "as_of": AS_OF})
    return f"dossier-{AS_OF}"


def test_evaluator_reviews_and_evidence_stays_confined(client, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    name = _dossier(client, workspace)
    page = client.get(f"/evaluateur/espace/{name}/").data.decode()
    assert "Dossier intact" in page
    assert (
        client.get(f"/evaluateur/espace/{name}/fichier/../../questionnaire.yaml").status_code == 404
    )
    (workspace / "dossiers" / name / "lien").symlink_to(workspace / "questionnaire.yaml")
    assert client.get(f"/evaluateur/espace/{name}/fichier/lien").status_code == 404
    (workspace / "dossiers" / name / "lien").unlink()
    evidence = re.search(r'href="(/evaluateur/espace/[^"]+/fichier/[^"]+)"', page)
    assert evidence and client.get(evidence.group(1)).status_code == 200
    fields = form_fields(page, "revue")
    for k in fields:
        if k.endswith("__avis"):
            fields[k] = "valide"
    fields.update(evaluateur_nom="Claire Martin", date="2026-11-25", action="produire")
    done = client.post(f"/evaluateur/espace/{name}/", data=fields)
    assert done.status_code == 302, done.data.decode()[:3000]
    reviewed = workspace / "dossiers-revus" / f"{name}-revu"
    assert (reviewed / "revue.json").is_file()
    outcome = cens_eval.read_dossier(reviewed)
    assert outcome.reviewed is not None
    assert outcome.reviewed.revue.evaluateur.nom == "Claire Martin"
    missing_name = client.post(f"/evaluateur/espace/{name}/", data={**fields, "evaluateur_nom": ""})
    assert missing_name.status_code == 400


def test_zip_uploads_are_checked(client, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    name = _dossier(client, workspace)
    csrf = token(client)
    good = client.get(f"/editeur/dossiers/{name}.zip").data
    sent = client.post(
        "/evaluateur/import", data={"csrf": csrf, "archive": (io.BytesIO(good), "recu.zip")}
    )
    assert sent.status_code == 302
    assert "Dossier intact" in client.get(sent.headers["Location"]).data.decode()

    def zipped(entries: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            for k, v in entries.items():
                z.writestr(k, v)
        return buffer.getvalue()

    for data, message in (
        (b"pas un zip", "pas une archive zip"),
        (zipped({"../dehors.txt": b"x", "dossier.json": b"{}"}), "chemin refusé"),
        (zipped({"autre.txt": b"x"}), "pas de dossier.json"),
    ):
        answer = client.post(
            "/evaluateur/import", data={"csrf": csrf, "archive": (io.BytesIO(data), "x.zip")}
        )
        assert answer.status_code == 400
        assert message in answer.data.decode()
    assert not (workspace.parent / "dehors.txt").exists()


def test_uploads_are_bounded(workspace: Path) -> None:
    app = create_app(workspace, cens_eval.load_referentiels(), secret="test")
    app.config["MAX_CONTENT_LENGTH"] = 1000
    client = app.test_client()
    csrf = token(client)
    answer = client.post(
        "/evaluateur/import", data={"csrf": csrf, "archive": (io.BytesIO(b"x" * 5000), "gros.zip")}
    )
    assert answer.status_code == 413
    assert "Envoi trop volumineux" in answer.data.decode()


def test_serve_refuses_a_public_address_without_the_flag() -> None:
    from cens_eval.cli import main

    assert main(["serve", "--hote", "0.0.0.0"]) == 2


def test_a_save_keeps_the_preuves_the_form_does_not_show(client, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    """Several preuves for one expected preuve (written by hand): a web save drops none."""
    import yaml

    path = workspace / "questionnaire.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    answer = data["reponses"]["teleconsultation"]["ETH.08"]
    first = answer["preuves"][0]
    extra = {"attendue": first["attendue"], "url": "https://example.org/seconde-preuve"}
    answer["preuves"].append(extra)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    fields = form_fields(client.get("/editeur/").data.decode(), "reponses")
    fields["teleconsultation__ETH.08__justification"] = "Complété en ligne."
    saved = client.post("/editeur/", data={**fields, "action": "enregistrer"})
    assert saved.status_code == 302, saved.data.decode()[:2000]
    again = cens_eval.load_questionnaire(path, cens_eval.load_referentiels())
    urls = [p.url for p in again.questionnaire.reponses["teleconsultation"]["ETH.08"].preuves]
    assert "https://example.org/seconde-preuve" in [str(u) for u in urls if u is not None]


def edited_workbook(client, exigence: str, column: str, value: str) -> bytes:  # type: ignore[no-untyped-def]
    """The saved questionnaire exported as a workbook, one cell of an exigence's row changed."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(client.get("/editeur/questionnaire.xlsx").data))
    sheet = wb["teleconsultation"]
    headers = {cell.value: cell.column for cell in sheet[1]}
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == exigence)
    sheet.cell(row, headers[column]).value = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_the_workbook_exports_and_imports_back(client, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    """Export the saved questionnaire as a workbook, change an answer in it, import it back."""

    before = cens_eval.load_questionnaire(
        workspace / "questionnaire.yaml", cens_eval.load_referentiels()
    ).questionnaire
    assert client.get("/editeur/questionnaire.xlsx").status_code == 200
    edited = edited_workbook(client, "ETH.30", "Justification", "Corrigée dans le classeur.")
    html = client.get("/editeur/").data.decode()
    fields = form_fields(html, "reponses")
    data = {
        "csrf": fields["csrf"],
        "version": fields["version"],
        "classeur": (io.BytesIO(edited), "rempli.xlsx"),
    }
    imported = client.post("/editeur/import", data=data, content_type="multipart/form-data")
    assert imported.status_code == 302, imported.data.decode()[:2000]
    after = cens_eval.load_questionnaire(
        workspace / "questionnaire.yaml", cens_eval.load_referentiels()
    ).questionnaire
    assert (
        after.reponses["teleconsultation"]["ETH.30"].justification == "Corrigée dans le classeur."
    )
    unchanged = {k: v for k, v in after.reponses["teleconsultation"].items() if k != "ETH.30"}
    assert unchanged == {
        k: v for k, v in before.reponses["teleconsultation"].items() if k != "ETH.30"
    }
    assert not list(workspace.glob(".cens-eval-*"))


def test_a_bad_workbook_is_refused_and_nothing_changes(client, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    before = (workspace / "questionnaire.yaml").read_bytes()
    fields = form_fields(client.get("/editeur/").data.decode(), "reponses")
    for name, content in (("rempli.ods", b"PK\x03\x04"), ("rempli.xlsx", b"pas un classeur")):
        data = {
            "csrf": fields["csrf"],
            "version": fields["version"],
            "classeur": (io.BytesIO(content), name),
        }
        refused = client.post("/editeur/import", data=data, content_type="multipart/form-data")
        assert refused.status_code == 400
        page = refused.data.decode()
        assert ".xlsx" in page
        assert (workspace / "questionnaire.yaml").read_bytes() == before
