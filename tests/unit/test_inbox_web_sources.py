"""What the Bots page may ask the ingest service to fetch: a well-formed public http(s) URL."""

import pytest
from pydantic import ValidationError

from baton_inbox.api.source_schemas import WebSourceCreate
from baton_inbox.source_urls import is_public_address, refuse_private_url
from baton_runtime.errors import ApiError


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://help.example.com/", "the URL must start with http:// or https://"),
        ("javascript:alert(1)", "the URL must start with http:// or https://"),
        ("help.example.com/docs", "the URL must start with http:// or https://"),
        ("https://", "not a valid URL (no host, or spaces)"),
        ("https://help example.com/", "not a valid URL (no host, or spaces)"),
    ],
)
def test_a_bad_url_is_refused_with_its_reason(url: str, reason: str) -> None:
    with pytest.raises(ValidationError) as refused:
        WebSourceCreate(kind="url", url=url)
    error = refused.value.errors()[0]
    assert (error["loc"], error["msg"]) == (("url",), reason)


def test_a_good_request_keeps_the_url_trimmed_and_limits_pages() -> None:
    body = WebSourceCreate(kind="crawl", url=" https://help.example.com/docs/ ", max_pages=50)
    assert body.url == "https://help.example.com/docs/"
    with pytest.raises(ValidationError):
        WebSourceCreate(kind="crawl", url="https://help.example.com/", max_pages=0)
    with pytest.raises(ValidationError):
        WebSourceCreate(kind="folder", url="https://help.example.com/")


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:4700::6810:85e5", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.10", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # carrier-grade NAT
        ("::1", False),
        ("fe80::1%eth0", False),
        ("fd00::1", False),
        ("224.0.0.1", False),
    ],
)
def test_only_public_addresses_pass(address: str, public: bool) -> None:
    assert is_public_address(address) is public


@pytest.mark.parametrize("url", ["http://127.0.0.1:8300/v1/", "http://[::1]/", "http://10.0.0.5/"])
async def test_urls_on_local_or_private_addresses_are_refused(url: str) -> None:
    with pytest.raises(ApiError) as refused:
        await refuse_private_url(url)
    assert (refused.value.status, refused.value.code, refused.value.field) == (
        422,
        "private_url",
        "url",
    )
