"""Where the inbox tests' screenshots go (docs/screenshots/ with BATON_WRITE_SCREENSHOTS=1,
the test's temporary folder otherwise), and a whole-page shot of a page that scrolls inside
a 100vh frame."""

import os
from pathlib import Path

from playwright.sync_api import Page

from tests.support.isolated import ROOT


def screenshot_folder(tmp_path: Path) -> Path:
    out = ROOT / "docs/screenshots" if os.environ.get("BATON_WRITE_SCREENSHOTS") else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    return out


def whole_page_screenshot(page: Page, name: str, tmp_path: Path) -> Path:
    """A window as tall as the page shows it whole; the window's size is put back after."""
    before = page.viewport_size
    height = page.evaluate(
        "document.querySelector('.topbar').offsetHeight + document.querySelector('main').scrollHeight"
    )
    page.set_viewport_size({"width": 1200, "height": int(height) + 8})
    page.mouse.move(0, 0)
    path = screenshot_folder(tmp_path) / name
    page.screenshot(path=str(path))
    if before is not None:
        page.set_viewport_size(before)
    return path
