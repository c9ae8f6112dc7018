"""The demo customer site for `make run`: a CRM help page on its own origin, with the widget.

It stands in for a customer's website, so it is served apart from the gateway (another port
is another origin) and renders the demo help center that the demo bot answers from.
"""

import re
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from markdown_it import MarkdownIt

from baton_gateway.settings import GatewaySettings
from baton_runtime.errors import ApiError, install_error_handlers
from baton_runtime.serve import serve

_SLUG = re.compile(r"^[a-z0-9-]{1,80}$")
# The header and footer links of the demo's home page that are not help articles: each leads
# to a short page of the made-up product, so no link of the demo ends on an error.
_STUB_PAGES = {
    "product": ("Product", "Orbit CRM keeps your contacts, deals and e-mail in one place."),
    "pricing": ("Pricing", "Starter $12, Team $29 and Business $59 per user and month."),
    "status": ("Status", "All systems operational. No incidents in the last 90 days."),
    "login": ("Sign in", "This is a demo site: there is nothing to sign in to."),
    "privacy": ("Privacy", "The demo keeps no data about you beyond the chat you start."),
    "terms": ("Terms", "A demo of Baton, the support chat in the corner of this page."),
}
_PAGE_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:760px;margin:2rem auto;padding:0 1rem;"
    "line-height:1.6;color:#1b1f2a}a{color:#6741d9}"
)


def build_demo_app(settings: GatewaySettings) -> FastAPI:
    app = FastAPI(title="Orbit CRM demo site", docs_url=None, redoc_url=None, openapi_url=None)
    install_error_handlers(app)
    gateway_url = settings.gateway_public_url.rstrip("/")
    template = files("baton_gateway").joinpath("static/demo.html").read_text()
    page = template.replace("{{GATEWAY_URL}}", gateway_url).replace(
        "{{BOT_KEY}}", settings.demo_bot_key
    )
    widget_tag = (
        f'<script src="{gateway_url}/widget.js" data-bot="{settings.demo_bot_key}" async></script>'
    )

    help_dir = Path(settings.demo_helpcenter_dir)
    markdown = MarkdownIt("commonmark", {"html": False})

    @app.get("/", response_class=HTMLResponse)
    async def home() -> str:
        return page

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    def article(title: str, body: str) -> str:
        return (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{title} · Orbit CRM</title><style>{_PAGE_STYLE}</style></head>"
            f"<body><p><a href='/'>← Orbit CRM help center</a></p>{body}{widget_tag}</body></html>"
        )

    @app.get("/help", response_class=HTMLResponse)
    async def help_center() -> str:
        return page

    @app.get("/{name}", response_class=HTMLResponse)
    async def stub_page(name: str) -> str:
        if name not in _STUB_PAGES:
            raise ApiError(404, "page_not_found", f"no page {name}")
        title, text = _STUB_PAGES[name]
        return article(title, f"<h1>{title}</h1><p>{text}</p>")

    @app.get("/help/{slug}", response_class=HTMLResponse)
    async def help_page(slug: str) -> str:
        path = help_dir / f"{slug}.md"
        if not _SLUG.match(slug) or not path.is_file():
            raise ApiError(404, "page_not_found", f"no help page {slug}")
        return article(f"{slug} · help", markdown.render(path.read_text()))

    return app


def main() -> None:
    settings = GatewaySettings()
    serve(build_demo_app(settings), settings.demo_host, settings.demo_port)


if __name__ == "__main__":
    main()
