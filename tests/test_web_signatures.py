"""The evaluator signs a review in the web application: certificate and password for one request."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

import cens_eval
from cens_eval.web.app import create_app

from .pki import PASSWORD, Pki
from .test_web import form_fields, token, workspace  # noqa: F401 (workspace: the fixture)

AS_OF = "2026-11-22"


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    pki = Pki(tmp_path_factory.mktemp("pki"))
    pki.issue("evaluateur.p12", "Claire Martin")
    return pki


@pytest.fixture()
def client(workspace: Path, pki: Pki) -> Any:  # noqa: F811
    from cens_eval.service.signing import load_roots

    roots = load_roots(pki.roots.read_bytes(), str(pki.roots))
    app = create_app(workspace, cens_eval.load_referentiels(), secret="test", roots=roots)
    return app.test_client()


def _produce_signed(client: Any, pki: Pki, password: str) -> Any:
    """Produce the reviewed dossier of a new dossier with the evaluator's certificate."""
    client.post("/editeur/dossier", data={"csrf": token(client), "as_of": AS_OF})
    name = f"dossier-{AS_OF}"
    page = client.get(f"/evaluateur/espace/{name}/").data.decode()
    assert "Aucune signature électronique." in page
    fields: dict[str, object] = dict(form_fields(page, "revue"))
    for k in fields:
        if k.endswith("__avis"):
            fields[k] = "valide"
    fields.update(evaluateur_nom="Claire Martin", date="2026-11-25", action="produire")
    p12 = (pki.folder / "evaluateur.p12").read_bytes()
    fields.update(certificat=(io.BytesIO(p12), "evaluateur.p12"), mot_de_passe=password)
    return client.post(
        f"/evaluateur/espace/{name}/", data=fields, content_type="multipart/form-data"
    )


def test_the_evaluator_signs_with_an_uploaded_certificate(
    client: Any,
    workspace: Path,  # noqa: F811
    pki: Pki,
) -> None:
    done = _produce_signed(client, pki, PASSWORD)
    assert done.status_code == 302, done.data.decode()[:3000]
    reviewed = workspace / "dossiers-revus" / f"dossier-{AS_OF}-revu"
    assert (reviewed / "revue" / "manifeste.json.p7s").is_file()
    page = client.get(done.headers["Location"]).data.decode()
    assert "signés par Claire Martin" in page
    assert "Signatures électroniques" in page
    assert page.count("certificat de confiance") == 2  # revue.pdf and the review's manifest
    assert PASSWORD not in page
    saved = b"".join(p.read_bytes() for p in workspace.rglob("*") if p.is_file())
    assert (pki.folder / "evaluateur.p12").read_bytes() not in saved


def test_a_wrong_password_writes_nothing_and_is_not_shown_again(
    client: Any,
    workspace: Path,  # noqa: F811
    pki: Pki,
) -> None:
    refused = _produce_signed(client, pki, "mauvais mot de passe")
    assert refused.status_code == 400
    page = refused.data.decode()
    assert "mot de passe incorrect" in page
    assert "mauvais mot de passe" not in page
    assert not (workspace / "dossiers-revus").exists()
    assert not (workspace / "revues").exists() or not any((workspace / "revues").iterdir())
