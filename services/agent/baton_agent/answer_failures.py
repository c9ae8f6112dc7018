"""When answering a message keeps failing: retry an outage, hand a broken message to a teammate.

A handler that raises makes the consumer retry the message a second later, which is right while
Redis, MongoDB, Chroma or Kafka are away: the message waits and is answered once they are back.
A failure no retry can fix (a bot whose knowledge was embedded by another model, a page that
breaks the extract) would instead come back every second for ever: its thread would wait for
ever, and its partition's committed offset would never move past it. Such a message is retried a few times (a fault may look permanent for a
moment), then answered with a hand-over notice and escalated, so the visitor gets a person and
the partition moves on.
"""

from collections import OrderedDict

import httpx
import pymongo.errors
import redis.exceptions
from aiokafka.errors import KafkaError

# Attempts at one message before a non-outage failure hands it over.
MAX_ATTEMPTS = 3
# Messages whose failures are counted at once; the oldest count is forgotten past it.
_TRACKED = 10_000
FAILED_TEXT = (
    "Sorry, I can't look this up right now. I've passed your question to our team; they'll "
    "reply here in this chat."
)
_OUTAGES: tuple[type[BaseException], ...] = (
    OSError,  # ConnectionError, refused sockets
    TimeoutError,
    httpx.TransportError,  # Chroma's client
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    redis.exceptions.BusyLoadingError,
    pymongo.errors.ConnectionFailure,  # AutoReconnect, NetworkTimeout, server selection
    pymongo.errors.NotPrimaryError,
    KafkaError,
)


def is_outage(error: BaseException) -> bool:
    """A server that is away or slow: retrying later succeeds."""
    return isinstance(error, _OUTAGES)


class AnswerFailures:
    """Failed attempts per message, in this process (a restart starts the count again, which
    only delays the hand-over)."""

    def __init__(self, max_attempts: int = MAX_ATTEMPTS) -> None:
        self._max_attempts = max_attempts
        self._attempts: OrderedDict[str, int] = OrderedDict()

    def give_up(self, message_id: str, error: BaseException) -> bool:
        """Count a failed attempt; True when the message should be handed over instead of
        retried. An outage is always retried and never counted."""
        if is_outage(error):
            return False
        attempts = self._attempts.pop(message_id, 0) + 1
        if attempts >= self._max_attempts:
            return True
        self._attempts[message_id] = attempts
        while len(self._attempts) > _TRACKED:
            self._attempts.popitem(last=False)
        return False
