"""The widget as a visitor sees it in the browser (a page object over its shadow DOM).

Playwright's CSS selectors pierce open shadow roots, so `baton-widget .panel` reaches in.
"""

from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect

W = "baton-widget"

# Keeps every `event: state` the widget's streams receive in window.__batonStates (reset by each
# page load), so a test can wait for the state a page was given before checking what it shows.
RECORD_STATES = """
(() => {
  const Native = window.EventSource;
  window.__batonStates = [];
  window.EventSource = class extends Native {
    constructor(url, init) {
      super(url, init);
      this.addEventListener("state", (e) => window.__batonStates.push(JSON.parse(e.data)));
    }
  };
})();
"""


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

    def record_states(self) -> None:
        """Call before the page loads: from then on `wait_for_state` can wait for a state."""
        self.page.add_init_script(RECORD_STATES)

    def wait_for_state(self, mode: str) -> None:
        """Until this page load's stream has sent a state, and its latest has `mode`; the
        widget handles it in the same task, so its effect shows once this returns."""
        self.page.wait_for_function(
            "(mode) => { const s = window.__batonStates; return s.length && s[s.length - 1].mode === mode; }",
            arg=mode,
        )

    @property
    def notes(self) -> Locator:
        """The state notices in the conversation (not messages, not lines of the thread)."""
        return self.locator(".list .note")
