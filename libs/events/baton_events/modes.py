"""Who owns a thread's next reply."""

from enum import StrEnum


class ThreadMode(StrEnum):
    AI = "ai"
    HUMAN = "human"
    CLOSED = "closed"


class EscalationReason(StrEnum):
    """Why a thread needs a teammate."""

    ASKED_FOR_HUMAN = "asked_for_human"
    SENSITIVE_TOPIC = "sensitive_topic"
    OUT_OF_DOCS = "out_of_docs"
    UNRESOLVED = "unresolved"
