"""Web sources against a real local HTTP server: a crawl, a sitemap, a single URL.

robots.txt is obeyed (the disallowed page is never requested), the crawl stays on the site and
under the start folder, the page limit holds, and re-ingest writes only what changed. The site
is on 127.0.0.1, so these ingests allow private addresses, except the one that proves the guard.
"""

import asyncio

import pytest

from baton_ingestion.pipeline import IngestReport, WebOptions, ingest_web
from baton_ingestion.sources import KnowledgeSource, SourceKind
from baton_ingestion.web.fetch import FetchError
from baton_retrieval.embedder import Embedder
from baton_retrieval.store import Hit, KnowledgeStore
from tests.support.infra import infra
from tests.support.site import Site

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


def ingest(
    embedder: Embedder,
    bot_id: str,
    kind: SourceKind,
    url: str,
    max_pages: int = 50,
    *,
    allow_private_urls: bool = True,
) -> IngestReport:
    async def go() -> IngestReport:
        store = await KnowledgeStore.connect(infra().chroma_host, infra().chroma_port)
        source = KnowledgeSource(kind, url)
        options = WebOptions(
            max_pages=max_pages, concurrency=3, allow_private_urls=allow_private_urls
        )
        return await ingest_web(store, embedder, bot_id, source, options)

    return asyncio.run(go())


def chunks(bot_id: str) -> list[Hit]:
    async def go() -> list[Hit]:
        store = await KnowledgeStore.connect(infra().chroma_host, infra().chroma_port)
        return (await store.all_chunks(bot_id))[1]

    return asyncio.run(go())


def test_crawl_obeys_robots_stays_on_the_site_and_tracks_changes(
    site: Site, embedder: Embedder, bot_id: str
) -> None:
    start = f"{site.base}/docs/"
    report = ingest(embedder, bot_id, SourceKind.CRAWL, start)
    pages = {hit.source for hit in chunks(bot_id)}
    assert pages == {
        start,
        f"{site.base}/docs/import.html",
        f"{site.base}/docs/export.html",
        f"{site.base}/docs/guide.pdf",
    }
    assert report.skipped == [f"{site.base}/docs/private/secret.html"]
    assert "/docs/private/secret.html" not in site.requested
    assert "/about.html" not in site.requested and "/docs/logo.png" not in site.requested
    assert site.requested[0] == "/robots.txt" and site.requested.count("/robots.txt") == 1
    steps = next(hit for hit in chunks(bot_id) if "wombats" in hit.text)
    assert steps.url == f"{site.base}/docs/import.html#steps"
    assert steps.heading == "Importing contacts > Steps" and "Acme Inc." not in steps.text

    again = ingest(embedder, bot_id, SourceKind.CRAWL, start)
    assert (again.chunks_written, again.chunks_deleted, again.unchanged_pages) == (0, 0, 4)

    export = site.root / "docs/export.html"
    export.write_text(export.read_text().replace("platypus", "narwhal"))
    (site.root / "docs/import.html").unlink()
    index = site.root / "docs/index.html"
    index.write_text(index.read_text().replace("<a href='import.html'>Import</a>", ""))
    changed = ingest(embedder, bot_id, SourceKind.CRAWL, start)
    assert changed.chunks_written >= 1 and changed.chunks_deleted >= 2
    texts = " ".join(hit.text for hit in chunks(bot_id))
    assert "narwhal" in texts and "platypus" not in texts and "wombats" not in texts


def test_crawl_stops_at_the_page_limit(site: Site, embedder: Embedder, bot_id: str) -> None:
    report = ingest(embedder, bot_id, SourceKind.CRAWL, f"{site.base}/docs/", max_pages=2)
    assert report.pages == 2
    assert len({hit.source for hit in chunks(bot_id)}) == 2


def test_sitemap_reads_the_listed_pages_of_its_own_site(
    site: Site, embedder: Embedder, bot_id: str
) -> None:
    report = ingest(embedder, bot_id, SourceKind.SITEMAP, f"{site.base}/sitemap.xml")
    assert report.pages == 4 and not report.errors
    assert set(report.skipped) == {
        f"{site.base}/docs/private/secret.html",
        "http://elsewhere.invalid/docs/x.html",
    }
    assert "/docs/private/secret.html" not in site.requested

    (site.root / "docs/export.html").unlink()  # still listed, now 404: removed from the bot
    gone = ingest(embedder, bot_id, SourceKind.SITEMAP, f"{site.base}/sitemap.xml")
    assert gone.errors == {f"{site.base}/docs/export.html": "HTTP 404"}
    assert f"{site.base}/docs/export.html" not in {hit.source for hit in chunks(bot_id)}


def test_a_single_url_and_an_unreachable_one(site: Site, embedder: Embedder, bot_id: str) -> None:
    report = ingest(embedder, bot_id, SourceKind.URL, f"{site.base}/docs/export.html#csv")
    assert report.pages == 1
    assert {hit.url for hit in chunks(bot_id)} == {f"{site.base}/docs/export.html#csv"}
    closed = ingest(embedder, bot_id, SourceKind.URL, "http://127.0.0.1:9/docs/x.html")
    assert closed.pages == 0 and not closed.skipped
    assert closed.errors == {"http://127.0.0.1:9/docs/x.html": "site unreachable: ConnectError"}
    assert len(chunks(bot_id)) == 1  # the other source is untouched


def test_with_private_addresses_refused_each_page_says_why_and_nothing_is_requested(
    site: Site, embedder: Embedder, bot_id: str
) -> None:
    refusal = "refused: 127.0.0.1 is a loopback address"
    urls = [f"{site.base}/docs/", f"{site.base}/docs/import.html"]
    for kind, url in zip((SourceKind.CRAWL, SourceKind.URL), urls, strict=True):
        report = ingest(embedder, bot_id, kind, url, allow_private_urls=False)
        assert (report.pages, report.errors, report.skipped) == (0, {url: refusal}, [])
    named = f"http://localhost:{site.base.rsplit(':', 1)[1]}/docs/"
    report = ingest(embedder, bot_id, SourceKind.CRAWL, named, allow_private_urls=False)
    assert report.errors[named].startswith("refused: localhost resolves to ")
    assert report.errors[named].endswith(", a loopback address")
    with pytest.raises(FetchError, match=f"sitemap.xml: {refusal}$"):
        ingest(
            embedder,
            bot_id,
            SourceKind.SITEMAP,
            f"{site.base}/sitemap.xml",
            allow_private_urls=False,
        )
    assert site.requested == [] and chunks(bot_id) == []
