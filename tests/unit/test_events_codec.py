import json
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baton_events import (
    AiReplyProposed,
    SourceRef,
    StaffReplied,
    ThreadStarted,
    ThreadVisitor,
    VisitorContactLeft,
    VisitorMessageReceived,
    decode_event,
    encode_event,
    event_key,
    stable_event_id,
)
from baton_events.codec import UnsupportedEventError


def visitor_message(text: str = "hi") -> VisitorMessageReceived:
    return VisitorMessageReceived(
        thread_id="t-1",
        account_id="a-1",
        bot_id="b-1",
        message_id="m-1",
        client_message_id="c-1",
        text=text,
    )


@given(st.text(min_size=1, max_size=500))
def test_round_trip_keeps_every_field_and_reads_a_nul_as_a_replacement_character(
    text: str,
) -> None:
    """U+0000 is read back as U+FFFD (no projection's store can hold it); nothing else
    changes."""
    event = visitor_message(text)
    storable = text.replace("\x00", "\ufffd")
    assert decode_event(encode_event(event)) == event.model_copy(update={"text": storable})


def test_a_nul_is_replaced_in_nested_fields_and_an_escaped_one_is_left_as_typed() -> None:
    started = ThreadStarted(
        thread_id="t-1", account_id="a-1", bot_id="b-1", visitor=ThreadVisitor(name="A\x00da")
    )
    decoded = decode_event(encode_event(started))
    assert isinstance(decoded, ThreadStarted) and decoded.visitor.name == "A\ufffdda"
    # A visitor who types the six characters \u0000 sent text, not a NUL.
    typed = visitor_message("\\u0000")
    assert decode_event(encode_event(typed)) == typed


def test_proposal_with_sources_round_trips() -> None:
    event = AiReplyProposed(
        thread_id="t",
        account_id="a",
        reply_id="r",
        in_reply_to="m",
        text="answer",
        sources=(SourceRef(title="Import", url="https://x/import"),),
        confidence=0.8,
        mode_version_seen=3,
    )
    assert decode_event(encode_event(event)) == event


def test_key_is_thread_id() -> None:
    assert event_key(visitor_message()) == b"t-1"


def test_unknown_type_is_skipped_not_refused() -> None:
    assert decode_event({"type": "visitor_waved", "thread_id": "t"}) is None


def test_newer_minor_version_drops_unknown_fields() -> None:
    body = json.loads(encode_event(visitor_message()))
    body["version"] = "1.7"
    body["sentiment"] = "happy"
    decoded = decode_event(body)
    assert isinstance(decoded, VisitorMessageReceived)
    assert decoded.text == "hi"


def test_newer_major_version_is_refused() -> None:
    body = json.loads(encode_event(visitor_message()))
    body["version"] = "2.0"
    with pytest.raises(UnsupportedEventError):
        decode_event(body)


@pytest.mark.parametrize("raw", [b"[1, 2]", b'"text"', b'{"type": "staff_replied"}'])
def test_malformed_bodies_raise_unsupported(raw: bytes) -> None:
    with pytest.raises(UnsupportedEventError):
        decode_event(raw)


def test_events_are_frozen_and_strict() -> None:
    event = StaffReplied(
        thread_id="t", account_id="a", message_id="m", staff_id="s", staff_name="Al", text="x"
    )
    with pytest.raises(ValueError):
        event.text = "changed"  # type: ignore[misc]
    with pytest.raises(ValueError):
        StaffReplied(
            thread_id="t",
            account_id="a",
            message_id="m",
            staff_id="s",
            staff_name="Al",
            text="x",
            extra=1,
        )  # type: ignore[call-arg]


def test_stable_ids_depend_only_on_their_causes() -> None:
    assert stable_event_id("m-1", "ai_reply") == stable_event_id("m-1", "ai_reply")
    assert stable_event_id("m-1", "ai_reply") != stable_event_id("m-2", "ai_reply")
    assert isinstance(stable_event_id("x"), uuid.UUID)


def test_contact_left_is_a_conversation_event_every_consumer_parses() -> None:
    event = VisitorContactLeft(
        event_id=stable_event_id("t-1", "visitor_contact_left", "ada@example.test"),
        thread_id="t-1",
        account_id="a-1",
        email="ada@example.test",
    )
    assert decode_event(encode_event(event)) == event


def test_thread_started_carries_a_verified_user_and_reads_older_visitors() -> None:
    verified = ThreadStarted(
        thread_id="t",
        account_id="a",
        bot_id="b",
        visitor=ThreadVisitor(name="Ada", user_id="42", verified=True),
    )
    assert decode_event(encode_event(verified)) == verified
    # Written before the user id existed: the visitor is anonymous, not refused.
    body = json.loads(encode_event(verified))
    body["visitor"] = {"name": "Ada", "email": None, "company": None}
    older = decode_event(body)
    assert isinstance(older, ThreadStarted)
    assert (older.visitor.user_id, older.visitor.verified) == (None, False)
    # Written by a newer minor version: a field inside the visitor is dropped, not refused.
    body["version"] = "1.3"
    body["visitor"] = {"name": "Ada", "user_id": "42", "verified": True, "locale": "fr"}
    newer = decode_event(body)
    assert isinstance(newer, ThreadStarted)
    assert newer.visitor == ThreadVisitor(name="Ada", user_id="42", verified=True)
