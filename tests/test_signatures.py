"""Signed with a certificate: the éditeur's dossier and the evaluator's review carry signatures.

The PKI is made at test time (``tests/pki.py``): a root, an éditeur, an evaluator, an expired
certificate and one that may not sign. Signatures are checked by ``dossier verify`` and by two
other validators: poppler's ``pdfsig`` and pyHanko's own.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pypdf import PdfReader

from cens_eval.cli import main

from .conftest import QUESTIONNAIRES, REFERENTIELS, missing_tool
from .pki import PASSWORD, Pki
from .test_review_trust import _review_file

MEDILINK = QUESTIONNAIRES / "teleconsult-medilink" / "questionnaire.yaml"
EVALUATOR = "Claire Martin"
EDITEUR = "Jeanne Durand"
ENV = {"CENS_EVAL_REFERENTIELS": str(REFERENTIELS), "CENS_EVAL_AC": None}


def _cli(
    *args: str, password: str | None = PASSWORD, stdin: str | None = None
) -> tuple[int, str, str]:
    env = {**ENV, "CERT_PASSWORD": password}
    runner = CliRunner()
    with runner.isolation(input=stdin, env=env) as (out, err, _):
        code = main(list(args))
        return code, out.getvalue().decode(), err.getvalue().decode()


SIGN = ("--mot-de-passe-env", "CERT_PASSWORD")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A PKI; the MediLink dossier signed by the éditeur, then reviewed and signed by the evaluator."""
    root = tmp_path_factory.mktemp("signatures")
    pki = Pki(root / "pki")
    pki.issue("editeur.p12", EDITEUR, "MediLink Santé SAS")
    pki.issue("evaluateur.p12", EVALUATOR)
    pki.issue("expire.p12", "Ancien Évaluateur", expired=True)
    pki.issue("chiffrement.p12", "Clé de chiffrement", signing=False)
    Pki(root / "autre", "Autre autorité").issue("inconnu.p12", "Inconnu")
    editeur = str(root / "pki" / "editeur.p12")
    code, _, err = _cli(
        "evaluate", str(MEDILINK), "--as-of", "2026-11-22", "-o", str(root / "dossier"),
        "--signer", editeur, *SIGN,
    )  # fmt: skip
    assert code == 1, err  # MediLink is non conforme
    review = _review_file(root / "dossier", root / "revue.yaml", EVALUATOR)
    evaluateur = str(root / "pki" / "evaluateur.p12")
    code, out, err = _cli(
        "review", "apply", str(root / "dossier"), str(review), "-o", str(root / "revu"),
        "--signer", evaluateur, *SIGN,
    )  # fmt: skip
    assert code == 0, err
    assert f"revue.pdf et revue/manifeste.json signés par {EVALUATOR}." in out
    return root


@pytest.fixture
def reviewed(made: Path, tmp_path: Path) -> Path:
    shutil.copytree(made / "revu", tmp_path / "revu")
    return tmp_path / "revu"


def _verify(folder: Path, *more: str) -> tuple[int, str, str]:
    return _cli("dossier", "verify", str(folder), *more)


def test_a_signed_review_verifies_with_a_trusted_root_and_names_both_signers(
    made: Path,
) -> None:
    code, out, err = _verify(made / "revu", "--ac", str(made / "pki" / "racine.pem"))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    revu = made / "revu"
    for file, who in [
        ("dossier.pdf", f"{EDITEUR} (MediLink Santé SAS)"),
        ("manifeste.json.p7s", f"{EDITEUR} (MediLink Santé SAS)"),
        ("revue.pdf", f"{EVALUATOR} (Organisme évaluateur d'essai)"),
        ("revue/manifeste.json.p7s", f"{EVALUATOR} (Organisme évaluateur d'essai)"),
    ]:
        [line] = [x for x in lines if x.startswith(f"{revu} : {file} signé par {who} le ")]
        assert line.endswith(" UTC — certificat de confiance")
    assert lines[-1] == f"{revu} : dossier intact (empreintes et réévaluation identiques)."


def test_the_root_may_come_from_the_environment(made: Path) -> None:
    ENV["CENS_EVAL_AC"] = str(made / "pki" / "racine.pem")
    try:
        code, out, _ = _verify(made / "revu")
    finally:
        ENV["CENS_EVAL_AC"] = None
    assert code == 0
    assert out.count("certificat de confiance") == 4


@pytest.mark.parametrize("roots", [None, "autre/racine.pem"])
def test_without_the_signers_root_a_signature_is_intact_but_its_issuer_unverified(
    made: Path, roots: str | None
) -> None:
    code, out, err = _verify(made / "revu", *(["--ac", str(made / roots)] if roots else []))
    assert (code, err) == (0, "")
    assert out.count("— signature intègre, émetteur non vérifié") == 4
    assert "certificat de confiance" not in out


def test_pdfsig_reports_a_valid_signature_by_the_evaluator(made: Path) -> None:
    if shutil.which("pdfsig") is None:
        missing_tool("pdfsig (poppler-utils) absent")
    run = subprocess.run(
        ["pdfsig", str(made / "revu" / "revue.pdf")], capture_output=True, text=True, check=False
    )
    assert f"Signer Certificate Common Name: {EVALUATOR}" in run.stdout
    assert "Signature Validation: Signature is Valid." in run.stdout
    assert "Total document signed" in run.stdout


def test_pyhanko_validates_the_review_against_the_root(made: Path) -> None:
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    _, _, der = pem.unarmor((made / "pki" / "racine.pem").read_bytes())
    context = ValidationContext(trust_roots=[x509.Certificate.load(der)])
    reader = PdfFileReader(io.BytesIO((made / "revu" / "revue.pdf").read_bytes()))
    [signature] = reader.embedded_signatures
    status = validate_pdf_signature(signature, context)
    assert status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == EVALUATOR


def test_the_signed_pdf_starts_with_its_unsigned_rendering(made: Path) -> None:
    from cens_eval.loader.dossier import read_reviewed
    from cens_eval.render import Format, render

    reviewed_copy, _ = read_reviewed(made / "revu")
    unsigned = render(reviewed_copy, Format.PDF)
    signed = (made / "revu" / "revue.pdf").read_bytes()
    assert len(signed) > len(unsigned)
    assert signed.startswith(unsigned)


def test_the_signature_shows_in_the_validation_block_of_page_one(made: Path) -> None:
    from cens_eval.loader.dossier import read_reviewed
    from cens_eval.render.signature_box import review_signature_box

    reviewed_copy, _ = read_reviewed(made / "revu")
    box = review_signature_box(reviewed_copy)
    page = PdfReader(made / "revu" / "revue.pdf").pages[0]
    [widget] = [a.get_object() for a in page["/Annots"] if a.get_object().get("/FT") == "/Sig"]
    rect = [float(v) for v in widget["/Rect"]]
    assert rect == pytest.approx([box.x1, box.y1, box.x2, box.y2], abs=1)
    appearance = widget["/AP"]["/N"].get_object()
    assert appearance.get_data()  # a visible signature, not an empty field
    if shutil.which("pdftotext") is None:
        missing_tool("pdftotext (poppler-utils) absent")
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(made / "revu" / "revue.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "Signé électroniquement par" in text
    assert EVALUATOR in text


@pytest.mark.parametrize("file", ["revue.pdf", "revue.xlsx"])
def test_one_flipped_byte_after_signing_is_named(reviewed: Path, file: str) -> None:
    path = reviewed / file
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x01
    path.write_bytes(bytes(data))
    code, _, err = _verify(reviewed)
    assert code == 1
    assert f"{path}: empreinte SHA-256 différente" in err
    if file == "revue.pdf":
        assert f"{path}: signature invalide : le contenu ne correspond plus à la signature" in err


def test_content_appended_after_the_signature_breaks_it(reviewed: Path) -> None:
    path = reviewed / "revue.pdf"
    path.write_bytes(path.read_bytes() + b"\n%% ajout\n")
    code, _, err = _verify(reviewed)
    assert code == 1
    assert f"{path}: signature invalide : contenu ajouté après la signature" in err


def test_a_changed_signed_manifest_breaks_its_signature(reviewed: Path) -> None:
    seal = reviewed / "revue" / "manifeste.json"
    seal.write_bytes(seal.read_bytes().replace(b'"fichiers"', b'"fichiers" '))
    code, _, err = _verify(reviewed)
    assert code == 1
    assert f"{seal}.p7s: signature invalide : le fichier signé ne correspond plus" in err


def test_an_unsigned_folder_says_so_and_stays_intact(made: Path, tmp_path: Path) -> None:
    code, _, err = _cli(
        "evaluate", str(MEDILINK), "--as-of", "2026-11-22", "-o", str(tmp_path / "d")
    )
    assert code == 1, err
    assert not any(p.suffix == ".p7s" for p in (tmp_path / "d").rglob("*"))
    code, out, err = _verify(tmp_path / "d", "--ac", str(made / "pki" / "racine.pem"))
    assert (code, err) == (0, "")
    assert f"{tmp_path / 'd'} : aucune signature électronique." in out.splitlines()


def _apply_with(
    made: Path, out: Path, p12: str, password: str | None, *more: str
) -> tuple[int, str, str]:
    return _cli(
        "review", "apply", str(made / "dossier"), str(made / "revue.yaml"), "-o", str(out),
        "--signer", str(made / p12), *more, password=password,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("p12", "password", "message"),
    [
        ("pki/evaluateur.p12", "pas le bon", "mot de passe incorrect"),
        ("revue.yaml", PASSWORD, "fichier qui n'est pas un PKCS#12"),
        ("pki/expire.p12", PASSWORD, "n'est pas valide à cette date"),
        ("pki/chiffrement.p12", PASSWORD, "n'autorise pas la signature"),
        (
            "pki/evaluateur.p12",
            None,
            "CERT_PASSWORD (mot de passe du certificat) n'est pas définie",
        ),
    ],
)
def test_a_signer_that_cannot_sign_is_refused_before_anything_is_written(
    made: Path, tmp_path: Path, p12: str, password: str | None, message: str
) -> None:
    code, _, err = _apply_with(made, tmp_path / "revu", p12, password, *SIGN)
    assert code == 2
    assert f"{made / p12}: " in err and message in err
    assert "Traceback" not in err
    assert not (tmp_path / "revu").exists()
    assert list(tmp_path.iterdir()) == []


def test_the_password_may_be_typed_and_is_never_shown(made: Path, tmp_path: Path) -> None:
    code, out, err = _cli(
        "review", "apply", str(made / "dossier"), str(made / "revue.yaml"),
        "-o", str(tmp_path / "revu"), "--signer", str(made / "pki" / "evaluateur.p12"),
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert code == 0, err
    assert "Mot de passe du certificat evaluateur.p12" in out
    assert PASSWORD not in out + err


def test_no_output_holds_the_private_key(made: Path) -> None:
    p12 = (made / "pki" / "evaluateur.p12").read_bytes()
    key, _, _ = pkcs12.load_key_and_certificates(p12, PASSWORD.encode())
    assert key is not None
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    numbers = key.private_numbers()  # type: ignore[union-attr]
    secret = numbers.d.to_bytes((numbers.d.bit_length() + 7) // 8, "big")
    for path in (made / "revu").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert der not in data and secret not in data and p12 not in data, path


def test_a_signed_review_reviewed_again_keeps_its_signature_in_the_history(
    made: Path, tmp_path: Path
) -> None:
    code, _, err = _cli(
        "review", "apply", str(made / "revu"), str(made / "revue.yaml"), "-o",
        str(tmp_path / "revu2"), "--signer", str(made / "pki" / "evaluateur.p12"), *SIGN,
    )  # fmt: skip
    assert code == 0, err
    code, out, err = _verify(tmp_path / "revu2", "--ac", str(made / "pki" / "racine.pem"))
    assert (code, err) == (0, "")
    assert f"{tmp_path / 'revu2'} : historique/1/revue.pdf signé par {EVALUATOR}" in out
    assert out.count("certificat de confiance") == 6


def test_signing_needs_an_output_folder(made: Path) -> None:
    code, _, err = _cli(
        "evaluate", str(MEDILINK), "--signer", str(made / "pki" / "evaluateur.p12"), *SIGN
    )
    assert code == 2
    assert "donner aussi -o DOSSIER" in err


def test_the_batch_synthesis_says_who_signed(made: Path, tmp_path: Path) -> None:
    import json

    from openpyxl import load_workbook

    code, _, err = _cli(
        "batch", str(made / "revu"), str(made / "dossier"), "-o", str(tmp_path / "lot.xlsx"),
        "--json", str(tmp_path / "lot.json"), "--ac", str(made / "pki" / "racine.pem"), "--jobs", "1",
    )  # fmt: skip
    assert code == 0, err
    rows = {
        Path(r["chemin"]).name: r
        for r in json.loads((tmp_path / "lot.json").read_bytes())["dossiers"]
    }
    editeur = f"{EDITEUR} (MediLink Santé SAS) : certificat de confiance"
    evaluateur = f"{EVALUATOR} (Organisme évaluateur d'essai) : certificat de confiance"
    assert list(rows) == ["revu"]  # the dossier and its reviewed copy: one submission
    assert rows["revu"]["signe_par"] == f"{editeur} ; {evaluateur}"
    sheet = load_workbook(tmp_path / "lot.xlsx").worksheets[0]
    header = [c.value for c in sheet[1]]
    column = header.index("Signé par")
    assert any(
        row[column].value and evaluateur in row[column].value for row in sheet.iter_rows(min_row=2)
    )


def test_a_signature_made_after_its_certificate_expired_is_invalid(
    made: Path, tmp_path: Path
) -> None:
    import datetime as dt

    from cens_eval.service.signing import sign_review_files
    from cens_eval.signature.keys import load_signer

    shutil.copytree(made / "revu", tmp_path / "revu")
    folder = tmp_path / "revu"
    p12 = (made / "pki" / "expire.p12").read_bytes()
    # checked as if it were still valid: the signature itself is dated today, after its expiry
    signer = load_signer(
        p12, PASSWORD, "expire.p12", dt.datetime.now(dt.UTC) - dt.timedelta(days=100)
    )
    from cens_eval.loader.dossier import read_reviewed
    from cens_eval.render import Format, render

    reviewed_copy, _ = read_reviewed(folder)
    names = ["revue.pdf", "revue/manifeste.json"]
    files = {n: (folder / n).read_bytes() for n in names}
    files["revue.pdf"] = render(reviewed_copy, Format.PDF)  # unsigned, as review apply renders it
    for name, data in sign_review_files(files, reviewed_copy, signer).items():
        (folder / name).write_bytes(data)
    code, _, err = _verify(folder, "--ac", str(made / "pki" / "racine.pem"))
    assert code == 1
    assert (
        f"{folder / 'revue.pdf'}: signature invalide : certificat non valide à la date de signature"
        in err
    )


@pytest.mark.parametrize(
    ("file", "data", "message"),
    [
        ("revue.pdf", b"%PDF-1.4\n/ByteRange [0 10 20 30]\n" + bytes(100), "PDF illisible"),
        ("revue/manifeste.json.p7s", b"pas une signature", "signature illisible"),
    ],
)
def test_a_damaged_signature_is_named_never_a_crash(
    reviewed: Path, file: str, data: bytes, message: str
) -> None:
    (reviewed / file).write_bytes(data)
    code, _, err = _verify(reviewed)
    assert code == 1
    assert f"{reviewed / file}: signature invalide : {message}" in err
    assert "Traceback" not in err
