"""Which URLs a crawl follows: same site, inside the start URL's folder, pages not assets."""

import gzip
import xml.etree.ElementTree as ElementTree
from pathlib import PurePosixPath
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup

from baton_ingestion.formats import FORMATS

# Pages without a suffix ("/docs/import/") are HTML; any other suffix must be a known format.
_PAGE_SUFFIXES = set(FORMATS) | {"", ".php", ".aspx", ".asp", ".jsp", ".shtml", ".xhtml"}
_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
MAX_SITEMAP_BYTES = 50 << 20


def normalise(url: str) -> str:
    """The page's identity: no fragment; an empty path is '/'."""
    bare, _ = urldefrag(url.strip())
    parts = urlsplit(bare)
    if not parts.path:
        bare = parts._replace(path="/").geturl()
    return bare


def scope_of(start_url: str) -> str:
    """A crawl stays under the start URL's folder: /docs/intro covers /docs/..."""
    parts = urlsplit(normalise(start_url))
    folder = parts.path if parts.path.endswith("/") else parts.path.rsplit("/", 1)[0] + "/"
    return f"{parts.scheme}://{parts.netloc}{folder}"


def same_site(url: str, site_url: str) -> bool:
    a, b = urlsplit(url), urlsplit(site_url)
    return a.scheme in ("http", "https") and (a.scheme, a.netloc) == (b.scheme, b.netloc)


def looks_like_page(url: str) -> bool:
    return PurePosixPath(urlsplit(url).path).suffix.lower() in _PAGE_SUFFIXES


def page_links(html: bytes, base_url: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    base = soup.find("base", href=True)
    if base is not None:
        base_url = urljoin(base_url, str(base["href"]))
    found = []
    for anchor in soup.find_all("a", href=True):
        if "nofollow" in (anchor.get("rel") or ()):
            continue
        href = str(anchor["href"]).strip()
        if href.startswith(("mailto:", "javascript:", "tel:", "#")):
            continue
        found.append(normalise(urljoin(base_url, href)))
    return found


def sitemap_entries(body: bytes) -> tuple[list[str], list[str]]:
    """(page URLs, nested sitemap URLs) of a sitemap or sitemap index, gzipped or not."""
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)[:MAX_SITEMAP_BYTES]
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as exc:
        raise ValueError(f"not a sitemap: {exc}") from exc
    tag = root.tag.removeprefix(_SITEMAP_NS)
    locs = [
        (element.text or "").strip()
        for element in root.iter()
        if element.tag.removeprefix(_SITEMAP_NS) == "loc" and (element.text or "").strip()
    ]
    if tag == "sitemapindex":
        return [], locs
    if tag == "urlset":
        return locs, []
    raise ValueError(f"not a sitemap: root element <{tag}>")
