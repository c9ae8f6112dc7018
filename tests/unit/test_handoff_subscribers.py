"""The handoff's subscriber, driven in memory: a teammate's message takes the thread over (a
mode change is published, the bot's idle time sets the hand-back deadline), a proposal is
committed or suppressed by the mode at its place in the log, a folded position is not folded
twice, and an unknown type or a newer minor version does not stop the fold.

In memory every record sits at offset 0, so each test folds one event onto a prepared state."""

from datetime import timedelta

from baton_events import (
    AiReplyCommitted,
    AiReplyProposed,
    AiReplySuppressed,
    ConversationEvent,
    ThreadMode,
    ThreadModeChanged,
    encode_event,
)
from baton_handoff.app import build_event_broker
from baton_handoff.domain import ModeState
from baton_handoff.ports import HandoffAdapters
from baton_handoff.settings import HandoffSettings
from baton_runtime.kafka import topics_for
from tests.support.in_memory import (
    UNIT_SETTINGS,
    UNKNOWN_TYPE,
    conversation_spy,
    newer_minor,
    publish_all,
    staff_reply,
    visitor_message,
)

SETTINGS = HandoffSettings(**UNIT_SETTINGS)
TOPIC = topics_for(SETTINGS).conversation_events
BOT_IDLE = timedelta(minutes=3)


class ModeStore:
    def __init__(self, state: ModeState) -> None:
        self.state = state
        self.mode_at_message: dict[str, ThreadMode] = {}
        self.loads = 0
        self.saves = 0

    async def load(self, thread_id: str, account_id: str) -> ModeState:
        self.loads += 1
        return self.state

    async def save(self, state: ModeState) -> None:
        self.saves += 1
        self.state = state

    async def record_mode_at_message(self, message_id: str, state: ModeState) -> None:
        self.mode_at_message[message_id] = state.mode


class Fakes:
    def __init__(self, mode: ThreadMode = ThreadMode.AI, last_position: int = -1) -> None:
        self.store = ModeStore(
            ModeState(
                "t1", "a1", mode=mode, mode_version=1, last_position=last_position, bot_id="b1"
            )
        )
        adapters = HandoffAdapters(store=self.store)
        self.broker = build_event_broker(SETTINGS, lambda: adapters)
        self.published = conversation_spy(self.broker, TOPIC)

    async def fold(
        self, event: ConversationEvent, body: bytes | None = None
    ) -> list[ConversationEvent]:
        """What the handoff published while folding `event` (sent as `body` if given)."""
        await publish_all(self.broker, TOPIC, body or encode_event(event))
        return [seen for seen in self.published if seen.event_id != event.event_id]


def proposal() -> AiReplyProposed:
    return AiReplyProposed(
        thread_id="t1",
        account_id="a1",
        reply_id="r1",
        in_reply_to="m1",
        text="from the docs",
        confidence=0.8,
        mode_version_seen=1,
    )


async def test_a_staff_reply_takes_the_thread_over_until_the_bots_idle_time() -> None:
    fakes = Fakes()
    reply = staff_reply(handback_idle_seconds=int(BOT_IDLE.total_seconds()))
    published = await fakes.fold(reply)
    changes = [event for event in published if isinstance(event, ThreadModeChanged)]
    assert [(c.mode, c.reason, c.mode_version) for c in changes] == [
        (ThreadMode.HUMAN, "staff_replied", 2)
    ]
    assert changes[0].handback_deadline == reply.occurred_at + BOT_IDLE
    assert fakes.store.state.mode is ThreadMode.HUMAN and fakes.store.state.last_position == 0


async def test_a_proposal_on_an_ai_thread_is_committed() -> None:
    published = await Fakes(ThreadMode.AI).fold(proposal())
    assert [(type(e), getattr(e, "reply_id", None)) for e in published] == [
        (AiReplyCommitted, "r1")
    ]


async def test_a_proposal_on_a_human_thread_is_suppressed() -> None:
    published = await Fakes(ThreadMode.HUMAN).fold(proposal())
    assert [type(e) for e in published] == [AiReplySuppressed]


async def test_a_visitor_message_records_the_mode_the_agent_waits_for() -> None:
    fakes = Fakes(ThreadMode.HUMAN)
    message = visitor_message("?")
    await fakes.fold(message)
    assert fakes.store.mode_at_message == {"m1": ThreadMode.HUMAN}


async def test_a_position_already_folded_publishes_nothing() -> None:
    fakes = Fakes(last_position=0)
    assert await fakes.fold(staff_reply()) == []
    assert fakes.store.state.mode is ThreadMode.AI


async def test_an_unknown_type_is_skipped_and_a_newer_minor_version_folded() -> None:
    fakes = Fakes()
    await publish_all(fakes.broker, TOPIC, UNKNOWN_TYPE)
    assert fakes.store.state.last_position == -1
    reply = staff_reply()
    published = await fakes.fold(reply, newer_minor(reply))
    assert [type(e) for e in published] == [ThreadModeChanged]


async def test_traffic_that_changes_only_the_position_writes_nothing() -> None:
    """A question and its answer on an AI-owned thread: the verdict is recorded and the
    proposal committed, but the mode document is not rewritten for each of them, and a
    committed reply (which the fold ignores) is not even read."""
    fakes = Fakes(ThreadMode.AI)
    await fakes.fold(visitor_message("?"))
    committed = [e for e in await fakes.fold(proposal()) if isinstance(e, AiReplyCommitted)]
    assert [e.reply_id for e in committed] == ["r1"]
    assert fakes.store.mode_at_message == {"m1": ThreadMode.AI}
    loads = fakes.store.loads
    await fakes.fold(committed[0])
    assert (fakes.store.saves, fakes.store.loads) == (0, loads)
