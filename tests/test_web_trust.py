"""The web application trusts nothing it is sent: Host, planted links, bad values, archives.

Each case of issue 22 about the local web application, and the hostile cases around them.
"""

from __future__ import annotations

import html
import io
import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest

import cens_eval
from cens_eval.web.app import create_app
from cens_eval.web.security import HOSTS_KEY, served_hosts
from tests.test_web import AS_OF, client, edited_workbook, form_fields, token, workspace

__all__ = ["client", "workspace"]  # the fixtures of the web tests, shared

FOREIGN = ("evil.example:8765", "evil.example", "127.0.0.1.evil.example:8765", "")


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buffer.getvalue()


def upload(client, data: bytes, name: str = "recu.zip"):  # type: ignore[no-untyped-def]
    return client.post(
        "/evaluateur/import", data={"csrf": token(client), "archive": (io.BytesIO(data), name)}
    )


def import_workbook(client, data: bytes, name: str):  # type: ignore[no-untyped-def]
    fields = form_fields(client.get("/editeur/").data.decode(), "reponses")
    return client.post(
        "/editeur/import",
        data={
            "csrf": fields["csrf"],
            "version": fields["version"],
            "classeur": (io.BytesIO(data), name),
        },
    )


def make_dossier(client) -> str:  # type: ignore[no-untyped-def]
    made = client.post("/editeur/dossier", data={"csrf": token(client), "as_of": AS_OF})
    assert made.status_code == 302, made.data.decode()[:2000]
    return f"dossier-{AS_OF}"


def text(answer) -> str:  # type: ignore[no-untyped-def]
    """The page as a reader sees it (entities decoded)."""
    return html.unescape(answer.data.decode())


def no_scratch_left(workspace: Path) -> bool:
    return not list(workspace.glob(".cens-eval-*"))


# --- Host: a page elsewhere that rebinds its name to 127.0.0.1 gets nothing ------------------


def test_a_foreign_host_gets_a_french_400_and_no_token(workspace: Path) -> None:
    app = create_app(workspace, cens_eval.load_referentiels(), secret="test", port=8765)
    client = app.test_client()
    for host in FOREIGN:
        for url in ("/", "/editeur/", "/evaluateur/", "/static/style.css", "/nulle-part"):
            answer = client.get(url, headers={"Host": host})
            assert answer.status_code == 400, (host, url)
            page = text(answer)
            assert "refusée" in page and '<html lang="fr">' in page
            assert "http://127.0.0.1:8765/" in text(answer)  # where to open it instead
            assert 'name="csrf"' not in page
            assert "Set-Cookie" not in answer.headers


def test_a_post_under_a_foreign_host_changes_nothing(workspace: Path) -> None:
    app = create_app(workspace, cens_eval.load_referentiels(), secret="test", port=8765)
    client = app.test_client()
    local = {"Host": "127.0.0.1:8765"}
    page = client.get("/editeur/", headers=local).data.decode()
    fields = form_fields(page, "reponses")  # a valid token and version, as a rebinding page has
    fields["teleconsultation__ETH.30__justification"] = "Écrit par une page étrangère."
    before = (workspace / "questionnaire.yaml").read_bytes()
    for host in FOREIGN:
        for url, data in (
            ("/editeur/", {**fields, "action": "enregistrer"}),
            ("/editeur/dossier", {"csrf": fields["csrf"], "as_of": AS_OF}),
        ):
            answer = client.post(url, data=data, headers={"Host": host})
            assert answer.status_code == 400
            assert "refusée" in text(answer)
    assert (workspace / "questionnaire.yaml").read_bytes() == before
    assert not (workspace / "dossiers").exists()
    saved = client.post("/editeur/", data={**fields, "action": "enregistrer"}, headers=local)
    assert saved.status_code == 302  # the same request from the local page is served


def test_the_loopback_names_with_the_port_are_served(workspace: Path) -> None:
    app = create_app(workspace, cens_eval.load_referentiels(), secret="test", port=8765)
    client = app.test_client()
    for host in ("127.0.0.1:8765", "localhost:8765", "[::1]:8765", "LocalHost:8765"):
        assert client.get("/editeur/", headers={"Host": host}).status_code == 200, host
    for host in ("127.0.0.1:8766", "localhost", "[::1]", "127.0.0.2:8765", "0.0.0.0:8765"):
        assert client.get("/editeur/", headers={"Host": host}).status_code == 400, host


def test_the_listening_address_is_served_too() -> None:
    assert "192.168.1.20:9000" in served_hosts(9000, "192.168.1.20")
    assert "[fe80::1]:9000" in served_hosts(9000, "fe80::1")
    assert served_hosts(9000, "127.0.0.1") == served_hosts(9000)
    assert "localhost" in served_hosts(80)  # a browser leaves out the default port
    assert "localhost" not in served_hosts(8000)


@pytest.mark.parametrize(
    ("args", "served", "refused"),
    [
        (["--port", "9000"], "127.0.0.1:9000", "192.168.1.20:9000"),
        (
            ["--port", "9000", "--hote", "192.168.1.20", "--exposer"],
            "192.168.1.20:9000",
            "evil.example:9000",
        ),
    ],
)
def test_serve_gives_the_application_its_port_and_address(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: list[str], served: str, refused: str
) -> None:
    import cens_eval.web.server as server
    from cens_eval.cli import main

    started = {}

    class Fake:
        def run(self) -> None:
            started["ran"] = True

        def close(self) -> None:
            started["closed"] = True

    def fake_make_server(app, host: str, port: int) -> Fake:  # type: ignore[no-untyped-def]
        started.update(host=host, port=port, app=app)
        return Fake()

    monkeypatch.setattr(server, "make_server", fake_make_server)
    assert main(["serve", "--espace", str(tmp_path / "espace"), *args]) == 0
    hosts = started["app"].config[HOSTS_KEY]  # type: ignore[attr-defined]
    assert served in hosts and "localhost:9000" in hosts and refused not in hosts
    assert started["ran"] and started["closed"]


def test_the_server_names_no_software_and_prints_no_english_banner(
    workspace: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    import http.client
    import threading

    from cens_eval.web.server import make_server

    app = create_app(workspace, cens_eval.load_referentiels(), secret="test")
    httpd = make_server(app, "127.0.0.1", 0)
    port = httpd.effective_port
    app.config[HOSTS_KEY] = served_hosts(port)
    thread = threading.Thread(target=httpd.run, daemon=True)
    thread.start()
    try:
        for path in ("/", "/editeur/", "/absente"):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path)
            answer = connection.getresponse()
            body = answer.read().decode()
            assert answer.getheader("Server") is None, path
            assert "Werkzeug" not in body and "waitress" not in body.lower(), path
            connection.close()
    finally:
        httpd.close()
        thread.join(timeout=10)
    out, err = capfd.readouterr()
    assert "Serving on" not in out + err and "development server" not in out + err


# --- Scratch files: never written through a planted link ----------------------------------


def test_links_planted_at_the_scratch_names_are_not_written_through(
    client, workspace: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    outside = tmp_path / "hors-espace"
    outside.mkdir()
    victim = outside / "victime.txt"
    victim.write_text("intact", "utf-8")
    (workspace / ".questionnaire.verification.yaml").symlink_to(victim)
    (workspace / ".classeur-importe.xlsx").symlink_to(outside / "cree-par-le-serveur.xlsx")

    fields = form_fields(client.get("/editeur/").data.decode(), "reponses")
    fields["teleconsultation__ETH.30__justification"] = "Corrigé."
    saved = client.post("/editeur/", data={**fields, "action": "enregistrer"})
    assert saved.status_code == 302, saved.data.decode()[:2000]
    assert "Corrigé." in (workspace / "questionnaire.yaml").read_text("utf-8")

    imported = import_workbook(client, client.get("/editeur/questionnaire.xlsx").data, "r.xlsx")
    assert imported.status_code == 302, imported.data.decode()[:2000]
    assert victim.read_text("utf-8") == "intact"
    assert sorted(p.name for p in outside.iterdir()) == ["victime.txt"]
    assert (workspace / ".questionnaire.verification.yaml").is_symlink()
    assert no_scratch_left(workspace)


def test_a_refused_workbook_is_named_as_sent_not_by_its_scratch_name(client) -> None:  # type: ignore[no-untyped-def]
    edited = edited_workbook(client, "ETH.30", "Statut", "peut-être")
    refused = import_workbook(client, edited, "mon-classeur.xlsx")
    assert refused.status_code == 400
    page = text(refused)
    assert "mon-classeur.xlsx" in page
    assert ".cens-eval-" not in page


def test_an_upload_is_never_written_through_a_planted_link(
    client, workspace: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    elsewhere = tmp_path / "ailleurs.pdf"
    (workspace / "preuves").mkdir(exist_ok=True)
    (workspace / "preuves" / "preuve.pdf").symlink_to(elsewhere)  # dangling: its target is free
    fields = form_fields(client.get("/editeur/").data.decode(), "reponses")
    field = next(
        k
        for k in fields
        if k.startswith("teleconsultation__ETH.30__preuve__") and k.endswith("__fichier")
    )
    data = {
        **fields,
        field: "",
        "action": "enregistrer",
        field.replace("__fichier", "__upload"): (io.BytesIO(b"%PDF-1.4 x"), "preuve.pdf"),
    }
    saved = client.post("/editeur/", data=data, content_type="multipart/form-data")
    assert saved.status_code == 302, saved.data.decode()[:2000]
    assert not elsewhere.exists()
    assert (workspace / "preuves" / "preuve-2.pdf").read_bytes() == b"%PDF-1.4 x"


def test_a_review_is_never_written_through_a_planted_link(
    client, workspace: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    name = make_dossier(client)
    elsewhere = tmp_path / "revue-ailleurs.yaml"
    (workspace / "revues").mkdir()
    (workspace / "revues" / f"revue-espace-{name}.yaml").symlink_to(elsewhere)
    fields = form_fields(client.get(f"/evaluateur/espace/{name}/").data.decode(), "revue")
    fields.update(evaluateur_nom="Claire Martin", date="2026-11-25", action="produire")
    refused = client.post(f"/evaluateur/espace/{name}/", data=fields)
    assert refused.status_code == 400
    assert "hors de l'espace de travail" in text(refused)
    assert not elsewhere.exists()
    assert not (workspace / "dossiers-revus").exists()


# --- One boundary: bad input is a French message at its form, never an internal error ------


def test_a_bad_date_in_the_address_is_shown_on_the_page(client) -> None:  # type: ignore[no-untyped-def]
    for value, message in (
        ("pas-une-date", "date attendue au format AAAA-MM-JJ"),
        ("2026-02-30", "date attendue au format AAAA-MM-JJ"),
        ("22/11/2026", "date attendue au format AAAA-MM-JJ"),
        ("\x00", "date attendue au format AAAA-MM-JJ"),
        ("9999-12-31", "année attendue entre 1900 et 2999"),
    ):
        answer = client.get("/editeur/", query_string={"as_of": value})
        assert answer.status_code == 400, value
        page = text(answer)
        assert f"Date d'évaluation : {message}" in page
        assert 'id="reponses"' in page  # the éditeur's page itself, its form still there


@pytest.mark.parametrize(
    "content",
    [b'{"pas": "un dossier"}', b"[]", b"pas du json", b"\xff\xfe", b'{"version_schema": 99}'],
)
def test_a_zip_whose_dossier_json_is_foreign_is_refused_at_the_upload(
    client, workspace: Path, content: bytes
) -> None:  # type: ignore[no-untyped-def]
    answer = upload(client, zipped({"dossier/dossier.json": content}), "etrange.zip")
    assert answer.status_code == 400
    page = text(answer)
    assert "etrange.zip" in page and "pas un dossier cens-eval lisible" in page
    assert 'name="archive"' in page  # shown at the upload form
    assert not (workspace / "dossiers-recus").exists()
    assert no_scratch_left(workspace)


def test_a_foreign_folder_already_on_disk_is_a_french_400(client, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    folder = workspace / "dossiers-recus" / "etranger"
    folder.mkdir(parents=True)
    (folder / "dossier.json").write_text('{"autre": "chose"}', "utf-8")
    for answer in (
        client.get("/evaluateur/recus/etranger/"),
        client.post("/evaluateur/recus/etranger/apercu", data={"csrf": token(client)}),
        client.post(
            "/evaluateur/recus/etranger/", data={"csrf": token(client), "action": "produire"}
        ),
    ):
        assert answer.status_code == 400
        assert "dossier.json" in text(answer)


_JUNK = (
    "pas-une-date",
    "",
    "2026-02-30",
    "9999-12-31",
    "0001-01-01",
    "-1",
    "x" * 5000,
    "\x00",
    "../../etc/passwd",
    "<script>alert(1)</script>",
)
_SLOW = ("\x00",)
"""For the pages that verify a dossier (seconds each): one value."""


def _cases(rule: str, name: str) -> list[tuple[str, tuple[str, ...]]]:
    """The rule's URLs (its variables filled by real values, then by bad ones) and their values."""
    if "<" not in rule:
        return [(rule, _JUNK)]
    real = rule.replace("<source>", "espace").replace("<name>", name)
    real = real.replace("<path:rel>", "dossier.json")
    cases = [(real, _SLOW if rule.endswith("/<name>/") else _JUNK)]
    if "<source>" in rule:
        reviewed = rule.replace("<source>", "revus").replace("<name>", f"{name}-revu")
        cases.append((reviewed.replace("<path:rel>", "revue.json"), _SLOW[:1]))
    for source, other, rel in (
        ("nulle-part", name, "dossier.json"),
        ("espace", "absent", "dossier.json"),
        ("espace", ".cache", "dossier.json"),
        ("externe", name, "dossier.json"),
        ("espace", name, "../questionnaire.yaml"),
    ):
        bad = rule.replace("<source>", source).replace("<name>", other).replace("<path:rel>", rel)
        if bad != real:
            cases.append((bad, _JUNK[:1]))
    return cases


@pytest.mark.slow  # every route with many values: about 40 s
def test_no_route_answers_500_to_malformed_values(client, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    name = make_dossier(client)
    page = client.get(f"/evaluateur/espace/{name}/").data.decode()
    fields = form_fields(page, "revue")
    reviewed = {
        **{k: "valide" for k in fields if k.endswith("__avis")},
        **fields,
        "evaluateur_nom": "Claire Martin",
        "date": "2026-11-25",
        "action": "produire",
    }
    assert client.post(f"/evaluateur/espace/{name}/", data=reviewed).status_code == 302
    names = set(re.findall(r'name="([^"]+)"', client.get("/editeur/").data.decode()))
    names |= set(re.findall(r'name="([^"]+)"', page))
    names -= {"csrf", "version"}
    csrf = token(client)
    version = form_fields(client.get("/editeur/").data.decode(), "reponses")["version"]
    seen = []
    for rule in client.application.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            for url, values in _cases(rule.rule, name):
                for junk in values:
                    if method == "GET":
                        answer = client.get(url, query_string={"as_of": junk, "x": junk})
                    else:
                        form: dict[str, object] = {k: junk for k in names}
                        form.update(csrf=csrf, version=version)
                        form["action"] = ("enregistrer", "recalculer", "produire")[len(seen) % 3]
                        form["archive"] = (io.BytesIO(junk.encode()), f"{junk[:20]}.zip")
                        form["classeur"] = (io.BytesIO(junk.encode()), f"{junk[:20]}.xlsx")
                        answer = client.post(url, data=form, query_string={"as_of": junk})
                        if answer.status_code == 302:  # saved: the next form has the new version
                            page = client.get("/editeur/").data.decode()
                            version = form_fields(page, "reponses")["version"]
                    seen.append((method, url, junk[:20], answer.status_code))
    errors = [s for s in seen if s[3] >= 500]
    assert not errors, errors[:10]
    assert {s[3] for s in seen} >= {200, 302, 400, 404}
    assert no_scratch_left(workspace)


# --- Archives: streamed to disk, bounded, every hostile shape refused in French ------------


def test_an_archive_is_extracted_without_being_held_in_memory(client, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    """A 40 MB member costs no more memory than none: it goes from disk to disk in chunks."""
    name = make_dossier(client)
    good = zipfile.ZipFile(io.BytesIO(client.get(f"/editeur/dossiers/{name}.zip").data))
    entries = {i.filename: good.read(i) for i in good.infolist()}
    big = 40 * 1024 * 1024
    csrf = token(client)
    peaks = {}
    for label, extra in (("sans", {}), ("avec", {f"{name}/preuves/gros.bin": b"\0" * big})):
        data = zipped({**entries, **extra})
        assert len(data) < 1024 * 1024
        tracemalloc.start()
        try:
            answer = client.post(
                "/evaluateur/import",
                data={"csrf": csrf, "archive": (io.BytesIO(data), f"{label}.zip")},
            )
            peaks[label] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert answer.status_code == 302, text(answer)[:2000]
    kept = workspace / "dossiers-recus" / "avec" / "preuves" / "gros.bin"
    assert kept.stat().st_size == big
    assert peaks["avec"] - peaks["sans"] < 4 * 1024 * 1024, peaks
    assert no_scratch_left(workspace)


def test_an_archive_over_the_bound_is_refused_and_nothing_is_kept(
    client, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import cens_eval.web.archive as archive

    monkeypatch.setattr(archive, "MAX_ZIP_BYTES", 1024 * 1024)
    name = make_dossier(client)
    good = zipfile.ZipFile(io.BytesIO(client.get(f"/editeur/dossiers/{name}.zip").data))
    entries = {i.filename: good.read(i) for i in good.infolist()}
    small = upload(client, zipped(entries), "petit.zip")
    assert small.status_code == 302  # the dossier itself is under the bound
    entries[f"{name}/preuves/gros.bin"] = b"\0" * (2 * 1024 * 1024)
    answer = upload(client, zipped(entries), "gros.zip")
    assert answer.status_code == 400
    assert "archive trop volumineuse une fois décompressée" in text(answer)
    assert sorted(p.name for p in (workspace / "dossiers-recus").iterdir()) == ["petit"]
    assert no_scratch_left(workspace)


def _corrupted() -> bytes:
    data = bytearray(zipped({"dossier.json": b"{}" * 1000, "b.txt": b"abc" * 1000}))
    at = data.index(b"dossier.json") + len(b"dossier.json") + 5  # inside the deflated data
    data[at] ^= 0xFF
    return bytes(data)


def _twice() -> bytes:
    buffer = io.BytesIO()
    with pytest.warns(UserWarning), zipfile.ZipFile(buffer, "w") as z:
        z.writestr("dossier.json", b"{}")
        z.writestr("dossier.json", b"[]")
    return buffer.getvalue()


def _link() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("dossier.json", b"{}")
        info = zipfile.ZipInfo("preuves/lien")
        info.external_attr = 0o120777 << 16
        z.writestr(info, "/etc/passwd")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "pas une archive zip lisible"),
        (b"PK\x03\x04" + b"\0" * 50, "pas une archive zip lisible"),
        (zipped({"/abs/dossier.json": b"{}"}), "chemin refusé"),
        (zipped({"dossier.json": b"{}", "a/../../b": b"x"}), "chemin refusé"),
        (zipped({"C:/dossier.json": b"{}"}), "chemin refusé"),
        (_link(), "lien symbolique refusé"),
        (_twice(), "fichier en double"),
        (zipped({"dossier.json": b"{}", "a": b"x", "a/b": b"y"}), "à la fois un fichier"),
        (_corrupted(), "illisible"),
    ],
    ids=[
        "vide",
        "tronquee",
        "absolu",
        "remontee",
        "lecteur",
        "lien",
        "double",
        "fichier-et-dossier",
        "corrompue",
    ],
)
def test_hostile_archives_are_refused_in_french(
    client, workspace: Path, data: bytes, message: str
) -> None:  # type: ignore[no-untyped-def]
    answer = upload(client, data, "hostile.zip")
    assert answer.status_code == 400
    assert message in text(answer)
    assert not (workspace / "dossiers-recus").exists()
    assert no_scratch_left(workspace)
    assert not (workspace.parent / "b").exists()


def test_uploaded_files_are_spooled_to_disk(workspace: Path) -> None:
    app = create_app(workspace, cens_eval.load_referentiels(), secret="test")
    with app.test_request_context(
        "/evaluateur/import", method="POST", data={"archive": (io.BytesIO(b"PK"), "a.zip")}
    ):
        from flask import request

        assert request.files["archive"].stream.fileno() >= 0  # a real file, not a buffer


def test_both_journeys_download_the_oscal_results_the_command_writes(
    run_cli, client, workspace: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    name = make_dossier(client)
    folder = workspace / "dossiers" / name
    page = client.get("/editeur/").data.decode()
    assert f'href="/editeur/dossiers/{name}.oscal.json"' in page
    editeur = client.get(f"/editeur/dossiers/{name}.oscal.json")
    page = client.get(f"/evaluateur/espace/{name}/").data.decode()
    assert f'href="/evaluateur/espace/{name}.oscal.json"' in page
    evaluateur = client.get(f"/evaluateur/espace/{name}.oscal.json")
    out = tmp_path / "ar.json"
    assert run_cli("dossier", "export", str(folder), "--format", "oscal", "-o", str(out)).code == 0
    assert editeur.status_code == evaluateur.status_code == 200
    assert editeur.data == evaluateur.data == out.read_bytes()
    assert editeur.headers["Content-Disposition"] == f'attachment; filename="{name}.oscal.json"'
