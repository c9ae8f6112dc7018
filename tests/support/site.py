"""A small help site served over real HTTP on 127.0.0.1, for crawl and sitemap tests.

`/robots.txt` disallows `/docs/private/`; `/docs/` links to its pages, to the private page, to
a page outside `/docs/` and to another host. Every request path is recorded, so a test can
prove a disallowed page was never fetched.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.support.pdf import text_pdf


def page(title: str, body: str, links: str = "") -> str:
    return (
        f"<!doctype html><html><head><title>{title} | Acme help</title></head><body>"
        f"<nav><a href='/docs/'>Help home</a>{links}</nav>"
        f"<main><h1>{title}</h1>{body}</main><footer>Acme Inc.</footer></body></html>"
    )


def write_site(root: Path) -> None:
    docs = root / "docs"
    (docs / "private").mkdir(parents=True)
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /docs/private/\n")
    (docs / "index.html").write_text(
        page(
            "Acme help center",
            "<p>Start here to learn Acme.</p>",
            "<a href='import.html'>Import</a><a href='export.html#csv'>Export</a>"
            "<a href='private/secret.html'>Secret</a><a href='../about.html'>About</a>"
            "<a href='http://elsewhere.invalid/docs/x.html'>Elsewhere</a>"
            "<a href='guide.pdf'>Guide</a><a href='logo.png'>Logo</a>",
        )
    )
    (docs / "import.html").write_text(
        page(
            "Importing contacts",
            "<p>Bring your contacts in.</p><h2 id='steps'>Steps</h2>"
            "<ol><li>Open <b>Settings &gt; Import &gt; Contacts</b>.</li>"
            "<li>Upload a CSV of wombats.</li></ol>",
        )
    )
    (docs / "export.html").write_text(
        page(
            "Exporting data",
            "<h2 id='csv'>CSV</h2><p>Use <b>Settings &gt; Export</b> to download platypus data.</p>",
        )
    )
    (docs / "private" / "secret.html").write_text(page("Secret", "<p>Internal only.</p>"))
    (root / "about.html").write_text(page("About Acme", "<p>Company page.</p>"))
    (docs / "guide.pdf").write_bytes(text_pdf([["Acme quickstart guide", "Echidna setup."]]))
    (docs / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")


def write_sitemap(root: Path, base: str) -> None:
    urls = [
        f"{base}/docs/",
        f"{base}/docs/import.html",
        f"{base}/docs/export.html",
        f"{base}/docs/private/secret.html",
        f"{base}/docs/guide.pdf",
        "http://elsewhere.invalid/docs/x.html",
    ]
    entries = "".join(f"<url><loc>{url}</loc></url>" for url in urls)
    (root / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    )


@dataclass
class Site:
    root: Path
    base: str
    requested: list[str] = field(default_factory=list)


class _Handler(SimpleHTTPRequestHandler):
    def __init__(self, *args: Any, requested: list[str], **kwargs: Any) -> None:
        self._requested = requested
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        self._requested.append(self.path)
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        return None  # keep test output clean


def write_slow_site(root: Path, pages: int = 8, crawl_delay_seconds: int = 1) -> None:
    """`/docs/` links to `pages` pages; robots.txt asks for a pause between requests, so a
    crawl takes about `pages * crawl_delay_seconds` seconds (a job to stop halfway)."""
    docs = root / "docs"
    docs.mkdir(parents=True)
    (root / "robots.txt").write_text(f"User-agent: *\nCrawl-delay: {crawl_delay_seconds}\n")
    links = "".join(f"<a href='page-{n}.html'>Page {n}</a>" for n in range(pages))
    (docs / "index.html").write_text(page("Slow help", "<p>Every page, slowly.</p>", links))
    for n in range(pages):
        (docs / f"page-{n}.html").write_text(
            page(f"Topic {n}", f"<p>Topic {n} explains setting number {n}.</p>")
        )


@contextmanager
def serve_site(root: Path, write: Callable[[Path], None] = write_site) -> Iterator[Site]:
    write(root)
    requested: list[str] = []
    handler = partial(_Handler, directory=str(root), requested=requested)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    write_sitemap(root, base)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(root, base, requested)
    finally:
        server.shutdown()
        server.server_close()
