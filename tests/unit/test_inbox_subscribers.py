"""The inbox's subscribers, driven in memory: a started thread and a visitor's message are
materialized for staff and announced on the live channel, an ingest job event goes to the
bot's account, and unknown types or newer minor versions do not stop either subscriber."""

from typing import Any

from baton_events import (
    ThreadMode,
    ThreadModeChanged,
    ThreadStarted,
    ThreadVisitor,
    encode_event,
)
from baton_events.ingest import IngestJobFinished, IngestSource
from baton_inbox.app import build_event_broker
from baton_inbox.domain import FirstChanges, thread_document
from baton_inbox.ports import InboxAdapters
from baton_inbox.settings import InboxSettings
from baton_runtime.kafka import topics_for
from tests.support.in_memory import (
    UNIT_SETTINGS,
    UNKNOWN_TYPE,
    UNREADABLE,
    newer_minor,
    publish_all,
    staff_reply,
    visitor_message,
)

SETTINGS = InboxSettings(**UNIT_SETTINGS)
TOPICS = topics_for(SETTINGS)


class Threads:
    """Thread documents by id and messages in arrival order, guarded by log position like
    the MongoDB store."""

    def __init__(self) -> None:
        self.threads: dict[str, dict[str, Any]] = {}
        self.messages: list[dict[str, Any]] = []

    async def start_thread(self, doc: dict[str, Any], position: int) -> dict[str, Any]:
        return self.threads.setdefault(doc["_id"], {**doc, "last_position": position})

    async def add_messages(self, docs: list[dict[str, Any]]) -> None:
        stored = {message["_id"] for message in self.messages}
        self.messages.extend(doc for doc in docs if doc["_id"] not in stored)

    async def apply(
        self,
        thread_id: str,
        position: int,
        changes: dict[str, Any],
        appended: dict[str, Any] | None = None,
        first: FirstChanges | None = None,
    ) -> None:
        thread = self.threads[thread_id]
        if thread["last_position"] < position:
            if first is not None and all(
                thread.get(field) != condition["$ne"]
                if isinstance(condition, dict)
                else thread.get(field) == condition
                for field, condition in first.when.items()
            ):
                thread.update(first.fields)
            thread.update({**changes, "last_position": position})
            for field, value in (appended or {}).items():
                thread.setdefault(field, []).append(value)

    async def thread(self, thread_id: str) -> dict[str, Any] | None:
        return self.threads.get(thread_id)


class Live:
    def __init__(self) -> None:
        self.thread_changes: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
        self.job_changes: list[tuple[str, dict[str, Any]]] = []

    async def thread_changed(
        self,
        thread: dict[str, Any],
        partition: int,
        position: int,
        message: dict[str, Any] | None,
    ) -> None:
        self.thread_changes.append((thread, message))

    async def ingest_job_changed(self, account_id: str, event: dict[str, Any]) -> None:
        self.job_changes.append((account_id, event))


class Owners:
    async def account_of(self, bot_id: str) -> str | None:
        return {"b1": "a1"}.get(bot_id)


class Fakes:
    def __init__(self) -> None:
        self.threads, self.live = Threads(), Live()
        adapters = InboxAdapters(threads=self.threads, live=self.live, bots=Owners())
        self.broker = build_event_broker(SETTINGS, lambda: adapters)


def started() -> ThreadStarted:
    return ThreadStarted(
        thread_id="t1", account_id="a1", bot_id="b1", visitor=ThreadVisitor(name="Vi")
    )


async def test_a_started_thread_is_stored_and_announced() -> None:
    fakes = Fakes()
    await publish_all(fakes.broker, TOPICS.conversation_events, encode_event(started()))
    stored = fakes.threads.threads["t1"]
    assert (stored["bot_id"], stored["partition"], stored["last_position"]) == ("b1", 0, 0)
    assert [(view["id"], message) for view, message in fakes.live.thread_changes] == [("t1", None)]


async def test_a_visitor_message_is_stored_and_the_thread_waits_for_an_answer() -> None:
    fakes = Fakes()
    # The thread as its ThreadStarted (folded earlier, at a position before this one) left it.
    fakes.threads.threads["t1"] = {
        **thread_document(started()),
        "partition": 0,
        "last_position": -1,
    }
    message = visitor_message("hi")
    await publish_all(
        fakes.broker, TOPICS.conversation_events, UNKNOWN_TYPE, UNREADABLE, newer_minor(message)
    )
    assert [(m["_id"], m["author"], m["text"]) for m in fakes.threads.messages] == [
        ("m1", "visitor", "hi")
    ]
    thread = fakes.threads.threads["t1"]
    assert thread["waiting_since"] == message.occurred_at and thread["last_visitor_text"] == "hi"
    ((view, announced),) = fakes.live.thread_changes
    assert view["seq"] == 0 and announced is not None and announced["id"] == "m1"


async def test_an_ingest_job_event_goes_to_its_bots_account() -> None:
    fakes = Fakes()
    source = IngestSource(source_id="s1", kind="crawl", location="https://help.test/docs/")
    finished = IngestJobFinished(job_id="j1", bot_id="b1", source=source, state="succeeded")
    stranger = IngestJobFinished(job_id="j2", bot_id="b9", source=source, state="succeeded")
    await publish_all(
        fakes.broker,
        TOPICS.ingest_events,
        b'{"type": "ingest_job_paused"}',
        encode_event(stranger),
        newer_minor(finished),
    )
    assert [(account, event["job_id"]) for account, event in fakes.live.job_changes] == [
        ("a1", "j1")
    ]


async def test_the_thread_remembers_where_the_ai_got_it_back_and_who_replied() -> None:
    fakes = Fakes()
    fresh = {**thread_document(started()), "partition": 0, "last_position": -1}
    fakes.threads.threads["t1"] = dict(fresh)
    await publish_all(fakes.broker, TOPICS.conversation_events, encode_event(staff_reply()))
    assert fakes.threads.threads["t1"]["staff_replied"] is True

    fakes.threads.threads["t1"] = dict(fresh)
    back = ThreadModeChanged(
        thread_id="t1", account_id="a1", mode=ThreadMode.AI, mode_version=2, reason="handed_back"
    )
    # Twice at the same position (a redelivery): appended once.
    await publish_all(
        fakes.broker, TOPICS.conversation_events, encode_event(back), encode_event(back)
    )
    assert fakes.threads.threads["t1"]["ai_resumed_at"] == [0]
