"""Web sources on the Bots page end to end: an admin crawls a site and adds a page by URL,
follows the live progress (also after reloading the page mid-crawl, from the bot's job stream),
and sees the sources listed; a bad URL is refused with its reason. Without the stream the page
falls back to polling the job."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser_inbox.conftest import log_in_as_admin
from tests.support.inbox_harness import PASSWORD, sign_up
from tests.support.ingest_api import inbox_with_ingest
from tests.support.isolated import IsolatedSystem
from tests.support.site import Site, serve_site, write_slow_site

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def inbox_and_ingest() -> Iterator[IsolatedSystem]:
    with inbox_with_ingest() as system:
        yield system


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serve_site(tmp_path_factory.mktemp("site")) as served:
        yield served


@pytest.fixture(scope="module")
def slow_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serve_site(tmp_path_factory.mktemp("slow"), write_slow_site) as served:
        yield served


def test_a_site_is_crawled_and_a_page_added_by_url_with_live_progress(
    page: Page, inbox_and_ingest: IsolatedSystem, site: Site, slow_site: Site
) -> None:
    inbox = inbox_and_ingest.url("inbox")
    email, _ = sign_up(inbox, "Acme Help")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in_as_admin(page, inbox, email, PASSWORD)
    page.goto(f"{inbox}/bots")
    page.get_by_label("New bot's name").fill("Acme help")
    page.get_by_label("Your site's address").fill("https://www.acme.test")
    page.get_by_role("button", name="Create bot").click()
    expect(page.locator("#bot-title")).to_have_text("Acme help")

    page.get_by_label("Crawl a sitemap or site").fill(f"{slow_site.base}/docs/")
    expect(page.get_by_label("Read")).to_have_value("crawl")
    page.get_by_label("Page limit").fill("5")
    page.get_by_role("button", name="Crawl").click()
    expect(page.locator("#job")).to_have_attribute("data-state", "running")
    page.reload()  # the job lives in the ingest service: the page picks it up again
    expect(page.locator("#job-status")).to_contain_text("Reading")
    expect(page.locator("#job")).to_have_attribute("data-state", "succeeded", timeout=60_000)
    expect(page.locator("#job-status")).to_contain_text("Done: 5 of 5 pages")
    expect(page.locator("#job")).to_have_attribute("data-via", "stream")  # not a poll
    expect(page.locator("#sources")).to_contain_text(f"{slow_site.base}/docs/")

    page.get_by_label("Crawl a sitemap or site").fill(f"{site.base}/sitemap.xml")
    expect(page.get_by_label("Read")).to_have_value("sitemap")  # chosen from the .xml
    page.get_by_label("Add a page by URL").fill(f"{site.base}/docs/import.html")
    page.get_by_role("button", name="Add page").click()
    expect(page.locator("#sources tr")).to_have_count(2, timeout=60_000)
    expect(page.locator("#sources")).to_contain_text(f"{site.base}/docs/import.html")
    expect(page.get_by_label("Add a page by URL")).to_have_value("")

    page.get_by_label("Add a page by URL").fill("ftp://files.example.test/faq")
    page.get_by_role("button", name="Add page").click()
    expect(page.locator("#url-page-error")).to_have_text(
        "The URL must start with http:// or https://."
    )
    assert not errors, errors


def test_without_the_job_stream_the_page_still_follows_a_job_by_polling(
    page: Page, inbox_and_ingest: IsolatedSystem, site: Site
) -> None:
    inbox = inbox_and_ingest.url("inbox")
    email, _ = sign_up(inbox, "Acme Offline")
    page.route("**/jobs/stream", lambda route: route.abort())  # a proxy that cuts SSE, say
    log_in_as_admin(page, inbox, email, PASSWORD)
    page.goto(f"{inbox}/bots")
    page.get_by_label("New bot's name").fill("Acme help")
    page.get_by_label("Your site's address").fill("https://www.acme.test")
    page.get_by_role("button", name="Create bot").click()
    expect(page.locator("#bot-title")).to_have_text("Acme help")
    expect(page.locator("body")).to_have_attribute("data-job-stream", "down")

    page.get_by_label("Add a page by URL").fill(f"{site.base}/docs/import.html")
    page.get_by_role("button", name="Add page").click()
    expect(page.locator("#job")).to_have_attribute("data-state", "succeeded", timeout=60_000)
    expect(page.locator("#job")).to_have_attribute("data-via", "poll")
    expect(page.locator("#job-status")).to_contain_text("Done: 1 of 1 pages")
    expect(page.locator("#sources")).to_contain_text(f"{site.base}/docs/import.html")
