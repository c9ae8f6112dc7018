"""Whether a teammate is typing in a thread, from the inbox's presence hash in Redis
(`baton_contracts.redis_keys.staff_presence`). A teammate typing pauses the AI in that thread:
their reply is on its way."""

import time
from typing import cast

from pydantic import ValidationError
from redis.asyncio import Redis

from baton_contracts import redis_keys
from baton_contracts.live_signals import StaffPresenceEntry


class StaffTyping:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    async def anyone_typing(self, account_id: str, thread_id: str) -> bool:
        key = redis_keys.staff_presence(self._prefix, account_id, thread_id)
        entries = cast(dict[str, str], await self._redis.hgetall(key))
        now_ms = int(time.time() * 1000)
        for raw in entries.values():
            try:
                entry = StaffPresenceEntry.model_validate_json(raw)
            except ValidationError:
                continue  # another writer's bug must not stop answers
            if entry.state == "typing" and entry.expires_ms > now_ms:
                return True
        return False
