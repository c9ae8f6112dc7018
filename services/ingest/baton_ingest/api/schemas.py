from typing import Literal

from pydantic import Field

from baton_runtime.request_body import RequestBody


class FolderIngest(RequestBody):
    path: str = Field(min_length=1)
    base_url: str = Field(pattern=r"^https?://")


class JobCreate(RequestBody):
    """A knowledge source to read into the bot: a folder on the ingest server, or the web."""

    kind: Literal["folder", "url", "sitemap", "crawl"] = Field(
        description="folder: `location` is a path on the ingest server; url: one page; "
        "sitemap: every page the sitemap lists; crawl: pages linked from `location`."
    )
    location: str = Field(min_length=1, max_length=2000)
    base_url: str | None = Field(
        default=None, pattern=r"^https?://", description="Where a folder's pages are published."
    )
    max_pages: int = Field(default=500, ge=1, le=20_000)
