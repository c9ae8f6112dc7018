"""Baton's event schemas, topic names and codec: the only contract services share."""

from baton_events.codec import decode_event, encode_event, event_key
from baton_events.envelope import EventEnvelope, new_event_id, stable_event_id
from baton_events.events import (
    AiReplyCommitted,
    AiReplyProposed,
    AiReplySuppressed,
    ConversationEvent,
    EscalationRaised,
    HandbackDue,
    HandbackRequested,
    HumanClockStarted,
    SourceRef,
    StaffReplied,
    StandbyRequested,
    ThreadClosed,
    ThreadModeChanged,
    ThreadStarted,
    ThreadVisitor,
    VisitorContactLeft,
    VisitorMessageReceived,
    VisitorProfile,
)
from baton_events.late_commit import overtaken_by_teammate
from baton_events.modes import EscalationReason, ThreadMode
from baton_events.topics import Topics

__all__ = [
    "AiReplyCommitted",
    "AiReplyProposed",
    "AiReplySuppressed",
    "ConversationEvent",
    "EscalationRaised",
    "EscalationReason",
    "EventEnvelope",
    "HandbackDue",
    "HandbackRequested",
    "HumanClockStarted",
    "SourceRef",
    "StaffReplied",
    "StandbyRequested",
    "ThreadClosed",
    "ThreadMode",
    "ThreadModeChanged",
    "ThreadStarted",
    "ThreadVisitor",
    "Topics",
    "VisitorContactLeft",
    "VisitorMessageReceived",
    "VisitorProfile",
    "decode_event",
    "encode_event",
    "event_key",
    "new_event_id",
    "overtaken_by_teammate",
    "stable_event_id",
]
