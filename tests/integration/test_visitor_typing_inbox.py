"""The visitor typing in the widget shows in the inbox: the gateway hands the signal to the
account's inbox channel and the staff streams carry it as a `typing` frame (to the account's
teammates only)."""

import pytest

from tests.integration.conftest import DEMO_ORIGIN, Seeded
from tests.integration.test_handoff_flow import wait_thread_in_inbox
from tests.integration.test_widget_live import streams
from tests.support.http import TypedStream
from tests.support.inbox_harness import StaffEvents, bearer, sign_up
from tests.support.widget import Visitor

pytestmark = pytest.mark.integration
__all__ = ["streams"]  # the fixture that closes the streams a test opened


def staff_stream(url: str, token: str, streams: list[TypedStream]) -> StaffEvents:
    events = StaffEvents(url, bearer(token))
    streams.append(events)
    events.wait_for("hello", lambda _: True)
    return events


def test_visitor_typing_reaches_the_staff_streams_of_the_account_only(
    seeded: Seeded, streams: list[TypedStream]
) -> None:
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key)
    visitor.send("hello")
    wait_thread_in_inbox(seeded, visitor.thread_id)
    thread_id = visitor.thread_id
    account = staff_stream(f"{seeded.inbox}/v1/stream", seeded.staff_token, streams)
    thread = staff_stream(
        f"{seeded.inbox}/v1/threads/{thread_id}/stream", seeded.staff_token, streams
    )
    _, stranger_token = sign_up(seeded.inbox)
    stranger = staff_stream(f"{seeded.inbox}/v1/stream", stranger_token, streams)

    visitor.typing(True)
    for events in (account, thread):
        typing = events.wait_for("typing", lambda t: t["thread_id"] == thread_id)
        assert typing == {"thread_id": thread_id, "typing": True}
        # Like presence, typing never moves the resume cursor.
        assert all(event_id is None for name, event_id, _ in events.frames if name == "typing")
    visitor.typing(False)
    account.wait_for("typing", lambda t: t["thread_id"] == thread_id and not t["typing"])
    assert stranger.of("typing") == []
