"""Browser tests: Playwright driving Debian's Chromium against a live server.

Every page a test visits must pass axe-core (WCAG 2.1 A/AA): call ``browser_page.check()``
after each navigation; a test that navigated to a page it never checked fails at teardown. So does a
test during which the browser blocked anything under the Content Security Policy.
"""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from tests.factories import TEST_PASSWORD

# Playwright's sync API runs an event loop in this thread; the tests still touch the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING_IMPACTS = {"serious", "critical"}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; the test script installs it with apt-get.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class CheckedPage:
    """A Playwright page that runs axe on every page a test visits."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.visited: set[str] = set()
        self.checked: set[str] = set()
        self._axe = Axe()
        self.csp_violations: list[str] = []
        page.on("framenavigated", self._navigated)
        page.on("console", self._console)

    def _navigated(self, frame):
        if frame == self.page.main_frame and frame.url.startswith("http"):
            self.visited.add(self._key(frame.url))

    def _console(self, message):
        # The browser reports what the Content Security Policy blocked (an inline script or style, say).
        if "Content Security Policy" in message.text:
            self.csp_violations.append(f"{self.page.url}: {message.text}")

    @staticmethod
    def _key(url: str) -> str:
        return url.split("#", 1)[0]

    def __getattr__(self, name):
        return getattr(self.page, name)

    def visit(self, path: str):
        self.page.goto(self.base_url + path)
        self.check()
        return self

    def check(self):
        """Run axe on the current page; fail on serious or critical violations."""
        self.page.wait_for_load_state("load")
        results = self._axe.run(self.page, options=AXE_OPTIONS)
        blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        self.checked.add(self._key(self.page.url))
        if blocking:
            lines = [
                f"{v['id']} ({v['impact']}): {v['help']} – " + "; ".join(n["target"][0] for n in v["nodes"][:3])
                for v in blocking
            ]
            raise AssertionError(f"Accessibility violations on {self.page.url}:\n" + "\n".join(lines))
        return self

    def login(self, user, password: str = TEST_PASSWORD):
        self.visit("/konto/login/")
        self.page.get_by_label(re.compile("e-mail", re.I)).fill(user.email)
        self.page.get_by_label(re.compile(r"^\s*(adgangskode|password)", re.I)).fill(password)
        self.page.get_by_role("button", name=re.compile("^(log ind|log in)$", re.I)).click()
        self.page.wait_for_load_state("load")
        self.check()
        return self

    def unchecked(self) -> set[str]:
        return self.visited - self.checked


@pytest.fixture
def browser_page(chromium, live_server, request):
    context = chromium.new_context(
        locale="da-DK", timezone_id="Europe/Copenhagen", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    checked = CheckedPage(page, live_server.url)
    yield checked
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    if failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    if not failed:
        assert not checked.unchecked(), f"Pages visited without an accessibility check: {checked.unchecked()}"
        assert not checked.csp_violations, "Blocked by the Content Security Policy:\n" + "\n".join(
            checked.csp_violations
        )


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
