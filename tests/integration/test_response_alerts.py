"""The response target over the real stack: an escalation gets its due time, each threshold
(80%, then the breach) is alerted once even with two inbox replicas checking at the same
instant, by e-mail to the account's alert recipients; a teammate's reply stops the clock.
The checks are given their instant; the escalation itself comes from a real visitor."""

import asyncio
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from pymongo import AsyncMongoClient

from baton_inbox.adapters.account_settings import AccountSettingsStore
from baton_inbox.adapters.accounts import AccountStore
from baton_inbox.adapters.response_clock import ResponseClockStore
from baton_inbox.api.account_settings_schemas import AccountSettings
from baton_inbox.live.publisher import LivePublisher
from baton_inbox.mail.sender import SmtpMailSender
from baton_inbox.response_alert_job import ResponseAlerts
from baton_inbox.response_clock import ResponseStage
from baton_inbox.settings import InboxSettings
from baton_runtime.settings import CommonSettings
from baton_runtime.stores import connect_redis
from tests.integration.conftest import DEMO_ORIGIN, Seeded
from tests.integration.test_escalations import thread, wait_for
from tests.support.account_settings import set_account_settings
from tests.support.inbox_harness import MailSink
from tests.support.infra import infra
from tests.support.widget import Visitor

pytestmark = pytest.mark.integration
TARGET_SECONDS = 600
LEAD = "response-lead@example.test"


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[MailSink]:
    started = MailSink.start(tmp_path / "mail")
    yield started
    started.stop()


async def check_twice_at_once(seeded: Seeded, sink: MailSink, now: datetime) -> list[Any]:
    """Two replicas' checks, at the same instant, over the same store."""
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(infra().mongo_url, tz_aware=True)
    settings = InboxSettings(
        token_secret="alerts-test",
        mongo_url=infra().mongo_url,
        mongo_db=seeded.system.mongo_db,
        inbox_smtp_port=sink.port,
        inbox_public_url="https://inbox.test",
    )
    redis = await connect_redis(
        CommonSettings(token_secret=settings.token_secret, redis_url=infra().redis_url)
    )
    db = seeded.system.mongo_db
    try:
        replicas = [
            ResponseAlerts(
                ResponseClockStore(mongo, db),
                AccountSettingsStore(mongo, db),
                AccountStore(mongo, db),
                LivePublisher(redis, f"{seeded.system.name}:"),
                SmtpMailSender(settings),
                settings.inbox_public_url,
            )
            for _ in range(2)
        ]
        results = await asyncio.gather(*(replica.check(now) for replica in replicas))
        return [alert for result in results for alert in result]
    finally:
        await redis.aclose()
        await mongo.close()


async def choose(seeded: Seeded, chosen: AccountSettings | None) -> None:
    await set_account_settings(seeded.system.mongo_db, seeded.account_id, chosen)


def test_each_threshold_alerts_once_and_a_reply_stops_the_clock(
    seeded: Seeded, sink: MailSink
) -> None:
    asyncio.run(
        choose(
            seeded,
            AccountSettings(response_target_seconds=TARGET_SECONDS, alert_recipients=[LEAD]),
        )
    )
    try:
        visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key, name="Pat Waiting")
        visitor.send("I need a human to help me with a refund right now")
        flagged = wait_for(
            lambda: (t := thread(seeded, visitor.thread_id)) and t.get("needs_human") and t
        )
        escalated_at = datetime.fromisoformat(flagged["escalated_at"])

        def mine(alerts: list[Any]) -> list[Any]:
            return [a for a in alerts if a[0] == visitor.thread_id]

        early = asyncio.run(check_twice_at_once(seeded, sink, escalated_at + timedelta(seconds=60)))
        assert mine(early) == []
        shown = thread(seeded, visitor.thread_id)
        assert shown is not None
        due = datetime.fromisoformat(shown["response_due_at"])
        assert due == escalated_at + timedelta(seconds=TARGET_SECONDS)
        assert shown["response_alert"] is None

        at_80 = escalated_at + timedelta(seconds=0.85 * TARGET_SECONDS)
        assert mine(asyncio.run(check_twice_at_once(seeded, sink, at_80))) == [
            (visitor.thread_id, ResponseStage.WARNING)
        ]
        assert mine(asyncio.run(check_twice_at_once(seeded, sink, at_80))) == []  # once only
        # The account is shared: another test's thread escalated minutes before may be alerted
        # in the same pass, so the mail is picked by its visitor.
        warned = sink.wait_for(LEAD, "Pat Waiting is close to the 10-minute response target")
        assert "Pat Waiting" in str(warned["Subject"])
        assert (thread(seeded, visitor.thread_id) or {})["response_alert"] == "warning"

        late = escalated_at + timedelta(seconds=TARGET_SECONDS + 1)
        assert mine(asyncio.run(check_twice_at_once(seeded, sink, late))) == [
            (visitor.thread_id, ResponseStage.BREACHED)
        ]
        sink.wait_for(LEAD, "Pat Waiting has waited past the 10-minute response target")
        subjects = [s for to, s in sink.subjects() if to == LEAD and "Pat Waiting" in s]
        assert len(subjects) == 2, subjects

        # A teammate's reply stops the clock: no alert however late it gets.
        replied = httpx.post(
            f"{seeded.inbox}/v1/threads/{visitor.thread_id}/messages",
            json={"text": "Hi Pat, a teammate here."},
            headers={"Authorization": f"Bearer {seeded.staff_token}"},
        )
        assert replied.status_code == 202, replied.text
        wait_for(lambda: not (thread(seeded, visitor.thread_id) or {}).get("needs_human", True))
        much_later = late + timedelta(days=3)
        assert mine(asyncio.run(check_twice_at_once(seeded, sink, much_later))) == []
    finally:
        asyncio.run(choose(seeded, None))
