"""The gateway's subscriber, driven in memory: what a visitor may see is projected from the
log (messages, the widget's state), a late AI commit is withheld, and an event of a type the
gateway does not know, or of a newer minor version, does not stop the projection."""

from typing import Any

from prometheus_client import REGISTRY

from baton_contracts.live_signals import parse_visible_message_notice
from baton_events import (
    AiReplyCommitted,
    EscalationRaised,
    EscalationReason,
    ThreadMode,
    ThreadModeChanged,
    encode_event,
)
from baton_gateway.adapters.messages import notice_parts
from baton_gateway.app import build_event_broker
from baton_gateway.domain import HandoverPositions
from baton_gateway.ports import GatewayAdapters
from baton_gateway.settings import GatewaySettings
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

SETTINGS = GatewaySettings(**UNIT_SETTINGS)
TOPIC = topics_for(SETTINGS).conversation_events


class Messages:
    def __init__(self) -> None:
        self.added: list[dict[str, Any]] = []
        self.staff_positions: dict[str, int] = {}
        self.resume_positions: dict[str, int] = {}

    async def add(self, doc: dict[str, Any]) -> None:
        self.added.append(doc)

    async def record_staff_position(self, thread_id: str, position: int) -> None:
        self.staff_positions[thread_id] = position

    async def record_ai_resume_position(self, thread_id: str, position: int) -> None:
        self.resume_positions[thread_id] = position

    async def handover_positions(self, thread_id: str) -> HandoverPositions:
        return HandoverPositions(
            self.staff_positions.get(thread_id, -1), self.resume_positions.get(thread_id, -1)
        )


class Sessions:
    """Folds like the store: an event at or before the folded position changes nothing."""

    def __init__(self) -> None:
        self.changes: list[tuple[str, dict[str, Any]]] = []
        self.positions: dict[str, int] = {}

    async def apply(self, thread_id: str, change: dict[str, Any], position: int) -> bool:
        if self.positions.get(thread_id, -1) >= position:
            return False
        self.positions[thread_id] = position
        self.changes.append((thread_id, change))
        return True


class Signals:
    def __init__(self) -> None:
        self.woken: list[str] = []

    async def state_changed(self, thread_id: str) -> None:
        self.woken.append(thread_id)


class Fakes:
    def __init__(self) -> None:
        self.messages, self.sessions, self.live = Messages(), Sessions(), Signals()
        adapters = GatewayAdapters(messages=self.messages, sessions=self.sessions, live=self.live)
        self.broker = build_event_broker(SETTINGS, lambda: adapters)


async def test_a_visitor_message_is_stored_for_the_widget() -> None:
    fakes = Fakes()
    await publish_all(fakes.broker, TOPIC, encode_event(visitor_message()))
    assert [(m["_id"], m["author"], m["text"]) for m in fakes.messages.added] == [
        ("m1", "visitor", "hello")
    ]


async def test_an_escalation_changes_the_widget_state_and_wakes_its_streams() -> None:
    fakes = Fakes()
    escalation = EscalationRaised(
        thread_id="t1", account_id="a1", message_id="m1", reason=EscalationReason.ASKED_FOR_HUMAN
    )
    await publish_all(fakes.broker, TOPIC, encode_event(escalation))
    assert fakes.sessions.changes == [
        ("t1", {"escalated": True, "escalation_reason": "asked_for_human"})
    ]
    assert fakes.live.woken == ["t1"]


async def test_a_redelivered_state_event_wakes_the_streams_again() -> None:
    """Streams read the state on a state notice only; a first attempt that died after folding
    and before publishing must not leave them without one."""
    fakes = Fakes()
    escalation = EscalationRaised(
        thread_id="t1", account_id="a1", message_id="m1", reason=EscalationReason.ASKED_FOR_HUMAN
    )
    await publish_all(fakes.broker, TOPIC, encode_event(escalation))
    await publish_all(fakes.broker, TOPIC, encode_event(escalation))  # the same offset again
    assert len(fakes.sessions.changes) == 1
    assert fakes.live.woken == ["t1", "t1"]


async def test_an_ai_reply_committed_before_a_staff_message_is_withheld() -> None:
    fakes = Fakes()
    staff = staff_reply()
    late = AiReplyCommitted(
        thread_id="t1",
        account_id="a1",
        reply_id="r1",
        in_reply_to="m1",
        text="from the docs",
        confidence=0.9,
        proposal_position=-5,  # proposed before the staff message (offset 0 in memory)
    )
    withheld = counted("baton_late_ai_commits_withheld")
    await publish_all(fakes.broker, TOPIC, encode_event(staff), encode_event(late))
    assert [m["author"] for m in fakes.messages.added] == ["staff"]
    assert counted("baton_late_ai_commits_withheld") == withheld + 1


def ai_commit(proposal_position: int) -> AiReplyCommitted:
    return AiReplyCommitted(
        thread_id="t1",
        account_id="a1",
        reply_id=f"r{proposal_position}",
        in_reply_to="m1",
        text="from the docs",
        confidence=0.9,
        proposal_position=proposal_position,
    )


def counted(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(f"{name}_total", labels or None) or 0.0


async def test_an_ai_message_after_a_teammate_without_a_hand_back_is_counted() -> None:
    """Offsets are all 0 in memory: a proposal at 5 passes the late-commit guard, so only the
    missing hand-back can flag it, which is what the counter checks independently."""
    fakes = Fakes()
    before = counted("baton_ai_after_teammate")
    await publish_all(fakes.broker, TOPIC, encode_event(staff_reply()), encode_event(ai_commit(5)))
    assert counted("baton_ai_after_teammate") == before + 1

    handed_back = ThreadModeChanged(
        thread_id="t1", account_id="a1", mode=ThreadMode.AI, reason="handed_back", mode_version=2
    )
    await publish_all(fakes.broker, TOPIC, encode_event(handed_back), encode_event(ai_commit(6)))
    assert counted("baton_ai_after_teammate") == before + 1
    assert [m["author"] for m in fakes.messages.added] == ["staff", "ai", "ai"]


async def test_unknown_unreadable_and_newer_events_do_not_stop_the_projection() -> None:
    fakes = Fakes()
    await publish_all(
        fakes.broker, TOPIC, UNKNOWN_TYPE, UNREADABLE, newer_minor(visitor_message("newer"))
    )
    assert [m["text"] for m in fakes.messages.added] == ["newer"]


async def test_a_staff_message_after_a_cached_read_still_withholds_a_late_commit() -> None:
    """The thread's positions are read once and kept in memory (OwnedCopy); a teammate's
    message must move the kept copy too, or the next late commit would slip through."""
    fakes = Fakes()
    await publish_all(fakes.broker, TOPIC, encode_event(ai_commit(5)))  # read and kept
    withheld = counted("baton_late_ai_commits_withheld")
    # proposed at -1: before the teammate's message (offset 0), after the kept "never" (-1)
    await publish_all(fakes.broker, TOPIC, encode_event(staff_reply()), encode_event(ai_commit(-1)))
    assert [m["author"] for m in fakes.messages.added] == ["ai", "staff"]
    assert counted("baton_late_ai_commits_withheld") == withheld + 1
    assert counted("baton_owned_copy_reads", copy="gateway_handovers", source="memory") > 0


def test_a_notice_announced_by_the_script_reads_back_with_its_previous_position() -> None:
    message = {"id": "m-1", "author": "visitor", "text": 'a "quoted" text: {}', "position": 9}
    before, after = notice_parts(9_007_199_254_740_000, message)
    for held, previous in (("null", None), ("41", 41)):
        notice = parse_visible_message_notice(before + held + after)
        assert notice is not None
        assert notice.position == 9_007_199_254_740_000
        assert notice.previous_position == previous
        assert notice.message == message
