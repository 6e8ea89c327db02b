"""A real OpenID Connect provider for the single sign-on tests, and the fixtures that start it.

``provider.mjs`` runs panva's oidc-provider (from npm, installed by ``scripts/test`` with ``npm ci``) under the
machine's Node.js on a free port of 127.0.0.1. The portal talks to it over HTTP for discovery, tokens, keys and
user info exactly as it talks to Entra ID; only the tests allow plain HTTP (``sso_config.oidc_providers(...,
allow_http=True)``). The people it knows are in a JSON file the test controls (:meth:`OpenIDProvider.set_account`).
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.urls import reverse

HERE = Path(__file__).resolve().parent
CLIENT_ID = "dialogportalen-test"
CLIENT_SECRET = "test-only-client-secret"
PROVIDER_ID = "testkommune"
PROVIDER_NAME = "Testkommunens login"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OpenIDProvider:
    """The running provider: its issuer address and the people it signs in."""

    def __init__(self, issuer: str, accounts_file: Path):
        self.issuer = issuer
        self.accounts_file = accounts_file
        self.accounts: dict[str, dict] = {}
        self._write()

    def set_account(self, username: str, *, password: str, email: str, email_verified: bool = True, name: str = ""):
        """A person at the provider; the subject (``sub``) is the username, and stays when the e-mail changes."""
        self.accounts[username] = {
            "password": password,
            "claims": {"email": email, "email_verified": email_verified, "name": name or username},
        }
        self._write()

    def clear(self):
        self.accounts = {}
        self._write()

    def _write(self):
        self.accounts_file.write_text(json.dumps(self.accounts), encoding="utf-8")

    def portal_config(self, **extra) -> list[dict]:
        """``DIALOG_OIDC_PROVIDERS`` as a municipality would write it, pointing at this provider."""
        return [
            {
                "id": PROVIDER_ID,
                "name": PROVIDER_NAME,
                "server_url": self.issuer,
                "client_id": CLIENT_ID,
                "secret": CLIENT_SECRET,
                **extra,
            }
        ]


def _wait_until_ready(process: subprocess.Popen, log_file: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(line.startswith("ready ") for line in log_file.read_text(encoding="utf-8").splitlines()):
            return
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    process.wait()
    pytest.fail(f"The test OpenID provider did not start:\n{log_file.read_text(encoding='utf-8')}")


@contextmanager
def running_provider(redirect_uris: list[str]) -> Iterator[OpenIDProvider]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed for the OpenID provider of the single sign-on tests.")
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        pytest.fail(f"The test OpenID provider is not installed: run `npm ci` in {HERE} (scripts/test does).")
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="oidc-provider-") as folder:
        accounts_file = Path(folder) / "accounts.json"
        provider = OpenIDProvider(issuer, accounts_file)
        config = {
            "issuer": issuer,
            "port": port,
            "accounts_file": str(accounts_file),
            "clients": [
                {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": redirect_uris,
                    "grant_types": ["authorization_code"],
                    "response_types": ["code"],
                }
            ],
        }
        config_file = Path(folder) / "config.json"
        config_file.write_text(json.dumps(config), encoding="utf-8")
        log_file = Path(folder) / "provider.log"
        with log_file.open("w", encoding="utf-8") as log:
            process = subprocess.Popen(
                [node, str(HERE / "provider.mjs"), str(config_file)], cwd=HERE, stdout=log, stderr=subprocess.STDOUT
            )
        try:
            _wait_until_ready(process, log_file)
            yield provider
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


IDP_PASSWORD = "idp-test-password"


def start_login(client, next_url: str | None = None) -> str:
    """Press the provider's button on the login page; returns the provider's authorization address."""
    path = reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})
    response = client.post(path + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def sign_in_at_provider(authorize_url: str, username: str, password: str = IDP_PASSWORD) -> str:
    """The person's browser at the provider: fill in its login form; returns where the provider sends them back."""
    browser = requests.Session()
    page = browser.get(authorize_url, timeout=10)
    assert page.status_code == 200, page.text[:500]
    action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
    response = browser.post(
        urljoin(page.url, action), data={"username": username, "password": password}, allow_redirects=False, timeout=10
    )
    while response.is_redirect:
        location = urljoin(response.url, response.headers["location"])
        if location.startswith("http://testserver/"):
            return location
        response = browser.get(location, allow_redirects=False, timeout=10)
    raise AssertionError(f"The provider did not send the person back: {response.status_code} {response.text[:500]}")


def log_in_through_provider(client, username: str, next_url: str | None = None):
    callback = sign_in_at_provider(start_login(client, next_url), username)
    parts = urlsplit(callback)
    return client.get(f"{parts.path}?{parts.query}")


def logged_in_as(client):
    from meetings.models import User

    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def callback_path(provider_id: str = PROVIDER_ID) -> str:
    return f"/konto/oidc/{provider_id}/login/callback/"


def configure_portal(settings, oidc: list[dict], saml: list[dict] | None = None, **saml_keys) -> None:
    """Set the portal's providers as settings.py would from DIALOG_OIDC_PROVIDERS and DIALOG_SAML_PROVIDERS, but
    allowing the test providers' plain-HTTP addresses on this machine."""
    from meetings import sso_config

    seen: set[str] = set()
    settings.DIALOG_OIDC_PROVIDERS = sso_config.oidc_providers(oidc, allow_http=True, seen=seen)
    settings.DIALOG_SAML_PROVIDERS = sso_config.saml_providers(saml or [], allow_http=True, seen=seen, **saml_keys)
    settings.SOCIALACCOUNT_PROVIDERS = sso_config.socialaccount_providers(
        oidc=settings.DIALOG_OIDC_PROVIDERS, saml=settings.DIALOG_SAML_PROVIDERS
    )
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "DIRECTIVES": {
            **directives,
            "form-action": [
                "'self'",
                *sso_config.login_origins(settings.DIALOG_OIDC_PROVIDERS, settings.DIALOG_SAML_PROVIDERS),
            ],
        },
    }


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[OpenIDProvider]:
    """The provider for tests that drive the portal with Django's test client (http://testserver)."""
    with running_provider([f"http://testserver{callback_path()}"]) as provider:
        yield provider


@pytest.fixture
def oidc_portal(oidc_provider, settings):
    """The portal configured with the test provider as its one OpenID Connect login; the provider forgets its
    people after the test."""
    configure_portal(settings, oidc_provider.portal_config())
    yield oidc_provider
    oidc_provider.clear()
