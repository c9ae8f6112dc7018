"""The accessibility check of the browser suites: axe-core (as shipped in
axe-playwright-python) run in the page; only serious and critical findings fail a test."""

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

SERIOUS = ("serious", "critical")


def serious_violations(page: Page, context: str | None = None) -> list[str]:
    """One line per serious or critical violation: rule, impact and the first node's target."""
    results = Axe().run(page, context=context)
    violations: list[dict[str, Any]] = results.response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} {v['help']}"
        for v in violations
        if v.get("impact") in SERIOUS
    ]
