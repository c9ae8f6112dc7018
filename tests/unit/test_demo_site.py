"""The demo customer site: every link of its pages leads to a page, none to an error."""

import re

from fastapi.testclient import TestClient

from baton_gateway.demo_site import build_demo_app
from baton_gateway.settings import GatewaySettings
from tests.support.isolated import ROOT


def test_every_link_of_the_demo_site_leads_to_a_page() -> None:
    settings = GatewaySettings(
        token_secret="unit-test-secret", demo_helpcenter_dir=str(ROOT / "demo" / "helpcenter")
    )
    with TestClient(build_demo_app(settings)) as client:
        home = client.get("/")
        assert home.status_code == 200
        links = set(re.findall(r'href="(/[^"]*)"', home.text))
        assert {"/status", "/pricing", "/help", "/help/getting-started"} <= links
        for link in sorted(links):
            page = client.get(link)
            assert page.status_code == 200, link
            assert page.headers["content-type"].startswith("text/html"), link
        assert client.get("/no-such-page").status_code == 404
