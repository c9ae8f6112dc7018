"""Which URLs a crawl follows, and how sitemaps read."""

import gzip

import pytest

from baton_cli.ingest_cmd import source_for
from baton_ingestion.sources import KnowledgeSource, SourceKind
from baton_ingestion.web.links import (
    looks_like_page,
    normalise,
    page_links,
    same_site,
    scope_of,
    sitemap_entries,
)


def test_scope_is_the_start_folder_and_pages_are_not_assets() -> None:
    assert scope_of("https://h.test/docs/intro") == "https://h.test/docs/"
    assert scope_of("https://h.test/docs/") == "https://h.test/docs/"
    assert scope_of("https://h.test") == "https://h.test/"
    assert normalise("https://h.test/a.html#x") == "https://h.test/a.html"
    assert same_site("https://h.test/x", "https://h.test/docs/")
    assert not same_site("https://other.test/x", "https://h.test/")
    assert not same_site("http://h.test/x", "https://h.test/")
    assert looks_like_page("https://h.test/docs/") and looks_like_page("https://h.test/a.pdf")
    assert not looks_like_page("https://h.test/logo.png")


def test_links_resolve_against_base_and_skip_nofollow_and_mail() -> None:
    html = (
        b"<base href='https://h.test/docs/'><a href='a.html#top'>A</a>"
        b"<a rel='nofollow' href='b.html'>B</a><a href='mailto:x@h.test'>M</a><a href='#s'>S</a>"
    )
    assert page_links(html, "https://h.test/other/") == ["https://h.test/docs/a.html"]


def test_sitemaps_and_indexes_plain_or_gzipped() -> None:
    urlset = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc> https://h.test/a </loc></url><url><loc>https://h.test/b</loc></url></urlset>"
    )
    assert sitemap_entries(urlset) == (["https://h.test/a", "https://h.test/b"], [])
    index = (
        b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>https://h.test/s1.xml</loc></sitemap></sitemapindex>"
    )
    assert sitemap_entries(gzip.compress(index)) == ([], ["https://h.test/s1.xml"])
    with pytest.raises(ValueError, match="not a sitemap"):
        sitemap_entries(b"<html><body>hi</body></html>")


def test_the_cli_target_picks_the_source_kind() -> None:
    assert source_for("https://h.test/sitemap.xml", crawl=False, sitemap=False).kind == "sitemap"
    assert source_for("https://h.test/docs/", crawl=True, sitemap=False).kind == "crawl"
    assert source_for("https://h.test/docs/a", crawl=False, sitemap=False).kind == "url"
    folder = source_for("docs", crawl=False, sitemap=False)
    assert folder.kind is SourceKind.FOLDER and folder.location.endswith("/docs")
    assert KnowledgeSource.from_origin(folder.origin) == folder
    assert KnowledgeSource.from_origin("bogus") is None
