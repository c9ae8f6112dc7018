"""The shift digest over the real MongoDB-protocol server and a real SMTP sink."""

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from baton_inbox.adapters.accounts import AccountStore
from baton_inbox.adapters.digests import DigestStore
from baton_inbox.digest_job import send_due_digests
from baton_inbox.mail.sender import SmtpMailSender
from baton_inbox.settings import InboxSettings
from tests.integration.conftest import DEMO_ORIGIN, Seeded
from tests.integration.test_escalations import thread, wait_for
from tests.support.inbox_harness import MailSink
from tests.support.infra import infra
from tests.support.widget import Visitor

pytestmark = pytest.mark.integration


async def run_digest(settings: InboxSettings, now: datetime) -> int:
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(settings.mongo_url, tz_aware=True)
    try:
        return await send_due_digests(
            now,
            settings,
            DigestStore(mongo, settings.mongo_db),
            AccountStore(mongo, settings.mongo_db),
            SmtpMailSender(settings),
        )
    finally:
        await mongo.close()


def test_overnight_escalations_reach_every_teammate_once(seeded: Seeded, tmp_path: Path) -> None:
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key, name="Night Owl")
    visitor.send("I need to speak with a human about my invoice")
    wait_for(lambda: (t := thread(seeded, visitor.thread_id)) and t.get("needs_human"))

    sink = MailSink.start(tmp_path / "mail")
    try:
        now = datetime.now(UTC) + timedelta(hours=1)
        settings = InboxSettings(
            token_secret="digest-test",
            mongo_url=infra().mongo_url,
            mongo_db=seeded.system.mongo_db,
            inbox_smtp_port=sink.port,
            inbox_digest_hour_utc=now.hour,
            inbox_public_url="https://inbox.test",
        )
        sent = asyncio.run(run_digest(settings, now))
        assert sent >= 1
        mail = sink.wait_for(seeded.staff_email, "escalated overnight")
        body = mail.get_content()
        assert "Night Owl" in body and "still waiting" in body
        assert f"https://inbox.test/#thread={visitor.thread_id}" in body
        assert asyncio.run(run_digest(settings, now)) == 0, "the same digest went out twice"
    finally:
        sink.stop()
