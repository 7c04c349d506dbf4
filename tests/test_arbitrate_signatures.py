"""The arbitrated review signed by the arbitre, as a single review is signed by its evaluator.

``review arbitrate … --signer`` signs the final ``revue.pdf`` (in its validation block, which
names the arbitre) and ``revue/manifeste.json.p7s``, the manifest that covers every independent
review and the arbitration file: ``dossier verify --ac`` names the arbitre, and a changed
independent review is named. The web arbitration page signs the same way, in memory only.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

import cens_eval
from cens_eval.web.app import create_app

from .conftest import missing_tool
from .pki import PASSWORD, Pki
from .test_review_arbitrate import AGREED, DECISIONS, _arbitration
from .test_review_compare import MEDILINK, SECOND, _review
from .test_signatures import SIGN, _cli
from .test_web import _dossier, form_fields, workspace  # noqa: F401 (workspace: the fixture)
from .test_web_double import _file

ARBITRE = "Jeanne Roux"
ORGANISME = "Organisme évaluateur d'essai"


def _arbitrate(root: Path, out: str, *more: str, password: str | None = PASSWORD) -> Any:
    return _cli(
        "review", "arbitrate", str(root / "d"), str(root / "r1.yaml"), str(root / "r2.yaml"),
        "--arbitrage", str(root / "arbitrage.yaml"), "-o", str(root / out), *more,
        password=password,
    )  # fmt: skip


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A PKI; the MediLink dossier, two independent reviews, and the copy the arbitre signed."""
    root = tmp_path_factory.mktemp("arbitrage-signe")
    pki = Pki(root / "pki")
    pki.issue("arbitre.p12", ARBITRE)
    pki.issue("expire.p12", "Ancien Arbitre", expired=True)
    code, _, err = _cli("evaluate", str(MEDILINK), "--as-of", "2026-11-22", "-o", str(root / "d"))
    assert code == 1, err
    _review(root / "d", root / "r1.yaml", "Claire Martin", AGREED)
    _review(root / "d", root / "r2.yaml", "Paul Durand", {**AGREED, **SECOND})
    code, _, err = _cli(
        "review", "arbitrate", str(root / "d"), str(root / "r1.yaml"), str(root / "r2.yaml"),
        "--modele", str(root / "modele.yaml"), "--arbitre", ARBITRE,
    )  # fmt: skip
    assert (code, err) == (0, ""), err
    _arbitration(root, "arbitrage.yaml", DECISIONS)
    code, out, err = _arbitrate(root, "out", "--signer", str(root / "pki" / "arbitre.p12"), *SIGN)
    assert code == 0, err
    assert f"revue.pdf et revue/manifeste.json signés par {ARBITRE} (arbitre)." in out
    return root


def _verify(folder: Path, *more: str) -> tuple[int, str, str]:
    return _cli("dossier", "verify", str(folder), *more)


def test_the_signed_arbitrated_copy_verifies_and_names_the_arbitre(made: Path) -> None:
    out = made / "out"
    code, text, err = _verify(out, "--ac", str(made / "pki" / "racine.pem"))
    assert (code, err) == (0, "")
    lines = text.splitlines()
    for file in ("revue.pdf", "revue/manifeste.json.p7s"):
        [line] = [x for x in lines if x.startswith(f"{out} : {file} signé par {ARBITRE} (")]
        assert line.endswith(" UTC — certificat de confiance")
    assert lines[-1] == f"{out} : dossier intact (empreintes et réévaluation identiques)."


def test_the_signed_manifest_covers_each_independent_review_and_the_arbitration(
    made: Path,
) -> None:
    seal = (made / "out" / "revue" / "manifeste.json").read_text("utf-8")
    evaluateurs = sorted((made / "out" / "revue" / "evaluateurs").rglob("*.yaml"))
    assert [p.name for p in evaluateurs] == ["r1.yaml", "r2.yaml"]
    for path in [*evaluateurs, made / "out" / "revue" / "arbitrage.yaml"]:
        assert f'"{path.relative_to(made / "out").as_posix()}"' in seal


def test_a_flipped_byte_in_one_independent_review_is_named(made: Path, tmp_path: Path) -> None:
    copy = tmp_path / "out"
    shutil.copytree(made / "out", copy)
    [second] = (copy / "revue" / "evaluateurs").glob("2-*/r2.yaml")
    data = bytearray(second.read_bytes())
    data[len(data) // 2] ^= 0x01
    second.write_bytes(bytes(data))
    code, text, err = _verify(copy, "--ac", str(made / "pki" / "racine.pem"))
    assert code == 1
    assert f"{second}: empreinte SHA-256 différente" in err
    assert "r1.yaml" not in err
    assert f"{copy} : revue/manifeste.json.p7s signé par {ARBITRE} (" in text


def test_pdfsig_reports_a_valid_signature_by_the_arbitre(made: Path) -> None:
    if shutil.which("pdfsig") is None:
        missing_tool("pdfsig (poppler-utils) absent")
    run = subprocess.run(
        ["pdfsig", str(made / "out" / "revue.pdf")], capture_output=True, text=True, check=False
    )
    assert f"Signer Certificate Common Name: {ARBITRE}" in run.stdout
    assert "Signature Validation: Signature is Valid." in run.stdout
    assert "Total document signed" in run.stdout


def test_the_signature_shows_in_the_validation_block_of_the_final_review(made: Path) -> None:
    from cens_eval.loader.dossier import read_reviewed
    from cens_eval.render.signature_box import review_signature_box

    reviewed, _ = read_reviewed(made / "out")
    assert reviewed.revue.evaluateur.nom == ARBITRE  # the block the arbitre signs names them
    box = review_signature_box(reviewed)
    page = PdfReader(made / "out" / "revue.pdf").pages[0]
    [widget] = [a.get_object() for a in page["/Annots"] if a.get_object().get("/FT") == "/Sig"]
    assert [float(v) for v in widget["/Rect"]] == pytest.approx(
        [box.x1, box.y1, box.x2, box.y2], abs=1
    )


@pytest.mark.parametrize(
    ("p12", "password", "message"),
    [
        ("pki/arbitre.p12", "pas le bon", "mot de passe incorrect"),
        ("pki/expire.p12", PASSWORD, "n'est pas valide à cette date"),
        ("pki/arbitre.p12", None, "CERT_PASSWORD (mot de passe du certificat) n'est pas définie"),
    ],
)
def test_a_signer_that_cannot_sign_is_refused_before_anything_is_written(
    made: Path, p12: str, password: str | None, message: str
) -> None:
    code, _, err = _arbitrate(made, "refus", "--signer", str(made / p12), *SIGN, password=password)
    assert code == 2
    assert f"{made / p12}: " in err and message in err
    assert "Traceback" not in err
    assert not (made / "refus").exists()


def test_the_template_is_never_signed(made: Path, tmp_path: Path) -> None:
    code, _, err = _cli(
        "review", "arbitrate", str(made / "d"), str(made / "r1.yaml"), str(made / "r2.yaml"),
        "--modele", str(tmp_path / "modele.yaml"), "--signer", str(made / "pki" / "arbitre.p12"),
    )  # fmt: skip
    assert code == 2
    assert "--signer sert avec --arbitrage" in err
    assert not (tmp_path / "modele.yaml").exists()


# ---- the web arbitration page ------------------------------------------------------------------


@pytest.fixture()
def client(workspace: Path, made: Path) -> Any:  # noqa: F811
    from cens_eval.service.signing import load_roots

    roots_file = made / "pki" / "racine.pem"
    roots = load_roots(roots_file.read_bytes(), str(roots_file))
    app = create_app(workspace, cens_eval.load_referentiels(), secret="test", roots=roots)
    return app.test_client()


def _arbitrate_on_the_web(client: Any, workspace: Path, p12: bytes, password: str) -> Any:  # noqa: F811
    """Two independent reviews disagreeing on one exigence, then the arbitration, signed."""
    name = _dossier(client, workspace)
    url = f"/evaluateur/espace/{name}/"
    dossier = cens_eval.read_dossier(workspace / "dossiers" / name).dossier
    ref, exigence = next(
        (r.id, e.id)
        for r in dossier.resultats
        for e in r.exigences
        if e.resultat.value == "conforme"
    )
    base = f"{ref}__{exigence}"
    changes = {f"{base}__avis": "non_valide", f"{base}__commentaire": "Lieu absent."}
    _file(client, url, client.get(url).data.decode(), "Paul Durand", changes)
    _file(client, url, client.get(url).data.decode(), "Claire Martin", {})
    page = client.get(f"{url}arbitrage").data.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="certificat"' in page
    fields: dict[str, object] = dict(form_fields(page, "arbitrage"))
    fields.update({f"{base}__resultat": "non_conforme", f"{base}__motif": "Le lieu manque."})
    fields.update(arbitre_nom=ARBITRE, date="2026-11-27", mot_de_passe=password)
    fields["certificat"] = (io.BytesIO(p12), "arbitre.p12")
    return client.post(f"{url}arbitrage", data=fields, content_type="multipart/form-data")


def test_the_arbitre_signs_on_the_web_page_and_the_certificate_is_not_kept(
    client: Any,
    workspace: Path,  # noqa: F811
    made: Path,
) -> None:
    p12 = (made / "pki" / "arbitre.p12").read_bytes()
    done = _arbitrate_on_the_web(client, workspace, p12, PASSWORD)
    assert done.status_code == 302, done.data.decode()[:3000]
    [out] = (workspace / "dossiers-revus").iterdir()
    assert (out / "revue" / "manifeste.json.p7s").is_file()
    page = client.get(done.headers["Location"]).data.decode()
    assert f"signés par {ARBITRE} (arbitre)" in page
    assert page.count("certificat de confiance") == 2  # revue.pdf and the review's manifest
    assert PASSWORD not in page
    saved = b"".join(p.read_bytes() for p in workspace.rglob("*") if p.is_file())
    assert p12 not in saved


def test_a_wrong_password_on_the_web_page_writes_nothing(
    client: Any,
    workspace: Path,  # noqa: F811
    made: Path,
) -> None:
    p12 = (made / "pki" / "arbitre.p12").read_bytes()
    refused = _arbitrate_on_the_web(client, workspace, p12, "mauvais mot de passe")
    assert refused.status_code == 400
    page = refused.data.decode()
    assert "mot de passe incorrect" in page and "mauvais mot de passe" not in page
    assert "Le lieu manque." in page and ARBITRE in page  # what the arbitre typed, shown back
    assert not (workspace / "dossiers-revus").exists()
    assert not list(workspace.rglob("arbitrage.yaml"))
