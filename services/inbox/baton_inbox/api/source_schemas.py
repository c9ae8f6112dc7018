"""The schema of a web knowledge source added on the staff API (`WebSourceCreate`)."""

from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from baton_runtime.request_body import RequestBody

MAX_CRAWL_PAGES = 2000  # the ingest service's own cap (BATON_INGEST_MAX_PAGES) may be lower


class WebSourceCreate(RequestBody):
    """A page, a sitemap or a site for the ingest service to read into the bot."""

    kind: Literal["url", "sitemap", "crawl"] = Field(
        description="url: this one page; sitemap: every page the sitemap lists on its site; "
        "crawl: pages linked from this one, on its site and under its folder."
    )
    url: str = Field(min_length=1, max_length=2000)
    max_pages: int = Field(
        default=100, ge=1, le=MAX_CRAWL_PAGES, description="Page limit of a sitemap or crawl."
    )

    @field_validator("url")
    @classmethod
    def _web_url(cls, value: str) -> str:
        value = value.strip()
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https"):
            raise PydanticCustomError("url_scheme", "the URL must start with http:// or https://")
        if not parts.hostname or any(char.isspace() for char in value):
            raise PydanticCustomError("url_invalid", "not a valid URL (no host, or spaces)")
        return value
