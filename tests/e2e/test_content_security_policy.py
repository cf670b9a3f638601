"""Item 14 of the floor-readiness work: the main pages run in Chromium under the Content-
Security-Policy without one violation — sign-in, a judge's marking form (with a mark tapped
and sent), the chief expert's overview, a board and the overview board with their sockets live,
the ceremony remote, the organiser's console and the certificates page.

A violation is caught twice: the page's ``securitypolicyviolation`` events (recorded from
before the first script runs) and Chromium's console messages. A control at the end shows
that an inline script is both blocked and caught.
"""

from __future__ import annotations

import pytest

from tests.factories import TINY_COMPETITORS, TINY_SCHEME

pytestmark = pytest.mark.e2e

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI + " " + event.sourceFile + ":" + event.lineNumber);
});
"""


class Watched:
    """A page whose CSP violations are collected on every document it loads."""

    def __init__(self, page):
        self.page = page
        self.violations: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", lambda message: self.violations.append(f"console: {message.text}")
                if "Content Security Policy" in message.text else None)
        page.on("pageerror", lambda error: self.violations.append(f"error: {error}"))

    def visit(self, path: str, *, ready: str | None = None) -> None:
        response = self.page.goto(path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, f"{path} has no policy: {policy!r}"
        self.page.wait_for_load_state("networkidle")
        if ready:
            self.page.wait_for_function(ready, timeout=10_000)
        self.collect(path)

    def collect(self, where: str) -> None:
        self.violations += [f"{where}: {v}" for v in self.page.evaluate("window.__cspViolations || []")]
        self.page.evaluate("window.__cspViolations = []")


def test_the_main_pages_run_under_the_policy_without_a_violation(live_server, new_page, sign_in, seed):
    event = seed(TINY_SCHEME, competitors=TINY_COMPETITORS)
    skill = f"{event.event}/tiny"

    judge = Watched(new_page({"width": 1024, "height": 768}, has_touch=True))
    judge.visit("/sign-in")
    sign_in(judge.page, event.judges[0])
    judge.visit(f"/judge/{skill}/")
    judge.visit(f"/judge/{skill}/T-01/B")
    judge.page.locator("fieldset[data-aspect] label").first.tap()
    judge.page.locator("fieldset[data-aspect] [data-saved]").first.wait_for(state="visible")
    judge.page.wait_for_function("() => document.querySelector('fieldset[data-aspect] [data-saved]').textContent.trim() !== ''")
    judge.collect("after a mark")

    chief = Watched(new_page({"width": 1366, "height": 768}))
    sign_in(chief.page, event.chief)
    chief.visit(f"/chief/{skill}/")
    chief.visit(f"/chief/{skill}/T-01")

    organiser = Watched(new_page({"width": 1920, "height": 1080}))
    sign_in(organiser.page, event.organiser)
    organiser.visit(f"/board/{skill}", ready="() => document.getElementById('conn').textContent === 'live'")
    organiser.visit(f"/board/{event.event}")
    organiser.visit(f"/board-control/{event.event}")
    organiser.visit("/console/")
    organiser.visit("/certificates/")
    organiser.visit("/")

    assert judge.violations + chief.violations + organiser.violations == []

    # The control: an inline script is refused by the browser, and the refusal is seen.
    organiser.page.evaluate("""() => {
      var script = document.createElement("script");
      script.textContent = "window.__inlineRan = true;";
      document.head.appendChild(script);
    }""")
    organiser.page.wait_for_function("() => window.__cspViolations.length > 0")
    assert organiser.page.evaluate("window.__inlineRan === undefined")
    organiser.collect("control")
    assert any("script-src" in v for v in organiser.violations), organiser.violations
