"""A teammate typing in the inbox shows in the visitor's widget stream."""

import httpx
import pytest

from tests.integration.conftest import DEMO_ORIGIN, Seeded
from tests.integration.test_handoff_flow import wait_thread_in_inbox
from tests.support.http import SseRecorder
from tests.support.widget import Visitor

pytestmark = pytest.mark.integration


def test_staff_typing_reaches_the_widget_with_a_first_name_only(seeded: Seeded) -> None:
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key)
    visitor.send("hello")
    wait_thread_in_inbox(seeded, visitor.thread_id)
    url = f"{seeded.gateway}/v1/widget/threads/{visitor.thread_id}/stream?include=typing"
    stream = SseRecorder(url, visitor.headers)
    try:
        stream.wait_for(lambda m: m.get("author") == "visitor", timeout=10)
        staff = {"Authorization": f"Bearer {seeded.staff_token}"}
        presence = f"{seeded.inbox}/v1/threads/{visitor.thread_id}/presence"
        assert httpx.post(presence, json={"state": "typing"}, headers=staff).status_code == 200
        typing = stream.wait_for(lambda m: m.get("typing") is True, timeout=10)
        assert typing["author"] == "staff" and " " not in typing["name"] and typing["name"]
        httpx.post(presence, json={"state": "viewing"}, headers=staff)
        stream.wait_for(lambda m: m.get("typing") is False, timeout=10)
    finally:
        stream.close()
