"""A customer's site for browser tests: pages on their own origin that embed the widget.

`/hostile` fights the widget with the worst CSS a host page can have; `/page` is a plain page
whose query becomes the tag's data attributes (`?bot=KEY&user-id=42&user-hash=...`).
"""

import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HOSTILE_CSS = """
* { all: unset !important; }
html, body { display: block !important; transform: translateZ(0) !important;
  font-size: 7px !important; line-height: 3 !important; color: lime !important; }
div, button, span, form, input, textarea { display: none !important; }
body::after { content: "" !important; }
.cover { display: block !important; position: fixed !important; inset: 0 !important;
  z-index: 2147483647 !important; background: rgba(255, 0, 0, .08) !important; }
.corner { display: block !important; position: fixed !important; right: 0 !important;
  bottom: 0 !important; width: 420px !important; height: 700px !important;
  z-index: 2147483647 !important; background: #fc0 !important; }
"""


class HostPages:
    def __init__(self, gateway: str, bot_key: str) -> None:
        self.gateway = gateway
        self.bot_key = bot_key
        pages = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urlsplit(self.path)
                body = pages.render(url.path, parse_qs(url.query))
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write((body or "not found").encode())

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep test output clean

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"{self.origin}{path}"

    def widget_tag(self, data: dict[str, str]) -> str:
        data = {"bot": self.bot_key, **data}
        attrs = "".join(f' data-{key}="{html.escape(value)}"' for key, value in data.items())
        return f'<script src="{self.gateway}/widget.js"{attrs} async></script>'

    def render(self, path: str, query: dict[str, list[str]]) -> str | None:
        data = {key: values[0] for key, values in query.items() if values}
        if path == "/hostile":
            # The overlays come after the widget's tag in the page, the last word in a
            # z-index tie; the script adds one more after the widget has mounted.
            return (
                f"<!doctype html><html><head><style>{HOSTILE_CSS}</style></head><body>"
                "<h1>Hostile host</h1>"
                f"{self.widget_tag(data)}<div class='cover'></div><div class='corner'></div>"
                "<script>setTimeout(() => { const d = document.createElement('div');"
                " d.className = 'corner'; d.id = 'late-corner'; document.body.appendChild(d); },"
                " 300);</script></body></html>"
            )
        if path == "/page":
            return (
                "<!doctype html><html><head><title>Customer app</title></head><body>"
                f"<h1>Customer app</h1>{self.widget_tag(data)}</body></html>"
            )
        return None

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
