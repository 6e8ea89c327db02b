"""Single sign-on providers from the environment, checked at start-up (docs/sso.md).

``DIALOG_OIDC_PROVIDERS`` and ``DIALOG_SAML_PROVIDERS`` each hold a JSON list, one object per identity provider. They
become django-allauth's ``SOCIALACCOUNT_PROVIDERS`` (apps configured in settings, never in the database). Plain data
in and out, no Django models: settings.py imports this module.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}

# Where the common identity providers put the e-mail address and a stable subject in a SAML assertion.
SAML_DEFAULT_ATTRIBUTES = {
    "uid": [
        "urn:oasis:names:tc:SAML:attribute:subject-id",
        "http://schemas.microsoft.com/identity/claims/objectidentifier",
        "http://schemas.microsoft.com/ws/2008/06/identity/claims/primarysid",
    ],
    "email": [
        "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
    ],
    "email_verified": ["email_verified"],
    "name": ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", "urn:oid:2.5.4.3"],
}

# The roles DIALOG_SSO_ONLY may name.
SSO_ONLY_ROLES = ("administrators", "politicians", "leaders", "trio")


def _fail(kind: str, index: int, message: str):
    raise ImproperlyConfigured(f"{kind}[{index}]: {message} (see docs/sso.md)")


def _url(kind: str, index: int, entry: dict, key: str, *, allow_http: bool, required: bool = True) -> str:
    value = str(entry.get(key) or "").strip()
    if not value:
        if required:
            _fail(kind, index, f"'{key}' is missing")
        return ""
    parts = urlsplit(value)
    if parts.scheme == "https" and parts.netloc:
        return value
    if parts.scheme == "http" and allow_http and parts.hostname in _LOOPBACK:
        return value  # the test suite's own provider on this machine
    _fail(kind, index, f"'{key}' must be an https:// address, not {value!r}")
    return value


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _common(kind: str, index: int, entry, seen: set[str]) -> tuple[str, str]:
    if not isinstance(entry, dict):
        _fail(kind, index, "each provider is a JSON object")
    provider_id = str(entry.get("id") or "").strip()
    if not _ID.match(provider_id):
        _fail(kind, index, "'id' must be 1–40 lower-case letters, digits or hyphens")
    if provider_id in seen:
        _fail(kind, index, f"the id {provider_id!r} is used twice")
    seen.add(provider_id)
    name = str(entry.get("name") or "").strip()
    if not name:
        _fail(kind, index, "'name' (shown on the login button) is missing")
    return provider_id, name


def _domains(kind: str, index: int, entry: dict) -> list[str]:
    domains = entry.get("verified_email_domains", [])
    if not isinstance(domains, list) or not all(isinstance(d, str) and d.strip() for d in domains):
        _fail(kind, index, "'verified_email_domains' must be a list of domain names")
    return [d.strip().lower().lstrip("@") for d in domains]


def _as_list(kind: str, raw) -> list:
    if raw in (None, "", []):
        return []
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        raise ImproperlyConfigured(f"{kind} must be a JSON list of providers (see docs/sso.md)")
    return raw


def oidc_providers(raw, *, allow_http: bool = False, seen: set[str] | None = None) -> list[dict]:
    """``DIALOG_OIDC_PROVIDERS`` checked and completed: id, name, server_url, client_id, secret, uid_claim,
    userinfo, verified_email_domains, login_origin."""
    seen = set() if seen is None else seen
    out = []
    for index, entry in enumerate(_as_list("DIALOG_OIDC_PROVIDERS", raw)):
        provider_id, name = _common("DIALOG_OIDC_PROVIDERS", index, entry, seen)
        server_url = _url("DIALOG_OIDC_PROVIDERS", index, entry, "server_url", allow_http=allow_http)
        for key in ("client_id", "secret"):
            if not str(entry.get(key) or "").strip():
                _fail("DIALOG_OIDC_PROVIDERS", index, f"'{key}' is missing")
        login_origin = _url(
            "DIALOG_OIDC_PROVIDERS", index, entry, "login_origin", allow_http=allow_http, required=False
        )
        out.append(
            {
                "id": provider_id,
                "name": name,
                "server_url": server_url.rstrip("/"),
                "client_id": str(entry["client_id"]).strip(),
                "secret": str(entry["secret"]).strip(),
                "uid_claim": str(entry.get("uid_claim") or "sub").strip(),
                # Entra ID's user-info endpoint (on Microsoft Graph) lacks oid and the optional claims: read the ID
                # token's claims instead.
                "userinfo": bool(entry.get("userinfo", True)),
                "verified_email_domains": _domains("DIALOG_OIDC_PROVIDERS", index, entry),
                "login_origins": sorted({_origin(server_url), *([_origin(login_origin)] if login_origin else [])}),
            }
        )
    return out


def _read_pem(kind: str, index: int, entry: dict, key: str) -> str:
    inline, path = entry.get(key), entry.get(f"{key}_file")
    if path:
        try:
            return Path(path).read_text(encoding="ascii")
        except OSError as error:
            _fail(kind, index, f"cannot read '{key}_file' {path!r}: {error.strerror}")
    return str(inline or "").strip()


def saml_providers(
    raw, *, sp_cert: str = "", sp_key: str = "", allow_http: bool = False, seen: set[str] | None = None
) -> list[dict]:
    """``DIALOG_SAML_PROVIDERS`` checked and completed. Each names the identity provider by ``entity_id`` and
    either ``metadata_url`` or ``sso_url`` with its signing certificate (``x509cert`` or ``x509cert_file``)."""
    seen = set() if seen is None else seen
    kind = "DIALOG_SAML_PROVIDERS"
    out = []
    for index, entry in enumerate(_as_list(kind, raw)):
        provider_id, name = _common(kind, index, entry, seen)
        entity_id = str(entry.get("entity_id") or "").strip()
        if not entity_id:
            _fail(kind, index, "'entity_id' (the identity provider's) is missing")
        metadata_url = _url(kind, index, entry, "metadata_url", allow_http=allow_http, required=False)
        sso_url = _url(kind, index, entry, "sso_url", allow_http=allow_http, required=not metadata_url)
        x509cert = _read_pem(kind, index, entry, "x509cert")
        if not metadata_url and not x509cert:
            _fail(
                kind, index, "without 'metadata_url', the identity provider's 'x509cert' (or 'x509cert_file') is needed"
            )
        attributes = entry.get("attributes") or {}
        if not isinstance(attributes, dict):
            _fail(kind, index, "'attributes' maps uid/email/name to lists of attribute names")
        sign_requests = bool(entry.get("sign_requests", False))
        encrypted = bool(entry.get("encrypted_assertions", False))
        if (sign_requests or encrypted) and not (sp_cert and sp_key):
            _fail(kind, index, "signed requests and encrypted assertions need DIALOG_SAML_SP_CERT_FILE and _KEY_FILE")
        login_origin = _url(kind, index, entry, "login_origin", allow_http=allow_http, required=False)
        origins = {_origin(url) for url in (sso_url or metadata_url, login_origin) if url}
        out.append(
            {
                "id": provider_id,
                "name": name,
                "entity_id": entity_id,
                "metadata_url": metadata_url,
                "sso_url": sso_url,
                "x509cert": x509cert,
                "attributes": {**SAML_DEFAULT_ATTRIBUTES, **attributes},
                "verified_email_domains": _domains(kind, index, entry),
                "sp_entity_id": str(entry.get("sp_entity_id") or "").strip(),
                "sign_requests": sign_requests,
                "encrypted_assertions": encrypted,
                "sp_cert": sp_cert if (sign_requests or encrypted) else "",
                "sp_key": sp_key if (sign_requests or encrypted) else "",
                "login_origins": sorted(origins),
            }
        )
    return out


def socialaccount_providers(*, oidc: list[dict], saml: list[dict]) -> dict:
    """django-allauth's ``SOCIALACCOUNT_PROVIDERS`` for the checked providers."""
    providers: dict = {}
    if oidc:
        providers["openid_connect"] = {
            "APPS": [
                {
                    "provider_id": p["id"],
                    "name": p["name"],
                    "client_id": p["client_id"],
                    "secret": p["secret"],
                    "settings": {
                        "server_url": p["server_url"],
                        "uid_field": p["uid_claim"],
                        "oauth_pkce_enabled": True,
                        "fetch_userinfo": p["userinfo"],
                        "verified_email": p["verified_email_domains"] or False,
                    },
                }
                for p in oidc
            ]
        }
    if saml:
        providers["saml"] = {"APPS": [_saml_app(p) for p in saml]}
    return providers


def _saml_app(p: dict) -> dict:
    idp = {"entity_id": p["entity_id"]}
    if p["metadata_url"]:
        idp["metadata_url"] = p["metadata_url"]
    else:
        idp.update({"sso_url": p["sso_url"], "x509cert": p["x509cert"]})
    advanced = {
        "strict": True,
        # Only a signed assertion is believed, whatever the response around it says.
        "want_assertion_signed": True,
        "want_assertion_encrypted": p["encrypted_assertions"],
        "authn_request_signed": p["sign_requests"],
        "reject_idp_initiated_sso": True,
        "reject_deprecated_algorithm": True,
    }
    if p["sp_cert"]:
        advanced.update({"x509cert": p["sp_cert"], "private_key": p["sp_key"]})
    settings = {
        "idp": idp,
        "attribute_mapping": p["attributes"],
        "advanced": advanced,
        "verified_email": p["verified_email_domains"] or False,
    }
    if p["sp_entity_id"]:
        settings["sp"] = {"entity_id": p["sp_entity_id"]}
    # allauth finds a SAML app by its client_id, which is also the slug in its addresses (/konto/saml/<id>/...).
    return {"provider_id": p["id"], "name": p["name"], "client_id": p["id"], "settings": settings}


def sso_only_roles(raw: list[str]) -> frozenset[str]:
    """``DIALOG_SSO_ONLY``: the roles that must log in through single sign-on."""
    roles = {value.strip().lower() for value in raw if value.strip()}
    unknown = roles - set(SSO_ONLY_ROLES)
    if unknown:
        raise ImproperlyConfigured(
            f"DIALOG_SSO_ONLY names unknown roles {sorted(unknown)}; use some of {', '.join(SSO_ONLY_ROLES)}"
        )
    return frozenset(roles)


def login_origins(*providers: list[dict]) -> list[str]:
    """The identity providers' addresses the login buttons' forms lead to (the CSP's form-action)."""
    return sorted({origin for group in providers for p in group for origin in p["login_origins"]})
