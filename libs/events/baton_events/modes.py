"""Who owns a thread's next reply."""

from enum import StrEnum


class ThreadMode(StrEnum):
    AI = "ai"
    HUMAN = "human"
    CLOSED = "closed"
