"""The widget as a visitor sees it in the browser (a page object over its shadow DOM).

Playwright's CSS selectors pierce open shadow roots, so `baton-widget .panel` reaches in.
"""

from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect

W = "baton-widget"


@dataclass
class WidgetPage:
    page: Page
    bot_key: str

    def locator(self, selector: str) -> Locator:
        return self.page.locator(f"{W} {selector}")

    @property
    def panel(self) -> Locator:
        return self.locator(".panel")

    @property
    def launcher(self) -> Locator:
        return self.locator(".launcher")

    def open(self) -> None:
        expect(self.launcher).to_be_visible()
        if not self.panel.is_visible():
            self.launcher.click()
        expect(self.panel).to_be_visible()

    def fill_prechat(self, **answers: str) -> None:
        form = self.locator("form.pre")
        expect(form).to_be_visible()
        for field, value in answers.items():
            form.locator(f"input[name={field}]").fill(value)
        form.get_by_role("button", name="Start chat").click()
        expect(self.locator("textarea")).to_be_visible()

    def ask(self, text: str) -> None:
        box = self.locator("textarea")
        box.fill(text)
        box.press("Enter")

    def bubbles(self, kind: str) -> Locator:
        """kind: me | ai | staff (the greeting is not a message)."""
        return self.locator(f".list .msg.{kind}:not(.greet)")

    def transcript(self) -> list[str]:
        """Every message and system line in order, as `kind: text`."""
        items = self.locator(".list > .msg:not(.greet), .list > .row, .list > .line")
        lines = []
        for i in range(items.count()):
            item = items.nth(i)
            cls = item.get_attribute("class") or ""
            kind: str = next(k for k in ("me", "ai", "line", "row") if k in cls.split())
            kind = "staff" if kind == "row" else kind
            text = (item.locator(".text").first if kind != "line" else item).inner_text()
            lines.append(f"{kind}: {text.strip()}")
        return lines

    def thread_id(self) -> str:
        value = self.page.evaluate(
            "(key) => JSON.parse(localStorage.getItem(key)).thread_id", f"baton:{self.bot_key}"
        )
        return str(value)
