"""Whether a teammate is typing in a thread, from the inbox's presence hash in Redis
(`{prefix}inbox-presence:{account_id}:{thread_id}`: staff_id -> JSON {state, expires_ms, ...}).
A teammate typing pauses the AI in that thread: their reply is on its way."""

import json
import time
from typing import cast

from redis.asyncio import Redis


class StaffTyping:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    async def anyone_typing(self, account_id: str, thread_id: str) -> bool:
        key = f"{self._prefix}inbox-presence:{account_id}:{thread_id}"
        entries = cast(dict[str, str], await self._redis.hgetall(key))
        now_ms = int(time.time() * 1000)
        for raw in entries.values():
            try:
                entry = json.loads(raw)
            except ValueError:
                continue  # another writer's bug must not stop answers
            if entry.get("state") == "typing" and int(entry.get("expires_ms", 0)) > now_ms:
                return True
        return False
