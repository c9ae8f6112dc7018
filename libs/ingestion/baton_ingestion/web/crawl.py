"""Pages from the web for one knowledge source: a single URL, a sitemap, or a crawl.

A crawl reads pages breadth-first from the start URL, in waves of at most `concurrency`
requests, following links that stay on the site and under the start URL's folder, until the
page limit. Every URL is checked against robots.txt first; disallowed ones are reported as
skipped, never fetched.
"""

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from baton_ingestion.formats import UnreadableFile, format_for, read_document
from baton_ingestion.sources import Page
from baton_ingestion.web.fetch import DISALLOWED, Fetched, FetchError, PoliteClient
from baton_ingestion.web.links import (
    looks_like_page,
    normalise,
    page_links,
    same_site,
    scope_of,
    sitemap_entries,
)

MAX_SITEMAPS = 50


@dataclass
class CrawlState:
    """What the crawl has seen; `discovered` feeds the progress total."""

    max_pages: int
    discovered: int = 0
    skipped: list[str] = field(default_factory=list)

    def total(self) -> int | None:
        return min(self.discovered, self.max_pages)


def _page(fetched: Fetched, requested: str) -> Page:
    url = normalise(requested)
    kind = format_for(fetched.url, fetched.content_type)
    if kind is None:
        return Page(url, url, error=f"unsupported content type: {fetched.content_type or '?'}")
    try:
        return Page(url, url, document=read_document(url, fetched.body, kind))
    except UnreadableFile as exc:
        return Page(url, url, error=str(exc))


async def _read(client: PoliteClient, url: str) -> tuple[Page, Fetched | None]:
    try:
        fetched = await client.fetch(url)
    except FetchError as exc:
        return Page(url, url, error=str(exc), gone=exc.status in (404, 410)), None
    if not same_site(fetched.url, url):
        return Page(url, url, error=f"redirected off the site to {fetched.url}"), None
    page = await asyncio.to_thread(_page, fetched, url)
    return page, fetched


async def read_urls(
    client: PoliteClient,
    urls: list[str],
    state: CrawlState,
    *,
    follow: Callable[[str], bool] | None = None,
    concurrency: int = 4,
) -> AsyncIterator[Page]:
    """Fetch `urls` (and, with `follow`, the links it accepts) up to the page limit."""
    seen: set[str] = set()
    frontier: list[str] = []
    for url in map(normalise, urls):
        if url not in seen:
            seen.add(url)
            frontier.append(url)
    state.discovered = len(frontier)
    fetched_count = 0
    while frontier and fetched_count < state.max_pages:
        wave: list[str] = []
        refused: list[Page] = []
        while frontier and len(wave) < concurrency and fetched_count + len(wave) < state.max_pages:
            url = frontier.pop(0)
            refusal = await client.refusal(url)
            if refusal is None:
                wave.append(url)
            elif refusal == DISALLOWED:
                state.skipped.append(url)
                state.discovered -= 1
            else:
                refused.append(Page(url, url, error=refusal))
        fetched_count += len(wave) + len(refused)
        for page in refused:
            yield page
        results = await asyncio.gather(*(_read(client, url) for url in wave))
        for page, fetched in results:
            if follow is not None and fetched is not None and "html" in fetched.content_type:
                for link in page_links(fetched.body, fetched.url):
                    if link not in seen and follow(link):
                        seen.add(link)
                        frontier.append(link)
                        state.discovered += 1
            yield page


async def crawl_pages(
    client: PoliteClient, start_url: str, state: CrawlState, *, concurrency: int = 4
) -> AsyncIterator[Page]:
    scope = scope_of(start_url)

    def follow(url: str) -> bool:
        return url.startswith(scope) and looks_like_page(url)

    async for page in read_urls(client, [start_url], state, follow=follow, concurrency=concurrency):
        yield page


async def sitemap_urls(client: PoliteClient, sitemap_url: str, state: CrawlState) -> list[str]:
    """Every page URL of the sitemap (and of the sitemaps it indexes) on the sitemap's site."""
    pages: list[str] = []
    pending, read = [sitemap_url], 0
    while pending and read < MAX_SITEMAPS and len(pages) < state.max_pages:
        url = pending.pop(0)
        read += 1
        refusal = await client.refusal(url)
        if refusal == DISALLOWED:
            state.skipped.append(url)
            continue
        if refusal is not None:
            raise FetchError(f"{url}: {refusal}")
        fetched = await client.fetch(url)  # a FetchError here fails the job: no sitemap, no pages
        found, nested = sitemap_entries(fetched.body)
        for page in found:
            if same_site(page, sitemap_url):
                pages.append(page)
            else:
                state.skipped.append(page)
        pending += [nested_url for nested_url in nested if same_site(nested_url, sitemap_url)]
    return list(dict.fromkeys(pages))
