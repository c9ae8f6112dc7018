"""The Bots API of the inbox (/v1/bots): settings scoped to the account, admins-only writes,
and knowledge uploads through a real ingest process."""

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.inbox_harness import MailSink, bearer, invite_and_accept_on, sign_up
from tests.support.ingest_api import until_ended
from tests.support.isolated import IsolatedSystem, free_port

pytestmark = pytest.mark.integration


@dataclass
class BotsSystem:
    system: IsolatedSystem
    sink: MailSink

    @property
    def inbox(self) -> str:
        return self.system.url("inbox")


@pytest.fixture(scope="module")
def bots_system() -> Iterator[BotsSystem]:
    """An inbox wired to its own ingest process and mail sink (no gateway needed here)."""
    sink = MailSink.start(Path(tempfile.mkdtemp(prefix="baton-mail-")) / "mail")
    system = IsolatedSystem()
    system.ports["ingest"] = free_port()
    system.overrides.update(
        {
            "BATON_INBOX_INGEST_URL": system.url("ingest"),
            "BATON_INBOX_GATEWAY_PUBLIC_URL": "https://chat.example.test",
            "BATON_INBOX_SMTP_PORT": str(sink.port),
            "BATON_INBOX_DIGEST_ENABLED": "false",
        }
    )
    try:
        system.start("ingest")
        system.start("inbox")
        system.wait_ready("ingest", "inbox")
        yield BotsSystem(system, sink)
    finally:
        system.discard()
        sink.stop()


def create_bot(inbox: str, token: str, name: str = "Help center") -> dict[str, Any]:
    response = httpx.post(f"{inbox}/v1/bots", json={"name": name}, headers=bearer(token))
    assert response.status_code == 201, response.text
    bot: dict[str, Any] = response.json()
    return bot


def test_an_admin_creates_a_bot_and_gets_its_embed_snippet(bots_system: BotsSystem) -> None:
    _, owner = sign_up(bots_system.inbox)
    bot = create_bot(bots_system.inbox, owner, "Orbit help")
    assert bot["name"] == "Orbit help" and bot["bot_key"].startswith("bot_")
    assert bot["allowed_origins"] == [] and bot["identity_verification"] is False
    assert bot["answerer"] is None  # the agent's default until an admin chooses
    assert bot["embed_snippet"] == (
        f'<script src="https://chat.example.test/widget.js" data-bot="{bot["bot_key"]}" '
        "async></script>"
    )
    listed = httpx.get(f"{bots_system.inbox}/v1/bots", headers=bearer(owner)).json()["bots"]
    assert [b["id"] for b in listed] == [bot["id"]]


def test_a_bot_created_with_its_site_address_allows_that_origin(bots_system: BotsSystem) -> None:
    _, owner = sign_up(bots_system.inbox)
    created = httpx.post(
        f"{bots_system.inbox}/v1/bots",
        json={"name": "Shop help", "site_address": " https://Shop.Example.test:8443/pricing?x=1 "},
        headers=bearer(owner),
    )
    assert created.status_code == 201, created.text
    assert created.json()["allowed_origins"] == ["https://shop.example.test:8443"]
    refused = httpx.post(
        f"{bots_system.inbox}/v1/bots",
        json={"name": "Shop help", "site_address": "shop.example.test"},
        headers=bearer(owner),
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "site_address"


def test_settings_are_updated_and_read_back(bots_system: BotsSystem) -> None:
    _, owner = sign_up(bots_system.inbox)
    bot = create_bot(bots_system.inbox, owner)
    url = f"{bots_system.inbox}/v1/bots/{bot['id']}"
    changed = httpx.patch(
        url,
        json={
            "allowed_origins": ["https://www.example.test/", "http://localhost:8600"],
            "prechat_fields": [{"field": "email", "required": True}, {"field": "name"}],
            "sensitive_topics": ["refunds", "legal"],
            "handback_idle_seconds": 900,
            "answerer": "generative",
            "display_name": "Orbit",
            "greeting": "Hi there",
            "accent_color": "#112233",
        },
        headers=bearer(owner),
    )
    assert changed.status_code == 200, changed.text
    fresh = httpx.get(url, headers=bearer(owner)).json()
    assert fresh["allowed_origins"] == ["http://localhost:8600", "https://www.example.test"]
    assert fresh["prechat_fields"] == [
        {"field": "email", "required": True},
        {"field": "name", "required": False},
    ]
    assert fresh["sensitive_topics"] == ["refunds", "legal"]
    assert fresh["handback_idle_seconds"] == 900
    assert fresh["answerer"] == "generative"
    assert (fresh["display_name"], fresh["greeting"], fresh["accent_color"]) == (
        "Orbit",
        "Hi there",
        "#112233",
    )
    # Only what is sent changes; an emptied greeting is removed.
    httpx.patch(url, json={"greeting": ""}, headers=bearer(owner)).raise_for_status()
    again = httpx.get(url, headers=bearer(owner)).json()
    assert again["greeting"] is None and again["display_name"] == "Orbit"
    assert again["answerer"] == "generative"
    # null hands the choice back to the agent's default (BATON_AGENT_ANSWERER)
    httpx.patch(url, json={"answerer": None}, headers=bearer(owner)).raise_for_status()
    assert httpx.get(url, headers=bearer(owner)).json()["answerer"] is None
    refused = httpx.patch(url, json={"answerer": "poetic"}, headers=bearer(owner))
    assert refused.status_code == 422
    assert refused.json()["error"] == {
        "code": "invalid_request",
        "message": "Input should be 'extractive' or 'generative'",
        "field": "answerer",
    }

    rotated = httpx.post(f"{url}/identity-secret", headers=bearer(owner))
    assert rotated.status_code == 200, rotated.text
    secret = rotated.json()["identity_secret"]
    assert len(secret) == 64 and rotated.json()["bot"]["identity_verification"] is True
    second = httpx.post(f"{url}/identity-secret", headers=bearer(owner)).json()
    assert second["identity_secret"] != secret
    assert secret not in httpx.get(url, headers=bearer(owner)).text


def test_another_accounts_bot_is_not_found(bots_system: BotsSystem) -> None:
    _, owner = sign_up(bots_system.inbox)
    _, stranger = sign_up(bots_system.inbox)
    bot = create_bot(bots_system.inbox, owner)
    url = f"{bots_system.inbox}/v1/bots/{bot['id']}"
    for method, path, body in (
        ("GET", "", None),
        ("PATCH", "", {"greeting": "mine now"}),
        ("POST", "/identity-secret", None),
        ("GET", "/sources", None),
    ):
        response = httpx.request(method, url + path, json=body, headers=bearer(stranger))
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["error"]["code"] == "bot_not_found"
    assert httpx.get(f"{bots_system.inbox}/v1/bots", headers=bearer(stranger)).json() == {
        "bots": []
    }
    assert httpx.get(url, headers=bearer(owner)).json()["greeting"] is None


def test_agents_see_bots_but_cannot_change_them(bots_system: BotsSystem) -> None:
    _, owner = sign_up(bots_system.inbox)
    bot = create_bot(bots_system.inbox, owner)
    _, agent = invite_and_accept_on(bots_system.inbox, bots_system.sink, owner, role="agent")
    url = f"{bots_system.inbox}/v1/bots"
    assert httpx.get(f"{url}/{bot['id']}", headers=bearer(agent)).status_code == 200
    for method, path, body in (
        ("POST", "", {"name": "Mine"}),
        ("PATCH", f"/{bot['id']}", {"greeting": "hello"}),
        ("POST", f"/{bot['id']}/identity-secret", None),
    ):
        response = httpx.request(method, url + path, json=body, headers=bearer(agent))
        assert response.status_code == 403, (method, path, response.text)
    uploaded = httpx.post(
        f"{url}/{bot['id']}/uploads",
        data={"base_url": "https://docs.example.test/"},
        files=[("files", ("a.md", b"# A\n\ntext", "text/markdown"))],
        headers=bearer(agent),
    )
    assert uploaded.status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"allowed_origins": ["https://example.test/path"]}, "allowed_origins.0"),
        ({"accent_color": "red"}, "accent_color"),
        ({"prechat_fields": [{"field": "phone"}]}, "prechat_fields.0.field"),
        ({"handback_idle_seconds": 5}, "handback_idle_seconds"),
        ({"sensitive_topics": [""]}, "sensitive_topics.0"),
        ({"answerer": "poetic"}, "answerer"),
        ({"answerer": ""}, "answerer"),
        ({"bot_key": "mine"}, "bot_key"),
    ],
)
def test_bad_settings_are_refused_with_the_field(
    bots_system: BotsSystem, body: dict[str, Any], field: str
) -> None:
    _, owner = sign_up(bots_system.inbox)
    bot = create_bot(bots_system.inbox, owner)
    response = httpx.patch(
        f"{bots_system.inbox}/v1/bots/{bot['id']}", json=body, headers=bearer(owner)
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == field
    assert response.json()["error"]["message"]  # the reason, not just the field


def test_a_bot_needs_a_name(bots_system: BotsSystem) -> None:
    _, owner = sign_up(bots_system.inbox)
    response = httpx.post(
        f"{bots_system.inbox}/v1/bots", json={"name": "  "}, headers=bearer(owner)
    )
    assert response.status_code == 422 and response.json()["error"]["field"] == "name"


def test_uploaded_pages_are_ingested_listed_and_deleted(bots_system: BotsSystem) -> None:
    _, owner = sign_up(bots_system.inbox)
    bot = create_bot(bots_system.inbox, owner)
    url = f"{bots_system.inbox}/v1/bots/{bot['id']}"
    started = httpx.post(
        f"{url}/uploads",
        data={"base_url": "https://docs.example.test/help/", "name": "help pages"},
        files=[
            (
                "files",
                ("import.md", b"# Importing\n\nUpload a CSV file of contacts.", "text/markdown"),
            ),
            (
                "files",
                ("export.md", b"# Exporting\n\nDownload your deals as CSV.", "text/markdown"),
            ),
        ],
        headers=bearer(owner),
        timeout=30,
    )
    assert started.status_code == 202, started.text
    job = until_ended(
        started.json(),
        lambda job_id: httpx.get(f"{url}/jobs/{job_id}", headers=bearer(owner)).json(),
    )
    assert job["state"] == "succeeded", job
    assert job["progress"]["done"] == job["progress"]["total"] == 2

    sources = httpx.get(f"{url}/sources", headers=bearer(owner)).json()["sources"]
    assert [(s["kind"], s["location"], s["pages"]) for s in sources] == [
        ("upload", "help pages", 2)
    ]
    bad = httpx.post(
        f"{url}/uploads",
        data={"base_url": "https://docs.example.test/"},
        files=[("files", ("tool.exe", b"MZ", "application/octet-stream"))],
        headers=bearer(owner),
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "files"

    deleted = httpx.delete(f"{url}/sources/{sources[0]['source_id']}", headers=bearer(owner))
    assert deleted.status_code == 200, deleted.text
    assert httpx.get(f"{url}/sources", headers=bearer(owner)).json()["sources"] == []


def test_the_bots_page_is_served_with_a_strict_content_security_policy(
    bots_system: BotsSystem,
) -> None:
    page = httpx.get(f"{bots_system.inbox}/bots")
    assert page.status_code == 200
    assert '<script type="module" src="/static/bots.js">' in page.text
    assert "<script>" not in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    script = httpx.get(f"{bots_system.inbox}/static/bots.js")
    assert script.status_code == 200 and "innerHTML" not in script.text
