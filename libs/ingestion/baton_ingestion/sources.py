"""Knowledge sources and the pages they yield.

A bot's knowledge is a set of sources (a folder, an upload, a URL, a sitemap, a crawled site).
Every chunk records its source's `origin`, so re-ingesting one source replaces and prunes only
its own pages, and a source can be deleted whole.
"""

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from baton_retrieval.chunks import Document


class SourceKind(StrEnum):
    FOLDER = "folder"
    UPLOAD = "upload"
    URL = "url"
    SITEMAP = "sitemap"
    CRAWL = "crawl"


@dataclass(frozen=True)
class KnowledgeSource:
    kind: SourceKind
    location: str  # a folder's absolute path, an upload's name, a URL

    @property
    def origin(self) -> str:
        return f"{self.kind.value}:{self.location}"

    @property
    def source_id(self) -> str:
        return source_id(self.origin)

    @classmethod
    def from_origin(cls, origin: str) -> "KnowledgeSource | None":
        kind, _, location = origin.partition(":")
        if kind not in SourceKind.__members__.values() or not location:
            return None
        return cls(SourceKind(kind), location)


def folder_source(folder: Path) -> KnowledgeSource:
    return KnowledgeSource(SourceKind.FOLDER, str(folder.absolute()))


def source_id(origin: str) -> str:
    """A short stable id for URLs and the API: a hash of the origin."""
    return hashlib.sha256(origin.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Page:
    """One page read from a source: its document, or why it could not be read."""

    source: str  # the page's key within its source: a relative path or its URL
    url: str  # where visitors open it
    document: Document | None = None
    error: str | None = None
    gone: bool = False  # the site answered 404/410: the page was removed, so prune it


@dataclass(frozen=True)
class Progress:
    done: int
    total: int | None  # None while a crawl has not finished discovering pages
    source: str
