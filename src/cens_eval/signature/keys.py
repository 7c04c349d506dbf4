"""The signer's PKCS#12 file (certificate and key): read in memory, checked, never written out.

Every refusal is a :class:`~cens_eval.errors.LoadError` naming the file, raised before anything
is signed or written: a wrong password, a file that is not PKCS#12, a certificate whose key
usage excludes signing, a certificate not valid now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from cens_eval.errors import LoadError


@dataclass(frozen=True)
class Signer:
    """A signer ready to sign: the pyHanko signer, and the name shown on signatures."""

    signer: SimpleSigner
    name: str
    """The certificate's common name (its subject when it has none)."""
    organisation: str | None

    def __repr__(self) -> str:  # never show the key, even in a traceback
        return f"Signer({self.name!r})"


def load_signer(data: bytes, password: str, source: str, now: dt.datetime) -> Signer:
    """The signer of a PKCS#12 file's bytes, checked for signing at ``now``.

    Args:
        data: the PKCS#12 file's bytes.
        password: its password.
        source: the file's name, for the messages.
        now: the signing time (aware).

    Raises:
        LoadError: not PKCS#12, wrong password, no key or certificate, a certificate whose key
            usage excludes signing, or not valid at ``now``.
    """
    try:
        key, certificate, others = pkcs12.load_key_and_certificates(data, password.encode())
    except ValueError:
        raise LoadError.at(
            source,
            "",
            "certificat illisible : mot de passe incorrect, ou fichier qui n'est pas un "
            "PKCS#12 (.p12, .pfx) ; rien n'a été écrit",
        ) from None
    if key is None or certificate is None:
        raise LoadError.at(
            source, "", "le fichier PKCS#12 ne contient pas de certificat avec sa clé privée"
        )
    _check_usable(certificate, source, now)
    signer = SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(
            certificate.public_bytes(serialization.Encoding.DER)
        ),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in others]
        ),
    )
    return Signer(
        signer, common_name(certificate), _attribute(certificate, NameOID.ORGANIZATION_NAME)
    )


def _check_usable(certificate: x509.Certificate, source: str, now: dt.datetime) -> None:
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        raise LoadError.at(
            source,
            "",
            f"le certificat de {common_name(certificate)} n'autorise pas la signature (usage "
            "de clé sans digitalSignature ni nonRepudiation) : demander un certificat de "
            "signature à l'autorité ; rien n'a été écrit",
        )
    start, end = certificate.not_valid_before_utc, certificate.not_valid_after_utc
    if not start <= now <= end:
        raise LoadError.at(
            source,
            "",
            f"le certificat de {common_name(certificate)} n'est pas valide à cette date (valide "
            f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}) ; rien n'a été écrit",
        )


def _attribute(certificate: x509.Certificate, oid: x509.ObjectIdentifier) -> str | None:
    found = certificate.subject.get_attributes_for_oid(oid)
    return str(found[0].value) if found else None


def common_name(certificate: x509.Certificate) -> str:
    """The certificate's common name, or its whole subject when it has none."""
    return _attribute(certificate, NameOID.COMMON_NAME) or certificate.subject.rfc4514_string()
