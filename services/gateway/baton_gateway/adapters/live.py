"""Ephemeral live signals of a thread over Redis pub/sub: typing, and "the session state
changed". Nothing here is durable or goes to Kafka; a signal missed is simply not shown.

The widget's side is the channel `redis_keys.thread_live` (payloads
`live_signals.ThreadLiveSignal`): the inbox publishes staff typing there, the gateway state
pings. The visitor's typing goes the other way, to the inbox's `redis_keys.inbox_live` channel
of the bot's account, where the staff streams pick it up.
"""

import time
from collections.abc import AsyncGenerator
from dataclasses import dataclass

from redis.asyncio import Redis

from baton_contracts import redis_keys
from baton_contracts.live_signals import (
    StaffTypingSignal,
    ThreadStateChanged,
    VisibleMessageNotice,
    VisitorTypingItem,
    parse_thread_live_signal,
    parse_visible_message_notice,
)
from baton_runtime.pubsub_hub import RESYNC, PubSubHub


@dataclass(frozen=True)
class Signal:
    """`kind` is "messages" (a new visible message: `notice` holds it, or None if its payload
    was unreadable), "state", "typing" (then `staff_typing` says who), or "resync" (the
    subscription was re-established: re-read everything, notices may have been lost)."""

    kind: str
    staff_typing: StaffTypingSignal | None = None
    notice: VisibleMessageNotice | None = None


class LiveSignals:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix
        # One Redis subscription per process for every stream: a connection each would run
        # the pool dry at a few hundred visitors.
        self.hub = PubSubHub(redis, redis_keys.gateway_thread_channels_pattern(prefix))

    def channel(self, thread_id: str) -> str:
        return redis_keys.thread_live(self._prefix, thread_id)

    async def visitor_typing(self, account_id: str, thread_id: str, typing: bool) -> None:
        item = VisitorTypingItem(account_id=account_id, thread_id=thread_id, typing=typing)
        channel = redis_keys.inbox_live(self._prefix, account_id)
        await self._redis.publish(channel, item.model_dump_json())

    async def state_changed(self, thread_id: str) -> None:
        await self._redis.publish(self.channel(thread_id), ThreadStateChanged().model_dump_json())

    async def team_online(self, account_id: str) -> bool:
        """Whether a teammate of the account has the inbox open (the inbox's heartbeats)."""
        now_ms = int(time.time() * 1000)
        key = redis_keys.staff_online(self._prefix, account_id)
        return int(await self._redis.zcount(key, now_ms, "+inf")) > 0

    async def listen(
        self, thread_id: str, messages_channel: str
    ) -> AsyncGenerator[Signal | None, None]:
        """Yields None once listening on both channels, then one Signal per notification."""
        async with self.hub.listen(messages_channel, self.channel(thread_id)) as notices:
            yield None
            while True:
                channel, data = await notices.get()
                if (signal := _signal(channel, data, messages_channel)) is not None:
                    yield signal


def _signal(channel: str, data: str, messages_channel: str) -> Signal | None:
    """Malformed live payloads (another publisher's bug) are dropped, never crash a stream."""
    if channel == RESYNC:
        return Signal("resync")
    if channel == messages_channel:
        return Signal("messages", notice=parse_visible_message_notice(data))
    live = parse_thread_live_signal(data)
    if isinstance(live, StaffTypingSignal):
        return Signal("typing", live)
    return Signal("state") if live is not None else None
