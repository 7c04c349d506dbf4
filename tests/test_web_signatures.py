"""The evaluator signs a review in the web application: certificate and password for one request."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

import cens_eval
from cens_eval.web.app import create_app

from .pki import PASSWORD, Pki
from .test_web import EXAMPLE, form_fields, token

AS_OF = "2026-11-22"


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    pki = Pki(tmp_path_factory.mktemp("pki"))
    pki.issue("evaluateur.p12", "Claire Martin")
    return pki


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "espace"
    shutil.copytree(EXAMPLE, ws)
    return ws


@pytest.fixture()
def client(workspace: Path, pki: Pki):  # type: ignore[no-untyped-def]
    from cens_eval.service.signing import load_roots

    roots = load_roots(pki.roots.read_bytes(), str(pki.roots))
    app = create_app(workspace, cens_eval.load_referentiels(), secret="test", roots=roots)
    return app.test_client()


def _review_form(client, name: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    page = client.get(f"/evaluateur/espace/{name}/").data.decode()
    assert "Aucune signature électronique." in page
    fields: dict[str, object] = dict(form_fields(page, "revue"))
    for k in fields:
        if k.endswith("__avis"):
            fields[k] = "valide"
    fields.update(evaluateur_nom="Claire Martin", date="2026-11-25", action="produire")
    return fields


def _dossier(client) -> str:  # type: ignore[no-untyped-def]
    client.post("/editeur/dossier", data={"csrf": token(client), "as_of": AS_OF})
    return f"dossier-{AS_OF}"


def test_the_evaluator_signs_with_an_uploaded_certificate(
    client, workspace: Path, pki: Pki
) -> None:  # type: ignore[no-untyped-def]
    name = _dossier(client)
    fields = _review_form(client, name)
    fields["certificat"] = (
        io.BytesIO((pki.folder / "evaluateur.p12").read_bytes()),
        "evaluateur.p12",
    )
    fields["mot_de_passe"] = PASSWORD
    done = client.post(
        f"/evaluateur/espace/{name}/", data=fields, content_type="multipart/form-data"
    )
    assert done.status_code == 302, done.data.decode()[:3000]
    reviewed = workspace / "dossiers-revus" / f"{name}-revu"
    assert (reviewed / "revue" / "manifeste.json.p7s").is_file()
    page = client.get(done.headers["Location"]).data.decode()
    assert "signés par Claire Martin" in page
    assert "Signatures électroniques" in page
    assert page.count("certificat de confiance") == 2  # revue.pdf and the review's manifest
    assert PASSWORD not in page
    saved = b"".join(p.read_bytes() for p in workspace.rglob("*") if p.is_file())
    assert (pki.folder / "evaluateur.p12").read_bytes() not in saved


def test_a_wrong_password_writes_nothing_and_is_not_shown_again(
    client, workspace: Path, pki: Pki
) -> None:  # type: ignore[no-untyped-def]
    name = _dossier(client)
    fields = _review_form(client, name)
    fields["certificat"] = (
        io.BytesIO((pki.folder / "evaluateur.p12").read_bytes()),
        "evaluateur.p12",
    )
    fields["mot_de_passe"] = "mauvais mot de passe"
    refused = client.post(
        f"/evaluateur/espace/{name}/", data=fields, content_type="multipart/form-data"
    )
    assert refused.status_code == 400
    page = refused.data.decode()
    assert "mot de passe incorrect" in page
    assert "mauvais mot de passe" not in page
    assert not (workspace / "dossiers-revus").exists()
    assert not (workspace / "revues").exists() or not any((workspace / "revues").iterdir())
