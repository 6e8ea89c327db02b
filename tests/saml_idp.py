"""A SAML identity provider for the tests: reads the portal's AuthnRequest and answers with a Response whose assertion
it signs with a key pair made for the test run (signxml, an XML-signature library independent of the portal's
xmlsec, so the portal's check is not checking its own work).
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
import zlib
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import XMLSigner
from signxml.algorithms import CanonicalizationMethod

ENTITY_ID = "https://idp.test.invalid/adfs/services/trust"
SSO_URL = "https://idp.test.invalid/adfs/ls/"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
DS = "http://www.w3.org/2000/09/xmldsig#"
EMAIL = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
OBJECT_ID = "http://schemas.microsoft.com/identity/claims/objectidentifier"


@dataclass(frozen=True)
class KeyPair:
    """A test-only signing key and its self-signed certificate, made fresh for the run (never committed)."""

    key_pem: bytes
    cert_pem: bytes

    @classmethod
    def make(cls, name: str = "Test identity provider (TEST ONLY)") -> KeyPair:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .sign(key, hashes.SHA256())
        )
        key_pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return cls(key_pem=key_pem, cert_pem=cert.public_bytes(serialization.Encoding.PEM))

    @property
    def cert_body(self) -> str:
        """The certificate as SAML metadata and allauth's settings carry it: base64 without the PEM lines."""
        return "".join(line for line in self.cert_pem.decode().splitlines() if "CERTIFICATE" not in line)


@dataclass(frozen=True)
class AuthnRequest:
    request_id: str
    acs_url: str
    sp_entity_id: str
    relay_state: str


def read_authn_request(redirect_url: str) -> AuthnRequest:
    """The portal's AuthnRequest from the address it sent the browser to (HTTP-Redirect binding)."""
    assert redirect_url.startswith(SSO_URL), redirect_url
    query = parse_qs(urlsplit(redirect_url).query)
    xml = zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15)
    root = etree.fromstring(xml)
    return AuthnRequest(
        request_id=root.get("ID"),
        acs_url=root.get("AssertionConsumerServiceURL"),
        sp_entity_id=root.findtext(f"{{{SAML}}}Issuer"),
        relay_state=query.get("RelayState", [""])[0],
    )


def _instant(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_response(
    request: AuthnRequest | None,
    *,
    subject: str,
    email: str,
    keys: KeyPair | None,
    acs_url: str = "",
    audience: str = "",
) -> bytes:
    """A SAML Response for ``request`` (None: unsolicited, as an IdP-initiated login) whose assertion names
    ``subject`` and ``email``, signed with ``keys`` (None: not signed)."""
    now = dt.datetime.now(dt.UTC)
    later = now + dt.timedelta(minutes=5)
    acs_url = acs_url or request.acs_url
    audience = audience or request.sp_entity_id
    in_response_to = {"InResponseTo": request.request_id} if request else {}
    nsmap = {"saml": SAML, "samlp": SAMLP}
    response = etree.Element(
        f"{{{SAMLP}}}Response",
        nsmap=nsmap,
        ID=f"_{uuid.uuid4().hex}",
        Version="2.0",
        IssueInstant=_instant(now),
        Destination=acs_url,
        **in_response_to,
    )
    etree.SubElement(response, f"{{{SAML}}}Issuer").text = ENTITY_ID
    status = etree.SubElement(response, f"{{{SAMLP}}}Status")
    etree.SubElement(status, f"{{{SAMLP}}}StatusCode", Value="urn:oasis:names:tc:SAML:2.0:status:Success")

    assertion_id = f"_{uuid.uuid4().hex}"
    assertion = etree.Element(
        f"{{{SAML}}}Assertion", nsmap=nsmap, ID=assertion_id, Version="2.0", IssueInstant=_instant(now)
    )
    etree.SubElement(assertion, f"{{{SAML}}}Issuer").text = ENTITY_ID
    if keys:
        # Where the schema wants the signature: right after the Issuer (signxml fills this placeholder).
        etree.SubElement(assertion, f"{{{DS}}}Signature", Id="placeholder", nsmap={"ds": DS})
    subject_el = etree.SubElement(assertion, f"{{{SAML}}}Subject")
    name_id = etree.SubElement(
        subject_el, f"{{{SAML}}}NameID", Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
    )
    name_id.text = subject
    confirmation = etree.SubElement(
        subject_el, f"{{{SAML}}}SubjectConfirmation", Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"
    )
    etree.SubElement(
        confirmation,
        f"{{{SAML}}}SubjectConfirmationData",
        NotOnOrAfter=_instant(later),
        Recipient=acs_url,
        **in_response_to,
    )
    conditions = etree.SubElement(
        assertion,
        f"{{{SAML}}}Conditions",
        NotBefore=_instant(now - dt.timedelta(minutes=1)),
        NotOnOrAfter=_instant(later),
    )
    restriction = etree.SubElement(conditions, f"{{{SAML}}}AudienceRestriction")
    etree.SubElement(restriction, f"{{{SAML}}}Audience").text = audience
    authn = etree.SubElement(
        assertion, f"{{{SAML}}}AuthnStatement", AuthnInstant=_instant(now), SessionIndex=f"_{uuid.uuid4().hex}"
    )
    context = etree.SubElement(authn, f"{{{SAML}}}AuthnContext")
    etree.SubElement(
        context, f"{{{SAML}}}AuthnContextClassRef"
    ).text = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
    attributes = etree.SubElement(assertion, f"{{{SAML}}}AttributeStatement")
    for name, value in ((EMAIL, email), (OBJECT_ID, subject)):
        attribute = etree.SubElement(attributes, f"{{{SAML}}}Attribute", Name=name)
        etree.SubElement(attribute, f"{{{SAML}}}AttributeValue").text = value

    if keys:
        assertion = XMLSigner(
            signature_algorithm="rsa-sha256",
            digest_algorithm="sha256",
            c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
        ).sign(assertion, key=keys.key_pem, cert=keys.cert_pem.decode(), reference_uri=assertion_id)
    response.append(assertion)
    return etree.tostring(response, xml_declaration=True, encoding="UTF-8")


def tamper(xml: bytes, old: str, new: str) -> bytes:
    """The same response with one value changed after signing (as an attacker in the middle would)."""
    assert old.encode() in xml
    return xml.replace(old.encode(), new.encode())


def encode(xml: bytes) -> str:
    return base64.b64encode(xml).decode()
