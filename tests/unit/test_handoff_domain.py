"""The mode projection as a pure fold, including the invariant that matters most."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from baton_events import (
    AiReplyCommitted,
    AiReplyProposed,
    AiReplySuppressed,
    HandbackDue,
    HandbackRequested,
    StaffReplied,
    StandbyRequested,
    ThreadClosed,
    ThreadMode,
    ThreadModeChanged,
    VisitorContactLeft,
    VisitorMessageReceived,
)
from baton_events.codec import decode_event, encode_event
from baton_events.envelope import EventEnvelope
from baton_handoff.domain import ModeState, decide, handback_due_event

IDLE = timedelta(minutes=10)  # the service's default, for events that carry no idle time
T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
THREAD = {"thread_id": "t", "account_id": "a"}


def visitor(n: int) -> VisitorMessageReceived:
    return VisitorMessageReceived(
        **THREAD,
        bot_id="b",
        message_id=f"m{n}",
        client_message_id=f"c{n}",
        text="q",
        occurred_at=T0,
    )


def staff(n: int, at: datetime = T0, idle_seconds: int | None = None) -> StaffReplied:
    return StaffReplied(
        **THREAD,
        message_id=f"s{n}",
        staff_id="u",
        staff_name="Al",
        text="hi",
        occurred_at=at,
        handback_idle_seconds=idle_seconds,
    )


def proposal(n: int) -> AiReplyProposed:
    return AiReplyProposed(
        **THREAD,
        reply_id=f"r{n}",
        in_reply_to=f"m{n}",
        text="a",
        confidence=0.9,
        mode_version_seen=0,
    )


def fold(
    events: list[EventEnvelope],
    state: ModeState | None = None,
    start: int = 0,
    default_idle: timedelta = IDLE,
) -> tuple[ModeState, list[EventEnvelope]]:
    state = state or ModeState(thread_id="t", account_id="a")
    outputs: list[EventEnvelope] = []
    for position, event in enumerate(events, start=start):
        decision = decide(state, event, position, default_idle)  # type: ignore[arg-type]
        state = decision.state
        outputs.extend(decision.outputs)
    return state, outputs


def test_new_thread_commits_ai_reply() -> None:
    state, outputs = fold([visitor(1), proposal(1)])
    assert state.mode is ThreadMode.AI
    assert [type(o) for o in outputs] == [AiReplyCommitted]
    assert isinstance(outputs[0], AiReplyCommitted) and outputs[0].proposal_position == 1


def test_staff_message_before_proposal_suppresses_it() -> None:
    state, outputs = fold([visitor(1), staff(1), proposal(1)])
    assert state.mode is ThreadMode.HUMAN
    assert [type(o) for o in outputs] == [ThreadModeChanged, AiReplySuppressed]


def test_staff_reply_sets_deadline_from_event_time() -> None:
    state, _ = fold([staff(1, T0)])
    assert state.handback_deadline == T0 + IDLE


def test_the_idle_time_an_event_carries_sets_the_deadline() -> None:
    state, _ = fold([staff(1, T0, idle_seconds=120)])
    assert state.handback_deadline == T0 + timedelta(seconds=120)
    standby = StandbyRequested(
        **THREAD, staff_id="u", occurred_at=T0 + timedelta(minutes=1), handback_idle_seconds=300
    )
    state, _ = fold([standby], state, start=1)
    assert state.handback_deadline == T0 + timedelta(minutes=6)


def test_an_event_from_before_the_idle_time_field_gets_the_default() -> None:
    """A 1.0 StaffReplied in the log (no handback_idle_seconds) still folds."""
    assert staff(1).version == "1.1"  # the minor version that added the field
    body = staff(1).model_dump(mode="json", exclude={"handback_idle_seconds"})
    old = decode_event({**body, "version": "1.0"})
    assert isinstance(old, StaffReplied) and old.handback_idle_seconds is None
    state, _ = fold([old])
    assert state.handback_deadline == T0 + IDLE


def test_a_replay_sets_the_same_deadlines_whatever_the_settings_are_by_then() -> None:
    """The log as the inbox wrote it while the bot's idle time was 2 minutes, replayed after
    the settings changed (here the service's default: the fold reads no bot settings at all):
    every deadline is the one set the first time."""
    log = [
        visitor(1),
        staff(1, T0, idle_seconds=120),
        StandbyRequested(
            **THREAD, staff_id="u", occurred_at=T0 + timedelta(minutes=1), handback_idle_seconds=120
        ),
        HandbackRequested(**THREAD, staff_id="u", occurred_at=T0 + timedelta(minutes=2)),
        staff(2, T0 + timedelta(minutes=3), idle_seconds=120),
    ]
    replayed_log = [decode_event(encode_event(event)) for event in log]

    def deadlines(events: list[EventEnvelope], default_idle: timedelta) -> list[datetime | None]:
        _, outputs = fold(events, default_idle=default_idle)
        return [o.handback_deadline for o in outputs if isinstance(o, ThreadModeChanged)]

    first = deadlines(log, default_idle=timedelta(minutes=10))
    again = deadlines(replayed_log, default_idle=timedelta(hours=2))  # type: ignore[arg-type]
    assert first == again
    assert first == [
        T0 + timedelta(minutes=2),
        T0 + timedelta(minutes=3),
        None,
        T0 + timedelta(minutes=5),
    ]


def test_idle_handback_applies_only_at_current_version() -> None:
    state, _ = fold([staff(1)])
    due = handback_due_event(state)
    stale_state, _ = fold([staff(2, T0 + timedelta(minutes=5))], state, start=1)
    still_human, outputs = fold([due], stale_state, start=2)
    assert still_human.mode is ThreadMode.HUMAN and outputs == []
    back, outputs = fold([handback_due_event(stale_state)], stale_state, start=2)
    assert back.mode is ThreadMode.AI
    assert isinstance(outputs[0], ThreadModeChanged) and outputs[0].reason == "idle"


def test_standby_keeps_human_and_restarts_clock() -> None:
    state, _ = fold([staff(1, T0)])
    later = StandbyRequested(**THREAD, staff_id="u", occurred_at=T0 + timedelta(minutes=9))
    state, _ = fold([later], state, start=1)
    assert state.mode is ThreadMode.HUMAN
    assert state.handback_deadline == T0 + timedelta(minutes=19)


def test_close_then_visitor_reopens_in_ai() -> None:
    state, _ = fold([staff(1), ThreadClosed(**THREAD, staff_id="u"), visitor(2)])
    assert state.mode is ThreadMode.AI


def test_explicit_handback() -> None:
    state, _ = fold([staff(1), HandbackRequested(**THREAD, staff_id="u")])
    assert state.mode is ThreadMode.AI and state.handback_deadline is None


def test_a_teammate_reopens_a_closed_thread_to_the_ai() -> None:
    state, outputs = fold([staff(1), ThreadClosed(**THREAD, staff_id="u")])
    state, outputs = fold([HandbackRequested(**THREAD, staff_id="u")], state, start=2)
    assert state.mode is ThreadMode.AI
    changes = [o for o in outputs if isinstance(o, ThreadModeChanged)]
    assert [c.reason for c in changes] == ["reopened"]
    # an AI-owned thread has nothing to hand back or reopen: no change, no event
    again, none = fold([HandbackRequested(**THREAD, staff_id="u")], state, start=3)
    assert again.mode is ThreadMode.AI and none == []


def test_redelivered_event_is_a_no_op() -> None:
    state, _ = fold([visitor(1), staff(1)])
    again = decide(state, staff(1), 1, IDLE)
    assert again.state == state and again.outputs == ()


def test_an_email_left_changes_no_mode_in_any_mode() -> None:
    contact = VisitorContactLeft(**THREAD, email="ada@example.test")
    befores: list[list[EventEnvelope]] = [
        [],
        [staff(1)],
        [staff(1), ThreadClosed(**THREAD, staff_id="u")],
    ]
    for before in befores:
        state, _ = fold(before)
        after, outputs = fold([contact], state, start=len(before))
        assert outputs == []
        assert (after.mode, after.mode_version, after.handback_deadline) == (
            state.mode,
            state.mode_version,
            state.handback_deadline,
        )


def test_outputs_have_deterministic_ids() -> None:
    _, first = fold([visitor(1), proposal(1)])
    _, second = fold([visitor(1), proposal(1)])
    assert [o.event_id for o in first] == [o.event_id for o in second]


def _event_strategy() -> st.SearchStrategy[EventEnvelope]:
    n = st.integers(min_value=0, max_value=5)
    return st.one_of(
        n.map(visitor),
        n.map(staff),
        n.map(proposal),
        st.just(HandbackRequested(**THREAD, staff_id="u")),
        st.just(StandbyRequested(**THREAD, staff_id="u")),
        st.just(ThreadClosed(**THREAD, staff_id="u")),
        st.just(VisitorContactLeft(**THREAD, email="ada@example.test")),
        st.integers(min_value=0, max_value=6).map(lambda v: HandbackDue(**THREAD, mode_version=v)),
    )


@settings(max_examples=300)
@given(st.lists(_event_strategy(), max_size=40))
def test_no_commit_after_staff_until_handback(events: list[EventEnvelope]) -> None:
    """Replays the log: every commit happens while the thread is AI-owned, and between a staff
    message and the next hand-back (explicit, idle or reopen) nothing is committed."""
    state = ModeState(thread_id="t", account_id="a")
    human_since_staff = False
    last_version = 0
    for position, event in enumerate(events):
        decision = decide(state, event, position, IDLE)  # type: ignore[arg-type]
        for output in decision.outputs:
            if isinstance(output, AiReplyCommitted):
                assert not human_since_staff
                assert state.mode is ThreadMode.AI
        state = decision.state
        assert state.mode_version >= last_version
        last_version = state.mode_version
        if isinstance(event, StaffReplied):
            human_since_staff = True
        if state.mode is ThreadMode.AI:
            human_since_staff = False


@given(st.lists(_event_strategy(), max_size=30), st.integers(min_value=0, max_value=30))
def test_stale_snapshot_catches_up_to_fresh_fold(events: list[EventEnvelope], cut: int) -> None:
    """verify_action: folding the rest of the log onto a stale snapshot equals a fresh fold,
    and redelivering the whole log onto it changes nothing."""
    cut = min(cut, len(events))
    snapshot, _ = fold(events[:cut])
    caught_up, _ = fold(events[cut:], snapshot, start=cut)
    fresh, _ = fold(events)
    assert caught_up == fresh
    replayed, _ = fold(events, fresh)
    assert replayed == fresh
