"""A throwaway PKI made at test time: a root, and PKCS#12 files it issues (no key is ever committed).

``Pki(folder)`` writes ``racine.pem`` (the root certificate) and issues certificates on request:
``pki.issue("evaluateur.p12", "Claire Martin")`` writes a PKCS#12 file protected by ``PASSWORD``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSWORD = "mot de passe d'essai"
NOW = dt.datetime.now(dt.UTC)


def _name(common: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Pki:
    """A root certificate authority in ``folder``, issuing signing certificates as PKCS#12."""

    def __init__(self, folder: Path, name: str = "Autorité d'essai") -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.key = _key()
        subject = _name(name, "Autorité de certification d'essai")
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOW - dt.timedelta(days=3650))
            .not_valid_after(NOW + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False
            )
            .sign(self.key, hashes.SHA256())
        )
        self.roots = folder / "racine.pem"
        self.roots.write_bytes(self.certificate.public_bytes(serialization.Encoding.PEM))

    def issue(
        self,
        file: str,
        common: str,
        organisation: str = "Organisme évaluateur d'essai",
        *,
        expired: bool = False,
        signing: bool = True,
        password: str = PASSWORD,
    ) -> Path:
        """Issue a certificate for ``common`` and write it with its key as PKCS#12 ``file``."""
        key = _key()
        start, end = (
            (NOW - dt.timedelta(days=400), NOW - dt.timedelta(days=35))
            if expired
            else (NOW - dt.timedelta(days=1), NOW + dt.timedelta(days=365))
        )
        certificate = (
            x509.CertificateBuilder()
            .subject_name(_name(common, organisation))
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=signing,
                    content_commitment=signing,
                    key_encipherment=not signing,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                critical=False,
            )
            .sign(self.key, hashes.SHA256())
        )
        data = pkcs12.serialize_key_and_certificates(
            common.encode(),
            key,
            certificate,
            [self.certificate],
            serialization.BestAvailableEncryption(password.encode()),
        )
        path = self.folder / file
        path.write_bytes(data)
        return path
