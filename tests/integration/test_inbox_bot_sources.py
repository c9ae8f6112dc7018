"""Web knowledge sources through the inbox's Bots API: a page by URL, a sitemap and a crawl
of a site served on 127.0.0.1, read by a real ingest process the inbox calls with its token."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.inbox_harness import bearer, sign_up
from tests.support.ingest_api import inbox_with_ingest, until_ended
from tests.support.isolated import IsolatedSystem
from tests.support.site import Site, serve_site

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def system() -> Iterator[IsolatedSystem]:
    with inbox_with_ingest() as isolated:
        yield isolated


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serve_site(tmp_path_factory.mktemp("site")) as served:
        yield served


@pytest.fixture
def owner(system: IsolatedSystem) -> dict[str, str]:
    _, token = sign_up(system.url("inbox"))
    return bearer(token)


def new_bot(inbox: str, owner: dict[str, str]) -> str:
    created = httpx.post(f"{inbox}/v1/bots", json={"name": "Acme help"}, headers=owner)
    assert created.status_code == 201, created.text
    bot_id: str = created.json()["id"]
    return bot_id


def add_source(bot_url: str, owner: dict[str, str], **body: Any) -> dict[str, Any]:
    """Start a web source and follow its job through the inbox until it ends."""
    started = httpx.post(f"{bot_url}/sources", json=body, headers=owner, timeout=30)
    assert started.status_code == 202, started.text
    return until_ended(
        started.json(), lambda job_id: httpx.get(f"{bot_url}/jobs/{job_id}", headers=owner).json()
    )


def test_a_page_a_sitemap_and_a_crawl_are_read_and_listed_as_sources(
    system: IsolatedSystem, owner: dict[str, str], site: Site
) -> None:
    inbox = system.url("inbox")
    bot_url = f"{inbox}/v1/bots/{new_bot(inbox, owner)}"

    page = add_source(bot_url, owner, kind="url", url=f"{site.base}/docs/import.html")
    assert page["state"] == "succeeded", page
    assert (page["progress"]["done"], page["progress"]["total"]) == (1, 1)
    crawl = add_source(bot_url, owner, kind="crawl", url=f"{site.base}/docs/", max_pages=2)
    assert crawl["state"] == "succeeded" and crawl["report"]["pages"] == 2, crawl  # the limit
    sitemap = add_source(bot_url, owner, kind="sitemap", url=f"{site.base}/sitemap.xml")
    assert sitemap["state"] == "succeeded" and sitemap["report"]["pages"] == 4, sitemap

    sources = httpx.get(f"{bot_url}/sources", headers=owner).json()["sources"]
    assert [(s["kind"], s["location"], s["pages"]) for s in sources] == [
        ("crawl", f"{site.base}/docs/", 2),
        ("sitemap", f"{site.base}/sitemap.xml", 4),
        ("url", f"{site.base}/docs/import.html", 1),
    ]
    jobs = httpx.get(f"{bot_url}/jobs", headers=owner).json()["jobs"]
    assert [j["job_id"] for j in jobs] == [sitemap["job_id"], crawl["job_id"], page["job_id"]]


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"kind": "url", "url": "ftp://help.example.test/"}, "url", "http:// or https://"),
        ({"kind": "url", "url": "help.example.test/faq"}, "url", "http:// or https://"),
        ({"kind": "crawl", "url": "https://"}, "url", "no host"),
        ({"kind": "folder", "url": "https://help.example.test/"}, "kind", "url"),
        ({"kind": "crawl", "url": "https://help.example.test/", "max_pages": 0}, "max_pages", ""),
    ],
)
def test_a_bad_source_is_refused_with_the_field_and_a_reason(
    system: IsolatedSystem, owner: dict[str, str], body: dict[str, Any], field: str, reason: str
) -> None:
    inbox = system.url("inbox")
    response = httpx.post(
        f"{inbox}/v1/bots/{new_bot(inbox, owner)}/sources", json=body, headers=owner
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["field"] == field and reason in error["message"], error


def test_another_accounts_bot_cannot_be_fed(system: IsolatedSystem, site: Site) -> None:
    inbox = system.url("inbox")
    _, theirs = sign_up(inbox)
    _, mine = sign_up(inbox)
    bot_id = new_bot(inbox, bearer(theirs))
    response = httpx.post(
        f"{inbox}/v1/bots/{bot_id}/sources",
        json={"kind": "url", "url": f"{site.base}/docs/"},
        headers=bearer(mine),
    )
    assert response.status_code == 404 and response.json()["error"]["code"] == "bot_not_found"


def test_an_inbox_with_the_wrong_ingest_token_reports_it_without_logging_anyone_out(
    system: IsolatedSystem, owner: dict[str, str]
) -> None:
    misconfigured = IsolatedSystem(
        name=system.name,
        overrides={**system.overrides, "BATON_INGEST_API_TOKEN": "not-the-ingest-token"},
    )
    misconfigured.log_dir = system.log_dir / "misconfigured"
    misconfigured.log_dir.mkdir(exist_ok=True)
    misconfigured.start("inbox")
    try:
        misconfigured.wait_ready("inbox")
        bot_id = new_bot(system.url("inbox"), owner)
        response = httpx.get(
            f"{misconfigured.url('inbox')}/v1/bots/{bot_id}/sources", headers=owner
        )
        assert response.status_code == 502, response.text
        error = response.json()["error"]
        assert (
            error["code"] == "ingest_unauthorized" and "BATON_INGEST_API_TOKEN" in error["message"]
        )
    finally:
        misconfigured.stop_all()


def test_the_bots_page_offers_web_sources(system: IsolatedSystem) -> None:
    page = httpx.get(f"{system.url('inbox')}/bots").text
    for control in ('id="url-form"', 'id="crawl-form"', 'id="crawl-max-pages"'):
        assert control in page
